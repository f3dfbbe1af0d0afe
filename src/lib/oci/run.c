/*
 * The OCI lifecycle over the jail library.
 *
 * create makes the jail (persist, no command) and forks a *holder*: a
 * host process that keeps the caller's standard streams (or the pty it
 * sent to --console-socket), waits on ROOT/ID/exec.fifo for `start`,
 * then asks the jail's init to start process.args (jail_exec_in, as
 * jexec does) and waits for it.  When it ends, the holder removes the
 * jail, so every process the container left goes with it, and exits
 * with the process's status.  The holder is the pid engines are given:
 * conmon and containerd's shim reap it as the container's process,
 * since nothing outside the jail can reap a process inside it (its
 * parent is the jail's init).  docs/design/oci-runtime.md has more.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oci.h"
#include "../jail/jail.h"
#include "../rctl/rctl.h"
#include "../state/registry.h"

extern char **environ;

static char *
dir_file(const struct oci_state *s, const char *name)
{
	return xasprintf("%s/%s", s->dir, name);
}

static char *
now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%09ldZ", buf, ts.tv_nsec);
}

static int
write_pid_file(const char *file, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (file == NULL)
		return 0;
	return write_file_atomic(file, buf, (size_t)n, 0644);
}

/* ---- the terminal of --console-socket ---- */

/*
 * A pty of the host's: its master goes to the engine over the socket,
 * its slave becomes this process's terminal and standard streams.
 * jail_exec_in, finding a terminal, gives the command a pty of the
 * jail's own devpts and copies between the two, so nothing of the
 * host's devpts reaches the jail.
 */
