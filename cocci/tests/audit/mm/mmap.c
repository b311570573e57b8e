// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

/* Called with the mmap_lock held for write. */
unsigned long do_mmap(struct file *file, unsigned long addr,
		      unsigned long len, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_SOFTDIRTY);
	return addr;
}

/* Takes the write lock itself: not a writer for its callers. */
unsigned long vm_mmap(struct file *file, unsigned long addr,
		      unsigned long len, struct vm_area_struct *vma)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	ret = do_mmap(file, addr, len, vma);
	mmap_write_unlock(mm);
	return ret;
}

void exit_mmap(struct mm_struct *mm)
{
	struct mmu_gather tlb;
	struct vm_area_struct *vma = mm->mmap;

	mmap_read_lock(mm);
	unmap_vmas(&tlb, vma, 0, ULONG_MAX);
	mmap_read_unlock(mm);

	mmap_write_lock(mm);
	for (; vma; vma = vma->vm_next)
		vma_start_write(vma);
	mmap_write_unlock(mm);
}

/* The caller holds the mmap_lock for write. */
int expand_stack_locked(struct vm_area_struct *vma, unsigned long address)
{
	mmap_assert_write_locked(vma->vm_mm);
	vma_start_write(vma);
	vma->vm_start = address;
	return 0;
}
