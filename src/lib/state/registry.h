/*
 * The live state under $GAOL_RUNDIR: one file per jail, written
 * atomically, and one lock.  No daemon holds this: every command takes
 * the lock, finishes or undoes what a killed command left half done
 * (registry_recover), and changes what it must.
 *
 *   $GAOL_RUNDIR/lock		flock(2) target
 *   $GAOL_RUNDIR/jails/JID	one record per jail (see record.c)
 *   $GAOL_RUNDIR/lastjid		the jid given last (registry_alloc_jid)
 *   $GAOL_RUNDIR/names/		the name index, a cache of the records
 *					(index.c); removing it is safe
 *   $GAOL_RUNDIR/listing		what jls shows of every jail, a cache
 *					(listing.c); removing it is safe
 *   $GAOL_RUNDIR/inits		a word a jid that the jail's init holds
 *					until it ends (slots.c)
 *
 * A command given a jid or a name reads that record alone: by jid its
 * file, by name the one the index points to.  jls's fixed views read
 * the listing; its parameter views, jail -r '*' and a registry without
 * an index read every record.
 */
#ifndef GAOL_REGISTRY_H
#define GAOL_REGISTRY_H

#include <stdbool.h>
#include <sys/types.h>
#include "../conf/conf.h"
#include "../conf/addr.h"

enum jstate {
	JS_CREATING,	/* create under way; undone if the creator died */
	JS_ALIVE,	/* init running */
	JS_DYING,	/* remove under way; finished if the remover died */
	/*
	 * In memory only, with unreadable set: a record that cannot be
	 * read.  It keeps its jid, and so its cgroups, from being handed
	 * to a new jail until an administrator removes the file.
	 */
	JS_DEFUNCT,
	JS_NSTATES
};

/* Something made outside the process, recorded before it is made. */
struct intent {
	char	*kind;		/* "cgroup", "addr", "iface", ... */
	char	*arg;		/* what to undo, in the kind's words */
};

struct jrecord {
	int		 jid;
	char		*name;
	enum jstate	 state;
	pid_t		 init_pid;	/* 0 until the init exists */
	unsigned long long init_start;	/* /proc/PID/stat starttime */
	pid_t		 owner_pid;	/* the command creating or removing it */
	unsigned long long owner_start;
	int		 parent_jid;	/* 0: made on the host */
	/*
	 * The pid namespace its pids are numbers of (its creator's), and
	 * the jail's own (its init's): inode numbers, 0 when unknown.  A
	 * command sees only the records made in its own pid namespace:
	 * inside a jail, the jail's children, whatever directory it
	 * shares with the host (registry_load_all).
	 */
	unsigned long long pidns;
	unsigned long long jailns;
	unsigned long	 uid_base;	/* host id of the jail's 0; 0: identity */
	int		 spawn;		/* the spawn request its init reads
					   (jail/internal.h); 0: a gaol's
					   from before the line */
	struct jparams	 params;	/* as resolved at create, updated by -m */
	/*
	 * Its addresses as parsed once at create (with ip_hostname's),
	 * stored as they are: what jail -r, jail -m, the clash check and
	 * the manager read, never ip4.addr's text.  The view's other
	 * fields are left unread (reading them for every record would
	 * slow jls): jnet_read_flags with params gives them.
	 */
	struct jnet	 net;
	struct intent	*intents;
	size_t		 nintents;
	struct strlist	 unknown;	/* a newer gaol's lines, kept as they came */
	bool		 unreadable;	/* only jid is known (JS_DEFUNCT) */
};

int	registry_lock(void);			/* returns held lock fd */
int	registry_lock_existing(void);		/* -1, ENOENT: no registry */
void	registry_unlock(int);
/* int lock AUTO_UNLOCK = registry_lock(): unlocked on every way out. */
void	registry_unlockp(int *);
#define AUTO_UNLOCK	__attribute__((cleanup(registry_unlockp)))

/* The pid namespace this process runs in (inode), 0 when unknown. */
unsigned long long self_pidns(void);
/* The pid namespace of a process, by pid, 0 when unknown. */
unsigned long long proc_pidns(pid_t);

/*
 * Delete the records made inside a jail that is gone: made in its pid
 * namespace, their processes went with it (call with the lock).
 */
void	registry_drop_children(unsigned long long jailns);

/*
 * The records of this pid namespace; liveness is not checked here.  A
 * record that cannot be read is reported on stderr and comes back as an
 * unreadable JS_DEFUNCT one, so that its jid is never handed on.
 */
int	registry_load_all(struct jrecord **, size_t *);
int	registry_load(int jid, struct jrecord *);
/* Written whole (and indexed first), with the lock. */
int	registry_save(const struct jrecord *);
/* Deleted (and then unindexed), with the lock. */
int	registry_delete(const struct jrecord *);
/* After a save of rec under a new name: the old one no longer leads to it. */
void	registry_renamed(const struct jrecord *, const char *old);
/*
 * The record a jid or name names in this pid namespace (the jid first,
 * as on FreeBSD), in whatever state, read alone; liveness is not
 * checked.  -1, errno ENOENT and "NAME: not found" when there is none.
 * A record there that cannot be read is reported (as registry_load_all
 * does) and not taken.
 */
int	registry_lookup(const char *jid_or_name, struct jrecord *);
/* The record that holds a name (not dying), by name only. */
int	registry_lookup_name(const char *name, struct jrecord *);
/*
 * The records that may depend on another jail (a depend parameter, or a
 * dotted name "p.q", p's child), in jid order, read alone: what jail -r
 * needs to find the dependents of the jails it removes.
 */
