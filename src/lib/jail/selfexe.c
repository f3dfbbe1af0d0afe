/*
 * A process that enters a jail runs this program's binary.  Should the
 * jail get it to exec /proc/self/exe (a "#!/proc/self/exe" script, as in
 * runc's CVE-2019-5736), the jail would hold the host's binary, and its
 * root, which owns host files under the identity map, could rewrite it.
 * So jail and jexec run themselves from a read-only mount: a private,
 * detached, read-only bind of their own binary (no copy, so a jail's
 * init costs no memory for it), or, where that cannot be made, a sealed
 * memfd copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int
readonly_bind(void)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
	int fd;

	fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
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
sealed_copy(void)
{
	int src, fd;
	struct stat st;
	off_t off = 0;

	if ((src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) == -1)
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

static bool
self_protected(void)
{
	struct statvfs sv;
	char link[64];
	ssize_t n;

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
	int fd;

	if (self_protected())
		return 0;
	if ((fd = readonly_bind()) == -1 && (fd = sealed_copy()) == -1) {
		gerr_set_errno("cannot protect this program's executable");
		return -1;
	}
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	gerr_set_errno("re-executing from a read-only copy");
	close(fd);
	return -1;
}
