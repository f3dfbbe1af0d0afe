/*
 * Paths inside a root directory.  The root is an O_PATH descriptor and every
 * lookup goes through openat2(2) with RESOLVE_IN_ROOT: "..", absolute
 * symlinks and relative ones are all taken as if the root were "/", so
 * whatever a jail or a tarball planted in its tree, the result lies below
 * the root.  Missing directories are made one component at a time, each
 * in a parent that was itself resolved that way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

int
root_open(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd, tries = 0;

	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	/*
	 * EAGAIN: a rename or mount anywhere on the system raced a ".."
	 * of this lookup, and the kernel could not prove it stayed in the
	 * root; openat2(2) says to try again (busy hosts see it).
	 */
	do
		fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd == -1 && errno == EAGAIN && ++tries < 100);
	return fd;
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
