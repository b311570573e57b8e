// SPDX-License-Identifier: GPL-2.0
/*
 * vma_races - page faults racing with the VMA changes that per-VMA locking
 * has got wrong upstream.  One race per --mode; every mode checks the data
 * it reads back, not only that nothing crashed (a kernel report on the
 * console fails a guest run as well).  Fault threads (--threads, 2 by
 * default) and one thread changing the VMAs run together for --seconds.
 *
 * mremap  upstream 657b5146955e (anon_vma checked before the VMA lock, a
 *         use-after-free): the data lives in one of two slots; a mover thread
 *         moves it to the other with mremap(MREMAP_MAYMOVE | MREMAP_DONTUNMAP |
 *         MREMAP_FIXED) and back, again and again, which leaves the old slot
 *         mapped but empty and without an anon_vma.  Writer threads bump a
 *         per-page sequence number in word 0 of their pages with
 *         compare-and-swap, through the slot they last saw published, so
 *         they keep faulting in both slots while the mover moves.  A CAS
 *         that does not find the writer's last value must find 0 (the old,
 *         emptied slot), and only while a move overlapped: anything else is
 *         a lost, stale or foreign value.  Each writer also drops and
 *         write-faults a page of its own between sweeps, so that faults in
 *         the VMA about to move (which has its anon_vma) race with the move;
 *         that page must read back what was written, unless a move came in
 *         between.  After every move the slot the data left must read as
 *         zeroes; at the end the live slot must hold exactly every writer's
 *         last values, the other slot zeroes.
 *
 * mbind   CVE-2023-4611 (mbind replaced vma->vm_policy under a fault that
 *         used it) and 49b0638502da (pages faulted in during
 *         mbind(MPOL_MF_MOVE) were not migrated): fault threads drop their
 *         pages (MADV_DONTNEED), write-fault them again with new content and
 *         verify every word, round after round, while a thread loops
 *         mbind(): MPOL_BIND to a node with MPOL_MF_MOVE | MPOL_MF_STRICT on
 *         the whole VMA, MPOL_PREFERRED to a node (the same flags) on its
 *         first half, MPOL_DEFAULT on all of it.  After each MPOL_MF_MOVE
 *         call every present page must be on the policy's node (move_pages()
 *         query); with one NUMA node that cannot differ, and only the data
 *         is checked.  Skips (exit 4) if mbind() is ENOSYS.
 *
 * stack   a MAP_GROWSDOWN VMA grown by faults below its start (StackRot's
 *         expand_stack() rework in 6.1.y): a grower thread writes pages
 *         below the stack VMA, one at a time (each a fault that grows the VMA
 *         by a page) or from the lowest first (one growth of many pages),
 *         verifies them, checks with mincore() that the VMA reaches exactly
 *         as far as it touched, and unmaps the grown part again.  Fault
 *         threads meanwhile drop, rewrite and verify their pages in the
 *         stack VMA's original part and in the VMA right above it.
 *
 * munmap  a mapper thread replaces a VMA by a new one at the same address,
 *         a generation at a time, alternately with munmap() + mmap() and with
 *         one mmap(MAP_FIXED), and fills each new generation with values
 *         naming it (after checking that the fresh pages hold nothing
 *         else), then reads them back.  Reader threads read every page and
 *         write a slot of their own in it, catching SIGSEGV (sigsetjmp() per
 *         thread).  A read must give a SIGSEGV -- only while a munmap() +
 *         mmap() overlapped it -- or a value of a generation that was mapped
 *         while it ran, or 0 -- not when the generation was filled before
 *         the read and no replacement overlapped it; never a value of a
 *         generation that was unmapped before the read began.
 */
#include "common.h"

#include <linux/mempolicy.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define MAX_THREADS	8
#define MAX_PAGES	4096
#define MAX_NODES	64
#define VAL_MAGIC	0xa5ULL

/* The mode tags in values; a tag tells which kind of page a value is for. */
enum {
	TAG_MREMAP = 1, TAG_REFAULT, TAG_MBIND, TAG_STACK, TAG_NEIGHBOUR,
	TAG_GROWN, TAG_MUNMAP, TAG_READER,
};

struct worker {
	pthread_t thread;
	unsigned int id;
	uint64_t ops;		/* the thread's main count, per mode */
	uint64_t n[4];		/* further counts, per mode */
};

static struct stress_opts opt = {
	.seconds = 5, .threads = 2, .max_threads = MAX_THREADS, /* .pages: modes[] */
};

static struct worker workers[MAX_THREADS];	/* the fault threads */
static struct worker changer;			/* the VMA-changing thread */
static int stop;

