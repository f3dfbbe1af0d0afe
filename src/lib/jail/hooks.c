/*
 * The exec.* parameters: commands run on the host or in the jail at
 * each step, as jail(8) runs them.  A command with no shell
 * metacharacters is split on blanks and executed directly; any other is
 * given to /bin/sh -c.  Each gets JID, JNAME and JPATH in its
 * environment; a non-zero exit fails the step ("NAME: CMD: failed").
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "internal.h"

void
hook_argv(const char *cmd, struct strlist *argv)
{
	if (strpbrk(cmd, "!\"$&'()*;<>?[\\]`{|}~\n") != NULL) {
		strlist_add(argv, "/bin/sh");
		strlist_add(argv, "-c");
		strlist_add(argv, cmd);
		return;
	}
	for (const char *p = cmd; *p; ) {
		size_t len;

		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		strlist_addn(argv, xstrndup(p, len));
		p += len;
	}
}

static void
hook_env(const struct jail_spec *spec, struct strlist *env)
{
	env->n = 0;
	strlist_addn(env, xasprintf("JID=%d", spec->jid));
	strlist_addn(env, xasprintf("JNAME=%s", spec->name));
	strlist_addn(env, xasprintf("JPATH=%s", spec->path ? spec->path : ""));
}

/*
 * The log is a host path, but it may lie inside the jail's root, where
 * the jail could plant a symlink: no symlink is followed there.  Nor
 * may the jail make the host wait on it: opened without blocking (a
 * FIFO with no reader would hold open(2) forever, one with a reader
 * every write), and only a regular file is taken.
 */
static int
consolelog_openat2(const struct jail_spec *spec, int flags)
{
	struct open_how how = {
		.flags = (unsigned)flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
		    O_NOCTTY,
		.mode = (flags & O_CREAT) ? 0600 : 0,	/* else EINVAL */
	};
	const char *log = spec->exec_consolelog;
	char *real = spec->path ? realpath(spec->path, NULL) : NULL;

	if (spec->path != NULL && (path_within(log, spec->path) ||
	    (real != NULL && path_within(log, real))))
		how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	free(real);
	return (int)syscall(SYS_openat2, AT_FDCWD, log, &how, sizeof(how));
}

int
consolelog_open(const struct jail_spec *spec)
{
	struct stat st;
	const char *log = spec->exec_consolelog;
	int fd = consolelog_openat2(spec, O_WRONLY | O_CREAT | O_APPEND);

	if (fd == -1 && errno == ENXIO) {
		/* A FIFO without a reader, a socket, an absent device. */
		gerr_set("%sexec.consolelog %s: not a regular file",
		    spec->who, log);
		return -1;
	}
	if (fd == -1) {
		gerr_set_errno("%sexec.consolelog %s", spec->who, log);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		gerr_set("%sexec.consolelog %s: not a regular file",
		    spec->who, log);
		close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, O_APPEND);
	return fd;
}

/* waitpid(2) with a limit in seconds (0: none); kills the child then. */
static int
wait_child(pid_t pid, int timeout, bool *timed_out)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), status;
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	*timed_out = false;
	if (timeout > 0 && pidfd >= 0 && poll(&pfd, 1, timeout * 1000) == 0) {
		*timed_out = true;
		kill(pid, SIGKILL);
	}
	if (pidfd >= 0)
		close(pidfd);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return status;
}

/*
 * A host command's user and environment, as FreeBSD's jail(8) sets them:
 * with exec.system_user, that user's USER, HOME and SHELL; with
 * exec.clean, only TERM is kept from ours, PATH is the login path, USER,
 * HOME and SHELL are those of the user the command runs as, and it
 * starts in HOME.  JID, JNAME and JPATH are gaol's, always there.
 */
