/*
 * The descriptor-based mount API (fsopen/fsmount, open_tree, move_mount,
 * mount_setattr).  A mount is built detached and attached last, onto a
 * descriptor that resolve.c found inside the jail's root: there is no
 * path for a symlink to redirect between the check and the mount.
 * These return -1 with errno set; callers add what failed to the message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

static int
fs_option(int fsfd, const char *opt)
{
	const char *eq = strchr(opt, '=');
	char *key;
	int r;

	if (eq == NULL)
		return fsconfig(fsfd, FSCONFIG_SET_FLAG, opt, NULL, 0);
	key = xstrndup(opt, (size_t)(eq - opt));
	r = fsconfig(fsfd, FSCONFIG_SET_STRING, key, eq + 1, 0);
	free(key);
	return r;
}

/* A new, detached instance of fstype with "key=value"/"flag" options. */
int
mnt_new(const char *fstype, const char *const *opts, unsigned attrs)
{
	int fsfd, mfd = -1, saved;

	if ((fsfd = fsopen(fstype, FSOPEN_CLOEXEC)) == -1)
		return -1;
	for (; opts != NULL && *opts != NULL; opts++)
		if (fs_option(fsfd, *opts) == -1)
			goto out;
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == -1)
		goto out;
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
out:
	saved = errno;
	close(fsfd);
	errno = saved;
	return mfd;
}

/* A detached copy of the mount at dfd/path (a bind mount not yet placed). */
int
mnt_clone(int dfd, const char *path, bool recursive)
{
	unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;

	if (recursive)
		flags |= AT_RECURSIVE;
	if (*path == '\0')
		flags |= AT_EMPTY_PATH;
	return open_tree(dfd, path, flags);
}

int
mnt_setattr(int mfd, unsigned set, bool recursive)
{
	struct mount_attr attr = { .attr_set = set };

	return mount_setattr(mfd, "", AT_EMPTY_PATH |
	    (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr));
}

int
mnt_attach(int mfd, int targetfd)
{
	int r, saved;

	r = move_mount(mfd, "", targetfd, "",
	    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	saved = errno;
	close(mfd);
	errno = saved;
	return r;
}

/* Place mfd on dirfd/name, which must already exist and not be a link. */
int
mnt_attach_at(int mfd, int dirfd, const char *name)
{
	int tfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int r, saved;

	if (tfd == -1) {
		saved = errno;
		close(mfd);
		errno = saved;
		return -1;
	}
	r = mnt_attach(mfd, tfd);
	saved = errno;
	close(tfd);
	errno = saved;
	return r;
}

/* Hide a file: the host's /dev/null, read-only, on top of it. */
int
mnt_cover_file(int dirfd, const char *name)
{
	int mfd = mnt_clone(AT_FDCWD, "/dev/null", false);

	if (mfd == -1)
		return -1;
	if (mnt_setattr(mfd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NOEXEC, false) == -1) {
		close(mfd);
		return -1;
	}
	return mnt_attach_at(mfd, dirfd, name);
}

/* Hide a directory: an empty read-only tmpfs on top of it. */
int
mnt_cover_dir(int dirfd, const char *name)
{
	static const char *const opts[] = { "size=4k", "nr_inodes=1",
		"mode=0555", NULL };
	int mfd = mnt_new("tmpfs", opts, MOUNT_ATTR_RDONLY | MNT_SAFE);

	if (mfd == -1)
		return -1;
	return mnt_attach_at(mfd, dirfd, name);
}

/* Make dirfd/name read-only: a read-only bind of it onto itself. */
int
mnt_ro(int dirfd, const char *name)
{
	int mfd = mnt_clone(dirfd, name, true);

	if (mfd == -1)
		return -1;
	if (mnt_setattr(mfd, MOUNT_ATTR_RDONLY | MNT_SAFE, true) == -1) {
		close(mfd);
		return -1;
	}
	return mnt_attach_at(mfd, dirfd, name);
}
