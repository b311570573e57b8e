// SPDX-License-Identifier: GPL-2.0
/*
 * pft - page fault benchmark for per-VMA locking.
 *
 * Modes:
 *   faults      N threads each map a fresh anonymous region (a VMA of its
 *               own, THP off), write one byte to each page (one fault per
 *               page) and unmap it, over and over; reports faults/s.  With
 *               --writer one more thread does mmap/mprotect/munmap of a small
 *               unrelated region, taking mmap_lock for write all the time;
 *               its ops/s are reported too.
 *   fault-cost  the same loop in one thread; reports the mean time per
 *               fault, timed around the touch loop only.
 *   fork-cost   with --vmas one-page VMAs mapped and touched, fork a child
 *               that exits at once and wait for it, over and over; reports
 *               the mean time per fork + wait.
 *   all         faults with 1 and 2 threads, each without and with the
 *               writer, then fault-cost and fork-cost.
 *
 * Every result is one line "BENCH <name> <value> <unit>".
 */
#include "../guest/common.h"

#define MAX_THREADS	64
#define MAX_VMAS	30000	/* well below the default vm.max_map_count */
#define WRITER_PAGES	4

enum mode { MODE_FAULTS, MODE_FAULT_COST, MODE_FORK_COST, MODE_ALL };

static const char *const mode_names[] = {
	[MODE_FAULTS] = "faults",
	[MODE_FAULT_COST] = "fault-cost",
	[MODE_FORK_COST] = "fork-cost",
	[MODE_ALL] = "all",
};

struct faulter {
	pthread_t thread;
	uint64_t faults;
	uint64_t touch_ns;	/* time spent in the touch loop */
};

static enum mode opt_mode = MODE_FAULTS;
static unsigned long opt_seconds = 3;
static unsigned long opt_threads = 1;
static unsigned long opt_pages = 1024;
static unsigned long opt_vmas = 256;
static bool opt_writer;

static pthread_barrier_t start_barrier;
static int stop;

static bool stopping(void)
{
	return __atomic_load_n(&stop, __ATOMIC_RELAXED);
}

static void bench(const char *name, double value, const char *unit)
{
	printf("BENCH %s %.1f %s\n", name, value, unit);
}

static void *faulter_fn(void *arg)
{
	struct faulter *f = arg;
	size_t len = opt_pages * page_size;

	pthread_barrier_wait(&start_barrier);
	do {
		char *p = map_isolated(len);
		uint64_t t0 = now_ns();

		for (size_t off = 0; off < len; off += page_size)
			*(volatile char *)(p + off) = 1;
		f->touch_ns += now_ns() - t0;
		unmap_isolated(p, len);
		f->faults += opt_pages;
	} while (!stopping());
	return NULL;
}

/*
 * Take mmap_lock for write over and over, three times per loop.  The region
 * never shares a VMA with a faulter: a faulter's read-write VMA has a
 * PROT_NONE guard page on each side (see map_isolated()).
 */
static void *writer_fn(void *arg)
{
	uint64_t *ops = arg;
	size_t len = WRITER_PAGES * page_size;

	pthread_barrier_wait(&start_barrier);
	do {
		void *p = map_anon(len, PROT_READ | PROT_WRITE);

		if (mprotect(p, len, PROT_READ))
			die("mprotect(PROT_READ): %m");
		if (munmap(p, len))
			die("munmap: %m");
		*ops += 3;
	} while (!stopping());
	return NULL;
}

/* Run the faults loop; @cost: report time per fault instead of faults/s. */
static void run_faults(unsigned int nthreads, bool writer, bool cost)
{
	struct faulter faulters[MAX_THREADS] = { 0 };
	uint64_t start, elapsed, faults = 0, touch_ns = 0, writer_ops = 0;
	pthread_t writer_thread;
	char name[64];
	unsigned int i;
	int err;

	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	err = pthread_barrier_init(&start_barrier, NULL, nthreads + writer + 1);
	if (err)
		die("pthread_barrier_init: %s", strerror(err));
	for (i = 0; i < nthreads; i++)
		start_thread(&faulters[i].thread, faulter_fn, &faulters[i]);
	if (writer)
		start_thread(&writer_thread, writer_fn, &writer_ops);

	pthread_barrier_wait(&start_barrier);
	start = now_ns();
	sleep_until(start + opt_seconds * NSEC_PER_SEC, NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nthreads; i++) {
		join_thread(faulters[i].thread);
		faults += faulters[i].faults;
		touch_ns += faulters[i].touch_ns;
	}
	if (writer)
		join_thread(writer_thread);
	elapsed = now_ns() - start;
	pthread_barrier_destroy(&start_barrier);

	if (cost) {
		bench("fault_ns", (double)touch_ns / faults, "ns/fault");
		return;
	}
	snprintf(name, sizeof(name), "faults_t%u%s", nthreads,
		 writer ? "_writer" : "");
	bench(name, faults * 1e9 / elapsed, "faults/s");
	if (writer) {
		snprintf(name, sizeof(name), "writer_ops_t%u", nthreads);
		bench(name, writer_ops * 1e9 / elapsed, "ops/s");
	}
}

