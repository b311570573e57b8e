// SPDX-License-Identifier: GPL-2.0
/*
 * Single-statement writes through a struct vm_area_struct pointer (kept
 * apart by barrier(): adjacent writes are merged, see mod.c).
 */
#include <linux/mm.h>

#define MY_IO_FLAGS	(VM_IO | VM_DONTEXPAND | VM_DONTDUMP)
#define MY_WRITE_BITS	(VM_WRITE | VM_MAYWRITE)

static void basic_set(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO;
	barrier();
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	barrier();
	vma->vm_flags |= (VM_DONTEXPAND | VM_DONTDUMP);
	barrier();
	vma->vm_flags |= MY_IO_FLAGS;
}

static void basic_clear(struct vm_area_struct *area)
{
	area->vm_flags &= ~VM_MAYWRITE;
	barrier();
	area->vm_flags &= ~(VM_WRITE | VM_MAYWRITE);
	barrier();
	area->vm_flags &= ~MY_WRITE_BITS;
	area->vm_flags &= VM_LOCKED_CLEAR_MASK;
}

static void basic_mask(struct vm_area_struct *v, unsigned long keep)
{
	v->vm_flags &= keep;
	v->vm_flags &= keep | VM_SHARED;
}

static void basic_ternary(struct vm_area_struct *new_vma, bool wr, bool io)
{
	/* clear then set, flags not provably disjoint: stays two calls */
	new_vma->vm_flags &= ~(io ? VM_IO : 0);
	new_vma->vm_flags |= wr ? VM_WRITE : VM_READ;
	if (wr)
		new_vma->vm_flags |= VM_MAYWRITE;
	else
		new_vma->vm_flags &= ~VM_MAYWRITE;
}

static void basic_assign(struct vm_area_struct *vma, unsigned long newflags)
{
	vma->vm_flags = newflags;
	vma->vm_flags = (newflags & ~VM_LOCKED);
	vma->vm_flags = newflags ? newflags : VM_READ;
	vma->vm_flags = vma->vm_flags | VM_SHARED;
	barrier();
	vma->vm_flags = VM_SHARED | vma->vm_flags;
	vma->vm_flags = vma->vm_flags & ~VM_SHARED;
}

static void basic_once(struct vm_area_struct *vma, unsigned long newflags)
{
	WRITE_ONCE(vma->vm_flags, newflags);
	WRITE_ONCE(vma->vm_flags, (newflags | VM_LOCKED));
}

static void basic_nested(struct vm_area_struct *vma, struct vm_region *region)
{
	if (vma->vm_file)
		region->vm_flags = vma->vm_flags |= VM_MAPPED_COPY;
}

static void basic_cast(void *p, struct vm_area_struct **vmas, int i)
{
	((struct vm_area_struct *)p)->vm_flags |= VM_IO;
	vmas[i]->vm_flags &= ~VM_IO;
}

/* a value over several lines keeps its line breaks */
static void basic_multiline(struct vm_area_struct *vma, unsigned long flags)
{
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP |
			 VM_DONTCOPY | VM_NORESERVE;
	vma->vm_flags = flags | VM_SOFTDIRTY | VM_STACK_FLAGS |
			VM_STACK_INCOMPLETE_SETUP;
	if (flags)
		vma->vm_flags &= ~(VM_IO | VM_PFNMAP | VM_DONTEXPAND |
				   VM_DONTDUMP);
}
