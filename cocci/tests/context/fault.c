// SPDX-License-Identifier: GPL-2.0
/*
 * Fault-time callbacks: a flag writer called from a vm_operations_struct
 * callback (.fault, .huge_fault, .page_mkwrite, .pfn_mkwrite, .map_pages)
 * or from any vm_fault_t f(struct vm_fault *...), directly or through
 * static helpers.
 */
#include <linux/mm.h>

struct drv_buf {
	unsigned long pfn;
	unsigned long size;
};

/* Two levels below the .huge_fault callback. */
static int drv_remap(struct vm_area_struct *vma, unsigned long pfn)
{
	return remap_pfn_range(vma, vma->vm_start, pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static int drv_map(struct vm_area_struct *vma)
{
	struct drv_buf *buf = vma->vm_private_data;

	return drv_remap(vma, buf->pfn);
}

/* Directly in the .fault callback. */
static vm_fault_t drv_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drv_buf *buf = vma->vm_private_data;

	if (remap_pfn_range(vma, vma->vm_start, buf->pfn, PAGE_SIZE,
			    vma->vm_page_prot))
		return VM_FAULT_SIGBUS;
	return VM_FAULT_NOPAGE;
}

static vm_fault_t drv_huge_fault(struct vm_fault *vmf,
				 enum page_entry_size pe_size)
{
	if (pe_size != PE_SIZE_PMD)
		return VM_FAULT_FALLBACK;
	return drv_map(vmf->vma) ? VM_FAULT_SIGBUS : VM_FAULT_NOPAGE;
}

static vm_fault_t drv_page_mkwrite(struct vm_fault *vmf)
{
	/* guarded: still reported */
	if (!(vmf->vma->vm_flags & VM_SOFTDIRTY))
		vm_flags_set(vmf->vma, VM_SOFTDIRTY);
	return 0;
}

/* Code not converted yet: direct writes. */
static vm_fault_t drv_pfn_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	vmf->vma->vm_flags |= VM_IO;
	vma->vm_flags &= ~VM_MIXEDMAP;
	WRITE_ONCE(vma->vm_flags, vma->vm_flags | VM_DONTDUMP);
	return 0;
}

static vm_fault_t drv_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
				pgoff_t end_pgoff)
{
	struct drv_buf *buf = vmf->vma->vm_private_data;

	if (io_remap_pfn_range(vmf->vma, vmf->address, buf->pfn + start_pgoff,
			       PAGE_SIZE, vmf->vma->vm_page_prot))
		return VM_FAULT_SIGBUS;
	return 0;
}

static const struct vm_operations_struct drv_vm_ops = {
	.fault = drv_fault,
	.huge_fault = drv_huge_fault,
	.page_mkwrite = drv_page_mkwrite,
	.pfn_mkwrite = drv_pfn_mkwrite,
	.map_pages = drv_map_pages,
};

/* In no vm_operations_struct here, but of the fault handler's shape. */
vm_fault_t drv_shared_fault(struct vm_fault *vmf)
{
	vm_flags_clear(vmf->vma, VM_MAYWRITE);
	return VM_FAULT_NOPAGE;
}

/* Not a fault handler, and called from none: not reported. */
static void drv_reset(struct vm_area_struct *vma)
{
	vm_flags_reset(vma, VM_READ);
}
