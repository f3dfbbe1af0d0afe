/*
 * Entering a live jail: jexec(8), exec.start, command=.  The host side of
 * spawn.c: ask the jail's init to start the command, hand it our standard
 * streams (or copy between our terminal and a terminal of the jail's
 * own), pass signals on, and wait for the exit status.  Nothing here
 * joins a namespace: this process stays wholly on the host.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include <linux/magic.h>

#include "internal.h"
#include "../state/record.h"

extern char **environ;

static void
put_line(FILE *f, const char *key, const char *value)
{
	fputs(key, f);
	if (value != NULL) {
		fputc('\t', f);
		record_put_escaped(f, value);
	}
	fputc('\n', f);
}

/* KEY, the parameter's name, its values: one line. */
static void
put_fields(FILE *f, const char *key, const struct jparam *p)
{
	fputs(key, f);
	fputc('\t', f);
	record_put_escaped(f, p->name);
	for (size_t i = 0; i < p->val.n; i++) {
		fputc('\t', f);
		record_put_escaped(f, p->val.v[i]);
	}
	fputc('\n', f);
}

/*
 * An init a gaol before SPAWN_LIVE started (its jail made before an
 * upgrade) reads what jail -m changed as three typed lines.
 */
static void
put_live_typed(FILE *f, const struct jrecord *rec)
{
	const struct jparam *caps;
	struct jail_spec s;

	if (jrecord_spec(rec, &s) == -1)
		return;
	fprintf(f, "securelevel\t%d\nallow\t%llx\n", s.securelevel,
	    (unsigned long long)s.allow);
	if ((caps = jparams_find(&s.params, "gaol.capabilities")) != NULL) {
		fputs("capabilities", f);
		for (size_t i = 0; i < caps->val.n; i++) {
			fputc('\t', f);
			record_put_escaped(f, caps->val.v[i]);
		}
		fputc('\n', f);
	}
	spec_free(&s);
}

static char *
build_request(const struct jrecord *rec, const struct enter_opts *o,
    const struct passwd *hostpw, char *const argv[], bool tty)
{
	char *buf = NULL, *record;
	struct jail_live live;
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);

	for (char *const *a = argv; a && *a; a++)
		put_line(f, "arg", *a);
	for (char **e = environ; e && *e; e++)
		put_line(f, "env", *e);
	for (char *const *e = o->env; e && *e; e++)
		put_line(f, "env", *e);
	if (o->dir != NULL)
		put_line(f, "dir", o->dir);
	if (o->user != NULL)
		put_line(f, "user", o->user);
	if (hostpw != NULL)
		fprintf(f, "hostuser\t%s\t%u\t%u\n", hostpw->pw_name,
		    (unsigned)hostpw->pw_uid, (unsigned)hostpw->pw_gid);
	if (o->ids != NULL) {
		fprintf(f, "ids\t%u\t%u\t%d\t", (unsigned)o->ids->uid,
		    (unsigned)o->ids->gid, o->ids->umask);
		for (size_t i = 0; i < o->ids->ngroups; i++)
			fprintf(f, "%s%u", i > 0 ? "," : "",
			    (unsigned)o->ids->groups[i]);
		fputc('\n', f);
	}
	if (o->caps != NULL)
		fprintf(f, "caps\t%llx\t%llx\t%llx\t%llx\t%llx\n",
		    (unsigned long long)o->caps->bounding,
		    (unsigned long long)o->caps->effective,
		    (unsigned long long)o->caps->permitted,
		    (unsigned long long)o->caps->inheritable,
		    (unsigned long long)o->caps->ambient);
	if (o->login)
		put_line(f, "login", NULL);
	if (o->no_new_privs)
		put_line(f, "nonewprivs", NULL);
	if (tty)
		put_line(f, "tty", NULL);
	/* As the record is now: jail -m changes reach new processes. */
	spec_live(&live, &rec->params);
	for (size_t i = 0; i < live.params.n; i++)
		put_fields(f, "live", &live.params.v[i]);
	spec_live_free(&live);
	if (rec->spawn < SPAWN_LIVE)
		put_live_typed(f, rec);
	if (rec->spawn < SPAWN_TYPED) {
		/* an older gaol's init reads the parameters themselves */
		record = record_encode(rec);
		fputs(record, f);
		free(record);
	}
	fclose(f);
	return buf;
}

