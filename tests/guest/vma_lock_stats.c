// SPDX-License-Identifier: GPL-2.0
/*
 * vma_lock_stats - the per-VMA lock fault path is taken where it may be and
 * only there, judged by the event counters CONFIG_PER_VMA_LOCK_STATS adds to
 * /proc/vmstat (vma_lock_success, _abort, _retry, _miss).
 *
 * A user page fault first tries to lock only its VMA (lock_vma_under_rcu());
 * in the 6.1 series that works (vma_lock_success) for a private anonymous VMA
 * that already has an anon_vma and is not registered with userfaultfd, and
 * anything else gives up (vma_lock_abort) and takes mmap_lock.  Three parts,
 * each on fresh VMAs of its own (guard pages on both sides, no THP):
 *
 *  (a) fast path: fault page 0 of an N-page region (this creates the
 *      anon_vma), then write-fault the other N - 1 pages: vma_lock_success
 *      must grow by at least N - 1.
 *  (b) no anon_vma yet: touch page 0 of K fresh regions: vma_lock_abort must
 *      grow by at least K and vma_lock_success by less than K.
 *  (c) userfaultfd: a region whose page 0 is already faulted in (so it has
 *      an anon_vma) is registered for missing-page faults; a handler thread
 *      resolves each fault with UFFDIO_COPY (even pages, a known pattern) or
 *      UFFDIO_ZEROPAGE (odd pages).  Reading M missing pages must give the
 *      handler exactly M faults, grow vma_lock_abort by at least M and
 *      vma_lock_success by less than M.  Then, as a control, the range is
 *      unregistered and M more pages of the same VMA are faulted: now
 *      vma_lock_success must grow by at least M.
 *
 * Every page touched is read back and checked as well.
 *
 * The counters are event counts for the whole system; the guest runs
 * nothing else, and the other processes there (the init shell, timeout)
 * sleep, so the only noise is the few faults of this process's own stacks,
 * which is why the bounds above are "at least" and "less than".
 *
 * Kernels without the counters (the base, FEATURE=off): skip (exit 4),
 * unless the kernel command line has pervma.vma_lock_stats=1 -- the harness
 * adds it when the kernel's .config has CONFIG_PER_VMA_LOCK_STATS=y -- in
 * which case missing counters are a failure.  They are VM events, so the
 * kernel needs CONFIG_VM_EVENT_COUNTERS as well (tinyconfig turns it off);
 * the failure message says so when /proc/vmstat has no events at all.
 */
#include "common.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#define CMDLINE_FLAG	"pervma.vma_lock_stats=1"
#define VAL_MAGIC	0x564d414cULL	/* "VMAL" */
#define FAST_PAGES	256	/* N: pages of the fast path region */
#define FRESH_REGIONS	16	/* K: fresh VMAs touched once */
#define UFFD_PAGES	64	/* M: userfaultfd-registered pages read */

enum { SUCCESS, ABORT, RETRY, MISS, NR_COUNTERS };

static const char *const counter_names[NR_COUNTERS] = {
	"vma_lock_success", "vma_lock_abort", "vma_lock_retry", "vma_lock_miss",
};

struct counters {
	uint64_t v[NR_COUNTERS];
};

static const char *vmstat_path = "/proc/vmstat";
static bool vmstat_has_events;	/* it has a pgfault line: event counters */
static const char *cmdline_path = "/proc/cmdline";

/* Read a whole (small) file into @buf, NUL-terminated; false if absent. */
static bool read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return false;
		die("open %s: %m", path);
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read %s: %m", path);
		if (!n)
			break;
		len += n;
		if (len == size - 1)
			die("%s is larger than %zu bytes", path, size - 1);
	}
	close(fd);
	buf[len] = '\0';
	return true;
}

/*
 * Read the counters; returns how many of them /proc/vmstat has.  The buffer
 * is static so that reading it causes no page fault after the first time.
 */
