/*
 * What keeps a jail in: mounts and the view of the filesystem, /dev from
 * devfs rulesets, the capability bounding set, seccomp, securelevel.
 *
 * Where each runs:
 *   isolate_root	in the jail's init, after clone(2) into the new user,
 *			mount, pid, uts, ipc (and net) namespaces, with the
 *			uid map written, before anything of the jail runs;
 *			enters the cgroup namespace (see below) and ends with
 *			the jail's root as "/" (pivot_root).
 *   isolate_process	in every process about to execve(2) inside the jail
 *			(exec.start, command, jexec): a child the init forked,
 *			so already in every namespace of the jail, while still
 *			jail root with full capabilities in the jail's user
 *			namespace.
 *   isolate_devices	on the host, on the jail's cgroups, before any jail
 *			process runs: the device policy of the devfs ruleset
 *			(v1 devices controller or a v2 device BPF program).
 */
#ifndef GAOL_ISOLATE_H
#define GAOL_ISOLATE_H

#include "../conf/spec.h"
#include "../cgroup/cgroup.h"

/*
 * With a private range of ids (gaol.idmap), the trees the jail gets from
 * the host (its path, nullfs sources outside it) are idmapped to the
 * jail's user namespace, which only the host's root can do: tree returns
 * a detached copy of a host path and its submounts, idmapped (strict:
 * refuse a tree with a filesystem that cannot be idmapped; otherwise
 * such a tree comes as it is, its files the host's).  -1 with errno.
 * NULL: the init copies the trees itself, as they are (identity).
 *
 * isolate_root_tree is called first, while the init still has the
 * creator's credentials (the path may lie below directories that only
 * the host's root may search): it binds the copy of path onto path and
 * returns the descriptor of that root.  isolate_root then builds the
 * view on it as the jail's root and consumes the descriptor.
 *
 * cgroupns, before the first /sys (whose cgroup2 mount takes the root
 * of the cgroup namespace of its mounter), must leave the process in the
 * jail's cgroup namespace; the init waits there for its move into the
 * v1 hierarchies, made meanwhile by its creator.  NULL: the caller is
 * in it already.  arg is tree's and cgroupns's.
 */
/* In the creator, before the init is cloned: read the host files the
 * init will need (mount.fstab, devfs.rules), which a jail with a range
 * of its own could no longer reach. */
void	isolate_keep_files(const struct jail_spec *);
typedef int (*isolate_tree_fn)(const char *path, bool strict, void *arg);
int	isolate_root_tree(const struct jail_spec *, isolate_tree_fn tree,
	    void *arg);
int	isolate_root(const struct jail_spec *, int rootfd,
	    isolate_tree_fn tree, int (*cgroupns)(void *), void *arg);

/*
 * Whether the jail's processes may make mounts (children.max > 0, or
 * allow.mount with one of allow.mount.*) and so must run with their view
 * sealed: the init moves into a user namespace of its own after building
 * it, which locks every mask (docs/design/nested-jails.md).
 */
bool	isolate_sealed(const struct jail_spec *);
/*
 * Combinations refused before anything is made: a vnet jail cannot be
 * sealed (its network namespace belongs to the first user namespace,
 * which the jail's root would no longer hold), so vnet with
 * children.max or allow.mount.* is refused.
 */
int	isolate_check(const struct jail_spec *);
int	isolate_process(const struct jail_spec *);
/* In the init: compile the jail's seccomp filter once, for its children. */
int	isolate_prepare(const struct jail_spec *);
int	isolate_devices(const struct jail_spec *, const struct cgroup_set *);

/*
 * The door of a jail's init (src/lib/jail/guard.c): openat(2) at this
 * number, which the kernel never gives a descriptor, is answered by the
 * init of the jail the caller runs in.  "procfs", in a jail that may
 * make jails: a socket holding a procfs of the caller's own pid
 * namespace (one it made, not the jail's), masked as a jail's /proc
 * with every mask locked, as a detached mount (isolate_procfs_ask
 * takes it out).  "PID/uid_map", "PID/gid_map": the map door
 * (src/lib/jail/idmap.c).
 */
#define INIT_DOOR_FD	(-0x6761)
/* The procfs door's tree (a mount descriptor), or -1 with errno (EBADF:
 * no door, the caller is not in a jail that may make jails). */
int	isolate_procfs_ask(void);
/*
 * The procfs door's making (docs/design/nested-jails.md): _prepare in
 * the init before the view (a whole procfs and a /dev/null, while they
 * are in sight); _place in the server the init forked before sealing,
 * after the seal, before the first request; isolate_procfs_for in a
 * child of the server, which it leaves in namespaces of its own: the
 * tree, or -1 with gerr set.
 */
struct procfs_door {
	int	spare, null, scratch;
};
int	isolate_procfs_door_prepare(struct procfs_door *);
int	isolate_procfs_door_place(struct procfs_door *);
void	isolate_procfs_door_close(struct procfs_door *);
int	isolate_procfs_for(const struct jail_spec *, int pidnsfd);

/*
 * Capability sets a process asks for (the OCI runtime's
 * process.capabilities), one bit per capability number.  caps_bound, as
 * root in the jail after isolate_process: the bounding set shrinks to
 * c->bounding (gaol's set was applied already: the result is never
 * more), and the permitted set survives the user switch.  caps_set,
 * after the switch: effective, permitted, inheritable and ambient, each
 * cut to what the bounding set holds.
 */
struct cap_sets {
	uint64_t	bounding, effective, permitted, inheritable, ambient;
};
int	caps_bound(const struct cap_sets *);
int	caps_set(const struct cap_sets *);

#endif
