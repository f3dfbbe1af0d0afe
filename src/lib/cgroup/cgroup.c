/*
 * Finding and managing a jail's cgroups on v1, v2 and hybrid hosts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/util.h"
#include "cgroup.h"

static const char *const v1_controllers[] = {
	"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer",
	"net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids",
	"rdma", "misc", NULL
};

static bool
is_v1_controller(const char *opt)
{
	for (int i = 0; v1_controllers[i]; i++)
		if (strcmp(opt, v1_controllers[i]) == 0)
			return true;
	return false;
}

/*
 * What names a v1 hierarchy among a mount's super options, "a,b": its
 * controllers, and its name= for a named one (name=systemd), which has
 * no controller but is a hierarchy a jail's processes must be placed in
 * all the same (its root would otherwise be the jail's to write).
 */
static char *
v1_mount_controllers(const char *superopts)
{
	struct strlist found = { 0 };
	char *opts = xstrdup(superopts), *save, *tok, *s;

	for (tok = strtok_r(opts, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		if (is_v1_controller(tok) || strncmp(tok, "name=", 5) == 0)
			strlist_add(&found, tok);
	free(opts);
	s = found.n ? strlist_join(&found, ",") : NULL;
	strlist_clear(&found);
	return s;
}

/* Our own path in the hierarchy whose /proc/self/cgroup key is key. */
static char *
own_path(const char *selfcg, int version, const char *controllers)
{
	const char *p = selfcg;
	char *first = xstrdup(controllers), *comma;

	if ((comma = strchr(first, ',')) != NULL)
		*comma = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len), *c1, *c2;

		c1 = strchr(line, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c1 && c2) {
			*c2 = '\0';
			struct strlist l = { 0 };
			char *save, *tok;

			for (tok = strtok_r(c1 + 1, ",", &save); tok;
			    tok = strtok_r(NULL, ",", &save))
				strlist_add(&l, tok);
			bool match = version == 2 ? (c1[1] == '\0' &&
			    strncmp(line, "0", 1) == 0) : strlist_has(&l, first);
			strlist_clear(&l);
			if (match) {
				char *path = xstrdup(c2 + 1);

				free(line);
				free(first);
				return path;
			}
		}
		free(line);
		p = nl ? nl + 1 : p + len;
	}
	free(first);
	return xstrdup("/");
}

static char *
leaf_dir(const char *mountpoint, const char *mountroot, const char *own,
    const char *leaf)
{
	const char *prefix = gaol_cgroup(), *rel;

	if (strncmp(prefix, "./", 2) == 0) {
		/* Beneath our own cgroup, as seen through this mount. */
		rel = own;
		if (strcmp(mountroot, "/") != 0 &&
		    strncmp(own, mountroot, strlen(mountroot)) == 0)
			rel = own + strlen(mountroot);
		return xasprintf("%s%s%s/%s/%s", mountpoint,
		    *rel == '/' ? "" : "/", strcmp(rel, "/") ? rel : "",
		    prefix + 2, leaf);
	}
	while (*prefix == '/')
		prefix++;
	return xasprintf("%s/%s/%s", mountpoint, prefix, leaf);
}

static void
add_dir(struct cgroup_set *set, int version, const char *ctl,
    const char *mnt, char *path)
{
	set->d = xrealloc(set->d, set->n + 1, sizeof(*set->d));
	set->d[set->n].version = version;
	set->d[set->n].controllers = xstrdup(ctl);
	set->d[set->n].mountpoint = xstrdup(mnt);
	set->d[set->n].path = path;
	set->n++;
}

/*
 * The cgroup mount of one mountinfo line, "id parent maj:min root mnt
 * opts ... - type src super": its version, v1 controllers, mountpoint
 * and root (both pointing into line).
 */
static bool
cgroup_mount_of(char *line, int *version, char **ctl, char **mnt,
    char **root)
{
	char *f[6] = { 0 }, *dash, *type, *super, *save;
	int i = 0;

	if ((dash = strstr(line, " - ")) == NULL)
		return false;
	*dash = '\0';
	for (char *t = strtok_r(line, " ", &save); t && i < 6;
	    t = strtok_r(NULL, " ", &save))
		f[i++] = t;
	type = strtok_r(dash + 3, " ", &save);
	(void)strtok_r(NULL, " ", &save);
	super = strtok_r(NULL, " ", &save);
	if (i < 5 || type == NULL)
		return false;
	if (strcmp(type, "cgroup2") == 0) {
		*version = 2;
		*ctl = xstrdup("");
	} else if (strcmp(type, "cgroup") == 0 && super != NULL &&
	    (*ctl = v1_mount_controllers(super)) != NULL)
		*version = 1;
	else
		return false;
	*mnt = f[4];
	*root = f[3];
	return true;
}

