/*
 * The jail core: create, modify, remove, and run processes inside a live
 * jail.  The front ends (jail, jexec, gaol) are thin layers over this.
 */
#ifndef GAOL_JAIL_H
#define GAOL_JAIL_H

#include <stdbool.h>
#include <stdint.h>
#include "../conf/spec.h"
#include "../state/registry.h"
#include "../isolate/isolate.h"

/* Flags for create/remove, from jail(8)'s options. */
#define JF_VERBOSE	0x01	/* -v: print each hook as it runs */
#define JF_QUIET	0x02	/* -q: no "NAME: created" */
#define JF_PRINTJID	0x04	/* -i: print the jid */
#define JF_NOHOOKS	0x08	/* -R: remove without running exec.* */

/*
 * Create a jail and run its start hooks in jail(8)'s order.  For a jail
 * without persist and with a command, returns once the command ends, and
 * *statusp receives its exit status (0..255).  Anything made is undone
 * on failure.
 */
int	jail_create(struct jail_spec *, int flags, int *jidp, int *statusp);

/* Run the stop hooks and remove the jail (-r), or just remove it (-R). */
int	jail_remove(struct jrecord *, int flags);

/*
 * Change parameters of a live jail (-m): the registry record is updated
 * and what Linux can change at once is changed (hostname, persist,
 * securelevel upward, ...); allow.* and the like apply to processes that
 * enter afterwards.  A change to a create-only parameter fails with
 * "NAME: PARAM cannot be changed after creation".
 */
int	jail_modify(struct jrecord *, const struct jparams *changes, int flags);

/*
 * Whether the changes would give a create-only parameter (PF_CREATE in
 * the table) a new value: jail -m refuses them, jail -mr restarts.
 * jail(8)'s own parameters (mount.*, exec.*) never count.
 */
bool	jail_modify_needs_restart(const struct jrecord *,
	    const struct jparams *changes);

/* How a process enters a jail (jexec, exec.start, command=). */
struct enter_opts {
	const char	*user;		/* -U: a user of the jail's passwd */
	const char	*host_user;	/* -u: a user of the host's passwd */
	bool		 login;		/* -l: clean environment, login shell */
	const char	*dir;		/* -d: working directory in the jail */
	int		 out_fd;	/* >= 0: stdout and stderr go here */
	char *const	*env;		/* extra NAME=value, NULL-terminated */
	int		 timeout;	/* seconds before it is killed, 0: none */
	/*
	 * Told the child's pidfd once it exists (the OCI runtime keeps
	 * its pid for kill); the descriptor stays ours.
	 */
	void		(*started)(int pidfd, void *arg);
	void		*started_arg;
	/*
	 * The OCI runtime's process.user and process.capabilities (NULL:
	 * none).  ids: the uid and gid as they are, whether the jail's
	 * passwd has them or not (its entry, when there is one, still gives
	 * home and groups), groups beyond those, and a umask.  caps: never
	 * more than the jail's bounding set.
	 */
	const struct enter_ids *ids;
	const struct cap_sets *caps;
	/*
	 * PR_SET_NO_NEW_PRIVS in the process (OCI's noNewPrivileges):
	 * execve grants nothing more, setuid files and file capabilities
	 * included.  Off by default: su works in a jail, as on FreeBSD.
	 */
	bool		 no_new_privs;
};

struct enter_ids {
	uid_t		 uid;
	gid_t		 gid;
	const gid_t	*groups;
	size_t		 ngroups;
	int		 umask;		/* -1: as it is */
};

/*
 * Run argv inside a live jail and wait for it.  argv NULL runs the
 * user's shell from the jail's passwd (or /bin/sh).  Returns the exit
 * status (0..255, 128+signal), or -1 with the message set.
 */
int	jail_exec_in(const struct jrecord *, const struct enter_opts *,
	    char *const argv[]);

/*
 * How many processes the jail's memory limit (rctl memoryuse) has killed
 * so far, -1 when it cannot be told.  A command that ends by SIGKILL
 * while this grows was killed by the limit: jexec and jail say so.
 */
int64_t	jail_oom_kills(const struct jrecord *);

/*
 * registry_recover and registry_settle (with the registry lock), for
 * every kind of intent a jail's creation records, networking's too:
 * what front ends call before they look at or change jails.
 */
void	jail_recover(void);
int	jail_settle(struct jrecord **, size_t *);
/* Only what a command touches: registry_settle_one, _dependents. */
int	jail_settle_one(const char *jid_or_name, bool by_jid, struct jrecord *);
int	jail_settle_dependents(struct jrecord **, size_t *);
/* jls's fixed views: registry_settle_listed. */
int	jail_settle_listed(struct jrecord **, size_t *);

/* sendmsg(2) of one message with up to four descriptors. */
int	send_fds(int sock, const void *buf, size_t len, const int *fds, int nfds);

/*
 * children.cur of a jail that may make jails: those live in the jail's
 * own registry, out of the host's sight, so they are counted from the
 * kernel: the inits (pid 1 of a pid namespace) whose user namespace was
 * made in the jail's (docs/design/nested-jails.md).  0 without
 * children.max.
 */
int	jail_kernel_children(const struct jrecord *);

/*
 * A jail's processes (pids in decimal, as the host numbers them): those
 * in its init's pid namespace, exactly FreeBSD's "in this jail", since a
 * nested jail has a namespace of its own, as it has a jid of its own.
 */
void	jail_pids(const struct jrecord *, struct strlist *);

/*
 * jail -r's order: targets (names of running jails) grown by every
 * running jail that depends on one of them (by the depend it was made
 * with, or as its child "p.q"), dependents first, as jail(8) stops what
 * needs a jail before the jail; a dependency loop is broken in the
 * order given.
 */
void	jail_stop_order(const struct jrecord *, size_t, struct strlist *targets);

/* The spec of a live jail, rebuilt from its record. */
int	jrecord_spec(const struct jrecord *, struct jail_spec *);

/*
 * Mount into a live jail what its fstab would mount at start: src (a
 * host directory: nullfs, a bind, read-only with ro; ignored for tmpfs)
 * on dst as the jail sees it, resolved inside its root.  Unmount dst.
 * -1 with "NAME: ..." set.  (mountlive.c)
 */
int	jail_mount_live(const struct jrecord *, const char *src,
	    const char *dst, const char *type, bool ro);
int	jail_umount_live(const struct jrecord *, const char *dst);

#endif