static int
console_setup(const char *sock_path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int master, slave, sock;
	char *name;

	if (strlen(sock_path) >= sizeof(sa.sun_path)) {
		gerr_set("%s: console socket path too long", sock_path);
		return -1;
	}
	strcpy(sa.sun_path, sock_path);
	if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(master) == -1 || unlockpt(master) == -1 ||
	    (name = ptsname(master)) == NULL) {
		gerr_set_errno("pty");
		return -1;
	}
	(void)setsid();
	if ((slave = open(name, O_RDWR)) == -1 ||
	    ioctl(slave, TIOCSCTTY, 0) == -1) {
		gerr_set_errno("%s", name);
		return -1;
	}
	if ((sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(sock, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    send_fds(sock, name, strlen(name), &master, 1) == -1) {
		gerr_set_errno("console socket %s", sock_path);
		return -1;
	}
	close(sock);
	close(master);
	for (int i = 0; i < 3; i++)
		dup2(slave, i);
	if (slave > 2)
		close(slave);
	return 0;
}

/* ---- the holder ---- */

struct holder {
	const struct oci_state *st;
	const struct oci_process *proc;
	const char	*console;
	const char	*fifo;		/* NULL: run at once (exec) */
	bool		 remove_jail;	/* the container's own process */
	int		 fifo_fd;	/* held until the child is recorded */
	/* `run` as its own holder: poststart once the process exists */
	const struct oci_config *poststart;
};

/*
 * The container's process exists: its pid goes to ROOT/ID/child, then
 * the fifo closes, which tells `start` (waiting for the hangup) that
 * the container is running.
 */
static void
record_child(int pidfd, void *arg)
{
	struct holder *h = arg;
	const struct oci_state *st = h->st;
	char path[64], *line = NULL, *file, *text;
	size_t cap = 0;
	pid_t pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	if ((f = fopen(path, "r")) != NULL) {
		while (getline(&line, &cap, f) > 0)
			if (strncmp(line, "Pid:", 4) == 0)
				pid = (pid_t)atoi(line + 4);
		fclose(f);
		free(line);
	}
	if (pid > 0) {
		file = dir_file(st, "child");
		text = xasprintf("%d %llu", (int)pid, proc_starttime(pid));
		(void)write_file_atomic(file, text, strlen(text), 0600);
		free(text);
		free(file);
	}
	if (h->fifo_fd >= 0)
		close(h->fifo_fd);
	h->fifo_fd = -1;
	if (h->poststart != NULL) {
		struct oci_state running = *st;

		running.status = OCI_RUNNING;
		(void)oci_hooks_run(h->poststart, OCI_POSTSTART, &running,
		    false);
	}
}

/* Run the process in the jail; its exit status, or 255. */
static int
holder_run(struct holder *h)
{
	struct enter_opts eo = { .out_fd = -1, .dir = h->proc->cwd,
	    .user = h->proc->user,
	    .ids = h->proc->has_ids ? &h->proc->ids : NULL,
	    .caps = h->proc->has_caps ? &h->proc->caps : NULL,
	    .no_new_privs = h->proc->no_new_privs };
	char **saved = environ, *empty[] = { NULL };
	struct jrecord rec;
	int status;

	if (registry_find(h->st->jail, &rec) == -1)
		return 255;
	if (h->remove_jail) {
		eo.started = record_child;
		eo.started_arg = h;
	}
	eo.env = h->proc->env.v;
	/* The process's environment is config.json's alone. */
	environ = empty;
	status = jail_exec_in(&rec, &eo, h->proc->args.v);
	environ = saved;
	if (status == -1) {
		gwarn("%s: %s", h->st->id, gerr_msg());
		status = 255;
	}
	jrecord_free(&rec);
	if (h->remove_jail && registry_find(h->st->jail, &rec) == 0) {
		(void)jail_remove(&rec, JF_QUIET | JF_NOHOOKS);
		jrecord_free(&rec);
	}
	return status;
}

/*
 * Wait for `start`'s byte on the fifo, or for the jail to go (jail -r
 * of a created container): true when started.
 */
static bool
wait_for_start(const struct holder *h, int fifo)
{
	struct pollfd pfd[2] = { { .events = POLLIN }, { .events = POLLIN } };
	struct jrecord rec;
	char c;
	bool started = false;

	if (registry_find(h->st->jail, &rec) == -1)
		return false;
	pfd[1].fd = proc_alive(rec.init_pid, rec.init_start);
	jrecord_free(&rec);
	pfd[0].fd = fifo;
	while (pfd[0].fd >= 0 && pfd[1].fd >= 0) {
		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		if (pfd[0].revents) {
			started = read(pfd[0].fd, &c, 1) == 1;
			break;
		}
	}
	if (pfd[1].fd >= 0)
		close(pfd[1].fd);
	if (!started)
		close(fifo);
	return started;
}

/*
 * The holder's life: tell the creator (on ready) that its terminal is
 * set, wait for start, run.  Never returns.
 */
static void __attribute__((noreturn))
holder_main(struct holder *h, int ready)
{
	int fifo = -1;

	if (h->console != NULL && console_setup(h->console) == -1) {
		(void)write(ready, gerr_msg(), strlen(gerr_msg()));
		_exit(255);
	}
	/*
	 * Open before we say we are ready, so that start finds a reader;
	 * non-blocking, so that the jail's end is seen as well (a FIFO
	 * reports no hangup before a writer has come).
	 */
	if (h->fifo != NULL &&
	    (fifo = open(h->fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		(void)write(ready, "exec.fifo", 9);
		_exit(255);
	}
	close(ready);
	if (h->fifo != NULL && !wait_for_start(h, fifo))
		_exit(255);
	h->fifo_fd = fifo;
	_exit(holder_run(h));
}

/*
 * Fork the holder; returns its pid once it is ready (its terminal sent),
 * or -1 with its message.
 */
static pid_t
holder_start(struct holder *h)
{
	char msg[1024];
	int p[2];
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1) {
		gerr_set_errno("pipe");
		return -1;
	}
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		holder_main(h, p[1]);
	}
	close(p[1]);
	while ((n = read(p[0], msg, sizeof(msg) - 1)) == -1 && errno == EINTR)
		;
	close(p[0]);
	if (n > 0) {
		msg[n] = '\0';
		gerr_set("%s", msg);
		(void)waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* ---- hooks ---- */

int
oci_hook_run(const struct oci_hook *hk, const char *state_json)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int in[2], status;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) == -1)
		return gerr_set_errno("pipe"), -1;
	if ((pid = fork()) == -1)
		return gerr_set_errno("fork"), -1;
	if (pid == 0) {
		char *empty[] = { NULL };
		char *const *argv = hk->args.n > 0 ? hk->args.v :
		    (char *const[]){ hk->path, NULL };

		dup2(in[0], 0);
		if (hk->timeout > 0)
			alarm((unsigned)hk->timeout);
		execve(hk->path, argv, hk->env.n > 0 ? hk->env.v : empty);
		_exit(127);
	}
	close(in[0]);
	/* A hook need not read its stdin: EPIPE, not SIGPIPE. */
	sigaction(SIGPIPE, &ign, &old);
	(void)write_full(in[1], state_json, strlen(state_json));
	sigaction(SIGPIPE, &old, NULL);
	close(in[1]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		gerr_set("hook %s failed (%s %d)", hk->path, WIFEXITED(status) ?
		    "exit status" : "signal", WIFEXITED(status) ?
		    WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return 0;
}

int
oci_hooks_run(const struct oci_config *c, enum oci_hook_kind k,
    const struct oci_state *st, bool stop_on_error)
{
	char *json;
	int r = 0;

	if (c->nhooks[k] == 0)
		return 0;
	json = oci_state_json(st);
	for (size_t i = 0; i < c->nhooks[k]; i++)
		if (oci_hook_run(&c->hooks[k][i], json) == -1) {
			r = -1;
			if (stop_on_error)
				break;
			gwarn("%s: %s", st->id, gerr_msg());
		}
	free(json);
	return r;
}

/*
 * startContainer hooks: the spec runs them in the container, their path
 * resolved there.  Each is a process of the jail (jail_exec_in, as jexec
 * starts one) with the state JSON on its stdin.
 */
static int
hooks_run_in_jail(const struct oci_config *c, const struct oci_state *st)
{
	const enum oci_hook_kind k = OCI_START_CONTAINER;
	char **saved = environ, *empty[] = { NULL }, *json;
	struct jrecord rec;
	int r = 0;

	if (c->nhooks[k] == 0)
		return 0;
	if (registry_find(st->jail, &rec) == -1)
		return -1;
	json = oci_state_json(st);
	for (size_t i = 0; i < c->nhooks[k] && r == 0; i++) {
		const struct oci_hook *hk = &c->hooks[k][i];
		struct enter_opts eo = { .out_fd = -1, .env = hk->env.v,
		    .timeout = hk->timeout };
		struct strlist argv = { 0 };
		int in[2], stdin_saved, status;

		strlist_add(&argv, hk->path);
		for (size_t a = 1; a < hk->args.n; a++)
			strlist_add(&argv, hk->args.v[a]);
		if (pipe2(in, O_CLOEXEC) == -1) {
			strlist_clear(&argv);
			r = (gerr_set_errno("pipe"), -1);
			break;
		}
		/* The state is a few hundred bytes: the pipe holds it. */
		(void)write_full(in[1], json, strlen(json));
		close(in[1]);
		stdin_saved = fcntl(0, F_DUPFD_CLOEXEC, 3);
		dup2(in[0], 0);
		close(in[0]);
		environ = empty;
		status = jail_exec_in(&rec, &eo, argv.v);
		environ = saved;
		dup2(stdin_saved, 0);
		close(stdin_saved);
		if (status != 0) {
			if (status > 0)
				gerr_set("hook %s failed (exit status %d)",
				    hk->path, status);
			r = -1;
		}
		strlist_clear(&argv);
	}
	free(json);
	jrecord_free(&rec);
	return r;
}

/* ---- create ---- */

/*
 * Rules of config.json, kept for the jail's name (rctl's rules for jails
 * not running, applied at its start) until delete drops them.
 */
static int
rctl_rules_set(const char *jail, const struct strlist *rules)
{
	char *subject = xasprintf("jail:%s", jail);
	struct rrule filter;
	int removed = 0, r;

	if ((r = rrule_parse(subject, &filter, true)) == 0) {
		r = rctl_waiting_change(NULL, &filter, &removed);
		rrule_free(&filter);
	}
	free(subject);
	for (size_t i = 0; i < rules->n && r == 0; i++) {
		char *full = xasprintf("jail:%s:%s", jail, rules->v[i]);
		struct rrule rr;

		if ((r = rrule_parse(full, &rr, false)) == 0) {
			r = rctl_waiting_change(&rr, NULL, &removed);
			rrule_free(&rr);
		}
		free(full);
	}
	return r;
}

/* The jail, made with the streams away from the caller's (see below). */
static int
make_jail(const struct oci_config *c, int *jidp)
{
	struct jparams resolved = { 0 };
	struct jconf none = { 0 };
	struct jail_spec spec;
	int saved[3], null, r = -1;

	if (jconf_resolve(&none, NULL, &c->params, &resolved) == -1)
		return -1;
	if (spec_from_params(&spec, &resolved) == -1) {
		jparams_free(&resolved);
		return -1;
	}
	/*
	 * The jail's init would keep whatever streams we have: the engine's
	 * pipes, whose end it waits for.  The init gets /dev/null.
	 */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 3; i++) {
		saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 3);
		dup2(null, i);
	}
	r = jail_create(&spec, JF_QUIET, jidp, NULL);
	for (int i = 0; i < 3; i++) {
		dup2(saved[i], i);
		close(saved[i]);
	}
	close(null);
	spec_free(&spec);
	jparams_free(&resolved);
	return r;
}