static void
scan_mount(struct cgroup_set *set, char *line, const char *selfcg,
    const char *leaf)
{
	char *ctl, *mnt, *root, *own;
	int v;

	if (!cgroup_mount_of(line, &v, &ctl, &mnt, &root))
		return;
	for (size_t k = 0; k < set->n; k++)
		/* One directory per mountpoint, one per hierarchy. */
		if (strcmp(set->d[k].mountpoint, mnt) == 0 ||
		    (set->d[k].version == v &&
		    strcmp(set->d[k].controllers, ctl) == 0)) {
			free(ctl);
			return;
		}
	own = own_path(selfcg, v, ctl);
	add_dir(set, v, ctl, mnt, leaf_dir(mnt, root, own, leaf));
	free(own);
	free(ctl);
}

/*
 * Inside a jail (a user namespace other than the initial one, whose
 * inode number the kernel fixes) the hierarchies are read-only or
 * covered: a jail made there has no cgroups of its own and lives in its
 * parent's, whose limits and device policy bound it
 * (docs/design/nested-jails.md).  Keep only the hierarchies that can be
 * written; on the host every one is kept, and failures stay failures.
 */
static void
drop_unwritable(struct cgroup_set *set)
{
	struct stat st;
	size_t k = 0;

	if (stat("/proc/self/ns/user", &st) == -1 || st.st_ino == 0xEFFFFFFDU)
		return;
	for (size_t i = 0; i < set->n; i++) {
		if (access(set->d[i].mountpoint, W_OK) == 0) {
			set->d[k++] = set->d[i];
			continue;
		}
		free(set->d[i].controllers);
		free(set->d[i].mountpoint);
		free(set->d[i].path);
	}
	set->n = k;
}

