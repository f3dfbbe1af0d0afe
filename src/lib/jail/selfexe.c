/*
 * A process that enters a jail runs this program's binary.  Should the
 * jail get it to exec /proc/self/exe (a "#!/proc/self/exe" script, as in
 * runc's CVE-2019-5736), the jail would hold the host's binary, and its
 * root, which owns host files under the identity map, could rewrite it.
 * So jail and jexec run themselves from a read-only mount: a private,
 * detached, read-only bind of their own binary (no copy, so a jail's
 * init costs no memory for it), or, where that cannot be made, a sealed
 * memfd copy.
 *
 * A jail without /proc (mount.procfs unset) has no /proc/self/exe: there
 * the binary is the file the program was run as (AT_EXECFN), and the
 * copy is executed with its descriptor left open, so that the new image,
 * which is run as "/dev/fd/N", can tell by that descriptor that it runs
 * from a read-only copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

#include "../util/util.h"
#include "selfexe.h"

extern char **environ;

/* This program's binary: /proc/self/exe, or the name it was run as. */
static const char *
self_path(void)
{
	const char *execfn;

	if (proc_mounted())
		return "/proc/self/exe";
	execfn = (const char *)getauxval(AT_EXECFN);
	if (execfn == NULL)
		errno = ENOENT;
	return execfn;
}

static int
readonly_bind(const char *self)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	int fd;

	fd = (int)syscall(SYS_open_tree, AT_FDCWD, self,
	    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (fd == -1)
		return -1;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr,
	    sizeof(attr)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
sealed_copy(const char *self)
{
	int src, fd;
	struct stat st;
	off_t off = 0;

	if ((src = open(self, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	fd = memfd_create("gaol", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd == -1 || fstat(src, &st) == -1) {
		close(src);
		return -1;
	}
	while (off < st.st_size)
		if (sendfile(fd, src, &off, (size_t)(st.st_size - off)) <= 0)
			break;
	close(src);
	if (off != st.st_size || fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL |
	    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The descriptor a copy was executed from, open: a read-only mount or
 * a write-sealed memfd.  Closed either way. */
static bool
run_from_copy(void)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	struct statvfs sv;
	long long fd;
	int seals;
	bool ro;

	if (execfn == NULL || strncmp(execfn, "/dev/fd/", 8) != 0 ||
	    parse_int(execfn + 8, &fd) == -1 || fd < 3 || fd > INT_MAX)
		return false;
	seals = fcntl((int)fd, F_GET_SEALS);
	ro = (fstatvfs((int)fd, &sv) == 0 && (sv.f_flag & ST_RDONLY)) ||
	    (seals != -1 && (seals & F_SEAL_WRITE));
	close((int)fd);
	return ro;
}

static bool
self_protected(void)
{
	struct statvfs sv;
	char link[64];
	ssize_t n;

	if (!proc_mounted())
		return run_from_copy();
	if (statvfs("/proc/self/exe", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		return true;
	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if (strncmp(link, "/memfd:gaol", 11) == 0)
			return true;
	}
	return false;
}

int
selfexe_protect(char **argv)
{
	const char *self;
	int fd;

	if (self_protected())
		return 0;
	if ((self = self_path()) == NULL || ((fd = readonly_bind(self)) ==
	    -1 && (fd = sealed_copy(self)) == -1)) {
		gerr_set_errno("cannot protect this program's executable");
		return -1;
	}
	/* Without /proc, the new image finds the copy by its descriptor. */
	if (!proc_mounted())
		(void)fcntl(fd, F_SETFD, 0);
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	gerr_set_errno("re-executing from a read-only copy");
	close(fd);
	return -1;
}
