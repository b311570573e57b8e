// SPDX-License-Identifier: GPL-2.0
/* Not read unless --arches lists sparc (or all). */
#include <linux/mm.h>

static vm_fault_t sparc_io_fault(struct vm_fault *vmf)
{
	return remap_pfn_range(vmf->vma, 0, 0, PAGE_SIZE, PAGE_SHARED);
}
