/*
 * gaol import [-q] FILE|- [NAME [IP]]: a jail from gaol export's stream.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "store/store.h"

static int
run_import(int argc, char **argv)
{
	struct stream_watch watch;
	int fd = 0, r;
	bool quiet = false;

	while (verb_getopt(&verb_import, argc, argv, "q") != -1)
		quiet = true;
	argc -= optind;
	argv += optind;
	if (strcmp(argv[0], "-") != 0 &&
	    (fd = open(argv[0], O_RDONLY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", argv[0]);
		lib_fail();
	}
	stream_watch_start(&watch, fd, true, "import", quiet);
	r = store_import(fd, argc >= 2 ? argv[1] : NULL,
	    argc == 3 ? argv[2] : NULL);
	stream_watch_stop(&watch, r == 0);
	if (fd != 0)
		close(fd);
	if (r == -1)
		lib_fail();
	return 0;
}

const struct verb verb_import = {
	.name = "import", .args = "[-q] file | - [name [ip]]", .run = run_import,
	.min_args = 1, .max_args = 3,
	.help =
	    "Make a jail from what gaol export wrote, read from file or\n"
	    "standard input (-), named as it was exported or name, with its\n"
	    "address or ip.  A btrfs stream needs the btrfs backend; a\n"
	    "tarball goes anywhere.  A --raw export is taken from a file\n"
	    "when a name is given.  A failed import leaves no jail behind.\n"
	    "  -q  no progress on a terminal\n",
};
