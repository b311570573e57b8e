// SPDX-License-Identifier: GPL-2.0
/*
 * vma_lock_kunit: judge the per_vma_lock KUnit suite (mm/vma_lock_kunit.c,
 * CONFIG_PER_VMA_LOCK_KUNIT_TEST=y) that ran at boot, from its KUnit
 * debugfs results (CONFIG_KUNIT_DEBUGFS=y; the init mounts debugfs).
 *
 * Prints the results, then passes when the suite's own result line is
 * "ok 1 per_vma_lock", no line says "not ok" and at least MIN_CASES test
 * cases ran (were not skipped); a suite that never ran has no case lines.
 * When the suite's debugfs directory does not exist (the kernel does not
 * have the suite), skips (exit 4), unless the kernel command line has
 * pervma.vma_lock_kunit=1, which says the kernel was built with it: then
 * it fails.
 *
 * Usage: vma_lock_kunit [--dir DIR] [--cmdline FILE]
 * (the defaults are the real ones; the options are for testing on a host)
 */
#include "common.h"

#include <sys/stat.h>

#define SUITE		"per_vma_lock"
#define MIN_CASES	5
#define EXIT_SKIP	4

static void usage(void)
{
	printf("Usage: %s [--dir DIR] [--cmdline FILE]\n"
	       "Judge the per_vma_lock KUnit suite from DIR/results.\n"
	       "  --dir DIR       the suite's KUnit debugfs directory\n"
	       "                  (default /sys/kernel/debug/kunit/" SUITE ")\n"
	       "  --cmdline FILE  the kernel command line (default /proc/cmdline)\n"
	       "Exit 0 if the suite passed, 4 if the kernel does not have it\n"
	       "(and pervma.vma_lock_kunit=1 is not on the command line), 1 otherwise.\n",
	       prog_name);
}

/* Read all of @path into a NUL-terminated buffer; NULL on error (errno). */
static char *read_file(const char *path)
{
	size_t len = 0, size = 4096;
	char *buf = malloc(size);
	FILE *f = fopen(path, "r");

	if (!buf || !f) {
		int saved = errno;

		free(buf);
		if (f)
			fclose(f);
		errno = saved;
		return NULL;
	}
	for (;;) {
		size_t n = fread(buf + len, 1, size - len - 1, f);

		len += n;
		if (len < size - 1) {
			if (ferror(f)) {
				free(buf);
				fclose(f);
				errno = EIO;
				return NULL;
			}
			break;
		}
		size *= 2;
		buf = realloc(buf, size);
		if (!buf)
			die("realloc of %zu bytes: %m", size);
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Does the kernel command line in @path have the word @word? */
static bool cmdline_has(const char *path, const char *word)
{
	char *buf = read_file(path), *tok, *save;
	bool found = false;

	if (!buf) {
		msg("cannot read %s: %m", path);
		return false;
	}
	for (tok = strtok_r(buf, " \t\n", &save); tok && !found;
	     tok = strtok_r(NULL, " \t\n", &save))
		found = !strcmp(tok, word);
	free(buf);
	return found;
}

/*
 * Parse "ok N NAME[ # SKIP ...]" or "not ok N NAME..." (6.1 KUnit writes
 * no "- " before NAME, later ones do). Returns 1 for ok, 0 for not ok,
 * -1 if @line is no result line; sets *@name and *@skip.
 */
static int parse_result(const char *line, const char **name, bool *skip)
{
	int ok = 1;

	if (!strncmp(line, "not ok ", 7)) {
		ok = 0;
		line += 7;
	} else if (!strncmp(line, "ok ", 3)) {
		line += 3;
	} else {
		return -1;
	}
	if (*line < '0' || *line > '9')
		return -1;
	while (*line >= '0' && *line <= '9')
		line++;
	if (*line++ != ' ')
		return -1;
	if (!strncmp(line, "- ", 2))
		line += 2;
	*name = line;
	*skip = strstr(line, "# SKIP") != NULL;
	return ok;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = "/sys/kernel/debug/kunit/" SUITE;
	const char *cmdline = "/proc/cmdline";
	int ran = 0, skipped = 0, not_ok = 0, suite_ok = -1;
	char *buf, *line, *save, *path;
	struct stat st;
	int c;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'c':
			cmdline = optarg;
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage_hint();
		}
	}
	no_more_args(argc, argv);

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		if (cmdline_has(cmdline, "pervma.vma_lock_kunit=1")) {
			printf("%s: FAIL: no %s, but the kernel was built with the suite (pervma.vma_lock_kunit=1)\n",
			       prog_name, dir);
			return 1;
		}
		printf("%s: no %s: the kernel does not have the " SUITE
		       " KUnit suite (CONFIG_PER_VMA_LOCK_KUNIT_TEST, CONFIG_KUNIT_DEBUGFS)\n",
		       prog_name, dir);
		return EXIT_SKIP;
	}

	if (asprintf(&path, "%s/results", dir) < 0)
		die("asprintf: %m");
	buf = read_file(path);
	if (!buf) {
		printf("%s: FAIL: cannot read %s: %s\n", prog_name, path,
		       strerror(errno));
		return 1;
	}
	fputs(buf, stdout);
	if (*buf && buf[strlen(buf) - 1] != '\n')
		putchar('\n');

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t indent = strspn(line, " \t");
		const char *name;
		bool skip;
		int r = parse_result(line + indent, &name, &skip);

		if (strstr(line, "not ok"))
			not_ok++;
		if (r < 0)
			continue;
		if (!indent) {
			/* The suite's own line: "ok 1 per_vma_lock". */
			if (!strncmp(name, SUITE, strlen(SUITE)) &&
			    (!name[strlen(SUITE)] || name[strlen(SUITE)] == ' '))
				suite_ok = r && !skip;
		} else if (indent == 4 || indent == 1) {
			/* A test case (4 spaces, or a tab in later KTAP). */
			if (skip)
				skipped++;
			else
				ran++;
		}
	}
	free(buf);
	free(path);

	if (suite_ok < 0) {
		printf("%s: FAIL: no result line for the " SUITE " suite\n", prog_name);
		return 1;
	}
	if (!suite_ok || not_ok || ran < MIN_CASES) {
		printf("%s: FAIL: suite %s, %d \"not ok\" line(s), %d test case(s) ran (at least %d expected), %d skipped\n",
		       prog_name, suite_ok ? "ok" : "not ok", not_ok, ran,
		       MIN_CASES, skipped);
		return 1;
	}
	printf("%s: ok, %d test cases passed, %d skipped\n", prog_name, ran,
	       skipped);
	return 0;
}
