// SPDX-License-Identifier: GPL-2.0
/*
 * mm_integrity - memory integrity stress test for per-VMA locking.
 *
 * Faulter threads each map a private anonymous VMA of their own, fault every
 * page in by writing checksummed content, verify every page and unmap it,
 * round after round.  Meanwhile churn threads take mmap_lock for write on
 * *other* VMAs: mmap/munmap, mprotect RW<->RO, mremap grow+move, madvise
 * (MADV_DONTNEED) and fork().  A fork child checks its copy of the churn
 * region and of one faulter's region.  Any word that does not read back as
 * expected is reported ("CORRUPTION: ...") and the test exits 1.
 *
 * Page layout: a header of magic, owner/page tag, round and the checksum of
 * the body, then the body: PRNG words derived from (owner, round, page).
 * Pages are written in ascending word order, one page after the other, so a
 * snapshot taken by fork() in the middle of a fill holds whole pages, at
 * most one partly written page and then untouched (zero) pages.
 */
#include "common.h"

#define MAX_FAULTERS	64
#define NR_CHURN	2	/* churn threads */
#define CHURN_PAGES	16	/* pages in a churn thread's region */
#define TMP_PAGES	8	/* pages of the mmap/munmap scratch mapping */
#define GROW_PAGES	8	/* pages added by the mremap grow */
#define CHILD_PAGES	4	/* churn pages a fork child rewrites */

#define PAGE_MAGIC	0x706572766d610001ULL
#define HDR_WORDS	4	/* magic, tag, round, checksum of the body */
#define CHURN_OWNER	0x100	/* churn thread c owns pages as 0x100 + c */

enum churn_op { OP_MMAP, OP_MPROTECT, OP_MREMAP, OP_MADVISE, OP_FORK, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"churn mmap/munmap ops", "churn mprotect ops", "churn mremap ops",
	"churn madvise ops", "churn fork ops",
};

struct faulter {
	pthread_t thread;
	unsigned int id;
	/*
	 * The region being worked on (NULL while none is mapped) and its
	 * round, for fork children to check.
	 */
	uint64_t *region;
	uint64_t round;
	uint64_t faulted;
	uint64_t verified;
};

struct churn {
	pthread_t thread;
	unsigned int id;
	uint64_t *region;	/* CHURN_PAGES pages */
	uint64_t gen;		/* round the region content was written in */
	uint64_t ops[NR_OPS];
	uint64_t moves;		/* mremaps that moved the region */
};

/* Counted by fork children in shared memory. */
struct child_stats {
	uint64_t pages;		/* faulter pages checked */
	uint64_t partial;	/* of those, caught partly written */
};

static struct stress_opts opt = {
	.seconds = 5, .threads = 2, .max_threads = MAX_FAULTERS, .pages = 256,
};

static struct faulter faulters[MAX_FAULTERS];
static struct churn churners[NR_CHURN];
static struct child_stats *child_stats;
static int stop;

static bool stopping(void)
{
	return __atomic_load_n(&stop, __ATOMIC_SEQ_CST);
}

static uint64_t *page_at(uint64_t *region, size_t idx)
{
	return region + idx * page_words;
}

static uint64_t page_tag(unsigned int owner, size_t idx)
{
	return (uint64_t)owner << 32 | idx;
}

/* Generates the content of one page, word by word. */
struct page_gen {
	uint64_t tag;
	uint64_t round;
	uint64_t rng;
	uint64_t sum;
	size_t i;
};

static void gen_init(struct page_gen *g, unsigned int owner, uint64_t round,
		     size_t idx)
{
	uint64_t rng;

	g->tag = page_tag(owner, idx);
	g->round = round;
	g->rng = mix64(g->tag ^ mix64(round));
	g->i = 0;

	/* The header comes first, so checksum the body ahead of time. */
	rng = g->rng;
	g->sum = CSUM_INIT;
	for (size_t i = HDR_WORDS; i < page_words; i++)
		g->sum = csum_step(g->sum, rng_next(&rng));
}

static uint64_t gen_next(struct page_gen *g)
{
	switch (g->i++) {
	case 0:
		return PAGE_MAGIC;
	case 1:
		return g->tag;
	case 2:
		return g->round;
	case 3:
		return g->sum;
	default:
		return rng_next(&g->rng);
	}
}