/* The engine made the network: the jail shares that stack. */
static int
join_netns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1 || setns(fd, CLONE_NEWNET) == -1) {
		gerr_set_errno("network namespace %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void
remove_dir(const char *dir)
{
	static const char *const files[] = { "state.json", "exec.fifo",
	    "child", "paused", "seccomp", NULL };

	for (int i = 0; files[i] != NULL; i++) {
		char *f = xasprintf("%s/%s", dir, files[i]);

		(void)unlink(f);
		free(f);
	}
	(void)rmdir(dir);
}

static void
undo_create(struct oci_state *st, const struct oci_config *c, bool jail_made)
{
	struct jrecord rec;

	if (st->pid > 0)
		(void)kill(st->pid, SIGKILL);
	if (jail_made && registry_find(st->jail, &rec) == 0) {
		(void)jail_remove(&rec, JF_QUIET | JF_NOHOOKS);
		jrecord_free(&rec);
	}
	if (c->rctl.n > 0)
		(void)rctl_rules_set(st->jail, &(struct strlist){ 0 });
	remove_dir(st->dir);
}

static int
create_state_dir(struct oci_state *st)
{
	char *fifo;

	if (mkdir_p(oci_root(), 0700) == -1)
		return -1;
	if (mkdir(st->dir, 0700) == -1) {
		if (errno == EEXIST)
			gerr_set("container \"%s\" already exists", st->id);
		else
			gerr_set_errno("%s", st->dir);
		return -1;
	}
	fifo = dir_file(st, "exec.fifo");
	if (mkfifo(fifo, 0600) == -1 || oci_state_save(st) == -1) {
		gerr_set_errno("%s", fifo);
		free(fifo);
		remove_dir(st->dir);
		return -1;
	}
	free(fifo);
	return 0;
}

/* linux.seccomp, for gaol.seccomp: a file of the container's own. */
static int
seccomp_file(const struct oci_state *st, struct oci_config *c)
{
	char *file = dir_file(st, "seccomp");
	int r = write_file_atomic(file, c->seccomp, strlen(c->seccomp), 0600);

	if (r == 0)
		jparams_set(&c->params, "gaol.seccomp", file, false, NULL, 0);
	free(file);
	return r;
}

/*
 * `run` that waits, without a terminal to send: this process is the
 * holder (its pid the container's), and the container goes from created
 * to running without a fifo, a second reading of config.json or a
 * process more.  The lifecycle and the hooks are those of create and
 * start; ends when the process does, with the jail removed.
 */
static int
run_as_holder(const struct oci_config *c, struct oci_state *st,
    struct holder *h, const char *pid_file, int *statusp)
{
	int status;

	st->pid = getpid();
	st->pid_start = proc_starttime(st->pid);
	st->status = OCI_CREATED;
	if (oci_state_save(st) == -1 || write_pid_file(pid_file, st->pid)
	    == -1)
		return -1;
	if (oci_hooks_run(c, OCI_PRESTART, st, true) == -1 ||
	    oci_hooks_run(c, OCI_CREATE_RUNTIME, st, true) == -1 ||
	    oci_hooks_run(c, OCI_CREATE_CONTAINER, st, true) == -1 ||
	    hooks_run_in_jail(c, st) == -1)
		return -1;
	(void)unlink(h->fifo);		/* running, once the process is */
	h->fifo = NULL;
	h->poststart = c;
	status = holder_run(h);
	if (statusp != NULL)
		*statusp = status;
	return 0;
}

static int
wait_holder(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 255;
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
}

int
oci_create(const char *id, const struct oci_create_opts *o, int *statusp)
{
	struct oci_config c;
	struct oci_state st = { 0 };
	struct holder h = { 0 };
	char *fifo = NULL;
	int jid, r = -1;
	bool made = false;

	if (!oci_id_valid(id)) {
		gerr_set("%s: not a valid container id", id);
		return -1;
	}
	if (oci_config_load(o->bundle != NULL ? o->bundle : ".", id, &c) == -1)
		return -1;
	if (c.proc.args.n == 0) {
		gerr_set("%s/config.json: process: missing", c.bundle);
		goto out_config;
	}
	st.id = xstrdup(id);
	st.bundle = xstrdup(c.bundle);
	st.dir = xasprintf("%s/%s", oci_root(), id);
	st.jail = xstrdup(jparams_str(&c.params, "name"));
	st.created = now_rfc3339();
	strlist_copy(&st.annotations, &c.annotations);
	if (create_state_dir(&st) == -1)
		goto out_config;
	if (c.seccomp != NULL && seccomp_file(&st, &c) == -1)
		goto undo;
	if (c.rctl.n > 0 && rctl_rules_set(st.jail, &c.rctl) == -1)
		goto undo;
	if (c.netns != NULL && join_netns(c.netns) == -1)
		goto undo;
	if (make_jail(&c, &jid) == -1)
		goto undo;
	made = true;
	fifo = dir_file(&st, "exec.fifo");
	h = (struct holder){ .st = &st, .proc = &c.proc, .fifo = fifo,
	    .remove_jail = true, .fifo_fd = -1,
	    .console = c.proc.terminal ? o->console_socket : NULL };
	if (c.proc.terminal && o->console_socket == NULL && !o->run) {
		gerr_set("process.terminal is set: --console-socket is needed");
		goto undo;
	}
	if (o->run && !o->detach && h.console == NULL)
		goto run_here;
	if ((st.pid = holder_start(&h)) == -1) {
		st.pid = 0;
		goto undo;
	}
	st.pid_start = proc_starttime(st.pid);
	st.status = OCI_CREATED;
	if (oci_state_save(&st) == -1 || write_pid_file(o->pid_file, st.pid)
	    == -1)
		goto undo;
	if (oci_hooks_run(&c, OCI_PRESTART, &st, true) == -1 ||
	    oci_hooks_run(&c, OCI_CREATE_RUNTIME, &st, true) == -1 ||
	    oci_hooks_run(&c, OCI_CREATE_CONTAINER, &st, true) == -1)
		goto undo;
	r = 0;
	if (o->run) {
		if (oci_start(id) == -1)
			r = -1;
		else if (!o->detach && statusp != NULL)
			*statusp = wait_holder(st.pid);
	}
	goto out;
run_here:
	if (run_as_holder(&c, &st, &h, o->pid_file, statusp) == -1) {
		st.pid = 0;	/* ourselves: not to be killed by undo */
		goto undo;
	}
	r = 0;
	goto out;
undo:
	{
		char *e = gerr_save();

		undo_create(&st, &c, made);
		gerr_restore(e);
	}
out:
	free(fifo);
	oci_state_free(&st);
out_config:
	oci_config_free(&c);
	return r;
}

/* ---- start, kill, delete ---- */

static int
load_config_of(const struct oci_state *st, struct oci_config *c)
{
	return oci_config_load(st->bundle, st->id, c);
}

/*
 * Wait for the holder to have started the process: it closes the fifo
 * once the process's pid is recorded (or it gave up), which our end
 * sees as POLLERR.  Ten seconds at most.
 */
static void
wait_started(int fifo)
{
	struct pollfd pfd = { .fd = fifo, .events = 0 };

	while (poll(&pfd, 1, 10000) == -1 && errno == EINTR)
		;
}

int
oci_start(const char *id)
{
	struct oci_state st;
	struct oci_config c;
	char *fifo;
	int fd, r = -1;

	if (oci_state_load(id, &st) == -1)
		return -1;
	if (st.status != OCI_CREATED) {
		gerr_set("cannot start a container that is %s",
		    oci_status_names[st.status]);
		oci_state_free(&st);
		return -1;
	}
	if (load_config_of(&st, &c) == -1) {
		oci_state_free(&st);
		return -1;
	}
	/* startContainer runs before the process: the holder waits. */
	if (hooks_run_in_jail(&c, &st) == -1)
		goto out;
	fifo = dir_file(&st, "exec.fifo");
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 || write(fd, "0", 1) != 1) {
		gerr_set_errno("%s: the container's process is gone", id);
		if (fd >= 0)
			close(fd);
		free(fifo);
		goto out;
	}
	(void)unlink(fifo);
	free(fifo);
	wait_started(fd);
	close(fd);
	st.status = OCI_RUNNING;
	(void)oci_hooks_run(&c, OCI_POSTSTART, &st, false);
	r = 0;
out:
	oci_config_free(&c);
	oci_state_free(&st);
	return r;
}

/* The container's process (pidfd), or the holder's while created. */
static int
target_pidfd(const struct oci_state *st)
{
	char *file = dir_file(st, "child"), *text = read_file(file, NULL);
	unsigned long long start;
	int pid, fd = -1;

	free(file);
	if (text != NULL && sscanf(text, "%d %llu", &pid, &start) == 2)
		fd = proc_alive(pid, start);
	free(text);
	if (fd == -1 && st->status == OCI_CREATED)
		fd = proc_alive(st->pid, st->pid_start);
	return fd;
}

int
oci_kill(const char *id, int sig, bool all)
{
	struct oci_state st;
	int fd, r = 0;

	if (oci_state_load(id, &st) == -1)
		return -1;
	if (st.status == OCI_STOPPED) {
		gerr_set("container not running");
		oci_state_free(&st);
		return -1;
	}
	if (all && st.status != OCI_CREATED) {
		pid_t *pids = NULL;
		size_t n = 0;

		if (oci_pids(id, &pids, &n) == 0)
			for (size_t i = 0; i < n; i++)
				(void)kill(pids[i], sig);
		free(pids);
	} else if ((fd = target_pidfd(&st)) >= 0) {
		if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) == -1) {
			gerr_set_errno("kill");
			r = -1;
		}
		close(fd);
	}
	oci_state_free(&st);
	return r;
}

