/*
 * jexec(8): run a command inside a running jail.  Entering is the
 * library's (jail_exec_in: setns into the jail's namespaces, its
 * cgroup, its limits and seccomp filter); this front end finds the
 * jail, writes the audit log around the command and passes its exit
 * status back.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail/jail.h"
#include "state/registry.h"
#include "out/audit.h"
#include "out/out.h"
#include "util/util.h"

static const char usage_text[] =
    "usage: jexec [-l] [-d working-directory] [-u username | -U username]"
    " jail [command ...]\n";

static const char help_text[] =
    "  -d dir    working directory inside the jail\n"
    "  -l        clean environment and a login shell, as login(1)\n"
    "  -u user   run as user from the host's password file\n"
    "  -U user   run as user from the jail's password file\n"
    "Without a command, the user's shell from the jail is run.\n"
    "Every run is logged in $GAOL_LOGDIR/jexec.log.\n";

static void
find_jail(const char *arg, struct jrecord *rec)
{
	if (registry_find(arg, rec) == 0)
		return;
	if (errno == ENOENT)
		errx(1, "jail \"%s\" not found", arg);
	errx(1, "%s", gerr_msg());
}

/* The audit log's "as" field: which user the command runs as. */
static char *
as_user(const struct enter_opts *eo)
{
	if (eo->host_user != NULL)
		return xasprintf("host:%s", eo->host_user);
	return xstrdup(eo->user != NULL ? eo->user : "-");
}

int
main(int argc, char **argv)
{
	struct enter_opts eo = { .out_fd = -1 };
	struct jrecord rec = { 0 };
	struct audit a = { .log = "jexec.log", .prog = "jexec" };
	char **cmd;
	char *as;
	int64_t ooms;
	int c, status;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		out_usage(usage_text, help_text, true);
	/* "+": options end at the jail name; the command keeps its own. */
	while ((c = getopt(argc, argv, "+d:lnu:U:")) != -1) {
		switch (c) {
		case 'd':
			eo.dir = optarg;
			break;
		case 'l':
			eo.login = true;
			break;
		case 'n':
			/* Once "by name"; FreeBSD ignores it now, as do we. */
			break;
		case 'u':
			eo.host_user = optarg;
			break;
		case 'U':
			eo.user = optarg;
			break;
		default:
			out_usage(usage_text, help_text, false);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (eo.user != NULL && eo.host_user != NULL))
		out_usage(usage_text, help_text, false);
	find_jail(argv[0], &rec);
	cmd = argc > 1 ? argv + 1 : NULL;

	/*
	 * The start line goes out before the command runs, so that even a
	 * jexec killed outright leaves a trace.  When the log cannot be
	 * written (a full disk), the entry goes to syslog and we say so,
	 * but still run: a full disk must not lock everyone out of the
	 * jails.
	 */
	as = as_user(&eo);
	a.jid = rec.jid;
	a.jname = rec.name;
	a.as = as;
	a.argv = cmd;
	if (audit_begin(&a) == -1)
		warnx("audit log: %s", gerr_msg());

	ooms = jail_oom_kills(&rec);
	status = jail_exec_in(&rec, &eo, cmd);
	if (status < 0) {
		warnx("%s", gerr_msg());
		status = 1;
	} else if (status == 128 + SIGKILL && ooms >= 0 &&
	    jail_oom_kills(&rec) > ooms)
		warnx("%s: %s: killed by the jail's memory limit (memoryuse)",
		    rec.name, cmd != NULL ? cmd[0] : "shell");
	if (audit_end(&a, status) == -1)
		warnx("audit log: %s", gerr_msg());
	free(as);
	jrecord_free(&rec);
	return status;
}
