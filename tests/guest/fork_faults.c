// SPDX-License-Identifier: GPL-2.0
/*
 * fork_faults - fork() while other threads keep writing to their memory.
 *
 * Writer threads rewrite their own region over and over: in round r every
 * 64-bit word gets a value encoding (writer, r), in ascending address order,
 * and then the whole region is read back and must hold round r everywhere.
 * A write lost because a page fault raced with fork() -- the per-VMA lock
 * fork bug, kernel bugzilla 217624 -- shows up there as an older round.
 *
 * Meanwhile the main thread forks again and again.  Each child checks its
 * copy of every writer region: fork() stops the writer at some point of its
 * ascending sweep, so the copy must read as round v up to that point and
 * round v - 1 after it (or all one round), where round v - 1 or v is the
 * last one the writer had completed.  The child then overwrites its copy,
 * reads it back and exits 0 on success, 1 on failure.  At the end the parent
 * checks once more that every writer's data is intact.
 */
#include "common.h"

#define MAX_WRITERS	64
#define VAL_MAGIC	0xf0f0ULL
#define CHILD_ROUND	0xffffffffULL	/* rounds a fork child writes */

struct writer {
	pthread_t thread;
	unsigned int id;
	uint64_t *region;
	uint64_t done;		/* last round written and verified */
	uint64_t verified;	/* pages verified by the writer */
};

/* Counted by fork children in shared memory. */
struct child_stats {
	uint64_t pages;		/* writer pages checked */
	uint64_t mid_round;	/* snapshots that caught a sweep midway */
};

static struct stress_opts opt = {
	.seconds = 5, .threads = 2, .max_threads = MAX_WRITERS, .pages = 128,
};

static struct writer writers[MAX_WRITERS];
static struct child_stats *child_stats;
static uint64_t nr_forks;
static bool injected;
static int stop;

static uint64_t val(unsigned int writer, uint64_t round)
{
	return VAL_MAGIC << 48 | (uint64_t)writer << 32 | (uint32_t)round;
}

static bool val_ok(uint64_t v, unsigned int writer)
{
	return v >> 48 == VAL_MAGIC && (v >> 32 & 0xffff) == writer;
}

static uint64_t val_round(uint64_t v)
{
	return (uint32_t)v;
}

static size_t region_words(void)
{
	return opt.pages * page_words;
}

/* Write round @round to every word, in ascending order (volatile keeps it). */
static void write_round(struct writer *w, uint64_t round)
{
	volatile uint64_t *p = w->region;
	uint64_t v = val(w->id, round);

	for (size_t i = 0; i < region_words(); i++)
		p[i] = v;
}

/* Check that every word holds round @round; report the first that doesn't. */
static bool check_round(const struct writer *w, uint64_t round,
			const char *what)
{
	const uint64_t *p = w->region;
	uint64_t want = val(w->id, round);
	size_t i, first = 0, bad = 0;

	for (i = 0; i < region_words(); i++) {
		if (p[i] != want && !bad++)
			first = i;
	}
	if (!bad)
		return true;
	if (val_ok(p[first], w->id))
		fail("CORRUPTION: [%s] writer %u page %zu word %zu: expected round %llu, got round %llu (%#llx)%s; %zu word(s) wrong",
		     what, w->id, first / page_words, first % page_words,
		     (unsigned long long)round,
		     (unsigned long long)val_round(p[first]),
		     (unsigned long long)p[first],
		     val_round(p[first]) == CHILD_ROUND ? ", written by a fork child" :
		     val_round(p[first]) < round ? ", an older round: a lost write" : "",
		     bad);
	else
		fail("CORRUPTION: [%s] writer %u page %zu word %zu: expected %#llx, got %#llx, which is no value of this writer; %zu word(s) wrong",
		     what, w->id, first / page_words, first % page_words,
		     (unsigned long long)want, (unsigned long long)p[first],
		     bad);
	return false;
}

/* Put back the previous round's value of one word, as a lost write would. */
static void inject_lost_write(struct writer *w, uint64_t round)
{
	size_t page = opt.pages / 2, word = page_words / 2;

	msg("--inject-corruption: undoing writer %u's round %llu write of page %zu word %zu (a simulated lost write)",
	    w->id, (unsigned long long)round, page, word);
	((volatile uint64_t *)w->region)[page * page_words + word] =
		val(w->id, round - 1);
	injected = true;
}

static void *writer_fn(void *arg)
{
	struct writer *w = arg;
	uint64_t round = w->done;

	do {
		round++;
		write_round(w, round);
		if (opt.inject && w->id == 0 && !injected &&
		    __atomic_load_n(&nr_forks, __ATOMIC_SEQ_CST))
			inject_lost_write(w, round);
		check_round(w, round, "writer");
		w->verified += opt.pages;
		__atomic_store_n(&w->done, round, __ATOMIC_RELEASE);
	} while (!__atomic_load_n(&stop, __ATOMIC_SEQ_CST));
	return NULL;
}

/*
 * Check a fork child's copy of writer @w's region.  The writer had completed
 * round "done" (as the child's copy of @w says) and was possibly writing
 * round done + 1 from the start of its region towards the end.  So the copy
 * must read as round done + 1 up to some word (the write front) and as round
 * done from there on; either part may be empty.
 */
