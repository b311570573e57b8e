// SPDX-License-Identifier: GPL-2.0
/*
 * Nothing to report: the flag writers of fault.c in an ->mmap handler
 * (the mmap_lock is held for write there), a fault handler that inserts
 * PFNs with vmf_insert_pfn() instead, and code under mmap_write_lock().
 */
#include <linux/mm.h>

static int drv_remap(struct vm_area_struct *vma, unsigned long pfn)
{
	return remap_pfn_range(vma, vma->vm_start, pfn,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

static vm_fault_t drv_fault(struct vm_fault *vmf)
{
	unsigned long pfn = (unsigned long)vmf->vma->vm_private_data;

	return vmf_insert_pfn(vmf->vma, vmf->address, pfn + vmf->pgoff);
}

/* A non-const vm_operations_struct. */
struct vm_operations_struct drv_vm_ops = {
	.fault = drv_fault,
};

static int drv_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND);
	vma->vm_flags |= VM_DONTDUMP;
	vma->vm_ops = &drv_vm_ops;
	if (vma->vm_pgoff)
		return drv_remap(vma, vma->vm_pgoff);
	return io_remap_pfn_range(vma, vma->vm_start, 0, PAGE_SIZE,
				  vma->vm_page_prot);
}

static const struct file_operations drv_fops = {
	.mmap = drv_mmap,
};

static void drv_protect(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_write_lock(mm);
	vm_flags_clear(vma, VM_MAYWRITE);
	drv_remap(vma, 0);
	mmap_write_unlock(mm);
}

/* Read lock dropped before the write lock is taken. */
static void drv_upgrade(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	mmap_read_unlock(mm);
	if (mmap_write_lock_killable(mm))
		return;
	vma = vma_lookup(mm, addr);
	if (vma)
		vm_flags_set(vma, VM_LOCKED);
	mmap_write_unlock(mm);
}

/* As vm_insert_page(): BUG_ON(mmap_read_trylock()) takes no lock. */
static void drv_insert(struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_MIXEDMAP)) {
		BUG_ON(mmap_read_trylock(vma->vm_mm));
		vm_flags_set(vma, VM_MIXEDMAP);
	}
}

/* As lock_mm_and_find_vma(): upgrade_mmap_lock_carefully() returns with
 * the write lock held. */
static struct vm_area_struct *drv_grow(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr)
		return vma;
	if (!upgrade_mmap_lock_carefully(mm, NULL))
		return NULL;
	vma = find_vma(mm, addr);
	if (vma)
		vm_flags_set(vma, VM_GROWSDOWN);
	mmap_write_downgrade(mm);
	return vma;
}
