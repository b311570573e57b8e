// SPDX-License-Identifier: GPL-2.0
/*
 * rcu_stress: RCU readers against a writer that reshapes a maple tree the
 * way mmap, munmap and mprotect reshape a VMA tree.
 *
 * Built against the base tree's userspace maple tree suite
 * (tools/testing/radix-tree: its maple.o holds lib/maple_tree.c, compiled
 * with -fsanitize=address and a kmem_cache that poisons and frees what the
 * tree frees); scripts/maple-test.sh builds and runs it.
 *
 * The tree covers NUNITS "pages" of 4096 indices each. One writer thread
 * stores and erases ranges of whole pages with the tree's own locking:
 *   map    store a new entry over a random range (MAP_FIXED over anything)
 *   split  store a new entry over part of an existing entry (mprotect)
 *   merge  store one entry over two adjacent entries (vma_merge)
 *   erase  store NULL over one entry (munmap of a VMA)
 *   punch  store NULL over a large range spanning many nodes
 *   fill   store one entry over a large range spanning many nodes
 * Every entry the writer stores is unique: it encodes the number of the
 * operation that stored it, that operation's page range and a check code.
 *
 * Reader threads look entries up under rcu_read_lock() only: mas_walk() at
 * random indices (lock_vma_under_rcu()'s lookup), mas_find() walks over the
 * whole tree (pausing and dropping the RCU lock every few entries, as
 * /proc/PID/maps does), and mas_find() from a random index (find_vma()).
 * For every entry a reader gets it checks that
 *   - it is an entry the writer made (check code), not garbage or poison;
 *   - the operation that stored it covered that index (never a value that
 *     was never stored there);
 *   - it is not stale: it is the entry the last completed operation on that
 *     page stored before the lookup began, or one stored by an operation
 *     that started since (old or new, never older than old);
 *   - a NULL is only seen where the page was empty before the lookup or an
 *     operation that started since made it empty;
 *   - a walk over the tree ends.
 * A freed node that is read is a heap-use-after-free for AddressSanitizer.
 * The range the tree reports with an entry (mas.index, mas.last) should
 * contain the index and lie inside what the entry's operation stored; 6.1
 * readers can see a leaf being changed in place, so misfits are counted and
 * shown (--strict-ranges fails them).
 * At the end the tree is compared with the writer's shadow copy, validated
 * (mt_validate()), destroyed, and nothing may be left allocated.
 *
 * Exit status: 0 all checks passed, 1 a check failed, 2 bad usage.
 */
#define CONFIG_DEBUG_MAPLE_TREE
#include "test.h"
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/maple_tree.h>

#define NUNITS		2048UL		/* pages in the tree's region */
#define UNIT		4096UL		/* indices per page */
#define BASE		0x400000UL	/* first index of the region */
#define LOGN		4096UL		/* operations kept in the log */
#define MAX_READERS	16
#define MAX_REPORTS	10

void maple_tree_init(void);
void mt_validate(struct maple_tree *mt);
extern int nr_allocated;

enum op_kind { OP_MAP, OP_SPLIT, OP_MERGE, OP_ERASE, OP_PUNCH, OP_FILL, OP_KINDS };
static const char *const op_name[OP_KINDS] = {
	"map", "split", "merge", "erase", "punch", "fill",
};

struct op_log {
	uint64_t op;		/* written last (release), read first and last */
	uint32_t first, last;	/* page range */
	uint32_t null;		/* stored NULL */
};

enum reader_kind { RD_WALK, RD_FIND, RD_FINDFROM, RD_KINDS };

struct reader_stats {
	unsigned long lookups;		/* lookups (mas_find: entries seen) */
	unsigned long newer;		/* saw an entry newer than at the start */
	unsigned long nulls;		/* NULL results checked */
	unsigned long unverifiable;	/* too many writes during the lookup */
	unsigned long passes;		/* mas_find: full walks */
};