static bool child_check_writer(const struct writer *w)
{
	uint64_t done = __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
	uint64_t cur = done + 1;	/* round expected before the front */
	const uint64_t *p = w->region;
	bool mid_round = false;

	for (size_t i = 0; i < region_words(); i++) {
		uint64_t r = val_round(p[i]);

		if (!val_ok(p[i], w->id)) {
			fail("CORRUPTION: [fork child] writer %u page %zu word %zu: got %#llx, which is no value of this writer",
			     w->id, i / page_words, i % page_words,
			     (unsigned long long)p[i]);
			return false;
		}
		if (r == cur)
			continue;
		if (r == done && cur == done + 1) {
			mid_round = i > 0;
			cur = done;
			continue;
		}
		fail("CORRUPTION: [fork child] writer %u page %zu word %zu: got round %llu, expected round %llu (writer had completed round %llu at fork time; a copy must read as round %llu up to the write front and round %llu after it)",
		     w->id, i / page_words, i % page_words,
		     (unsigned long long)r, (unsigned long long)cur,
		     (unsigned long long)done, (unsigned long long)done + 1,
		     (unsigned long long)done);
		return false;
	}
	__atomic_add_fetch(&child_stats->pages, opt.pages, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&child_stats->mid_round, mid_round,
			   __ATOMIC_SEQ_CST);
	return true;
}

/* Runs in a fork child, where only this thread exists. */
static bool child_check(void)
{
	bool ok = true;
	unsigned int i;

	for (i = 0; i < opt.threads; i++)
		ok &= child_check_writer(&writers[i]);
	for (i = 0; i < opt.threads; i++) {
		write_round(&writers[i], CHILD_ROUND);
		ok &= check_round(&writers[i], CHILD_ROUND,
				  "fork child write");
	}
	return ok;
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "fork() under page faults.  Writer threads keep rewriting and\n"
	       "re-verifying their own pages while the main thread forks; every child\n"
	       "checks that its copy is a consistent snapshot and the writers check\n"
	       "that no write was lost.  Exits 0 on success, 1 on any corruption or\n"
	       "error, 2 on a bad command line.\n"
	       "\n"
	       "Options:\n"
	       "  --seconds N          run time (default %lu)\n"
	       "  --threads N          writer threads, 1-%d (default %lu)\n"
	       "  --pages N            pages per writer region (default %lu)\n"
	       "  --inject-corruption  undo one write of writer 0 after the first\n"
	       "                       fork (a simulated lost write); the test must\n"
	       "                       then fail\n"
	       "  --help               show this help\n",
	       prog_name, opt.seconds, MAX_WRITERS, opt.threads, opt.pages);
}

int main(int argc, char **argv)
{
	uint64_t start, deadline, rounds = 0, verified = 0, final = 0;
	unsigned int i;

	prog_init(argv[0]);
	parse_stress_args(argc, argv, &opt, usage);
	printf("%s: %lu writer thread(s) x %lu pages, %lu s, page size %zu%s\n",
	       prog_name, opt.threads, opt.pages, opt.seconds, page_size,
	       opt.inject ? ", injecting a lost write" : "");

	child_stats = map_shared(sizeof(*child_stats));
	for (i = 0; i < opt.threads; i++) {
		struct writer *w = &writers[i];

		w->id = i;
		w->region = map_isolated(opt.pages * page_size);
		write_round(w, 0);	/* so that fork children find round 0 */
		start_thread(&w->thread, writer_fn, w);
	}

	start = now_ns();
	deadline = start + opt.seconds * NSEC_PER_SEC;
	do {
		pid_t pid = fork_or_die();

		if (!pid)
			_exit(child_check() ? 0 : 1);
		if (!reap_child(pid, "fork child"))
			fail("fork child %llu found a problem (see above)",
			     (unsigned long long)nr_forks + 1);
		__atomic_add_fetch(&nr_forks, 1, __ATOMIC_SEQ_CST);
	} while (now_ns() < deadline && !nr_failures());

	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < opt.threads; i++) {
		struct writer *w = &writers[i];

		join_thread(w->thread);
		rounds += w->done;
		verified += w->verified;
		check_round(w, w->done, "final check");
		final += opt.pages;
	}

	printf("%s: %llu forks, %llu writer rounds\n", prog_name,
	       (unsigned long long)nr_forks, (unsigned long long)rounds);
	printf("%s: pages verified: %llu by writers, %llu by fork children (%llu snapshots caught a writer mid-round), %llu in the final check\n",
	       prog_name, (unsigned long long)verified,
	       (unsigned long long)child_stats->pages,
	       (unsigned long long)child_stats->mid_round,
	       (unsigned long long)final);
	printf("%s: run time %.1f s\n", prog_name, (now_ns() - start) / 1e9);

	if (!nr_failures()) {	/* else the run was cut short */
		require_nonzero("forks", nr_forks);
		require_nonzero("writer rounds", rounds);
		require_nonzero("pages verified by fork children",
				child_stats->pages);
	}
	if (opt.inject && !injected)
		fail("--inject-corruption: no write was undone (no fork completed?)");
	else if (opt.inject && !nr_failures())
		fail("--inject-corruption: the undone write was NOT detected");

	if (nr_failures()) {
		printf("%s: FAIL (%d failure(s))\n", prog_name, nr_failures());
		return 1;
	}
	printf("%s: PASS\n", prog_name);
	return 0;
}
