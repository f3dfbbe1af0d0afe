/* Shared between the files of src/lib/jail; not part of the API. */
#ifndef GAOL_JAIL_INTERNAL_H
#define GAOL_JAIL_INTERNAL_H

#include "jail.h"
#include "../cgroup/cgroup.h"

/*
 * The create protocol between `jail -c` and the jail's init, over a
 * SOCK_SEQPACKET pair: the creator sends GO once the uid map and cgroups
 * are in place; the init answers READY (or ERROR followed by the
 * message); after the start hooks the creator sends the final persist
 * value and the init answers EXITING or STAYING.
 */
/*
 * The PATH of a clean environment (exec.clean, jexec -l): FreeBSD's
 * login.conf default class path, which has the sbin directories.
 */
#define CLEAN_PATH	"/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"

#define INIT_GO		'G'
#define INIT_READY	'R'
#define INIT_ERROR	'E'
#define INIT_PERSIST	'P'	/* followed by '0' or '1' */
#define INIT_EXITING	'X'
#define INIT_STAYING	'S'
/*
 * During setup, with gaol.idmap=private, the init sends IDMAP with a host
 * path (its root, a nullfs source) and the creator, who alone holds the
 * host's privilege, answers IDMAP and an errno byte, with a detached
 * copy of the path idmapped to the jail's user namespace when it is 0.
 */
#define INIT_IDMAP	'I'
/*
 * The creator moves the init into the v1 hierarchies while the init
 * builds the jail's view (the move waits for an RCU grace period), and
 * sends CGROUPS once it is in: the init waits for it before it makes
 * its cgroup namespace, whose root must be the jail's cgroup in every
 * hierarchy.  It may come between any two messages of setup: the init
 * reads them with init_ctl_recv, which takes it aside.
 */
#define INIT_CGROUPS	'C'
ssize_t	init_ctl_recv(int ctl, char *buf, size_t size, int *fdp);

/*
 * The descriptors a live init keeps, at fixed numbers so that the host
 * can find the spawn door with pidfd_getfd(2) (see spawn.c).
 */
#define INIT_FD_SIGNAL	10	/* signalfd: SIGCHLD */
#define INIT_FD_SPAWN	11	/* spawn requests are read here */
#define INIT_FD_DOOR	12	/* its peer: the host sends on a copy */
#define INIT_FD_PROC	13	/* the private procfs */
#define INIT_FD_CTL	14	/* the create handshake, until the end */
#define INIT_FD_PTS	15	/* the jail's devpts (O_PATH), if it has one */
#define INIT_FD_MAPS	16	/* children.max > 0: a writable procfs, for
				   the map door alone (idmap.c) */
/* children.max > 0, no vnet: from here on, what a nested jail -c takes
 * through the door (netdoor.c): the inherited-IP maps (children, addrs4,
 * addrs6) and the jail's v2 procs leaf, each if the jail has it. */
#define INIT_FD_NET	17
#define INIT_NET_FDS	4
#define INIT_FD_PROCDOOR 21	/* children.max > 0: the procfs door's
				   server (procdoor.c) */

/* Spawn protocol: a request and four descriptors (reply, in, out, err);
 * on the reply socket, messages of one kind byte and a payload.  A
 * request holding a "persist" line (and only the reply socket) is the
 * host changing persist (jail -m): the init answers SPAWN_EXIT "0".
 * The child takes the init's typed spec, with the request's "live"
 * lines (struct jail_live: the PF_LIVE parameters) laid over it.  An
 * init a gaol before SPAWN_LIVE started reads "securelevel", "allow"
 * and "capabilities" lines instead, one before SPAWN_TYPED the record's
 * parameter lines (its record has no "spawn" line): jexec sends what
 * the record's spawn says the init reads. */
#define SPAWN_TYPED	2
#define SPAWN_LIVE	3
#define SPAWN_MSG_MAX	(128 * 1024)
#define SPAWN_PID	'P'	/* a pidfd of the child */
#define SPAWN_PTY	'T'	/* the master of the child's terminal; none:
				   no pty, the streams sent are used */
#define SPAWN_ERROR	'E'	/* the child could not start: why */
#define SPAWN_EXIT	'X'	/* it ended: exit status, decimal */

/*
 * Serve one request for the jail of spec (the init's); a persist change
 * is stored in *persist.  In a jail on the host's network stack, the
 * child is put under the guard filter (guard.c) and its listener is
 * returned, for the init to serve; else -1.
 */
int	 spawn_accept(int reqfd, const struct jail_spec *, bool *persist);
void	 spawn_reaped(pid_t, int status);
void	 spawn_send_msg(int fd, char kind, const char *text, int passfd);
/* One message into buf (NUL-terminated); *fdp: a passed descriptor or -1. */
ssize_t	 recv_fd_msg(int fd, char *buf, size_t size, int *fdp);

/* In a command the init starts: the descriptor limit the init was
 * born with (it raised its own for the sessions it serves). */
