// SPDX-License-Identifier: GPL-2.0
/* Combined set-and-clear: vm_flags_mod() and when not to use it. */
#include <linux/mm.h>

#define DRV_SET		(VM_DONTEXPAND | VM_DONTDUMP)
#define DRV_CLEAR	VM_MAYWRITE
#define DRV_OPAQUE	drv_flags()

/* set then clear is exactly vm_flags_mod(): (flags | A) & ~B */
static void mod_set_clear(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_flags &= ~VM_PFNMAP;
}

/* clear then set with disjoint single-bit flags (binder, mon_bin) */
static void mod_clear_set(struct vm_area_struct *vma)
{
	vma->vm_flags &= ~(VM_WRITE | VM_MAYWRITE);
	vma->vm_flags |= VM_DONTCOPY | VM_MIXEDMAP;
}

/* disjoint through macros #defined in this file */
static void mod_clear_set_macros(struct vm_area_struct *vma)
{
	vma->vm_flags &= ~DRV_CLEAR;
	vma->vm_flags |= DRV_SET;
}

/* overlapping flags: the order matters, keep two calls */
static void mod_overlap(struct vm_area_struct *vma)
{
	vma->vm_flags &= ~(VM_WRITE | VM_MAYWRITE);
	vma->vm_flags |= VM_MAYWRITE;
}

/* unknown flags may overlap: keep two calls */
static void mod_unknown(struct vm_area_struct *vma, unsigned long extra)
{
	vma->vm_flags &= ~DRV_OPAQUE;
	vma->vm_flags |= extra;
}

/* the two writes go to different VMAs */
static void mod_two_vmas(struct vm_area_struct *a, struct vm_area_struct *b)
{
	a->vm_flags |= VM_IO;
	b->vm_flags &= ~VM_IO;
}

/* a call as the VMA would be evaluated once instead of twice: not merged */
static void mod_call(struct mm_struct *mm, unsigned long addr)
{
	find_vma(mm, addr)->vm_flags |= VM_ACCOUNT;
	find_vma(mm, addr)->vm_flags &= ~VM_NORESERVE;
}

/* &= ~(A | B) on one side */
static void mod_and_not_or(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_NOHUGEPAGE;
	vma->vm_flags &= ~(VM_HUGEPAGE | VM_MERGEABLE);
}

/* one assignment */
static void mod_assign(struct vm_area_struct *vma, unsigned long set,
		       unsigned long clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
	vma->vm_flags = (vma->vm_flags | VM_IO) & ~(VM_MIXEDMAP | VM_PFNMAP);
	vma->vm_flags = (vma->vm_flags & ~VM_MIXEDMAP) | VM_PFNMAP;
	vma->vm_flags = (vma->vm_flags & ~(VM_READ | VM_MAYREAD)) | (VM_READ | VM_IO);
}

/* after a first merge spatch reparses the function alone: the file's
 * #defines must still prove the second pair disjoint */
static void mod_twice(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO;
	vma->vm_flags &= ~VM_PFNMAP;
	drv_flags();
	vma->vm_flags &= ~DRV_CLEAR;
	vma->vm_flags |= DRV_SET;
}

/* two sets (or two clears) in a row: one call (usbdev_mmap, ttm) */
static void mod_set_set(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO;
	vma->vm_flags |= (VM_DONTEXPAND | VM_DONTDUMP);
}

static void mod_clear_clear(struct vm_area_struct *vma)
{
	vma->vm_flags &= ~VM_MAYWRITE;
	vma->vm_flags &= ~(VM_MAYEXEC | VM_MAYSHARE);
}

/* three in a row: the first two are merged, the third stays */
static void mod_set_run(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO;
	vma->vm_flags |= VM_PFNMAP;
	vma->vm_flags |= VM_DONTEXPAND;
}

/* a ?: cannot be an operand of | without parentheses: not merged */
static void mod_set_ternary(struct vm_area_struct *vma, bool wr)
{
	vma->vm_flags |= VM_IO;
	vma->vm_flags |= wr ? VM_WRITE : VM_READ;
}
