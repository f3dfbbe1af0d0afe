/*
 * rctl(8) on Linux: rules in FreeBSD's grammar, enforced through the
 * jail's cgroups (v1 or v2, whichever hierarchy has the controller),
 * rlimits on the jail's processes, the sysctls of the jail's IPC
 * namespace, its devpts instance, and a small per-jail watcher for the
 * actions the kernel cannot take by itself (log, devctl, sig*).
 * docs/design/rctl.md has the reasons.
 *
 * Rule:	subject:subject-id:resource:action=amount[/per]
 * Filter:	the same with fields left empty or cut short.
 */
#ifndef GAOL_RCTL_H
#define GAOL_RCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../cgroup/cgroup.h"

struct jail_spec;

enum rsubject {
	RS_ANY = -1,
	RS_PROCESS,
	RS_USER,
	RS_LOGINCLASS,
	RS_JAIL,
	RS_NSUBJECTS
};

enum rres {
	R_CPUTIME, R_DATASIZE, R_STACKSIZE, R_COREDUMPSIZE, R_MEMORYUSE,
	R_MEMORYLOCKED, R_MAXPROC, R_OPENFILES, R_VMEMORYUSE,
	R_PSEUDOTERMINALS, R_SWAPUSE, R_NTHR, R_MSGQQUEUED, R_MSGQSIZE,
	R_NMSGQ, R_NSEM, R_NSEMOP, R_NSHM, R_SHMSIZE, R_WALLCLOCK, R_PCPU,
	R_READBPS, R_WRITEBPS, R_READIOPS, R_WRITEIOPS,
	R_NRES
};

enum raction {
	RA_DENY,
	RA_LOG,
	RA_DEVCTL,
	RA_THROTTLE,
	RA_SIG,		/* with rrule.sig */
};

/* How Linux enforces a resource. */
enum rkind {
	K_RLIMIT,	/* setrlimit on each process of the jail */
	K_MEMORY,	/* memory controller */
	K_SWAP,		/* memory controller, swap accounting */
	K_PIDS,		/* pids controller */
	K_CPU,		/* cpu controller: CFS bandwidth */
	K_IO,		/* blkio (v1) / io (v2) */
	K_IPC,		/* the jail's IPC namespace sysctls */
	K_PTY,		/* the jail's devpts instance, max= */
	K_WATCH,	/* no kernel limit: the watcher acts */
};

#define RF_DENIABLE	0x01
#define RF_DECAYING	0x02	/* a rate: throttle allowed */
#define RF_SLOPPY	0x04	/* no /process */

struct rresource {
	const char	*name;
	unsigned	 flags;
	enum rkind	 kind;
	int		 rlimit;	/* RLIMIT_* for K_RLIMIT */
	const char	*unit;		/* for the man page and errors */
};
extern const struct rresource rresources[R_NRES];

struct rrule {
	enum rsubject	 subject;	/* RS_ANY in filters */
	char		*id;		/* NULL: any */
	int		 resource;	/* enum rres, -1: any */
	int		 action;	/* enum raction, -1: any */
	int		 sig;		/* RA_SIG */
	int64_t		 amount;	/* -1: any */
	int		 per;		/* enum rsubject; RS_ANY: the subject */
};

/*
 * Parse a rule (filter false: every field required) or a filter.
 * Amounts take FreeBSD's suffixes (k, m, g, t, p, e, binary).  Returns
 * -1 with the reason (e.g. "unknown resource 'foo'") as the message.
 */
int	 rrule_parse(const char *, struct rrule *, bool filter);
/* "jail:web:memoryuse:deny=2147483648"; human: "...deny=2048M". */
char	*rrule_format(const struct rrule *, bool human);
bool	 rrule_matches(const struct rrule *filter, const struct rrule *);
bool	 rrule_same(const struct rrule *, const struct rrule *);
void	 rrule_free(struct rrule *);
int	 rresource_lookup(const char *);
const char *raction_name(const struct rrule *, char *buf, size_t);

/* A set of rules. */
struct rruleset {
	struct rrule	*v;
	size_t		 n;
};
void	 rruleset_add(struct rruleset *, const struct rrule *);	/* copies */
void	 rruleset_free(struct rruleset *);
/* The least amount of the deny rules (per the jail) on res, or -1. */
int64_t	 rruleset_deny(const struct rruleset *, int res);

/*
 * rctl.conf(5): $GAOL_SYSCONFDIR/rctl.conf, then each file NAME.conf of rctl.conf.d
 * in name order (gaol limits keeps a jail's as NAME.conf; FreeBSD has
 * only rctl.conf), one rule a line: its first
 * word, as FreeBSD's rc.d/rctl reads it; '#' comments.  The rules for
 * the jail named (by name or jid string) go to the set; a bad line
 * that is for it is an error with file:line, a bad line for another
 * jail is not this jail's business.
 */
