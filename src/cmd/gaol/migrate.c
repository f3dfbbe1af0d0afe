/*
 * gaol migrate NAME USER@HOST[:PORT]: each jail exported,
 * imported on the other host over ssh, started there, and removed here
 * only once it runs there.  A running jail is stopped for a consistent
 * copy; if anything fails it is started again here and the other host's
 * copy, if one was made, is destroyed.
 *
 * The ssh command is $GAOL_SSH (default "ssh", sh text, so it may hold
 * options), the other host's gaol $GAOL_REMOTE (default "gaol").
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gaol.h"
#include "state/registry.h"
#include "store/store.h"

struct remote {
	char	*host;		/* user@host */
	char	*port;		/* NULL: ssh's default */
};

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

/*
 * Run "GAOL_REMOTE args" on the other host, stdin from in_fd; quiet
 * discards its output.  Its exit status, or -1 (message set).
 */
static int
remote_run(const struct remote *rm, const char *args, int in_fd, bool quiet)
{
	char *cmd, *line;
	int st;

	line = xasprintf("%s %s", env_or("GAOL_REMOTE", "gaol"), args);
	/* The remote line goes to ssh as one word; ssh hands it to a shell. */
	cmd = xasprintf("%s %s%s %s \"$1\"%s", env_or("GAOL_SSH", "ssh"),
	    rm->port != NULL ? "-p " : "", rm->port != NULL ? rm->port : "",
	    rm->host, quiet ? " >/dev/null 2>&1" : "");
	{
		char *const argv[] = { "/bin/sh", "-c", cmd, "sh", line, NULL };

		st = run_argv(argv, in_fd, -1);
	}
	free(cmd);
	free(line);
	return st;
}

/* export name into ssh's gaol import; 0 when both ended well. */
static int
send_jail(const struct remote *rm, const char *name, int flags)
{
	int fds[2], st, exported;
	char *args;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		gerr_set_errno("pipe");
		return -1;
	}
	fflush(stdout);
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		signal(SIGPIPE, SIG_DFL);
		if (store_export(name, fds[1], flags) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	args = xasprintf("import - %s", name);
	st = remote_run(rm, args, fds[0], false);
	free(args);
	close(fds[0]);
	while (waitpid(pid, &exported, 0) == -1 && errno == EINTR)
		;
	if (st != 0) {
		if (st > 0)
			gerr_set("%s: import on %s failed (exit %d)", name,
			    rm->host, st);
		return -1;
	}
	if (!WIFEXITED(exported) || WEXITSTATUS(exported) != 0) {
		gerr_set("%s: export failed", name);
		return -1;
	}
	return 0;
}

static int
migrate_one(const char *name, void *arg)
{
	const struct remote *rm = arg;
	bool was_running = registry_running(name);
	struct sjail j;
	char *args;
	int st;

	if (store_jail_load(name, &j) == -1)
		return -1;
	sjail_free(&j);
	printf("%s: to %s\n", name, rm->host);
	if (was_running && jail_stop_named(name) == -1)
		return -1;
	if (send_jail(rm, name, 0) == -1)
		goto undo;
	args = xasprintf("start %s", name);
	st = remote_run(rm, args, -1, false);
	free(args);
	if (st != 0) {
		char *why = st > 0 ? xasprintf("%s: did not start on %s "
		    "(exit %d)", name, rm->host, st) : xstrdup(gerr_msg());

		/* Not left in two places: the other host's copy goes. */
		args = xasprintf("destroy -f %s", name);
		(void)remote_run(rm, args, -1, true);
		free(args);
		gerr_set("%s", why);
		free(why);
		goto undo;
	}
	if (store_jail_destroy(name) == -1)
		return -1;
	printf("%s: running on %s, removed here\n", name, rm->host);
	return 0;
undo:
	if (was_running) {
		char *e = gerr_save();

		if (jail_start_named(name) == -1)
			fprintf(stderr, "gaol: %s\n", gerr_msg());
		gerr_restore(e);
	}
	return -1;
}

static int
run_migrate(int argc, char **argv)
{
	struct remote rm = { 0 };
	struct strlist names = { 0 };
	char *colon;
	int failed = 0;

	while (verb_getopt(&verb_migrate, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc != 2)
		usage_error(&verb_migrate);
	if (strchr(argv[1], '@') == NULL || argv[1][0] == '-' ||
	    strpbrk(argv[1], " \t'\"\\$`;&|<>") != NULL) {
		fprintf(stderr, "gaol: migrate: %s: not user@host[:port]\n",
		    argv[1]);
		return 1;
	}
	rm.host = xstrdup(argv[1]);
	if ((colon = strrchr(rm.host, ':')) != NULL) {
		*colon = '\0';
		rm.port = colon + 1;
		if (*rm.port == '\0' || strspn(rm.port, "0123456789") !=
		    strlen(rm.port)) {
			fprintf(stderr, "gaol: migrate: %s: bad port\n",
			    argv[1]);
			return 1;
		}
	}
	target_or_fail(argv[0], 0, &names);
	for (size_t i = 0; i < names.n; i++)
		if (migrate_one(names.v[i], &rm) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	strlist_clear(&names);
	free(rm.host);
	return failed;
}

const struct verb verb_migrate = {
	.name = "migrate", .args = "target user@host[:port]",
	.run = run_migrate, .enters = true,
	.help =
	    "Move the jails of target to another host, one after the other:\n"
	    "each is exported into ssh running `gaol\n"
	    "import -` there, start it there, then destroy it here.  A running\n"
	    "jail is stopped first for a consistent copy.  If the import or\n"
	    "the start fails, the other host's copy is destroyed and the jail\n"
	    "is started again here if it was running.\n"
	    "  GAOL_SSH     the ssh command (default ssh; may hold options)\n"
	    "  GAOL_REMOTE  gaol on the other host (default gaol)\n",
};