static bool stopping(void)
{
	return __atomic_load_n(&stop, __ATOMIC_SEQ_CST);
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

/* A test value: magic, tag, page index and a sequence (round, generation). */
static uint64_t val(unsigned int tag, size_t page, uint64_t seq)
{
	return VAL_MAGIC << 56 | (uint64_t)tag << 48 | (uint64_t)page << 32 |
	       (uint32_t)seq;
}

static bool val_is(uint64_t v, unsigned int tag)
{
	return v >> 56 == VAL_MAGIC && (v >> 48 & 0xff) == tag;
}

static size_t val_page(uint64_t v)
{
	return v >> 32 & 0xffff;
}

static uint64_t val_seq(uint64_t v)
{
	return (uint32_t)v;
}

/* "0x... (page P seq S)" or "0x... (no test value)", for messages. */
static const char *describe(char *buf, size_t size, uint64_t v)
{
	if (v >> 56 == VAL_MAGIC)
		snprintf(buf, size, "%#llx (tag %u page %zu seq %llu)",
			 (unsigned long long)v, (unsigned int)(v >> 48 & 0xff),
			 val_page(v), (unsigned long long)val_seq(v));
	else
		snprintf(buf, size, "%#llx (no test value)",
			 (unsigned long long)v);
	return buf;
}

static uint64_t *page_at(void *base, size_t page)
{
	return (uint64_t *)((char *)base + page * page_size);
}

/* Whole-page content: @head in word 0, words derived from it after. */
static uint64_t fill_word(uint64_t head, size_t i)
{
	return i ? mix64(head ^ i) : head;
}

static void fill_page(uint64_t *pg, uint64_t head)
{
	volatile uint64_t *p = pg;

	for (size_t i = 0; i < page_words; i++)
		p[i] = fill_word(head, i);
}

/* Check a page written by fill_page(); report the first wrong word. */
static bool check_page(const uint64_t *pg, uint64_t head, const char *what)
{
	const volatile uint64_t *p = pg;
	uint64_t got = 0, now, word0;
	size_t i, first = 0, bad = 0;
	char b1[96], b2[96];

	for (i = 0; i < page_words; i++) {
		uint64_t v = p[i];

		if (v != fill_word(head, i) && !bad++) {
			first = i;
			got = v;
		}
	}
	if (!bad)
		return true;
	now = p[first];
	word0 = p[0];
	fail("CORRUPTION: [%s] page %zu word %zu: expected %#llx, got %#llx%s (%zu of %zu words wrong); word 0 should be %s and is %s",
	     what, val_page(head), first,
	     (unsigned long long)fill_word(head, first),
	     (unsigned long long)got,
	     now == got ? "" : now == fill_word(head, first) ?
	     ", but reads correctly now" : ", and something else again now",
	     bad, page_words, describe(b1, sizeof(b1), head),
	     describe(b2, sizeof(b2), word0));
	return false;
}

static void madvise_or_die(void *p, size_t len, int advice, const char *name)
{
	if (madvise(p, len, advice) && !(advice == MADV_NOHUGEPAGE &&
					 errno == EINVAL))
		die("madvise(%s) of %zu bytes at %p: %m", name, len, p);
}

/*
 * Run the fault threads and the VMA-changing thread until the time is up
 * or something failed.
 */
static void run_threads(void *(*fault_fn)(void *), void *(*change_fn)(void *))
{
	unsigned int i;

	for (i = 0; i < opt.threads; i++) {
		workers[i].id = i;
		start_thread(&workers[i].thread, fault_fn, &workers[i]);
	}
	start_thread(&changer.thread, change_fn, &changer);
	sleep_until(now_ns() + opt.seconds * NSEC_PER_SEC, &failures);
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < opt.threads; i++)
		join_thread(workers[i].thread);
	join_thread(changer.thread);
}

static uint64_t sum_ops(unsigned int n)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < opt.threads; i++)
		sum += n == 0 ? workers[i].ops : workers[i].n[n - 1];
	return sum;
}

/* A thread's contiguous share of @pages pages: [*lo, *hi). */
static void share(const struct worker *w, size_t pages, size_t *lo, size_t *hi)
{
	*lo = pages * w->id / opt.threads;
	*hi = pages * (w->id + 1) / opt.threads;
}

/* ------------------------------------------------------------------------
 * mremap: MREMAP_DONTUNMAP moves racing with faults.
 *
 * Pages [0, cas_pages) hold the writers' sequence numbers (writer w has
 * the pages p % threads == w); page cas_pages + w is writer w's refault
 * page, which it drops and write-faults again and again, so that faults
 * in the VMA that is about to be moved (it has an anon_vma) keep racing
 * with the move, as in 657b5146955e.
 */
static struct {
	uint64_t *slot[2];
	uint64_t *live;		/* the slot holding the data */
	uint64_t seq;		/* odd while a move is in progress */
	size_t cas_pages;
	uint32_t expect[MAX_PAGES];	/* each CAS page's current sequence */
	uint32_t refault_seq[MAX_THREADS];	/* last value a refault wrote */
} mr;

/*
 * The slot the data just left must read as zeroes: writers that still use
 * it only fault in empty pages there, and their CAS finds 0 and writes
 * nothing (refault pages excepted: a writer may write its own there).
 */
static void mremap_check_emptied(uint64_t *from)
{
	char b[96];

	for (size_t p = 0; p < mr.cas_pages; p++) {
		uint64_t v = *(volatile uint64_t *)page_at(from, p);

		if (v)
			fail("STALE: [mremap mover] page %zu of the slot the data was just moved away from reads %s, expected 0",
			     p, describe(b, sizeof(b), v));
	}
}

static void *mremap_mover(void *arg)
{
	struct worker *w = arg;
	size_t len = opt.pages * page_size;

	while (!stopping()) {
		uint64_t *from = mr.live;
		uint64_t *to = from == mr.slot[0] ? mr.slot[1] : mr.slot[0];
		void *p;

		store(&mr.seq, load(&mr.seq) + 1);	/* odd: moving */
		p = mremap(from, len, len,
			   MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, to);
		if (p == MAP_FAILED)
			die("mremap(MREMAP_DONTUNMAP) of %zu bytes from %p to %p: %m",
			    len, (void *)from, (void *)to);
		if (p != to)
			die("mremap(MREMAP_FIXED) to %p returned %p", (void *)to, p);
		__atomic_store_n(&mr.live, to, __ATOMIC_SEQ_CST);
		store(&mr.seq, load(&mr.seq) + 1);	/* even: settled */
		mremap_check_emptied(from);
		w->ops++;
	}
	return NULL;
}

/* Did a move overlap the time between seq values @s1 and @s2? */
static bool moved(uint64_t s1, uint64_t s2)
{
	return s1 != s2 || (s1 & 1);
}

