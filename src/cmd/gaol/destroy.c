/*
 * gaol destroy [-f] NAME: the jail's storage, snapshots and config go;
 * a running jail only with -f, which stops it first.
 */
#include <stdio.h>

#include "gaol.h"
#include "jail/registry.h"
#include "store/store.h"

static int
run_destroy(int argc, char **argv)
{
	bool force = false;
	struct sjail j;
	int c;

	while ((c = verb_getopt(&verb_destroy, argc, argv, "f")) != -1)
		if (c == 'f')
			force = true;
	if (optind != argc - 1)
		usage_error(&verb_destroy);
	if (store_jail_load(argv[optind], &j) == -1)
		lib_fail();
	sjail_free(&j);
	if (registry_running(argv[optind])) {
		if (!force) {
			fprintf(stderr, "gaol: %s: jail is running (stop it, "
			    "or destroy -f)\n", argv[optind]);
			return 1;
		}
		if (jail_stop_named(argv[optind]) == -1)
			lib_fail();
	}
	if (store_jail_destroy(argv[optind]) == -1)
		lib_fail();
	return 0;
}

const struct verb verb_destroy = {
	.name = "destroy", .args = "[-f] name", .run = run_destroy,
	.enters = true,
	.help =
	    "Remove a jail: its root, snapshots, jail.conf and the jail.conf.d\n"
	    "include.  A running jail is refused unless -f is given.\n"
	    "  -f  stop the jail first if it runs\n",
};
