// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

int track_pfn_remap(struct vm_area_struct *vma, pgprot_t *prot,
		    unsigned long pfn, unsigned long addr, unsigned long size)
{
	if (!vma || (addr == vma->vm_start && size == vma->vm_end - vma->vm_start)) {
		if (reserve_pfn_range(pfn << PAGE_SHIFT, size, prot, 0) == 0 && vma)
			vm_flags_set(vma, VM_PAT);
	}
	return 0;
}

void untrack_pfn(struct vm_area_struct *vma, unsigned long pfn,
		 unsigned long size)
{
	if (vma && !(vma->vm_flags & VM_PAT))
		return;
	free_pfn_range(pfn << PAGE_SHIFT, size);
	if (vma)
		vm_flags_clear(vma, VM_PAT);
}