static unsigned int read_counters(struct counters *c)
{
	static char buf[1 << 16];
	unsigned int found = 0;
	char *line, *save;

	memset(c, 0, sizeof(*c));
	if (!read_file(vmstat_path, buf, sizeof(buf)))
		die("%s does not exist", vmstat_path);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, ' ');

		if (!val)
			continue;
		*val++ = '\0';
		if (!strcmp(line, "pgfault"))
			vmstat_has_events = true;
		for (int i = 0; i < NR_COUNTERS; i++) {
			char *end;

			if (strcmp(line, counter_names[i]))
				continue;
			errno = 0;
			c->v[i] = strtoull(val, &end, 10);
			if (errno || end == val || *end)
				die("%s: cannot parse '%s %s'", vmstat_path,
				    line, val);
			found |= 1u << i;
		}
	}
	return found;
}

/* Was the kernel booted with pervma.vma_lock_stats=1? */
static bool cmdline_wants_stats(void)
{
	static char buf[4096];
	char *arg, *save;

	if (!read_file(cmdline_path, buf, sizeof(buf)))
		die("%s does not exist", cmdline_path);
	for (arg = strtok_r(buf, " \t\n", &save); arg;
	     arg = strtok_r(NULL, " \t\n", &save))
		if (!strcmp(arg, CMDLINE_FLAG))
			return true;
	return false;
}

static uint64_t delta(const struct counters *before,
		      const struct counters *after, int i)
{
	return after->v[i] - before->v[i];
}

static void print_deltas(const char *part, const struct counters *before,
			 const struct counters *after)
{
	printf("%s: (%s) counter deltas: success %llu, abort %llu, retry %llu, miss %llu\n",
	       prog_name, part,
	       (unsigned long long)delta(before, after, SUCCESS),
	       (unsigned long long)delta(before, after, ABORT),
	       (unsigned long long)delta(before, after, RETRY),
	       (unsigned long long)delta(before, after, MISS));
}

/* The value the test writes to (or has the uffd handler put in) a page. */
static uint64_t val(unsigned int part, size_t page)
{
	return VAL_MAGIC << 32 | (uint64_t)part << 24 | page;
}

static uint64_t *page_ptr(void *region, size_t page)
{
	return (uint64_t *)((char *)region + page * page_size);
}

/* Check that a page holds @first in word 0 and @rest in every other word. */
static void check_page(const char *part, void *region, size_t page,
		       uint64_t first, uint64_t rest)
{
	const uint64_t *p = page_ptr(region, page);

	for (size_t i = 0; i < page_words; i++) {
		uint64_t want = i ? rest : first;

		if (p[i] == want)
			continue;
		fail("CORRUPTION: (%s) page %zu word %zu: expected %#llx, got %#llx",
		     part, page, i, (unsigned long long)want,
		     (unsigned long long)p[i]);
		return;
	}
}

static void touch(void *region, size_t page, uint64_t v)
{
	*(volatile uint64_t *)page_ptr(region, page) = v;
}

/* (a) faults in a VMA that has its anon_vma take the fast path. */
static void part_fast_path(void)
{
	size_t n = FAST_PAGES;
	void *region = map_isolated(n * page_size);
	struct counters c0, c1;

	touch(region, 0, val(1, 0));	/* creates the anon_vma */
	read_counters(&c0);
	for (size_t p = 1; p < n; p++)
		touch(region, p, val(1, p));
	read_counters(&c1);
	for (size_t p = 0; p < n; p++)
		check_page("a", region, p, val(1, p), 0);

	print_deltas("a", &c0, &c1);
	if (delta(&c0, &c1, SUCCESS) < n - 1)
		fail("(a) %zu write faults in a private anonymous VMA with an anon_vma: vma_lock_success grew by %llu, expected at least %zu (the per-VMA lock path was not taken)",
		     n - 1, (unsigned long long)delta(&c0, &c1, SUCCESS),
		     n - 1);
	else
		printf("%s: (a) ok: %zu faults, vma_lock_success +%llu\n",
		       prog_name, n - 1,
		       (unsigned long long)delta(&c0, &c1, SUCCESS));
	unmap_isolated(region, n * page_size);
}

