// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

/* Nothing to report: lock_mm_and_find_vma() grows the stack under the
 * write lock it takes itself. */
static void do_user_addr_fault(struct pt_regs *regs, unsigned long address)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	vma = lock_mm_and_find_vma(mm, address, regs);
	if (!vma)
		return;
	handle_mm_fault(vma, address, 0, regs);
	mmap_read_unlock(mm);
}
