/*
 * Processes are started in a jail by its init: the host sends a request
 * (spawn_send, in enter.c) through a socket the init holds, and the init
 * forks.  The child is then already in every namespace, cgroup and
 * Landlock domain of the jail, with the jail's rlimits, so entering costs
 * a fork and nothing else: no cgroup move (a v1 cgroup move waits for an
 * RCU grace period), no setns, and every process of the jail shares one
 * Landlock domain (so they may ptrace each other and reach each other's
 * abstract sockets, as processes of one FreeBSD jail can).
 *
 * Until it execs, the child's memory is the init's: described by the
 * host's user namespace and undumpable, so the jail cannot ptrace it or
 * read it.  It closes every descriptor but the three it was given, so no
 * host file and no host working directory reaches the jail.
 *
 * The door: the init keeps both ends of a SOCK_SEQPACKET pair, reading
 * requests at INIT_FD_SPAWN; the host takes a copy of the other end,
 * INIT_FD_DOOR, with pidfd_getfd(2), which only a process allowed to
 * ptrace the init can do: never one in the jail.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "internal.h"
#include "passwd.h"
#include "../state/record.h"
#include "../isolate/isolate.h"
#include "../rctl/rctl.h"

extern char **environ;

/* A decoded request. */
struct request {
	struct strlist	 argv;
	struct strlist	 env;
	char		*dir;
	char		*user;		/* of the jail's passwd */
	char		*hostuser;	/* of the host's: name, uid, gid */
	uid_t		 host_uid;
	gid_t		 host_gid;
	bool		 login;
	bool		 tty;
	bool		 no_new_privs;
	bool		 has_ids;	/* enter_opts.ids */
	struct enter_ids ids;
	gid_t		*groups;	/* ids.groups */
	bool		 has_caps;
	struct cap_sets	 caps;
	int		 persist;	/* -1, or a persist change: 0, 1 */
	struct jail_live live;		/* what jail -m may have changed */
	int		 reply;		/* the requester's reply socket */
	int		 stdio[3];
};

/* Children of the init that someone waits for. */
struct waiter {
	pid_t	pid;
	int	reply;
};
static struct waiter *waiters;
static size_t nwaiters;

int
send_fds(int sock, const void *buf, size_t len, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds > 0) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == -1 ? -1 : 0;
}

/* One reply message; *fdp receives a passed descriptor, if any. */
ssize_t
recv_fd_msg(int fd, char *buf, size_t size, int *fdp)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { buf, size - 1 };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;

	*fdp = -1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	while ((n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC)) == -1 && errno == EINTR)
		;
	if (n <= 0)
		return n;
	buf[n] = '\0';
	cm = CMSG_FIRSTHDR(&mh);
	if (cm != NULL && cm->cmsg_type == SCM_RIGHTS)
		memcpy(fdp, CMSG_DATA(cm), sizeof(int));
	return n;
}

void
spawn_send_msg(int fd, char kind, const char *text, int passfd)
{
	char buf[2048];
	size_t len = 1;

	buf[0] = kind;
	if (text != NULL) {
		len += strlen(text);
		if (len > sizeof(buf))
			len = sizeof(buf);
		memcpy(buf + 1, text, len - 1);
	}
	(void)send_fds(fd, buf, len, &passfd, passfd >= 0 ? 1 : 0);
}

/* "ids UID GID UMASK G1,G2,...": enter_opts.ids. */
static void
decode_ids(struct request *rq, const struct strlist *f)
{
	char *all = xstrdup(f->v[4]), *save = NULL;

	rq->has_ids = true;
	rq->ids.uid = (uid_t)strtoul(f->v[1], NULL, 10);
	rq->ids.gid = (gid_t)strtoul(f->v[2], NULL, 10);
	rq->ids.umask = atoi(f->v[3]);
	for (char *g = strtok_r(all, ",", &save); g != NULL;
	    g = strtok_r(NULL, ",", &save)) {
		rq->groups = xrealloc(rq->groups, rq->ids.ngroups + 1,
		    sizeof(gid_t));
		rq->groups[rq->ids.ngroups++] = (gid_t)strtoul(g, NULL, 10);
	}
	rq->ids.groups = rq->groups;
	free(all);
}

