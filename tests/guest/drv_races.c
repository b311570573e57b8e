// SPDX-License-Identifier: GPL-2.0
/*
 * drv_races - what drivers do to VMAs, racing with the VMA lock's writers.
 * Uses the pervma_test module (tests/kmod), loaded from /tests/mod; skips
 * (exit 4) where the kernel cannot load modules or the module is missing.
 *
 *   --mode pfnmap  Threads map the module's pages with remap_pfn_range() in
 *       ->mmap (on x86 with PAT: tracked, VM_PAT), read them back and unmap
 *       them, also partly; others map them to be inserted page by page at
 *       fault time (vmf_insert_pfn()); fork children map them and exit,
 *       and inherit the parent's mappings; a writer loops mmap, mprotect
 *       and munmap on an unrelated region of the same mm. munmap after its
 *       mmap_lock downgrade and exit untrack the PFN range with the
 *       mmap_lock held for read: 6.1's untrack_pfn() cleared VM_PAT with
 *       vm_flags_clear(), which wants it held for write (lockdep splat,
 *       and the VMA writer path entered by a task that is not the writer).
 *   --mode remap   Threads fault mappings whose ->fault remaps the whole VMA
 *       with remap_pfn_range(), as 6.1's vfio-pci did (VMA flags written
 *       holding the mmap_lock for read), several VMAs at once, beside the
 *       same writer; every page is read back. On a pervma kernel this must
 *       neither hang nor corrupt: such a caller is kept out of the VMA
 *       writer path, and the kernel says so once.
 *   --mode remap-page  The same with a ->fault that remaps only the faulting
 *       page, with the flags set in ->mmap, as 6.1's SGI GRU driver does:
 *       remap_pfn_range() must then write no VMA flag (lockdep judges on
 *       debug kernels, where the module does not hide anything).
 *   --mode misuse  Threads call vm_flags_set() through the module on one
 *       anonymous VMA with the mmap_lock held only for read, as a driver
 *       that breaks the rules may, while others fault that VMA (per-VMA lock
 *       readers) and a writer keeps write-locking the mm. Two such callers
 *       in the VMA writer path at once saturate vm_refcnt and sleep forever;
 *       the test runs them in a child and fails if it is not done in time.
 *       The kernel log must then say, once, "VMA write lock taken without the
 *       mmap_lock held for write" from the module, with a stack dump that
 *       names its function (and nothing of the kind where the kernel has no
 *       VMA locks).
 *   --mode take-all-locks  With a hugetlb mapping (its i_mmap_rwsem is
 *       taken by mm_take_all_locks()) and other VMAs after it, register and
 *       unregister an mmu_notifier (mm_take_all_locks()) repeatedly while
 *       threads fault anonymous memory. lockdep judges the lock order.
 *   --mode abi     Load pervma_abi.ko (MODULE_LICENSE "Proprietary", built
 *       only where it links) and use it: its ->mmap sets flags with every
 *       modifier, its ioctl looks a VMA up with lock_vma_under_rcu(). Not
 *       on lockdep kernels: a proprietary module turns lock debugging off.
 *
 * Every page read is checked against the module's pattern, every anonymous
 * page against what this program wrote.
 */
#include "common.h"
#include "../kmod/pervma_test.h"

#include <fcntl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef MAP_HUGETLB
#define MAP_HUGETLB	0x40000
#endif

#define MOD_DIR		"/tests/mod"
#define MISUSE_MSG	"VMA write lock taken without the mmap_lock held for write"
#define ANON_PAGES	64
#define VM_EXEC_FLAG	0x00000004UL
#define VM_MAYEXEC_FLAG	0x00000040UL
#define VM_DONTCOPY_FLAG 0x00020000UL
#define VM_DONTEXPAND_FLAG 0x00040000UL
#define VM_DONTDUMP_FLAG 0x04000000UL

static int dev_fd = -1;
static int stop;		/* set when the run is over */
static uint64_t n_maps, n_pages, n_forks, n_writer, n_misuse, n_faults, n_regs;
static uint64_t *anon;		/* ANON_PAGES pages for the fault threads */
static unsigned long run_seconds = 5;

