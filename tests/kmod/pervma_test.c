// SPDX-License-Identifier: GPL-2.0
/*
 * pervma_test: a misc device, /dev/pervma_test, that lets the guest tests
 * make the kernel do what drivers do to VMAs: map PFNs from ->mmap and from
 * ->fault, write VMA flags holding only the mmap_lock for read, and
 * register an mmu_notifier. See pervma_test.h for the interface. Built
 * out of tree against the kernel under test by scripts/initramfs.sh.
 */
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/lockdep.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include "pervma_test.h"

#define BUF_ORDER	4	/* 1 << BUF_ORDER == PERVMA_TEST_PAGES */

static struct page *buf;

static unsigned long buf_pfn(unsigned long page)
{
	return page_to_pfn(buf) + page;
}

static vm_fault_t pt_fault(struct vm_fault *vmf)
{
	unsigned long page = vmf->pgoff & ((1UL << PERVMA_TEST_MODE_SHIFT) - 1);

	if (page >= PERVMA_TEST_PAGES)
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address, buf_pfn(page));
}

/*
 * Remap the whole VMA on its first fault, as 6.1's vfio-pci did: with the
 * mmap_lock held for read, remap_pfn_range() sets VM_IO, VM_PFNMAP, ... and,
 * on x86 with PAT, VM_PAT. vm_private_data says whether the VMA is being or
 * has been mapped (remap_pfn_range() must not map a page twice); a fault
 * that finds it so returns and is retried until the pages are there. Faults
 * on different VMAs remap at the same time, as those of two vfio devices
 * could. lockdep looks away during the remap, so that a debug kernel shows
 * what a production kernel does (its assertion would complain, rightly).
 */
static vm_fault_t pt_remap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long first = vma->vm_pgoff & ((1UL << PERVMA_TEST_MODE_SHIFT) - 1);
	int err;

	if (cmpxchg(&vma->vm_private_data, NULL, vma))
		return VM_FAULT_NOPAGE;
	lockdep_off();
	err = remap_pfn_range(vma, vma->vm_start, buf_pfn(first),
			      vma->vm_end - vma->vm_start, vma->vm_page_prot);
	lockdep_on();
	if (err) {
		WRITE_ONCE(vma->vm_private_data, NULL);
		return VM_FAULT_SIGBUS;
	}
	return VM_FAULT_NOPAGE;
}

/*
 * Remap the faulting page only, as 6.1's GRU driver does. vm_private_data
 * holds a bit per page of the VMA (at most PERVMA_TEST_PAGES) that says it
 * is being or has been mapped, since remap_pfn_range() must not map a page
 * twice; a fault that finds its bit set is retried until the page is there.
 * No lockdep games: with the flags set in ->mmap, remap_pfn_range() has no
 * flag to write, and a debug kernel must stay quiet.
 */
static vm_fault_t pt_remap_page_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long first = vma->vm_pgoff & ((1UL << PERVMA_TEST_MODE_SHIFT) - 1);
	unsigned long idx = (vmf->address - vma->vm_start) >> PAGE_SHIFT;
	unsigned long *mapped = (unsigned long *)&vma->vm_private_data;

	if (test_and_set_bit(idx, mapped))
		return VM_FAULT_NOPAGE;
	if (remap_pfn_range(vma, vmf->address & PAGE_MASK, buf_pfn(first + idx),
			    PAGE_SIZE, vma->vm_page_prot)) {
		clear_bit(idx, mapped);
		return VM_FAULT_SIGBUS;
	}
	return VM_FAULT_NOPAGE;
}

static const struct vm_operations_struct pt_remap_page_ops = {
	.fault = pt_remap_page_fault,
};

static const struct vm_operations_struct pt_fault_ops = {
	.fault = pt_fault,
};

static const struct vm_operations_struct pt_remap_ops = {
	.fault = pt_remap_fault,
};

static int pt_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long mode = vma->vm_pgoff >> PERVMA_TEST_MODE_SHIFT;
	unsigned long first = vma->vm_pgoff & ((1UL << PERVMA_TEST_MODE_SHIFT) - 1);

	if (!(vma->vm_flags & VM_SHARED) ||
	    first + vma_pages(vma) > PERVMA_TEST_PAGES)
		return -EINVAL;

	switch (mode) {
	case PERVMA_TEST_MAP_PFN:
		return remap_pfn_range(vma, vma->vm_start, buf_pfn(first),
				       vma->vm_end - vma->vm_start,
				       vma->vm_page_prot);
	case PERVMA_TEST_MAP_FAULT:
		vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &pt_fault_ops;
		return 0;
	case PERVMA_TEST_MAP_REMAP:
		vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &pt_remap_ops;
		vma->vm_private_data = NULL;
		return 0;
	case PERVMA_TEST_MAP_REMAP_PAGE:
		vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_ops = &pt_remap_page_ops;
		vma->vm_private_data = NULL;
		return 0;
	}
	return -EINVAL;
}

/* noinline: the kernel's message and stack dump must name it. */
static noinline long pt_misuse(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	long ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma) {
		lockdep_off();
		vm_flags_set(vma, VM_DONTDUMP);
		lockdep_on();
	} else {
		ret = -EFAULT;
	}
	mmap_read_unlock(mm);
	return ret;
}

#ifdef CONFIG_MMU_NOTIFIER
static const struct mmu_notifier_ops pt_mn_ops;

static long pt_take_all_locks(void)
{
	struct mmu_notifier mn = { .ops = &pt_mn_ops };
	int ret;

	ret = mmu_notifier_register(&mn, current->mm);
	if (!ret)
		mmu_notifier_unregister(&mn, current->mm);
	return ret;
}
#else
static long pt_take_all_locks(void)
{
	return -EOPNOTSUPP;
}
#endif

static long pt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case PERVMA_TEST_IOC_MISUSE:
		return pt_misuse(arg);
	case PERVMA_TEST_IOC_TAKE_ALL_LOCKS:
		return pt_take_all_locks();
	case PERVMA_TEST_IOC_INFO:
		return IS_ENABLED(CONFIG_PER_VMA_LOCK) ? PERVMA_TEST_HAS_PER_VMA_LOCK : 0;
	}
	return -ENOTTY;
}

static const struct file_operations pt_fops = {
	.owner = THIS_MODULE,
	.mmap = pt_mmap,
	.unlocked_ioctl = pt_ioctl,
};

static struct miscdevice pt_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pervma_test",
	.fops = &pt_fops,
};

static int __init pt_init(void)
{
	unsigned long p, w;
	int ret;

	BUILD_BUG_ON(1 << BUF_ORDER != PERVMA_TEST_PAGES);
	buf = alloc_pages(GFP_KERNEL, BUF_ORDER);
	if (!buf)
		return -ENOMEM;
	for (p = 0; p < PERVMA_TEST_PAGES; p++) {
		u64 *word = page_address(buf + p);

		for (w = 0; w < PAGE_SIZE / sizeof(u64); w++)
			word[w] = PERVMA_TEST_WORD(p, w);
	}
	ret = misc_register(&pt_dev);
	if (ret)
		__free_pages(buf, BUF_ORDER);
	return ret;
}

static void __exit pt_exit(void)
{
	misc_deregister(&pt_dev);
	__free_pages(buf, BUF_ORDER);
}

module_init(pt_init);
module_exit(pt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pervma guest test helper: PFN mappings, VMA flag misuse, mmu_notifier registration");
