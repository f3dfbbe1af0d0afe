/*
 * gaol bootstrap: make a release, or update one (src/lib/release).
 *	gaol bootstrap [-q] busybox|SUITE|FILE|URL [NAME] [--sha256 X]
 *	    [--include PKG,...] [--mirror URL]
 *	gaol bootstrap [-q] RELEASE update
 * Options may come after the words, as the guide writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "release/release.h"

static int
run_bootstrap(int argc, char **argv)
{
	struct release_opts o = { 0 };
	char *words[2] = { NULL, NULL }, *name;
	int c, n = 0;

	/* Options may follow the words: take a word whenever getopt stops. */
	while (optind < argc) {
		c = verb_getopt(&verb_bootstrap, argc, argv, "qS:I:M:");
		if (c == -1) {
			if (optind >= argc)
				break;
			if (n == 2)
				usage_error(&verb_bootstrap);
			words[n++] = argv[optind++];
		} else if (c == 'q') {
			o.quiet = true;
		} else if (c == 'S') {
			o.sha256 = optarg;
		} else if (c == 'I') {
			o.include = optarg;
		} else if (c == 'M') {
			o.mirror = optarg;
		}
	}
	if (n == 0)
		usage_error(&verb_bootstrap);
	if (!o.quiet && isatty(STDERR_FILENO))
		o.progress = draw_progress;
	if (n == 2 && strcmp(words[1], "update") == 0) {
		if (o.sha256 != NULL || o.include != NULL || o.mirror != NULL)
			usage_error(&verb_bootstrap);
		if (release_update(words[0], &o) == -1)
			lib_fail();
		return 0;
	}
	name = n == 2 ? xstrdup(words[1]) : release_default_name(words[0]);
	if (release_bootstrap(words[0], name, &o) == -1)
		lib_fail();
	free(name);
	return 0;
}

const struct verb verb_bootstrap = {
	.name = "bootstrap",
	.args = "[-q] busybox|SUITE|FILE|URL [NAME] [--sha256 X] "
	    "[--include PKG,...] [--mirror URL] | RELEASE update",
	.run = run_bootstrap, .enters = true,
	.help =
	    "Make a release in $GAOL_DATADIR/releases/NAME: busybox (offline,\n"
	    "from the host's busybox), a suite debootstrap knows (bookworm...),\n"
	    "or a root file system tarball, a file or an http(s) URL, in any\n"
	    "compression.  Every release gets gaol's small rc (/etc/rc,\n"
	    "rc.shutdown, service, policy-rc.d).  `RELEASE update` applies the\n"
	    "release's own package updates without starting services.\n"
	    "  -q             no progress bar, no tool output\n"
	    "  --sha256 X     the tarball's expected SHA-256\n"
	    "  --include P,.. more packages for debootstrap\n"
	    "  --mirror URL   debootstrap's mirror\n",
};