int
cgroup_paths(const char *leaf, struct cgroup_set *set)
{
	char *mi, *selfcg, *save, *line;

	memset(set, 0, sizeof(*set));
	if ((mi = read_file("/proc/self/mountinfo", NULL)) == NULL)
		return -1;
	if ((selfcg = read_file("/proc/self/cgroup", NULL)) == NULL) {
		free(mi);
		return -1;
	}
	for (line = strtok_r(mi, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		scan_mount(set, line, selfcg, leaf);
	free(mi);
	free(selfcg);
	if (set->n > 0) {
		drop_unwritable(set);
		if (set->n == 0)
			return 0;
	}
	if (set->n == 0) {
		gerr_set("no cgroup hierarchy is mounted");
		return -1;
	}
	return 0;
}

int
cgroup_set_from_paths(const struct strlist *paths, struct cgroup_set *set)
{
	char *mi, *save, *line;

	memset(set, 0, sizeof(*set));
	if ((mi = read_file("/proc/self/mountinfo", NULL)) == NULL)
		return -1;
	for (size_t k = 0; k < paths->n; k++) {
		char *best_ctl = NULL, *best_mnt = NULL;
		int best_v = 0;
		char *copy = xstrdup(mi);

		for (line = strtok_r(copy, "\n", &save); line;
		    line = strtok_r(NULL, "\n", &save)) {
			char *ctl, *mnt, *root;
			int v;

			if (!cgroup_mount_of(line, &v, &ctl, &mnt, &root))
				continue;
			if (path_within(paths->v[k], mnt) &&
			    strcmp(paths->v[k], mnt) != 0 && (best_mnt == NULL ||
			    strlen(mnt) > strlen(best_mnt))) {
				free(best_ctl);
				free(best_mnt);
				best_ctl = ctl;
				best_mnt = xstrdup(mnt);
				best_v = v;
			} else
				free(ctl);
		}
		free(copy);
		/* A hierarchy no longer mounted has nothing left to undo. */
		if (best_mnt != NULL) {
			add_dir(set, best_v, best_ctl, best_mnt,
			    xstrdup(paths->v[k]));
			free(best_ctl);
			free(best_mnt);
		}
	}
	free(mi);
	return 0;
}

/*
 * A new v1 cpuset is unusable until it has cpus and mems: copy down.
 * Whoever finds a level empty fills it, not only whoever made it: a
 * concurrent jail -c that finds the parent just made (EEXIST) would
 * otherwise copy its still empty sets into the jail's cgroup, and the
 * init could not join it (ENOSPC).  The same values written twice are
 * harmless.
 */
static int
cpuset_fill(const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char *parent = xstrdup(dir), *slash = strrchr(parent, '/');
	int r = 0;

	*slash = '\0';
	for (int i = 0; i < 2 && r == 0; i++) {
		char *pf = xasprintf("%s/%s", parent, files[i]);
		char *cf = xasprintf("%s/%s", dir, files[i]);
		char *have = read_file(cf, NULL), *v = NULL;

		if (have == NULL)
			r = -1;
		else if (have[0] == '\0' || have[0] == '\n')
			if ((v = read_file(pf, NULL)) == NULL ||
			    write_str(cf, *v ? v : "\n") == -1)
				r = -1;
		free(have);
		free(v);
		free(pf);
		free(cf);
	}
	free(parent);
	return r;
}

static int
create_levels(const struct cgroup_dir *d, const char *path)
{
	size_t mlen = strlen(d->mountpoint);
	char *p = xstrdup(path);
	bool cpuset = d->version == 1 && strstr(d->controllers, "cpuset");
	int r = 0;

	for (char *s = p + mlen + 1; r == 0; s++) {
		bool last = *s == '\0';

		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			gerr_set_errno("cgroup %s", p);
			r = -1;
		} else if (cpuset && cpuset_fill(p) == -1)
			r = -1;
		if (last)
			break;
		*s = '/';
	}
	free(p);
	return r;
}

/*
 * Another command may remove the shared $GAOL_CGROUP directory, once
 * empty, between our mkdir of it and of the jail's: then start again.
 */
static int
create_one(const struct cgroup_dir *d, const char *path)
{
	int r = -1;

	for (int tries = 0; tries < 20; tries++)
		if ((r = create_levels(d, path)) == 0 || errno != ENOENT)
			break;
	return r;
}

/* The $GAOL_CGROUP directory a jail's cgroup is made in. */
static char *
parent_of(const struct cgroup_dir *d)
{
	char *p = xstrdup(d->path);

	*strrchr(p, '/') = '\0';
	return p;
}

/* Whether the jail's own directory in that hierarchy exists. */
static bool
made(const struct cgroup_dir *d)
{
	struct stat st;

	return d->version == 2 || stat(d->path, &st) == 0;
}

int
cgroup_create(const struct cgroup_set *set, bool v1_later)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct cgroup_dir *d = &set->d[i];
		char *dir = v1_later && d->version == 1 ? parent_of(d) :
		    xstrdup(d->path);
		int r = create_one(d, dir);

		free(dir);
		if (r == -1) {
			cgroup_destroy(set);
			return -1;
		}
	}
	return 0;
}

char *
cgroup_procs_path(const struct cgroup_dir *d)
{
	return xasprintf("%s/%s", d->path, CGROUP_PROCS_LEAF);
}

static int
create_leaf(const struct cgroup_dir *d)
{
	char *leaf = cgroup_procs_path(d), *clone;
	int r;

	/*
	 * A v1 cpuset whose cpus are written costs a rebuild of the
	 * scheduling domains (tens of ms each): let the kernel copy the
	 * jail's into the leaf as it makes it.
	 */
	if (d->version == 1 && strstr(d->controllers, "cpuset")) {
		clone = xasprintf("%s/cgroup.clone_children", d->path);
		(void)write_str(clone, "1");	/* else cpuset_fill */
		free(clone);
	}
	r = create_one(d, leaf);
	free(leaf);
	return r;
}

int
cgroup_create_procs(const struct cgroup_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (made(&set->d[i]) && create_leaf(&set->d[i]) == -1) {
			cgroup_destroy(set);
			return -1;
		}
	return 0;
}

