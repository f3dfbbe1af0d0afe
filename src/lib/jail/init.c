/*
 * The jail's init: pid 1 of the jail's pid namespace.  It holds the
 * namespaces open, reaps orphans, and, for a jail without persist, exits
 * once it is alone, which tears the whole jail down (the kernel kills
 * what is left in a pid namespace whose init dies, and the mounts go
 * with the last reference to the mount namespace).
 *
 * It never execs: its memory stays described by the host's user
 * namespace, so nothing in the jail can ptrace it or open its
 * /proc/1/exe, and it is made undumpable as well.
 */
#include <dirent.h>
#include <malloc.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/openat2.h>

#include "internal.h"
#include "../isolate/isolate.h"
#include "../net/net.h"

/*
 * A procfs instance of the jail's pid namespace that is never attached
 * anywhere: the init counts the jail's processes through it without
 * depending on the jail mounting /proc.
 */
static int
private_procfs(unsigned attrs)
{
	int fs, mnt, dir;

	fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
	if (fs == -1) {
		gerr_set_errno("fsopen proc");
		return -1;
	}
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == -1) {
		gerr_set_errno("fsconfig proc");
		close(fs);
		return -1;
	}
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attrs |
	    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV);
	close(fs);
	/* A jail made inside a jail: its parent's init makes it (masked). */
	if (mnt == -1 && errno == EPERM && (mnt = isolate_procfs_ask()) == -1 &&
	    errno == EBADF)
		errno = EPERM;
	if (mnt == -1) {
		gerr_set_errno("fsmount proc");
		return -1;
	}
	/* A mount fd is only a path: open its root to read it. */
	dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir == -1)
		gerr_set_errno("open private procfs");
	close(mnt);
	return dir;
}

/*
 * The init was forked from `jail -c`, whose command line would show in
 * the jail's ps: overwrite it in place (fields 48 and 49 of
 * /proc/self/stat bound it; read in the init's own procfs, as the
 * creator may have no /proc).
 */
static void
hide_cmdline(int procfd)
{
	static const char title[] = "jail-init";
	int fd = openat(procfd, "self/stat", O_RDONLY | O_CLOEXEC);
	char *stat = fd >= 0 ? read_fd(fd, "stat", NULL) : NULL, *p;
	unsigned long start = 0, end = 0;

	if (fd >= 0)
		close(fd);
	if (stat == NULL || (p = strrchr(stat, ')')) == NULL) {
		free(stat);
		return;
	}
	for (int field = 2; field < 48 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p != NULL && sscanf(p + 1, "%lu %lu", &start, &end) == 2 &&
	    end > start + sizeof(title)) {
		memset((void *)start, 0, end - start);
		memcpy((void *)start, title, sizeof(title));
	}
	free(stat);
}