static void
host_user_env(const struct jail_spec *spec, const struct strlist *env)
{
	/* Copies, so that pw being set whenever they ask for it is plain. */
	const char *sysuser = spec->exec_system_user;
	bool clean = spec->exec_clean;
	struct passwd *pw = NULL;
	char *term = getenv("TERM");

	if (clean || sysuser != NULL) {
		pw = sysuser != NULL ?
		    getpwnam(sysuser) : getpwuid(getuid());
		if (pw == NULL) {
			gwarn("%s%s: no such user",
			    spec->who, sysuser != NULL ?
			    sysuser : "(the invoking user)");
			_exit(1);
		}
	}
	if (clean) {
		term = term != NULL ? xstrdup(term) : NULL;
		clearenv();
		if (term != NULL)
			setenv("TERM", term, 1);
		setenv("PATH", CLEAN_PATH, 1);
	}
	if (pw != NULL) {
		setenv("USER", pw->pw_name, 1);
		setenv("HOME", pw->pw_dir, 1);
		setenv("SHELL", *pw->pw_shell ? pw->pw_shell : "/bin/sh", 1);
	}
	for (size_t i = 0; i < env->n; i++)
		putenv(env->v[i]);
	if (clean && chdir(pw->pw_dir) == -1) {
		gwarn("%schdir %s: %s", spec->who,
		    pw->pw_dir, strerror(errno));
		_exit(1);
	}
	if (sysuser != NULL &&
	    (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setgid(pw->pw_gid) == -1 || setuid(pw->pw_uid) == -1)) {
		gwarn("%sexec.system_user %s: "
		    "cannot switch: %s", spec->who, sysuser,
		    strerror(errno));
		_exit(1);
	}
}

static void __attribute__((noreturn))
host_child(const struct jail_spec *spec, char *const argv[],
    const struct strlist *env, int consolefd)
{
	if (consolefd >= 0) {
		dup2(consolefd, STDOUT_FILENO);
		dup2(consolefd, STDERR_FILENO);
	}
	host_user_env(spec, env);
	execvp(argv[0], argv);
	gwarn("%s%s: %s", spec->who, argv[0],
	    strerror(errno));
	_exit(127);
}

static int
run_on_host(const struct jail_spec *spec, char *const argv[],
    const struct strlist *env, int consolefd, bool *timed_out)
{
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		return -1;
	}
	if (pid == 0)
		host_child(spec, argv, env, consolefd);
	return wait_child(pid, spec->exec_timeout > 0 ? spec->exec_timeout : 0,
	    timed_out);
}

void
hook_enter_opts(const struct jail_spec *spec, struct enter_opts *eo)
{
	/* exec.system_jail_user: look exec.jail_user up on the host. */
	if (spec->exec_system_jail_user != NULL)
		eo->host_user = spec->exec_jail_user;
	else
		eo->user = spec->exec_jail_user;
	eo->login = spec->exec_clean;
}

/*
 * exec.start and exec.stop are the jail's own scripts: unless exec.timeout
 * says otherwise, they may keep the host waiting EXEC_TIMEOUT_IN_JAIL
 * seconds at most.  command= is the administrator's, often interactive:
 * only exec.timeout bounds it, as on FreeBSD.
 */
static int
in_jail_timeout(const struct jail_spec *spec, enum hook h)
{
	if (spec->exec_timeout >= 0)
		return spec->exec_timeout;
	return h == HOOK_COMMAND ? 0 : EXEC_TIMEOUT_IN_JAIL;
}

static int
run_in_jail(const struct jail_spec *spec, const struct jrecord *rec,
    enum hook h, char *const argv[], const struct strlist *env,
    int consolefd)
{
	struct enter_opts eo = { .out_fd = consolefd };

	hook_enter_opts(spec, &eo);
	eo.env = env->v;
	eo.timeout = in_jail_timeout(spec, h);
	return jail_exec_in(rec, &eo, argv);
}

/*
 * The last line a failed command wrote to the console log since start:
 * with exec.consolelog its output is there, not on our terminal.
 */
/*
 * The console log again, for reading: it is open for writing only (so
 * in the jail too).  Opened by its path as consolelog_open does (no
 * /proc/self/fd is needed: a jail made inside a jail may have no
 * /proc), and taken only if it is still the very file written to.
 */
