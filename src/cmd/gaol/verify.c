/*
 * gaol verify RELEASE: the release's files against its manifest (what
 * bootstrap and update recorded), as freebsd-update IDS checks a base
 * system.  Bastille's verify of a template is a dry read of its
 * Bastillefile; gaol template reports bad lines as it runs them.
 */
#include <stdio.h>

#include "gaol.h"
#include "release/release.h"

static int
run_verify(int argc, char **argv)
{
	struct strlist report = { 0 };
	bool wrote;
	size_t n;

	while (verb_getopt(&verb_verify, argc, argv, "") != -1)
		;
	if (argc - optind != 1)
		usage_error(&verb_verify);
	if (release_verify(argv[optind], &report, &wrote) == -1)
		lib_fail();
	if (wrote) {
		printf("%s: no manifest: recorded the release as it is now\n",
		    argv[optind]);
		return 0;
	}
	for (size_t i = 0; i < report.n; i++)
		printf("%s\n", report.v[i]);
	if (report.n > 0)
		fprintf(stderr, "gaol: %s: %zu difference%s from its "
		    "manifest\n", argv[optind], report.n,
		    report.n == 1 ? "" : "s");
	else
		printf("%s: every file matches its manifest\n", argv[optind]);
	n = report.n;
	strlist_clear(&report);
	return n > 0;
}

const struct verb verb_verify = {
	.name = "verify", .args = "release", .run = run_verify,
	.help =
	    "Check a release's files against its manifest: type, mode, owner\n"
	    "and sha256 (a symlink's target) of every file, recorded in\n"
	    "DATADIR/manifests/release by bootstrap and bootstrap update.\n"
	    "Prints one line a difference (content:, mode:, owner:, type:,\n"
	    "target:, missing:, new:) and exits 1 when there is any.  A release\n"
	    "with no manifest (bootstrapped by an older gaol) gets one now.\n",
};
