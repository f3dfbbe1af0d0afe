/*
 * mount.fstab files and mount lines, in fstab(5) format:
 *	device  mountpoint  type  options  [dump  pass]
 * nullfs is a bind mount (ro or rw), tmpfs and procfs (proc, linprocfs)
 * are new instances, linsysfs/sysfs the read-only /sys, devfs a /dev from
 * a ruleset ("ruleset=N", else the jail's).  The mount point may be
 * written as FreeBSD does, a host path inside the jail's path, or
 * relative to the jail; either way it is resolved inside the jail's
 * root, and missing directories are made there.  The mounts live in the
 * jail's mount namespace and vanish with it: nothing to undo.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

struct fsent {
	char	*dev, *dir, *type, *opts;
};

struct mopts {
	unsigned	 attrs;
	bool		 ro, noauto, failok;
	int		 ruleset;	/* devfs, -1: the jail's */
	struct strlist	 fs;		/* for the filesystem (tmpfs) */
};

/* fstab's octal escapes: "\040" is a space. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/* 1: an entry, 0: blank or comment, -1: malformed. */
static int
fs_split(char *line, struct fsent *e)
{
	char *f[6] = { NULL }, *save;
	int n = 0;

	for (char *t = strtok_r(line, " \t\r", &save); t != NULL && n < 6;
	    t = strtok_r(NULL, " \t\r", &save)) {
		if (t[0] == '#')
			break;
		unescape(t);
		f[n++] = t;
	}
	if (n == 0)
		return 0;
	if (n < 3)
		return -1;
	*e = (struct fsent){ f[0], f[1], f[2], n > 3 ? f[3] : "rw" };
	return 1;
}

static bool
is_type(const char *t, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(t, *names) == 0)
			return true;
	return false;
}

static const char *const t_bind[] = { "nullfs", "bind", NULL };
static const char *const t_tmpfs[] = { "tmpfs", NULL };
static const char *const t_proc[] = { "procfs", "proc", "linprocfs", NULL };
static const char *const t_sys[] = { "linsysfs", "sysfs", NULL };
static const char *const t_dev[] = { "devfs", NULL };

static const struct {
	const char	*name;
	unsigned	 attr;
} flagopts[] = {
	{ "nosuid", MOUNT_ATTR_NOSUID }, { "noexec", MOUNT_ATTR_NOEXEC },
	{ "nodev", MOUNT_ATTR_NODEV }, { "noatime", MOUNT_ATTR_NOATIME },
	{ "nosymfollow", MOUNT_ATTR_NOSYMFOLLOW },
};

/* tmpfs size=, mode=, uid=, gid=; FreeBSD's inodes= is nr_inodes=. */
static bool
tmpfs_opt(const char *o, struct mopts *m)
{
	if (strncmp(o, "inodes=", 7) == 0) {
		strlist_addn(&m->fs, xasprintf("nr_%s", o));
		return true;
	}
	if (strncmp(o, "size=", 5) && strncmp(o, "mode=", 5) &&
	    strncmp(o, "uid=", 4) && strncmp(o, "gid=", 4) &&
	    strncmp(o, "nr_inodes=", 10))
		return false;
	strlist_add(&m->fs, o);
	return true;
}

static bool
one_opt(const char *o, const char *type, struct mopts *m)
{
	long long n;

	for (size_t i = 0; i < sizeof(flagopts) / sizeof(flagopts[0]); i++)
		if (strcmp(o, flagopts[i].name) == 0) {
			m->attrs |= flagopts[i].attr;
			return true;
		}
	if (strcmp(o, "ro") == 0 || strcmp(o, "rdonly") == 0)
		return m->ro = true;
	if (strcmp(o, "noauto") == 0)
		return m->noauto = true;
	if (strcmp(o, "failok") == 0)
		return m->failok = true;
	if (is_type(o, (const char *const[]){ "rw", "defaults", "auto",
	    "late", "suid", "exec", "dev", "atime", NULL }))
		return true;
	if (is_type(type, t_tmpfs))
		return tmpfs_opt(o, m);
	if (is_type(type, t_dev) && strncmp(o, "ruleset=", 8) == 0 &&
	    parse_int(o + 8, &n) == 0 && n >= 0 && n <= 65535) {
		m->ruleset = (int)n;
		return true;
	}
	return false;
}

static int
parse_opts(char *opts, const char *type, struct mopts *m)
{
	char *save;

	for (char *o = strtok_r(opts, ",", &save); o != NULL;
	    o = strtok_r(NULL, ",", &save))
		if (!one_opt(o, type, m)) {
			gerr_set("option %s: not supported for %s", o, type);
			return -1;
		}
	if (m->ro)
		m->attrs |= MOUNT_ATTR_RDONLY;
	return 0;
}

/* The source of a bind: inside the jail's root when under its path. */
static int
bind_source(const struct jail_spec *spec, int rootfd, const char *dev)
{
	const char *rel = jail_relative(spec->path, dev);
	int fd, mfd, saved;

	/* From the host: shifted to the jail's ids where it can be. */
	if (rel == dev)
		return mnt_host_tree(dev, false);
	/* Inside the root: a copy of a tree already shifted. */
	if ((fd = root_open(rootfd, rel, O_PATH)) == -1)
		return -1;
	mfd = mnt_clone(fd, "", true);
	saved = errno;
	close(fd);
	errno = saved;
	return mfd;
}

