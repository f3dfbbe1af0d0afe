/*
 * gaol.masked_paths, gaol.readonly_paths and gaol.readonly: walls a jail
 * asks for beyond gaol's own (the OCI runtime's linux.maskedPaths,
 * linux.readonlyPaths and root.readonly; jail.conf may set them too).
 * Applied last in the view, over /proc, /dev and /sys as mounted, so a
 * path below any of them is reached.  A path the jail does not have is
 * skipped, as runc does; paths are resolved inside the jail's root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

/* Apply fn (or the cover that fits the file's type) to one path. */
static int
one_path(int rootfd, const char *param, const char *path,
    int (*fn)(int, const char *))
{
	const char *rel = path, *slash;
	char *dir;
	struct stat st;
	int pfd, r;

	while (*rel == '/')
		rel++;
	if (*rel == '\0' || path[0] != '/') {
		gerr_set("%s: %s: not an absolute path below the jail's root",
		    param, path);
		return -1;
	}
	slash = strrchr(rel, '/');
	dir = slash != NULL ? xstrndup(rel, (size_t)(slash - rel)) :
	    xstrdup(".");
	pfd = root_open(rootfd, dir, O_PATH | O_DIRECTORY);
	free(dir);
	if (pfd == -1 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (pfd == -1) {
		gerr_set_errno("%s: %s", param, path);
		return -1;
	}
	rel = slash != NULL ? slash + 1 : rel;
	if (fstatat(pfd, rel, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		r = errno == ENOENT ? 0 : -1;
		if (r == -1)
			gerr_set_errno("%s: %s", param, path);
		close(pfd);
		return r;
	}
	if (fn == NULL)
		fn = S_ISDIR(st.st_mode) ? mnt_cover_dir : mnt_cover_file;
	if ((r = fn(pfd, rel)) == -1)
		gerr_set_errno("%s: %s", param, path);
	close(pfd);
	return r;
}

static int
each_path(const struct jail_spec *spec, int rootfd, const char *param,
    int (*fn)(int, const char *))
{
	struct jparam *p = jparams_find(&spec->params, param);

	for (size_t i = 0; p != NULL && i < p->val.n; i++)
		if (one_path(rootfd, param, p->val.v[i], fn) == -1)
			return -1;
	return 0;
}

int
isolate_paths(const struct jail_spec *spec, int rootfd)
{
	if (each_path(spec, rootfd, "gaol.readonly_paths", mnt_ro) == -1 ||
	    each_path(spec, rootfd, "gaol.masked_paths", NULL) == -1)
		return -1;
	/* The root's own mount only: what is mounted on it keeps its mode. */
	if (jparams_bool(&spec->params, "gaol.readonly") &&
	    mnt_setattr(rootfd, MOUNT_ATTR_RDONLY, false) == -1) {
		gerr_set_errno("gaol.readonly: path %s", spec->path);
		return -1;
	}
	return 0;
}
