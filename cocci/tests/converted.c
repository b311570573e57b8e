// SPDX-License-Identifier: GPL-2.0
/* Already converted: rerunning changes nothing. */
#include <linux/mm.h>

static int conv_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_set(vma, (VM_DONTEXPAND | VM_DONTDUMP));
	vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_clear(vma, (VM_WRITE | VM_MAYWRITE));
	vm_flags_mod(vma, VM_DONTCOPY | VM_MIXEDMAP, VM_MAYWRITE);
	if (vma->vm_flags & VM_SHARED)
		vm_flags_reset(vma, vma->vm_flags & ~VM_MAYSHARE);
	return 0;
}

static void conv_other(struct mm_struct *mm, struct vm_area_struct *vma,
		       unsigned long newflags)
{
	struct vm_area_struct *new = vm_area_alloc(mm);
	static struct vm_area_struct gate;

	vm_flags_init(new, newflags);
	vm_flags_reset_once(vma, newflags);
	__vm_flags_mod(vma, 0, VM_PAT);
	vm_flags_init(&gate, VM_EXEC);
	__vm_flags_mod(&gate, VM_READ, 0);
}