static void count(uint64_t *c, uint64_t n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

static bool stopped(void)
{
	return __atomic_load_n(&stop, __ATOMIC_RELAXED);
}

/* Load @name.ko from MOD_DIR unless loaded; false: skip, already said why. */
static bool load_module(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), MOD_DIR "/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		msg("skip: no %s (the kernel has no CONFIG_MODULES, or it was not built)", path);
		return false;
	}
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		if (errno == ENOSYS) {
			msg("skip: this kernel cannot load modules");
			close(fd);
			return false;
		}
		die("finit_module %s: %m", path);
	}
	close(fd);
	return true;
}

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %m", path);
	return fd;
}

static bool has_lockdep(void)
{
	return access("/proc/lockdep", F_OK) == 0;
}

/* Map @npages of the module's buffer from @first, in @mode; NULL on error. */
static uint64_t *map_dev(int mode, unsigned long first, unsigned long npages)
{
	void *p = mmap(NULL, npages * page_size, PROT_READ, MAP_SHARED, dev_fd,
		       PERVMA_TEST_PGOFF(mode, first) * page_size);

	if (p == MAP_FAILED)
		die("mmap of %lu module pages (mode %d) from %lu: %m", npages, mode, first);
	count(&n_maps, 1);
	return p;
}

/* Every word of @npages module pages mapped at @p, the first being @first. */
static void check_dev(const uint64_t *p, unsigned long first, unsigned long npages,
		      const char *what)
{
	for (unsigned long pg = 0; pg < npages; pg++) {
		const uint64_t *w = p + pg * page_words;

		for (size_t i = 0; i < page_words; i++) {
			uint64_t want = PERVMA_TEST_WORD(first + pg, i);

			if (w[i] != want) {
				fail("%s: module page %lu word %zu is %#llx, want %#llx",
				     what, first + pg, i, (unsigned long long)w[i],
				     (unsigned long long)want);
				return;
			}
		}
	}
	count(&n_pages, npages);
}

static void unmap(void *p, unsigned long npages)
{
	if (munmap(p, npages * page_size))
		die("munmap: %m");
}

/* A writer on a region of its own: the mmap_lock write holds the VMA lock's writers take. */
static void *writer(void *arg)
{
	size_t len = 16 * page_size;

	(void)arg;
	while (!stopped()) {
		char *p = map_anon(len, PROT_READ | PROT_WRITE);

		p[0] = 1;
		if (mprotect(p, len / 2, PROT_READ))
			die("mprotect: %m");
		if (munmap(p, len))
			die("munmap: %m");
		count(&n_writer, 1);
	}
	return NULL;
}

/* Fault the anonymous pages again and again, checking what they hold. */
static void *anon_faulter(void *arg)
{
	uint64_t seed = (uintptr_t)arg;

	while (!stopped()) {
		unsigned long pg = rng_next(&seed) % ANON_PAGES;
		uint64_t *w = anon + pg * page_words;

		if (w[0] && w[0] != (pg | 0xa000))
			fail("anonymous page %lu holds %#llx", pg, (unsigned long long)w[0]);
		w[0] = pg | 0xa000;
		if (!(rng_next(&seed) & 7) &&
		    madvise(w, page_size, MADV_DONTNEED))
			die("madvise(MADV_DONTNEED): %m");
		count(&n_faults, 1);
	}
	return NULL;
}

static void *pfn_mapper(void *arg)
{
	uint64_t seed = (uintptr_t)arg;

	while (!stopped()) {
		unsigned long first = rng_next(&seed) % PERVMA_TEST_PAGES;
		unsigned long n = 1 + rng_next(&seed) % (PERVMA_TEST_PAGES - first);
		int mode = rng_next(&seed) & 1 ? PERVMA_TEST_MAP_PFN : PERVMA_TEST_MAP_FAULT;
		uint64_t *p = map_dev(mode, first, n);

		check_dev(p, first, n, mode == PERVMA_TEST_MAP_PFN ? "pfn map" : "fault map");
		if (n > 2 && (rng_next(&seed) & 1)) {
			/* Unmap the middle first: two VMAs, each untracked. */
			unmap(p + page_words, 1);
			check_dev(p, first, 1, "pfn map head");
			check_dev(p + 2 * page_words, first + 2, n - 2, "pfn map tail");
			unmap(p, 1);
			unmap(p + 2 * page_words, n - 2);
		} else {
			unmap(p, n);
		}
	}
	return NULL;
}

