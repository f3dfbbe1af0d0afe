/*
 * gaol create [-T] NAME RELEASE [IP]: a jail from a release, with its
 * own jail.conf under the jail's directory, included from jail.conf.d.
 */
#include <stdio.h>
#include <string.h>

#include "gaol.h"
#include "store/store.h"

static int
run_create(int argc, char **argv)
{
	bool thick = false;
	struct sjail j;
	int c;

	while ((c = verb_getopt(&verb_create, argc, argv, "T")) != -1)
		if (c == 'T')
			thick = true;
	argc -= optind;
	argv += optind;
	if (store_jail_create(argv[0], argv[1], argc == 3 ? argv[2] : NULL,
	    thick) == -1)
		lib_fail();
	/* Asked for thin, got a copy: say so once, here. */
	if (!thick && store_jail_load(argv[0], &j) == 0) {
		if (!j.thin)
			fprintf(stderr, "gaol: %s: the %s backend has no thin "
			    "jails: made a full copy\n", j.name, j.backend);
		sjail_free(&j);
	}
	return 0;
}

const struct verb verb_create = {
	.name = "create", .args = "[-T] name release [ip]", .run = run_create,
	.min_args = 2, .max_args = 3,
	.help =
	    "Make a jail from a release (see gaol list releases).  The jail is\n"
	    "thin by default: it shares the release and keeps only its own\n"
	    "changes (overlay and btrfs backends; the dir backend copies).\n"
	    "Its block is written to DATADIR/jails/name/jail.conf and included\n"
	    "from SYSCONFDIR/jail.conf.d/name.conf, so jail -c name, service\n"
	    "jail and gaol start all know it.  ip becomes ip4.addr (ip6.addr\n"
	    "when it has a colon); \"iface|addr/mask\" works as in jail.conf.\n"
	    "  -T  thick: a full copy of the release (reflinks where the file\n"
	    "      system has them)\n",
};
