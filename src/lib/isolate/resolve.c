/*
 * Paths inside a jail's root.  The root is an O_PATH descriptor and every
 * lookup goes through openat2(2) with RESOLVE_IN_ROOT: "..", absolute
 * symlinks and relative ones are all taken as if the root were "/", so
 * whatever the jail planted in its tree, the result lies below the root.
 * Missing directories are made one component at a time, each in a parent
 * that was itself resolved that way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

int
root_open(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* The parent of the last component, resolved in the root. */
static int
open_parent(int rootfd, const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (slash == NULL) {
		*base = path;
		return root_open(rootfd, ".", O_PATH | O_DIRECTORY);
	}
	*base = slash + 1;
	dir = xstrndup(path, (size_t)(slash - path));
	fd = root_open(rootfd, dir, O_PATH | O_DIRECTORY);
	free(dir);
	return fd;
}

/* Make one directory; an existing name (even a dangling symlink) is left. */
static int
mkdir_in(int rootfd, const char *path)
{
	const char *base;
	int pfd, r;

	if ((pfd = open_parent(rootfd, path, &base)) == -1)
		return -1;
	r = mkdirat(pfd, base, 0755);
	close(pfd);
	return r == -1 && errno != EEXIST ? -1 : 0;
}

int
root_mkdirs(int rootfd, const char *path)
{
	char *p = xstrdup(path), *s = p;
	int fd = -1, saved;

	for (;;) {
		char *end, c;

		while (*s == '/')
			s++;
		end = s + strcspn(s, "/");
		c = *end;
		*end = '\0';
		fd = root_open(rootfd, p, O_PATH | O_DIRECTORY);
		if (fd == -1 && errno == ENOENT && *s != '\0' &&
		    mkdir_in(rootfd, p) == 0)
			fd = root_open(rootfd, p, O_PATH | O_DIRECTORY);
		*end = c;
		if (fd == -1 || c == '\0')
			break;
		close(fd);
		s = end;
	}
	saved = errno;
	free(p);
	errno = saved;
	return fd;
}

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