/* Children map the pages and exit (exit_mmap() untracks), or just exit. */
static void *forker(void *arg)
{
	uint64_t *kept = map_dev(PERVMA_TEST_MAP_PFN, 0, PERVMA_TEST_PAGES);

	(void)arg;
	while (!stopped()) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			die("fork: %m");
		if (!pid) {
			uint64_t *p = map_dev(PERVMA_TEST_MAP_PFN, 0, PERVMA_TEST_PAGES);

			check_dev(p, 0, PERVMA_TEST_PAGES, "child's pfn map");
			check_dev(kept, 0, PERVMA_TEST_PAGES, "inherited pfn map");
			_exit(nr_failures() ? 1 : 0);
		}
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid: %m");
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("a child that mapped the module's pages failed (status %#x)", status);
		count(&n_forks, 1);
	}
	check_dev(kept, 0, PERVMA_TEST_PAGES, "kept pfn map");
	unmap(kept, PERVMA_TEST_PAGES);
	return NULL;
}

static void *remap_faulter(void *arg)
{
	uint64_t seed = (uintptr_t)arg;

	while (!stopped()) {
		unsigned long first = rng_next(&seed) % PERVMA_TEST_PAGES;
		unsigned long n = 1 + rng_next(&seed) % (PERVMA_TEST_PAGES - first);
		uint64_t *p = map_dev(PERVMA_TEST_MAP_REMAP, first, n);

		check_dev(p, first, n, "remap-at-fault map");
		unmap(p, n);
	}
	return NULL;
}

static void *remap_page_faulter(void *arg)
{
	uint64_t seed = (uintptr_t)arg;

	while (!stopped()) {
		unsigned long first = rng_next(&seed) % (PERVMA_TEST_PAGES - 1);
		unsigned long n = 2 + rng_next(&seed) % (PERVMA_TEST_PAGES - first - 1);
		uint64_t *p = map_dev(PERVMA_TEST_MAP_REMAP_PAGE, first, n);

		check_dev(p, first, n, "remap-page-at-fault map");
		unmap(p, n);
	}
	return NULL;
}

static void *misuser(void *arg)
{
	(void)arg;
	while (!stopped()) {
		if (ioctl(dev_fd, PERVMA_TEST_IOC_MISUSE, (unsigned long)anon))
			die("ioctl(PERVMA_TEST_IOC_MISUSE): %m");
		count(&n_misuse, 1);
	}
	return NULL;
}

static void *registrar(void *arg)
{
	(void)arg;
	while (!stopped()) {
		if (ioctl(dev_fd, PERVMA_TEST_IOC_TAKE_ALL_LOCKS))
			die("ioctl(PERVMA_TEST_IOC_TAKE_ALL_LOCKS): %m");
		count(&n_regs, 1);
	}
	return NULL;
}

/* Run @fns (a NULL-terminated list) in threads for run_seconds. */
static void run_threads(void *(*const *fns)(void *))
{
	pthread_t tid[16];
	int n = 0;

	__atomic_store_n(&stop, 0, __ATOMIC_SEQ_CST);
	for (; fns[n]; n++)
		if (pthread_create(&tid[n], NULL, fns[n], (void *)(uintptr_t)(n + 1)))
			die("pthread_create failed");
	sleep_until(now_ns() + run_seconds * NSEC_PER_SEC, NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
}

/* Lines of the kernel log that contain @needle; the last one in @last. */
static int klog_count(const char *needle, char *last, size_t lastsz)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *line, *save;
	int len, n = 0;

	if (size <= 0)
		die("klogctl(SIZE_BUFFER): %m");
	buf = malloc(size + 1);
	if (!buf)
		die("out of memory");
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (len < 0)
		die("klogctl(READ_ALL): %m");
	buf[len] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, needle)) {
			n++;
			if (last)
				snprintf(last, lastsz, "%s", line);
		}
	}
	free(buf);
	return n;
}

static void map_anon_area(void)
{
	anon = map_isolated(ANON_PAGES * page_size);
	for (unsigned long pg = 0; pg < ANON_PAGES; pg++)
		anon[pg * page_words] = pg | 0xa000;	/* and an anon_vma */
}