static int
attach(const struct cgroup_set *set, pid_t pid, bool v1_only)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < set->n; i++) {
		if (v1_only && set->d[i].version != 1)
			continue;
		/* A hierarchy the jail has no cgroup in yet: gaol's own. */
		char *dir = made(&set->d[i]) ? cgroup_procs_path(&set->d[i]) :
		    parent_of(&set->d[i]);
		char *f = xasprintf("%s/cgroup.procs", dir);
		int r = write_str(f, buf);

		free(dir);

		free(f);
		if (r == -1)
			return -1;
	}
	return 0;
}

int
cgroup_attach(const struct cgroup_set *set, pid_t pid)
{
	return attach(set, pid, false);
}

int
cgroup_attach_v1(const struct cgroup_set *set, pid_t pid)
{
	return attach(set, pid, true);
}

/*
 * A jail's cgroup is a tree: the one carrying its limits, the leaf its
 * processes are in, and whatever a nested jail made below.  Deeper than
 * this is refused rather than followed (the jail may make the levels).
 */
#define TREE_DEPTH	64

typedef int (*cgroup_visit_fn)(int dirfd, const char *shown, void *arg);

/* fn on every cgroup below dirfd, deepest first (dirfd is not closed). */
static int
walk_below(int dirfd, const char *shown, int depth, cgroup_visit_fn fn,
    void *arg)
{
	int dup_fd, r = 0;
	DIR *dir;
	struct dirent *e;

	if (depth >= TREE_DEPTH) {
		gerr_set("cgroup %s: deeper than %d levels", shown, TREE_DEPTH);
		return -1;
	}
	if ((dup_fd = dup(dirfd)) == -1 || (dir = fdopendir(dup_fd)) == NULL) {
		if (dup_fd >= 0)
			close(dup_fd);
		gerr_set_errno("cgroup %s", shown);
		return -1;
	}
	while ((e = readdir(dir)) != NULL) {
		char *sub;
		int fd;

		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		if ((fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1)
			continue;	/* removed meanwhile */
		sub = xasprintf("%s/%s", shown, e->d_name);
		if (walk_below(fd, sub, depth + 1, fn, arg) == -1 ||
		    fn(fd, sub, arg) == -1)
			r = -1;
		close(fd);
		free(sub);
	}
	closedir(dir);
	return r;
}

/* fn on dir (opened at dirfd, shown as `shown`) and every cgroup below
 * it, deepest first; a dir that is not there is an error only when
 * missing_ok is false. */
static int
walk_tree_at(int dirfd, const char *dir, const char *shown, bool missing_ok,
    cgroup_visit_fn fn, void *arg)
{
	int fd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC), r;

	if (fd == -1) {
		if (errno == ENOENT && missing_ok)
			return 0;
		gerr_set_errno("cgroup %s", shown);
		return -1;
	}
	r = walk_below(fd, shown, 0, fn, arg);
	if (fn(fd, shown, arg) == -1)
		r = -1;
	close(fd);
	return r;
}

static int
walk_tree(const char *dir, bool missing_ok, cgroup_visit_fn fn, void *arg)
{
	return walk_tree_at(AT_FDCWD, dir, dir, missing_ok, fn, arg);
}

static int
add_dir_name(int dirfd, const char *shown, void *arg)
{
	(void)dirfd;
	strlist_add(arg, shown);
	return 0;
}

int
cgroup_tree(const char *dir, struct strlist *dirs)
{
	return walk_tree(dir, false, add_dir_name, dirs);
}

struct pidlist {
	pid_t	*v;
	size_t	 n;
};

static int
add_members(int dirfd, const char *shown, void *arg)
{
	struct pidlist *l = arg;
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	char *text, *p;

	if (fd == -1) {
		gerr_set_errno("cgroup %s/cgroup.procs", shown);
		return -1;
	}
	text = read_fd(fd, "cgroup.procs", NULL);
	close(fd);
	if (text == NULL)
		return -1;
	for (p = text; *p; ) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		l->v = xrealloc(l->v, l->n + 1, sizeof(*l->v));
		l->v[l->n++] = (pid_t)v;
		p = end;
		while (*p == '\n')
			p++;
	}
	free(text);
	return 0;
}

/* The pids in the cgroup dir and below. */
static int
read_pids(const char *dir, pid_t **pids, size_t *n)
{
	struct pidlist l = { 0 };
	int r = walk_tree(dir, false, add_members, &l);

	if (r == -1) {
		free(l.v);
		l.v = NULL;
		l.n = 0;
	}
	*pids = l.v;
	*n = l.n;
	return r;
}

