// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>
#include "foo.h"

/* Global: called from foo_fault() and from drivers/bar. */
int foo_map(struct vm_area_struct *vma, unsigned long pfn)
{
	return io_remap_pfn_range(vma, vma->vm_start, pfn,
				  vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

/* Registered as .fault in foo_main.c. */
vm_fault_t foo_fault(struct vm_fault *vmf)
{
	return foo_map(vmf->vma, 0) ? VM_FAULT_SIGBUS : VM_FAULT_NOPAGE;
}

void foo_zap_all(struct foo_dev *foo)
{
	struct mm_struct *mm = foo->mm;

	mmap_read_lock(mm);
	zap_vma_ptes(foo->vma, foo->vma->vm_start, PAGE_SIZE);
	mmap_read_unlock(mm);
}