/*
 * Send the request with a reply socket and NFDS more descriptors (in,
 * out, err); returns the reply socket.
 */
static int
send_request(int door, const char *req, const int *fds, int nfds)
{
	int sp[2], all[4];

	if (strlen(req) > SPAWN_MSG_MAX) {
		errno = E2BIG;
		gerr_set_errno("spawn");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		gerr_set_errno("socketpair");
		return -1;
	}
	all[0] = sp[1];
	if (nfds > 0)
		memcpy(all + 1, fds, (size_t)nfds * sizeof(int));
	if (send_fds(door, req, strlen(req), all, 1 + nfds) == -1) {
		gerr_set_errno("spawn");
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	close(sp[1]);
	return sp[0];
}

/* A copy of the init's door (see spawn.c), or -1. */
static int
door_open(int pidfd)
{
	return (int)syscall(SYS_pidfd_getfd, pidfd, INIT_FD_DOOR, 0);
}

/*
 * The standard streams.  Only descriptors whose host identity the jail
 * cannot reach cross into it: a pipe (reopening /proc/self/fd/N of one
 * gives the same pipe) or a socket (which cannot be reopened at all).
 * A file, directory, terminal or device would let the jail reopen the
 * host's object through /proc/self/fd/N with its own rights (writable,
 * a directory to enter with -d), fchmod it, or keep a terminal after we
 * are gone; those are copied through a pipe of ours instead
 * (docs/design/jail-init-and-entering.md).
 */
static bool
passable(int fd)
{
	struct stat st;
	struct statfs sf;

	if (fstat(fd, &st) == -1)
		return false;
	if (S_ISSOCK(st.st_mode))
		return true;
	return S_ISFIFO(st.st_mode) && fstatfs(fd, &sf) == 0 &&
	    sf.f_type == PIPEFS_MAGIC;
}

/* One stream copied between the caller's descriptor and a pipe of ours. */
struct relay {
	int	 host;		/* the caller's: never closed here */
	int	 pipe;		/* our end, non-blocking; -1 once done */
	bool	 in;		/* host to jail (stdin) */
	bool	 held;		/* stdin, until we know there is no pty */
	size_t	 len, off;	/* stdin's buffered input */
	char	 buf[8192];
};

/* What one run looks like from here. */
struct session {
	int		 reply;
	int		 child;		/* pidfd */
	int		 master;	/* -1 without a terminal */
	int		 sigfd;
	int		 status;	/* -1 until SPAWN_EXIT */
	const struct enter_opts *opts;
	bool		 in_eof;
	char		*error;
	struct termios	 saved;
	bool		 raw;
	struct relay	 relay[3];
	int		 nrelay;
};

static void
relay_close(struct relay *r)
{
	if (r->pipe >= 0)
		close(r->pipe);
	r->pipe = -1;
}

/* Whether two descriptors share one open file (2>&1): one pipe then. */
static bool
same_file(int a, int b)
{
	pid_t self = getpid();

	return a == b || syscall(SYS_kcmp, self, self, KCMP_FILE, a, b) == 0;
}

/*
 * What the child gets for HOST[0..2] in CHILD[0..2]: the caller's own
 * where passable, else the far end of a new pipe (ours to close once
 * sent, listed in MINE).  With a terminal asked for, stdin is held until
 * the child says whether it got a pty: the pty's master reads it then.
 */
static int
streams_prepare(struct session *s, const int host[3], bool tty, int child[3],
    int mine[3])
{
	for (int i = 0; i < 3; i++) {
		struct relay *r;
		int p[2];

		mine[i] = -1;
		if (i == 2 && same_file(host[1], host[2])) {
			child[2] = child[1];
			continue;
		}
		if (passable(host[i])) {
			child[i] = host[i];
			continue;
		}
		if (pipe2(p, O_CLOEXEC) == -1) {
			gerr_set_errno("pipe");
			return -1;
		}
		r = &s->relay[s->nrelay++];
		memset(r, 0, offsetof(struct relay, buf));
		r->host = host[i];
		r->in = i == 0;
		r->held = r->in && tty;
		r->pipe = r->in ? p[1] : p[0];
		child[i] = mine[i] = r->in ? p[0] : p[1];
		(void)fcntl(r->pipe, F_SETFL, O_NONBLOCK);
	}
	return 0;
}

static bool
write_all(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, (size_t)n);

		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		buf += w;
		n -= w;
	}
	return true;
}

