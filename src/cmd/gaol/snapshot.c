/*
 * gaol snapshot NAME [TAG] | NAME list | NAME destroy TAG: the jail's
 * snapshots, as zfs snapshot pool/jails/NAME@TAG.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gaol.h"
#include "store/store.h"

static int
run_snapshot(int argc, char **argv)
{
	const char *name;
	char tag[32];

	while (verb_getopt(&verb_snapshot, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	name = argv[0];
	if (argc >= 2 && strcmp(argv[1], "list") == 0) {
		struct strlist tags = { 0 };
		struct sjail j;

		if (argc != 2)
			usage_error(&verb_snapshot);
		if (store_jail_load(name, &j) == -1)
			lib_fail();
		sjail_free(&j);
		store_snapshot_list(name, &tags);
		for (size_t i = 0; i < tags.n; i++)
			printf("%s@%s\n", name, tags.v[i]);
		strlist_clear(&tags);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "destroy") == 0) {
		if (argc != 3)
			usage_error(&verb_snapshot);
		if (store_snapshot_destroy(name, argv[2]) == -1)
			lib_fail();
		return 0;
	}
	if (argc == 3)
		usage_error(&verb_snapshot);
	if (argc == 1) {
		time_t now = time(NULL);

		strftime(tag, sizeof(tag), "%Y%m%d-%H%M%S", gmtime(&now));
	} else
		snprintf(tag, sizeof(tag), "%s", argv[1]);
	if (store_snapshot(name, argc == 2 ? argv[1] : tag) == -1)
		lib_fail();
	printf("%s@%s\n", name, argc == 2 ? argv[1] : tag);
	return 0;
}

const struct verb verb_snapshot = {
	.name = "snapshot", .args = "name [tag] | name list | name destroy tag",
	.run = run_snapshot, .min_args = 1, .max_args = 3,
	.help =
	    "Take a snapshot of the jail's root named tag (default: the UTC\n"
	    "time, YYYYmmdd-HHMMSS) and print name@tag; list the snapshots;\n"
	    "destroy one.  A snapshot is read-only and instant on btrfs, a\n"
	    "copy of the upper layer on overlay, a copy of the root on dir.\n",
};
