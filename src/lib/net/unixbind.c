/*
 * Binding abstract unix socket names from a jail on the host's network
 * stack.  The abstract namespace belongs to the network namespace, so a
 * name such a jail binds is one host clients connect to (squatting).
 * Landlock's scope (landlock.c) covers connecting out, not binding, and
 * this kernel has no hook that sees a unix bind's address from a jail's
 * cgroup (docs/design/isolation.md).  So every process of such a jail
 * runs under a seccomp filter that hands each bind(2) to the jail's init
 * (user notification, src/lib/jail/guard.c), and the init makes the
 * call itself, here, from a copy
 * of the address it checked, on the caller's own socket (pidfd_getfd):
 *
 *  - an abstract name on a unix socket: EPERM;
 *  - a path: in a helper with the caller's root, working directory,
 *    filesystem ids and umask, so the socket file is what the caller
 *    would have made;
 *  - anything else (autobind, inet, netlink): as it is.  The socket's
 *    cgroup is still the jail's, so the inherited-IP BPF hooks hold.
 *
 * Answering "continue" instead would race: another thread can rewrite
 * the address, or the descriptor, between the check and the kernel's
 * own reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "net.h"

/* Number N (1-based, in BASE) of the line of /proc/PID/status KEY. */
static unsigned long
status_field(const char *status, const char *key, int n, int base)
{
	const char *p = strstr(status, key);
	unsigned long v = 0;
	char *end;

	if (p == NULL)
		return (unsigned long)-1;
	p += strlen(key);
	for (int i = 0; i < n; i++, p = end)
		v = strtoul(p, &end, base);
	return v;
}

/*
 * In a child of the init: become the caller as far as a path lookup
 * and a file's creation go, and bind.  Exits with the errno, or 0.
 */
static void __attribute__((noreturn))
bind_as(int procfd, pid_t pid, int sock, const struct sockaddr_un *sa,
    socklen_t len)
{
	char path[64], status[4096];
	gid_t groups[64];
	ssize_t n;
	int fd, ngroups = 0;
	const char *g;

	snprintf(path, sizeof(path), "%d/status", (int)pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    (n = read(fd, status, sizeof(status) - 1)) <= 0)
		_exit(EPERM);
	status[n] = '\0';
	close(fd);
	if ((g = strstr(status, "\nGroups:")) != NULL) {
		char *end;

		g += 8;
		while (ngroups < 64) {
			unsigned long v = strtoul(g, &end, 10);

			if (end == g)
				break;
			groups[ngroups++] = (gid_t)v;
			g = end;
		}
	}
	snprintf(path, sizeof(path), "%d/root", (int)pid);
	if ((fd = openat(procfd, path, O_PATH | O_DIRECTORY)) == -1 ||
	    fchdir(fd) == -1 || chroot(".") == -1)
		_exit(EPERM);
	close(fd);
	snprintf(path, sizeof(path), "%d/cwd", (int)pid);
	if ((fd = openat(procfd, path, O_PATH | O_DIRECTORY)) == -1 ||
	    fchdir(fd) == -1)
		_exit(EPERM);
	close(fd);
	if (setgroups((size_t)ngroups, groups) == -1)
		_exit(EPERM);
	setfsgid((gid_t)status_field(status, "\nGid:", 4, 10));
	setfsuid((uid_t)status_field(status, "\nUid:", 4, 10));
	umask((mode_t)status_field(status, "\nUmask:", 1, 8) & 07777);
	_exit(bind(sock, (const struct sockaddr *)sa, len) == -1 ? errno : 0);
}

int
net_unix_bind_answer(const struct seccomp_notif *req, int listener,
    int procfd)
{
	struct sockaddr_storage ss;
	socklen_t len = (socklen_t)req->data.args[2];
	struct iovec local = { &ss, len }, remote = {
		(void *)(uintptr_t)req->data.args[1], len };
	int pidfd, sock, domain = 0, r, status;
	socklen_t dlen = sizeof(domain);
	pid_t pid = (pid_t)req->pid, child;
	__u64 id = req->id;

	if (len > sizeof(ss))
		return -EINVAL;
	if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return -ESRCH;
	/* The pid is the caller's while its notification is pending. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == -1) {
		close(pidfd);
		return -ESRCH;
	}
	sock = (int)syscall(SYS_pidfd_getfd, pidfd,
	    (int)req->data.args[0], 0);
	close(pidfd);
	if (sock == -1)
		return -EBADF;
	memset(&ss, 0, sizeof(ss));
	if (len > 0 && process_vm_readv(pid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)len) {
		close(sock);
		return -EFAULT;
	}
	if (getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) == -1) {
		r = -errno;
		close(sock);
		return r;
	}
	if (domain != AF_UNIX || len <= sizeof(sa_family_t) ||
	    ss.ss_family != AF_UNIX) {
		r = bind(sock, (struct sockaddr *)&ss, len) == -1 ? -errno : 0;
		close(sock);
		return r;
	}
	if (((struct sockaddr_un *)&ss)->sun_path[0] == '\0') {
		close(sock);
		return -EPERM;
	}
	if ((child = fork()) == -1) {
		r = -errno;
		close(sock);
		return r;
	}
	if (child == 0)
		bind_as(procfd, pid, sock, (struct sockaddr_un *)&ss, len);
	close(sock);
	while (waitpid(child, &status, 0) == -1)
		if (errno != EINTR)
			return -EIO;
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -EIO;
}
