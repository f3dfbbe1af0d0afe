/*
 * probe: try one privileged operation and print what happened, for the
 * integration tests (tests/integration/{security,allow,jexec_security}_test).
 *
 *	probe NAME [ARG ...]
 *
 * prints one line: "ok" when the call succeeded, or the errno name
 * ("EPERM", "EAFNOSUPPORT", ...), and exits 0; a usage error exits 2.
 * Static (-static), so it runs in a busybox jail root.  The names are
 * listed in usage() below.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static const char *arg1, *arg2;

static void usage(void) __attribute__((noreturn));

static int
report(long r)
{
	printf("%s\n", r < 0 ? strerrorname_np(errno) : "ok");
	return 0;
}

static long
need_arg(void)
{
	if (arg1 == NULL) {
		fprintf(stderr, "probe: this probe needs an argument\n");
		exit(2);
	}
	return 0;
}

/*
 * cgroup_write OPTS FILE VALUE: in a user, mount and cgroup namespace of
 * our own (root mapped to our uid), mount the v1 hierarchy of OPTS on
 * /mnt and write VALUE to FILE at its root.  Prints "mount ERRNO" when
 * the mount fails, else the write's result.
 */
static int
cgroup_write(const char *opts, const char *file, const char *value)
{
	char map[32], *path;
	int fd;

	snprintf(map, sizeof(map), "0 %d 1", (int)geteuid());
	if (unshare(CLONE_NEWUSER) == -1)
		return report(-1);
	fd = open("/proc/self/setgroups", O_WRONLY);
	if (fd >= 0) {
		(void)!write(fd, "deny", 4);
		close(fd);
	}
	if ((fd = open("/proc/self/uid_map", O_WRONLY)) == -1 ||
	    write(fd, map, strlen(map)) == -1)
		return report(-1);
	close(fd);
	if (unshare(CLONE_NEWNS | CLONE_NEWCGROUP) == -1)
		return report(-1);
	if (mount("cgroup", "/mnt", "cgroup", 0, opts) == -1) {
		printf("mount %s\n", strerrorname_np(errno));
		return 0;
	}
	if (asprintf(&path, "/mnt/%s", file) == -1)
		return 1;
	fd = open(path, O_WRONLY);
	return report(fd == -1 ? -1 : write(fd, value, strlen(value)));
}

/*
 * key_hold DESC SECONDS: a "user" key DESC in this process's keyring,
 * kept while it sleeps (it goes with the process).
 */
static int
key_hold(const char *desc, const char *secs)
{
	if (syscall(SYS_add_key, "user", desc, "x", 1, -2 /* process */) == -1)
		return report(-1);
	printf("ok\n");
	fflush(stdout);
	sleep((unsigned)atoi(secs));
	return 0;
}

/*
 * A user, pid and mount namespace of our own (root in it is our uid),
 * and a child there, pid 1 of the new pid namespace: 0 in the child,
 * its pid in the parent, -1 (reported) on failure.
 */
static pid_t
own_namespaces(void)
{
	char map[32];
	pid_t pid;
	int fd;

	snprintf(map, sizeof(map), "0 %d 1", (int)geteuid());
	if (unshare(CLONE_NEWUSER) == -1 ||
	    (fd = open("/proc/self/uid_map", O_WRONLY)) == -1) {
		report(-1);
		return -1;
	}
	if (write(fd, map, strlen(map)) == -1 ||
	    unshare(CLONE_NEWPID | CLONE_NEWNS) == -1) {
		report(-1);
		close(fd);
		return -1;
	}
	close(fd);
	fflush(stdout);
	if ((pid = fork()) == -1)
		report(-1);
	return pid;
}

