// SPDX-License-Identifier: GPL-2.0
/*
 * The core unmap/zap paths (as in mm/memory.c): they run from exit_mmap(),
 * from munmap after the lock downgrade and from truncation, without the
 * mmap_lock held for write.
 */
#include <linux/mm.h>

static void unmap_single_vma(struct mmu_gather *tlb,
			     struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, struct zap_details *details)
{
	if (unlikely(vma->vm_flags & VM_PFNMAP))
		untrack_pfn(vma, 0, 0);
	unmap_page_range(tlb, vma, start, end, details);
}

void zap_page_range_single(struct vm_area_struct *vma, unsigned long address,
			   unsigned long size, struct zap_details *details)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	unmap_single_vma(&tlb, vma, address, address + size, details);
	tlb_finish_mmu(&tlb);
}

/* No VMA (as memremap_pages() does it): untrack_pfn() writes no flags. */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start,
			 pgoff_t nr, bool even_cows)
{
	untrack_pfn(NULL, start << PAGE_SHIFT, nr << PAGE_SHIFT);
}

/* In no context (its callers are in other files): not reported. */
int drv_remap_pfn_range(struct vm_area_struct *vma, unsigned long addr,
			unsigned long pfn, unsigned long size, pgprot_t prot)
{
	if (addr != vma->vm_start)
		untrack_pfn(vma, pfn, PAGE_ALIGN(size));
	return 0;
}
