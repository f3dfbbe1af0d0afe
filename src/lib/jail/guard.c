/*
 * The guard: a seccomp filter that every process of a jail on the host's
 * network stack runs under (spawn.c puts it on each process the init
 * starts; a jail made inside such a jail runs under its parent's), whose
 * listener the jail's init holds.  It hands the init two calls, which
 * the init answers from the caller's arguments as it reads them:
 *
 *  - bind(2): src/lib/net/unixbind.c (abstract unix names);
 *  - openat(2) at INIT_DOOR_FD: the map door, where a `jail -c` in a
 *    jail without /proc opens the uid_map or gid_map of the child it
 *    made (idmap.c); the procfs door, where the init of a jail made in
 *    the jail gets its procfs (procdoor.c); and the network door, where
 *    a nested jail with addresses of its own takes the parent's
 *    inherited-IP maps and cgroup leaf ("net/...", netdoor.c;
 *    docs/design/nested-jails.md).
 *
 * INIT_DOOR_FD is a number the kernel never takes for a descriptor, so
 * an openat at it is otherwise EBADF: no other call is diverted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "internal.h"
#include "../isolate/isolate.h"
#include "../net/net.h"

int
guard_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		/* Other architectures: the jail's main filter kills them. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 6),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_bind, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 3),
		/* The dirfd, an int: the low half of the argument. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)INIT_DOOR_FD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);

	if (fd == -1) {
		int saved = errno;

		gerr_set_errno("seccomp: the jail's guard filter");
		errno = saved;
	}
	return fd;
}

/* The map door's answer: the file, installed as the call's result. */
static int
answer_fd(int listener, __u64 id, int fd, bool cloexec)
{
	struct seccomp_notif_addfd add = {
		.id = id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (__u32)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int r = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);

	close(fd);
	return r == -1 ? -errno : 0;
}

int
guard_serve(int listener, int procfd, int mapsfd, int procdoor)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int fd;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == -1)
		return errno == ENOENT || errno == EINTR ? 0 : -1;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	if (req.data.nr == SYS_openat) {
		fd = idmap_door_open(&req, listener, procfd, mapsfd,
		    procdoor);
		if (fd >= 0)
			fd = answer_fd(listener, req.id, fd,
			    (req.data.args[2] & O_CLOEXEC) != 0);
		/* Sent, or the caller is gone (ENOENT): nothing to say. */
		if (fd == 0 || fd == -ENOENT)
			return 0;
		resp.error = fd;
	} else
		resp.error = net_unix_bind_answer(&req, listener, procfd);
	(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	return 0;
}