int	registry_load_dependents(struct jrecord **, size_t *);
void	jrecord_free(struct jrecord *);
void	jrecords_free(struct jrecord *, size_t);

/*
 * Whether the record is a jail for jls, jexec and rctl: alive, or being
 * created with its init up, so that exec.created and exec.poststart see
 * it as they do on FreeBSD (where the jail exists from jail_set on).
 */
bool	jrecord_is_jail(const struct jrecord *);

/* Whether a jail (jrecord_is_jail) answers to this jid or name. */
bool	registry_running(const char *jid_or_name);

/* Find a jail (jrecord_is_jail) by jid or name; -1 with "NAME: not found". */
int	registry_find(const char *jid_or_name, struct jrecord *);

/*
 * A jid for a new jail (with the lock): want if it is free, else the
 * one after the last given ($GAOL_RUNDIR/lastjid) that no record file
 * holds (of any namespace, readable or not), wrapping at JAIL_MAX, as
 * FreeBSD's kernel does.
 */
#define JAIL_MAX	999999
int	registry_alloc_jid(int want);
/*
 * A create that failed before its jail existed gives its jid back (with
 * the lock): FreeBSD's kernel gives none to a jail_set that never ran.
 */
void	registry_unalloc_jid(int jid);
void	jrecord_add_intent(struct jrecord *, const char *kind, const char *arg);
void	jrecord_drop_intent(struct jrecord *, const char *kind, const char *arg);

/*
 * Process identity that survives pid reuse: a pid plus its start time
 * (without /proc: its pidfs inode number, marked).  proc_alive opens a pidfd and returns it (>= 0) when the process with
 * that start time still runs, -1 otherwise.
 */
unsigned long long proc_starttime(pid_t);
int	proc_alive(pid_t, unsigned long long start);
/*
 * Only whether it runs (not a zombie): one read of /proc/PID/stat (or
 * a pidfd), whose pid and start time together name one process.  For looking; to act on
 * the process, take proc_alive's pidfd.
 */
bool	proc_running(pid_t, unsigned long long start);

/*
 * A liveness word for the init (slots.c), which jls reads for every
 * jail at once.  The creator prepares the jail's word before it clones
 * the init (-1: none, jls then asks /proc) and releases its own mapping
 * after; the init holds it, first thing, until it ends.
 */
int	registry_slot_prepare(int jid);
void	registry_slot_release(void);
void	registry_slot_hold(void);

/* The identity of the running process, for owner fields. */
void	self_identity(pid_t *, unsigned long long *);

/*
 * A jail's cgroup directories as its record's intents name them, whole
 * (whatever our own cgroup or GAOL_CGROUP is now); a record from before
 * intents were whole paths names only the leaf.
 */
struct cgroup_set;
int	jrecord_cgroups(const struct jrecord *, struct cgroup_set *);

/* ---- recovery (recover.c) ---- */

/*
 * The kinds of intent the registry does not undo itself ("cgroup" it
 * does): a module above it that records its own kinds (net's "addr",
 * "iface", "netns", "nft") undoes them; the caller names it.
 */
struct intent_owner {
	bool	(*owns)(const char *kind);
	int	(*undo)(const struct jrecord *, const struct intent *);
};

/*
 * SIGKILL the jail's init (thawed first) and wait, at most secs, for it
 * and so its whole pid namespace to be gone.  0 when it is gone.
 */
int	jrecord_kill_init(const struct jrecord *, int secs);
/*
 * Kill the init (if alive), undo the intents in reverse order, delete
 * the record (with the lock).  What cannot be undone stays in the
 * record, saved as dying, for a later command to try again.
 */
int	registry_teardown(struct jrecord *, const struct intent_owner *);
/*
 * Bring the registry to a clean state: finish removal of jails whose
 * init has died, undo creations whose creator died.  Call with the lock.
 */
void	registry_recover(const struct intent_owner *);
/* The same, and the records left, in jid order (with the lock). */
int	registry_settle(struct jrecord **, size_t *,
	    const struct intent_owner *);
/*
 * Settle only what a command touches (with the lock): the record a jid
 * or name names (registry_lookup; by_jid false: registry_lookup_name),
 * left in out unless it was torn down (-1, ENOENT); the dependents
 * (registry_load_dependents) that are left.
 */
int	registry_settle_one(const char *jid_or_name, bool by_jid,
	    struct jrecord *, const struct intent_owner *);
int	registry_settle_dependents(struct jrecord **, size_t *,
	    const struct intent_owner *);
/*
 * For jls's fixed views: the records of this pid namespace with the
 * fields the listing keeps (listing.c: jid, name, state, init, owner,
 * parent, namespaces, host.hostname, path, ip4.addr, ip6.addr), in jid
 * order, settled as registry_settle settles them, read from the
 * listing in one read and checked alive by the inits' words.  A record
 * that cannot be read is reported and comes back unreadable, as from
 * registry_load_all.  With the lock; without it,
 * registry_load_listed reads the same, unsettled.
 */
int	registry_settle_listed(struct jrecord **, size_t *,
	    const struct intent_owner *);
int	registry_load_listed(struct jrecord **, size_t *);
/* registry_load_all, removing on the way the temporary files a writer
 * killed mid-write left (call with the lock). */
int	registry_load_all_sweep(struct jrecord **, size_t *);

#endif
