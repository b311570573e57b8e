// SPDX-License-Identifier: GPL-2.0
/* Writes hidden in macros, and flags built from macros. */
#include <linux/mm.h>

#define DRV_VM_FLAGS	(VM_IO | VM_DONTEXPAND | VM_DONTDUMP)
#define DRV_VM_CLEAR	(VM_MAYWRITE | VM_MAYEXEC)

/* called with a VMA below: converted */
#define DRV_MARK_IO(v)		((v)->vm_flags |= DRV_VM_FLAGS)
#define DRV_DROP(v, f)		do { (v)->vm_flags &= ~(f); } while (0)
#define DRV_RESET(ctx, v, f)	((v)->vm_flags = (f))
#define DRV_PUBLISH(v, f)	WRITE_ONCE((v)->vm_flags, f)
#define DRV_KEEP(v, m)		((v)->vm_flags &= (m))

/* never called with a VMA in this file: the parameter has no type */
#define DRV_UNUSED(v)		((v)->vm_flags |= VM_IO)
/* called with a driver struct only: not a VMA */
#define DRV_SAVE(d, f)		((d)->vm_flags |= (f))

struct drv_state {
	unsigned long vm_flags;
};

static void macros_use(struct vm_area_struct *vma, struct drv_state *st,
		       struct vm_fault *vmf, int ctx)
{
	DRV_MARK_IO(vma);
	DRV_DROP(vmf->vma, DRV_VM_CLEAR);
	DRV_RESET(ctx, vma, DRV_VM_FLAGS | VM_SHARED);
	DRV_PUBLISH(vma, DRV_VM_FLAGS);
	DRV_KEEP(vma, ~DRV_VM_CLEAR);
	DRV_SAVE(st, VM_IO);
	vma->vm_flags |= DRV_VM_FLAGS;
	vma->vm_flags &= ~DRV_VM_CLEAR;
}