int
cgroup_pids(const struct cgroup_set *set, pid_t **pids, size_t *n)
{
	const struct cgroup_dir *d = cgroup_find(set, NULL);

	/* A jail made in a jail has no cgroup of its own (drop_unwritable). */
	if (set->n == 0) {
		*pids = NULL;
		*n = 0;
		return 0;
	}
	if (d == NULL)
		d = cgroup_find(set, "pids");
	if (d == NULL)
		d = &set->d[0];
	return read_pids(d->path, pids, n);
}

/*
 * Everything still in a jail's cgroup is the jail's: the init is gone
 * or going, so these are stragglers that must not outlive it.
 */
static void
kill_members(int dirfd, const char *shown)
{
	struct pidlist l = { 0 };

	if (add_members(dirfd, shown, &l) == -1)
		return;
	for (size_t i = 0; i < l.n; i++)
		kill(l.v[i], SIGKILL);
	free(l.v);
}

/* The $GAOL_CGROUP directory goes with its last jail. */
static void
remove_prefix(const struct cgroup_dir *d)
{
	char *p = xstrdup(d->path), *slash = strrchr(p, '/');

	if (slash != NULL && slash > p + strlen(d->mountpoint)) {
		*slash = '\0';
		(void)rmdir(p);	/* fails, rightly, while other jails live */
	}
	free(p);
}

