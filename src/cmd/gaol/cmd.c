/*
 * gaol cmd TARGET command...: a command in each jail of the target, as
 * Bastille's cmd runs it (jexec -l: a login environment, so the caller's
 * variables stay on the host).  gaol console NAME [user]: a login shell
 * in one jail.
 */
#include <stdio.h>
#include <string.h>

#include "gaol.h"
#include "jail/jail.h"

static int
run_cmd(int argc, char **argv)
{
	struct enter_opts eo = { .out_fd = -1, .login = true };
	struct strlist jails = { 0 };
	int status = 0, s;

	while (verb_getopt(&verb_cmd, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage_error(&verb_cmd);
	target_or_fail(argv[0], 0, &jails);
	for (size_t i = 0; i < jails.n; i++) {
		/* Several jails: Bastille's "[name]:" before each one's output. */
		if (jails.n > 1) {
			printf("[%s]:\n", jails.v[i]);
			fflush(stdout);
		}
		if ((s = gaol_exec(jails.v[i], "gaol cmd", &eo, argv + 1)) ==
		    -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			s = 1;
		}
		/* One jail: its command's status; several: 1 if any failed. */
		if (jails.n == 1)
			status = s;
		else if (s != 0)
			status = 1;
	}
	strlist_clear(&jails);
	return status;
}

const struct verb verb_cmd = {
	.name = "cmd", .args = "target command [argument ...]", .run = run_cmd,
	.help =
	    "Run a command in each running jail of target (ALL, names, jids,\n"
	    "tags) as root in a login environment, as jexec -l does (none of\n"
	    "the caller's variables but TERM; HOME, SHELL, USER, PATH the\n"
	    "jail's; in root's home), logged in $GAOL_LOGDIR/jexec.log.  With\n"
	    "several jails each one's output follows a \"[name]:\" line and\n"
	    "the exit status is 1 if any failed; with one, the command's.\n",
};

static int
run_console(int argc, char **argv)
{
	struct enter_opts eo = { .out_fd = -1, .login = true };
	struct strlist jails = { 0 };
	int s;

	while (verb_getopt(&verb_console, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage_error(&verb_console);
	eo.user = argc == 2 ? argv[1] : "root";
	target_or_fail(argv[0], TARGET_ONE, &jails);
	s = gaol_exec(jails.v[0], "gaol console", &eo, NULL);
	if (s == -1)
		fprintf(stderr, "gaol: %s\n", gerr_msg());
	strlist_clear(&jails);
	return s == -1 ? 1 : s;
}

const struct verb verb_console = {
	.name = "console", .args = "target [user]", .run = run_console,
	.help =
	    "A login shell in the jail (target names one: a name, a jid, or a\n"
	    "tag one jail carries), as user (default root) of the jail's\n"
	    "own passwd: a clean environment, the user's home and shell, and\n"
	    "a terminal of the jail's own when standard input is one\n"
	    "(jexec -l -U user).\n",
};
