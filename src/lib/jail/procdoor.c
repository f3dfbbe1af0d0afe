/*
 * The procfs door of a jail that may make jails (docs/design/
 * nested-jails.md, "procfs in nested user namespaces"): nothing in such
 * a jail can mount a procfs, so a jail made inside it asks its parent's
 * init, through the guard (openat(INIT_DOOR_FD, "procfs", O_PATH)), for
 * a procfs of its own pid namespace.  The init forwards the caller's
 * pid namespace to a server it forked before sealing, which stayed in
 * the jail's first user namespace and its mount namespace, where a
 * procfs can still be made; the server answers with a detached tree:
 * the procfs, masked as a jail's /proc, every mask locked
 * (isolate_procfs_for).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"
#include "../isolate/isolate.h"

static pid_t server = -1;

/* One request, in a child that ends with it (isolate_procfs_for leaves
 * it in namespaces of its own): the tree, or -errno. */
static int
make(const struct jail_spec *spec, struct procfs_door *d, int nsfd)
{
	char buf[16];
	int sp[2], fd, status;
	ssize_t n;
	pid_t pid;

	if (d->scratch == -1 && isolate_procfs_door_place(d) == -1)
		return -EIO;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1)
		return -errno;
	if ((pid = fork()) == -1) {
		close(sp[0]);
		close(sp[1]);
		return -EAGAIN;
	}
	if (pid == 0) {
		close(sp[0]);
		if ((fd = isolate_procfs_for(spec, nsfd)) == -1) {
			snprintf(buf, sizeof(buf), "%d", errno ? errno : EIO);
			(void)send_fds(sp[1], buf, strlen(buf), NULL, 0);
			_exit(1);
		}
		(void)send_fds(sp[1], "0", 1, &fd, 1);
		_exit(0);
	}
	close(sp[1]);
	n = recv_fd_msg(sp[0], buf, sizeof(buf), &fd);
	close(sp[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (fd >= 0)
		return fd;
	return n > 0 && atoi(buf) > 0 ? -atoi(buf) : -EIO;
}

static void __attribute__((noreturn))
serve(const struct jail_spec *spec, struct procfs_door *d, int sock)
{
	for (;;) {
		char buf[16];
		int nsfd, r;

		if (recv_fd_msg(sock, buf, sizeof(buf), &nsfd) <= 0)
			_exit(0);	/* the init is gone */
		r = nsfd >= 0 ? make(spec, d, nsfd) : -EINVAL;
		if (nsfd >= 0)
			close(nsfd);
		if (r >= 0) {
			(void)send_fds(sock, "0", 1, &r, 1);
			close(r);
		} else {
			snprintf(buf, sizeof(buf), "%d", -r);
			(void)send_fds(sock, buf, strlen(buf), NULL, 0);
		}
	}
}

int
procdoor_start(const struct jail_spec *spec, struct procfs_door *d)
{
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		gerr_set_errno("the procfs door: socketpair");
		return -1;
	}
	if ((server = fork()) == -1) {
		gerr_set_errno("the procfs door: fork");
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	if (server == 0) {
		int from[3] = { sp[1], d->spare, d->null }, to[3] = { 3, 4, 5 };

		/* Nothing of the init's but what it serves with. */
		for (int i = 0; i < 3; i++)
			from[i] = fcntl(from[i], F_DUPFD_CLOEXEC, 64);
		for (int i = 0; i < 3; i++)
			dup3(from[i], to[i], O_CLOEXEC);
		syscall(SYS_close_range, 6, ~0U, 0);
		d->spare = 4;
		d->null = 5;
		serve(spec, d, 3);
	}
	close(sp[1]);
	isolate_procfs_door_close(d);
	return sp[0];
}

pid_t
procdoor_server(void)
{
	return server;
}

/*
 * The tree goes to the caller inside a socket: the guard's answer
 * (SECCOMP_IOCTL_NOTIF_ADDFD) takes no O_PATH descriptor, and the tree
 * is one (open_tree's, which alone keeps the detached tree whole).
 */
static int
hand_over(int tree)
{
	int sp[2], r;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		r = -errno;
		close(tree);
		return r;
	}
	r = send_fds(sp[0], "t", 1, &tree, 1);
	close(tree);
	close(sp[0]);
	if (r == -1) {
		close(sp[1]);
		return -EIO;
	}
	return sp[1];
}

int
procdoor_ask(int door, int procfd, const struct seccomp_notif *req,
    int listener)
{
	char path[32], buf[16];
	struct stat ns, own;
	__u64 id = req->id;
	int nsfd, fd;
	ssize_t n;

	if (door < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "%d/ns/pid", (int)req->pid);
	if ((nsfd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -ESRCH;
	/* The pid was the caller's when the file was opened. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == -1) {
		close(nsfd);
		return -ESRCH;
	}
	/*
	 * Only a pid namespace the caller made: one of the jail's own
	 * would show the jail's processes to a jail without /proc.
	 */
	if (fstat(nsfd, &ns) == -1 ||
	    fstatat(procfd, "self/ns/pid", &own, 0) == -1 ||
	    ns.st_ino == own.st_ino) {
		close(nsfd);
		return -EPERM;
	}
	n = send_fds(door, "p", 1, &nsfd, 1) == -1 ? -1 :
	    recv_fd_msg(door, buf, sizeof(buf), &fd);
	close(nsfd);
	if (n <= 0)
		return -EIO;
	if (fd < 0)
		return atoi(buf) > 0 ? -atoi(buf) : -EIO;
	return hand_over(fd);
}