static int
do_bind(const struct jail_spec *spec, int rootfd, const struct fsent *e,
    const char *rel, const struct mopts *m)
{
	struct stat st;
	int mfd, tfd;

	if ((mfd = bind_source(spec, rootfd, e->dev)) == -1) {
		gerr_set_errno("%s", e->dev);
		return -1;
	}
	if ((m->attrs != 0 && mnt_setattr(mfd, m->attrs, true) == -1) ||
	    fstat(mfd, &st) == -1) {
		gerr_set_errno("%s", e->dev);
		close(mfd);
		return -1;
	}
	tfd = S_ISDIR(st.st_mode) ? root_mkdirs(rootfd, rel) :
	    root_mkfile(rootfd, rel);
	if (tfd == -1 || mnt_attach(mfd, tfd) == -1) {
		gerr_set_errno("%s", e->dir);
		if (tfd == -1)
			close(mfd);
		else
			close(tfd);
		return -1;
	}
	close(tfd);
	return 0;
}

static int
do_tmpfs(int rootfd, const struct fsent *e, const char *rel, struct mopts *m)
{
	int mfd, tfd;

	if ((tfd = root_mkdirs(rootfd, rel)) == -1) {
		gerr_set_errno("%s", e->dir);
		return -1;
	}
	if ((mfd = mnt_new("tmpfs", (const char *const *)m->fs.v,
	    m->attrs)) == -1) {
		gerr_set_errno("%s: tmpfs", e->dir);
		close(tfd);
		return -1;
	}
	if (mnt_attach(mfd, tfd) == -1) {
		gerr_set_errno("%s", e->dir);
		close(tfd);
		return -1;
	}
	close(tfd);
	return 0;
}

static int
do_entry(const struct jail_spec *spec, int rootfd, struct fsent *e)
{
	struct mopts m = { .ruleset = -1 };
	const char *rel = jail_relative(spec->path, e->dir);
	int r;

	if (parse_opts(e->opts, e->type, &m) == -1)
		r = -1;
	else if (m.noauto)
		r = 0;
	else if (is_type(e->type, t_bind))
		r = do_bind(spec, rootfd, e, rel, &m);
	else if (is_type(e->type, t_tmpfs))
		r = do_tmpfs(rootfd, e, rel, &m);
	else if (is_type(e->type, t_proc))
		r = procfs_mount(spec, rootfd, rel);
	else if (is_type(e->type, t_sys))
		r = sysfs_mount(spec, rootfd, rel);
	else if (is_type(e->type, t_dev))
		r = devfs_mount(rootfd, rel, m.ruleset >= 0 ? m.ruleset :
		    isolate_ruleset(spec));
	else {
		gerr_set("%s: file system type not supported in a jail "
		    "(nullfs, tmpfs, procfs, linsysfs, devfs)", e->type);
		r = -1;
	}
	if (r == -1 && m.failok)
		r = 0;
	strlist_clear(&m.fs);
	return r;
}

int
fstab_check_line(const char *text)
{
	char *line = xstrdup(text);
	struct mopts m = { .ruleset = -1 };
	struct fsent e;
	int r;

	if ((r = fs_split(line, &e)) == 1)
		r = parse_opts(e.opts, e.type, &m) == -1 ? -1 : 0;
	else if (r == -1)
		gerr_set("expected \"device mountpoint type [options]\"");
	strlist_clear(&m.fs);
	free(line);
	return r;
}

/* Run one fstab-format line; prefix names it in a message. */
static int
fstab_line(const struct jail_spec *spec, int rootfd, const char *text,
    const char *prefix)
{
	char *line = xstrdup(text);
	struct fsent e;
	int r;

	if ((r = fs_split(line, &e)) == 1)
		r = do_entry(spec, rootfd, &e);
	else if (r == -1)
		gerr_set("expected \"device mountpoint type [options]\"");
	free(line);
	if (r == -1)
		gerr_prefix("%s: ", prefix);
	return r == -1 ? -1 : 0;
}

static int
fstab_file(const struct jail_spec *spec, int rootfd, const char *path)
{
	char *text = read_file(path, NULL), *line, *next, *prefix;
	int lineno = 0, r = 0;

	if (text == NULL) {
		gerr_prefix("mount.fstab ");
		return -1;
	}
	for (line = text; line != NULL && r == 0; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		prefix = xasprintf("mount.fstab %s line %d", path, ++lineno);
		r = fstab_line(spec, rootfd, line, prefix);
		free(prefix);
	}
	free(text);
	return r;
}

int
fstab_mount_all(const struct jail_spec *spec, int rootfd)
{
	for (size_t i = 0; i < spec->mount_fstab.n; i++)
		if (fstab_file(spec, rootfd, spec->mount_fstab.v[i]) == -1)
			return -1;
	for (size_t i = 0; i < spec->mount.n; i++) {
		char *prefix = xasprintf("mount \"%s\"", spec->mount.v[i]);
		int r = fstab_line(spec, rootfd, spec->mount.v[i], prefix);

		free(prefix);
		if (r == -1)
			return -1;
	}
	return 0;
}
