/*
 * gaol config TARGET get [KEY] | TARGET set KEY VALUE: jails' storage
 * properties (quota, reservation, compression) and addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "store/store.h"

struct change {
	const char	*key, *value;
};

static int
set_one(const char *name, void *arg)
{
	const struct change *c = arg;

	return store_prop_set(name, c->key, c->value);
}

/* One property's value, or all of them a line each; -1: message. */
static int
get_one(const char *name, const char *key)
{
	char *v;

	for (size_t i = 0; store_props[i] != NULL; i++) {
		if ((v = store_prop_get(name, key ? key : store_props[i])) ==
		    NULL)
			return -1;
		if (key != NULL) {
			printf("%s\n", v);
			free(v);
			return 0;
		}
		printf("%-12s %s\n", store_props[i], v);
		free(v);
	}
	return 0;
}

static int
run_config(int argc, char **argv)
{
	struct strlist jails = { 0 };
	int failed = 0;

	while (verb_getopt(&verb_config, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc == 4 && strcmp(argv[1], "set") == 0)
		return target_each(argv[0], 0, set_one,
		    &(struct change){ argv[2], argv[3] });
	if ((argc != 2 && argc != 3) || strcmp(argv[1], "get") != 0)
		usage_error(&verb_config);
	target_or_fail(argv[0], 0, &jails);
	for (size_t i = 0; i < jails.n; i++) {
		if (jails.n > 1)
			printf("[%s]:\n", jails.v[i]);
		if (get_one(jails.v[i], argc == 3 ? argv[2] : NULL) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	}
	strlist_clear(&jails);
	return failed;
}

const struct verb verb_config = {
	.name = "config", .args = "target get [key] | target set key value",
	.run = run_config,
	.help =
	    "Read or change the properties of the jails of target (each\n"
	    "one's under a [name]: line when there are several):\n"
	    "  quota        a size (10G, 512M) or none; enforced on btrfs\n"
	    "               (qgroups), \"not supported\" on dir and overlay\n"
	    "  reservation  space kept for the jail alone: no backend here\n"
	    "               has it (zfs will); \"not supported\" says so\n"
	    "  compression  zstd, lzo, zlib or off, for what is written from\n"
	    "               now on; btrfs only\n"
	    "  ip           the jail's address in its jail.conf, or none\n"
	    "  release, backend, thin    read-only\n",
};
