// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

int foo_map(struct vm_area_struct *vma, unsigned long pfn);

static bool bar_invalidate(struct mmu_interval_notifier *mni,
			   const struct mmu_notifier_range *range,
			   unsigned long cur_seq)
{
	return foo_map(range->vma, 0) == 0;
}

static const struct mmu_interval_notifier_ops bar_mni_ops = {
	.invalidate = bar_invalidate,
};

/* vm_insert_page() in a fault handler: not reported (VM_MIXEDMAP guard). */
static vm_fault_t bar_fault(struct vm_fault *vmf)
{
	return vm_insert_page(vmf->vma, vmf->address, bar_page) ?
		VM_FAULT_SIGBUS : VM_FAULT_NOPAGE;
}

/* Same name as the one in drivers/baz: two contexts. */
static void drv_revoke(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_read_lock(mm);
	zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
	mmap_read_unlock(mm);
}