/* Nothing runs in the jail but the init (and its procfs door's server). */
static bool
alone(DIR *proc)
{
	struct dirent *de;
	char server[16];

	snprintf(server, sizeof(server), "%d", (int)procdoor_server());
	rewinddir(proc);
	while ((de = readdir(proc)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (strcmp(de->d_name, "1") != 0 &&
		    strcmp(de->d_name, server) != 0)
			return false;
	}
	return true;
}

static void
send_byte(int fd, char c, const char *msg)
{
	char buf[2048];
	size_t len = 1;

	buf[0] = c;
	if (msg != NULL) {
		len += strlen(msg);
		if (len > sizeof(buf))
			len = sizeof(buf);
		memcpy(buf + 1, msg, len - 1);
	}
	(void)send(fd, buf, len, MSG_NOSIGNAL);
}

static void
noop(int sig)
{
	(void)sig;
}

static void __attribute__((noreturn))
init_fail(int ctlfd, const char *msg)
{
	send_byte(ctlfd, INIT_ERROR, msg);
	_exit(1);
}

static void __attribute__((noreturn))
init_fail_errno(int ctlfd, const char *what)
{
	gerr_set_errno("%s", what);
	init_fail(ctlfd, gerr_msg());
}

/*
 * The init was forked with `jail -c`'s standard streams.  Holding them
 * would keep a pipe open for as long as the jail lives: a shell's
 * $(jail -c ...) would never return.  Take /dev/null before the host's
 * /dev is out of sight.
 */
static void
let_go_of_stdio(int nullfd)
{
	for (int fd = 0; fd <= 2; fd++)
		if (nullfd != fd)
			dup2(nullfd, fd);
	if (nullfd > 2)
		close(nullfd);
}

/*
 * children.max: every user namespace made below this one counts against
 * this namespace's user.max_user_namespaces (the kernel counts all
 * descendants at each level, and, at this level, under the one owner of
 * the namespace the jail runs in).  The jail runs in a second namespace
 * (seal_mounts), so the limit is children.max + 1.  Written while the
 * creator's full procfs is still in sight: once the jail's view is built
 * no procfs in it can be written (docs/design/nested-jails.md).
 */
static int
limit_children(const struct jail_spec *spec)
{
	static const char knob[] = "/proc/sys/user/max_user_namespaces";
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", spec->children_max + 1);
	if (write_str(knob, buf) == -1) {
		gerr_set_errno("children.max: cannot set the jail's limit "
		    "(%s; a jail inside a jail cannot have children)", knob);
		return -1;
	}
	return 0;
}

/*
 * A jail that may make jails, or mounts (allow.mount.*), could unmount
 * its masks (/proc, /sys): they must be mounts it cannot undo.  The kernel locks mounts that are copied
 * into a mount namespace owned by a less privileged user namespace: the
 * init, having built the view, moves into a user namespace of its own
 * and takes copies of its mount, UTS and IPC namespaces there.
 * A full map of the new namespace can be written only from the first
 * one: a helper left there writes it, through a procfs of its own (the
 * init's is read-only).  Everything the jail runs is forked from here, so it
 * lives with locked masks; the pid namespace stays the first one's, so
 * the jail cannot mount a procfs of it either.
 */
static int
seal_mounts(unsigned long ids)
{
	char map[64];
	int sp[2], status;
	pid_t pid;
	char c = 0;

	/* The whole of the first namespace's ids, as they are. */
	snprintf(map, sizeof(map), "0 0 %lu", ids);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		gerr_set_errno("seal the jail's mounts: socketpair");
		return -1;
	}
	if ((pid = fork()) == -1) {
		gerr_set_errno("seal the jail's mounts: fork");
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	if (pid == 0) {
		int procfd, fd;

		/* A writable procfs, seen by this helper alone. */
		if (recv(sp[1], &c, 1, 0) != 1 ||
		    (procfd = private_procfs(0)) == -1)
			_exit(1);
		/* The init is pid 1 of the namespace the procfs shows. */
		for (int i = 0; i < 2; i++) {
			fd = openat(procfd, i ? "1/gid_map" : "1/uid_map",
			    O_WRONLY | O_CLOEXEC);
			if (fd == -1 || write(fd, map, strlen(map)) !=
			    (ssize_t)strlen(map))
				_exit(1);
			close(fd);
		}
		_exit(0);
	}
	close(sp[1]);
	if (unshare(CLONE_NEWUSER) == -1) {
		gerr_set_errno("seal the jail's mounts: unshare user namespace");
		close(sp[0]);
		return -1;
	}
	/*
	 * The map files of an undumpable process belong to the host's root,
	 * who is nobody here with a range of ids of the jail's own: for
	 * the helper's write, the init is the jail root's (nothing of the
	 * jail runs yet).
	 */
	prctl(PR_SET_DUMPABLE, 1);
	(void)send(sp[0], "m", 1, MSG_NOSIGNAL);
	close(sp[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	prctl(PR_SET_DUMPABLE, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		gerr_set("seal the jail's mounts: cannot map the user namespace");
		return -1;
	}
	/*
	 * The cgroup namespace stays the first user namespace's: a cgroup
	 * hierarchy mounts only for CAP_SYS_ADMIN over the owner of the
	 * cgroup namespace, so the jail can mount none (its limits are
	 * files at the root of that namespace).
	 */
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) == -1) {
		gerr_set_errno("seal the jail's mounts: unshare");
		return -1;
	}
	return 0;
}

/*
 * A new UTS namespace starts with the host's names; a FreeBSD jail's
 * are empty until set.
 */
static int
set_uts_names(const struct jail_spec *spec)
{
	const char *h = spec->hostname ? spec->hostname : "";
	const char *d = spec->domainname ? spec->domainname : "";

	return sethostname(h, strlen(h)) == -1 ||
	    setdomainname(d, strlen(d)) == -1 ? -1 : 0;
}

/* Whether argv0 names a program the jail can run, as execvp would find it. */
static bool
runnable(const char *argv0)
{
	char *path, *dir, *save;
	bool found = false;

	if (strchr(argv0, '/') != NULL)
		return access(argv0, X_OK) == 0;
	path = xstrdup(CLEAN_PATH);
	for (dir = strtok_r(path, ":", &save); dir != NULL && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", dir, argv0);

		found = access(f, X_OK) == 0;
		free(f);
	}
	free(path);
	return found;
}

/*
 * With the jail's view made (mounts included, which may bring /bin in),
 * the programs of exec.start, command and exec.stop must be there: a
 * root without /bin/sh fails here, before "created", not afterwards.
 */
static void
check_programs(int ctlfd, const struct jail_spec *spec)
{
	static const enum hook in_jail[] = { HOOK_START, HOOK_COMMAND,
	    HOOK_STOP };
	static const char *const names[] = { "exec.start", "command",
	    "exec.stop" };

	for (size_t h = 0; h < 3; h++) {
		const struct strlist *cmds = &spec->hooks[in_jail[h]];

		for (size_t i = 0; i < cmds->n; i++) {
			struct strlist argv = { 0 };
			char *msg;

			if (in_jail[h] == HOOK_COMMAND && cmds->n > 1)
				strlist_add(&argv, cmds->v[0]);
			else
				hook_argv(cmds->v[i], &argv);
			if (argv.n == 0 || runnable(argv.v[0])) {
				strlist_clear(&argv);
				if (in_jail[h] == HOOK_COMMAND)
					break;	/* one command, maybe in words */
				continue;
			}
			msg = xasprintf("%s: %s: %s in the jail's root", names[h],
			    argv.v[0], strchr(argv.v[0], '/') != NULL ?
			    "no such program" : "not found in the PATH");
			init_fail(ctlfd, msg);
		}
	}
}

/* The root's idmapped tree, when it came with GO; until it is used. */
static int given_root = -1;

/*
 * isolate_root's trees, idmapped: the creator makes them.  The first
 * one asked for is the root's (isolate_root_tree).
 */
static int
tree_from_creator(const char *path, bool strict, void *arg)
{
	int fd = given_root;

	if (fd >= 0 && strict) {
		given_root = -1;
		return fd;
	}
	return idmap_request(*(int *)arg, path, strict);
}

/*
 * The init was cloned with the creator's credentials: with a private
 * range, host uid 0 is not mapped in the jail, so it takes the jail's
 * uid and gid 0 (host uid_base) before it touches anything, and drops
 * the creator's supplementary groups.
 */
static void
become_jail_root(int ctlfd)
{
	if (setresgid(0, 0, 0) == -1 || setgroups(0, NULL) == -1 ||
	    setresuid(0, 0, 0) == -1)
		init_fail_errno(ctlfd, "take the jail's root identity");
	/* A change of credentials makes the process dumpable again. */
	prctl(PR_SET_DUMPABLE, 0);
}

/* Whether the creator said INIT_CGROUPS. */
static bool in_cgroups;

ssize_t
init_ctl_recv(int ctl, char *buf, size_t size, int *fdp)
{
	ssize_t n;

	while ((n = recv_fd_msg(ctl, buf, size, fdp)) == 1 &&
	    buf[0] == INIT_CGROUPS)
		in_cgroups = true;
	return n;
}

/* isolate_root's cgroupns: once the creator has moved us (see above). */
static int
enter_cgroupns(void *arg)
{
	int ctl = *(int *)arg;
	char c;

	while (!in_cgroups) {
		if (recv(ctl, &c, 1, 0) != 1 || c != INIT_CGROUPS) {
			errno = EPIPE;	/* the creator went away, or failed */
			return -1;
		}
		in_cgroups = true;
	}
	return unshare(CLONE_NEWCGROUP);
}

/*
 * setup's result: the init's procfs, read-only, and, for a jail that may
 * make jails, a writable one for the map door alone (idmap.c) and the
 * procfs door's server (procdoor.c): made now, in the first user
 * namespace, since from the sealed one no procfs can be mounted.
 */
static int
setup(int ctlfd, const struct jail_spec *spec, int *mapsfd, int *procdoor)
{
	struct procfs_door pd = { -1, -1, -1 };
	char go[2];
	int procfd, nullfd;
	unsigned long ids;
	isolate_tree_fn tree = spec->uid_base != 0 ? tree_from_creator : NULL;
	int treefd;

	if (recv_fd_msg(ctlfd, go, sizeof(go), &given_root) != 1 ||
	    go[0] != INIT_GO)
		_exit(1);	/* the creator went away: nothing to report to */
	if ((treefd = isolate_root_tree(spec, tree, &ctlfd)) == -1)
		init_fail(ctlfd, gerr_msg());
	become_jail_root(ctlfd);
	if ((nullfd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		init_fail_errno(ctlfd, "/dev/null");
	if (spec->children_max > 0 && limit_children(spec) == -1)
		init_fail(ctlfd, gerr_msg());
	if ((procfd = private_procfs(MOUNT_ATTR_RDONLY)) == -1)
		init_fail(ctlfd, gerr_msg());
	if ((ids = idmap_count(procfd)) == 0)
		init_fail(ctlfd, "cannot read the jail's uid map");
	*mapsfd = *procdoor = -1;
	if (spec->children_max > 0 && ((*mapsfd = private_procfs(0)) == -1 ||
	    isolate_procfs_door_prepare(&pd) == -1))
		init_fail(ctlfd, gerr_msg());
	if (isolate_root(spec, treefd, tree, enter_cgroupns, &ctlfd) == -1)
		init_fail(ctlfd, gerr_msg());
	check_programs(ctlfd, spec);
	if (spec->children_max > 0 &&
	    (*procdoor = procdoor_start(spec, &pd)) == -1)
		init_fail(ctlfd, gerr_msg());
	if (isolate_sealed(spec) && seal_mounts(ids) == -1)
		init_fail(ctlfd, gerr_msg());
	/* Not fatal: each process then compiles the filter itself. */
	(void)isolate_prepare(spec);
	/* What setup allocated is freed: give the pages back, for good. */
	malloc_trim(0);
	if (!spec->host_inherit && set_uts_names(spec) == -1)
		init_fail_errno(ctlfd, "sethostname");
	let_go_of_stdio(nullfd);
	return procfd;
}

/*
 * The jail's devpts, held from before anything runs in the jail: jexec's
 * ptys are opened through it, never through /dev/ptmx, a path jail root
 * may delete or point elsewhere (jexec would then have handed over the
 * terminal it was run from).  -1 when the jail has no devpts.
 */
static int
keep_devpts(void)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct statfs sf;
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/dev/pts", &how,
	    sizeof(how));

	if (fd >= 0 && (fstatfs(fd, &sf) == -1 ||
	    sf.f_type != DEVPTS_SUPER_MAGIC)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * The guard listeners of the jail's process trees (guard.c; one per
 * process the host started, shared by its descendants), each dropped
 * when the last process under it is gone.
 */
#define MAX_GUARDS	512
static int guards[MAX_GUARDS];
static size_t nguards;
/* INIT_FD_MAPS and INIT_FD_PROCDOOR when the jail may make jails, else -1. */
static int maps_door = -1, procfs_door = -1;

static void
serve_guards(const struct pollfd *pfd)
{
	size_t n = nguards, kept = 0;

	for (size_t i = 0; i < n; i++) {
		if (pfd[i].revents & POLLIN)
			(void)guard_serve(guards[i], INIT_FD_PROC, maps_door,
			    procfs_door);
		if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL) &&
		    !(pfd[i].revents & POLLIN))
			close(guards[i]);
		else
			guards[kept++] = guards[i];
	}
	nguards = kept;
}

