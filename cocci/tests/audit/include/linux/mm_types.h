/* SPDX-License-Identifier: GPL-2.0 */
struct vm_area_struct {
	unsigned long vm_start, vm_end;
	union {
		const vm_flags_t vm_flags;
		vm_flags_t __private __vm_flags;
	};
	struct mm_struct *vm_mm;
};
