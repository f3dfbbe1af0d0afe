/*
 * A jail's cgroups.  The host may be cgroup v2, v1 or hybrid: the
 * hierarchies are read from /proc/self/mountinfo, never assumed.  Every
 * jail gets one directory, $GAOL_CGROUP/jail-JID, in each hierarchy
 * (unified, every v1 controller mount and every named v1 hierarchy such
 * as name=systemd); "./prefix" puts it beneath the invoking process's
 * own cgroup.  That directory carries the jail's limits (rctl, devices,
 * network programs); its processes live one level below, in
 * jail-JID/procs, the root of their cgroup namespace, so that nothing
 * the jail can reach holds its limits (docs/design/cgroup-layout.md).
 * A jail that cannot mount a hierarchy gets its v1 ones only when a
 * rule needs them (cgroup_create's v1_later, cgroup_need).
 */
#ifndef GAOL_CGROUP_H
#define GAOL_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cgroup_dir {
	int	 version;	/* 1 or 2 */
	char	*controllers;	/* v1: "memory", "cpu,cpuacct"; v2: "" */
	char	*mountpoint;	/* /sys/fs/cgroup/memory */
	char	*path;		/* absolute directory of the jail's cgroup */
};

struct cgroup_set {
	struct cgroup_dir *d;
	size_t		   n;
};

/* The directories a jail with that leaf name has or would have. */
int	cgroup_paths(const char *leaf, struct cgroup_set *);
/* The set of those directories, as a registry record names them. */
struct strlist;
int	cgroup_set_from_paths(const struct strlist *, struct cgroup_set *);
/*
 * mkdir them (with parents; cpuset values copied down).  With v1_later
 * the v1 hierarchies get only the $GAOL_CGROUP directory, where the
 * jail's processes stay until a rule needs that controller
 * (cgroup_need); the unified hierarchy is needed to find them then.
 */
int	cgroup_create(const struct cgroup_set *, bool v1_later);
/*
 * The leaf a jail's processes live in, below the directory carrying its
 * limits.  Made after the limits that need a cgroup without children
 * (v1 devices.deny "a") are written.
 */
#define CGROUP_PROCS_LEAF	"procs"
char	*cgroup_procs_path(const struct cgroup_dir *);
int	cgroup_create_procs(const struct cgroup_set *);
/* Chown the v2 procs leaf (directory, cgroup.procs, cgroup.threads). */
int	cgroup_delegate_procs(const struct cgroup_set *, uid_t, gid_t);
/*
 * A nested jail's cgroup below its parent's leaf (dirfd, delegated):
 * made and opened (the descriptor), or removed with what it holds.
 */
int	cgroup_make_below(int dirfd, const char *name);
int	cgroup_remove_below(int dirfd, const char *name);
/* Into the leaves, in every hierarchy (a v1 one the jail has no cgroup
 * in yet: $GAOL_CGROUP). */
int	cgroup_attach(const struct cgroup_set *, pid_t);
/* Only the v1 hierarchies: for a process cloned into the v2 one
 * (CLONE_INTO_CGROUP). */
int	cgroup_attach_v1(const struct cgroup_set *, pid_t);
/* Freeze or thaw (v1 freezer.state, v2 cgroup.freeze): pause/resume. */
int	cgroup_freeze(const struct cgroup_set *, bool frozen);
/* Undo a freeze: nothing frozen dies. */
void	cgroup_thaw(const struct cgroup_set *);
/* Kill what is left in them and below, then rmdir each, deepest first;
 * missing directories are fine. */
int	cgroup_destroy(const struct cgroup_set *);
void	cgroup_set_free(struct cgroup_set *);

/* The directory for a controller ("memory", "pids", "devices"...), or
 * the unified one when controller is NULL; NULL when the host has none. */
const struct cgroup_dir *cgroup_find(const struct cgroup_set *, const char *controller);

/* The same, only once the jail's own directory there is made. */
const struct cgroup_dir *cgroup_made(const struct cgroup_set *, const char *controller);
/*
 * d made, if cgroup_create left it for later, with its leaf, and every
 * process of the jail moved into that leaf; the jail is frozen
 * meanwhile unless still (nothing of it runs yet).  Charges a v1 memory
 * cgroup took before stay where they were (the kernel moves none).
 */
int	cgroup_need(const struct cgroup_set *, const struct cgroup_dir *d,
	    bool still);

/* Enable a v2 controller in every ancestor of d (below the root). */
int	cgroup_v2_enable(const struct cgroup_dir *d, const char *controller);

/* dir and every cgroup below it, deepest first. */
int	cgroup_tree(const char *dir, struct strlist *dirs);

/* How many processes the memory limit has killed (-1: no memory cgroup). */
int64_t	cgroup_oom_kills(const struct cgroup_set *);

/* The pids in a jail's cgroups and below (from the unified hierarchy if
 * present). */
int	cgroup_pids(const struct cgroup_set *, pid_t **, size_t *);

/*
 * The name of the cgroup carrying a jail's limits, in every hierarchy:
 * "jail-JID" (its processes live in its "procs" below).
 */
char	*cgroup_jail_name(int jid);

#endif
