/*
 * Entering a live jail: jexec(8), exec.start, command=.
 *
 * The caller forks a helper that joins the jail's cgroups and, through a
 * pidfd of the jail's init, all of its namespaces at once; since a pid
 * namespace applies to children only, the helper forks the process that
 * will run the command.  That process takes the jail's restrictions
 * (isolate_process), its user, and execs.  Until the exec, both stay
 * undumpable and their memory belongs to the host's user namespace, so
 * the jail cannot ptrace or read them; they hold no host descriptor and
 * no host working directory when the jail's code starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "internal.h"
#include "passwd.h"
#include "../isolate/isolate.h"

extern char **environ;

static const struct {
	const char	*name;
	int		 flag;
} ns_kinds[] = {
	{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },
	{ "pid", CLONE_NEWPID }, { "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC }, { "cgroup", CLONE_NEWCGROUP },
	{ "net", CLONE_NEWNET },
};

/*
 * The namespaces the init has that we do not share.  Joining one we
 * already share (the host's network for a jail without vnet) would be
 * refused once we are in the jail's user namespace.
 */
static int
ns_to_join(pid_t init)
{
	int flags = 0;

	for (size_t i = 0; i < sizeof(ns_kinds) / sizeof(ns_kinds[0]); i++) {
		char a[64], b[64];
		struct stat sa, sb;

		snprintf(a, sizeof(a), "/proc/self/ns/%s", ns_kinds[i].name);
		snprintf(b, sizeof(b), "/proc/%d/ns/%s", (int)init,
		    ns_kinds[i].name);
		if (stat(a, &sa) == -1 || stat(b, &sb) == -1 ||
		    sa.st_ino != sb.st_ino || sa.st_dev != sb.st_dev)
			flags |= ns_kinds[i].flag;
	}
	return flags;
}

struct target {
	const struct jail_spec	*spec;
	const struct enter_opts	*opts;
	char *const		*argv;
	struct passwd		*host_pw;	/* -U, looked up on the host */
};

static void __attribute__((noreturn))
die(const struct target *t, const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", t->spec->name, what, gerr_msg());
	_exit(126);
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

static void
build_env(const struct target *t, const struct juser *u)
{
	const char *term = getenv("TERM");
	char *termcopy = term ? xstrdup(term) : NULL;

	if (t->opts->login) {
		environ = NULL;
		clearenv();
		if (termcopy)
			setenv("TERM", termcopy, 1);
		setenv("HOME", u->home, 1);
		setenv("SHELL", u->shell, 1);
		setenv("USER", u->name, 1);
		setenv("LOGNAME", u->name, 1);
	}
	free(termcopy);
	if (getenv("PATH") == NULL || t->opts->login)
		setenv("PATH", "/sbin:/bin:/usr/sbin:/usr/bin:"
		    "/usr/local/sbin:/usr/local/bin", 1);
	for (char *const *e = t->opts->env; e && *e; e++)
		putenv(*e);
}

static void
switch_user(const struct target *t, struct juser *u)
{
	if (t->host_pw != NULL) {
		/* -U: the host's idea of this user, as jexec(8) says. */
		u->uid = t->host_pw->pw_uid;
		u->gid = t->host_pw->pw_gid;
		u->groups[0] = u->gid;
		u->ngroups = 1;
	}
	if (setgroups(u->ngroups, u->groups) == -1 ||
	    setresgid(u->gid, u->gid, u->gid) == -1 ||
	    setresuid(u->uid, u->uid, u->uid) == -1) {
		gerr_set_errno("set credentials of %s", u->name);
		die(t, "user");
	}
}

static void
find_user(const struct target *t, struct juser *u)
{
	const char *name = t->opts->user ? t->opts->user :
	    t->host_pw ? t->host_pw->pw_name : "root";

	if (juser_lookup("", name, u) == 0)
		return;
	if (t->opts->user != NULL && t->host_pw == NULL)
		die(t, "user");
	/* root, or a host user the jail does not know: still run. */
	memset(u, 0, sizeof(*u));
	u->name = xstrdup(name);
	u->home = xstrdup("/");
	u->shell = xstrdup("/bin/sh");
	u->groups = xcalloc(1, sizeof(gid_t));
	u->ngroups = 1;
}

/* The process that becomes the command: in all the jail's namespaces. */
static void __attribute__((noreturn))
become_command(const struct target *t)
{
	const char *dir;
	char *shellargv[2];
	char *const *argv = t->argv;
	struct juser u;

	reset_signals();
	if (t->opts->out_fd >= 0) {
		dup2(t->opts->out_fd, STDOUT_FILENO);
		dup2(t->opts->out_fd, STDERR_FILENO);
	}
	if (syscall(SYS_close_range, 3, ~0U, 0) == -1)
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
	find_user(t, &u);
	if (isolate_process(t->spec) == -1)
		die(t, "isolate");
	switch_user(t, &u);
	dir = t->opts->dir ? t->opts->dir : t->opts->login ? u.home : "/";
	if (chdir(dir) == -1) {
		gerr_set_errno("%s", dir);
		die(t, "chdir");
	}
	build_env(t, &u);
	if (argv == NULL || argv[0] == NULL) {
		shellargv[0] = u.shell;
		shellargv[1] = NULL;
		argv = shellargv;
	}
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: %s\n", t->spec->name, argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int
status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* The helper: joins the jail, forks the command, relays its status. */
static void __attribute__((noreturn))
join_and_run(const struct target *t, const struct jrecord *rec, int pidfd)
{
	struct cgroup_set cg;
	char *leaf = jail_cgroup_leaf(rec->jid);
	int status;
	pid_t pid;

	if (cgroup_paths(leaf, &cg) == -1 || cgroup_attach(&cg, getpid()) == -1)
		die(t, "cgroup");
	free(leaf);
	cgroup_set_free(&cg);
	if (setns(pidfd, ns_to_join(rec->init_pid)) == -1) {
		gerr_set_errno("setns");
		die(t, "enter");
	}
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		die(t, "enter");
	}
	if (pid == 0) {
		if (t->opts->timeout > 0)
			prctl(PR_SET_PDEATHSIG, SIGKILL);
		become_command(t);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			_exit(126);
	_exit(status_code(status));
}

int
jail_exec_in(const struct jrecord *rec, const struct enter_opts *opts,
    char *const argv[])
{
	struct jail_spec spec;
	struct target t = { .opts = opts, .argv = argv };
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	bool timed_out;
	int pidfd, status;
	pid_t pid;

	if ((pidfd = proc_alive(rec->init_pid, rec->init_start)) == -1) {
		gerr_set("%s: jail is not running", rec->name);
		return -1;
	}
	if (jrecord_spec(rec, &spec) == -1) {
		close(pidfd);
		return -1;
	}
	t.spec = &spec;
	if (opts->host_user != NULL &&
	    (t.host_pw = getpwnam(opts->host_user)) == NULL) {
		gerr_set("%s: no such user", opts->host_user);
		spec_free(&spec);
		close(pidfd);
		return -1;
	}
	fflush(NULL);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		status = -1;
	} else if (pid == 0) {
		prctl(PR_SET_DUMPABLE, 0);
		join_and_run(&t, rec, pidfd);
	} else {
		status = wait_child(pid, opts->timeout, &timed_out);
		if (status != -1)
			status = timed_out ? 128 + SIGKILL : status_code(status);
		/* A jail without persist may now be empty. */
		init_signal(pidfd, INIT_SIG_RECHECK);
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	spec_free(&spec);
	close(pidfd);
	return status;
}