int
cgroup_freeze(const struct cgroup_set *set, bool frozen)
{
	bool done = false;

	for (size_t i = 0; i < set->n; i++) {
		const struct cgroup_dir *d = &set->d[i];
		char *file;

		if (d->version == 2)
			file = xasprintf("%s/cgroup.freeze", d->path);
		else if (strstr(d->controllers, "freezer") != NULL)
			file = xasprintf("%s/freezer.state", d->path);
		else
			continue;
		if (access(file, W_OK) == 0 && write_str(file, d->version == 2 ?
		    (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED")) == 0)
			done = true;
		free(file);
	}
	if (frozen && !done) {
		gerr_set("no cgroup freezer for this jail (neither a v1 freezer "
		    "hierarchy nor cgroup.freeze)");
		return -1;
	}
	return 0;
}

void
cgroup_thaw(const struct cgroup_set *set)
{
	(void)cgroup_freeze(set, false);
}

/*
 * rmdir one cgroup of a jail's tree (its parent at dirfd's ..): it
 * fails with EBUSY until killed members are reaped, usually
 * microseconds, so wait short steps at first.
 */
static int
remove_cgroup(int dirfd, const char *shown, void *arg)
{
	long waited = 0, step = 100 * 1000;	/* ns */
	int parent = openat(dirfd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *name = strrchr(shown, '/');

	(void)arg;
	if (parent == -1 || name == NULL) {
		if (parent >= 0)
			close(parent);
		gerr_set_errno("cgroup %s", shown);
		return -1;
	}
	name++;
	while (waited < 5L * 1000 * 1000 * 1000) {
		struct timespec ts = { 0, step };

		if (unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			break;
		if (errno != EBUSY) {
			gerr_set_errno("cgroup %s", shown);
			close(parent);
			return -1;
		}
		kill_members(dirfd, shown);
		nanosleep(&ts, NULL);
		waited += step;
		if (step < 20 * 1000 * 1000)
			step *= 2;
	}
	if (faccessat(parent, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		gerr_set("cgroup %s: still busy", shown);
		close(parent);
		return -1;
	}
	close(parent);
	return 0;
}

int
cgroup_destroy(const struct cgroup_set *set)
{
	int r = 0;

	/* A frozen process cannot die: SIGKILL waits for the thaw. */
	cgroup_thaw(set);
	for (size_t i = 0; i < set->n; i++) {
		const char *dir = set->d[i].path;

		/* The tree, deepest first: a cgroup with children is busy. */
		if (walk_tree(dir, true, remove_cgroup, NULL) == -1)
			r = -1;
	}
	/*
	 * Once every tree is gone, the jail's processes are too: an init
	 * kept in $GAOL_CGROUP of a v1 hierarchy (cgroup_create's
	 * v1_later) no longer holds it.
	 */
	for (size_t i = 0; i < set->n; i++)
		remove_prefix(&set->d[i]);
	return r;
}

/*
 * A jail that may make jails gets the v2 procs leaf delegated to its
 * root, as systemd delegates a unit's cgroup: the directory and the
 * files that move processes, not the control files.  Under a range of
 * ids its root could make no cgroup of a nested jail otherwise.
 */
int
cgroup_delegate_procs(const struct cgroup_set *set, uid_t uid, gid_t gid)
{
	static const char *const files[] = { ".", "cgroup.procs",
	    "cgroup.threads" };
	const struct cgroup_dir *d = cgroup_find(set, NULL);
	char *leaf AUTO_FREE = NULL;
	int fd AUTO_CLOSE = -1;

	if (d == NULL)
		return 0;
	leaf = cgroup_procs_path(d);
	if ((fd = open(leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("cgroup %s", leaf);
		return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (fchownat(fd, files[i], uid, gid, AT_SYMLINK_NOFOLLOW) == -1 &&
		    errno != ENOENT) {
			gerr_set_errno("cgroup %s/%s: delegate to the jail",
			    leaf, files[i]);
			return -1;
		}
	return 0;
}

int
cgroup_make_below(int dirfd, const char *name)
{
	int fd;

	if (mkdirat(dirfd, name, 0755) == -1 && errno != EEXIST) {
		gerr_set_errno("cgroup %s", name);
		return -1;
	}
	if ((fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		gerr_set_errno("cgroup %s", name);
	return fd;
}

int
cgroup_remove_below(int dirfd, const char *name)
{
	/* As a path below the leaf: remove_cgroup names it by its tail. */
	char *shown AUTO_FREE = xasprintf("%s/%s", CGROUP_PROCS_LEAF, name);

	return walk_tree_at(dirfd, name, shown, true, remove_cgroup, NULL);
}

void
cgroup_set_free(struct cgroup_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->d[i].controllers);
		free(set->d[i].mountpoint);
		free(set->d[i].path);
	}
	free(set->d);
	memset(set, 0, sizeof(*set));
}

/* Whether a space-separated cgroup2 list names the controller. */
static bool
v2_list_has(const char *list, const char *controller)
{
	char *text = xstrdup(list), *save, *tok;
	bool has = false;

	for (tok = strtok_r(text, " \n", &save); tok && !has;
	    tok = strtok_r(NULL, " \n", &save))
		has = strcmp(tok, controller) == 0;
	free(text);
	return has;
}

static bool
v2_offers(const char *mountpoint, const char *controller)
{
	char *f = xasprintf("%s/cgroup.controllers", mountpoint);
	char *text = read_file(f, NULL);
	bool has = text != NULL && v2_list_has(text, controller);

	free(text);
	free(f);
	return has;
}

const struct cgroup_dir *
cgroup_find(const struct cgroup_set *set, const char *controller)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct cgroup_dir *d = &set->d[i];

		if (controller == NULL && d->version == 2)
			return d;
		if (controller == NULL || d->version != 1)
			continue;
		struct strlist l = { 0 };
		char *c = xstrdup(d->controllers), *save, *tok;

		for (tok = strtok_r(c, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save))
			strlist_add(&l, tok);
		bool has = strlist_has(&l, controller);

		strlist_clear(&l);
		free(c);
		if (has)
			return d;
	}
	if (controller == NULL)
		return NULL;
	/* Not a v1 hierarchy: the unified one, if it offers it. */
	for (size_t i = 0; i < set->n; i++)
		if (set->d[i].version == 2 &&
		    v2_offers(set->d[i].mountpoint, controller))
			return &set->d[i];
	return NULL;
}

/*
 * A v2 controller reaches a cgroup only when every ancestor below the
 * root lists it in cgroup.subtree_control: add it from the top down to
 * the jail's parent.  Already enabled is fine.
 */
int
cgroup_v2_enable(const struct cgroup_dir *d, const char *controller)
{
	size_t mlen = strlen(d->mountpoint), end, i;
	char *p = xstrdup(d->path), *want = xasprintf("+%s", controller);
	char *slash = strrchr(p, '/');
	int r = 0;

	end = slash != NULL ? (size_t)(slash - p) : 0;
	for (i = mlen; r == 0 && end >= mlen; ) {
		char c = p[i], *f, *cur, *next;

		p[i] = '\0';
		f = xasprintf("%s/cgroup.subtree_control", p);
		cur = read_file(f, NULL);
		if (cur == NULL || !v2_list_has(cur, controller))
			r = write_str(f, want);
		free(cur);
		free(f);
		p[i] = c;
		if (i >= end)
			break;
		next = strchr(p + i + 1, '/');
		i = next != NULL ? (size_t)(next - p) : end;
		if (i > end)
			i = end;
	}
	free(p);
	free(want);
	return r;
}

char *
cgroup_jail_name(int jid)
{
	return xasprintf("jail-%d", jid);
}

const struct cgroup_dir *
cgroup_made(const struct cgroup_set *set, const char *controller)
{
	const struct cgroup_dir *d = cgroup_find(set, controller);

	return d != NULL && made(d) ? d : NULL;
}

/* "frozen 1" in a v2 cgroup's cgroup.events. */
static bool
v2_frozen(const struct cgroup_dir *v2)
{
	char *f = xasprintf("%s/cgroup.events", v2->path);
	char *text = read_file(f, NULL);
	bool frozen = text != NULL && strstr(text, "frozen 1") != NULL;

	free(text);
	free(f);
	return frozen;
}

/*
 * Freeze the jail's v2 cgroup and wait until it is (the kernel freezes
 * asynchronously).  0 and *froze false when it was frozen already
 * (paused): the caller leaves it so.
 */
static int
freeze_jail(const struct cgroup_dir *v2, bool *froze)
{
	char *f = xasprintf("%s/cgroup.freeze", v2->path), *cur;
	long waited = 0, step = 100 * 1000;	/* ns */

	*froze = false;
	cur = read_file(f, NULL);
	if (cur != NULL && cur[0] == '1') {
		free(cur);
		free(f);
		return 0;
	}
	free(cur);
	if (write_str(f, "1") == -1) {
		free(f);
		return -1;
	}
	free(f);
	*froze = true;
	while (!v2_frozen(v2)) {
		struct timespec ts = { 0, step };

		if (waited >= 5L * 1000 * 1000 * 1000) {
			gerr_set("cgroup %s: not frozen after 5 s", v2->path);
			return -1;
		}
		nanosleep(&ts, NULL);
		waited += step;
		if (step < 20 * 1000 * 1000)
			step *= 2;
	}
	return 0;
}

static void
thaw_v2(const struct cgroup_dir *v2)
{
	char *f = xasprintf("%s/cgroup.freeze", v2->path);

	(void)write_str(f, "0");
	free(f);
}

/*
 * Every process of the jail (its unified tree) into d's leaf.  Frozen
 * meanwhile, so that none forks a child the list would miss; still:
 * nothing of the jail runs yet (its init waits for the creator).
 */
static int
move_jail(const struct cgroup_set *set, const struct cgroup_dir *d, bool still)
{
	const struct cgroup_dir *v2 = cgroup_find(set, NULL);
	char *leaf, *procs;
	bool froze = false;
	pid_t *pids = NULL;
	size_t n = 0;
	int r = 0;

	if (v2 == NULL) {
		gerr_set("cgroup %s: the jail's processes are not known "
		    "(no unified hierarchy)", d->path);
		return -1;
	}
	leaf = cgroup_procs_path(d);
	procs = xasprintf("%s/cgroup.procs", leaf);
	if ((!still && freeze_jail(v2, &froze) == -1) ||
	    read_pids(v2->path, &pids, &n) == -1)
		r = -1;
	for (size_t i = 0; r == 0 && i < n; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%d", (int)pids[i]);
		if (write_str(procs, buf) == -1 && errno != ESRCH)
			r = -1;
	}
	if (froze)
		thaw_v2(v2);
	free(pids);
	free(procs);
	free(leaf);
	return r;
}

int
cgroup_need(const struct cgroup_set *set, const struct cgroup_dir *d,
    bool still)
{
	if (made(d))
		return 0;
	if (create_one(d, d->path) == -1 || create_leaf(d) == -1 ||
	    move_jail(set, d, still) == -1) {
		gerr_prefix("%s: ", d->controllers);
		return -1;
	}
	return 0;
}