int	 rctl_conf_load(struct rruleset *, const char *name, const char *jid);

/*
 * Rules added for a jail that is not running, kept by its name as
 * FreeBSD's kernel keeps them and applied at each of its starts, until
 * rctl -r removes them: $GAOL_RUNDIR/rctl/waiting.  Change it with the
 * lock; it is replaced whole, so reading it needs none.
 */
int	 rctl_waiting_load(struct rruleset *);
int	 rctl_waiting_save(const struct rruleset *);

/*
 * A live jail's rules: $GAOL_RUNDIR/rctl/JID, bound to the instance of
 * the jail by its init's pid and start time, so that a file left by a
 * removed jail never applies to a new jail with the same jid.  It also
 * names the jail's watcher.  Change it only under registry_lock().
 */
struct rstore {
	pid_t		 init;
	unsigned long long start;
	pid_t		 watcher;
	unsigned long long wstart;
	struct rruleset	 rules;
};
/* A missing file, or one of another instance, loads as empty. */
int	 rctl_store_load(int jid, pid_t init, unsigned long long start,
	    struct rstore *);
int	 rctl_store_save(int jid, const struct rstore *);
void	 rctl_store_remove(int jid, pid_t init, unsigned long long start);
/* Remove the files of jails that are gone; the watcher usually does. */
void	 rctl_store_sweep(void);
char	*rctl_store_path(int jid);

/* The subject a jail's rules are stored under: jail:NAME. */
struct rjail {
	int		 jid;
	char		*name;
	pid_t		 init;
	unsigned long long start;
	struct cgroup_set cg;
	bool		 starting;	/* the init has not made its root yet */
};
int	 rjail_find(const char *jid_or_name, struct rjail *);
void	 rjail_free(struct rjail *);

/*
 * Put a jail's rules into effect (limits not named go back to none).
 * Errors name the resource and, when the host lacks a controller, which
 * and what to enable.
 */
int	 rctl_apply(const struct rjail *, const struct rruleset *);

/*
 * rctl's two calls from the jail core.  At start, right after the init
 * joined its cgroups, rctl.conf's rules for the jail are put in effect
 * and kept for rctl(8); a process entering the jail takes the jail's
 * rlimits (from the jail's init, pid 1 of its namespace).
 */
int	rctl_jail_start(const struct jail_spec *, pid_t init,
	    const struct cgroup_set *);
int	rctl_enter_limits(const struct jail_spec *);

/* ---- changing rules (change.c), what rctl -a and -r do ---- */

/* Every running jail, as rjail. */
int	 rjails_live(struct rjail **, size_t *);
/* The live jails a filter can name: the one of jail:ID, read alone. */
int	 rjails_named(const struct rrule *, struct rjail **, size_t *);
void	 rjails_free(struct rjail *, size_t);
/* Whether a filter's subject-id names this jail (by name or jid). */
bool	 rrule_names_jail(const struct rrule *filter, const struct rjail *);
/*
 * Keep (add) or drop (filter) rules for jails that are not running,
 * under the registry lock; *removed counts what the filter dropped.
 */
int	 rctl_waiting_change(const struct rrule *add,
	    const struct rrule *filter, int *removed);
/*
 * Change a live jail's rules as one transaction under the registry
 * lock: its rules less those remove matches (the subject-id aside;
 * *removed counts them), plus add, applied whole.  When that fails the
 * old set is applied again and kept, with the error.  The watcher is
 * started once the jail has rules.
 */
int	 rctl_change(const struct rjail *, const struct rrule *add,
	    const struct rrule *remove, int *removed);

/* rctl -u: every resource's current usage.  Values in rrule units. */
int	 rctl_usage(const struct rjail *, int64_t usage[R_NRES]);
/*
 * The same without the rates (pcpu, readbps...: 0) and at once, and the
 * cumulative CPU time of the jail's cgroup in nanoseconds (-1: none):
 * what gaol top and gaol metrics sample many jails with.
 */
int	 rctl_usage_now(const struct rjail *, int64_t u[R_NRES]);
int64_t	 rctl_cpu_ns(const struct rjail *);

/* The watcher: started when a jail has rules, gone with the jail. */
int	 rctl_watcher_ensure(const struct rjail *);

/* Where log and devctl actions write. */
void	 rctl_event(const struct rjail *, const struct rrule *, int64_t usage);

#endif