/* Until the holder is gone (a few seconds at most: it removes the jail). */
static void
wait_gone(const struct oci_state *st)
{
	for (int i = 0; i < 1000 && proc_running(st->pid, st->pid_start); i++)
		usleep(10000);
}

int
oci_delete(const char *id, bool force)
{
	struct oci_state st;
	struct oci_config c;
	struct jrecord rec;
	bool have_config;
	int fd;

	if (oci_state_load(id, &st) == -1)
		return -1;
	if ((st.status == OCI_RUNNING || st.status == OCI_PAUSED) && !force) {
		gerr_set("cannot delete container %s that is not stopped: %s",
		    id, oci_status_names[st.status]);
		oci_state_free(&st);
		return -1;
	}
	if (st.status == OCI_PAUSED) {
		/* A frozen process does not die of SIGKILL until thawed. */
		struct rjail j;

		if (rjail_find(st.jail, &j) == 0) {
			cgroup_thaw(&j.cg);
			rjail_free(&j);
		}
	}
	if (st.status != OCI_STOPPED) {
		if ((fd = target_pidfd(&st)) >= 0) {
			(void)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
			close(fd);
		}
		if ((fd = proc_alive(st.pid, st.pid_start)) >= 0) {
			(void)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
			close(fd);
		}
		wait_gone(&st);
	}
	if (registry_find(st.jail, &rec) == 0) {
		(void)jail_remove(&rec, JF_QUIET | JF_NOHOOKS);
		jrecord_free(&rec);
	}
	have_config = load_config_of(&st, &c) == 0;
	if (!have_config || c.rctl.n > 0)
		(void)rctl_rules_set(st.jail, &(struct strlist){ 0 });
	st.status = OCI_STOPPED;
	if (have_config) {
		(void)oci_hooks_run(&c, OCI_POSTSTOP, &st, false);
		oci_config_free(&c);
	}
	remove_dir(st.dir);
	oci_state_free(&st);
	return 0;
}

