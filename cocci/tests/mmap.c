// SPDX-License-Identifier: GPL-2.0
/*
 * ->mmap handlers. The VMA is not in the tree yet, but upstream's hand
 * conversion used the same modifiers there as anywhere else (binder,
 * mon_bin, hfi1): vm_flags_set/clear/mod, and vm_flags_reset for "=".
 */
#include <linux/fs.h>
#include <linux/mm.h>

static int drv_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_WRITE)
		return -EPERM;
	vma->vm_flags |= VM_DONTCOPY | VM_MIXEDMAP;
	vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_ops = &drv_vm_ops;
	return 0;
}

static const struct file_operations drv_fops = {
	.owner = THIS_MODULE,
	.mmap = drv_mmap,
};

/* not in any file_operations, but the ->mmap signature */
static int drv_mmap_ctxt(struct file *fp, struct vm_area_struct *area)
{
	unsigned long flags = area->vm_flags;

	flags &= ~VM_MAYWRITE;
	flags |= VM_DONTCOPY | VM_DONTEXPAND;
	area->vm_flags = flags;
	return 0;
}

static int drv_mmap_io(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	return remap_pfn_range(vma, vma->vm_start, 0,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}