/* Bump CAS page @p's sequence from the writer's last value to the next. */
static void mremap_bump(struct worker *w, size_t p)
{
	for (;;) {
		uint64_t s1 = load(&mr.seq);
		uint64_t *base = __atomic_load_n(&mr.live, __ATOMIC_SEQ_CST);
		uint64_t want = val(TAG_MREMAP, p, mr.expect[p]), got = want;
		char b1[96], b2[96];
		uint64_t s2;
		bool ok;

		ok = __atomic_compare_exchange_n(page_at(base, p), &got,
						 val(TAG_MREMAP, p, mr.expect[p] + 1),
						 false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST);
		s2 = load(&mr.seq);
		if (ok) {
			mr.expect[p]++;
			w->ops++;
			return;
		}
		if (got == 0 && moved(s1, s2)) {
			/*
			 * The copy moved away under us: find it again, after
			 * letting the mover publish where it went (spinning
			 * here would starve it on a 2-CPU guest).
			 */
			w->n[0]++;
			if (stopping())
				return;
			sched_yield();
			continue;
		}
		if (got == 0)
			fail("CORRUPTION: [mremap writer %u] page %zu of the live slot %p reads 0, with no mremap() in progress: its data is lost (expected %s)",
			     w->id, p, (void *)base,
			     describe(b1, sizeof(b1), want));
		else
			fail("CORRUPTION: [mremap writer %u] page %zu of slot %p: expected %s, got %s%s",
			     w->id, p, (void *)base,
			     describe(b1, sizeof(b1), want),
			     describe(b2, sizeof(b2), got),
			     val_is(got, TAG_MREMAP) && val_page(got) == p &&
			     val_seq(got) < mr.expect[p] ?
			     ": an older value, a lost write" : "");
		return;
	}
}

/* A value a refault of page @p may have left: 0 or one written there. */
static bool refault_value_ok(uint64_t v, size_t p, uint32_t last)
{
	return !v || (val_is(v, TAG_REFAULT) && val_page(v) == p &&
		      val_seq(v) >= 1 && val_seq(v) <= last);
}

/*
 * Drop the writer's refault page and write-fault it again.  With no move
 * in between, the value must read back; across a move the page may read
 * as 0 or as an earlier value (what the other slot held there).
 */
static void mremap_refault(struct worker *w)
{
	size_t p = mr.cas_pages + w->id;
	uint64_t s1 = load(&mr.seq);
	uint64_t *base = __atomic_load_n(&mr.live, __ATOMIC_SEQ_CST);
	volatile uint64_t *pg = page_at(base, p);
	uint64_t v = val(TAG_REFAULT, p, ++mr.refault_seq[w->id]), back;
	char b1[96], b2[96];

	madvise_or_die((void *)pg, page_size, MADV_DONTNEED, "MADV_DONTNEED");
	*pg = v;
	back = *pg;
	if (back == v || (moved(s1, load(&mr.seq)) &&
			  refault_value_ok(back, p, mr.refault_seq[w->id])))
		w->n[1]++;
	else
		fail("CORRUPTION: [mremap writer %u] refault page %zu of slot %p: wrote %s, read back %s%s",
		     w->id, p, (void *)base, describe(b1, sizeof(b1), v),
		     describe(b2, sizeof(b2), back),
		     moved(s1, load(&mr.seq)) ? "" :
		     ", with no mremap() in between");
}

static void *mremap_writer(void *arg)
{
	struct worker *w = arg;

	while (!stopping()) {
		for (size_t p = w->id; p < mr.cas_pages && !stopping();
		     p += opt.threads)
			mremap_bump(w, p);
		mremap_refault(w);
	}
	return NULL;
}

/* Words 1.. of a page must be 0; report the first that is not. */
static void check_rest_zero(const uint64_t *pg, size_t p, const char *slot)
{
	for (size_t i = 1; i < page_words; i++)
		if (pg[i]) {
			fail("CORRUPTION: [mremap final check] page %zu word %zu of the %s slot: expected 0, got %#llx",
			     p, i, slot, (unsigned long long)pg[i]);
			return;
		}
}

static void mremap_final_check(void)
{
	uint64_t *live = mr.live;
	uint64_t *other = live == mr.slot[0] ? mr.slot[1] : mr.slot[0];
	char b1[96], b2[96];

	for (size_t p = 0; p < opt.pages; p++) {
		const uint64_t *pg = page_at(live, p);
		bool cas = p < mr.cas_pages;
		uint64_t want = cas ? val(TAG_MREMAP, p, mr.expect[p]) : 0;

		if (cas ? pg[0] != want :
		    !refault_value_ok(pg[0], p,
				      mr.refault_seq[p - mr.cas_pages]))
			fail("CORRUPTION: [mremap final check] page %zu of the live slot: expected %s, got %s",
			     p, cas ? describe(b1, sizeof(b1), want) :
			     "0 or a value its writer's refaults wrote",
			     describe(b2, sizeof(b2), pg[0]));
		check_rest_zero(pg, p, "live");
	}
	if (!changer.ops)
		return;		/* the other slot is still the PROT_NONE reservation */
	for (size_t p = 0; p < opt.pages; p++) {
		const uint64_t *pg = page_at(other, p);
		bool cas = p < mr.cas_pages;

		/* CAS pages: a CAS that misses writes nothing */
		if (cas ? pg[0] != 0 :
		    !refault_value_ok(pg[0], p,
				      mr.refault_seq[p - mr.cas_pages]))
			fail("CORRUPTION: [mremap final check] page %zu of the emptied slot: expected %s, got %s",
			     p, cas ? "0" : "0 or a value its writer's refaults wrote",
			     describe(b1, sizeof(b1), pg[0]));
		check_rest_zero(pg, p, "emptied");
	}
}