int
oci_pids(const char *id, pid_t **pids, size_t *n)
{
	struct oci_state st;
	struct rjail j;
	int r;

	*pids = NULL;
	*n = 0;
	if (oci_state_load(id, &st) == -1)
		return -1;
	if (rjail_find(st.jail, &j) == -1) {
		oci_state_free(&st);
		return 0;	/* no jail: no processes */
	}
	r = cgroup_pids(&j.cg, pids, n);
	rjail_free(&j);
	oci_state_free(&st);
	return r;
}

/* ---- exec ---- */

int
oci_exec(const char *id, const struct oci_exec_opts *o, int *statusp)
{
	struct oci_process proc = *o->proc;	/* shallow: not freed */
	struct oci_config c;
	struct oci_state st;
	struct holder h;
	pid_t pid;
	int r = -1;

	if (oci_state_load(id, &st) == -1)
		return -1;
	if (st.status != OCI_RUNNING && st.status != OCI_CREATED) {
		gerr_set("cannot exec in a %s container",
		    oci_status_names[st.status]);
		goto out;
	}
	if (o->config_no_new_privs && !proc.no_new_privs) {
		if (load_config_of(&st, &c) == -1)
			goto out;
		proc.no_new_privs = c.proc.no_new_privs;
		oci_config_free(&c);
	}
	h = (struct holder){ .st = &st, .proc = &proc, .fifo_fd = -1,
	    .console = proc.terminal ? o->console_socket : NULL };
	if (!o->detach && h.console == NULL) {
		if ((*statusp = holder_run(&h)) == 255 && !registry_running(
		    st.jail))
			gerr_set("%s: jail is not running", st.jail);
		r = 0;
		goto out;
	}
	if ((pid = holder_start(&h)) == -1 ||
	    write_pid_file(o->pid_file, pid) == -1)
		goto out;
	*statusp = o->detach ? 0 : wait_holder(pid);
	r = 0;
out:
	oci_state_free(&st);
	return r;
}

/* ---- pause, resume: the cgroup freezer ---- */

int
oci_pause(const char *id, bool pause)
{
	struct oci_state st;
	struct rjail j;
	char *mark;
	int lock, r = -1;

	if (oci_state_load(id, &st) == -1)
		return -1;
	if (st.status != (pause ? OCI_RUNNING : OCI_PAUSED)) {
		gerr_set("container %s is %s, not %s", id,
		    oci_status_names[st.status], pause ? "running" : "paused");
		oci_state_free(&st);
		return -1;
	}
	if (rjail_find(st.jail, &j) == -1) {
		oci_state_free(&st);
		return -1;
	}
	mark = dir_file(&st, "paused");
	/*
	 * Under the registry lock: rctl's first rule for a controller
	 * freezes the jail to move its processes and thaws it after,
	 * which must not undo a pause made meanwhile.
	 */
	if ((lock = registry_lock()) != -1 &&
	    cgroup_freeze(&j.cg, pause) == 0) {
		r = pause ? write_file_atomic(mark, "", 0, 0600) :
		    (unlink(mark), 0);
	}
	registry_unlock(lock);
	free(mark);
	rjail_free(&j);
	oci_state_free(&st);
	return r;
}