static int
decode_line(void *arg, const struct strlist *f)
{
	struct request *rq = arg;
	const char *k = f->v[0];

	if (strcmp(k, "arg") == 0 && f->n == 2)
		strlist_add(&rq->argv, f->v[1]);
	else if (strcmp(k, "env") == 0 && f->n == 2)
		strlist_add(&rq->env, f->v[1]);
	else if (strcmp(k, "dir") == 0 && f->n == 2)
		rq->dir = xstrdup(f->v[1]);
	else if (strcmp(k, "user") == 0 && f->n == 2)
		rq->user = xstrdup(f->v[1]);
	else if (strcmp(k, "hostuser") == 0 && f->n == 4) {
		rq->hostuser = xstrdup(f->v[1]);
		rq->host_uid = (uid_t)strtoul(f->v[2], NULL, 10);
		rq->host_gid = (gid_t)strtoul(f->v[3], NULL, 10);
	} else if (strcmp(k, "ids") == 0 && f->n == 5)
		decode_ids(rq, f);
	else if (strcmp(k, "caps") == 0 && f->n == 6) {
		uint64_t *sets[] = { &rq->caps.bounding, &rq->caps.effective,
		    &rq->caps.permitted, &rq->caps.inheritable,
		    &rq->caps.ambient };

		for (int i = 0; i < 5; i++)
			*sets[i] = strtoull(f->v[1 + i], NULL, 16);
		rq->has_caps = true;
	} else if (strcmp(k, "login") == 0)
		rq->login = true;
	else if (strcmp(k, "tty") == 0)
		rq->tty = true;
	else if (strcmp(k, "nonewprivs") == 0)
		rq->no_new_privs = true;
	else if (strcmp(k, "persist") == 0 && f->n == 2)
		rq->persist = strcmp(f->v[1], "0") != 0;
	else if (strcmp(k, "live") == 0 && f->n >= 2) {
		struct strlist vals = { 0 };

		for (size_t i = 2; i < f->n; i++)
			strlist_add(&vals, f->v[i]);
		jparams_setl(&rq->live.params, f->v[1], &vals, NULL, 0);
		strlist_clear(&vals);
	}
	return 0;
}

static void
request_free(struct request *rq)
{
	strlist_clear(&rq->argv);
	strlist_clear(&rq->env);
	free(rq->dir);
	free(rq->user);
	free(rq->hostuser);
	free(rq->groups);
	spec_live_free(&rq->live);
	for (int i = 0; i < 3; i++)
		if (rq->stdio[i] >= 0)
			close(rq->stdio[i]);
}

/*
 * Receive one request and its descriptors: reply, in, out, err (a
 * persist change brings the reply socket alone).
 */
static int
request_recv(int fd, struct request *rq)
{
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	static char buf[SPAWN_MSG_MAX + 1];
	struct iovec iov = { buf, SPAWN_MSG_MAX };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;
	int fds[4];

	memset(rq, 0, sizeof(*rq));
	rq->persist = -1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n <= 0)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm == NULL || cm->cmsg_type != SCM_RIGHTS ||
	    (cm->cmsg_len != CMSG_LEN(sizeof(fds)) &&
	    cm->cmsg_len != CMSG_LEN(sizeof(int)))) {
		/* Not ours to keep: whatever came, close it. */
		if (cm != NULL && cm->cmsg_type == SCM_RIGHTS)
			for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) /
			    sizeof(int); i++)
				close(((int *)(void *)CMSG_DATA(cm))[i]);
		return -1;
	}
	fds[1] = fds[2] = fds[3] = -1;
	memcpy(fds, CMSG_DATA(cm), cm->cmsg_len - CMSG_LEN(0));
	buf[n] = '\0';
	rq->reply = fds[0];
	memcpy(rq->stdio, fds + 1, sizeof(rq->stdio));
	(void)record_each_line(buf, decode_line, rq);
	if (rq->persist < 0 && rq->stdio[0] < 0) {
		close(rq->reply);
		request_free(rq);
		return -1;
	}
	return 0;
}

/* The door only the host can reach (see above): the init's *persist. */
static void
persist_change(struct request *rq, bool *persist)
{
	*persist = rq->persist == 1;
	spawn_send_msg(rq->reply, SPAWN_EXIT, "0", -1);
	close(rq->reply);
	rq->reply = -1;
	request_free(rq);
}

/* --- the child, between fork and exec --- */

static void __attribute__((noreturn))
child_fail(const struct request *rq)
{
	spawn_send_msg(rq->reply, SPAWN_ERROR, gerr_msg(), -1);
	_exit(1);
}

static void
reset_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * A terminal of the jail's own (its devpts, through the init's handle):
 * the jail can push input only into that, never into the terminal
 * jexec was run from.  The master goes back to jexec, which copies
 * between the two.  Without one, jexec is told so and relays the
 * pipes it sent.
 */
static bool
take_pty(const struct request *rq)
{
	int master, slave, unlock = 0;

	master = openat(INIT_FD_PTS, "ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master == -1)
		return false;
	if (ioctl(master, TIOCSPTLCK, &unlock) == -1 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) == -1) {
		close(master);
		return false;
	}
	if (setsid() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1) {
		close(master);
		close(slave);
		return false;
	}
	for (int fd = 0; fd <= 2; fd++)
		dup2(slave, fd);
	if (slave > 2)
		close(slave);
	spawn_send_msg(rq->reply, SPAWN_PTY, NULL, master);
	close(master);
	return true;
}

