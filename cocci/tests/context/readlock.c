// SPDX-License-Identifier: GPL-2.0
/*
 * Flag writers after mmap_read_lock(), mmap_read_lock_killable(),
 * mmap_read_trylock() or mmap_write_downgrade(), before mmap_read_unlock().
 */
#include <linux/mm.h>

static void drv_mark(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
}

static void drv_lock_all(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	for_each_vma(vmi, vma)
		vma_start_write(vma);
}

static int drv_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		mmap_read_unlock(mm);
		return -EFAULT;
	}
	drv_mark(vma);
	vm_flags_clear(vma, VM_DONTCOPY);
	mmap_read_unlock(mm);
	return 0;
}

static int drv_killable(struct mm_struct *mm)
{
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	drv_lock_all(mm);
	mmap_read_unlock(mm);
	/* after the unlock, and in no context: not reported */
	drv_lock_all(mm);
	return 0;
}

static void drv_try(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (!mmap_read_trylock(mm))
		return;
	vma->vm_flags &= ~VM_IO;
	mmap_read_unlock(mm);
}

static void drv_downgrade(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_write_lock(mm);
	vm_flags_set(vma, VM_LOCKED);
	mmap_write_downgrade(mm);
	vm_flags_mod(vma, VM_SEQ_READ, VM_RAND_READ);
	mmap_read_unlock(mm);
}
