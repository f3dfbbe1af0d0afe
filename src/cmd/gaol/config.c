/*
 * gaol config NAME get [KEY] | NAME set KEY VALUE: a jail's storage
 * properties (quota, reservation, compression) and its address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "store/store.h"

static int
run_config(int argc, char **argv)
{
	char *v;

	while (verb_getopt(&verb_config, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc == 4 && strcmp(argv[1], "set") == 0) {
		if (store_prop_set(argv[0], argv[2], argv[3]) == -1)
			lib_fail();
		return 0;
	}
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "get") == 0) {
		for (size_t i = 0; store_props[i] != NULL; i++) {
			const char *key = argc == 3 ? argv[2] : store_props[i];

			if ((v = store_prop_get(argv[0], key)) == NULL)
				lib_fail();
			if (argc == 3) {
				printf("%s\n", v);
				free(v);
				return 0;
			}
			printf("%-12s %s\n", key, v);
			free(v);
		}
		return 0;
	}
	usage_error(&verb_config);
}

const struct verb verb_config = {
	.name = "config", .args = "name get [key] | name set key value",
	.run = run_config,
	.help =
	    "Read or change a jail's properties:\n"
	    "  quota        a size (10G, 512M) or none; enforced on btrfs\n"
	    "               (qgroups), \"not supported\" on dir and overlay\n"
	    "  reservation  space kept for the jail alone: no backend here\n"
	    "               has it (zfs will); \"not supported\" says so\n"
	    "  compression  zstd, lzo, zlib or off, for what is written from\n"
	    "               now on; btrfs only\n"
	    "  ip           the jail's address in its jail.conf, or none\n"
	    "  release, backend, thin    read-only\n",
};
