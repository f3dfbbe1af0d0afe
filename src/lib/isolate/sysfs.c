/*
 * The jail's /sys, always read-only.  A jail that shares the host's
 * network namespace cannot mount sysfs (the kernel ties a sysfs instance
 * to the mounter's network namespace and requires its owner's rights),
 * so it gets the host's /sys bound read-only, every submount included; a
 * vnet jail mounts a sysfs of its own, read-only.  Firmware and kernel
 * debugging trees are covered.  /sys/fs/cgroup shows only the jail's own
 * cgroup: a new cgroup2 mount made inside the jail's cgroup namespace has
 * the jail's cgroup as its root.  The v1 hierarchies of a hybrid host are
 * not shown (their release_agent files are the classic escape).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

static const char *const sys_hide_dirs[] = {
	"firmware", "kernel/debug", "kernel/tracing", "kernel/security",
	"kernel/config", NULL
};

static int
sys_instance(const struct jail_spec *spec)
{
	int mfd;

	if (spec->net.vnet)
		return mnt_new("sysfs", NULL, MOUNT_ATTR_RDONLY | MNT_SAFE);
	if ((mfd = mnt_clone(AT_FDCWD, "/sys", true)) == -1)
		return -1;
	if (mnt_setattr(mfd, MOUNT_ATTR_RDONLY | MNT_SAFE, true) == -1) {
		int saved = errno;

		close(mfd);
		errno = saved;
		return -1;
	}
	return mfd;
}

static bool
host_is_v2(void)
{
	struct statfs sf;

	return statfs("/sys/fs/cgroup", &sf) == 0 &&
	    sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* A read-only cgroup2 of the jail's cgroup namespace on dirfd/name. */
static int
cgroup2_on(int dirfd, const char *name)
{
	int mfd = mnt_new("cgroup2", NULL, MOUNT_ATTR_RDONLY | MNT_SAFE);

	return mfd == -1 ? -1 : mnt_attach_at(mfd, dirfd, name);
}

/*
 * Pure v2: the jail's cgroup at /sys/fs/cgroup.  Otherwise an empty
 * read-only directory, holding "unified" with the jail's v2 cgroup when
 * the kernel allows it.  Only hiding is required: a failed cgroup2 mount
 * leaves it hidden.
 */
static int
cgroup_view(int sfd)
{
	static const char *const opts[] = { "size=4k", "mode=0555", NULL };
	int cfd, tfd;

	if (faccessat(sfd, "fs/cgroup", F_OK, AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	if (host_is_v2()) {
		if (cgroup2_on(sfd, "fs/cgroup") == 0)
			return 0;
		return mnt_cover_dir(sfd, "fs/cgroup");
	}
	if ((tfd = mnt_new("tmpfs", opts, MNT_SAFE)) == -1)
		return -1;
	(void)mkdirat(tfd, "unified", 0555);
	if ((cfd = openat(sfd, "fs/cgroup", O_PATH | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) == -1) {
		close(tfd);
		return -1;
	}
	/* mnt_attach closes the descriptor: keep one to set it ro after. */
	if (mnt_attach(dup(tfd), cfd) == -1) {
		close(tfd);
		close(cfd);
		return -1;
	}
	close(cfd);
	if ((cfd = openat(sfd, "fs/cgroup", O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		(void)cgroup2_on(cfd, "unified");
		close(cfd);
	}
	if (mnt_setattr(tfd, MOUNT_ATTR_RDONLY, false) == -1) {
		close(tfd);
		return -1;
	}
	close(tfd);
	return 0;
}

static int
sysfs_mask(int sfd, const char *target)
{
	for (const char *const *p = sys_hide_dirs; *p != NULL; p++) {
		if (faccessat(sfd, *p, F_OK, AT_SYMLINK_NOFOLLOW) == -1)
			continue;
		if (mnt_cover_dir(sfd, *p) == -1) {
			gerr_set_errno("%s/%s: hide", target, *p);
			return -1;
		}
	}
	if (cgroup_view(sfd) == -1) {
		gerr_set_errno("%s/fs/cgroup: hide", target);
		return -1;
	}
	return 0;
}

int
sysfs_mount(const struct jail_spec *spec, int rootfd, const char *target)
{
	int dfd, mfd, sfd, r;

	if (mnt_enter_cgroupns() == -1)
		return -1;
	if ((dfd = root_mkdirs(rootfd, target)) == -1) {
		gerr_set_errno("%s", target);
		return -1;
	}
	if ((mfd = sys_instance(spec)) == -1) {
		gerr_set_errno("%s: %s", target, spec->net.vnet ?
		    "mount sysfs" : "bind the host's /sys");
		close(dfd);
		return -1;
	}
	r = mnt_attach(mfd, dfd);
	close(dfd);
	if (r == -1 || (sfd = root_open(rootfd, target,
	    O_PATH | O_DIRECTORY)) == -1) {
		gerr_set_errno("%s", target);
		return -1;
	}
	r = sysfs_mask(sfd, target);
	close(sfd);
	return r;
}