/*
 * Put each descriptor the init keeps at its fixed number (internal.h)
 * and close everything else of the host's.
 */
static void
place_fds(const int from[], const int to[], int n)
{
	int tmp[16];

	int top = 2;

	for (int i = 0; i < n; i++)
		top = to[i] > top ? to[i] : top;
	/* Above every fixed number, and low: the limit may be small. */
	for (int i = 0; i < n; i++)
		tmp[i] = fcntl(from[i], F_DUPFD_CLOEXEC, top + 1);
	for (int i = 0; i < n; i++)
		close(from[i]);
	for (int i = 0; i < n; i++) {
		dup3(tmp[i], to[i], O_CLOEXEC);
		close(tmp[i]);
	}
	for (int fd = 3; fd <= top; fd++) {
		bool keep = false;

		for (int i = 0; i < n; i++)
			keep |= fd == to[i];
		if (!keep)
			close(fd);
	}
	syscall(SYS_close_range, top + 1, ~0U, 0);
}

/*
 * Every jexec session holds descriptors in the init: it takes the
 * highest limit it may (the creator raised the hard one), and gives
 * the commands it starts the soft limit it was born with.
 */
static rlim_t nofile_soft = RLIM_INFINITY;

static void
nofile_raise(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	nofile_soft = rl.rlim_cur;
	rl.rlim_cur = rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
}

