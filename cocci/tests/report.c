// SPDX-License-Identifier: GPL-2.0
/* Report mode: one line per direct write, naming the modifier to use. */
#include <linux/mm.h>

#define DRV_MARK(v)	((v)->vm_flags |= VM_IO)

static struct vm_area_struct gate_vma;

static int report_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_DONTEXPAND;
	vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_flags &= VM_LOCKED_CLEAR_MASK;
	vma->vm_flags = vma->vm_flags | VM_DONTDUMP;
	vma->vm_flags = (vma->vm_flags | VM_IO) & ~VM_PFNMAP;
	vma->vm_flags = (vma->vm_flags & ~VM_MIXEDMAP) | VM_PFNMAP;
	vma->vm_flags = (vma->vm_flags & ~VM_WRITE) | VM_WRITE;
	WRITE_ONCE(vma->vm_flags, VM_READ);
	vma->vm_flags = VM_READ | VM_SHARED;
	DRV_MARK(vma);
	return 0;
}

static unsigned long report_odd(struct vm_area_struct *vma, struct mm_struct *mm)
{
	struct vm_area_struct *new = vm_area_alloc(mm);
	unsigned long old;

	new->vm_flags = VM_READ;
	gate_vma.vm_flags = VM_EXEC;
	gate_vma.vm_flags |= VM_READ;
	vma->vm_flags |= VM_SEQ_READ;
	vma->vm_flags &= ~VM_RAND_READ;
	vma->vm_flags ^= VM_SOFTDIRTY;
	old = vma->vm_flags |= VM_LOCKED;
	if (vma->vm_flags & VM_LOCKED)
		return old;
	return vma->vm_flags &= ~VM_IO;
}
