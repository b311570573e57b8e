// SPDX-License-Identifier: GPL-2.0
/*
 * thp_collapse - collapse shmem pages into a huge page with MADV_COLLAPSE
 * while other threads fault and a writer write-locks the mm: khugepaged's
 * collapse code, which 6.1's MADV_COLLAPSE shares, changes page tables
 * under the VMA write lock and must take that lock before the page lock,
 * i_mmap_rwsem and the anon_vma lock (lockdep, taught the order at boot,
 * judges it). Each round, on a fresh memfd of two huge pages:
 *
 *  shared   a MAP_SHARED mapping of huge page 0, populated with small pages,
 *           collapsed: the page tables of every mapping of the range are
 *           retracted (retract_page_tables(), the VMA write lock only
 *           tried, under i_mmap_rwsem) and the huge page mapped by a PMD;
 *  private  a MAP_PRIVATE mapping of huge page 1 that has an anon_vma (one
 *           page written, copied, then dropped again), collapsed twice: the
 *           first collapse makes the huge page in the page cache, the
 *           second finds it mapped by PTEs and takes them down itself
 *           (collapse_pte_mapped_thp(): page lock, i_mmap_rwsem, anon_vma
 *           lock), then maps it by a PMD.
 *
 * Every page is checked after each step, and /proc/self/smaps must show
 * the mappings huge (ShmemPmdMapped) at least once, or the test did not
 * reach the code it is for. Skips (exit 4) where MADV_COLLAPSE or shmem
 * THP is missing.
 */
#include "common.h"

#include <fcntl.h>
#include <sys/syscall.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

#define HPAGE		(2UL << 20)

static int stop;
static uint64_t n_faults, n_writer;
static uint64_t *anon;
#define ANON_PAGES	32

static bool stopped(void)
{
	return __atomic_load_n(&stop, __ATOMIC_RELAXED);
}