static int
consolelog_reopen(const struct jail_spec *spec, int consolefd)
{
	struct stat was, st;
	int fd = consolelog_openat2(spec, O_RDONLY);

	if (fd >= 0 && (fstat(consolefd, &was) == -1 || fstat(fd, &st) == -1 ||
	    !S_ISREG(st.st_mode) || st.st_dev != was.st_dev ||
	    st.st_ino != was.st_ino)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static char *
console_last_line(const struct jail_spec *spec, int consolefd, off_t start)
{
	char buf[4096], *end, *line;
	off_t size = lseek(consolefd, 0, SEEK_END), from;
	ssize_t n;
	int fd;

	if (size <= start || (fd = consolelog_reopen(spec, consolefd)) == -1)
		return NULL;
	from = size - start > (off_t)sizeof(buf) - 1 ?
	    size - (off_t)sizeof(buf) + 1 : start;
	n = pread(fd, buf, sizeof(buf) - 1, from);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	for (end = buf + n; end > buf && (end[-1] == '\n' || end[-1] == ' ');)
		*--end = '\0';
	if (end == buf)
		return NULL;
	line = strrchr(buf, '\n');
	return xstrdup(line != NULL ? line + 1 : buf);
}

/*
 * Why a command failed, in FreeBSD's words ("failed", "exited on signal
 * N", "timed out"), and what gaol can add: the memory limit that killed
 * it, the last line of its output when that went to the console log.
 */
static void
set_failure(const struct jail_spec *spec, const char *cmd, int status,
    bool signaled, bool timed_out, bool oom, int consolefd, off_t logstart)
{
	char *why, *last = NULL;

	if (oom)
		why = xstrdup("exited on signal 9: killed by the jail's "
		    "memory limit (memoryuse)");
	else if (timed_out)
		why = xstrdup("timed out");
	else if (signaled)
		why = xasprintf("exited on signal %d", status - 128);
	else
		why = xstrdup("failed");
	if (consolefd >= 0)
		last = console_last_line(spec, consolefd, logstart);
	if (last != NULL)
		gerr_set("%s%s: %s: %s (exec.consolelog %s)", spec->who, cmd,
		    why, last, spec->exec_consolelog);
	else
		gerr_set("%s%s: %s", spec->who, cmd, why);
	free(last);
	free(why);
}

int
hooks_run(const struct jail_spec *spec, const struct jrecord *rec,
    enum hook h, int flags, int consolefd)
{
	const struct strlist *cmds = &spec->hooks[h];
	struct strlist env = { 0 };

	hook_env(spec, &env);
	for (size_t i = 0; i < cmds->n; i++) {
		struct strlist argv = { 0 };
		bool timed_out = false, signaled = false, oom = false;
		off_t logstart = 0;
		int64_t ooms = -1;
		int status;

		if (cmds->v[i][0] == '\0')
			continue;	/* exec.prestart = ""; */
		hook_argv(cmds->v[i], &argv);
		if (argv.n == 0)
			continue;
		if (flags & JF_VERBOSE)
			gnote("%srun command%s: %s", spec->who,
			    hook_in_jail(h) ? " in jail" : "", cmds->v[i]);
		if (consolefd >= 0)
			logstart = lseek(consolefd, 0, SEEK_END);
		if (hook_in_jail(h)) {
			ooms = jail_oom_kills(rec);
			status = run_in_jail(spec, rec, h, argv.v, &env,
			    consolefd);
			if (status == 128 + SIGKILL) {
				oom = ooms >= 0 && jail_oom_kills(rec) > ooms;
				timed_out = !oom && in_jail_timeout(spec, h) > 0;
				signaled = true;
			}
		} else {
			status = run_on_host(spec, argv.v, &env, consolefd,
			    &timed_out);
			if (status != -1) {
				signaled = WIFSIGNALED(status);
				status = WIFEXITED(status) ? WEXITSTATUS(status) :
				    128 + WTERMSIG(status);
			}
		}
		strlist_clear(&argv);
		if (status == -1 && !timed_out) {
			strlist_clear(&env);
			return -1;
		}
		if (status != 0 || timed_out) {
			set_failure(spec, cmds->v[i], status, signaled,
			    timed_out, oom, consolefd, logstart);
			strlist_clear(&env);
			return -1;
		}
	}
	strlist_clear(&env);
	return 0;
}