/* (b) the first fault of a VMA, which has no anon_vma yet, falls back. */
static void part_no_anon_vma(void)
{
	size_t k = FRESH_REGIONS, len = 2 * page_size;
	void *regions[FRESH_REGIONS];
	struct counters c0, c1;

	for (size_t i = 0; i < k; i++)
		regions[i] = map_isolated(len);
	read_counters(&c0);
	for (size_t i = 0; i < k; i++)
		touch(regions[i], 0, val(2, i));
	read_counters(&c1);
	for (size_t i = 0; i < k; i++) {
		check_page("b", regions[i], 0, val(2, i), 0);
		unmap_isolated(regions[i], len);
	}

	print_deltas("b", &c0, &c1);
	if (delta(&c0, &c1, ABORT) < k)
		fail("(b) first faults in %zu fresh VMAs (no anon_vma yet): vma_lock_abort grew by %llu, expected at least %zu",
		     k, (unsigned long long)delta(&c0, &c1, ABORT), k);
	if (delta(&c0, &c1, SUCCESS) >= k)
		fail("(b) first faults in %zu fresh VMAs (no anon_vma yet): vma_lock_success grew by %llu, expected less than %zu (the per-VMA lock path was taken without an anon_vma)",
		     k, (unsigned long long)delta(&c0, &c1, SUCCESS), k);
	if (delta(&c0, &c1, ABORT) >= k && delta(&c0, &c1, SUCCESS) < k)
		printf("%s: (b) ok: %zu first faults, vma_lock_abort +%llu\n",
		       prog_name, k,
		       (unsigned long long)delta(&c0, &c1, ABORT));
}

struct uffd_handler {
	pthread_t thread;
	int uffd;
	char *region;		/* pages [1, UFFD_PAGES] are registered */
	uint64_t *src;		/* one page, the UFFDIO_COPY source */
	uint64_t faults;	/* page faults resolved */
	int ready;
	int stop;
};

