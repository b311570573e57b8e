/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pervma guest tests and benchmarks.
 *
 * Every program is a single translation unit built as a static binary, so
 * everything here is static; functions are inline so that a program which
 * does not use one of them builds without warnings.
 *
 * Messages go out with one write(2) each so that they are safe from any
 * thread and from a fork() child of a multi-threaded parent, where stdio
 * locks may be held by threads that no longer exist.
 */
#ifndef PERVMA_TESTS_COMMON_H
#define PERVMA_TESTS_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSEC_PER_SEC	1000000000ULL
#define MAX_REPORTS	10	/* failures printed in full by fail() */

#define __printf(a, b)	__attribute__((format(printf, a, b)))

static const char *prog_name = "?";
static size_t page_size;
static size_t page_words;	/* 64-bit words per page */
static int failures;		/* failures reported by fail(), atomic */

/* Print "prog: <message>\n" to stderr with a single write(2). */
static inline void vmsg(const char *fmt, va_list ap)
{
	int saved_errno = errno;
	char buf[512];
	size_t len;
	int n;

	n = snprintf(buf, sizeof(buf), "%.64s: ", prog_name);
	errno = saved_errno;	/* for %m */
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	len = strlen(buf);
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[len++] = '\n';

	for (const char *p = buf; len;) {
		ssize_t done = write(STDERR_FILENO, p, len);

		if (done <= 0)
			break;
		p += done;
		len -= done;
	}
	errno = saved_errno;
}

static inline __printf(1, 2) void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* Fatal error (not a test failure as such): report and exit 1. */
static inline __printf(1, 2) __attribute__((noreturn))
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	_exit(1);
}

/* Bad command line, already reported (e.g. by getopt): exit 2. */
static inline __attribute__((noreturn)) void usage_hint(void)
{
	msg("try '%s --help' for usage", prog_name);
	exit(2);
}

/* Bad command line: report, point at --help and exit 2. */
static inline __printf(1, 2) __attribute__((noreturn))
void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	usage_hint();
}

/*
 * Report a test failure and count it in @failures.  Only the first
 * MAX_REPORTS are printed so that a badly broken kernel cannot flood the
 * console.
 */
static inline __printf(1, 2) void fail(const char *fmt, ...)
{
	int n = __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
	va_list ap;

	if (n > MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (n == MAX_REPORTS)
		msg("further failures are counted but not printed");
}

static inline int nr_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_SEQ_CST);
}

/* A count that proves the test did real work must not be zero. */
static inline void require_nonzero(const char *what, uint64_t count)
{
	if (!count)
		fail("%s is zero: the test did not do the work it claims", what);
}

static inline void prog_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	long ps;

	prog_name = slash ? slash + 1 : argv0;
	ps = sysconf(_SC_PAGESIZE);
	if (ps <= 0 || ps % sizeof(uint64_t))
		die("sysconf(_SC_PAGESIZE) returned %ld", ps);
	page_size = ps;
	page_words = ps / sizeof(uint64_t);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Parse a decimal option value in [min, max] or exit with a usage error. */
static inline unsigned long parse_ulong(const char *opt, const char *s,
					unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max)
		usage_error("--%s: '%s' is not a number from %lu to %lu",
			    opt, s, min, max);
	return v;
}