/* The descriptions in /mnt/keys, then "end". */
static void
print_keys(void)
{
	char line[512];
	FILE *f = fopen("/mnt/keys", "r");

	if (f == NULL) {
		report(-1);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		fputs(line, stdout);
	fclose(f);
	printf("end\n");
}

/*
 * nested_keys: in a user, pid and mount namespace of our own, mount a
 * procfs (read-only) on /mnt and print the descriptions in its keys
 * file: the keys our uid may view (a sealed jail: EPERM, no procfs).
 */
static int
nested_keys(void)
{
	int status;
	pid_t pid;

	if ((pid = own_namespaces()) == -1)
		return 0;
	if (pid == 0) {
		if (mount("proc", "/mnt", "proc", MS_RDONLY | MS_NOSUID |
		    MS_NODEV | MS_NOEXEC, NULL) == -1)
			report(-1);
		else
			print_keys();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return 0;
}

/* The procfs door's tree, out of the socket it comes in. */
static int
door_tree(void)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sock, tree = -1;

	if ((sock = openat(-0x6761, "procfs", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (recvmsg(sock, &mh, 0) == 1 && (cm = CMSG_FIRSTHDR(&mh)) != NULL &&
	    cm->cmsg_type == SCM_RIGHTS)
		memcpy(&tree, CMSG_DATA(cm), sizeof(int));
	close(sock);
	if (tree == -1)
		errno = EIO;
	return tree;
}

/*
 * door_keys: as nested_keys, but the procfs comes from the jail's init
 * (its procfs door, which a jail made inside the jail uses): print its
 * keys file, then "umount ERRNO" for its keys mask and "bind ERRNO" for
 * a bind of the procfs without its masks.
 */
static int
door_keys(void)
{
	int tree, status;
	pid_t pid;

	if ((pid = own_namespaces()) == -1)
		return 0;
	if (pid == 0) {
		if ((tree = door_tree()) == -1 ||
		    move_mount(tree, "", AT_FDCWD, "/mnt",
		    MOVE_MOUNT_F_EMPTY_PATH) == -1)
			report(-1);
		else {
			print_keys();
			printf("umount %s\n", umount2("/mnt/keys",
			    MNT_DETACH) == -1 ? strerrorname_np(errno) : "ok");
			printf("bind %s\n", open_tree(AT_FDCWD, "/mnt",
			    OPEN_TREE_CLONE) == -1 ? strerrorname_np(errno) :
			    "ok");
		}
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return 0;
}

/* door_own: the procfs door asked for the jail's own pid namespace. */
static int
door_own(void)
{
	return report(door_tree());
}

/* A child that only sleeps: something to debug. */
static pid_t
sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static long
do_ptrace(pid_t pid)
{
	long r = ptrace(PTRACE_SEIZE, pid, 0, 0);

	if (r == 0)
		ptrace(PTRACE_DETACH, pid, 0, 0);
	return r;
}

static long
do_vm_readv(pid_t pid)
{
	static char buf[16];
	char there[16];
	struct iovec l = { there, sizeof(there) };
	struct iovec rv = { buf, sizeof(buf) };
	ssize_t n = process_vm_readv(pid, &l, 1, &rv, 1, 0);

	/* A foreign process may not have our buf mapped: EFAULT is a read
	 * that got past every permission check. */
	return n < 0 && errno != EFAULT ? -1 : 0;
}

static long
do_bpf(void)
{
	union {
		struct {
			uint32_t map_type, key_size, value_size, max_entries;
		} m;
		char pad[128];
	} attr;

	memset(&attr, 0, sizeof(attr));
	attr.m.map_type = 2;	/* BPF_MAP_TYPE_ARRAY */
	attr.m.key_size = 4;
	attr.m.value_size = 4;
	attr.m.max_entries = 1;
	return syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, &attr, sizeof(attr));
}

static long
do_perf(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static long
do_io_uring(void)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	return syscall(SYS_io_uring_setup, 4, &p);
}

static long
do_open_by_handle(void)
{
	struct {
		struct file_handle fh;
		unsigned char data[MAX_HANDLE_SZ];
	} h;
	int mnt;

	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, arg1 ? arg1 : "/", &h.fh, &mnt, 0) == -1)
		return -1;
	/* The handle of "/" is also what the "shocker" exploit starts from;
	 * open it relative to the root. */
	return open_by_handle_at(AT_FDCWD, &h.fh, O_RDONLY);
}

static long
do_time(int which, int bad)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (bad)
		ts.tv_nsec = 2000000000L;	/* the kernel says EINVAL first */
	if (which == 0)
		return syscall(SYS_clock_settime, CLOCK_REALTIME, &ts);
	else {
		struct timeval tv = { ts.tv_sec, bad ? 2000000 : ts.tv_nsec / 1000 };

		return syscall(SYS_settimeofday, &tv, NULL);
	}
}

static long
do_adjtime(int which, int modes)
{
	struct timex tx;

	memset(&tx, 0, sizeof(tx));
	tx.modes = (unsigned)modes;
	if (modes == ADJ_OFFSET) {
		tx.modes = ADJ_OFFSET | ADJ_STATUS;
		tx.status = 0;
		tx.offset = 0;
	}
	if (which == 0)
		return syscall(SYS_adjtimex, &tx);
	return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
}

static long
do_chflags(void)
{
	int fd, flags, r;

	need_arg();
	if ((fd = open(arg1, O_RDONLY)) == -1)
		return -1;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == -1) {
		close(fd);
		return -1;
	}
	flags |= FS_APPEND_FL;
	r = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	if (r == 0) {
		int e = errno;

		flags &= ~FS_APPEND_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
		errno = e;
	}
	close(fd);
	return r;
}

static long
do_bind(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s == -1)
		return -1;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	return bind(s, (struct sockaddr *)&sa, sizeof(sa));
}

/*
 * sigqueue PID VALUE: SIGUSR1 with SI_QUEUE and the value, its si_pid
 * forged to 0, as the kernel reports a signal from an ancestor pid
 * namespace.
 */
static long
do_sigqueue(pid_t pid, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = 0;
	si.si_uid = 0;
	si.si_value.sival_int = value;
	return syscall(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si);
}

/* An abstract unix socket address for NAME: "\0NAME". */
static socklen_t
abstract_addr(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	strncpy(sa->sun_path + 1, name, sizeof(sa->sun_path) - 2);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(sa->sun_path + 1));
}

/*
 * abstract_listen NAME: bind NAME in the abstract namespace and listen;
 * prints the result, then (on success) answers one connection with
 * "jail" and exits.  abstract_connect NAME: connect and print what the
 * peer said, or the errno.
 */
