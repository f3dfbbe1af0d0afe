/*
 * gaol rollback NAME TAG: the jail's root as it was at the snapshot.  A
 * running jail is stopped around it and started again.
 */
#include <stdio.h>

#include "gaol.h"
#include "state/registry.h"
#include "store/store.h"

static int
run_rollback(int argc, char **argv)
{
	bool running;

	while (verb_getopt(&verb_rollback, argc, argv, "") != -1)
		;
	running = registry_running(argv[optind]);
	if (running && jail_stop_named(argv[optind]) == -1)
		lib_fail();
	if (store_rollback(argv[optind], argv[optind + 1]) == -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		if (running && jail_start_named(argv[optind]) == -1)
			lib_fail();
		return 1;
	}
	if (running && jail_start_named(argv[optind]) == -1)
		lib_fail();
	return 0;
}

const struct verb verb_rollback = {
	.name = "rollback", .args = "name tag", .run = run_rollback,
	.min_args = 2, .max_args = 2,
	.enters = true,
	.help =
	    "Bring the jail's root back to the snapshot tag; later snapshots\n"
	    "are kept.  A running jail is stopped first and started again\n"
	    "after.\n",
};
