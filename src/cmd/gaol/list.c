/*
 * gaol list [jails]: the jails gaol made, with their state, storage and
 * address.  gaol list releases: the releases, their size and the jails
 * using them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "state/registry.h"
#include "rctl/rctl.h"
#include "release/release.h"
#include "store/store.h"

static int
list_jails(bool quiet)
{
	struct strlist names = { 0 };

	if (!quiet)
		printf("%-16s %-8s %-8s %-6s %-16s %s\n", "NAME", "STATE",
		    "BACKEND", "TYPE", "RELEASE", "IP");
	store_jail_names(&names);
	for (size_t i = 0; i < names.n; i++) {
		struct sjail j;

		if (store_jail_load(names.v[i], &j) == -1)
			continue;
		if (quiet)
			printf("%s\n", j.name);
		else
			printf("%-16s %-8s %-8s %-6s %-16s %s\n", j.name,
			    registry_running(j.name) ? "Up" : "Down", j.backend,
			    j.thin ? "thin" : "thick",
			    j.release ? j.release : "-", j.ip ? j.ip : "-");
		sjail_free(&j);
	}
	strlist_clear(&names);
	return 0;
}

static int
list_releases(bool quiet)
{
	struct strlist names = { 0 };

	if (!quiet)
		printf("%-16s %7s %s\n", "RELEASE", "SIZE", "JAILS");
	store_release_names(&names);
	for (size_t i = 0; i < names.n; i++) {
		struct strlist users = { 0 };
		char *u, size[16];

		store_release_users(names.v[i], &users);
		u = strlist_join(&users, ",");
		if (quiet)
			printf("%s\n", names.v[i]);
		else {
			rhumanize((int64_t)release_bytes(names.v[i]), size,
			    sizeof(size));
			printf("%-16s %7s %s\n", names.v[i], size,
			    users.n ? u : "-");
		}
		free(u);
		strlist_clear(&users);
	}
	strlist_clear(&names);
	return 0;
}

static int
run_list(int argc, char **argv)
{
	bool quiet = false, releases = false;
	int c;

	while ((c = verb_getopt(&verb_list, argc, argv, "qr")) != -1)
		if (c == 'q')
			quiet = true;
		else if (c == 'r')
			releases = true;
	if (optind < argc && strcmp(argv[optind], "releases") == 0)
		releases = true, optind++;
	else if (optind < argc && strcmp(argv[optind], "jails") == 0)
		optind++;
	if (optind != argc)
		usage_error(&verb_list);
	return releases ? list_releases(quiet) : list_jails(quiet);
}

const struct verb verb_list = {
	.name = "list", .args = "[-q] [-r | jails | releases]", .run = run_list,
	.help =
	    "List the jails gaol made: name, state (Up or Down), storage\n"
	    "backend, thin or thick, release and address.  With -r or\n"
	    "`releases`, the releases, their size and the thin jails that\n"
	    "use them.\n"
	    "  -q  names only\n",
};