static long
do_abstract(bool listening)
{
	struct sockaddr_un sa;
	socklen_t len = abstract_addr(&sa, arg1);
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c;
	char buf[16];
	ssize_t n;

	if (s == -1)
		return -1;
	if (!listening) {
		if (connect(s, (struct sockaddr *)&sa, len) == -1)
			return -1;
		n = read(s, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		printf("%s\n", buf);
		exit(0);
	}
	if (bind(s, (struct sockaddr *)&sa, len) == -1 || listen(s, 1) == -1)
		return -1;
	printf("ok\n");
	fflush(stdout);
	if ((c = accept(s, NULL, NULL)) >= 0)
		(void)write(c, "jail", 4);
	exit(0);
}

/*
 * The map door of a jail that may make jails (src/lib/jail/guard.c):
 * openat at this descriptor number is answered by the jail's init.
 */
#define MAPS_DOOR_FD	(-0x6761)

/* map_door PATH [w]: open PATH through the door, and write "0 0 1". */
static long
map_door(const char *path, bool w)
{
	int fd = openat(MAPS_DOOR_FD, path, (w ? O_WRONLY : O_RDONLY) |
	    O_CLOEXEC);
	long r = fd;

	if (fd >= 0 && w)
		r = write(fd, "0 0 1", 5);
	if (fd >= 0)
		close(fd);
	return r;
}

/*
 * map_door_child: a child in a user namespace of its own, and its
 * uid_map written through the door, "0 UID 1" (what an unprivileged
 * user may write through a /proc of its own).  "clone ERRNO" when the
 * child cannot be made.
 */
static int
map_door_child(void)
{
	char path[64], map[32];
	int p[2], saved;
	long r, c;
	int fd;

	if (pipe(p) == -1)
		return report(-1);
	/*
	 * The kernel frees a user namespace from a work queue, so the
	 * count of a jail just removed may still hold a slot: ENOSPC for
	 * a moment.  Try again for up to 2 s before calling it an answer.
	 */
	for (int i = 0; (c = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0,
	    0, 0, 0)) == -1 && errno == ENOSPC && i < 100; i++)
		usleep(20000);
	if (c == -1) {
		printf("clone %s\n", strerrorname_np(errno));
		return 0;
	}
	if (c == 0) {
		char b;

		close(p[1]);
		(void)!read(p[0], &b, 1);
		_exit(0);
	}
	snprintf(path, sizeof(path), "%ld/uid_map", c);
	snprintf(map, sizeof(map), "0 %d 1", (int)getuid());
	fd = openat(MAPS_DOOR_FD, path, O_WRONLY | O_CLOEXEC);
	r = fd >= 0 ? write(fd, map, strlen(map)) : -1;
	saved = errno;
	if (fd >= 0)
		close(fd);
	close(p[1]);
	waitpid((pid_t)c, NULL, 0);
	errno = saved;
	return report(r);
}

/* unix_bind PATH: bind a unix socket to a path; "" autobinds. */
static long
do_unix_bind(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (s == -1)
		return -1;
	if (*path == '\0')
		return bind(s, (struct sockaddr *)&sa, sizeof(sa_family_t));
	strncpy(sa.sun_path, path, sizeof(sa.sun_path) - 1);
	return bind(s, (struct sockaddr *)&sa, sizeof(sa));
}

static long
do_tty(unsigned long req)
{
	char c = arg1 ? arg1[0] : '#';
	int fd = 0;

	if (arg2 != NULL && (fd = open(arg2, O_RDWR | O_NOCTTY)) == -1)
		return -1;
	if (req == TIOCSTI) {
		long r = 0;

		/* The whole argument, so that a shell reading the terminal
		 * would see a command line. */
		for (const char *p = arg1 ? arg1 : "#"; *p && r == 0; p++)
			r = ioctl(fd, TIOCSTI, p);
		if (r == 0 && arg1 != NULL)
			r = ioctl(fd, TIOCSTI, "\n");
		return r;
	}
	/* TIOCLINUX subcode 6 (get selection's shift state) is harmless;
	 * 2 (set selection) and 3 (paste) are the dangerous ones. */
	c = 3;
	return ioctl(fd, TIOCLINUX, &c);
}