static void
take_stdio(const struct request *rq)
{
	int fds[3];

	/* Above 2 first, so that dup2 cannot overwrite one we still need. */
	for (int i = 0; i < 3; i++)
		fds[i] = fcntl(rq->stdio[i], F_DUPFD_CLOEXEC, 3);
	for (int i = 0; i < 3; i++)
		dup2(fds[i], i);
	(void)setsid();
}

/*
 * The ids as given (OCI process.user): the jail's passwd, when it has
 * the uid, gives home, shell and the groups of its /etc/group; the gid
 * and the extra groups are the request's.
 */
static void
take_ids(const struct request *rq, struct juser *u)
{
	char uid[16];
	size_t n;

	snprintf(uid, sizeof(uid), "%u", (unsigned)rq->ids.uid);
	if (juser_lookup("", uid, u) == -1 || u->uid != rq->ids.uid) {
		juser_free(u);
		memset(u, 0, sizeof(*u));
		u->name = xstrdup(uid);
		u->home = xstrdup("/");
		u->shell = xstrdup("/bin/sh");
	}
	u->uid = rq->ids.uid;
	u->gid = rq->ids.gid;
	n = u->ngroups;
	u->groups = xrealloc(u->groups, n + rq->ids.ngroups + 1, sizeof(gid_t));
	if (rq->ids.ngroups > 0)	/* else groups may be NULL */
		memcpy(u->groups + n, rq->ids.groups,
		    rq->ids.ngroups * sizeof(gid_t));
	u->ngroups = n + rq->ids.ngroups;
	if (u->ngroups == 0)
		u->groups[u->ngroups++] = u->gid;
}

static void
find_user(const struct request *rq, struct juser *u)
{
	const char *name = rq->user ? rq->user :
	    rq->hostuser ? rq->hostuser : "root";

	if (rq->has_ids && rq->user == NULL) {
		take_ids(rq, u);
		return;
	}
	if (juser_lookup("", name, u) == 0)
		return;
	if (rq->user != NULL)
		child_fail(rq);
	/* root, or a host user the jail does not know: still run. */
	memset(u, 0, sizeof(*u));
	u->name = xstrdup(name);
	u->home = xstrdup("/");
	u->shell = xstrdup("/bin/sh");
	u->groups = xcalloc(1, sizeof(gid_t));
	u->ngroups = 1;
}

static void
switch_user(const struct request *rq, struct juser *u)
{
	if (rq->hostuser != NULL) {
		/* -u: the host's idea of this user, as jexec(8) says. */
		u->uid = rq->host_uid;
		u->gid = rq->host_gid;
		u->groups[0] = u->gid;
		u->ngroups = 1;
	}
	if (setgroups(u->ngroups, u->groups) == -1 ||
	    setresgid(u->gid, u->gid, u->gid) == -1 ||
	    setresuid(u->uid, u->uid, u->uid) == -1) {
		gerr_set_errno("%s: cannot switch to this user", u->name);
		child_fail(rq);
	}
}

static void
build_env(const struct request *rq, const struct juser *u)
{
	const char *term = NULL;

	clearenv();
	for (size_t i = 0; i < rq->env.n; i++) {
		if (strncmp(rq->env.v[i], "TERM=", 5) == 0)
			term = rq->env.v[i] + 5;
		if (!rq->login)
			putenv(rq->env.v[i]);
	}
	if (rq->login) {
		if (term != NULL)
			setenv("TERM", term, 1);
		setenv("HOME", u->home, 1);
		setenv("SHELL", u->shell, 1);
		setenv("USER", u->name, 1);
		setenv("LOGNAME", u->name, 1);
	}
	if (getenv("PATH") == NULL || rq->login)
		setenv("PATH", CLEAN_PATH, 1);
}

/*
 * A jail on the host's network stack: its binds (and map door opens) go
 * to the init (see guard.c), which gets the listener over guard.  EBUSY:
 * a filter with a listener is there already, which in a jail can only be
 * the guard of the jail this one was made in, whose init then serves
 * this jail's binds too (its procfs shows this jail's processes).
 */
static void
take_bind_filter(const struct request *rq, int guard)
{
	int listener;

	if (guard < 0)
		return;
	listener = guard_filter();
	if (listener == -1 && errno != EBUSY)
		child_fail(rq);
	if (listener >= 0 && send_fds(guard, "L", 1, &listener, 1) == -1) {
		gerr_set_errno("cannot give the jail's init its bind guard");
		child_fail(rq);
	}
	if (listener >= 0)
		close(listener);
	close(guard);
}

