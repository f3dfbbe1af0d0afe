/*
 * The overlay backend: a thin jail is an overlayfs whose lower layer is
 * the release, read-only and shared, and whose upper layer holds only
 * what the jail changed (jails/NAME/upper, with its workdir).  jail(8)
 * mounts it: the jail's jail.conf carries the mount in exec.prepare and
 * the unmount in exec.release, so `jail -c`, `service jail` and
 * `gaol start` agree, after a reboot too.  A snapshot, a rollback and a
 * clone copy the upper layer only.  Thick jails are the dir backend's.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "store_int.h"

static char *
upper(const struct sjail *j)
{
	return xasprintf("%s/upper", j->dir);
}

static char *
work(const struct sjail *j)
{
	return xasprintf("%s/work", j->dir);
}

static bool
ov_usable(const char *path)
{
	char *fs = read_file("/proc/filesystems", NULL);
	struct statfs sf;
	bool ok;

	/* overlayfs cannot take its upper layer from another overlayfs. */
	ok = fs != NULL && strstr(fs, "\toverlay\n") != NULL &&
	    statfs(path, &sf) == 0 && sf.f_type != OVERLAYFS_SUPER_MAGIC;
	free(fs);
	return ok;
}

static int
mkdirs(const struct sjail *j)
{
	char *u = upper(j), *w = work(j);
	int r = 0;

	if (mkdir(j->root, 0755) == -1 || mkdir(u, 0755) == -1 ||
	    mkdir(w, 0700) == -1) {
		gerr_set_errno("%s", j->dir);
		r = -1;
	}
	free(u);
	free(w);
	return r;
}

static int
ov_jail_new(struct sjail *j, const char *relpath)
{
	if (!j->thin)
		return dir_jail_new(j, relpath);
	return mkdirs(j);
}

static char *
mount_opts(const struct sjail *j)
{
	char *rel = store_release_path(j->release), *u = upper(j);
	char *w = work(j);
	char *o = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s", rel, u, w);

	free(rel);
	free(u);
	free(w);
	return o;
}

static void
ov_jail_conf(const struct sjail *j, FILE *f)
{
	char *o;

	if (!j->thin)
		return;
	o = mount_opts(j);
	fprintf(f, "\t# the thin root: %s's upper layer over its release\n",
	    j->name);
	fprintf(f, "\texec.prepare = \"mountpoint -q '%s' || "
	    "mount -t overlay -o '%s' gaol-%s '%s'\";\n", j->root, o, j->name,
	    j->root);
	fprintf(f, "\texec.release = \"umount '%s'\";\n", j->root);
	/* An overlay mount cannot be idmapped (uid-ranges.md). */
	fprintf(f, "\tgaol.idmap = \"identity\";\n");
	free(o);
}

static bool
mounted(const char *root)
{
	char *parent = xasprintf("%s/..", root);
	struct stat a, b;
	bool m;

	m = stat(root, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
	free(parent);
	return m;
}

/*
 * gaol itself sees the merged root (to export it) in a mount namespace
 * of its own, so the mount goes when gaol exits whatever happens.
 */
static int
ov_root_open(const struct sjail *j)
{
	char *o;
	int r = 0;

	if (!j->thin || mounted(j->root))
		return 0;
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		gerr_set_errno("%s: private mount namespace", j->name);
		return -1;
	}
	o = mount_opts(j);
	if (mount("gaol", j->root, "overlay", 0, o) == -1) {
		gerr_set_errno("%s: mount overlay on %s", j->name, j->root);
		r = -1;
	}
	free(o);
	return r;
}

/* Unmount what is left mounted (a jail stopped without exec.release). */
static void
ov_root_close(const struct sjail *j)
{
	if (j->thin && mounted(j->root))
		(void)umount2(j->root, MNT_DETACH);
}

static int
ov_jail_destroy(const struct sjail *j)
{
	(void)j;
	return 0;
}

static int
ov_snap_new(const struct sjail *j, const char *snap)
{
	char *u;
	int r;

	if (!j->thin)
		return dir_snap_new(j, snap);
	u = upper(j);
	r = tree_copy(u, snap);
	free(u);
	return r;
}

static int
ov_snap_destroy(const struct sjail *j, const char *snap)
{
	(void)j;
	return tree_remove(snap);
}

static int
ov_rollback(const struct sjail *j, const char *snap)
{
	char *u, *w;
	int r;

	if (!j->thin)
		return dir_rollback(j, snap);
	u = upper(j);
	w = work(j);
	/* The workdir must start empty under the new upper layer. */
	r = tree_replace(u, snap, tree_copy, tree_remove);
	if (r == 0 && (r = tree_remove(w)) == 0 && mkdir(w, 0700) == -1) {
		gerr_set_errno("%s", w);
		r = -1;
	}
	free(u);
	free(w);
	return r;
}

static int
ov_clone(const struct sjail *from, struct sjail *to)
{
	char *fu, *tu, *tw;
	int r = -1;

	if (!from->thin)
		return dir_clone(from, to);
	fu = upper(from);
	tu = upper(to);
	tw = work(to);
	if (mkdir(to->root, 0755) == -1 || mkdir(tw, 0700) == -1)
		gerr_set_errno("%s", to->dir);
	else
		r = tree_copy(fu, tu);
	free(fu);
	free(tu);
	free(tw);
	return r;
}

/*
 * Thin to thick: the merged root copied beside it (in gaol's own mount
 * namespace, ov_root_open), then swapped in for the mount point; the
 * upper and work layers go last, when nothing can need them.
 */
static int
ov_convert(struct sjail *j)
{
	char *thick = xasprintf("%s/root.thick", j->dir), *u = upper(j);
	char *w = work(j);
	int r = -1;

	if (ov_root_open(j) == -1)
		goto out;
	if (tree_copy(j->root, thick) == -1) {
		ov_root_close(j);
		(void)tree_remove(thick);
		goto out;
	}
	ov_root_close(j);
	if (rmdir(j->root) == -1 || rename(thick, j->root) == -1) {
		gerr_set_errno("%s: %s", j->name, j->root);
		goto out;
	}
	r = tree_remove(u) == 0 && tree_remove(w) == 0 ? 0 : -1;
out:
	free(thick);
	free(u);
	free(w);
	return r;
}

const struct store_ops store_overlay = {
	.name = "overlay",
	.usable = ov_usable,
	.release_new = NULL,	/* a plain directory: store_dir's */
	.release_destroy = tree_remove,
	.jail_new = ov_jail_new,
	.jail_destroy = ov_jail_destroy,
	.jail_conf = ov_jail_conf,
	.root_open = ov_root_open,
	.root_close = ov_root_close,
	.snap_new = ov_snap_new,
	.snap_destroy = ov_snap_destroy,
	.rollback = ov_rollback,
	.clone = ov_clone,
	.convert = ov_convert,
};