static long
do_cap(int cap)
{
	/* Effective capability in this process, via capget. */
	struct { uint32_t version; int pid; } h = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } d[2];

	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	if ((d[cap / 32].eff & (1U << (cap % 32))) == 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/*
 * exegrab NAME: CVE-2019-5736.  Watch /proc for a process called NAME
 * (the entering program, run inside the jail through a
 * "#!/proc/self/exe" script called NAME), stop it, and try to
 * open its executable for writing: through /proc/PID/exe directly, and
 * through an O_PATH descriptor kept after the process is gone.  Prints
 * "seen", then the errno (or "ok") of each write attempt: "write-live
 * E", "write-dead E".  Waits up to 20 s for such a process, reporting
 * "none" if none came.
 */
static int
exegrab(void)
{
	char me[32], link[512], path[300];
	struct timespec start;
	int tries;

	need_arg();
	snprintf(me, sizeof(me), "%d", (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &start);
	printf("ready\n");
	fflush(stdout);
	for (tries = 0; ; tries++) {
		DIR *d = opendir("/proc");
		struct dirent *e;

		if (d == NULL)
			return report(-1);
		while ((e = readdir(d)) != NULL) {
			pid_t pid;
			ssize_t n;
			int fd, w;

			if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
			    strcmp(e->d_name, me) == 0)
				continue;
			/* By name: the script's name is the command's name
			 * once the kernel has started its interpreter. */
			snprintf(path, sizeof(path), "/proc/%.20s/comm",
			    e->d_name);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			n = read(fd, link, sizeof(link) - 1);
			close(fd);
			if (n <= 0)
				continue;
			link[n] = '\0';
			link[strcspn(link, "\n")] = '\0';
			if (strcmp(link, arg1) != 0)
				continue;
			pid = atoi(e->d_name);
			if (pid == 1)
				continue;
			kill(pid, SIGSTOP);
			snprintf(path, sizeof(path), "/proc/%.20s/exe", e->d_name);
			errno = 0;
			n = readlink(path, link, sizeof(link) - 1);
			link[n > 0 ? n : 0] = '\0';
			/* The entering program runs from a detached bind
			 * of itself, whose path reads "/". */
			printf("seen exe %s\n", n > 0 ? link :
			    strerrorname_np(errno));
			fd = open(path, O_PATH | O_CLOEXEC);
			errno = 0;
			w = open(path, O_WRONLY | O_CLOEXEC);
			printf("write-live %s\n", w >= 0 ? "ok" :
			    strerrorname_np(errno));
			if (w >= 0) {
				/* Do not actually damage it: the test
				 * fails on "ok" alone. */
				close(w);
			}
			{
				struct statvfs sv;

				printf("mount %s\n", fd >= 0 &&
				    fstatvfs(fd, &sv) == 0 ?
				    (sv.f_flag & ST_RDONLY) ? "ro" : "rw" :
				    strerrorname_np(errno));
			}
			kill(pid, SIGKILL);
			for (int i = 0; i < 200 && kill(pid, 0) == 0; i++)
				usleep(10000);
			if (fd >= 0) {
				snprintf(path, sizeof(path),
				    "/proc/self/fd/%d", fd);
				errno = 0;
				w = open(path, O_WRONLY | O_CLOEXEC);
				printf("write-dead %s\n", w >= 0 ? "ok" :
				    strerrorname_np(errno));
				if (w >= 0)
					close(w);
			} else
				printf("write-dead %s\n", strerrorname_np(errno));
			closedir(d);
			return 0;
		}
		closedir(d);
		if (tries % 64 == 63) {
			struct timespec now;

			usleep(1000);
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec > 20)
				break;
		}
	}
	printf("none\n");
	return 0;
}

/*
 * race SECONDS [STOP]: CVE-2016-9962, without holding anything.  For up
 * to SECONDS (or until the file STOP exists), scan /proc for processes
 * that were not there before, and attack each new one at once: ptrace
 * (PTRACE_ATTACH), process_vm_readv, open /proc/PID/mem, readlink
 * /proc/PID/exe.  The host runs jexec in a loop meanwhile, so most of
 * them are children of the jail's init, some caught between fork and
 * exec, when their memory is still the init's.
 *
 * A process is "pre-exec" while its comm is still the init's
 * ("jail-init": exec sets it to the new program's name), while its
 * /proc/PID/exe is refused (EACCES, EPERM: the init's memory is
 * undumpable and belongs to the host's user namespace), or when that
 * link reads as something that is no regular file of the jail (the
 * init runs the host's binary from a detached mount, which reads "/").
 * exec is one-way, and ptrace, process_vm_readv and /proc/PID/mem
 * take the lock that exec holds while it changes the memory, comm and
 * credentials, so an attempt that succeeded before a look that still
 * sees the process pre-exec succeeded on the pre-exec process:
 * "VIOLATION PID WHAT".  When ptrace succeeds, the process is stopped
 * (it cannot exec meanwhile) and the look is exact.  A success on a
 * process seen pre-exec before the attempt and exec'd after it, or an
 * attach answered by the SIGTRAP that ends an exec (which comes after
 * the lock is dropped, so the attach may have come after the new
 * memory), is only "ambiguous": counted, not a violation.
 *
 * Prints "ready", one "catch PID ..." line per new process, and at the
 * end "caught N preexec M" (M: catches whose exe, looked at after the
 * other three attempts, was refused, so all four hit the pre-exec
 * process), then "first-preexec F ambiguous A ptrace-after-exec K"
 * (K: attaches that worked on an exec'd process, showing that ptrace
 * itself is allowed in the jail).
 */
#define RACE_MAXPID	(4 * 1024 * 1024)

static bool
read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(buf, len, "-");
		return false;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return n > 0;
}

/* What /proc/PID/exe says: 1 pre-exec, 0 exec'd, -1 gone or unknown.
 * TEXT gets the link or the errno name. */
static int
exe_state(pid_t pid, char *text, size_t len)
{
	char path[64];
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	errno = 0;
	n = readlink(path, text, len - 1);
	if (n < 0) {
		int e = errno;

		snprintf(text, len, "%s", strerrorname_np(e));
		return e == EACCES || e == EPERM ? 1 : -1;
	}
	text[n] = '\0';
	/* The jail's own program, or the host's through a path that means
	 * nothing in here. */
	return stat(text, &st) == 0 && S_ISREG(st.st_mode) ? 0 : 1;
}

