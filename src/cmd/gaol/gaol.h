/*
 * gaol(8), the jail manager: one file a verb, each a thin layer over
 * libgaol (store for storage, jail for starting and stopping).
 */
#ifndef GAOL_CMD_H
#define GAOL_CMD_H

#include <getopt.h>
#include <stdbool.h>

#include "util/util.h"

struct verb {
	const char	*name;
	const char	*args;		/* the usage line after "gaol NAME" */
	const char	*help;		/* what --help adds, a line each */
	/* argv[0] is the verb; returns the exit status. */
	int		(*run)(int argc, char **argv);
	bool		 enters;	/* starts jails: needs selfexe_protect */
};

extern const struct verb verb_list, verb_create, verb_destroy, verb_start,
	verb_stop, verb_restart, verb_snapshot, verb_rollback, verb_clone,
	verb_export, verb_import, verb_config, verb_bootstrap, verb_template;

/* "usage: gaol VERB ARGS" to stderr, exit 1. */
void	usage_error(const struct verb *) __attribute__((noreturn));
/* gaol: MESSAGE (the library's), exit 1. */
void	lib_fail(void) __attribute__((noreturn));
/* getopt over a verb's argv ("+" options first); exits on -h/--help. */
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

#endif
