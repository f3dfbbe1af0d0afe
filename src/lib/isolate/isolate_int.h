/*
 * Shared between the files of src/lib/isolate only.
 *
 * Every path below is resolved inside the jail's root through an O_PATH
 * descriptor of that root (openat2 RESOLVE_IN_ROOT), and every mount is
 * made with the descriptor-based mount API, so a symlink the jail planted
 * in its root can never send a mount or a new directory outside it.
 */
#ifndef GAOL_ISOLATE_INT_H
#define GAOL_ISOLATE_INT_H

#include <seccomp.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <linux/filter.h>
#include "../conf/spec.h"
#include "../util/util.h"

/* resolve.c: paths confined to the jail's root (and util's root_open). */
int	root_mkfile(int rootfd, const char *path);	/* O_PATH fd of the file */
const char *jail_relative(const char *jailpath, const char *target);

/* mounts.c: the descriptor-based mount API.  -1 with errno, no message. */
int	mnt_new(const char *fstype, const char *const *opts, unsigned attrs);
int	mnt_clone(int dfd, const char *path, bool recursive);
int	mnt_setattr(int mfd, unsigned set, bool recursive);
int	mnt_attach(int mfd, int targetfd);		/* closes mfd */
int	mnt_attach_at(int mfd, int dirfd, const char *name);	/* same */
int	mnt_cover_file(int dirfd, const char *name);	/* /dev/null on it */
int	mnt_cover_dir(int dirfd, const char *name);	/* empty ro tmpfs */
int	mnt_ro(int dirfd, const char *name);		/* bind onto itself, ro */

/* root.c: a detached copy of a host path, with its submounts, shifted to
 * the jail's ids when it has a range of its own (isolate_root's tree;
 * strict as there).  -1 with errno. */
int	mnt_host_tree(const char *path, bool strict);
/* root.c: isolate_root's cgroupns, the first time only (a /sys mount). */
int	mnt_enter_cgroupns(void);

#define MNT_SAFE	(MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* procfs.c, sysfs.c: a masked /proc, a read-only /sys. */
int	procfs_mount(const struct jail_spec *, int rootfd, const char *target);
int	procfs_cover_host(int rootfd);
int	sysfs_mount(const struct jail_spec *, int rootfd, const char *target);

/* paths.c: gaol.masked_paths, gaol.readonly_paths, gaol.readonly. */
int	isolate_paths(const struct jail_spec *, int rootfd);

/* devfs.c: /dev from a ruleset. */
int	isolate_ruleset(const struct jail_spec *);
int	devfs_mount(int rootfd, const char *target, int ruleset);

/* fstab.c: mount.fstab files and mount lines. */
int	fstab_mount_all(const struct jail_spec *, int rootfd);
/* Read one line as fstab_mount_all would, mounting nothing (fuzzing). */
int	fstab_check_line(const char *);

/* caps.c, seccomp.c */
int	caps_restrict(const struct jail_spec *);
bool	cap_kept(const struct jail_spec *, int cap);
int	seccomp_restrict(const struct jail_spec *);
/* A filter as seccomp(2)'s program (released; *prog's old one freed). */
int	seccomp_export(scmp_filter_ctx, struct sock_fprog *);
/* profile.c: gaol.seccomp, compiled in the creator, loaded over gaol's. */
int	seccomp_profile_compile(const char *file);
int	seccomp_profile_load(const struct jail_spec *);
bool	mount_allowed(const struct jail_spec *);

#endif