static void *uffd_handler_fn(void *arg)
{
	struct uffd_handler *h = arg;

	/* Fault in what the handler touches before the counters are read. */
	memset(h->src, 0, page_size);
	__atomic_store_n(&h->ready, 1, __ATOMIC_SEQ_CST);

	while (!__atomic_load_n(&h->stop, __ATOMIC_SEQ_CST)) {
		struct pollfd pfd = { .fd = h->uffd, .events = POLLIN };
		struct uffd_msg m;
		uint64_t addr;
		size_t page;
		ssize_t n;
		int r;

		r = poll(&pfd, 1, 10);
		if (r < 0 && errno != EINTR)
			die("(c) poll on the userfaultfd: %m");
		if (r <= 0)
			continue;
		n = read(h->uffd, &m, sizeof(m));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n != sizeof(m))
			die("(c) read from the userfaultfd returned %zd: %m", n);
		if (m.event != UFFD_EVENT_PAGEFAULT) {
			fail("(c) unexpected userfaultfd event %u", m.event);
			continue;
		}
		addr = m.arg.pagefault.address & ~(uint64_t)(page_size - 1);
		page = (addr - (uintptr_t)h->region) / page_size;
		if (addr < (uintptr_t)h->region || page < 1 ||
		    page > UFFD_PAGES) {
			fail("(c) userfault at %#llx, outside the registered pages 1-%d of the region at %p",
			     (unsigned long long)m.arg.pagefault.address,
			     UFFD_PAGES, (void *)h->region);
			continue;
		}
		if (page % 2 == 0) {
			struct uffdio_copy copy = {
				.dst = addr, .src = (uintptr_t)h->src,
				.len = page_size,
			};

			for (size_t i = 0; i < page_words; i++)
				h->src[i] = val(3, page);
			if (ioctl(h->uffd, UFFDIO_COPY, &copy))
				die("(c) UFFDIO_COPY to page %zu: %m", page);
		} else {
			struct uffdio_zeropage zp = {
				.range = { .start = addr, .len = page_size },
			};

			if (ioctl(h->uffd, UFFDIO_ZEROPAGE, &zp))
				die("(c) UFFDIO_ZEROPAGE to page %zu: %m",
				    page);
		}
		__atomic_add_fetch(&h->faults, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

/*
 * (c) faults in a userfaultfd-registered VMA fall back, although the VMA
 * has its anon_vma; once unregistered, the same VMA takes the fast path.
 */
static void part_userfaultfd(void)
{
	size_t m = UFFD_PAGES, n = 2 * m + 1;
	size_t len = n * page_size;
	struct uffd_handler h = { 0 };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffdio_range range;
	struct counters c0, c1, c2, c3;
	uint64_t faults;

	h.uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (h.uffd < 0 && errno == ENOSYS) {
		printf("%s: (c) skipped: userfaultfd() is not implemented (CONFIG_USERFAULTFD off)\n",
		       prog_name);
		return;
	}
	if (h.uffd < 0)
		die("(c) userfaultfd(): %m");
	if (ioctl(h.uffd, UFFDIO_API, &api))
		die("(c) UFFDIO_API (no features): %m");

	h.region = map_isolated(len);
	h.src = map_anon(page_size, PROT_READ | PROT_WRITE);
	touch(h.region, 0, val(3, 0));	/* the VMA gets its anon_vma */

	range.start = (uintptr_t)h.region;
	range.len = len;
	reg.range = range;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(h.uffd, UFFDIO_REGISTER, &reg))
		die("(c) UFFDIO_REGISTER_MODE_MISSING: %m");

	start_thread(&h.thread, uffd_handler_fn, &h);
	while (!__atomic_load_n(&h.ready, __ATOMIC_SEQ_CST))
		sched_yield();

	read_counters(&c0);
	for (size_t p = 1; p <= m; p++)
		(void)*(volatile uint64_t *)page_ptr(h.region, p);
	read_counters(&c1);

	/* The handler counts a fault after the ioctl that woke the reader. */
	__atomic_store_n(&h.stop, 1, __ATOMIC_SEQ_CST);
	join_thread(h.thread);
	faults = h.faults;
	if (ioctl(h.uffd, UFFDIO_UNREGISTER, &range))
		die("(c) UFFDIO_UNREGISTER: %m");
	close(h.uffd);

	/* Control: the same VMA, no longer registered. */
	read_counters(&c2);
	for (size_t p = m + 1; p < n; p++)
		touch(h.region, p, val(3, p));
	read_counters(&c3);

	check_page("c", h.region, 0, val(3, 0), 0);
	for (size_t p = 1; p <= m; p++) {
		if (p % 2 == 0)
			check_page("c", h.region, p, val(3, p), val(3, p));
		else
			check_page("c", h.region, p, 0, 0);
	}
	for (size_t p = m + 1; p < n; p++)
		check_page("c", h.region, p, val(3, p), 0);

	print_deltas("c, registered", &c0, &c1);
	print_deltas("c, unregistered", &c2, &c3);
	printf("%s: (c) the handler resolved %llu faults (%zu pages read)\n",
	       prog_name, (unsigned long long)faults, m);
	if (faults != m)
		fail("(c) reading %zu missing pages of a userfaultfd-registered range made the handler resolve %llu faults, expected %zu",
		     m, (unsigned long long)faults, m);
	if (delta(&c0, &c1, ABORT) < m)
		fail("(c) %zu faults in a userfaultfd-registered VMA: vma_lock_abort grew by %llu, expected at least %zu",
		     m, (unsigned long long)delta(&c0, &c1, ABORT), m);
	if (delta(&c0, &c1, SUCCESS) >= m)
		fail("(c) %zu faults in a userfaultfd-registered VMA: vma_lock_success grew by %llu, expected less than %zu (userfaults handled under the per-VMA lock)",
		     m, (unsigned long long)delta(&c0, &c1, SUCCESS), m);
	if (delta(&c2, &c3, SUCCESS) < m)
		fail("(c) control: %zu faults in the same VMA after UFFDIO_UNREGISTER: vma_lock_success grew by %llu, expected at least %zu",
		     m, (unsigned long long)delta(&c2, &c3, SUCCESS), m);
	unmap_isolated(h.region, len);
	if (munmap(h.src, page_size))
		die("munmap: %m");
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Checks with /proc/vmstat's vma_lock_* counters that page faults take the\n"
	       "per-VMA lock path in a private anonymous VMA with an anon_vma, and fall\n"
	       "back to mmap_lock for a VMA's first fault and in a userfaultfd-registered\n"
	       "range.  Exits 0 on success, 1 on a failure, 2 on a bad command line and\n"
	       "4 (skip) when the kernel has no such counters, unless its command line\n"
	       "has %s.\n"
	       "\n"
	       "Options:\n"
	       "  --vmstat FILE    read the counters from FILE (default %s)\n"
	       "  --cmdline FILE   read the kernel command line from FILE\n"
	       "                   (default %s); both for testing this program\n"
	       "  --help           show this help\n",
	       prog_name, CMDLINE_FLAG, vmstat_path, cmdline_path);
}

