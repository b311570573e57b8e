// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include "foo.h"

/* Same name as the global foo_map() of foo_core.c: calls here reach this. */
static int foo_map(struct vm_area_struct *vma, unsigned long pfn)
{
	return 0;
}

static int foo_invalidate(struct mmu_notifier *mn,
			  const struct mmu_notifier_range *range)
{
	return foo_map(range->vma, 0);
}

static const struct mmu_notifier_ops foo_mn_ops = {
	.invalidate_range_start = foo_invalidate,
};

static const struct vm_operations_struct foo_vm_ops = {
	.fault = foo_fault,
};

static int foo_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &foo_vm_ops;
	return vm_mmap(file, 0, PAGE_SIZE, vma) ? 0 : -ENOMEM;
}