/* The caller's input into the jail's pipe, as much as it takes. */
static void
relay_input(struct relay *r)
{
	ssize_t n;

	if (r->len == 0) {
		while ((n = read(r->host, r->buf, sizeof(r->buf))) == -1 &&
		    errno == EINTR)
			;
		if (n <= 0) {
			relay_close(r);		/* EOF reaches the jail */
			return;
		}
		r->len = (size_t)n;
		r->off = 0;
	}
	n = write(r->pipe, r->buf + r->off, r->len - r->off);
	if (n == -1 && errno != EAGAIN && errno != EINTR) {
		relay_close(r);			/* it closed its stdin */
		return;
	}
	if (n > 0 && (r->off += (size_t)n) == r->len)
		r->len = 0;
}

/* What the jail wrote, out to the caller; false once it has no more. */
static bool
relay_output(struct relay *r)
{
	char buf[8192];
	ssize_t n = read(r->pipe, buf, sizeof(buf));

	if (n > 0) {
		/* A reader gone on our side: the jail's writes fail too. */
		if (!write_all(r->host, buf, n))
			relay_close(r);
		return r->pipe >= 0;
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		relay_close(r);
	return false;
}

static void
copy_winsize(const struct session *s)
{
	struct winsize ws;

	if (s->master >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(s->master, TIOCSWINSZ, &ws);
}

/* The child's answer to "tty": a master, or none (the pipes serve). */
static void
start_terminal(struct session *s, int master)
{
	struct termios raw;

	for (int i = 0; i < s->nrelay; i++) {
		if (master >= 0)
			relay_close(&s->relay[i]);
		s->relay[i].held = false;
	}
	if (master < 0)
		return;
	s->master = master;
	copy_winsize(s);
	if (tcgetattr(STDIN_FILENO, &s->saved) == 0) {
		raw = s->saved;
		cfmakeraw(&raw);
		s->raw = tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0;
	}
}

static void
end_terminal(struct session *s)
{
	if (s->raw)
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &s->saved);
	if (s->master >= 0)
		close(s->master);
	s->master = -1;
	for (int i = 0; i < s->nrelay; i++)
		relay_close(&s->relay[i]);
}

/* Copy what the jail's terminal has said, until it has no more. */
static bool
pump_master(struct session *s)
{
	char buf[8192];
	ssize_t n = read(s->master, buf, sizeof(buf));

	if (n > 0) {
		write_all(STDOUT_FILENO, buf, n);
		return true;
	}
	return n == -1 && (errno == EINTR || errno == EAGAIN);
}

static void
handle_reply(struct session *s)
{
	char buf[2048];
	int fd;
	ssize_t n = recv_fd_msg(s->reply, buf, sizeof(buf), &fd);

	if (n <= 0) {
		if (s->status < 0)
			s->status = 1;	/* the init went away */
		if (s->child < 0 && s->error == NULL)
			s->error = xstrdup("the jail's init dropped the request "
			    "(out of descriptors or memory?)");
		return;
	}
	switch (buf[0]) {
	case SPAWN_PID:
		s->child = fd;
		if (s->opts->started != NULL && fd >= 0)
			s->opts->started(fd, s->opts->started_arg);
		return;
	case SPAWN_PTY:
		start_terminal(s, fd);
		return;
	case SPAWN_ERROR:
		free(s->error);
		s->error = xstrdup(buf + 1);
		break;
	case SPAWN_EXIT:
		s->status = atoi(buf + 1);
		break;
	}
	if (fd >= 0)
		close(fd);
}

static void
handle_signal(struct session *s)
{
	struct signalfd_siginfo si;

	if (read(s->sigfd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGWINCH)
		copy_winsize(s);
	else if (s->child >= 0)
		syscall(SYS_pidfd_send_signal, s->child, si.ssi_signo, NULL, 0);
	else if (si.ssi_signo != SIGQUIT) {
		/* No command to pass it to yet: it is for us. */
		free(s->error);
		s->error = xasprintf("interrupted (%s) while waiting for the "
		    "jail's init", strsignal((int)si.ssi_signo));
		s->status = 128 + (int)si.ssi_signo;
	}
}

/* How long the init has to start the command and say so. */
#define INIT_ANSWER_SECS	30

static int
remaining_ms(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	if (deadline->tv_sec == 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* The descriptors to wait on: fixed ones first, then one per relay. */
enum { P_REPLY, P_SIG, P_MASTER, P_STDIN, P_RELAY };

static nfds_t
poll_set(const struct session *s, struct pollfd *pfd, int *which)
{
	nfds_t n = P_RELAY;

	pfd[P_REPLY] = (struct pollfd){ s->reply, POLLIN, 0 };
	pfd[P_SIG] = (struct pollfd){ s->sigfd, POLLIN, 0 };
	/* A negative fd is skipped by poll(2). */
	pfd[P_MASTER] = (struct pollfd){ s->master, POLLIN, 0 };
	pfd[P_STDIN] = (struct pollfd){ s->master >= 0 && !s->in_eof ?
	    STDIN_FILENO : -1, POLLIN, 0 };
	for (int i = 0; i < s->nrelay; i++) {
		const struct relay *r = &s->relay[i];

		if (r->pipe < 0 || r->held)
			continue;
		which[n] = i;
		if (r->in && r->len == 0)
			pfd[n++] = (struct pollfd){ r->host, POLLIN, 0 };
		else
			pfd[n++] = (struct pollfd){ r->pipe,
			    r->in ? POLLOUT : POLLIN, 0 };
	}
	return n;
}

static void
run_session(struct session *s, int timeout, bool *timed_out)
{
	struct timespec deadline = { 0, 0 }, answer;

	if (timeout > 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout;
	}
	clock_gettime(CLOCK_MONOTONIC, &answer);
	answer.tv_sec += INIT_ANSWER_SECS;
	while (s->status < 0) {
		struct pollfd pfd[P_RELAY + 3];
		int which[P_RELAY + 3], r, wait = remaining_ms(&deadline);
		nfds_t n = poll_set(s, pfd, which);

		/* Until the command exists, the init has a while to answer. */
		if (s->child < 0 && s->error == NULL) {
			int left = remaining_ms(&answer);

			if (left == 0) {
				s->error = xstrdup("the jail's init did not "
				    "answer (stopped or overloaded?)");
				s->status = 1;
				break;
			}
			if (wait < 0 || left < wait)
				wait = left;
		}
		r = poll(pfd, n, wait);
		if (r == 0 && s->child >= 0 && remaining_ms(&deadline) == 0) {
			*timed_out = true;
			syscall(SYS_pidfd_send_signal, s->child, SIGKILL, NULL, 0);
			deadline.tv_sec = 0;
			continue;
		}
		if (r < 0)
			continue;
		if (pfd[P_SIG].revents)
			handle_signal(s);
		if (pfd[P_MASTER].revents && !pump_master(s)) {
			close(s->master);
			s->master = -1;
		}
		if (pfd[P_STDIN].revents && s->master >= 0) {
			char buf[8192];
			ssize_t got = read(STDIN_FILENO, buf, sizeof(buf));

			if (got <= 0) {
				/* A terminal's end of input: its EOF character. */
				s->in_eof = true;
				write_all(s->master, "\004", 1);
			} else
				write_all(s->master, buf, got);
		}
		for (nfds_t i = P_RELAY; i < n; i++) {
			struct relay *rl = &s->relay[which[i]];

			if (pfd[i].revents == 0 || rl->pipe < 0)
				continue;
			if (rl->in)
				relay_input(rl);
			else
				(void)relay_output(rl);
		}
		if (pfd[P_REPLY].revents)
			handle_reply(s);
	}
	/* Whatever the terminal or the pipes still hold. */
	if (s->master >= 0) {
		fcntl(s->master, F_SETFL, O_NONBLOCK);
		while (pump_master(s) && errno != EAGAIN)
			errno = 0;
	}
	for (int i = 0; i < s->nrelay; i++)
		if (!s->relay[i].in)
			while (s->relay[i].pipe >= 0 && relay_output(&s->relay[i]))
				;
}

int
jail_exec_in(const struct jrecord *rec, const struct enter_opts *opts,
    char *const argv[])
{
	struct session s = { .reply = -1, .child = -1, .master = -1,
	    .sigfd = -1, .status = -1, .opts = opts };
	struct sigaction ign = { .sa_handler = SIG_IGN }, oldpipe;
	struct passwd *hostpw = NULL;
	sigset_t sigs, old;
	bool tty, timed_out = false;
	int pidfd, door, host[3], fds[3], mine[3];
	char *req;

	if (opts->host_user != NULL &&
	    (hostpw = getpwnam(opts->host_user)) == NULL) {
		gerr_set("%s: no such user", opts->host_user);
		return -1;
	}
	if ((pidfd = proc_alive(rec->init_pid, rec->init_start)) == -1) {
		gerr_set("%s: jail is not running", rec->name);
		return -1;
	}
	door = door_open(pidfd);
	close(pidfd);
	if (door == -1) {
		gerr_set_errno("%s: cannot reach the jail's init", rec->name);
		return -1;
	}
	tty = opts->out_fd < 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	host[0] = STDIN_FILENO;
	host[1] = opts->out_fd >= 0 ? opts->out_fd : STDOUT_FILENO;
	host[2] = opts->out_fd >= 0 ? opts->out_fd : STDERR_FILENO;
	if (streams_prepare(&s, host, tty, fds, mine) == -1) {
		close(door);
		end_terminal(&s);
		return -1;
	}
	req = build_request(rec, opts, hostpw, argv, tty);
	s.reply = send_request(door, req, fds, 3);
	free(req);
	close(door);
	for (int i = 0; i < 3; i++)
		if (mine[i] >= 0)
			close(mine[i]);
	if (s.reply == -1) {
		end_terminal(&s);
		return -1;
	}

	/* Signals meant for the command go to it. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGQUIT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGWINCH);
	sigprocmask(SIG_BLOCK, &sigs, &old);
	/* A reader gone is a write error here, passed on as EOF. */
	sigaction(SIGPIPE, &ign, &oldpipe);
	s.sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	run_session(&s, opts->timeout, &timed_out);
	end_terminal(&s);
	close(s.sigfd);
	sigaction(SIGPIPE, &oldpipe, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(s.reply);
	if (s.child >= 0)
		close(s.child);
	if (s.error != NULL) {
		gerr_set("%s", s.error);
		free(s.error);
		return -1;
	}
	return timed_out ? 128 + SIGKILL : s.status;
}

int64_t
jail_oom_kills(const struct jrecord *rec)
{
	char *leaf = cgroup_jail_name(rec->jid);
	struct cgroup_set cg;
	int64_t n = -1;

	if (cgroup_paths(leaf, &cg) == 0) {
		n = cgroup_oom_kills(&cg);
		cgroup_set_free(&cg);
	}
	free(leaf);
	return n;
}

int
init_set_persist(int pidfd, bool persist)
{
	struct pollfd pfd = { .events = POLLIN };
	char buf[64];
	int door, fd;

	if ((door = door_open(pidfd)) == -1) {
		gerr_set_errno("cannot reach the jail's init");
		return -1;
	}
	pfd.fd = send_request(door, persist ? "persist\t1\n" : "persist\t0\n",
	    NULL, 0);
	close(door);
	if (pfd.fd == -1)
		return -1;
	/* A live init answers at once; a dying one closes the socket. */
	if (poll(&pfd, 1, 10000) == 1)
		(void)recv_fd_msg(pfd.fd, buf, sizeof(buf), &fd);
	close(pfd.fd);
	return 0;
}
