/*
 * Where releases and jails live, and the storage backend that makes
 * them: the ZFS datasets of FreeBSD's handbook on a Linux host.
 *
 *   $GAOL_DATADIR/releases/NAME		a release's root
 *   $GAOL_DATADIR/jails/NAME/root		the jail's root (its path)
 *   $GAOL_DATADIR/jails/NAME/jail.conf		its jail.conf block
 *   $GAOL_DATADIR/jails/NAME/fstab		its mount.fstab
 *   $GAOL_DATADIR/jails/NAME/gaol.meta	release, backend, thin, ip, ...
 *   $GAOL_DATADIR/jails/NAME/snapshots/TAG	one snapshot
 *   $GAOL_DATADIR/jails/NAME/tags, rdr.conf	its tags, its port forwards
 *   $GAOL_SYSCONFDIR/jail.conf.d/NAME.conf	.include of its jail.conf
 *
 * The backend is chosen by gaol_backend in gaol.conf (dir, overlay,
 * btrfs), else btrfs when $GAOL_DATADIR is on btrfs, else dir.  Each jail
 * remembers the backend that made it.  docs/design/storage.md.
 */
#ifndef GAOL_STORE_H
#define GAOL_STORE_H

#include <stdbool.h>
#include <stdio.h>

#include "../util/util.h"

/* One jail's storage, as gaol.meta describes it. */
struct sjail {
	char	*name;
	char	*dir;		/* $GAOL_DATADIR/jails/NAME (or its staging dir) */
	char	*root;		/* dir/root */
	char	*release;	/* the release it was made from; NULL if unknown */
	char	*backend;
	char	*ip;		/* NULL: none */
	char	*bridge;	/* vnet on this bridge; NULL: not vnet */
	char	*bridge_member;	/* the host interface the bridge is for */
	bool	 thin;
};

/* The backend gaol.conf names or the one detected; NULL with message. */
const char *store_backend_name(void);

/* Whether name is a valid jail, release or snapshot name (message set). */
int	store_check_name(const char *what, const char *name);

/* $GAOL_DATADIR/releases/NAME (allocated). */
char	*store_release_path(const char *name);
/*
 * A new, empty release root at store_release_path(name) (a subvolume
 * on btrfs); the release code fills it.  Fails if it exists.
 */
int	store_release_new(const char *name);
int	store_release_destroy(const char *name);	/* refuses one in use */
/* The releases, sorted. */
void	store_release_names(struct strlist *);
/* The jails made from a release (names added to out). */
void	store_release_users(const char *name, struct strlist *out);

/* Load a jail gaol made; -1 with "NAME: no such jail" */
int	store_jail_load(const char *name, struct sjail *);
void	sjail_free(struct sjail *);
/* The names of gaol's jails, sorted. */
void	store_jail_names(struct strlist *);

/*
 * Make a jail from a release: its root (thin: sharing the release;
 * thick: a copy), jail.conf, fstab, gaol.meta and the jail.conf.d
 * include.  Nothing is left behind on failure.
 */
int	store_jail_create(const char *name, const char *release,
	    const char *ip, bool thick);
/*
 * The same with its network: an inherited ip as above, or with bridge a
 * vnet jail (Bastille's -B), whose veth pair e0a_NAME/e0b_NAME is made
 * at each start with e0a_NAME on the bridge, ip going to the jail's
 * rc.conf as ifconfig_e0b_NAME; with member too (-V), the bridge is
 * made for that host interface at start if missing.  release NULL: an
 * empty jail (Bastille's -E), a root with nothing in it.
 */
int	store_jail_create_net(const char *name, const char *release,
	    const char *ip, bool thick, const char *bridge,
	    const char *member);
/*
 * A vnet jail's interfaces: e0 (create's) and at most STORE_VNET_MAX - 1
 * more, eNa_NAME/eNb_NAME on their bridges, added and removed by
 * gaol network.  The jail.conf and the jail's rc.conf (ip, a comma list
 * of addresses of either family, may be NULL) are rewritten; add
 * returns the new interface's N, remove the removed one's, -1 with the
 * message set.
 */
#define STORE_VNET_MAX	10
int	store_jail_vnet_add(const char *name, const char *bridge,
	    const char *member, const char *ip);
int	store_jail_vnet_remove(const char *name, const char *bridge);
/*
 * The commands that make interface N of a vnet jail (exec.prestart) and
 * remove it (exec.poststop), as its jail.conf runs them.
 */
void	store_vnet_commands(const char *name, int n, const char *bridge,
	    const char *member, struct strlist *pre, struct strlist *post);
/* Whether an address item ("iface|addr/len" or "addr/len") is IPv6. */
bool	store_addr_is_v6(const char *item);
/*
 * A command the jail's jail.conf runs as exec.poststart (added to any
 * other), kept in gaol.meta so that every rewrite of the jail.conf keeps
 * it; NULL removes it.  gaol rdr's `gaol rdr NAME apply`.
 */
int	store_jail_poststart(const char *name, const char *cmd);
/* A stopped jail under a new name: its directory, jail.conf, include. */
int	store_jail_rename(const char *from, const char *to);
/* Remove a stopped jail's storage and config entirely. */
int	store_jail_destroy(const char *name);

/* Snapshots, by tag (a stopped or running jail; rollback: stopped). */
int	store_snapshot(const char *name, const char *tag);
int	store_snapshot_destroy(const char *name, const char *tag);
void	store_snapshot_list(const char *name, struct strlist *);
int	store_rollback(const char *name, const char *tag);

/*
 * A thin jail (stopped, without snapshots) made thick: a root of its own
 * with the release's files and its changes, no longer sharing them.
 */
int	store_convert(const char *name);

/* A new jail with a copy of another's root; ip NULL keeps none. */
int	store_clone(const char *from, const char *to, const char *ip);

/*
 * Export a jail to fd: gaol's header, then the backend's native stream
 * (btrfs send on btrfs, a zstd tarball otherwise).  tar: a tarball on
 * any backend; raw: without the header (for btrfs receive or tar).
 * Import reads either; name NULL takes the header's.
 */
#define STORE_EXPORT_TAR	0x1
#define STORE_EXPORT_RAW	0x2
int	store_export(const char *name, int fd, int flags);
int	store_import(int fd, const char *name, const char *ip);

/*
 * Properties: quota (a size, "none") and compression (zstd, lzo, zlib,
 * off) where the backend has them, "not supported on this backend"
 * elsewhere; ip and release are read-only here.  get returns an
 * allocated string or NULL with the message set.
 */
int	 store_prop_set(const char *name, const char *key, const char *value);
char	*store_prop_get(const char *name, const char *key);
extern const char *const store_props[];

#endif
