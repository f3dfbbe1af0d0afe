/*
 * The jail's /dev: a tmpfs holding only what the devfs ruleset unhides.
 * A user namespace cannot mknod, and a tmpfs made in one is nodev anyway,
 * so each device is the host's own node bind-mounted onto an empty file
 * (a bind keeps the host's devtmpfs superblock, where opening works).
 * pts is a devpts instance of the jail's own; ptmx, fd and the standard
 * streams are symlinks, as on a Linux host; /dev/shm is always a tmpfs
 * (POSIX shared memory, not a device).  Block devices are never shown,
 * whatever the ruleset: a host disk inside a jail is the host's data.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../util/util.h"
#include "devfs.h"
#include "isolate_int.h"

#define SCAN_DEPTH	3	/* /dev/dri/by-path/x is as deep as it gets */

/* Host names gaol makes itself, or never shows (userfaultfd: the
 * syscall the filter closes, as a device). */
static const char *const synthetic[] = {
	"pts", "ptmx", "fd", "stdin", "stdout", "stderr", "shm", "mqueue",
	"hugepages", "core", "userfaultfd", NULL
};

static void
plan_add(struct devfs_plan *p, char *name, enum devfs_kind kind, dev_t rdev,
    const char *link)
{
	p->v = xrealloc(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = (struct devfs_entry){ name, kind, rdev, link };
}

void
devfs_plan_free(struct devfs_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].name);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int
visible(const struct devfs_rules *l, int num, const char *name, mode_t kind,
    dev_t rdev)
{
	struct devfs_node n = { name, kind, rdev };

	return devfs_visible(l, num, &n);
}

static bool
is_synthetic(const char *name)
{
	for (const char *const *s = synthetic; *s != NULL; s++)
		if (strcmp(name, *s) == 0)
			return true;
	return false;
}

static int
scan(const struct devfs_rules *l, int num, const char *hostdev,
    const char *rel, int depth, struct devfs_plan *p)
{
	char *dir = *rel ? xasprintf("%s/%s", hostdev, rel) : xstrdup(hostdev);
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	free(dir);
	if (d == NULL)
		return 0;	/* gone while we looked: nothing to show */
	while (r == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		char *name;

		if (de->d_name[0] == '.' || (*rel == '\0' &&
		    is_synthetic(de->d_name)))
			continue;
		name = *rel ? xasprintf("%s/%s", rel, de->d_name) :
		    xstrdup(de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode) && depth < SCAN_DEPTH)
				r = scan(l, num, hostdev, name, depth + 1, p);
			else if (S_ISCHR(st.st_mode) && (r = visible(l, num,
			    name, S_IFCHR, st.st_rdev)) == 1) {
				plan_add(p, name, DN_BIND, st.st_rdev, NULL);
				name = NULL;
			}
			r = r == -1 ? -1 : 0;
		}
		free(name);
	}
	closedir(d);
	return r;
}

/* The nodes gaol makes: they are matched under their FreeBSD names. */
static int
synthesize(const struct devfs_rules *l, int num, struct devfs_plan *p)
{
	static const struct {
		const char *name, *link;
		mode_t kind;
	} links[] = {
		{ "ptmx", "pts/ptmx", S_IFCHR },
		{ "fd", "/proc/self/fd", S_IFDIR },
		{ "stdin", "/proc/self/fd/0", S_IFLNK },
		{ "stdout", "/proc/self/fd/1", S_IFLNK },
		{ "stderr", "/proc/self/fd/2", S_IFLNK },
	};
	int a, b;

	if ((a = visible(l, num, "pts", S_IFDIR, 0)) == -1 ||
	    (b = visible(l, num, "pts/0", S_IFCHR, makedev(136, 0))) == -1)
		return -1;
	if (a && b)
		plan_add(p, xstrdup("pts"), DN_PTS, 0, NULL);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		dev_t rdev = links[i].kind == S_IFCHR ? makedev(5, 2) : 0;

		if ((a = visible(l, num, links[i].name, links[i].kind,
		    rdev)) == -1)
			return -1;
		if (a)
			plan_add(p, xstrdup(links[i].name), DN_LINK, 0,
			    links[i].link);
	}
	return 0;
}

int
devfs_plan_make(const struct devfs_rules *l, int num, const char *hostdev,
    struct devfs_plan *p)
{
	memset(p, 0, sizeof(*p));
	if (devfs_ruleset_check(l, num) == -1)
		return -1;
	p->all = num == 0;
	if (scan(l, num, hostdev, "", 1, p) == -1 ||
	    synthesize(l, num, p) == -1) {
		devfs_plan_free(p);
		return -1;
	}
	return 0;
}