static const char *owner_kind(unsigned int owner)
{
	return owner >= CHURN_OWNER ? "churn" : "faulter";
}

static unsigned int owner_id(unsigned int owner)
{
	return owner >= CHURN_OWNER ? owner - CHURN_OWNER : owner;
}

/* Write the page in ascending word order; volatile keeps that order. */
static void page_fill(uint64_t *pg, unsigned int owner, uint64_t round,
		      size_t idx)
{
	volatile uint64_t *p = pg;
	struct page_gen g;

	gen_init(&g, owner, round, idx);
	for (size_t i = 0; i < page_words; i++)
		p[i] = gen_next(&g);
}

/*
 * Check a page written by page_fill(): its header must name the expected
 * owner, page and round and the body must match the header's checksum.  On
 * a mismatch find the first wrong word by regenerating the content, report
 * it and return false.  @what says who was checking.
 */
static bool page_verify(const uint64_t *pg, unsigned int owner,
			uint64_t round, size_t idx, const char *what)
{
	size_t i, first = 0, bad = 0;
	uint64_t first_want = 0;
	struct page_gen g;

	if (pg[0] == PAGE_MAGIC && pg[1] == page_tag(owner, idx) &&
	    pg[2] == round &&
	    pg[3] == csum_words(pg + HDR_WORDS, page_words - HDR_WORDS))
		return true;

	gen_init(&g, owner, round, idx);
	for (i = 0; i < page_words; i++) {
		uint64_t want = gen_next(&g);

		if (pg[i] == want)
			continue;
		if (!bad++) {
			first = i;
			first_want = want;
		}
	}
	if (!bad) {
		fail("CORRUPTION: [%s] %s %u round %llu page %zu failed its header/checksum check but reads back correct now: it changed while being checked",
		     what, owner_kind(owner), owner_id(owner),
		     (unsigned long long)round, idx);
		return false;
	}
	fail("CORRUPTION: [%s] %s %u round %llu page %zu word at offset %#zx: expected %#llx, got %#llx (%zu of %zu words wrong)",
	     what, owner_kind(owner), owner_id(owner), (unsigned long long)round,
	     idx, first * sizeof(uint64_t), (unsigned long long)first_want,
	     (unsigned long long)pg[first], bad, page_words);
	return false;
}

/* Check that a page reads as zeroes, e.g. after MADV_DONTNEED. */
static bool page_zero(const uint64_t *pg, unsigned int owner, size_t idx,
		      const char *what)
{
	for (size_t i = 0; i < page_words; i++) {
		if (!pg[i])
			continue;
		fail("CORRUPTION: [%s] %s %u page %zu word at offset %#zx: expected 0, got %#llx",
		     what, owner_kind(owner), owner_id(owner), idx,
		     i * sizeof(uint64_t), (unsigned long long)pg[i]);
		return false;
	}
	return true;
}

/*
 * Check a page that may be in the middle of page_fill(): it must hold a
 * correct prefix of its content followed by zeroes only.  Returns the
 * number of words in the prefix, or -1 after reporting a mismatch.
 */
static long page_prefix(const uint64_t *pg, unsigned int owner,
			uint64_t round, size_t idx, const char *what)
{
	uint64_t want = 0;
	struct page_gen g;
	size_t i, len;

	gen_init(&g, owner, round, idx);
	for (len = 0; len < page_words; len++) {
		want = gen_next(&g);
		if (pg[len] != want)
			break;
	}
	for (i = len; i < page_words; i++) {
		if (!pg[i])
			continue;
		fail("CORRUPTION: [%s] %s %u round %llu page %zu word at offset %#zx: got %#llx, but the correct content stops at offset %#zx (which should be %#llx) and everything after it must still be zero",
		     what, owner_kind(owner), owner_id(owner),
		     (unsigned long long)round, idx, i * sizeof(uint64_t),
		     (unsigned long long)pg[i], len * sizeof(uint64_t),
		     (unsigned long long)want);
		return -1;
	}
	return len;
}

