// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

int remap_pfn_range_notrack(struct vm_area_struct *vma, unsigned long addr,
			    unsigned long pfn, unsigned long size, pgprot_t prot)
{
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
		    unsigned long pfn, unsigned long size, pgprot_t prot)
{
	int err;

	err = track_pfn_remap(vma, &prot, pfn, addr, PAGE_ALIGN(size));
	if (err)
		return -EINVAL;
	err = remap_pfn_range_notrack(vma, addr, pfn, size, prot);
	if (err)
		untrack_pfn(vma, pfn, PAGE_ALIGN(size));
	return err;
}

/* Sets VM_MIXEDMAP only if it is not set: left out unless --keep-guarded. */
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr,
		   struct page *page)
{
	if (!(vma->vm_flags & VM_MIXEDMAP)) {
		BUG_ON(mmap_read_trylock(vma->vm_mm));
		vm_flags_set(vma, VM_MIXEDMAP);
	}
	return insert_page(vma, addr, page, vma->vm_page_prot);
}

static void unmap_single_vma(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long start, unsigned long end)
{
	if (vma->vm_flags & VM_PFNMAP)
		untrack_pfn(vma, 0, 0);
}

void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma,
		unsigned long start, unsigned long end)
{
	for (; vma; vma = vma->vm_next)
		unmap_single_vma(tlb, vma, start, end);
}

void zap_page_range_single(struct vm_area_struct *vma, unsigned long address,
			   unsigned long size)
{
	struct mmu_gather tlb;

	unmap_single_vma(&tlb, vma, address, address + size);
}

static void unmap_mapping_range_vma(struct vm_area_struct *vma,
				    unsigned long start, unsigned long end)
{
	zap_page_range_single(vma, start, end - start);
}

/* Only the core unmap/zap functions above a context are followed up: the
 * callers of unmap_mapping_range() are read only if they call one of them
 * directly (drivers/baz). */
void unmap_mapping_range(struct address_space *mapping, loff_t start,
			 loff_t len, int even_cows)
{
	struct vm_area_struct *vma;

	vma_interval_tree_foreach(vma, &mapping->i_mmap, 0, ULONG_MAX)
		unmap_mapping_range_vma(vma, vma->vm_start, vma->vm_end);
}

void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address,
		  unsigned long size)
{
	if (vma->vm_flags & VM_PFNMAP)
		zap_page_range_single(vma, address, size);
}

static inline bool upgrade_mmap_lock_carefully(struct mm_struct *mm,
					       struct pt_regs *regs)
{
	mmap_read_unlock(mm);
	return !mmap_write_lock_killable(mm);
}

/* Returns with the read lock held; expands the stack under the write lock. */
struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm,
					    unsigned long addr,
					    struct pt_regs *regs)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (likely(vma && vma->vm_start <= addr))
		return vma;
	if (!upgrade_mmap_lock_carefully(mm, regs))
		return NULL;
	vma = find_vma(mm, addr);
	if (!vma || expand_stack_locked(vma, addr)) {
		mmap_write_unlock(mm);
		return NULL;
	}
	mmap_write_downgrade(mm);
	return vma;
}