void	init_nofile_restore(void);
/* idmap.c: a jail's own range of host ids (docs/design/uid-ranges.md). */
#define JAIL_IDS	65536UL
/* Whether a jail without gaol.idmap gets a range of its own. */
#define GAOL_PRIVATE_IDS	1
/* The first host id of name's range, taken or kept; 0 with gerr set. */
unsigned long idrange_take(const char *name);
/* How many ids this process's user namespace maps (from 0); 0: unknown.
 * procfd >= 0: a procfs of this process's pid namespace to read it in. */
unsigned long idmap_count(int procfd);
/* Write the uid and gid maps of pid: base's range, or identity (base 0). */
int	 idmap_write(pid_t, unsigned long base);
/*
 * The map door (guard.c, docs/design/nested-jails.md): in a jail without
 * /proc, openat(INIT_DOOR_FD, "PID/uid_map" or "PID/gid_map", flags)
 * is answered by the jail's init with that file, opened in its own
 * procfs (mapsfd, writable), for a caller in its pid namespace; the
 * kernel then lets the caller write it only with CAP_SETUID over the
 * jail's user namespace.  idmap_door_open: the file, or -errno.
 */
struct seccomp_notif;
int	 idmap_door_open(const struct seccomp_notif *, int listener,
	    int procfd, int mapsfd, int procdoor);
/* A namespace (ns: "user", "pid") of pid ("self" or a number) in procfd,
 * by inode number; 0: none. */
ino_t	 proc_ns_at(int procfd, const char *pid, const char *ns);
/*
 * The network door (netdoor.c, nested-jails.md): openat(INIT_DOOR_FD,
 * "net/children", "net/addrs4", "net/addrs6" or "net/cgroup") answered
 * by the init with its copy, for a caller with CAP_SYS_ADMIN in the
 * jail's own user namespace.  netdoor_serve: the descriptor or -errno.
 * netdoor_open: the caller's side, all four into fds (left -1 when the
 * parent has none: no programs); netdoor_undo: the "netcg" intent.
 */
struct jail_net_fds;
int	 netdoor_serve(const struct seccomp_notif *, int listener, int procfd,
	    const char *path);
int	 netdoor_open(struct jail_net_fds *);
int	 netdoor_undo(const struct jrecord *, const struct intent *);
/*
 * The procfs door (procdoor.c, isolate.h's INIT_DOOR_FD): the server,
 * forked before sealing with what isolate_procfs_door_prepare made
 * (the init's end of its socket, or -1 with gerr set), its pid, and
 * the init's answer to a caller (the tree, or -errno).
 */
struct procfs_door;
int	 procdoor_start(const struct jail_spec *, struct procfs_door *);
pid_t	 procdoor_server(void);
int	 procdoor_ask(int door, int procfd, const struct seccomp_notif *,
	    int listener);
/* The guard filter (its listener), and the init's answer to one call. */
int	 guard_filter(void);
int	 guard_serve(int listener, int procfd, int mapsfd, int procdoor);
int	 idmap_serve(int ctl, const char *msg, pid_t init);
int	 idmap_request(int ctl, const char *path, bool strict);

/* The jail's init: runs in the cloned child, never returns. */
void	 jail_init_main(int ctlfd, const struct jail_spec *,
	    const int net[INIT_NET_FDS]) __attribute__((noreturn));

/*
 * Tell a live init (pidfd) that persist changed, through its door: a
 * channel only the host can reach (a signal could be forged from inside).
 */
int	 init_set_persist(int pidfd, bool persist);

/* exec.* hooks. consolefd >= 0 receives their output. */
int	 hooks_run(const struct jail_spec *, const struct jrecord *,
	    enum hook, int flags, int consolefd);
int	 consolelog_open(const struct jail_spec *);
/* A command string as jail(8) runs it: split on blanks, or sh -c. */
void	 hook_argv(const char *, struct strlist *);
/* The user and environment options jail(8) gives commands in a jail. */
void	 hook_enter_opts(const struct jail_spec *, struct enter_opts *);

/*
 * jail_remove of a jail that ended by itself (its init is gone): only
 * the host's side, from the intents to exec.release (reaper.c).
 */
#define JF_ENDED	0x100

/*
 * A detached process that waits for a jail without persist to end and
 * then cleans up its host side.  Started held: the caller records it as
 * the live record's owner, then lets it go (or not, and it exits).
 */
struct reaper {
	pid_t			pid;
	unsigned long long	start;
	int			go;
};
int	 jail_reaper_start(const struct jrecord *, struct reaper *);
void	 jail_reaper_go(struct reaper *, bool go);

/* registry_teardown, with networking's intents undone by net. */
int	 jail_teardown(struct jrecord *);

/*
 * A detached copy of a host path and its submounts, idmapped to the user
 * namespace of the jail whose init this is (idmap.c).  -1 with errno.
 */
int	idmapped_tree(const char *path, bool strict, pid_t init);

#endif
