/*
 * The dir backend: a jail's root is a plain directory, a full copy of
 * its release (extents shared by reflink where the file system has
 * them).  There are no thin jails, quotas or compression here; a
 * snapshot is another copy.  overlay.c uses it for its thick jails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_int.h"

static bool
dir_usable(const char *path)
{
	(void)path;
	return true;
}

static int
dir_release_new(const char *path)
{
	if (mkdir(path, 0755) == -1) {
		gerr_set_errno("%s", path);
		return -1;
	}
	return 0;
}

int
dir_jail_new(struct sjail *j, const char *relpath)
{
	j->thin = false;
	return tree_copy(relpath, j->root);
}

static int
dir_jail_destroy(const struct sjail *j)
{
	(void)j;
	return 0;	/* store.c removes the directory */
}

int
dir_snap_new(const struct sjail *j, const char *snap)
{
	return tree_copy(j->root, snap);
}

static int
dir_snap_destroy(const struct sjail *j, const char *snap)
{
	(void)j;
	return tree_remove(snap);
}

/* The copy is made beside the target and swapped in: never half a tree. */
int
tree_replace(const char *target, const char *snap,
    int (*copy)(const char *, const char *), int (*drop)(const char *))
{
	char *next = xasprintf("%s.new", target);
	char *old = xasprintf("%s.old", target);
	struct stat st;
	int r = -1;

	/* A rollback killed between its renames left only the old tree. */
	if (lstat(target, &st) == -1 && lstat(old, &st) == 0)
		(void)rename(old, target);
	(void)drop(next);
	(void)drop(old);
	if (copy(snap, next) == -1)
		goto out;
	if (rename(target, old) == -1 || rename(next, target) == -1) {
		gerr_set_errno("%s", target);
		goto out;
	}
	r = drop(old);
out:
	if (r == -1)
		(void)drop(next);
	free(old);
	free(next);
	return r;
}

int
dir_rollback(const struct sjail *j, const char *snap)
{
	return tree_replace(j->root, snap, tree_copy, tree_remove);
}

int
dir_clone(const struct sjail *from, struct sjail *to)
{
	return tree_copy(from->root, to->root);
}

const struct store_ops store_dir = {
	.name = "dir",
	.usable = dir_usable,
	.release_new = dir_release_new,
	.release_destroy = tree_remove,
	.jail_new = dir_jail_new,
	.jail_destroy = dir_jail_destroy,
	.snap_new = dir_snap_new,
	.snap_destroy = dir_snap_destroy,
	.rollback = dir_rollback,
	.clone = dir_clone,
	.send = NULL,
	.receive = NULL,
};
