/*
 * gaol(8), the jail manager: one file a verb, each a thin layer over
 * libgaol (store for storage, jail for starting and stopping).
 */
#ifndef GAOL_CMD_H
#define GAOL_CMD_H

#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>

#include "util/util.h"

struct verb {
	const char	*name;
	const char	*args;		/* the usage line after "gaol NAME" */
	const char	*help;		/* what --help adds, a line each */
	/* argv[0] is the verb; returns the exit status. */
	int		(*run)(int argc, char **argv);
	bool		 enters;	/* starts jails: needs selfexe_protect */
	/*
	 * How many operands follow the options, checked by verb_getopt
	 * when it returns -1 (a usage error otherwise); max_args 0: the
	 * verb counts them itself.
	 */
	int		 min_args, max_args;
	/*
	 * Long options without a letter that the verb takes, blank
	 * separated ("no-boot tags"); verb_getopt returns them as LONG_ONLY
	 * with long_only_name set (and optarg, for one taking a value).
	 */
	const char	*long_only;
};

#define LONG_ONLY	0x100
extern const char *long_only_name;

#define ANY_NUMBER	INT_MAX		/* max_args without a limit */

extern const struct verb verb_list, verb_create, verb_destroy, verb_start,
	verb_stop, verb_restart, verb_snapshot, verb_rollback, verb_clone,
	verb_export, verb_import, verb_config, verb_bootstrap, verb_template;
extern const struct verb verb_tags, verb_cmd, verb_console, verb_pkg,
	verb_update, verb_upgrade, verb_sysrc, verb_service, verb_cp,
	verb_logs, verb_enable, verb_disable, verb_limits, verb_rdr, verb_top,
	verb_stat, verb_metrics, verb_rename, verb_mount, verb_umount;
extern const struct verb verb_verify, verb_edit, verb_migrate,
	verb_monitor, verb_setup, verb_convert, verb_jcp, verb_rcp,
	verb_network;

/* "usage: gaol VERB ARGS" to stderr, exit 1. */
void	usage_error(const struct verb *) __attribute__((noreturn));
/* gaol: MESSAGE (the library's), exit 1. */
void	lib_fail(void) __attribute__((noreturn));
/*
 * getopt over a verb's argv ("+" options first); exits on -h/--help, and
 * at the end of the options when the operands do not number as the verb
 * says.
 */
int	verb_getopt(const struct verb *, int argc, char **argv,
	    const char *opts);

/* The verb of that name, NULL if none. */
const struct verb *verb_find(const char *name);
/*
 * Run a verb as `gaol argv...` would, in a child (a verb may exit), and
 * return its exit status (128+signal; -1 when it could not fork).
 */
int	verb_call(const struct verb *, int argc, char **argv);

/* The jail lifecycle through libgaol's jail(8) path (start.c). */
int	jail_start_named(const char *name);
int	jail_stop_named(const char *name);

/*
 * Targets (target.c): ALL, names, jids, tags, in one word separated by
 * blanks or commas; the jails' names are added to out, each once.
 * TARGET_ONE: exactly one jail.  TARGET_CONF: a word that is no jail
 * gaol knows is passed on as a name (jail.conf's own jails).
 */
#define TARGET_ONE	0x1
#define TARGET_CONF	0x2
int	target_resolve(const char *target, unsigned flags, struct strlist *out);
void	target_or_fail(const char *target, unsigned flags, struct strlist *out);
/*
 * The addresses of arg (blanks or commas between them, IPv4 and IPv6) as
 * a jail keeps them, a comma list, each checked, "iface|addr" when iface
 * is given; vnet: no interface allowed.  NULL after a message naming
 * the jail and the value (network.c).
 */
char	*addr_list(const char *jail, const char *arg, const char *iface,
	    bool vnet);
/* A file's lines but blank ones and '#' comments, added to out. */
void	lines_load(const char *path, struct strlist *out);
/* Write header (NULL: none) and the lines; no lines: remove the file. */
int	lines_save(const char *path, const char *header,
	    const struct strlist *lines);
/* The tags of a comma list, each checked, added to out; -1: message. */
int	tags_parse(const char *list, struct strlist *out);
/* The tags added to the jail's (target.c). */
int	tags_add(const char *name, const struct strlist *tags);
/* A jail's tags (DATADIR/jails/NAME/tags), added to out. */
void	jail_tags(const char *name, struct strlist *out);
/* The jail's part of rctl.conf (gaol limits): SYSCONFDIR/rctl.conf.d/NAME.conf. */
char	*limits_path(const char *name);
/*
 * act on each jail of target, in order; a failure is printed ("gaol:
 * MESSAGE") and the others still run.  Returns 1 if any failed.
 */
int	target_each(const char *target, unsigned flags,
	    int (*act)(const char *name, void *arg), void *arg);

struct enter_opts;
/*
 * Run argv in the running jail name (argv NULL: the user's shell), as
 * jexec does, with the audit log: the command's status, or -1 with the
 * message set ("NAME: not running").  (enter.c)
 */
int	gaol_exec(const char *name, const char *prog,
	    const struct enter_opts *, char *const argv[]);
/* The path of a program installed beside gaol (sysrc, rctl), else its
 * bare name for PATH. */
char	*gaol_sibling(const char *prog);
/*
 * "env GAOL_DATADIR=... " for the GAOL_* variables set now, "" when
 * none: a hook that calls gaol from a jail.conf (where exec.clean
 * empties the environment) finds the same jails.
 */
char	*gaol_env_words(void);

/*
 * A jail's root, open (O_PATH): the running jail's path, else the root
 * gaol made (not a stopped thin overlay one).  -1 with the message set.
 */
int	jail_rootfd(const char *name);
/*
 * Copy sname (a path from the directory sdir; shown in messages) to dst,
 * a path resolved inside the tree dstroot, as cp -a: an existing
 * directory, or a dst ending in '/', receives it under its own name.
 * Nothing is followed out of either side's tree (cp.c).
 */
int	copy_to_root(int sdir, const char *sname, const char *shown,
	    int dstroot, const char *dst);

/* Progress on a terminal (progress.c). */
struct release_progress;
void	draw_progress(const struct release_progress *, void *);

/*
 * A stream's progress drawn from its descriptor while the library works
 * on it; nothing unless stderr is a terminal and quiet is false.
 */
struct stream_watch {
	int			 fd;
	bool			 reading, running, stopping, ok;
	const char		*what;
	unsigned long long	 total;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
};
void	stream_watch_start(struct stream_watch *, int fd, bool reading,
	    const char *what, bool quiet);
void	stream_watch_stop(struct stream_watch *, bool ok);

#endif
