// SPDX-License-Identifier: GPL-2.0
/*
 * maple_tree_module: judge the in-kernel maple tree tests (lib/test_maple_tree.c,
 * CONFIG_TEST_MAPLE_TREE=y) that ran at boot, from the kernel log.
 *
 * Passes when the log has "maple_tree: N of N tests passed" and no
 * "BUG at" line from the tests' MT_BUG_ON(); fails on "N of M" with N != M
 * or on any "BUG at"; skips (exit 4) when the kernel has no such line and
 * no failure, i.e. the tests are not built in (they are with
 * EXTRA_CONFIGS=configs/test-maple-tree.config).
 *
 * Usage: maple_tree_module
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

#define SYSLOG_ACTION_READ_ALL	3
#define SYSLOG_ACTION_SIZE_BUFFER 10

int main(int argc, char **argv)
{
	unsigned long passed = 0, run = 0;
	int size, len, found = 0, bugs = 0;
	char *buf, *line, *save;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: maple_tree_module\n");
		return 2;
	}
	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size <= 0)
		size = 1 << 20;
	buf = malloc(size + 1);
	if (!buf) {
		perror("maple_tree_module: malloc");
		return 1;
	}
	len = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (len < 0) {
		perror("maple_tree_module: klogctl");
		return 1;
	}
	buf[len] = '\0';

	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p = strstr(line, "maple_tree: ");
		unsigned long a, b;

		if (strstr(line, "BUG at ")) {
			if (bugs++ < 5)
				printf("maple_tree_module: %s\n", line);
			continue;
		}
		if (p && sscanf(p, "maple_tree: %lu of %lu tests passed", &a, &b) == 2) {
			passed = a;
			run = b;
			found = 1;
			printf("maple_tree_module: %s\n", line);
		}
	}
	free(buf);

	if (!found && !bugs) {
		printf("maple_tree_module: no maple_tree test result in the kernel log (CONFIG_TEST_MAPLE_TREE not built in)\n");
		return 4;
	}
	if (!found) {
		printf("maple_tree_module: FAIL: %d MT_BUG_ON report(s) and no summary line\n", bugs);
		return 1;
	}
	if (bugs || passed != run || !run) {
		printf("maple_tree_module: FAIL: %lu of %lu tests passed, %d MT_BUG_ON report(s)\n",
		       passed, run, bugs);
		return 1;
	}
	printf("maple_tree_module: ok, %lu of %lu tests passed\n", passed, run);
	return 0;
}