static bool
sigtrap_pending(pid_t pid)
{
	char path[64], buf[4096], *p;
	unsigned long long mask;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (const char *k = "SigPnd:"; k != NULL;
	    k = strcmp(k, "SigPnd:") == 0 ? "ShdPnd:" : NULL)
		if ((p = strstr(buf, k)) != NULL) {
			mask = strtoull(p + strlen(k), NULL, 16);
			if (mask & (1ULL << (SIGTRAP - 1)))
				return true;
		}
	return false;
}

/* Wait up to a second for a tracee to stop (or end). */
static int
tracee_wait(pid_t pid, int *st)
{
	for (int i = 0; i < 1000; i++) {
		pid_t r = waitpid(pid, st, __WALL | WNOHANG);

		if (r == pid)
			return 0;
		if (r == -1)
			return -1;
		usleep(1000);
	}
	return -1;
}

struct race_counts {
	unsigned caught, preexec, first_pre, ambiguous, traced_after;
	unsigned violations;
};

static void
race_violation(struct race_counts *c, pid_t pid, const char *what,
    const char *why)
{
	printf("VIOLATION %d %s (%s)\n", (int)pid, what, why);
	c->violations++;
}

static void
race_attack(pid_t pid, struct race_counts *c)
{
	char comm0[64], comm1[64], exe[512], path[64], stopped[32] = "";
	int pre0, pre1, xst, st, fd;
	long r_ptrace, r_vm, r_mem;
	int e_ptrace, e_vm, e_mem;
	bool attached = false, pinned = false, trap = false;

	/* Before: comm only, which asks for no permission. */
	read_comm(pid, comm0, sizeof(comm0));
	pre0 = strcmp(comm0, "jail-init") == 0;

	errno = 0;
	r_ptrace = ptrace(PTRACE_ATTACH, pid, 0, 0);
	e_ptrace = errno;
	if (r_ptrace == 0) {
		attached = true;
		if (tracee_wait(pid, &st) == 0 && WIFSTOPPED(st)) {
			pinned = true;
			trap = WSTOPSIG(st) == SIGTRAP || sigtrap_pending(pid);
			snprintf(stopped, sizeof(stopped), " stopped=%s",
			    sigabbrev_np(WSTOPSIG(st)) ?
			    sigabbrev_np(WSTOPSIG(st)) : "?");
		} else
			snprintf(stopped, sizeof(stopped), " stopped=no");
	}
	errno = 0;
	r_vm = do_vm_readv(pid);
	e_vm = errno;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	errno = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	r_mem = fd;
	e_mem = errno;
	if (fd >= 0)
		close(fd);
	xst = exe_state(pid, exe, sizeof(exe));
	/* After: comm, and the exe as just read. */
	read_comm(pid, comm1, sizeof(comm1));
	pre1 = strcmp(comm1, "jail-init") == 0 || xst == 1;
	if (attached) {
		ptrace(PTRACE_DETACH, pid, 0, 0);
		/* An exec SIGTRAP may have come first, and the attach's
		 * SIGSTOP would then stop it untraced. */
		kill(pid, SIGCONT);
	}

	c->caught++;
	if (xst == 1 && exe[0] != '/')
		c->preexec++;
	if (pre0)
		c->first_pre++;
	printf("catch %d %s->%s comm=%s->%s ptrace=%s%s vm=%s mem=%s exe=%s\n",
	    (int)pid, pre0 ? "pre" : "post", pre1 ? "pre" : xst == 0 ?
	    "post" : "gone", comm0, comm1,
	    r_ptrace == 0 ? "ok" : strerrorname_np(e_ptrace), stopped,
	    r_vm == 0 ? "ok" : strerrorname_np(e_vm),
	    r_mem >= 0 ? "ok" : strerrorname_np(e_mem), exe);

	/* The exe link itself: a path that is no program of the jail. */
	if (xst == 1 && exe[0] == '/')
		race_violation(c, pid, "exe", exe);
	if (r_ptrace == 0 && pre1)
		race_violation(c, pid, "ptrace", pinned ?
		    "stopped before exec" : "still pre-exec after");
	if (r_vm == 0 && pre1)
		race_violation(c, pid, "process_vm_readv", "pre-exec");
	if (r_mem >= 0 && pre1)
		race_violation(c, pid, "mem", "pre-exec");
	if (pre1)
		return;
	if (pre0 && (r_ptrace == 0 || r_vm == 0 || r_mem >= 0)) {
		printf("ambiguous %d: exec'd between the looks\n", (int)pid);
		c->ambiguous++;
	} else if (r_ptrace == 0 && trap) {
		printf("ambiguous %d: attached during its exec\n", (int)pid);
		c->ambiguous++;
	} else if (r_ptrace == 0 && pinned)
		c->traced_after++;
}

