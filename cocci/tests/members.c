// SPDX-License-Identifier: GPL-2.0
/* The VMA found by type: members of other structs, calls, other names. */
#include <linux/mm.h>

struct drv_desc {
	struct vm_area_struct *vma;
	unsigned long vm_flags;		/* the driver's own copy: not a VMA */
	struct {
		struct vm_area_struct *vma;
	} inner;
};

static vm_fault_t members_fault(struct vm_fault *vmf)
{
	vmf->vma->vm_flags |= VM_MIXEDMAP;
	return 0;
}

static int members_walk(pte_t *pte, unsigned long addr, unsigned long next,
			struct mm_walk *walk)
{
	walk->vma->vm_flags &= ~VM_SOFTDIRTY;
	return 0;
}

static void members_desc(struct drv_desc *desc, struct drv_desc local)
{
	desc->vma->vm_flags |= VM_IO;
	desc->inner.vma->vm_flags &= ~VM_IO;
	local.vma->vm_flags = desc->vm_flags;
	desc->vm_flags |= VM_IO;
	local.vm_flags &= ~VM_IO;
}

static void members_calls(struct mm_struct *mm, struct vm_area_struct *vma)
{
	find_vma(mm, vma->vm_end)->vm_flags |= VM_ACCOUNT;
	vma_lookup(mm, 0)->vm_flags &= ~VM_ACCOUNT;
}

static void members_ranges(struct mmu_notifier_range *range,
			   struct page_vma_mapped_walk *pvmw)
{
	range->vma->vm_flags |= VM_LOCKED;
	pvmw->vma->vm_flags &= ~VM_LOCKED;
}