static int mode_mremap(void)
{
	size_t len = opt.pages * page_size;
	uint64_t moves, bumps, raced, refaults;
	char *r;

	if (opt.pages < 2 * opt.threads)
		usage_error("--mode mremap needs --pages of at least twice --threads");
	mr.cas_pages = opt.pages - opt.threads;
	/* guard, slot 0, guard, slot 1, guard: neither slot can merge */
	r = map_anon(2 * len + 3 * page_size, PROT_NONE);
	mr.slot[0] = (uint64_t *)(r + page_size);
	mr.slot[1] = (uint64_t *)(r + 2 * page_size + len);
	if (mprotect(mr.slot[0], len, PROT_READ | PROT_WRITE))
		die("mprotect: %m");
	madvise_or_die(mr.slot[0], len, MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE");
	for (size_t p = 0; p < mr.cas_pages; p++) {
		mr.expect[p] = 1;
		*page_at(mr.slot[0], p) = val(TAG_MREMAP, p, 1);
	}
	mr.live = mr.slot[0];

	run_threads(mremap_writer, mremap_mover);
	mremap_final_check();

	moves = changer.ops;
	bumps = sum_ops(0);
	raced = sum_ops(1);
	refaults = sum_ops(2);
	printf("%s: %llu moves, %llu page updates (%llu retried because the data moved under them), %llu refaults verified\n",
	       prog_name, (unsigned long long)moves, (unsigned long long)bumps,
	       (unsigned long long)raced, (unsigned long long)refaults);
	if (!nr_failures()) {
		require_nonzero("mremap moves", moves);
		require_nonzero("page updates", bumps);
		require_nonzero("updates that raced with a move", raced);
		require_nonzero("refaults", refaults);
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * mbind: memory policy changes and migration racing with faults.
 */
static struct {
	uint64_t *region;
	int nodes[MAX_NODES];
	int nr_nodes;
	bool query;		/* move_pages() works */
	uint64_t ops[3];	/* BIND, PREFERRED, DEFAULT calls */
	uint64_t eio;		/* MPOL_MF_STRICT calls that could not move all */
	uint64_t checked;	/* present pages whose node was checked */
	uint64_t absent;	/* pages not present when checked */
	uint64_t away;		/* pages on another node just before a move */
} mb;

static const char *const mbind_names[3] = {
	"MPOL_BIND", "MPOL_PREFERRED", "MPOL_DEFAULT",
};

static long sys_mbind(void *addr, unsigned long len, int mode,
		      const unsigned long *mask, unsigned long maxnode,
		      unsigned int flags)
{
	return syscall(__NR_mbind, addr, len, mode, mask, maxnode, flags);
}

/* The online nodes, from sysfs ("0", "0-1", "0,2-3"); node 0 if absent. */
static void read_nodes(void)
{
	char buf[256] = "0";
	FILE *f = fopen("/sys/devices/system/node/online", "r");
	char *tok, *save;

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			die("cannot read /sys/devices/system/node/online");
		fclose(f);
	}
	for (tok = strtok_r(buf, ",\n", &save); tok;
	     tok = strtok_r(NULL, ",\n", &save)) {
		int a, b;

		switch (sscanf(tok, "%d-%d", &a, &b)) {
		case 1:
			b = a;
			break;
		case 2:
			break;
		default:
			die("cannot parse the online nodes '%s'", buf);
		}
		for (int n = a; n <= b && mb.nr_nodes < MAX_NODES; n++)
			mb.nodes[mb.nr_nodes++] = n;
	}
	if (!mb.nr_nodes)
		die("no online NUMA node");
}

static void *mb_addrs[MAX_PAGES];
static int mb_status[MAX_PAGES];

/* Ask move_pages() where the first @pages pages are (into mb_status). */
static bool mbind_query(size_t pages)
{
	if (!mb.query)
		return false;
	for (size_t p = 0; p < pages; p++)
		mb_addrs[p] = page_at(mb.region, p);
	if (syscall(__NR_move_pages, 0, pages, mb_addrs, NULL, mb_status, 0)) {
		if (errno != ENOSYS)
			die("move_pages() query of %zu pages: %m", pages);
		mb.query = false;
		return false;
	}
	return true;
}

/* Before an MPOL_MF_MOVE mbind(): count the pages it will have to move. */
static void mbind_count_away(size_t pages, int node)
{
	if (!mbind_query(pages))
		return;
	for (size_t p = 0; p < pages; p++)
		mb.away += mb_status[p] >= 0 && mb_status[p] != node;
}

/* After an MPOL_MF_MOVE mbind(): every present page is on @node. */
static void mbind_check_nodes(size_t pages, int node, const char *policy)
{
	const int *status = mb_status;

	if (!mbind_query(pages))
		return;
	for (size_t p = 0; p < pages; p++) {
		/* not present: -ENOENT, or -EFAULT from 6.1's follow_page() */
		if (status[p] == -ENOENT || status[p] == -EFAULT) {
			mb.absent++;
			continue;
		}
		mb.checked++;
		if (status[p] == node)
			continue;
		if (status[p] >= 0)
			fail("MISPLACED: page %zu is on node %d after mbind(%s, node %d, MPOL_MF_MOVE | MPOL_MF_STRICT) returned success: a page faulted in during mbind() was not migrated",
			     p, status[p], policy, node);
		else
			fail("move_pages() says %d (%s) for page %zu after mbind(%s, node %d)",
			     status[p], strerror(-status[p]), p, policy, node);
	}
}

static void *mbind_changer(void *arg)
{
	struct worker *w = arg;
	size_t len = opt.pages * page_size, half = opt.pages / 2;

	while (!stopping()) {
		uint64_t i = w->ops++;
		int step = i % 3, k = i / 3;
		int node = mb.nodes[(k + (step == 1)) % mb.nr_nodes];
		unsigned long mask = 1UL << node;
		long r;

		if (step < 2)
			mbind_count_away(step ? half : opt.pages, node);
		switch (step) {
		case 0:
			r = sys_mbind(mb.region, len, MPOL_BIND, &mask,
				      sizeof(mask) * 8,
				      MPOL_MF_MOVE | MPOL_MF_STRICT);
			break;
		case 1:
			r = sys_mbind(mb.region, half * page_size,
				      MPOL_PREFERRED, &mask, sizeof(mask) * 8,
				      MPOL_MF_MOVE | MPOL_MF_STRICT);
			break;
		default:
			r = sys_mbind(mb.region, len, MPOL_DEFAULT, NULL, 0, 0);
			break;
		}
		mb.ops[step]++;
		if (r && errno == EIO && step < 2) {
			mb.eio++;	/* a page could not be moved now */
			continue;
		}
		if (r)
			die("mbind(%s, node %d): %m", mbind_names[step], node);
		if (step < 2)
			mbind_check_nodes(step ? half : opt.pages, node,
					  mbind_names[step]);
	}
	return NULL;
}

static void *mbind_faulter(void *arg)
{
	struct worker *w = arg;
	size_t lo, hi, p;
	uint64_t round;

	share(w, opt.pages, &lo, &hi);
	for (round = 1; !stopping(); round++) {
		if (round > 1)
			for (p = lo; p < hi; p++)
				check_page(page_at(mb.region, p),
					   val(TAG_MBIND, p, round - 1),
					   "mbind faulter, before dropping");
		madvise_or_die(page_at(mb.region, lo), (hi - lo) * page_size,
			       MADV_DONTNEED, "MADV_DONTNEED");
		for (p = lo; p < hi; p++)
			fill_page(page_at(mb.region, p),
				  val(TAG_MBIND, p, round));
		for (p = lo; p < hi; p++)
			check_page(page_at(mb.region, p),
				   val(TAG_MBIND, p, round),
				   "mbind faulter, after faulting in");
		w->ops += hi - lo;
	}
	return NULL;
}

static int mode_mbind(void)
{
	size_t len = opt.pages * page_size;

	if (opt.pages < 2 * opt.threads)
		usage_error("--mode mbind needs --pages of at least twice --threads");
	read_nodes();
	mb.region = map_isolated(len);
	if (sys_mbind(mb.region, len, MPOL_DEFAULT, NULL, 0, 0)) {
		if (errno == ENOSYS) {
			printf("%s: SKIP: mbind() is not implemented (no CONFIG_NUMA)\n",
			       prog_name);
			return 4;
		}
		die("mbind(MPOL_DEFAULT): %m");
	}
	mb.query = true;
	printf("%s: %d NUMA node(s) online%s\n", prog_name, mb.nr_nodes,
	       mb.nr_nodes > 1 ? "" :
	       ": every page is on node 0 anyway, so placement cannot be wrong; the data is checked");

	run_threads(mbind_faulter, mbind_changer);

	printf("%s: mbind calls: %llu MPOL_BIND, %llu MPOL_PREFERRED (%llu with EIO: not all pages movable then), %llu MPOL_DEFAULT\n",
	       prog_name, (unsigned long long)mb.ops[0],
	       (unsigned long long)mb.ops[1], (unsigned long long)mb.eio,
	       (unsigned long long)mb.ops[2]);
	printf("%s: pages faulted in and verified: %llu; node of present pages checked after MPOL_MF_MOVE: %llu%s (%llu not present); pages on another node just before an MPOL_MF_MOVE call: %llu\n",
	       prog_name, (unsigned long long)sum_ops(0),
	       (unsigned long long)mb.checked,
	       mb.query ? "" : " (move_pages() is ENOSYS)",
	       (unsigned long long)mb.absent, (unsigned long long)mb.away);
	if (!nr_failures()) {
		require_nonzero("pages faulted in", sum_ops(0));
		for (int i = 0; i < 3; i++)
			require_nonzero(mbind_names[i], mb.ops[i]);
		if (mb.query)
			require_nonzero("pages whose node was checked",
					mb.checked);
		if (mb.query && mb.nr_nodes > 1)
			require_nonzero("pages on another node before an MPOL_MF_MOVE call",
					mb.away);
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * stack: a MAP_GROWSDOWN VMA grows under faults.
 */
#define GROW_PAGES	32	/* pages a round grows the stack by */
#define HOLE_PAGES	64	/* unmapped pages below the stack */

static struct {
	char *hole;
	char *stack;		/* the original start of the stack VMA */
	char *neighbour;	/* the VMA right above the stack VMA */
} st;

/* mincore() of [addr, addr + pages): 0 if all resident, else errno. */
static int resident(const void *addr, size_t pages)
{
	unsigned char vec[GROW_PAGES + 1];

	if (pages > sizeof(vec))
		die("resident(): %zu pages is too many", pages);
	if (mincore((void *)addr, pages * page_size, vec))
		return errno;
	for (size_t i = 0; i < pages; i++)
		if (!(vec[i] & 1))
			return -1;
	return 0;
}

static void *stack_grower(void *arg)
{
	struct worker *w = arg;
	char *low = st.stack - GROW_PAGES * page_size;

	for (uint64_t round = 1; !stopping(); round++) {
		int r;

		if (round & 1) {
			/* one page at a time, each fault grows it by a page */
			for (size_t k = 1; k <= GROW_PAGES; k++)
				fill_page((uint64_t *)(st.stack - k * page_size),
					  val(TAG_GROWN, k, round));
		} else {
			/* the lowest first: one fault grows it by all */
			for (size_t k = GROW_PAGES; k >= 1; k--)
				fill_page((uint64_t *)(st.stack - k * page_size),
					  val(TAG_GROWN, k, round));
		}
		for (size_t k = 1; k <= GROW_PAGES; k++)
			check_page((uint64_t *)(st.stack - k * page_size),
				   val(TAG_GROWN, k, round), "stack grower");
		r = resident(low, GROW_PAGES);
		if (r)
			fail("STACK: after writing the %d pages below the stack, mincore() says %s",
			     GROW_PAGES, r < 0 ? "some are not resident" : strerror(r));
		r = resident(low - page_size, 1);
		if (r != ENOMEM)
			fail("STACK: the page below the lowest one written is %s, but the stack VMA must have grown exactly to the lowest page touched",
			     r ? "mapped (not resident)" : "mapped");
		if (munmap(low, GROW_PAGES * page_size))
			die("munmap of the grown stack pages: %m");
		r = resident(low, GROW_PAGES);
		if (r != ENOMEM)
			fail("STACK: the grown stack pages are still mapped after munmap() (mincore: %s)",
			     r > 0 ? strerror(r) : "mapped");
		w->ops++;
	}
	return NULL;
}

static void *stack_faulter(void *arg)
{
	struct worker *w = arg;
	size_t lo, hi, p;

	share(w, opt.pages, &lo, &hi);
	for (uint64_t round = 1; !stopping(); round++) {
		for (int v = 0; v < 2; v++) {
			char *base = v ? st.neighbour : st.stack;
			unsigned int tag = v ? TAG_NEIGHBOUR : TAG_STACK;
			const char *what = v ? "neighbour VMA faulter" :
					       "stack VMA faulter";

			if (round > 1)
				for (p = lo; p < hi; p++)
					check_page(page_at(base, p),
						   val(tag, p, round - 1), what);
			madvise_or_die(page_at(base, lo), (hi - lo) * page_size,
				       MADV_DONTNEED, "MADV_DONTNEED");
			for (p = lo; p < hi; p++)
				fill_page(page_at(base, p), val(tag, p, round));
			for (p = lo; p < hi; p++)
				check_page(page_at(base, p), val(tag, p, round),
					   what);
			w->n[v]++;
		}
		w->ops += 2 * (hi - lo);
	}
	return NULL;
}

static int mode_stack(void)
{
	size_t len = opt.pages * page_size;
	char *r;
	void *p;

	if (opt.pages < opt.threads)
		usage_error("--mode stack needs --pages of at least --threads");
	r = map_anon((2 + HOLE_PAGES) * page_size + 2 * len, PROT_NONE);
	/*
	 * guard (PROT_NONE: no stack guard gap is needed above it), hole,
	 * stack, neighbour, guard.  The hole is smaller than the kernel's
	 * stack_guard_gap, so mmap() never puts anything else there.
	 */
	st.hole = r + page_size;
	st.stack = st.hole + HOLE_PAGES * page_size;
	st.neighbour = st.stack + len;
	if (munmap(st.hole, HOLE_PAGES * page_size))
		die("munmap: %m");
	p = mmap(st.stack, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	if (p == MAP_FAILED)
		die("mmap(MAP_GROWSDOWN) of %zu bytes at %p: %m", len, st.stack);
	if (mprotect(st.neighbour, len, PROT_READ | PROT_WRITE))
		die("mprotect: %m");
	madvise_or_die(st.stack, 2 * len, MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE");
	if (resident(st.hole, 1) != ENOMEM)
		die("the hole below the stack is mapped");

	run_threads(stack_faulter, stack_grower);

	printf("%s: %llu growths by %d pages (alternately a page at a time and all at once), verified and unmapped again\n",
	       prog_name, (unsigned long long)changer.ops, GROW_PAGES);
	printf("%s: pages faulted in and verified: %llu (%llu rounds in the stack VMA, %llu in its neighbour)\n",
	       prog_name, (unsigned long long)sum_ops(0),
	       (unsigned long long)sum_ops(1), (unsigned long long)sum_ops(2));
	if (!nr_failures()) {
		require_nonzero("stack growths", changer.ops);
		require_nonzero("pages faulted in", sum_ops(0));
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * munmap: a VMA unmapped and replaced under faults.
 */
static struct {
	char *addr;
	uint64_t gen;		/* the generation mapped (published after mmap) */
	uint64_t filled;	/* the last generation completely filled */
	uint64_t remap_seq;	/* odd while any replacement is in progress */
	uint64_t unmap_seq;	/* odd while a munmap() + mmap() is in progress */
	uint64_t kinds[2];	/* replacements: munmap() + mmap(), MAP_FIXED */
} mu;

static void munmap_map(bool fixed, uint64_t gen)
{
	size_t len = opt.pages * page_size;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *p;

	flags |= fixed ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	p = mmap(mu.addr, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		die("mmap(%s) of generation %llu at %p: %m",
		    fixed ? "MAP_FIXED" : "MAP_FIXED_NOREPLACE",
		    (unsigned long long)gen, mu.addr);
	if (p != mu.addr)
		die("mmap of generation %llu at %p returned %p",
		    (unsigned long long)gen, mu.addr, p);
	madvise_or_die(mu.addr, len, MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE");
}

/*
 * Fill a fresh page of generation @gen: words 0 and last, which must be 0
 * until then, and whose reader slots can only hold the readers' values.
 */
static void munmap_fill(size_t p, uint64_t gen)
{
	volatile uint64_t *pg = page_at(mu.addr, p);
	uint64_t v = val(TAG_MUNMAP, p, gen);
	size_t ends[2] = { 0, page_words - 1 };
	char b[96];

	for (size_t i = 1; i <= opt.threads; i++) {
		uint64_t old = pg[i];

		if (old && !(val_is(old, TAG_READER) && val_page(old) == i - 1))
			fail("STALE: [munmap mapper] generation %llu page %zu: reader slot %zu of the fresh page holds %s",
			     (unsigned long long)gen, p, i - 1,
			     describe(b, sizeof(b), old));
	}
	for (int e = 0; e < 2; e++) {
		uint64_t old = pg[ends[e]];

		if (old)
			fail("STALE: [munmap mapper] generation %llu page %zu word %zu of the fresh page holds %s, expected 0",
			     (unsigned long long)gen, p, ends[e],
			     describe(b, sizeof(b), old));
		pg[ends[e]] = v;
	}
}

/* After the fill, and while readers read it: the page is still filled. */
static void munmap_verify(size_t p, uint64_t gen)
{
	volatile uint64_t *pg = page_at(mu.addr, p);
	uint64_t v = val(TAG_MUNMAP, p, gen);
	size_t ends[2] = { 0, page_words - 1 };
	char b1[96], b2[96];

	for (int e = 0; e < 2; e++) {
		uint64_t got = pg[ends[e]];

		if (got != v)
			fail("%s: [munmap mapper] generation %llu page %zu word %zu: expected %s, got %s",
			     got ? "CORRUPTION" : "LOST",
			     (unsigned long long)gen, p, ends[e],
			     describe(b1, sizeof(b1), v),
			     describe(b2, sizeof(b2), got));
	}
}

static void *munmap_mapper(void *arg)
{
	struct worker *w = arg;
	size_t len = opt.pages * page_size;

	/* at least one replacement of each kind, however short the run */
	for (uint64_t gen = 2; !stopping() || gen <= 3; gen++) {
		bool fixed = gen & 1;

		store(&mu.remap_seq, load(&mu.remap_seq) + 1);
		if (!fixed) {
			store(&mu.unmap_seq, load(&mu.unmap_seq) + 1);
			if (munmap(mu.addr, len))
				die("munmap of generation %llu: %m",
				    (unsigned long long)gen - 1);
		}
		munmap_map(fixed, gen);
		store(&mu.gen, gen);
		if (!fixed)
			store(&mu.unmap_seq, load(&mu.unmap_seq) + 1);
		store(&mu.remap_seq, load(&mu.remap_seq) + 1);
		mu.kinds[fixed]++;

		for (size_t p = 0; p < opt.pages; p++)
			munmap_fill(p, gen);
		store(&mu.filled, gen);
		for (size_t p = 0; p < opt.pages; p++)
			munmap_verify(p, gen);
		w->ops++;
	}
	return NULL;
}

static __thread sigjmp_buf probe_env;
static __thread volatile sig_atomic_t probing;
static __thread void *volatile segv_addr;
static __thread volatile int segv_code;

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!probing) {
		signal(sig, SIG_DFL);	/* not ours: crash on return */
		return;
	}
	probing = 0;
	segv_addr = si->si_addr;
	segv_code = si->si_code;
	siglongjmp(probe_env, 1);
}

/*
 * Check a word read from page @p that is not a reader slot.  @g0: the
 * generation mapped before the read; @g1 after it; @filled: the last
 * generation filled before the read; @quiet: no replacement overlapped it.
 */
static void munmap_check_word(struct worker *w, size_t p, size_t i,
			      uint64_t v, uint64_t g0, uint64_t g1,
			      uint64_t filled, bool quiet)
{
	char b[96];

	if (!v) {
		if (quiet && filled == g1)
			fail("LOST: [munmap reader %u] page %zu word %zu reads 0, but generation %llu was filled before the read and no replacement overlapped it",
			     w->id, p, i, (unsigned long long)g1);
		return;
	}
	if (!val_is(v, TAG_MUNMAP) || val_page(v) != p)
		fail("CORRUPTION: [munmap reader %u] page %zu word %zu: got %s, which is no value of this page",
		     w->id, p, i, describe(b, sizeof(b), v));
	else if (val_seq(v) < g0)
		fail("STALE: [munmap reader %u] page %zu word %zu: got a value of generation %llu, which was unmapped before the read began (generation %llu was mapped then)",
		     w->id, p, i, (unsigned long long)val_seq(v),
		     (unsigned long long)g0);
	else if (val_seq(v) > g1)
		fail("CORRUPTION: [munmap reader %u] page %zu word %zu: got a value of generation %llu, newer than the newest mapped (%llu)",
		     w->id, p, i, (unsigned long long)val_seq(v),
		     (unsigned long long)g1);
	else
		w->n[0]++;	/* a value of a live generation */
}

struct probe {
	uint64_t first, end, back;	/* words 0 and last, slot read back */
};

/*
 * Read words 0 and last of a page, write @mine to @slot and read it back;
 * false if that raised SIGSEGV (which the handler turns into a return here).
 */
static __attribute__((noinline)) bool probe_page(volatile uint64_t *pg,
						 size_t slot, uint64_t mine,
						 struct probe *out)
{
	/* no signal mask to restore: the handler runs with SA_NODEFER */
	if (sigsetjmp(probe_env, 0))
		return false;
	probing = 1;
	out->first = pg[0];
	out->end = pg[page_words - 1];
	pg[slot] = mine;
	out->back = pg[slot];
	probing = 0;
	return true;
}

static void *munmap_reader(void *arg)
{
	struct worker *w = arg;
	size_t slot = 1 + w->id;
	uint64_t count = 0;

	while (!stopping()) {
		for (size_t p = 0; p < opt.pages && !stopping(); p++) {
			volatile uint64_t *pg = page_at(mu.addr, p);
			uint64_t us1 = load(&mu.unmap_seq);
			uint64_t rs1 = load(&mu.remap_seq);
			uint64_t filled = load(&mu.filled);
			uint64_t g0 = load(&mu.gen);
			uint64_t mine = val(TAG_READER, w->id, ++count);
			uint64_t g1, rs2, us2;
			struct probe r;
			bool quiet;

			if (!probe_page(pg, slot, mine, &r)) {
				us2 = load(&mu.unmap_seq);
				if (segv_code != SEGV_MAPERR ||
				    (char *)segv_addr < (char *)pg ||
				    (char *)segv_addr >= (char *)pg + page_size)
					fail("SIGSEGV: [munmap reader %u] page %zu at %p: unexpected si_code %d, si_addr %p",
					     w->id, p, (void *)pg, segv_code,
					     segv_addr);
				else if (us1 == us2 && !(us1 & 1))
					fail("SIGSEGV: [munmap reader %u] page %zu at %p, although no munmap() overlapped the access",
					     w->id, p, (void *)pg);
				w->n[1]++;
				continue;
			}
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			g1 = load(&mu.gen);
			rs2 = load(&mu.remap_seq);
			quiet = rs1 == rs2 && !(rs1 & 1);

			munmap_check_word(w, p, 0, r.first, g0, g1, filled,
					  quiet);
			munmap_check_word(w, p, page_words - 1, r.end, g0, g1,
					  filled, quiet);
			if (r.back != mine && (r.back || quiet))
				fail("CORRUPTION: [munmap reader %u] page %zu: wrote %#llx to its slot and read back %#llx%s",
				     w->id, p, (unsigned long long)mine,
				     (unsigned long long)r.back,
				     quiet ? ", with no replacement in between" : "");
			if (!r.first)
				w->n[2]++;
			w->ops++;
		}
	}
	return NULL;
}

static int mode_munmap(void)
{
	struct sigaction sa = { .sa_sigaction = segv_handler,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	size_t len = opt.pages * page_size;
	char *r;

	if (opt.threads + 2 > page_words)
		usage_error("--mode munmap needs pages of more than --threads + 2 words");
	r = map_anon(len + 2 * page_size, PROT_NONE);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL))
		die("sigaction(SIGSEGV): %m");
	/* guard, the VMA, guard: never merged with anything */
	mu.addr = r + page_size;
	munmap_map(true, 1);
	for (size_t p = 0; p < opt.pages; p++)
		munmap_fill(p, 1);
	mu.gen = mu.filled = 1;
	mu.kinds[1]++;

	run_threads(munmap_reader, munmap_mapper);

	printf("%s: %llu generations mapped: %llu by munmap() + mmap(), %llu by mmap(MAP_FIXED) over the old one\n",
	       prog_name, (unsigned long long)(mu.kinds[0] + mu.kinds[1]),
	       (unsigned long long)mu.kinds[0], (unsigned long long)mu.kinds[1]);
	printf("%s: reader accesses: %llu; %llu SIGSEGV (during munmap() + mmap()); %llu read a page not yet filled; %llu words of a live generation\n",
	       prog_name, (unsigned long long)sum_ops(0),
	       (unsigned long long)sum_ops(2), (unsigned long long)sum_ops(3),
	       (unsigned long long)sum_ops(1));
	if (!nr_failures()) {
		require_nonzero("reader accesses", sum_ops(0));
		require_nonzero("words of a live generation read", sum_ops(1));
	}
	return 0;
}

/* ------------------------------------------------------------------------ */

/*
 * munmap's mapper pays a fault per page it fills, most of them replacing
 * a zero page the readers mapped, which needs a TLB shootdown: slow under
 * TCG, so it gets fewer pages and more replacements per second.
 */
static const struct {
	const char *name;
	int (*run)(void);
	unsigned long pages;	/* default --pages */
} modes[] = {
	{ "mremap", mode_mremap, 64 },
	{ "mbind", mode_mbind, 64 },
	{ "stack", mode_stack, 64 },
	{ "munmap", mode_munmap, 16 },
};

#define NR_MODES	(sizeof(modes) / sizeof(modes[0]))

static void usage(void)
{
	printf("Usage: %s --mode MODE [options]\n"
	       "\n"
	       "Page faults racing with VMA changes, checking every value read back.\n"
	       "Modes: mremap (MREMAP_DONTUNMAP moves), mbind (policy changes and\n"
	       "MPOL_MF_MOVE migration), stack (MAP_GROWSDOWN growth), munmap (a VMA\n"
	       "unmapped and replaced).  Exits 0 on success, 1 on any wrong data or\n"
	       "error, 2 on a bad command line, 4 (skip) when the kernel lacks what\n"
	       "the mode needs.\n"
	       "\n"
	       "Options:\n"
	       "  --mode MODE     the race to run (required)\n"
	       "  --seconds N     run time (default %lu)\n"
	       "  --threads N     fault threads, 1-%d (default %lu), plus one thread\n"
	       "                  changing the VMAs\n"
	       "  --pages N       pages per VMA, 1-%d (default %lu, %lu for munmap)\n"
	       "  --help          show this help\n",
	       prog_name, opt.seconds, MAX_THREADS, opt.threads, MAX_PAGES,
	       modes[0].pages, modes[NR_MODES - 1].pages);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "seconds", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "pages", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *mode = NULL;
	unsigned long pages = 0;
	struct rusage ru0, ru1;
	uint64_t start;
	size_t m;
	int c, rc;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			mode = optarg;
			break;
		case 's':
			opt.seconds = parse_ulong("seconds", optarg, 1, 86400);
			break;
		case 't':
			opt.threads = parse_ulong("threads", optarg, 1,
						  MAX_THREADS);
			break;
		case 'p':
			pages = parse_ulong("pages", optarg, 1, MAX_PAGES);
			break;
		case 'h':
			usage();
			exit(0);
		default:
			usage_hint();
		}
	}
	no_more_args(argc, argv);
	if (!mode)
		usage_error("--mode is required");
	for (m = 0; m < NR_MODES; m++)
		if (!strcmp(mode, modes[m].name))
			break;
	if (m == NR_MODES)
		usage_error("unknown mode '%s'", mode);
	opt.pages = pages ? pages : modes[m].pages;

	printf("%s: mode %s, %lu fault thread(s) + 1, %lu pages per VMA, %lu s, page size %zu\n",
	       prog_name, mode, opt.threads, opt.pages, opt.seconds, page_size);
	getrusage(RUSAGE_SELF, &ru0);
	start = now_ns();
	rc = modes[m].run();
	getrusage(RUSAGE_SELF, &ru1);
	if (rc == 4)
		return 4;
	printf("%s: run time %.1f s, %ld minor page faults\n", prog_name,
	       (now_ns() - start) / 1e9, ru1.ru_minflt - ru0.ru_minflt);

	if (nr_failures()) {
		printf("%s: FAIL (%d failure(s))\n", prog_name, nr_failures());
		return 1;
	}
	printf("%s: PASS\n", prog_name);
	return 0;
}