static int mode_pfnmap(void)
{
	static void *(*const fns[])(void *) = {
		pfn_mapper, pfn_mapper, forker, writer, NULL
	};

	run_threads(fns);
	msg("%llu maps, %llu pages checked, %llu forks, %llu writer rounds",
	    (unsigned long long)n_maps, (unsigned long long)n_pages,
	    (unsigned long long)n_forks, (unsigned long long)n_writer);
	require_nonzero("pfn maps", n_maps);
	require_nonzero("forks", n_forks);
	require_nonzero("writer rounds", n_writer);
	return 0;
}

static int mode_remap(void)
{
	static void *(*const fns[])(void *) = {
		remap_faulter, remap_faulter, remap_faulter, writer, NULL
	};

	run_threads(fns);
	msg("%llu maps, %llu pages checked, %llu writer rounds",
	    (unsigned long long)n_maps, (unsigned long long)n_pages,
	    (unsigned long long)n_writer);
	require_nonzero("remap-at-fault maps", n_maps);
	require_nonzero("pages checked", n_pages);
	if (klog_count(MISUSE_MSG, NULL, 0) > 1)
		fail("the kernel said \"" MISUSE_MSG "\" more than once");
	return 0;
}

static int mode_remap_page(void)
{
	static void *(*const fns[])(void *) = {
		remap_page_faulter, remap_page_faulter, remap_page_faulter, writer, NULL
	};

	run_threads(fns);
	msg("%llu maps, %llu pages checked, %llu writer rounds",
	    (unsigned long long)n_maps, (unsigned long long)n_pages,
	    (unsigned long long)n_writer);
	require_nonzero("remap-page-at-fault maps", n_maps);
	require_nonzero("pages checked", n_pages);
	return 0;
}

/*
 * The misuse runs in a child: if it hangs (tasks asleep for good in the
 * VMA writer path, holding the mmap_lock), the parent can still report.
 */
static int mode_misuse(void)
{
	static void *(*const fns[])(void *) = {
		misuser, misuser, misuser, misuser, anon_faulter, anon_faulter,
		writer, NULL
	};
	uint64_t *done = map_shared(page_size);
	char line[512] = "";
	uint64_t deadline;
	int status, n;
	pid_t pid;

	if (klog_count(MISUSE_MSG, NULL, 0))
		fail("the kernel said \"" MISUSE_MSG "\" before this test: run it first");
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (!pid) {
		map_anon_area();
		run_threads(fns);
		msg("%llu misuses, %llu anonymous faults, %llu writer rounds",
		    (unsigned long long)n_misuse, (unsigned long long)n_faults,
		    (unsigned long long)n_writer);
		require_nonzero("misuses", n_misuse);
		require_nonzero("anonymous faults", n_faults);
		require_nonzero("writer rounds", n_writer);
		done[0] = 1;
		_exit(nr_failures() ? 1 : 0);
	}
	deadline = now_ns() + (run_seconds + 30) * NSEC_PER_SEC;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ns() > deadline) {
			fail("the misusing threads did not finish %lu s after they were told to: "
			     "stuck in the VMA writer path?", run_seconds + 30);
			return 1;
		}
		usleep(100000);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) || !done[0])
		fail("the misuse child failed (status %#x)", status);
	n = klog_count(MISUSE_MSG, line, sizeof(line));
	if (!(ioctl(dev_fd, PERVMA_TEST_IOC_INFO) & PERVMA_TEST_HAS_PER_VMA_LOCK)) {
		/* No VMA lock: vm_flags_set() writes, as it always did. */
		if (n)
			fail("a kernel without per-VMA locks said \"" MISUSE_MSG "\"");
	} else if (n != 1) {
		fail("the kernel said \"" MISUSE_MSG "\" %d times, want once", n);
	} else if (!strstr(line, "[pervma_test]")) {
		/* The call site: pt_misuse() or the module's copy of an inline. */
		fail("the kernel's message does not name the module: %s", line);
	} else if (!klog_count("pt_misuse+", NULL, 0)) {
		fail("the kernel's stack dump does not name pt_misuse()");
	} else {
		msg("kernel: %s", line);
	}
	return 0;
}