static int
race(int argc, char **argv)
{
	static unsigned char known[RACE_MAXPID / 8];
	struct race_counts c = { 0 };
	struct timespec start, now;
	char buf[16384];
	const char *stop;
	double secs;
	int fd;

	if (argc < 3)
		usage();
	secs = atof(argv[2]);
	stop = argc > 3 ? argv[3] : NULL;
	if ((fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return report(-1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (unsigned long pass = 0; ; pass++) {
		long n;

		lseek(fd, 0, SEEK_SET);
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			for (long off = 0; off < n; ) {
				struct dirent64 *e = (void *)(buf + off);
				long pid;

				off += e->d_reclen;
				if (e->d_name[0] < '1' || e->d_name[0] > '9')
					continue;
				pid = atol(e->d_name);
				if (pid <= 0 || pid >= RACE_MAXPID ||
				    known[pid / 8] & (1 << (pid % 8)))
					continue;
				known[pid / 8] |= (unsigned char)(1 << (pid % 8));
				/* Whatever ran before we looked (pid 1, us,
				 * the jexec that runs us) is not a catch. */
				if (pass > 0)
					race_attack((pid_t)pid, &c);
			}
		}
		if (pass == 0) {
			printf("ready\n");
			continue;
		}
		if (pass % 256 != 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec +
		    (now.tv_nsec - start.tv_nsec) / 1e9 > secs)
			break;
		if (stop != NULL && access(stop, F_OK) == 0)
			break;
	}
	close(fd);
	printf("caught %u preexec %u\n", c.caught, c.preexec);
	printf("first-preexec %u ambiguous %u ptrace-after-exec %u\n",
	    c.first_pre, c.ambiguous, c.traced_after);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: probe NAME [ARG]\n"
	    "names: keyctl add_key request_key bpf perf_event_open userfaultfd\n"
	    "  uffd_dev PATH (open PATH, USERFAULTFD_IOC_NEW)\n"
	    "  io_uring_setup kexec_load kexec_file_load init_module\n"
	    "  finit_module delete_module open_by_handle_at [PATH]\n"
	    "  clock_settime clock_settime_bad settimeofday settimeofday_bad\n"
	    "  adjtimex adjtimex_set clock_adjtime syslog\n"
	    "  socket_alg socket_vsock socket_packet socket_raw socket_inet\n"
	    "  mount_tmpfs DIR mount_proc DIR bind_mount SRC DIR umount DIR\n"
	    "  mount_cgroup DIR CONTROLLERS cgroup_write OPTS FILE VALUE\n"
	    "  key_hold DESC SECONDS nested_keys door_keys door_own\n"
	    "  fsopen mknod PATH unshare_user unshare_ns unshare_net\n"
	    "  clone_newuser setns NSFILE sethostname NAME setdomainname NAME\n"
	    "  msgget semget shmget mlock mmap_locked mlockall quotactl\n"
	    "  ptrace_child vm_readv_child ptrace PID vm_readv PID\n"
	    "  kill PID chflags FILE bind PORT write PATH read PATH\n"
	    "  tiocsti [TEXT [TTY]] tioclinux [x [TTY]] cap N capbset N\n"
	    "  chown PATH fds exegrab PATTERN race SECONDS [STOP]\n"
	    "  sigqueue PID VALUE abstract_listen NAME abstract_connect NAME\n"
	    "  ttycheck unix_bind PATH|\"\"\n"
	    "  map_door PATH [w] map_door_child\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *n;
	char c = 0;
	pid_t p;
	long r;

	if (argc < 2)
		usage();
	n = argv[1];
	arg1 = argc > 2 ? argv[2] : NULL;
	arg2 = argc > 3 ? argv[3] : NULL;
	errno = 0;

	if (strcmp(n, "keyctl") == 0)	/* KEYCTL_GET_KEYRING_ID, session */
		return report(syscall(SYS_keyctl, 0, -3, 1, 0, 0));
	if (strcmp(n, "add_key") == 0)	/* into the process keyring */
		return report(syscall(SYS_add_key, "user", "gaol-probe", "x",
		    1, -2));
	if (strcmp(n, "request_key") == 0)
		return report(syscall(SYS_request_key, "user", "gaol-probe",
		    NULL, 0));
	if (strcmp(n, "bpf") == 0)
		return report(do_bpf());
	if (strcmp(n, "perf_event_open") == 0)
		return report(do_perf());
	if (strcmp(n, "userfaultfd") == 0)
		return report(syscall(SYS_userfaultfd, O_CLOEXEC |
		    UFFD_USER_MODE_ONLY));
	if (strcmp(n, "uffd_dev") == 0 && arg1 != NULL) {
		int fd = open(arg1, O_RDWR | O_CLOEXEC);

		return report(fd == -1 ? -1 :
		    ioctl(fd, USERFAULTFD_IOC_NEW, O_CLOEXEC));
	}
	if (strcmp(n, "io_uring_setup") == 0)
		return report(do_io_uring());
	if (strcmp(n, "kexec_load") == 0)
		return report(syscall(SYS_kexec_load, 0, 0, NULL, 0));
	if (strcmp(n, "kexec_file_load") == 0)
		return report(syscall(SYS_kexec_file_load, -1, -1, 0, "",
		    2 /* KEXEC_FILE_NO_INITRAMFS */));
	if (strcmp(n, "init_module") == 0)
		return report(syscall(SYS_init_module, "", 0, ""));
	if (strcmp(n, "finit_module") == 0)
		return report(syscall(SYS_finit_module, 0, "", 0));
	if (strcmp(n, "delete_module") == 0)
		return report(syscall(SYS_delete_module, "gaol_no_such_module",
		    O_NONBLOCK));
	if (strcmp(n, "open_by_handle_at") == 0)
		return report(do_open_by_handle());
	if (strcmp(n, "clock_settime") == 0)
		return report(do_time(0, 0));
	if (strcmp(n, "clock_settime_bad") == 0)
		return report(do_time(0, 1));
	if (strcmp(n, "settimeofday") == 0)
		return report(do_time(1, 0));
	if (strcmp(n, "settimeofday_bad") == 0)
		return report(do_time(1, 1));
	if (strcmp(n, "adjtimex") == 0)		/* a query */
		return report(do_adjtime(0, 0));
	if (strcmp(n, "adjtimex_set") == 0)
		return report(do_adjtime(0, ADJ_OFFSET));
	if (strcmp(n, "clock_adjtime") == 0)	/* a query */
		return report(do_adjtime(1, 0));
	if (strcmp(n, "syslog") == 0)	/* SYSLOG_ACTION_SIZE_BUFFER */
		return report(syscall(SYS_syslog, 10, NULL, 0));
	if (strcmp(n, "socket_alg") == 0)
		return report(socket(AF_ALG, SOCK_SEQPACKET, 0));
	if (strcmp(n, "socket_alg_hi") == 0)
		return report(syscall(SYS_socket, 0x100000000L | AF_ALG,
		    SOCK_SEQPACKET, 0));
	if (strcmp(n, "socket_vsock") == 0)
		return report(socket(AF_VSOCK, SOCK_STREAM, 0));
	if (strcmp(n, "socket_packet") == 0)
		return report(socket(AF_PACKET, SOCK_DGRAM, 0));
	if (strcmp(n, "socket_raw") == 0)
		return report(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	if (strcmp(n, "socket_inet") == 0)
		return report(socket(AF_INET, SOCK_STREAM, 0));
	if (strcmp(n, "mount_tmpfs") == 0)
		return need_arg(), report(mount("gaolprobe", arg1, "tmpfs", 0,
		    NULL));
	if (strcmp(n, "key_hold") == 0 && argc > 3)
		return key_hold(argv[2], argv[3]);
	if (strcmp(n, "nested_keys") == 0)
		return nested_keys();
	if (strcmp(n, "door_keys") == 0)
		return door_keys();
	if (strcmp(n, "door_own") == 0)
		return door_own();
	if (strcmp(n, "cgroup_write") == 0 && argc > 4)
		return cgroup_write(argv[2], argv[3], argv[4]);
	if (strcmp(n, "mount_cgroup") == 0)	/* DIR CONTROLLERS */
		return report(arg1 && arg2 ? mount("cgroup", arg1, "cgroup", 0,
		    arg2) : -1);
	if (strcmp(n, "mount_proc") == 0)
		return need_arg(), report(mount("proc", arg1, "proc", 0, NULL));
	if (strcmp(n, "bind_mount") == 0)
		return need_arg(), report(arg2 == NULL ? -1 :
		    mount(arg1, arg2, NULL, MS_BIND, NULL));
	if (strcmp(n, "umount") == 0)
		return need_arg(), report(umount2(arg1, MNT_DETACH));
	if (strcmp(n, "fsopen") == 0)
		return report(syscall(SYS_fsopen, "tmpfs", 0));
	if (strcmp(n, "mknod") == 0)	/* /dev/sda's numbers: 8:0, char */
		return need_arg(), report(mknod(arg1, S_IFCHR | 0600,
		    makedev(1, 1)));
	if (strcmp(n, "unshare_user") == 0)
		return report(unshare(CLONE_NEWUSER));
	if (strcmp(n, "unshare_ns") == 0)
		return report(unshare(CLONE_NEWNS));
	if (strcmp(n, "unshare_net") == 0)
		return report(unshare(CLONE_NEWNET));
	if (strcmp(n, "clone_newuser") == 0) {
		/* Raw clone: libc's would try clone3 first. */
		r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
		if (r == 0)
			_exit(0);
		if (r > 0)
			waitpid((pid_t)r, NULL, 0);
		return report(r);
	}
	if (strcmp(n, "clone3_newuser") == 0) {
		struct clone_args ca = { .flags = CLONE_NEWUSER,
		    .exit_signal = SIGCHLD };

		r = syscall(SYS_clone3, &ca, sizeof(ca));
		if (r == 0)
			_exit(0);
		if (r > 0)
			waitpid((pid_t)r, NULL, 0);
		return report(r);
	}
	if (strcmp(n, "setns") == 0) {
		int fd;

		need_arg();
		if ((fd = open(arg1, O_RDONLY)) == -1)
			return report(-1);
		return report(setns(fd, 0));
	}
	if (strcmp(n, "sethostname") == 0)
		return need_arg(), report(sethostname(arg1, strlen(arg1)));
	if (strcmp(n, "setdomainname") == 0)
		return need_arg(), report(setdomainname(arg1, strlen(arg1)));
	if (strcmp(n, "msgget") == 0)
		return report(msgget(IPC_PRIVATE, 0600));
	if (strcmp(n, "semget") == 0)
		return report(semget(IPC_PRIVATE, 1, 0600));
	if (strcmp(n, "shmget") == 0)
		return report(shmget(IPC_PRIVATE, 4096, 0600));
	if (strcmp(n, "mlock") == 0)
		return report(mlock(&c, 1));
	if (strcmp(n, "mlockall") == 0)
		return report(mlockall(MCL_CURRENT));
	if (strcmp(n, "mmap_locked") == 0) {
		void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE |
		    MAP_ANONYMOUS | MAP_LOCKED, -1, 0);

		return report(m == MAP_FAILED ? -1 : 0);
	}
	if (strcmp(n, "quotactl") == 0)	/* Q_GETFMT on "/" */
		return report(syscall(SYS_quotactl, 0x800004, "/", 0, &c));
	if (strcmp(n, "ptrace_child") == 0 || strcmp(n, "vm_readv_child") == 0) {
		p = sleeper();
		r = n[0] == 'p' ? do_ptrace(p) : do_vm_readv(p);
		{
			int e = errno;

			reap(p);
			errno = e;
		}
		return report(r);
	}
	if (strcmp(n, "ptrace") == 0)
		return need_arg(), report(do_ptrace(atoi(arg1)));
	if (strcmp(n, "vm_readv") == 0)
		return need_arg(), report(do_vm_readv(atoi(arg1)));
	if (strcmp(n, "kill") == 0)	/* signal 0: may we signal it */
		return need_arg(), report(kill(atoi(arg1), 0));
	if (strcmp(n, "chflags") == 0)
		return report(do_chflags());
	if (strcmp(n, "bind") == 0)
		return need_arg(), report(do_bind(atoi(arg1)));
	if (strcmp(n, "write") == 0) {
		int fd;

		need_arg();
		fd = open(arg1, O_WRONLY);
		if (fd >= 0 && arg2 != NULL &&
		    write(fd, arg2, strlen(arg2)) == -1)
			fd = -1;
		return report(fd);
	}
	if (strcmp(n, "read") == 0) {
		char buf[64];
		int fd;

		need_arg();
		fd = open(arg1, O_RDONLY);
		if (fd >= 0 && read(fd, buf, sizeof(buf)) == -1)
			fd = -1;
		return report(fd);
	}
	if (strcmp(n, "chown") == 0)
		return need_arg(), report(chown(arg1, 1, 1));
	if (strcmp(n, "tiocsti") == 0)
		return report(do_tty(TIOCSTI));
	if (strcmp(n, "tiocsti_hi") == 0) {
		char ch = '#';

		return report(syscall(SYS_ioctl, 0, 0x100000000L | TIOCSTI,
		    &ch));
	}
	if (strcmp(n, "tioclinux") == 0)
		return report(do_tty(TIOCLINUX));
	if (strcmp(n, "cap") == 0)
		return need_arg(), report(do_cap(atoi(arg1)));
	if (strcmp(n, "capbset") == 0)
		return need_arg(), report(prctl(PR_CAPBSET_READ, atoi(arg1),
		    0, 0, 0) == 1 ? 0 : (errno = EPERM, -1));
	if (strcmp(n, "fds") == 0) {
		/* Each open descriptor and what it points to, but the one
		 * this listing reads the directory through. */
		DIR *d = opendir("/proc/self/fd");
		struct dirent *e;
		char path[300], link[512];

		while (d != NULL && (e = readdir(d)) != NULL) {
			ssize_t len;

			if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
				continue;
			snprintf(path, sizeof(path), "/proc/self/fd/%.20s",
			    e->d_name);
			len = readlink(path, link, sizeof(link) - 1);
			link[len > 0 ? len : 0] = '\0';
			printf("%s %s\n", e->d_name, link);
		}
		if (d != NULL)
			closedir(d);
		return 0;
	}
	if (strcmp(n, "ttycheck") == 0) {
		/* Whose terminal is standard input: the jail's devpts, another
		 * (the host's), or none. */
		struct stat in, pts;

		if (!isatty(0))
			return printf("notty\n"), 0;
		if (fstat(0, &in) == 0 && stat("/dev/pts", &pts) == 0 &&
		    in.st_dev == pts.st_dev)
			return printf("jail\n"), 0;
		return printf("host\n"), 0;
	}
	if (strcmp(n, "sigqueue") == 0)
		return need_arg(), report(arg2 == NULL ? (errno = EINVAL, -1) :
		    do_sigqueue(atoi(arg1), atoi(arg2)));
	if (strcmp(n, "map_door") == 0)
		return need_arg(), report(map_door(arg1, arg2 != NULL));
	if (strcmp(n, "map_door_child") == 0)
		return map_door_child();
	if (strcmp(n, "unix_bind") == 0)
		return need_arg(), report(do_unix_bind(arg1));
	if (strcmp(n, "abstract_listen") == 0)
		return need_arg(), report(do_abstract(true));
	if (strcmp(n, "abstract_connect") == 0)
		return need_arg(), report(do_abstract(false));
	if (strcmp(n, "exegrab") == 0)
		return exegrab();
	if (strcmp(n, "race") == 0)
		return race(argc, argv);
	usage();
	return 2;
}
