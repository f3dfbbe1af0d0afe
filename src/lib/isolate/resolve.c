/*
 * Paths inside a jail's root, over util's root_open and root_mkdirs
 * (openat2 RESOLVE_IN_ROOT: whatever the jail planted in its tree, the
 * result lies below the root).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

int
root_mkfile(int rootfd, const char *path)
{
	const char *slash = strrchr(path, '/'), *base;
	char *dir;
	int fd, pfd, nfd;

	if ((fd = root_open(rootfd, path, O_PATH)) != -1 || errno != ENOENT)
		return fd;
	dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	base = slash ? slash + 1 : path;
	pfd = root_mkdirs(rootfd, dir);
	free(dir);
	if (pfd == -1)
		return -1;
	/* O_NOFOLLOW|O_EXCL: never create through a symlink. */
	nfd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	close(pfd);
	if (nfd == -1 && errno != EEXIST)
		return -1;
	if (nfd != -1)
		close(nfd);
	return root_open(rootfd, path, O_PATH);
}

/*
 * FreeBSD's fstab names the mount point as a host path inside the jail's
 * path (/usr/local/jails/x/mnt); gaol also takes it relative to the jail
 * (/mnt).  The result is a path inside the jail's root.
 */
const char *
jail_relative(const char *jailpath, const char *target)
{
	size_t n = strlen(jailpath);

	while (n > 1 && jailpath[n - 1] == '/')
		n--;
	if (n > 1 && strncmp(target, jailpath, n) == 0 &&
	    (target[n] == '/' || target[n] == '\0'))
		return target[n] == '\0' ? "/" : target + n;
	return target;
}
