/*
 * gaol convert NAME: a thin jail made thick, Bastille's convert: its
 * root no longer shares the release (which can then be destroyed or
 * updated without touching it).
 */
#include <stdio.h>

#include "gaol.h"
#include "state/registry.h"
#include "store/store.h"

static int
run_convert(int argc, char **argv)
{
	while (verb_getopt(&verb_convert, argc, argv, "") != -1)
		;
	if (argc - optind != 1)
		usage_error(&verb_convert);
	if (registry_running(argv[optind])) {
		fprintf(stderr, "gaol: %s: running: stop it first\n",
		    argv[optind]);
		return 1;
	}
	if (store_convert(argv[optind]) == -1)
		lib_fail();
	printf("%s: thick\n", argv[optind]);
	return 0;
}

const struct verb verb_convert = {
	.name = "convert", .args = "name", .run = run_convert,
	.help =
	    "Make a stopped thin jail thick: a full root of its own, the\n"
	    "release's files with the jail's changes, no longer sharing the\n"
	    "release.  On overlay the merged root is copied into place; on\n"
	    "btrfs a thin root is already a subvolume of its own and is only\n"
	    "recorded as thick.  Snapshots of the thin root must go first.\n",
};