static void parse_args(int argc, char **argv)
{
	static const struct option options[] = {
		{ "vmstat", required_argument, NULL, 'v' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'v':
			vmstat_path = optarg;
			break;
		case 'c':
			cmdline_path = optarg;
			break;
		case 'h':
			usage();
			exit(0);
		default:
			usage_hint();
		}
	}
	no_more_args(argc, argv);
}

int main(int argc, char **argv)
{
	struct counters c;
	unsigned int found;
	bool want;

	prog_init(argv[0]);
	parse_args(argc, argv);

	found = read_counters(&c);
	want = cmdline_wants_stats();
	if (!found && !want) {
		printf("%s: SKIP: %s has no vma_lock_* counters (kernel without CONFIG_PER_VMA_LOCK_STATS%s) and the command line has no %s\n",
		       prog_name, vmstat_path,
		       vmstat_has_events ? "" : ", or without CONFIG_VM_EVENT_COUNTERS: no pgfault line either",
		       CMDLINE_FLAG);
		return 4;
	}
	if (found != (1u << NR_COUNTERS) - 1) {
		for (int i = 0; i < NR_COUNTERS; i++)
			if (!(found & 1u << i))
				fail("%s has no %s line%s", vmstat_path,
				     counter_names[i],
				     want ? " although the kernel command line has " CMDLINE_FLAG " (its .config has CONFIG_PER_VMA_LOCK_STATS=y)" : "");
		if (!vmstat_has_events)
			msg("%s has no pgfault line either: the kernel counts no VM events at all (CONFIG_VM_EVENT_COUNTERS is off), so it cannot show the per-VMA lock counters",
			    vmstat_path);
		printf("%s: FAIL (%d failure(s))\n", prog_name, nr_failures());
		return 1;
	}
	printf("%s: counters now: success %llu, abort %llu, retry %llu, miss %llu; page size %zu\n",
	       prog_name, (unsigned long long)c.v[SUCCESS],
	       (unsigned long long)c.v[ABORT], (unsigned long long)c.v[RETRY],
	       (unsigned long long)c.v[MISS], page_size);

	part_fast_path();
	part_no_anon_vma();
	part_userfaultfd();

	if (nr_failures()) {
		printf("%s: FAIL (%d failure(s))\n", prog_name, nr_failures());
		return 1;
	}
	printf("%s: PASS\n", prog_name);
	return 0;
}
