/*
 * gaol export [-q] [--tar] [--raw] NAME [FILE|-]: the jail as one stream, to
 * move it to another host: gaol export web - | ssh other gaol import -
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gaol.h"
#include "store/store.h"

static int
run_export(int argc, char **argv)
{
	struct stream_watch watch;
	int c, flags = 0, fd, r;
	bool quiet = false;
	char *path = NULL;
	const char *name;

	while ((c = verb_getopt(&verb_export, argc, argv, "qtr")) != -1)
		if (c == 'q')
			quiet = true;
		else if (c == 't')
			flags |= STORE_EXPORT_TAR;
		else if (c == 'r')
			flags |= STORE_EXPORT_RAW;
	argc -= optind;
	argv += optind;
	name = argv[0];
	if (argc == 2 && strcmp(argv[1], "-") == 0) {
		if (isatty(1)) {
			fprintf(stderr, "gaol: %s: not writing an export to a "
			    "terminal\n", name);
			return 1;
		}
		stream_watch_start(&watch, 1, false, "export", quiet);
		r = store_export(name, 1, flags);
		stream_watch_stop(&watch, r == 0);
		return r == -1 ? (lib_fail(), 1) : 0;
	}
	if (argc == 2)
		path = xstrdup(argv[1]);
	else {
		char stamp[32], *dir = xasprintf("%s/backups", gaol_datadir());
		time_t now = time(NULL);

		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&now));
		if (mkdir_p(dir, 0700) == -1)
			lib_fail();
		path = xasprintf("%s/%s-%s.gaol", dir, name, stamp);
		free(dir);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1) {
		gerr_set_errno("%s", path);
		lib_fail();
	}
	stream_watch_start(&watch, fd, false, "export", quiet);
	r = store_export(name, fd, flags);
	stream_watch_stop(&watch, r == 0);
	if (r == -1 || close(fd) == -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		unlink(path);
		return 1;
	}
	if (argc == 1)
		printf("%s\n", path);
	free(path);
	return 0;
}

const struct verb verb_export = {
	.name = "export", .args = "[-q] [--tar] [--raw] name [file | -]",
	.run = run_export, .min_args = 1, .max_args = 2,
	.help =
	    "Write the jail to file, to standard output (-), or to\n"
	    "DATADIR/backups/name-YYYYmmdd-HHMMSS.gaol (printed).  The stream\n"
	    "is a short header and the backend's own format: a btrfs send\n"
	    "stream on btrfs, a zstd tarball of the root elsewhere.  It holds\n"
	    "the whole root: gaol import makes a thick jail of it anywhere.\n"
	    "  -q     no progress on a terminal\n"
	    "  --tar  a zstd tarball on btrfs too (for a host without btrfs)\n"
	    "  --raw  no header: a plain btrfs send stream or .tar.zst, for\n"
	    "         btrfs receive or tar; gaol import then needs a name\n",
};
