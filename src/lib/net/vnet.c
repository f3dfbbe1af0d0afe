/*
 * A VNET jail's network namespace outlives its init: a bind mount of
 * /proc/PID/ns/net under $GAOL_RUNDIR/netns keeps it, with the
 * interfaces moved into it, until gaol moves them back to the host and
 * drops the mount.  Without it, a jail that died by itself would take
 * its veth ends with it (the kernel destroys them with the namespace)
 * and send physical devices to the machine's initial namespace, not
 * necessarily the one they came from.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "net.h"

int
net_netns_pin(pid_t pid, const char *path)
{
	char src[64];
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		gerr_set_errno("%s", path);
		return -1;
	}
	close(fd);
	snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)pid);
	if (mount(src, path, NULL, MS_BIND, NULL) == -1) {
		gerr_set_errno("bind %s on %s", src, path);
		unlink(path);
		return -1;
	}
	return 0;
}

int
net_netns_unpin(const char *path)
{
	if (umount2(path, MNT_DETACH) == -1 && errno != EINVAL &&
	    errno != ENOENT) {
		gerr_set_errno("unmount %s", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		gerr_set_errno("%s", path);
		return -1;
	}
	return 0;
}