int
devfs_plan_load(int num, struct devfs_plan *p)
{
	struct devfs_rules l;
	char *path = xasprintf("%s/devfs.rules", gaol_sysconfdir());
	int r;

	memset(p, 0, sizeof(*p));
	r = devfs_rules_load(&l, path);
	if (r == 0)
		r = devfs_plan_make(&l, num, "/dev", p);
	devfs_rules_free(&l);
	free(path);
	return r;
}

/*
 * FreeBSD's jail(8) mounts devfs with devfs_ruleset when it is set and
 * with ruleset 4 (devfsrules_jail) when it is not.  A ruleset number
 * below 0 (or 0 never written in the configuration) means "not set".
 */
int
isolate_ruleset(const struct jail_spec *spec)
{
	if (spec->devfs_ruleset > 0)
		return spec->devfs_ruleset;
	if (spec->devfs_ruleset == 0 &&
	    jparams_find(&spec->params, "devfs_ruleset") != NULL)
		return 0;
	return 4;
}

/* mkdir -p of the directories above name, inside the new tmpfs. */
static void
make_parents(int devfd, const char *name)
{
	char *p = xstrdup(name);

	for (char *s = strchr(p, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		(void)mkdirat(devfd, p, 0755);
		*s = '/';
	}
	free(p);
}

static int
bind_node(int devfd, const char *name)
{
	char *host = xasprintf("/dev/%s", name);
	int fd, mfd;

	make_parents(devfd, name);
	fd = openat(devfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		free(host);
		return -1;
	}
	close(fd);
	mfd = mnt_clone(AT_FDCWD, host, false);
	free(host);
	if (mfd == -1)
		return errno == ENOENT ? 0 : -1;	/* unplugged meanwhile */
	return mnt_attach_at(mfd, devfd, name);
}

static int
mount_pts(int devfd)
{
	static const char *const opts[] = { "newinstance", "ptmxmode=0666",
		"mode=0620", "gid=5", NULL };
	int mfd;

	if (mkdirat(devfd, "pts", 0755) == -1)
		return -1;
	mfd = mnt_new("devpts", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (mfd == -1 && errno == EINVAL)	/* gid 5 not mapped */
		mfd = mnt_new("devpts", (const char *const[]){ "newinstance",
		    "ptmxmode=0666", "mode=0620", NULL },
		    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (mfd == -1)
		return -1;
	return mnt_attach_at(mfd, devfd, "pts");
}

static int
mount_shm(int devfd)
{
	static const char *const opts[] = { "mode=1777", NULL };
	int mfd;

	if (mkdirat(devfd, "shm", 01777) == -1)
		return -1;
	if ((mfd = mnt_new("tmpfs", opts, MNT_SAFE)) == -1)
		return -1;
	return mnt_attach_at(mfd, devfd, "shm");
}

static int
populate(int devfd, const struct devfs_plan *p, const char *target)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct devfs_entry *e = &p->v[i];
		int r = 0;

		switch (e->kind) {
		case DN_BIND:
			r = bind_node(devfd, e->name);
			break;
		case DN_LINK:
			r = symlinkat(e->link, devfd, e->name);
			break;
		case DN_PTS:
			r = mount_pts(devfd);
			break;
		case DN_DIR:
			r = mkdirat(devfd, e->name, 0755);
			break;
		}
		if (r == -1) {
			gerr_set_errno("mount.devfs: %s/%s", target, e->name);
			return -1;
		}
	}
	if (mount_shm(devfd) == -1) {
		gerr_set_errno("mount.devfs: %s/shm", target);
		return -1;
	}
	return 0;
}

/* An empty tmpfs on target; returns a descriptor of it. */
static int
dev_tmpfs(int rootfd, const char *target)
{
	static const char *const opts[] = { "mode=0755", "size=1m", NULL };
	int dfd, mfd, r;

	if ((dfd = root_mkdirs(rootfd, target)) == -1)
		return -1;
	if ((mfd = mnt_new("tmpfs", opts, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NOEXEC)) == -1) {
		close(dfd);
		return -1;
	}
	r = mnt_attach(mfd, dfd);
	close(dfd);
	return r == -1 ? -1 : root_open(rootfd, target, O_PATH | O_DIRECTORY);
}

int
devfs_mount(int rootfd, const char *target, int ruleset)
{
	struct devfs_plan p;
	int dfd, r;

	if (devfs_plan_load(ruleset, &p) == -1)
		return -1;
	if ((dfd = dev_tmpfs(rootfd, target)) == -1) {
		gerr_set_errno("mount.devfs: %s", target);
		devfs_plan_free(&p);
		return -1;
	}
	r = populate(dfd, &p, target);
	close(dfd);
	devfs_plan_free(&p);
	return r;
}
