// SPDX-License-Identifier: GPL-2.0
/* tools/ is never read. */
static vm_fault_t tools_fault(struct vm_fault *vmf)
{
	return remap_pfn_range(vmf->vma, 0, 0, 0, 0);
}