static void *writer(void *arg)
{
	size_t len = 16 * page_size;

	(void)arg;
	while (!stopped()) {
		char *p = map_anon(len, PROT_READ | PROT_WRITE);

		p[0] = 1;
		if (mprotect(p, len / 2, PROT_READ) || munmap(p, len))
			die("mprotect/munmap: %m");
		__atomic_add_fetch(&n_writer, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *faulter(void *arg)
{
	uint64_t seed = (uintptr_t)arg;

	while (!stopped()) {
		unsigned long pg = rng_next(&seed) % ANON_PAGES;
		uint64_t *w = anon + pg * page_words;

		if (w[0] && w[0] != (pg | 0xc000))
			fail("anonymous page %lu holds %#llx", pg, (unsigned long long)w[0]);
		w[0] = pg | 0xc000;
		if (!(rng_next(&seed) & 7) && madvise(w, page_size, MADV_DONTNEED))
			die("madvise(MADV_DONTNEED): %m");
		__atomic_add_fetch(&n_faults, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static uint64_t word(unsigned long round, unsigned long pg, size_t i)
{
	return mix64(round << 40 | pg << 20 | i);
}

static void check(const uint64_t *p, unsigned long round, unsigned long first,
		  const char *what)
{
	for (unsigned long pg = 0; pg < HPAGE / page_size; pg++) {
		const uint64_t *w = p + pg * page_words;

		for (size_t i = 0; i < page_words; i += 61) {
			if (w[i] != word(round, first + pg, i)) {
				fail("round %lu, %s: page %lu word %zu is %#llx, want %#llx",
				     round, what, pg, i, (unsigned long long)w[i],
				     (unsigned long long)word(round, first + pg, i));
				return;
			}
		}
	}
}

/* Map @len bytes of @fd at @off at a huge-page-aligned address. */
static uint64_t *map_aligned(int fd, off_t off, int flags)
{
	char *p = mmap(NULL, 2 * HPAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		die("mmap: %m");
	a = (char *)(((uintptr_t)p + HPAGE - 1) & ~(HPAGE - 1));
	if (mmap(a, HPAGE, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, off) == MAP_FAILED)
		die("mmap of the memfd: %m");
	if (a > p && munmap(p, a - p))
		die("munmap: %m");
	if (munmap(a + HPAGE, p + 2 * HPAGE - (a + HPAGE)))
		die("munmap: %m");
	return (uint64_t *)a;
}

/* Is the mapping at @addr mapped by a PMD, per /proc/self/smaps? */
static bool pmd_mapped(const void *addr)
{
	unsigned long start, end, kb;
	bool in = false, ret = false;
	char line[256];
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		die("/proc/self/smaps: %m");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			in = start == (unsigned long)addr;
		else if (in && sscanf(line, "ShmemPmdMapped: %lu kB", &kb) == 1)
			ret = kb >= HPAGE / 1024;
	}
	fclose(f);
	return ret;
}

static int collapse(void *p, const char *what, bool must)
{
	if (!madvise(p, HPAGE, MADV_COLLAPSE))
		return 0;
	if (errno == EINVAL)
		return -1;
	if (must)
		fail("madvise(MADV_COLLAPSE) of the %s mapping: %m", what);
	return errno;
}

static void usage(void)
{
	printf("usage: %s [--seconds N] [--threads N]\n", prog_name);
}

int main(int argc, char **argv)
{
	struct stress_opts o = { .seconds = 5, .threads = 2, .max_threads = 8 };
	unsigned long round, huge_shared = 0, huge_private = 0;
	pthread_t writer_tid, tid[8];
	uint64_t deadline, *pagebuf;

	prog_init(argv[0]);
	parse_stress_args(argc, argv, &o, usage);
	pagebuf = malloc(page_size);
	if (!pagebuf)
		die("out of memory");

	anon = map_isolated(ANON_PAGES * page_size);
	for (unsigned long pg = 0; pg < ANON_PAGES; pg++)
		anon[pg * page_words] = pg | 0xc000;
	if (pthread_create(&writer_tid, NULL, writer, NULL))
		die("pthread_create failed");
	for (unsigned long t = 0; t < o.threads; t++)
		if (pthread_create(&tid[t], NULL, faulter, (void *)(t + 1)))
			die("pthread_create failed");

	deadline = now_ns() + o.seconds * NSEC_PER_SEC;
	for (round = 0; now_ns() < deadline || round < 2; round++) {
		int fd = syscall(SYS_memfd_create, "thp_collapse", 0);
		uint64_t *sh, *pv;

		if (fd < 0)
			die("memfd_create: %m");
		if (ftruncate(fd, 2 * HPAGE))
			die("ftruncate: %m");

		/* Shared: small pages first (memfds are never huge by default). */
		sh = map_aligned(fd, 0, MAP_SHARED);
		for (unsigned long pg = 0; pg < HPAGE / page_size; pg++)
			for (size_t i = 0; i < page_words; i += 61)
				sh[pg * page_words + i] = word(round, pg, i);
		if (collapse(sh, "shared", false) < 0) {
			char buf[128] = "";
			FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "r");

			if (f) {
				if (!fgets(buf, sizeof(buf), f))
					buf[0] = 0;
				fclose(f);
			}
			msg("skip: madvise(MADV_COLLAPSE) of a shmem mapping: EINVAL (shmem_enabled: %s)",
			    f ? buf : "missing: no THP");
			return 4;
		}
		check(sh, round, 0, "shared, collapsed");
		huge_shared += pmd_mapped(sh);

		/* Private: the page cache filled through the file, then mapped. */
		for (unsigned long pg = 0; pg < HPAGE / page_size; pg++) {
			for (size_t i = 0; i < page_words; i++)
				pagebuf[i] = i % 61 ? 0 : word(round, 512 + pg, i);
			if (pwrite(fd, pagebuf, page_size, HPAGE + pg * page_size) !=
			    (ssize_t)page_size)
				die("pwrite: %m");
		}
		pv = map_aligned(fd, HPAGE, MAP_PRIVATE);
		check(pv, round, 512, "private, small pages");
		pv[0] = ~pv[0];		/* copied: the VMA gets an anon_vma */
		if (madvise(pv, page_size, MADV_DONTNEED))	/* and the copy goes */
			die("madvise(MADV_DONTNEED): %m");
		check(pv, round, 512, "private, copy dropped");
		collapse(pv, "private", false);		/* the page cache */
		check(pv, round, 512, "private, after the first collapse");
		collapse(pv, "private", true);		/* the PTE-mapped huge page */
		check(pv, round, 512, "private, collapsed");
		huge_private += pmd_mapped(pv);

		if (munmap(sh, HPAGE) || munmap(pv, HPAGE))
			die("munmap: %m");
		close(fd);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(writer_tid, NULL);
	for (unsigned long t = 0; t < o.threads; t++)
		pthread_join(tid[t], NULL);

	msg("%lu rounds: shared huge %lu times, private huge %lu times; %llu faults, %llu writer rounds",
	    round, huge_shared, huge_private, (unsigned long long)n_faults,
	    (unsigned long long)n_writer);
	require_nonzero("shared mappings made huge", huge_shared);
	require_nonzero("private mappings made huge", huge_private);
	require_nonzero("faults", n_faults);
	if (nr_failures()) {
		msg("FAIL: %d failure(s)", nr_failures());
		return 1;
	}
	return 0;
}