/* Reject non-option arguments left over after getopt_long(). */
static inline void no_more_args(int argc, char **argv)
{
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

/* The options both stress tests take. */
struct stress_opts {
	unsigned long seconds;
	unsigned long threads;
	unsigned long max_threads;
	unsigned long pages;
	bool inject;
};

/*
 * Parse --seconds, --threads (1..o->max_threads), --pages,
 * --inject-corruption and --help (which prints usage() and exits 0) into o,
 * whose fields hold the defaults on entry.
 */
static inline void parse_stress_args(int argc, char **argv,
				     struct stress_opts *o, void (*usage)(void))
{
	static const struct option options[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "pages", required_argument, NULL, 'p' },
		{ "inject-corruption", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 's':
			o->seconds = parse_ulong("seconds", optarg, 1, 86400);
			break;
		case 't':
			o->threads = parse_ulong("threads", optarg, 1,
						 o->max_threads);
			break;
		case 'p':
			o->pages = parse_ulong("pages", optarg, 1, 1 << 20);
			break;
		case 'i':
			o->inject = true;
			break;
		case 'h':
			usage();
			exit(0);
		default:
			usage_hint();	/* getopt_long() said what is wrong */
		}
	}
	no_more_args(argc, argv);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Sleep until @deadline (now_ns() time) or until *@abort becomes non-zero,
 * checked every 10 ms; @abort may be NULL.
 */
static inline void sleep_until(uint64_t deadline, const int *abort)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

	while (now_ns() < deadline) {
		if (abort && __atomic_load_n(abort, __ATOMIC_SEQ_CST))
			return;
		nanosleep(&tick, NULL);
	}
}

/* splitmix64: a small, fast, well-mixed PRNG; also used as a hash. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint64_t rng_next(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ULL;
	return mix64(*state);
}

/*
 * Page checksum.  Every step is a bijection of the running value for a
 * given word and of the word for a given running value, so any change to a
 * single word always changes the result.
 */
#define CSUM_INIT	0xcbf29ce484222325ULL

static inline uint64_t csum_step(uint64_t sum, uint64_t word)
{
	sum = (sum ^ word) * 0x9e3779b97f4a7c15ULL;
	return sum ^ (sum >> 29);
}

static inline uint64_t csum_words(const uint64_t *w, size_t n)
{
	uint64_t sum = CSUM_INIT;

	for (size_t i = 0; i < n; i++)
		sum = csum_step(sum, w[i]);
	return sum;
}

static inline void *map_anon(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %zu bytes: %m", len);
	return p;
}

/*
 * Map @len bytes of private anonymous read-write memory as a VMA of its
 * own: a PROT_NONE guard page on each side keeps the kernel from merging it
 * with any neighbouring read-write VMA, so nothing else ever shares it.
 * THP is switched off for it where the kernel has THP (EINVAL otherwise),
 * so that every page is a separate fault.  Release with unmap_isolated().
 */
static inline void *map_isolated(size_t len)
{
	char *p = (char *)map_anon(len + 2 * page_size, PROT_NONE) + page_size;

	if (mprotect(p, len, PROT_READ | PROT_WRITE))
		die("mprotect(PROT_READ|PROT_WRITE) of %zu bytes: %m", len);
	if (madvise(p, len, MADV_NOHUGEPAGE) && errno != EINVAL)
		die("madvise(MADV_NOHUGEPAGE): %m");
	return p;
}

static inline void unmap_isolated(void *p, size_t len)
{
	if (munmap((char *)p - page_size, len + 2 * page_size))
		die("munmap of %zu bytes: %m", len + 2 * page_size);
}

/* Shared (MAP_SHARED) zeroed memory, e.g. for counters kept by children. */
static inline void *map_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap of %zu shared bytes: %m", len);
	return p;
}

static inline void start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int err = pthread_create(t, NULL, fn, arg);

	if (err)
		die("pthread_create: %s", strerror(err));
}

static inline void join_thread(pthread_t t)
{
	int err = pthread_join(t, NULL);

	if (err)
		die("pthread_join: %s", strerror(err));
}

static inline pid_t fork_or_die(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %m");
	return pid;
}

/*
 * Wait for child @pid.  Returns true if it exited with status 0; otherwise
 * says how it ended (@what names the child) and returns false.
 */
static inline bool reap_child(pid_t pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid(%d): %m", (int)pid);
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return true;
	if (WIFEXITED(status))
		msg("%s (pid %d) exited with status %d", what, (int)pid,
		    WEXITSTATUS(status));
	else
		msg("%s (pid %d) was killed by signal %d (%s)", what, (int)pid,
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	return false;
}

#endif /* PERVMA_TESTS_COMMON_H */
