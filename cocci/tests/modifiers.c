// SPDX-License-Identifier: GPL-2.0
/*
 * The modifiers themselves write vm_flags directly, in <linux/mm.h> and in
 * the compat header of docs/cocci.md (copied here): their bodies must stay
 * as they are, or they would call themselves. Writes elsewhere in the same
 * file are still converted.
 */
/* vm_flags_compat.h */
#ifndef DRV_VM_FLAGS_COMPAT_H
#define DRV_VM_FLAGS_COMPAT_H
#include <linux/mm.h>

#ifndef VM_LOCKED_MASK	/* no vm_flags modifiers (before 6.3, not pervma) */
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)

static inline void vm_flags_init(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags = flags;
}

static inline void vm_flags_reset(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags = flags;
}

static inline void vm_flags_reset_once(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
	WRITE_ONCE(vma->vm_flags, flags);
}

static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}

static inline void __vm_flags_mod(struct vm_area_struct *vma,
				  vm_flags_t set, vm_flags_t clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}

static inline void vm_flags_mod(struct vm_area_struct *vma,
				vm_flags_t set, vm_flags_t clear)
{
	__vm_flags_mod(vma, set, clear);
}
#endif /* !VM_LOCKED_MASK */
#endif /* DRV_VM_FLAGS_COMPAT_H */

static int drv_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_IO | VM_DONTEXPAND;
	return 0;
}

/* Not a modifier, only a similar name: converted. */
static void vm_flags_set_all(struct vm_area_struct *vma)
{
	vma->vm_flags |= VM_DONTDUMP;
}