static int mode_take_all_locks(void)
{
	static void *(*const fns[])(void *) = {
		registrar, anon_faulter, anon_faulter, NULL
	};
	size_t hlen = 2 << 20;
	char *huge;
	int fd;

	fd = open("/proc/sys/vm/nr_hugepages", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "2", 1) != 1)
			msg("cannot reserve huge pages: %m");
		close(fd);
	}
	huge = mmap(NULL, hlen, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (huge == MAP_FAILED) {
		msg("skip: no hugetlb mapping (%m): the kernel has no CONFIG_HUGETLBFS or no huge pages");
		return 4;
	}
	huge[0] = 1;
	if (ioctl(dev_fd, PERVMA_TEST_IOC_TAKE_ALL_LOCKS)) {
		if (errno == EOPNOTSUPP) {
			msg("skip: the kernel has no CONFIG_MMU_NOTIFIER");
			return 4;
		}
		die("ioctl(PERVMA_TEST_IOC_TAKE_ALL_LOCKS): %m");
	}
	map_anon_area();
	run_threads(fns);
	if (huge[0] != 1)
		fail("the hugetlb page holds %d, want 1", huge[0]);
	msg("%llu mmu_notifier registrations, %llu anonymous faults",
	    (unsigned long long)n_regs, (unsigned long long)n_faults);
	require_nonzero("registrations", n_regs);
	require_nonzero("anonymous faults", n_faults);
	return 0;
}

static long abi_flags(int fd, void *addr)
{
	long ret = ioctl(fd, 0, (unsigned long)addr);

	if (ret < 0)
		die("ioctl(/dev/pervma_abi) of %p: %m", addr);
	return ret;
}

static int mode_abi(void)
{
	unsigned long want = VM_DONTEXPAND_FLAG | VM_DONTDUMP_FLAG | VM_DONTCOPY_FLAG;
	unsigned long flags;
	void *p;
	int fd;

	if (has_lockdep()) {
		msg("skip: loading a proprietary module would turn lock debugging off");
		return 4;
	}
	if (!load_module("pervma_abi"))
		return 4;
	fd = open_dev("/dev/pervma_abi");
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap /dev/pervma_abi: %m");
	flags = abi_flags(fd, p);
	if ((flags & want) != want || (flags & (VM_EXEC_FLAG | VM_MAYEXEC_FLAG)))
		fail("the module's ->mmap left vm_flags %#lx: want %#lx set, VM_EXEC and VM_MAYEXEC clear",
		     flags, want);
	map_anon_area();
	flags = abi_flags(fd, anon);
	if ((flags & 3) != 3)
		fail("the module read vm_flags %#lx for an anonymous read-write VMA", flags);
	if (ioctl(fd, 1, (unsigned long)anon) < 0)
		die("ioctl(/dev/pervma_abi, 1) of %p: %m", (void *)anon);
	flags = abi_flags(fd, anon);
	if (!(flags & VM_DONTDUMP_FLAG))
		fail("the module set VM_DONTDUMP under the write lock, but vm_flags are %#lx", flags);
	msg("module's mapping: vm_flags %#lx", abi_flags(fd, p));
	return 0;
}

static void usage(void)
{
	printf("usage: %s --mode pfnmap|remap|remap-page|misuse|take-all-locks|abi [--seconds N]\n",
	       prog_name);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *mode = NULL;
	int c, ret;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			mode = optarg;
			break;
		case 's':
			run_seconds = parse_ulong("seconds", optarg, 1, 86400);
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage_hint();
		}
	}
	no_more_args(argc, argv);
	if (!mode)
		usage_error("--mode is required");
	if (strcmp(mode, "pfnmap") && strcmp(mode, "remap") && strcmp(mode, "remap-page") &&
	    strcmp(mode, "misuse") && strcmp(mode, "take-all-locks") && strcmp(mode, "abi"))
		usage_error("--mode: unknown mode '%s'", mode);

	if (!strcmp(mode, "abi")) {
		ret = mode_abi();
	} else {
		if (!load_module("pervma_test"))
			return 4;
		dev_fd = open_dev(PERVMA_TEST_DEV);
		if (!strcmp(mode, "pfnmap"))
			ret = mode_pfnmap();
		else if (!strcmp(mode, "remap"))
			ret = mode_remap();
		else if (!strcmp(mode, "remap-page"))
			ret = mode_remap_page();
		else if (!strcmp(mode, "misuse"))
			ret = mode_misuse();
		else
			ret = mode_take_all_locks();
	}
	if (ret == 4)
		return 4;
	if (nr_failures()) {
		msg("FAIL: %d failure(s)", nr_failures());
		return 1;
	}
	return ret;
}
