/*
 * The btrfs backend, this host's ZFS: releases and jail roots are
 * subvolumes; a thin jail is a writable snapshot of its release, a
 * snapshot a read-only one, a clone a writable snapshot of the jail;
 * export is `btrfs send`, import `btrfs receive`; quota a qgroup limit;
 * compression the btrfs.compression property (an xattr on the root,
 * inherited by what is written after).  libbtrfsutil does subvolumes;
 * send, receive and qgroups have no library call there, so the btrfs
 * tool does those.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <linux/magic.h>
#include <btrfsutil.h>

#include "store_int.h"

static int
bu(enum btrfs_util_error e, const char *what, const char *path)
{
	if (e == BTRFS_UTIL_OK)
		return 0;
	gerr_set("%s %s: %s%s%s", what, path, btrfs_util_strerror(e),
	    errno ? ": " : "", errno ? strerror(errno) : "");
	return -1;
}

static bool
bt_usable(const char *path)
{
	char *p = xstrdup(path);
	struct statfs sf;
	bool ok;

	/* The nearest existing directory decides. */
	while (statfs(p, &sf) == -1 && errno == ENOENT && strrchr(p, '/') != p)
		*strrchr(p, '/') = '\0';
	ok = statfs(p, &sf) == 0 && sf.f_type == BTRFS_SUPER_MAGIC;
	free(p);
	return ok;
}

static int
subvol_new(const char *path)
{
	errno = 0;
	return bu(btrfs_util_create_subvolume(path, 0, NULL, NULL),
	    "create subvolume", path);
}

static int
snapshot(const char *from, const char *to, bool ro)
{
	errno = 0;
	return bu(btrfs_util_create_snapshot(from, to,
	    ro ? BTRFS_UTIL_CREATE_SNAPSHOT_READ_ONLY : 0, NULL, NULL),
	    "snapshot", to);
}

/* A subvolume with what lies below it; a missing one is fine. */
static int
subvol_delete(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return 0;
	errno = 0;
	if (btrfs_util_is_subvolume(path) != BTRFS_UTIL_OK)
		return tree_remove(path);
	return bu(btrfs_util_delete_subvolume(path,
	    BTRFS_UTIL_DELETE_SUBVOLUME_RECURSIVE), "delete subvolume", path);
}

static int
bt_jail_new(struct sjail *j, const char *relpath)
{
	char *src;
	int r;

	if (btrfs_util_is_subvolume(relpath) == BTRFS_UTIL_OK && j->thin)
		return snapshot(relpath, j->root, false);
	/* Thick (or a release that is a plain directory): a reflink copy. */
	j->thin = false;
	if (subvol_new(j->root) == -1)
		return -1;
	src = xasprintf("%s/.", relpath);
	r = tree_copy(src, j->root);
	free(src);
	return r;
}

static int
bt_jail_destroy(const struct sjail *j)
{
	char *snaps = xasprintf("%s/snapshots", j->dir);
	struct strlist tags = { 0 };
	int r = 0;

	list_subdirs(snaps, &tags);
	for (size_t i = 0; i < tags.n; i++) {
		char *s = snap_path(j, tags.v[i]);

		if (subvol_delete(s) == -1)
			r = -1;
		free(s);
	}
	strlist_clear(&tags);
	free(snaps);
	if (subvol_delete(j->root) == -1)
		r = -1;
	return r;
}

static int
bt_snap_new(const struct sjail *j, const char *snap)
{
	return snapshot(j->root, snap, true);
}

static int
bt_snap_destroy(const struct sjail *j, const char *snap)
{
	(void)j;
	return subvol_delete(snap);
}

static int
writable_snapshot(const char *from, const char *to)
{
	return snapshot(from, to, false);
}

/* The snapshot's writable copy is made first, then swapped in. */
static int
bt_rollback(const struct sjail *j, const char *snap)
{
	return tree_replace(j->root, snap, writable_snapshot, subvol_delete);
}

static int
bt_clone(const struct sjail *from, struct sjail *to)
{
	if (btrfs_util_is_subvolume(from->root) != BTRFS_UTIL_OK)
		return dir_clone(from, to);
	return snapshot(from->root, to->root, false);
}

/* btrfs send needs a read-only subvolume: a snapshot named "root". */
static int
bt_send(const struct sjail *j, int fd)
{
	char *dir = xasprintf("%s/.send.%d", j->dir, (int)getpid());
	char *snap = xasprintf("%s/root", dir);
	char *argv[] = { "btrfs", "-q", "send", snap, NULL };
	int r = -1;

	if (mkdir(dir, 0700) == -1) {
		gerr_set_errno("%s", dir);
		goto out;
	}
	if (snapshot(j->root, snap, true) == 0) {
		r = tool_run(argv, -1, fd, j->name);
		(void)subvol_delete(snap);
	}
	(void)rmdir(dir);
out:
	free(snap);
	free(dir);
	return r;
}

/* btrfs receive makes a read-only "root": its writable snapshot stays. */
static int
bt_receive(struct sjail *j, int fd)
{
	char *dir = xasprintf("%s/.receive", j->dir);
	char *got = xasprintf("%s/root", dir);
	char *argv[] = { "btrfs", "-q", "receive", "-e", dir, NULL };
	int r = -1;

	if (mkdir(dir, 0700) == -1) {
		gerr_set_errno("%s", dir);
		goto out;
	}
	if (tool_run(argv, fd, -1, j->name) == 0)
		r = snapshot(got, j->root, false);
	(void)subvol_delete(got);
	(void)rmdir(dir);
out:
	j->thin = false;
	free(got);
	free(dir);
	return r;
}

static int
bt_set_quota(const struct sjail *j, const char *size)
{
	char *enable[] = { "btrfs", "quota", "enable", j->root, NULL };
	/*
	 * Exclusive bytes: what the jail owns alone, not the release blocks
	 * a thin jail shares (as a ZFS clone's space excludes its origin).
	 */
	char *limit[] = { "btrfs", "qgroup", "limit", "-e", (char *)size,
	    j->root, NULL };

	if (strcmp(size, "none") != 0 && tool_run(enable, -1, -1, j->name) == -1)
		return -1;
	return tool_run(limit, -1, -1, j->name);
}

static int
bt_set_compression(const struct sjail *j, const char *algo)
{
	const char *v = strcmp(algo, "off") == 0 ? "no" : algo;

	if (setxattr(j->root, "btrfs.compression", v, strlen(v), 0) == -1) {
		gerr_set_errno("%s: compression %s", j->name, algo);
		return -1;
	}
	return 0;
}

const struct store_ops store_btrfs = {
	.name = "btrfs",
	.usable = bt_usable,
	.release_new = subvol_new,
	.release_destroy = subvol_delete,
	.jail_new = bt_jail_new,
	.jail_destroy = bt_jail_destroy,
	.snap_new = bt_snap_new,
	.snap_destroy = bt_snap_destroy,
	.rollback = bt_rollback,
	.clone = bt_clone,
	.stream = "btrfs",
	.send = bt_send,
	.receive = bt_receive,
	.root_new = subvol_new,
	.set_quota = bt_set_quota,
	.set_compression = bt_set_compression,
};