static void run_fork_cost(void)
{
	size_t len = opt_vmas * page_size;
	char *p = map_isolated(len);
	uint64_t start, elapsed, forks = 0;
	char name[64];
	size_t i;

	/* Touch every page, then alternate protections: one VMA per page. */
	for (i = 0; i < opt_vmas; i++)
		p[i * page_size] = 1;
	for (i = 1; i < opt_vmas; i += 2)
		if (mprotect(p + i * page_size, page_size, PROT_READ))
			die("mprotect(PROT_READ): %m");

	start = now_ns();
	do {
		pid_t pid = fork_or_die();

		if (!pid)
			_exit(0);
		if (!reap_child(pid, "fork-cost child"))
			die("fork-cost: the child did not exit cleanly");
		forks++;
	} while (now_ns() - start < opt_seconds * NSEC_PER_SEC);
	elapsed = now_ns() - start;
	unmap_isolated(p, len);

	snprintf(name, sizeof(name), "fork_us_v%lu", opt_vmas);
	bench(name, elapsed / 1e3 / forks, "us/fork");
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Page fault benchmark.  Prints one line per result:\n"
	       "  BENCH <name> <value> <unit>\n"
	       "\n"
	       "Options:\n"
	       "  --mode MODE   what to measure (default %s):\n"
	       "                faults      faults/s of N threads that each map a\n"
	       "                            region, touch every page once and unmap\n"
	       "                            it, over and over (faults_tN[_writer]);\n"
	       "                            with --writer also writer_ops_tN\n"
	       "                fault-cost  mean ns per fault of one such thread,\n"
	       "                            timed around the touch loop (fault_ns)\n"
	       "                fork-cost   mean us per fork + wait of a process\n"
	       "                            with --vmas touched VMAs (fork_us_vN)\n"
	       "                all         faults with 1 and 2 threads, each without\n"
	       "                            and with the writer, fault-cost and\n"
	       "                            fork-cost: 6 runs of --seconds each\n"
	       "  --seconds S   duration of each run (default %lu)\n"
	       "  --threads N   faulting threads for faults, 1-%d (default %lu)\n"
	       "  --writer      faults: add a thread that loops mmap/mprotect/munmap\n"
	       "                of a small region of its own (writer ops/s = 3 per loop)\n"
	       "  --pages N     pages per faulting region (default %lu)\n"
	       "  --vmas N      VMAs for fork-cost, 1-%d (default %lu)\n"
	       "  --help        show this help\n",
	       prog_name, mode_names[opt_mode], opt_seconds, MAX_THREADS,
	       opt_threads, opt_pages, MAX_VMAS, opt_vmas);
}

static enum mode parse_mode(const char *s)
{
	for (size_t m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++)
		if (!strcmp(s, mode_names[m]))
			return m;
	usage_error("--mode: unknown mode '%s' (faults, fault-cost, fork-cost or all)",
		    s);
}

/* Refuse an option that the chosen mode would silently ignore. */
static void only_for(bool given, const char *opt, bool applies,
		     const char *modes)
{
	if (given && !applies)
		usage_error("--%s applies to --mode %s only, not to --mode %s",
			    opt, modes, mode_names[opt_mode]);
}

static void parse_args(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "writer", no_argument, NULL, 'w' },
		{ "pages", required_argument, NULL, 'p' },
		{ "vmas", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool threads = false, pages = false, vmas = false;
	int c;

	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			opt_mode = parse_mode(optarg);
			break;
		case 's':
			opt_seconds = parse_ulong("seconds", optarg, 1, 3600);
			break;
		case 't':
			opt_threads = parse_ulong("threads", optarg, 1,
						  MAX_THREADS);
			threads = true;
			break;
		case 'w':
			opt_writer = true;
			break;
		case 'p':
			opt_pages = parse_ulong("pages", optarg, 1, 1 << 20);
			pages = true;
			break;
		case 'v':
			opt_vmas = parse_ulong("vmas", optarg, 1, MAX_VMAS);
			vmas = true;
			break;
		case 'h':
			usage();
			exit(0);
		default:
			usage_hint();	/* getopt_long() said what is wrong */
		}
	}
	no_more_args(argc, argv);

	only_for(threads, "threads", opt_mode == MODE_FAULTS, "faults");
	only_for(opt_writer, "writer", opt_mode == MODE_FAULTS, "faults");
	only_for(pages, "pages", opt_mode != MODE_FORK_COST,
		 "faults, fault-cost or all");
	only_for(vmas, "vmas",
		 opt_mode == MODE_FORK_COST || opt_mode == MODE_ALL,
		 "fork-cost or all");
}

int main(int argc, char **argv)
{
	prog_init(argv[0]);
	parse_args(argc, argv);

	switch (opt_mode) {
	case MODE_FAULTS:
		run_faults(opt_threads, opt_writer, false);
		break;
	case MODE_FAULT_COST:
		run_faults(1, false, true);
		break;
	case MODE_FORK_COST:
		run_fork_cost();
		break;
	case MODE_ALL:
		run_faults(1, false, false);
		run_faults(1, true, false);
		run_faults(2, false, false);
		run_faults(2, true, false);
		run_faults(1, false, true);
		run_fork_cost();
		break;
	}
	return 0;
}
