/*
 * What keeps a jail in: mounts and the view of the filesystem, /dev from
 * devfs rulesets, the capability bounding set, seccomp, securelevel.
 *
 * Where each runs:
 *   isolate_root	in the jail's init, after clone(2) into the new user,
 *			mount, pid, uts, ipc, cgroup (and net) namespaces, with
 *			the uid map written, before anything of the jail runs;
 *			ends with the jail's root as "/" (pivot_root).
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

#include "../jail/spec.h"
#include "../rctl/cgroup.h"

int	isolate_root(const struct jail_spec *);

/*
 * Whether the jail's processes may make mounts (children.max > 0, or
 * allow.mount with one of allow.mount.*) and so must run with their view
 * sealed: the init moves into a user namespace of its own after building
 * it, which locks every mask (docs/design/nested-jails.md).  Not for a
 * vnet jail: its network namespace belongs to the first user namespace,
 * which the jail's root would no longer hold.
 */
bool	isolate_sealed(const struct jail_spec *);
int	isolate_process(const struct jail_spec *);
/* In the init: compile the jail's seccomp filter once, for its children. */
int	isolate_prepare(const struct jail_spec *);
int	isolate_devices(const struct jail_spec *, const struct cgroup_set *);

#endif
