/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface of tests/kmod/pervma_test.c (/dev/pervma_test), shared
 * with the guest test programs.
 */
#ifndef PERVMA_TEST_H
#define PERVMA_TEST_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <sys/ioctl.h>
#include <stdint.h>
#endif

/* The module's buffer: this many pages, word w of page p holding the pattern. */
#define PERVMA_TEST_PAGES	16
#define PERVMA_TEST_MAGIC	0x7065727666616c74ULL	/* "pervfalt" */
#define PERVMA_TEST_WORD(p, w)	(PERVMA_TEST_MAGIC ^ ((unsigned long long)(p) << 32 | (w)))

/*
 * mmap() offset, in pages: (mode << PERVMA_TEST_MODE_SHIFT) + first page of
 * the buffer to map. Shared mappings only.
 *   PFN    remap_pfn_range() in ->mmap, as a driver that maps device memory
 *          does (on x86 with PAT, a whole-VMA remap is tracked: VM_PAT,
 *          untracked again on every unmap)
 *   FAULT  VM_PFNMAP set in ->mmap, every page inserted by ->fault with
 *          vmf_insert_pfn(): the way to map PFNs at fault time
 *   REMAP  ->fault remaps the whole VMA with remap_pfn_range(), as 6.1's
 *          vfio-pci did: VMA flags written with the mmap_lock held for read
 *   REMAP_PAGE  ->fault remaps the faulting page with remap_pfn_range(), as
 *          6.1's SGI GRU driver does, the flags set in ->mmap beforehand: no
 *          flag needs to change (nor may, the mmap_lock being held for read)
 */
#define PERVMA_TEST_MODE_SHIFT	8
#define PERVMA_TEST_MAP_PFN	0
#define PERVMA_TEST_MAP_FAULT	1
#define PERVMA_TEST_MAP_REMAP	2
#define PERVMA_TEST_MAP_REMAP_PAGE	3
#define PERVMA_TEST_PGOFF(mode, page)	(((mode) << PERVMA_TEST_MODE_SHIFT) + (page))

/*
 * MISUSE: vm_flags_set(vma, VM_DONTDUMP) on the caller's VMA that contains
 * the address, with the mmap_lock held only for read, as an out-of-tree
 * driver that breaks the locking rules does. (lockdep is told to look away
 * during the call, so that a debug kernel shows what a production kernel
 * does; its own assertion would otherwise complain, as it should.)
 * TAKE_ALL_LOCKS: register an mmu_notifier on the caller's mm, which runs
 * mm_take_all_locks(), then unregister it; -EOPNOTSUPP without
 * CONFIG_MMU_NOTIFIER.
 */
#define PERVMA_TEST_IOC_MISUSE		_IOW('P', 1, unsigned long)
#define PERVMA_TEST_IOC_TAKE_ALL_LOCKS	_IO('P', 2)
/* INFO: returns the PERVMA_TEST_HAS_* the kernel was built with. */
#define PERVMA_TEST_IOC_INFO		_IO('P', 3)
#define PERVMA_TEST_HAS_PER_VMA_LOCK	1

#define PERVMA_TEST_DEV		"/dev/pervma_test"

#endif /* PERVMA_TEST_H */
