// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>

static void drv_revoke(struct mm_struct *mm, struct address_space *mapping)
{
	mmap_read_lock(mm);
	unmap_mapping_range(mapping, 0, 0, 1);
	mmap_read_unlock(mm);
}