/* Flip one byte of a page that was written, behind the test's back. */
static void inject_corruption(uint64_t *region, uint64_t round)
{
	size_t idx = opt.pages / 2;
	size_t off = page_words / 2 * sizeof(uint64_t) + 3;

	msg("--inject-corruption: flipping the byte at offset %#zx of faulter 0 round %llu page %zu",
	    off, (unsigned long long)round, idx);
	((volatile uint8_t *)page_at(region, idx))[off] ^= 0x40;
}

static void *faulter_fn(void *arg)
{
	struct faulter *f = arg;
	size_t len = opt.pages * page_size;
	uint64_t round = 0;
	size_t p;

	do {
		uint64_t *region = map_isolated(len);

		__atomic_store_n(&f->round, round, __ATOMIC_RELAXED);
		__atomic_store_n(&f->region, region, __ATOMIC_RELEASE);

		for (p = 0; p < opt.pages; p++)
			page_fill(page_at(region, p), f->id, round, p);
		f->faulted += opt.pages;

		if (opt.inject && f->id == 0 && round == 0)
			inject_corruption(region, round);

		for (p = 0; p < opt.pages; p++)
			page_verify(page_at(region, p), f->id, round, p,
				    "faulter verify");
		f->verified += opt.pages;

		/*
		 * Unpublish before unmapping, with a full barrier, so that a
		 * fork child which sees the region also has it mapped.
		 */
		__atomic_store_n(&f->region, NULL, __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		unmap_isolated(region, len);
		round++;
	} while (!stopping());
	return NULL;
}

static unsigned int churn_owner(const struct churn *c)
{
	return CHURN_OWNER + c->id;
}

static bool churn_verify(const struct churn *c, uint64_t gen, size_t from,
			 size_t to, const char *what)
{
	bool ok = true;

	for (size_t p = from; p < to; p++)
		ok &= page_verify(page_at(c->region, p), churn_owner(c), gen, p,
				  what);
	return ok;
}

/* Rewrite the whole churn region with a new generation and verify it. */
static void churn_refill(struct churn *c, const char *what)
{
	c->gen++;
	for (size_t p = 0; p < CHURN_PAGES; p++)
		page_fill(page_at(c->region, p), churn_owner(c), c->gen, p);
	churn_verify(c, c->gen, 0, CHURN_PAGES, what);
}

/* Map a scratch region, fault it in, verify it and unmap it. */
static void op_mmap(struct churn *c)
{
	size_t len = TMP_PAGES * page_size;
	uint64_t *tmp = map_anon(len, PROT_READ | PROT_WRITE);
	uint64_t round = c->ops[OP_MMAP];
	size_t p;

	for (p = 0; p < TMP_PAGES; p++)
		page_fill(page_at(tmp, p), churn_owner(c), round, p);
	for (p = 0; p < TMP_PAGES; p++)
		page_verify(page_at(tmp, p), churn_owner(c), round, p,
			    "churn mmap");
	if (munmap(tmp, len))
		die("munmap: %m");
}

/* Make the region read-only, check it reads correctly, make it RW again. */
static void op_mprotect(struct churn *c)
{
	size_t len = CHURN_PAGES * page_size;

	if (mprotect(c->region, len, PROT_READ))
		die("mprotect(PROT_READ): %m");
	churn_verify(c, c->gen, 0, CHURN_PAGES, "churn mprotect RO");
	if (mprotect(c->region, len, PROT_READ | PROT_WRITE))
		die("mprotect(PROT_READ|PROT_WRITE): %m");
	churn_refill(c, "churn mprotect RW");
}

/*
 * Grow the region with mremap(), every other time forcing a move to a new
 * address with MREMAP_FIXED, check that the content moved along and the new
 * tail is zero, then shrink it back in place.
 */
static void op_mremap(struct churn *c)
{
	size_t len = CHURN_PAGES * page_size;
	size_t big = (CHURN_PAGES + GROW_PAGES) * page_size;
	uint64_t *old = c->region;
	void *p;

	if (c->ops[OP_MREMAP] & 1) {
		void *dst = map_anon(big, PROT_NONE);

		p = mremap(old, len, big, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	} else {
		p = mremap(old, len, big, MREMAP_MAYMOVE);
	}
	if (p == MAP_FAILED)
		die("mremap grow from %zu to %zu bytes: %m", len, big);
	c->region = p;
	c->moves += c->region != old;

	churn_verify(c, c->gen, 0, CHURN_PAGES, "churn mremap grow");
	for (size_t i = CHURN_PAGES; i < CHURN_PAGES + GROW_PAGES; i++)
		page_zero(page_at(c->region, i), churn_owner(c), i,
			  "churn mremap grow tail");

	if (mremap(c->region, big, len, 0) == MAP_FAILED)
		die("mremap shrink from %zu to %zu bytes: %m", big, len);
	churn_verify(c, c->gen, 0, CHURN_PAGES, "churn mremap shrink");
}

/* Drop the pages, check they read as zero, refill. */
static void op_madvise(struct churn *c)
{
	if (madvise(c->region, CHURN_PAGES * page_size, MADV_DONTNEED))
		die("madvise(MADV_DONTNEED): %m");
	for (size_t p = 0; p < CHURN_PAGES; p++)
		page_zero(page_at(c->region, p), churn_owner(c), p,
			  "churn madvise");
	churn_refill(c, "churn madvise refill");
}

/*
 * Check the child's copy of faulter @f's region: whole pages of the
 * published round, then at most one partly written page, then untouched
 * (zero) pages.
 */
static bool child_check_faulter(struct faulter *f)
{
	uint64_t *region = __atomic_load_n(&f->region, __ATOMIC_ACQUIRE);
	uint64_t round = f->round;
	size_t p, incomplete = 0, partial = 0;
	bool seen_incomplete = false;

	if (!region)
		return true;	/* the faulter was between two rounds */

	for (p = 0; p < opt.pages; p++) {
		long len = page_prefix(page_at(region, p), f->id, round, p,
				       "fork child");

		if (len < 0)
			return false;
		if (seen_incomplete && len) {
			fail("CORRUPTION: [fork child] faulter %u round %llu page %zu holds data although page %zu before it is incomplete, but pages are filled in ascending order",
			     f->id, (unsigned long long)round, p, incomplete);
			return false;
		}
		if ((size_t)len == page_words || seen_incomplete)
			continue;
		seen_incomplete = true;
		incomplete = p;
		partial += len > 0;
	}
	__atomic_add_fetch(&child_stats->pages, opt.pages, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&child_stats->partial, partial, __ATOMIC_SEQ_CST);
	return true;
}

static bool fork_child(struct churn *c, struct faulter *f)
{
	uint64_t gen = ~c->gen;	/* differs from any parent generation */
	bool ok;
	size_t p;

	ok = churn_verify(c, c->gen, 0, CHURN_PAGES, "fork child copy");
	for (p = 0; p < CHILD_PAGES; p++)
		page_fill(page_at(c->region, p), churn_owner(c), gen, p);
	for (p = 0; p < CHILD_PAGES; p++)
		ok &= page_verify(page_at(c->region, p), churn_owner(c), gen,
				  p, "fork child write");
	ok &= churn_verify(c, c->gen, CHILD_PAGES, CHURN_PAGES,
			   "fork child untouched");
	return child_check_faulter(f) && ok;
}

/*
 * Fork a child that checks its copies of the churn region and of one
 * faulter's region; then check that the child's writes did not leak into
 * the parent.
 */
static void op_fork(struct churn *c)
{
	struct faulter *f = &faulters[c->ops[OP_FORK] % opt.threads];
	pid_t pid = fork_or_die();

	if (!pid)
		_exit(fork_child(c, f) ? 0 : 1);
	if (!reap_child(pid, "fork child"))
		fail("fork child of churn thread %u failed (see above)", c->id);
	churn_verify(c, c->gen, 0, CHURN_PAGES, "churn after fork");
}

static void (*const churn_ops[NR_OPS])(struct churn *c) = {
	op_mmap, op_mprotect, op_mremap, op_madvise, op_fork,
};

static void *churn_fn(void *arg)
{
	struct churn *c = arg;

	c->region = map_anon(CHURN_PAGES * page_size, PROT_READ | PROT_WRITE);
	churn_refill(c, "churn initial fill");
	do {
		for (int op = 0; op < NR_OPS; op++) {
			churn_ops[op](c);
			c->ops[op]++;
		}
	} while (!stopping());
	if (munmap(c->region, CHURN_PAGES * page_size))
		die("munmap: %m");
	return NULL;
}

static void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Memory integrity stress test for per-VMA locking.  Faulter threads fault\n"
	       "in and verify checksummed pages of their own VMAs, round after round,\n"
	       "while %d churn threads run mmap/munmap, mprotect, mremap, madvise and\n"
	       "fork() on other VMAs.  Exits 0 if every page read back correctly, 1 on\n"
	       "any corruption or error, 2 on a bad command line.\n"
	       "\n"
	       "Options:\n"
	       "  --seconds N          run time (default %lu)\n"
	       "  --threads N          faulter threads, 1-%d (default %lu)\n"
	       "  --pages N            pages per faulter region (default %lu)\n"
	       "  --inject-corruption  flip a byte of one written page behind the\n"
	       "                       test's back; the test must then fail\n"
	       "  --help               show this help\n",
	       prog_name, NR_CHURN, opt.seconds, MAX_FAULTERS, opt.threads,
	       opt.pages);
}