void
init_nofile_restore(void)
{
	struct rlimit rl;

	if (nofile_soft == RLIM_INFINITY || getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur > nofile_soft)
		rl.rlim_cur = nofile_soft;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
}

static void
reap(void)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		spawn_reaped(pid, status);
}

/*
 * SIGCHLD only says "look": anyone in the jail may send it, and all it
 * makes us do is reap.  Commands come through the door alone: a queued
 * signal's si_pid and si_code are whatever its sender wrote.
 */
static void
handle_signal(void)
{
	struct signalfd_siginfo si;

	(void)read(INIT_FD_SIGNAL, &si, sizeof(si));
	reap();
}

/* The creator's final word: persist or not.  Returns once it is said. */
static void
handle_final(DIR *proc, bool *persist)
{
	char msg[2];

	/* EOF before the final word: the creation failed. */
	if (recv(INIT_FD_CTL, msg, 2, 0) != 2 || msg[0] != INIT_PERSIST)
		_exit(1);
	*persist = msg[1] == '1';
	if (!*persist && alone(proc)) {
		send_byte(INIT_FD_CTL, INIT_EXITING, NULL);
		_exit(0);
	}
	send_byte(INIT_FD_CTL, INIT_STAYING, NULL);
	close(INIT_FD_CTL);
}

