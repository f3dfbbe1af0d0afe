/*
 * isolate_root: the jail's view of the filesystem, built in its own mount
 * namespace and entered with pivot_root.
 *
 * Order, as FreeBSD's jail(8): mount.fstab, mount, mount.devfs,
 * mount.procfs; /sys always (read-only).  Everything is mounted before
 * the old root is detached, because a new procfs needs a full procfs in
 * sight.  The mounts belong to the jail's mount namespace and disappear
 * with it, so a killed jail leaves none behind.
 *
 * enforce_statfs: after pivot_root the namespace holds only the jail's
 * mounts, with paths relative to its root: that is level 2, and level 1
 * too (Linux shows no mount point above the root).  Level 0, the host's
 * whole mount table, cannot be given to a jail in its own mount namespace;
 * it is accepted and behaves as 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate.h"
#include "isolate_int.h"

/* isolate_root's tree and its argument, for the length of the call;
 * its cgroupns until it has run. */
static isolate_tree_fn tree_fn;
static int (*cgroupns_fn)(void *);
static void *tree_arg;

int
mnt_enter_cgroupns(void)
{
	int (*fn)(void *) = cgroupns_fn;

	cgroupns_fn = NULL;
	if (fn != NULL && fn(tree_arg) == -1) {
		gerr_set_errno("enter the jail's cgroup namespace");
		return -1;
	}
	return 0;
}

int
mnt_host_tree(const char *path, bool strict)
{
	if (tree_fn != NULL)
		return tree_fn(path, strict, tree_arg);
	return mnt_clone(AT_FDCWD, path, true);
}

/*
 * Bind path onto itself, submounts included (mounts the admin made below
 * the path are part of the jail, as on FreeBSD; a user namespace also
 * refuses a non-recursive bind over locked submounts), shifted to the
 * jail's ids when it has a range of its own.  The descriptor is the root
 * of the new mount: every later path starts there.
 */
int
isolate_root_tree(const struct jail_spec *spec, isolate_tree_fn tree,
    void *arg)
{
	const char *path = spec->path;
	int fd;

	if (path == NULL || path[0] != '/') {
		gerr_set("path %s: not an absolute path",
		    path ? path : "(unset)");
		return -1;
	}
	/* Nothing done here may reach the host's mount namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		gerr_set_errno("make mounts private");
		return -1;
	}
	tree_fn = tree;
	tree_arg = arg;
	fd = mnt_host_tree(path, true);
	tree_fn = NULL;
	if (fd == -1 && tree != NULL && errno == EINVAL) {
		gerr_set_errno("path %s: a filesystem in it cannot be idmapped "
		    "to the jail's ids (gaol.idmap=identity keeps the host's)",
		    path);
		return -1;
	}
	if (fd == -1) {
		gerr_set_errno("path %s", path);
		return -1;
	}
	if (move_mount(fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) == -1) {
		gerr_set_errno("path %s: bind", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* Make rootfd "/" and let go of everything above it. */
static int
enter_root(int rootfd, const char *path)
{
	if (fchdir(rootfd) == -1) {
		gerr_set_errno("path %s", path);
		return -1;
	}
	/* pivot_root(".", "."): the old root ends up stacked on ".". */
	if (syscall(SYS_pivot_root, ".", ".") == -1) {
		gerr_set_errno("path %s: pivot_root", path);
		return -1;
	}
	if (umount2(".", MNT_DETACH) == -1) {
		gerr_set_errno("path %s: detach the host's root", path);
		return -1;
	}
	if (chdir("/") == -1) {
		gerr_set_errno("path %s: chdir /", path);
		return -1;
	}
	return 0;
}

static int
build_view(const struct jail_spec *spec, int rootfd)
{
	if (fstab_mount_all(spec, rootfd) == -1)
		return -1;
	if (spec->mount_devfs &&
	    devfs_mount(rootfd, "/dev", isolate_ruleset(spec)) == -1)
		return -1;
	if (spec->mount_procfs) {
		if (procfs_mount(spec, rootfd, "/proc") == -1)
			return -1;
	} else if (procfs_cover_host(rootfd) == -1)
		return -1;
	if (sysfs_mount(spec, rootfd, "/sys") == -1)
		return -1;
	return isolate_paths(spec, rootfd);
}

void
isolate_keep_files(const struct jail_spec *spec)
{
	char *rules = xasprintf("%s/devfs.rules", gaol_sysconfdir());

	for (size_t i = 0; i < spec->mount_fstab.n; i++)
		file_keep(spec->mount_fstab.v[i]);
	file_keep(rules);
	free(rules);
}

int
isolate_root(const struct jail_spec *spec, int rootfd, isolate_tree_fn tree,
    int (*cgroupns)(void *), void *arg)
{
	int r;

	tree_fn = tree;
	cgroupns_fn = cgroupns;
	tree_arg = arg;
	r = build_view(spec, rootfd);
	if (r == 0)
		r = mnt_enter_cgroupns();	/* if no /sys took it */
	tree_fn = NULL;
	cgroupns_fn = NULL;
	if (r == 0)
		r = enter_root(rootfd, spec->path);
	close(rootfd);
	return r;
}
