// SPDX-License-Identifier: GPL-2.0
/* None of this writes a VMA's vm_flags: nothing may change. */
#include <linux/mm.h>

struct vm_unmapped_area_info {
	unsigned long flags;
	unsigned long vm_flags;
};

struct vma_merge_struct {
	struct vm_area_struct *vma;
	unsigned long vm_flags;
};

struct folio_referenced_arg {
	unsigned long vm_flags;
};

static unsigned long neg_locals(struct vm_area_struct *vma, bool force,
				unsigned long *out)
{
	unsigned long vm_flags = VM_READ;
	vm_flags_t flags;

	vm_flags |= VM_WRITE;
	vm_flags &= ~VM_EXEC;
	vm_flags = vma->vm_flags | vm_flags;
	*out |= VM_MAYREAD;
	*out &= ~VM_MAYWRITE;
	flags = READ_ONCE(vma->vm_flags);
	flags |= vma->vm_flags & VM_LOCKED;
	if (vma->vm_flags & VM_WRITE)
		vm_flags &= force ? ~0UL : VM_READ;
	return vm_flags | flags;
}

static void neg_members(struct vma_merge_struct *vmg,
			struct folio_referenced_arg *pra,
			struct vm_region *region, struct vm_area_struct *vma)
{
	struct vm_unmapped_area_info info = {};

	info.vm_flags = vma->vm_flags;
	info.vm_flags |= VM_GROWSDOWN;
	vmg->vm_flags = vma->vm_flags;
	vmg->vm_flags &= ~VM_SOFTDIRTY;
	vmg->vm_flags |= VM_ACCOUNT;
	pra->vm_flags |= VM_LOCKED;
	pra->vm_flags |= vma->vm_flags & ~VM_LOCKED;
	region->vm_flags = vma->vm_flags;
}

/* an initializer is not a write through the modifier API */
static struct vm_area_struct neg_gate = {
	.vm_start = 0,
	.vm_flags = VM_READ | VM_EXEC,
};