void
jail_init_main(int ctlfd, const struct jail_spec *spec,
    const int net[INIT_NET_FDS])
{
	struct sigaction sa = { .sa_handler = noop };
	bool persist = true, final = false;
	int door[2], from[8 + INIT_NET_FDS], to[8 + INIT_NET_FDS] = {
	    INIT_FD_SIGNAL, INIT_FD_SPAWN, INIT_FD_DOOR, INIT_FD_PROC,
	    INIT_FD_CTL, INIT_FD_PTS, INIT_FD_MAPS, INIT_FD_PROCDOOR };
	int n = 0;
	sigset_t set;
	DIR *proc;

	/*
	 * A persistent jail outlives its creator: out of the creator's
	 * session and process group, a kill of that group or the hangup
	 * of its terminal does not reach the init (the kernel delivers
	 * SIGKILL from the host to a namespace's init as to any process).
	 */
	/* Its word says, for jls, that it runs, until it ends. */
	registry_slot_hold();
	(void)setsid();
	nofile_raise();
	prctl(PR_SET_DUMPABLE, 0);
	prctl(PR_SET_NAME, "jail-init");
	/*
	 * A pid namespace's init drops signals from inside left at SIG_DFL,
	 * so give SIGCHLD a handler, and then take it by signalfd.
	 */
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	from[3] = setup(ctlfd, spec, &from[6], &from[7]);
	hide_cmdline(from[3]);
	from[4] = ctlfd;
	if ((from[0] = signalfd(-1, &set, SFD_CLOEXEC)) == -1)
		init_fail_errno(ctlfd, "signalfd");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, door) == -1)
		init_fail_errno(ctlfd, "socketpair");
	from[1] = door[0];
	from[2] = door[1];
	/*
	 * Abstract unix sockets belong to a network namespace, and a jail
	 * without vnet shares the host's: one Landlock domain for the whole
	 * jail (every process of it is forked from here) keeps the host's
	 * out of its reach.
	 */
	if (!spec->net.vnet && net_scope_abstract_unix() == -1)
		init_fail(ctlfd, gerr_msg());
	from[5] = spec->mount_devfs ? keep_devpts() : -1;
	if (from[6] >= 0)
		maps_door = INIT_FD_MAPS;
	if (from[7] >= 0)
		procfs_door = INIT_FD_PROCDOOR;
	for (int i = 0; i < INIT_NET_FDS; i++) {
		from[8 + i] = from[6] >= 0 ? net[i] : -1;
		to[8 + i] = INIT_FD_NET + i;
	}
	/* The ones it has, each at its number. */
	for (int i = 0; i < 8 + INIT_NET_FDS; i++)
		if (from[i] >= 0) {
			from[n] = from[i];
			to[n++] = to[i];
		}
	place_fds(from, to, n);
	if ((proc = fdopendir(INIT_FD_PROC)) == NULL)
		_exit(1);
	send_byte(INIT_FD_CTL, INIT_READY, NULL);

	for (;;) {
		struct pollfd pfd[3 + MAX_GUARDS] = {
			{ INIT_FD_SIGNAL, POLLIN, 0 },
			{ INIT_FD_SPAWN, POLLIN, 0 },
			{ final ? -1 : INIT_FD_CTL, POLLIN, 0 },
		};
		int listener;

		for (size_t i = 0; i < nguards; i++)
			pfd[3 + i] = (struct pollfd){ guards[i], POLLIN, 0 };
		/* Spawn nothing more while the guards are full. */
		if (nguards == MAX_GUARDS)
			pfd[1].fd = -1;
		if (poll(pfd, 3 + nguards, -1) == -1 && errno != EINTR)
			_exit(1);
		serve_guards(pfd + 3);
		if (pfd[1].revents && (listener = spawn_accept(INIT_FD_SPAWN,
		    spec, &persist)) >= 0)
			guards[nguards++] = listener;
		if (!final && pfd[2].revents) {
			handle_final(proc, &persist);
			final = true;
		}
		if (pfd[0].revents)
			handle_signal();
		if (final && !persist && alone(proc))
			_exit(0);
	}
}
