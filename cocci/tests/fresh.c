// SPDX-License-Identifier: GPL-2.0
/*
 * A VMA nobody else can see yet: fresh from vm_area_alloc()/vm_area_dup()
 * or vma_init(), before it is inserted, and struct vm_area_struct objects
 * (gate and pseudo VMAs) that are never in a VMA tree.
 */
#include <linux/mm.h>

static struct vm_area_struct gate_vma;

static int fresh_special(struct mm_struct *mm, unsigned long vm_flags)
{
	struct vm_area_struct *vma;

	vma = vm_area_alloc(mm);
	if (unlikely(vma == NULL))
		return -ENOMEM;
	vma->vm_flags = vm_flags | mm->def_flags | VM_DONTEXPAND | VM_SOFTDIRTY;
	vma->vm_flags &= VM_LOCKED_CLEAR_MASK;
	return insert_vm_struct(mm, vma);
}

static int fresh_decl(struct mm_struct *mm)
{
	struct vm_area_struct *stack = vm_area_alloc(mm);

	if (!stack)
		return -ENOMEM;
	stack->vm_flags = VM_SOFTDIRTY | VM_STACK_FLAGS;
	return insert_vm_struct(mm, stack);
}

/* the result stored twice at once (__bprm_mm_init) */
static int fresh_chained(struct linux_binprm *bprm, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	bprm->vma = vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_flags = VM_SOFTDIRTY | VM_STACK_FLAGS | VM_STACK_INCOMPLETE_SETUP;
	return insert_vm_struct(mm, vma);
}

static struct vm_area_struct *fresh_dup(struct vm_area_struct *old)
{
	struct vm_area_struct *tmp = vm_area_dup(old);

	if (!tmp)
		return NULL;
	tmp->vm_flags &= ~(VM_LOCKED | VM_LOCKONFAULT);
	return tmp;
}

static int fresh_inserted(struct mm_struct *mm, unsigned long flags)
{
	struct vm_area_struct *vma;
	int ret;

	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	ret = insert_vm_struct(mm, vma);
	vma->vm_flags = flags;
	return ret;
}

static void fresh_init(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma_init(vma, mm);
	vma->vm_flags = VM_READ | VM_MAYREAD;
}

static void fresh_objects(struct mm_struct *mm, bool exec)
{
	struct vm_area_struct pseudo_vma;

	vma_init(&pseudo_vma, mm);
	pseudo_vma.vm_flags = (VM_HUGETLB | VM_MAYSHARE | VM_SHARED);
	gate_vma.vm_flags = VM_READ | VM_MAYREAD | VM_EXEC | VM_MAYEXEC;
	if (!exec)
		gate_vma.vm_flags &= ~(VM_EXEC | VM_MAYEXEC);
	pseudo_vma.vm_flags |= VM_NORESERVE;
}