static void __attribute__((noreturn))
child_run(struct request *rq, const struct jail_spec *init_spec, int guard)
{
	struct jail_spec spec = *init_spec;	/* read only: not freed */
	struct juser u;
	const char *dir;
	char *shellargv[2];
	char **argv;

	reset_signals();
	take_bind_filter(rq, guard);
	if (!(rq->tty && take_pty(rq))) {
		if (rq->tty)
			spawn_send_msg(rq->reply, SPAWN_PTY, NULL, -1);
		take_stdio(rq);
	}
	/* Nothing of the host's but the reply socket, closed by exec. */
	if (rq->reply != 3 && dup3(rq->reply, 3, O_CLOEXEC) == -1)
		_exit(1);
	rq->reply = 3;
	if (syscall(SYS_close_range, 4, ~0U, 0) == -1)
		for (int fd = 4; fd < 1024; fd++)
			close(fd);
	/* The init's typed spec, with what jail -m may have changed since
	 * (never what is fixed at creation: a sealed jail stays sealed);
	 * its list is this process's copy of the init's. */
	spec_take_live(&spec, &rq->live);
	find_user(rq, &u);
	init_nofile_restore();
	/* First: no filter loaded below can refuse it then. */
	if (rq->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		gerr_set_errno("no_new_privs");
		child_fail(rq);
	}
	if (rctl_enter_limits(&spec) == -1 || isolate_process(&spec) == -1 ||
	    (rq->has_caps && caps_bound(&rq->caps) == -1))
		child_fail(rq);
	switch_user(rq, &u);
	if (rq->has_caps && caps_set(&rq->caps) == -1)
		child_fail(rq);
	if (rq->has_ids && rq->ids.umask >= 0)
		umask((mode_t)rq->ids.umask);
	dir = rq->dir ? rq->dir : rq->login ? u.home : "/";
	if (chdir(dir) == -1) {
		gerr_set_errno("%s", dir);
		child_fail(rq);
	}
	build_env(rq, &u);
	argv = rq->argv.v;
	if (rq->argv.n == 0) {
		shellargv[0] = u.shell;
		shellargv[1] = NULL;
		argv = shellargv;
	}
	execvp(argv[0], argv);
	gerr_set_errno("execvp: %s", argv[0]);
	child_fail(rq);
}

/* --- the init's side --- */

/* The child's bind listener, if it sends one within a few seconds. */
static int
guard_listener(int guard)
{
	struct pollfd pfd = { guard, POLLIN, 0 };
	char buf[8];
	int fd = -1;

	if (poll(&pfd, 1, 5000) == 1)
		(void)recv_fd_msg(guard, buf, sizeof(buf), &fd);
	close(guard);
	return fd;
}

int
spawn_accept(int reqfd, const struct jail_spec *spec, bool *persist)
{
	bool guard_binds = !spec->net.vnet;
	struct request rq;
	pid_t pid;
	int pidfd, guard[2] = { -1, -1 };

	if (request_recv(reqfd, &rq) == -1)
		return -1;
	if (rq.persist >= 0) {
		persist_change(&rq, persist);
		return -1;
	}
	if ((guard_binds && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
	    0, guard) == -1) || (pid = fork()) == -1) {
		gerr_set_errno(guard_binds && guard[0] < 0 ? "socketpair" :
		    "fork");
		spawn_send_msg(rq.reply, SPAWN_ERROR, gerr_msg(), -1);
		spawn_send_msg(rq.reply, SPAWN_EXIT, "1", -1);
		close(rq.reply);
		request_free(&rq);
		if (guard[0] >= 0) {
			close(guard[0]);
			close(guard[1]);
		}
		return -1;
	}
	if (pid == 0) {
		if (guard[0] >= 0)
			close(guard[0]);
		child_run(&rq, spec, guard[1]);
	}
	if (guard[1] >= 0)
		close(guard[1]);
	/* The host cannot wait for our child: give it a pidfd to signal. */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	spawn_send_msg(rq.reply, SPAWN_PID, NULL, pidfd);
	if (pidfd >= 0)
		close(pidfd);
	waiters = xrealloc(waiters, nwaiters + 1, sizeof(*waiters));
	waiters[nwaiters].pid = pid;
	waiters[nwaiters].reply = rq.reply;
	nwaiters++;
	rq.reply = -1;
	request_free(&rq);
	return guard[0] >= 0 ? guard_listener(guard[0]) : -1;
}

void
spawn_reaped(pid_t pid, int status)
{
	char buf[16];

	for (size_t i = 0; i < nwaiters; i++) {
		if (waiters[i].pid != pid)
			continue;
		snprintf(buf, sizeof(buf), "%d", WIFEXITED(status) ?
		    WEXITSTATUS(status) : WIFSIGNALED(status) ?
		    128 + WTERMSIG(status) : 1);
		spawn_send_msg(waiters[i].reply, SPAWN_EXIT, buf, -1);
		close(waiters[i].reply);
		waiters[i] = waiters[--nwaiters];
		return;
	}
}
