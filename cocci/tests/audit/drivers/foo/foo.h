/* SPDX-License-Identifier: GPL-2.0 */
struct foo_dev {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
};
vm_fault_t foo_fault(struct vm_fault *vmf);
