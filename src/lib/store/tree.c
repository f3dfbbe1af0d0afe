/*
 * Whole trees: copy, remove, and tar them.  GNU cp and tar keep every
 * owner, mode, timestamp, hard link, device node, xattr and ACL, and cp
 * clones file extents (FICLONE) where the file system can, so a copy on
 * btrfs or xfs costs metadata only.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int
tool_run(char *const argv[], int in, int out, const char *what)
{
	int st = run_argv(argv, in, out);

	if (st == 0)
		return 0;
	if (st > 0)
		gerr_set("%s: %s failed (exit %d)", what, argv[0], st);
	return -1;
}

int
tree_copy(const char *from, const char *to)
{
	char *argv[] = { "cp", "-a", "--reflink=auto", "--", (char *)from,
	    (char *)to, NULL };

	return tool_run(argv, -1, -1, to);
}

int
tree_remove(const char *path)
{
	char *clean = path_clean(path), *data = path_clean(gaol_datadir());
	char *argv[] = { "rm", "-rf", "--one-file-system", "--", clean, NULL };
	int r = -1;

	/* Never anything outside gaol's own data. */
	if (!path_within(clean, data) || strcmp(clean, data) == 0)
		gerr_set("%s: not under %s, not removed", clean, data);
	else
		r = tool_run(argv, -1, -1, clean);
	free(clean);
	free(data);
	return r;
}

#define TAR_OPTS "--numeric-owner", "--xattrs", "--xattrs-include=*", \
	"--acls", "--zstd"

int
tar_send(const char *root, int fd)
{
	char *argv[] = { "tar", "-C", (char *)root, TAR_OPTS, "-cpf", "-",
	    ".", NULL };

	return tool_run(argv, -1, fd, root);
}

int
tar_receive(const char *root, int fd)
{
	char *argv[] = { "tar", "-C", (char *)root, TAR_OPTS, "-xpf", "-",
	    NULL };

	return tool_run(argv, fd, -1, root);
}