static struct maple_tree tree;
static struct op_log oplog[LOGN];
static uint64_t last_op[NUNITS];	/* (op << 1) | stored NULL */
static uint64_t started;		/* number of the newest operation begun */
static int stop, failures;
static int reports;
static unsigned long range_notes;	/* ranges that do not fit their entry */
static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

/* options */
static unsigned int opt_seconds = 10, opt_readers = 3;
static unsigned long opt_seed;
static bool opt_no_rcu, opt_strict_ranges;

static uint64_t load_acq(uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_rel(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint64_t rnd(uint64_t *s)		/* xorshift64* */
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static unsigned long rnd_below(uint64_t *s, unsigned long n)
{
	return rnd(s) % n;
}

/* Entries: op << 33 | first << 22 | last << 11 | check << 1 | 1. */
static unsigned int check_code(uint64_t op, unsigned long first, unsigned long last)
{
	uint64_t h = (op * 0x9E3779B97F4A7C15ULL) ^ (first << 17) ^ (last << 5);

	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h & 0x3ff;
}

static void *make_entry(uint64_t op, unsigned long first, unsigned long last)
{
	return (void *)(uintptr_t)(op << 33 | first << 22 | last << 11 |
				   check_code(op, first, last) << 1 | 1);
}

struct decoded {
	uint64_t op;
	unsigned long first, last;
};

static bool decode(void *entry, struct decoded *d)
{
	uint64_t v = (uintptr_t)entry;

	if (!(v & 1))
		return false;
	d->op = v >> 33;
	d->first = (v >> 22) & 0x7ff;
	d->last = (v >> 11) & 0x7ff;
	return d->first <= d->last && d->op &&
	       ((v >> 1) & 0x3ff) == check_code(d->op, d->first, d->last);
}

static unsigned long unit_of(unsigned long index)
{
	return (index - BASE) / UNIT;
}

static bool in_region(unsigned long index)
{
	return index >= BASE && index < BASE + NUNITS * UNIT;
}

/* Print "rcu_stress: KIND [WHO] message"; report_lock is held. */
static void print_report(const char *kind, const char *who, const char *fmt,
			 va_list ap)
{
	printf("rcu_stress: %s [%s] ", kind, who);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
}

static void vfail(const char *who, const char *fmt, va_list ap)
{
	pthread_mutex_lock(&report_lock);
	failures++;
	if (reports++ < MAX_REPORTS)
		print_report("FAIL", who, fmt, ap);
	pthread_mutex_unlock(&report_lock);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
}

static void fail(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(who, fmt, ap);
	va_end(ap);
}

/*
 * A range the tree reports that does not fit the entry it came with. The
 * entry itself is checked separately; 6.1's readers can see a leaf that a
 * writer is changing in place (docs/maple-rcu.md), so by default this is
 * counted and shown, not failed (--strict-ranges fails it).
 */
static void range_note(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void range_note(const char *who, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (opt_strict_ranges) {
		vfail(who, fmt, ap);
	} else {
		pthread_mutex_lock(&report_lock);
		if (range_notes++ < 3)
			print_report("note", who, fmt, ap);
		pthread_mutex_unlock(&report_lock);
	}
	va_end(ap);
}

/*
 * Was page @u made empty by an operation in (@from, @to]? 1 yes, 0 no,
 * -1 the log no longer holds those operations.
 */
static int nulled_since(unsigned long u, uint64_t from, uint64_t to)
{
	int found = 0;

	if (to - from >= LOGN / 2)
		return -1;
	for (uint64_t j = from + 1; j <= to; j++) {
		struct op_log *l = &oplog[j % LOGN];
		uint32_t first, last, null;

		if (load_acq(&l->op) != j)
			return -1;
		first = __atomic_load_n(&l->first, __ATOMIC_RELAXED);
		last = __atomic_load_n(&l->last, __ATOMIC_RELAXED);
		null = __atomic_load_n(&l->null, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (load_acq(&l->op) != j)
			return -1;
		if (null && first <= u && u <= last)
			found = 1;
	}
	return found;
}

/*
 * Check one result: @entry was found for @index, the tree said it spans
 * [@lo, @hi]; @l1 was last_op[] of the page before the lookup, @s2 the
 * newest operation begun after it.
 */
static void check_entry(const char *who, struct reader_stats *st, unsigned long index,
			void *entry, unsigned long lo, unsigned long hi,
			uint64_t l1, uint64_t s2)
{
	struct decoded d;
	unsigned long u = unit_of(index);
	uint64_t op1 = l1 >> 1;

	if (lo > index || hi < index)
		range_note(who, "index %#lx: the tree reports range [%#lx, %#lx] for %p, which does not contain the index",
			   index, lo, hi, entry);
	if (!in_region(index)) {
		if (entry)
			fail(who, "index %#lx outside the region holds %p, nothing was ever stored there",
			     index, entry);
		return;
	}
	if (!entry) {
		int r;

		st->nulls++;
		if (l1 & 1)
			return;		/* empty before the lookup */
		r = nulled_since(u, op1, s2);
		if (r < 0)
			st->unverifiable++;
		else if (!r)
			fail(who, "index %#lx (page %lu): NULL, but op %llu left the page mapped before the lookup and no operation emptied it since (ops begun up to %llu)",
			     index, u, (unsigned long long)op1, (unsigned long long)s2);
		return;
	}
	if (!decode(entry, &d)) {
		fail(who, "index %#lx (page %lu): garbage entry %p (not a value the writer made; freed node?)",
		     index, u, entry);
		return;
	}
	if (u < d.first || u > d.last) {
		fail(who, "index %#lx (page %lu): entry of op %llu, which stored pages %lu-%lu only: a value never stored at this index",
		     index, u, (unsigned long long)d.op, d.first, d.last);
		return;
	}
	if (lo < BASE + d.first * UNIT || hi > BASE + (d.last + 1) * UNIT - 1)
		range_note(who, "index %#lx: entry of op %llu (pages %lu-%lu) reported over [%#lx, %#lx], beyond what was stored",
			   index, (unsigned long long)d.op, d.first, d.last, lo, hi);
	if (d.op > s2) {
		fail(who, "index %#lx: entry of op %llu, but only %llu operations had begun",
		     index, (unsigned long long)d.op, (unsigned long long)s2);
		return;
	}
	if (d.op < op1) {
		fail(who, "index %#lx (page %lu): stale entry of op %llu; op %llu had completed on this page before the lookup began",
		     index, u, (unsigned long long)d.op, (unsigned long long)op1);
		return;
	}
	if (d.op > op1)
		st->newer++;
}

static void *reader_walk(struct reader_stats *st, uint64_t *seed)
{
	MA_STATE(mas, &tree, 0, 0);

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned long index, u, lo, hi;
		uint64_t l1 = 0, s2;
		void *entry;

		/* one lookup in 64 outside the region, where nothing is ever stored */
		if (!rnd_below(seed, 64))
			index = rnd_below(seed, 2) ? rnd_below(seed, BASE) :
				BASE + NUNITS * UNIT + rnd_below(seed, 1UL << 40);
		else
			index = BASE + rnd_below(seed, NUNITS * UNIT);
		u = unit_of(index);
		if (in_region(index))
			l1 = load_acq(&last_op[u]);

		rcu_read_lock();
		mas_set(&mas, index);
		entry = mas_walk(&mas);
		lo = mas.index;
		hi = mas.last;
		rcu_read_unlock();

		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = load_acq(&started);
		st->lookups++;
		check_entry("mas_walk", st, index, entry, lo, hi, l1, s2);
	}
	return NULL;
}

static void *reader_find(struct reader_stats *st, uint64_t *seed)
{
	static __thread uint64_t snap[NUNITS];
	MA_STATE(mas, &tree, 0, 0);

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned long prev_hi = 0, n = 0, entries = 0, burst = 1 + rnd_below(seed, 16);
		bool first = true;
		uint64_t s2;
		void *entry;

		for (unsigned long u = 0; u < NUNITS; u++)
			snap[u] = load_acq(&last_op[u]);

		rcu_read_lock();
		mas_set(&mas, 0);
		mas_for_each(&mas, entry, ULONG_MAX) {
			unsigned long lo = mas.index, hi = mas.last;

			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			s2 = load_acq(&started);
			/*
			 * The walk goes on from prev_hi + 1; after a pause the
			 * entry there may have grown back over earlier indices
			 * (a merge), so only its end must lie beyond.
			 */
			if (lo > hi) {
				range_note("mas_find", "entry %p reported over [%#lx, %#lx]: the range is inverted",
					   entry, lo, hi);
				break;
			}
			if (!first && hi <= prev_hi) {
				range_note("mas_find", "entry %p at [%#lx, %#lx] does not end after the previous one, which ended at %#lx",
					   entry, lo, hi, prev_hi);
				break;
			}
			if (++entries > 4 * NUNITS) {
				fail("mas_find", "a walk over the tree returned more than %lu entries: it does not end",
				     4 * NUNITS);
				break;
			}
			first = false;
			prev_hi = hi;
			st->lookups++;
			if (!in_region(lo) || !in_region(hi)) {
				fail("mas_find", "entry %p at [%#lx, %#lx], outside the region where entries are stored",
				     entry, lo, hi);
				break;
			}
			/* the entry must be new enough at both ends */
			check_entry("mas_find", st, lo, entry, lo, hi, snap[unit_of(lo)] & ~1ULL, s2);
			check_entry("mas_find", st, hi, entry, lo, hi, snap[unit_of(hi)] & ~1ULL, s2);
			if (++n % burst == 0) {
				mas_pause(&mas);
				rcu_read_unlock();
				rcu_read_lock();
			}
			if (hi == ULONG_MAX)
				break;
		}
		rcu_read_unlock();
		st->passes++;
	}
	return NULL;
}

/*
 * find_vma()'s lookup: the first entry that ends at or after an index.
 * 6.1's find_vma() calls mt_find(), which does this under rcu_read_lock();
 * mt_find() itself is not used here because its CONFIG_DEBUG_MAPLE_TREE
 * check ("index not increased", MT_BUG_ON) aborts the process when it
 * sees a reported range ending before the index, which readers racing with
 * a writer can (docs/maple-rcu.md).
 */
static void *reader_findfrom(struct reader_stats *st, uint64_t *seed)
{
	MA_STATE(mas, &tree, 0, 0);

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned long index = BASE + rnd_below(seed, NUNITS * UNIT);
		unsigned long u = unit_of(index), lo, hi;
		uint64_t l1 = load_acq(&last_op[u]), s2;
		struct decoded d;
		void *entry;

		rcu_read_lock();
		mas_set(&mas, index);
		entry = mas_find(&mas, ULONG_MAX);
		lo = mas.index;
		hi = mas.last;
		rcu_read_unlock();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = load_acq(&started);
		st->lookups++;
		if (!entry)
			continue;
		if (hi < index) {
			range_note("find", "from %#lx: entry %p reported over [%#lx, %#lx], ending before the index",
				   index, entry, lo, hi);
			continue;
		}
		if (lo <= index) {
			/* the entry covers the index: the full check */
			check_entry("find", st, index, entry, lo, hi, l1, s2);
			continue;
		}
		/* an entry after the index: the page it starts on */
		if (!decode(entry, &d))
			fail("find", "from %#lx: garbage entry %p (not a value the writer made; freed node?)",
			     index, entry);
		else if (d.op > s2)
			fail("find", "from %#lx: entry of op %llu, but only %llu operations had begun",
			     index, (unsigned long long)d.op, (unsigned long long)s2);
		else if (in_region(lo) && (unit_of(lo) < d.first || unit_of(lo) > d.last))
			fail("find", "from %#lx: entry of op %llu (pages %lu-%lu) at %#lx, where that op never stored",
			     index, (unsigned long long)d.op, d.first, d.last, lo);
	}
	return NULL;
}

struct reader {
	pthread_t thread;
	enum reader_kind kind;
	uint64_t seed;
	struct reader_stats st;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	rcu_register_thread();
	switch (r->kind) {
	case RD_WALK:
		reader_walk(&r->st, &r->seed);
		break;
	case RD_FIND:
		reader_find(&r->st, &r->seed);
		break;
	default:
		reader_findfrom(&r->st, &r->seed);
		break;
	}
	rcu_unregister_thread();
	return NULL;
}

/* The writer's copy of the tree: the entry at each page (NULL if empty). */
static void *shadow[NUNITS];

/* The extent of equal entries around page @u: [*a, *b]. */
static void extent(unsigned long u, unsigned long *a, unsigned long *b)
{
	*a = *b = u;
	while (*a > 0 && shadow[*a - 1] == shadow[u])
		(*a)--;
	while (*b < NUNITS - 1 && shadow[*b + 1] == shadow[u])
		(*b)++;
}

/* Pick the range of one operation; false if there is nothing to do it on. */
static bool pick(enum op_kind kind, uint64_t *seed, unsigned long *first, unsigned long *last)
{
	unsigned long u = rnd_below(seed, NUNITS), a, b, c, len;

	switch (kind) {
	case OP_MAP:
		len = 1 + rnd_below(seed, 16);
		break;
	case OP_PUNCH:
	case OP_FILL:
		len = 64 + rnd_below(seed, 448);
		break;
	case OP_SPLIT:
		extent(u, &a, &b);
		if (!shadow[u] || a == b)
			return false;
		switch (rnd_below(seed, 3)) {
		case 0:				/* the front */
			*first = a;
			*last = a + rnd_below(seed, b - a);
			break;
		case 1:				/* the back */
			*first = a + 1 + rnd_below(seed, b - a);
			*last = b;
			break;
		default:			/* the middle */
			if (b - a < 2)
				return false;
			*first = a + 1 + rnd_below(seed, b - a - 1);
			*last = *first + rnd_below(seed, b - *first);
			break;
		}
		return true;
	case OP_MERGE:
		extent(u, &a, &b);
		if (!shadow[u] || b == NUNITS - 1 || !shadow[b + 1])
			return false;
		extent(b + 1, &c, &c);
		*first = a;
		*last = c;
		return true;
	case OP_ERASE:
		extent(u, &a, &b);
		if (!shadow[u])
			return false;
		*first = a;
		*last = b;
		return true;
	default:
		return false;
	}
	*first = u;
	*last = u + len - 1 < NUNITS ? u + len - 1 : NUNITS - 1;
	return true;
}

static int verify_shadow(const char *when)
{
	int bad = 0;

	for (unsigned long u = 0; u < NUNITS; u++) {
		unsigned long index = BASE + u * UNIT + (u * 7919) % UNIT;
		void *entry = mtree_load(&tree, index);

		if (entry != shadow[u]) {
			bad++;
			fail("writer", "%s: index %#lx (page %lu) holds %p, the writer stored %p",
			     when, index, u, entry, shadow[u]);
		}
	}
	return bad;
}

struct writer_stats {
	unsigned long ops[OP_KINDS];
	unsigned long skipped;
};

static void writer(struct writer_stats *ws, uint64_t *seed, time_t end)
{
	/* weights: map 30, split 25, merge 20, erase 15, punch 5, fill 5 */
	static const unsigned int weight[OP_KINDS] = { 30, 25, 20, 15, 5, 5 };
	uint64_t op = 1;	/* op 1 was the setup */

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned long first, last, w = rnd_below(seed, 100);
		enum op_kind kind = 0;
		struct op_log *l;
		bool null;
		void *entry;
		int ret;

		while (w >= weight[kind])
			w -= weight[kind++];
		if (!pick(kind, seed, &first, &last)) {
			ws->skipped++;
			continue;
		}
		null = kind == OP_ERASE || kind == OP_PUNCH;
		op++;
		entry = null ? NULL : make_entry(op, first, last);

		/* log the operation, then announce it, then do it */
		l = &oplog[op % LOGN];
		__atomic_store_n(&l->op, 0, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		__atomic_store_n(&l->first, first, __ATOMIC_RELAXED);
		__atomic_store_n(&l->last, last, __ATOMIC_RELAXED);
		__atomic_store_n(&l->null, null, __ATOMIC_RELAXED);
		store_rel(&l->op, op);
		store_rel(&started, op);

		ret = mtree_store_range(&tree, BASE + first * UNIT,
					BASE + (last + 1) * UNIT - 1, entry, GFP_KERNEL);
		if (ret) {
			fail("writer", "mtree_store_range(pages %lu-%lu) failed: %d", first, last, ret);
			break;
		}
		for (unsigned long u = first; u <= last; u++) {
			shadow[u] = entry;
			store_rel(&last_op[u], op << 1 | null);
		}
		ws->ops[kind]++;

		if (op % 1024 == 0) {
			verify_shadow("during the run");
			if (time(NULL) >= end)
				break;
		}
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rcu_stress [--seconds N] [--readers N] [--seed N] [--no-rcu]\n"
		"                  [--strict-ranges]\n"
		"  --seconds N  run time (default 10)\n"
		"  --readers N  reader threads, 1-%d: mas_walk, mas_find walk, mas_find\n"
		"               from an index (find_vma), in turn (default 3)\n"
		"  --seed N     random seed (default: from the clock; printed)\n"
		"  --no-rcu     do not put the tree in RCU mode: a negative control that\n"
		"               is expected to FAIL (nodes are freed under the readers)\n"
		"  --strict-ranges  fail, rather than count, ranges that do not fit the\n"
		"               entry they were reported with\n",
		MAX_READERS);
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max || *s == '-') {
		fprintf(stderr, "rcu_stress: %s: '%s' is not a number from %lu to %lu\n",
			opt, s, min, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "readers", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "no-rcu", no_argument, NULL, 'n' },
		{ "strict-ranges", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct reader readers[MAX_READERS];
	struct reader_stats total[RD_KINDS] = { 0 };
	struct writer_stats ws = { 0 };
	unsigned long nops = 0;
	uint64_t seed;
	int c;

	opt_seed = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt_seconds = parse_num("--seconds", optarg, 1, 3600);
			break;
		case 'r':
			opt_readers = parse_num("--readers", optarg, 1, MAX_READERS);
			break;
		case 'S':
			opt_seed = parse_num("--seed", optarg, 1, ULONG_MAX);
			break;
		case 'n':
			opt_no_rcu = true;
			break;
		case 'R':
			opt_strict_ranges = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "rcu_stress: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	maple_tree_init();
	rcu_register_thread();
	/* the VMA tree's flags (MM_MT_FLAGS), with the tree's own lock */
	mt_init_flags(&tree, MT_FLAGS_ALLOC_RANGE | (opt_no_rcu ? 0 : MT_FLAGS_USE_RCU));
	printf("rcu_stress: %u s, 1 writer, %u reader(s), seed %lu, RCU mode %s\n",
	       opt_seconds, opt_readers, opt_seed, mt_in_rcu(&tree) ? "on" : "OFF");
	fflush(stdout);

	/* start half full: one entry per 4 pages, 2 pages long */
	for (unsigned long u = 0; u + 1 < NUNITS; u += 4) {
		void *entry = make_entry(1, u, u + 1);

		if (mtree_store_range(&tree, BASE + u * UNIT, BASE + (u + 2) * UNIT - 1,
				      entry, GFP_KERNEL)) {
			printf("rcu_stress: FAIL [setup] mtree_store_range failed\n");
			return 1;
		}
		shadow[u] = shadow[u + 1] = entry;
		last_op[u] = last_op[u + 1] = 1 << 1;
	}
	for (unsigned long u = 0; u < NUNITS; u++)
		if (!shadow[u])
			last_op[u] = 1 << 1 | 1;
	oplog[1].op = 1;
	oplog[1].first = 0;
	oplog[1].last = NUNITS - 1;
	started = 1;
	seed = opt_seed * 2 + 1;

	for (unsigned int i = 0; i < opt_readers; i++) {
		readers[i].kind = i % RD_KINDS;
		readers[i].seed = rnd(&seed) | 1;
		memset(&readers[i].st, 0, sizeof(readers[i].st));
		if (pthread_create(&readers[i].thread, NULL, reader_main, &readers[i])) {
			printf("rcu_stress: FAIL [setup] pthread_create failed\n");
			return 1;
		}
	}
	writer(&ws, &seed, time(NULL) + opt_seconds);
	for (unsigned int i = 0; i < opt_readers; i++) {
		pthread_join(readers[i].thread, NULL);
		total[readers[i].kind].lookups += readers[i].st.lookups;
		total[readers[i].kind].newer += readers[i].st.newer;
		total[readers[i].kind].nulls += readers[i].st.nulls;
		total[readers[i].kind].unverifiable += readers[i].st.unverifiable;
		total[readers[i].kind].passes += readers[i].st.passes;
	}

	for (int k = 0; k < OP_KINDS; k++)
		nops += ws.ops[k];
	printf("rcu_stress: writer: %lu operations:", nops);
	for (int k = 0; k < OP_KINDS; k++)
		printf(" %s %lu%s", op_name[k], ws.ops[k], k == OP_KINDS - 1 ? "\n" : ",");
	printf("rcu_stress: mas_walk: %lu lookups (%lu NULL), %lu found an entry newer than the page had at their start, %lu NULLs not verifiable\n",
	       total[RD_WALK].lookups, total[RD_WALK].nulls, total[RD_WALK].newer,
	       total[RD_WALK].unverifiable);
	if (opt_readers > RD_FIND)
		printf("rcu_stress: mas_find: %lu walks over the tree, %lu entries, %lu entry ends newer than at the walk's start\n",
		       total[RD_FIND].passes, total[RD_FIND].lookups, total[RD_FIND].newer);
	if (opt_readers > RD_FINDFROM)
		printf("rcu_stress: find (mas_find from an index): %lu lookups, %lu found an entry newer than the page had at their start\n",
		       total[RD_FINDFROM].lookups, total[RD_FINDFROM].newer);
	printf("rcu_stress: %lu reported range(s) did not fit their entry (entries themselves checked)\n",
	       range_notes);

	if (!failures) {
		verify_shadow("at the end");
		mt_validate(&tree);
	}
	mtree_destroy(&tree);
	rcu_barrier();
	if (!failures && nr_allocated) {
		printf("rcu_stress: FAIL [end] %d maple node(s) still allocated after mtree_destroy()\n",
		       nr_allocated);
		failures++;
	}
	/* a run too short to mean anything is not a pass */
	if (!failures && (nops < 1000 || total[RD_WALK].lookups < 1000)) {
		printf("rcu_stress: FAIL [end] too little work to judge (%lu writer operations, %lu walks)\n",
		       nops, total[RD_WALK].lookups);
		failures++;
	}
	rcu_unregister_thread();
	if (failures) {
		printf("rcu_stress: FAILED: %d problem(s) (seed %lu)\n", failures, opt_seed);
		return 1;
	}
	printf("rcu_stress: ok\n");
	return 0;
}
