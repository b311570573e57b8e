// SPDX-License-Identifier: GPL-2.0
/*
 * MMU notifier callbacks run from zap and unmap paths without the
 * mmap_lock held for write.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

static void drv_unmark(struct vm_area_struct *vma)
{
	vm_flags_clear(vma, VM_IO);
}

static int drv_invalidate_range_start(struct mmu_notifier *mn,
				      const struct mmu_notifier_range *range)
{
	if (range->vma)
		drv_unmark(range->vma);
	return 0;
}

static void drv_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
}

static const struct mmu_notifier_ops drv_mn_ops = {
	.release = drv_release,
	.invalidate_range_start = drv_invalidate_range_start,
};

static bool drv_interval_invalidate(struct mmu_interval_notifier *mni,
				    const struct mmu_notifier_range *range,
				    unsigned long cur_seq)
{
	struct vm_area_struct *vma = range->vma;

	untrack_pfn(vma, 0, 0);
	return true;
}

static const struct mmu_interval_notifier_ops drv_mni_ops = {
	.invalidate = drv_interval_invalidate,
};