int main(int argc, char **argv)
{
	uint64_t faulted = 0, verified = 0, op_count[NR_OPS] = { 0 }, moves = 0;
	uint64_t start;
	unsigned int i;
	int op;

	prog_init(argv[0]);
	parse_stress_args(argc, argv, &opt, usage);
	printf("%s: %lu faulter thread(s) x %lu pages, %d churn threads, %lu s, page size %zu%s\n",
	       prog_name, opt.threads, opt.pages, NR_CHURN, opt.seconds,
	       page_size, opt.inject ? ", injecting corruption" : "");

	child_stats = map_shared(sizeof(*child_stats));
	start = now_ns();
	for (i = 0; i < opt.threads; i++) {
		faulters[i].id = i;
		start_thread(&faulters[i].thread, faulter_fn, &faulters[i]);
	}
	for (i = 0; i < NR_CHURN; i++) {
		churners[i].id = i;
		start_thread(&churners[i].thread, churn_fn, &churners[i]);
	}

	sleep_until(start + opt.seconds * NSEC_PER_SEC, &failures);
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);

	for (i = 0; i < opt.threads; i++) {
		join_thread(faulters[i].thread);
		faulted += faulters[i].faulted;
		verified += faulters[i].verified;
	}
	for (i = 0; i < NR_CHURN; i++) {
		join_thread(churners[i].thread);
		for (op = 0; op < NR_OPS; op++)
			op_count[op] += churners[i].ops[op];
		moves += churners[i].moves;
	}

	printf("%s: faulter pages: %llu faulted, %llu verified\n", prog_name,
	       (unsigned long long)faulted, (unsigned long long)verified);
	printf("%s: churn ops: mmap/munmap %llu, mprotect %llu, mremap %llu (%llu moved), madvise %llu, fork %llu\n",
	       prog_name, (unsigned long long)op_count[OP_MMAP],
	       (unsigned long long)op_count[OP_MPROTECT],
	       (unsigned long long)op_count[OP_MREMAP],
	       (unsigned long long)moves,
	       (unsigned long long)op_count[OP_MADVISE],
	       (unsigned long long)op_count[OP_FORK]);
	printf("%s: fork children checked %llu faulter pages (%llu caught partly written)\n",
	       prog_name, (unsigned long long)child_stats->pages,
	       (unsigned long long)child_stats->partial);
	printf("%s: run time %.1f s\n", prog_name,
	       (now_ns() - start) / 1e9);

	if (!nr_failures()) {	/* else the run was cut short */
		require_nonzero("pages faulted", faulted);
		require_nonzero("pages verified", verified);
		for (op = 0; op < NR_OPS; op++)
			require_nonzero(op_names[op], op_count[op]);
		require_nonzero("faulter pages checked by fork children",
				child_stats->pages);
	}
	if (opt.inject && !nr_failures())
		fail("--inject-corruption: the injected corruption was NOT detected");

	if (nr_failures()) {
		printf("%s: FAIL (%d failure(s))\n", prog_name, nr_failures());
		return 1;
	}
	printf("%s: PASS\n", prog_name);
	return 0;
}
