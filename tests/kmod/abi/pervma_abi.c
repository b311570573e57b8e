// SPDX-License-Identifier: GPL-2.0
/*
 * pervma_abi: stands for an out-of-tree module that is not GPL-licensed
 * (its MODULE_LICENSE is "Proprietary"): it calls every vm_flags modifier
 * and the per-VMA lock functions a driver may use. It must link (modpost)
 * and load on a pervma kernel as it would on the base kernel, where all it
 * needed was a plain store to vma->vm_flags. scripts/check.sh builds it in
 * make check; the guest test module_abi loads it and uses it.
 *
 * /dev/pervma_abi: mmap() sets up the VMA with the modifiers; ioctl 0
 * looks the caller's address up under lock_vma_under_rcu() (falling back
 * to the mmap_lock) and returns its VMA's flags, or -EFAULT; ioctl 1 sets
 * VM_DONTDUMP on it under mmap_write_lock_killable(), downgrades to the
 * read lock and returns the flags: the inline mmap_lock functions, which
 * release VMA write locks, are part of what such a module links against.
 * (This file's own licence is GPL-2.0, as all of pervma's; the module
 * declares another to test what modpost lets such a module link against.)
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>

static int abi_mmap(struct file *file, struct vm_area_struct *vma)
{
	vm_flags_t flags;

	/* Every modifier, each leaving the flags as a driver would want. */
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vm_flags_clear(vma, VM_MAYEXEC);
	vm_flags_mod(vma, VM_DONTCOPY, VM_EXEC);
	__vm_flags_mod(vma, 0, 0);
	vma_start_write(vma);
	flags = vma->vm_flags;
	vm_flags_reset(vma, flags);
	vm_flags_reset_once(vma, flags);
	return 0;
}

static long abi_ioctl(struct file *file, unsigned int cmd, unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	long ret = -EFAULT;

	if (cmd == 1) {
		if (mmap_write_lock_killable(mm))
			return -EINTR;
		vma = vma_lookup(mm, addr);
		if (vma)
			vm_flags_set(vma, VM_DONTDUMP);
		mmap_write_downgrade(mm);
		if (vma)
			ret = vma->vm_flags & LONG_MAX;
		mmap_read_unlock(mm);
		return ret;
	}
	if (cmd != 0)
		return -ENOTTY;
	vma = lock_vma_under_rcu(mm, addr);
	if (vma) {
		ret = vma->vm_flags & LONG_MAX;
		vma_end_read(vma);
		return ret;
	}
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		ret = vma->vm_flags & LONG_MAX;
	mmap_read_unlock(mm);
	return ret;
}

static const struct file_operations abi_fops = {
	.owner = THIS_MODULE,
	.mmap = abi_mmap,
	.unlocked_ioctl = abi_ioctl,
};

static struct miscdevice abi_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pervma_abi",
	.fops = &abi_fops,
};

static int __init abi_init(void)
{
	struct vm_area_struct scratch;

	/* vm_flags_init() is for a VMA not yet visible: this one. */
	vma_init(&scratch, NULL);
	vm_flags_init(&scratch, VM_READ);
	return misc_register(&abi_dev);
}

static void __exit abi_exit(void)
{
	misc_deregister(&abi_dev);
}

module_init(abi_init);
module_exit(abi_exit);
MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("pervma: a non-GPL module using the vm_flags modifiers and VMA locks");
