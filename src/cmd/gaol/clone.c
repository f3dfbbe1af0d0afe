/*
 * gaol clone NAME NEWNAME [IP]: a new jail from the current state of
 * another; a writable snapshot on btrfs, a copy of the upper layer on
 * overlay: near-instant and near-zero space on both.
 */
#include "gaol.h"
#include "store/store.h"

static int
run_clone(int argc, char **argv)
{
	while (verb_getopt(&verb_clone, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (store_clone(argv[0], argv[1], argc == 3 ? argv[2] : NULL) == -1)
		lib_fail();
	return 0;
}

const struct verb verb_clone = {
	.name = "clone", .args = "name newname [ip]", .run = run_clone,
	.min_args = 2, .max_args = 3,
	.help =
	    "Make newname from name's root as it is now, with its own\n"
	    "jail.conf (hostname newname, address ip or none).  Stop the jail\n"
	    "(or snapshot it) first for a consistent copy of its files.\n",
};
