/*
 * gaol service TARGET name action: service(8) inside each jail.
 * gaol sysrc TARGET args: sysrc(8) -j on each jail's rc.conf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "jail/jail.h"

struct words {
	char	**v;
	int	  n;
	int	  status;
	bool	  several;
};

static void
header(const struct words *w, const char *name)
{
	if (w->several) {
		printf("[%s]:\n", name);
		fflush(stdout);
	}
}

static int
service_one(const char *name, void *arg)
{
	struct words *w = arg;
	struct enter_opts eo = { .out_fd = -1 };
	char *argv[] = { "service", w->v[0], w->v[1], NULL };
	int s;

	header(w, name);
	if ((s = gaol_exec(name, "gaol service", &eo, argv)) == -1)
		return -1;
	if (s != 0)
		w->status = s;
	return 0;
}

static int
run_service(int argc, char **argv)
{
	struct strlist jails = { 0 };
	struct words w = { 0 };
	int failed;

	while (verb_getopt(&verb_service, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc != 3)
		usage_error(&verb_service);
	target_or_fail(argv[0], 0, &jails);
	w.several = jails.n > 1;
	strlist_clear(&jails);
	w.v = argv + 1;
	w.n = 2;
	failed = target_each(argv[0], 0, service_one, &w);
	return w.status != 0 ? w.status : failed;
}

const struct verb verb_service = {
	.name = "service", .args = "target name action", .run = run_service,
	.help =
	    "Run `service name action` (start, stop, restart, status, ...)\n"
	    "in each running jail of target, through the jail's own\n"
	    "service(8): gaol's rc scripts and the release's init.d ones.\n",
};

static int
sysrc_one(const char *name, void *arg)
{
	struct words *w = arg;
	char **argv = xcalloc((size_t)w->n + 4, sizeof(char *));
	int s;

	argv[0] = gaol_sibling("sysrc");
	argv[1] = "-j";
	argv[2] = (char *)name;
	for (int i = 0; i < w->n; i++)
		argv[i + 3] = w->v[i];
	header(w, name);
	s = run_argv(argv, -1, -1);
	free(argv[0]);
	free(argv);
	if (s == -1)
		return -1;
	if (s != 0)
		w->status = s;
	return 0;
}

static int
run_sysrc(int argc, char **argv)
{
	struct strlist jails = { 0 };
	struct words w = { 0 };
	int failed;

	/* sysrc's own options follow the target: no getopt past it. */
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		(void)verb_getopt(&verb_sysrc, argc, argv, "");
	if (argc < 3)
		usage_error(&verb_sysrc);
	target_or_fail(argv[1], 0, &jails);
	w.several = jails.n > 1;
	strlist_clear(&jails);
	w.v = argv + 2;
	w.n = argc - 2;
	failed = target_each(argv[1], 0, sysrc_one, &w);
	return w.status != 0 ? w.status : failed;
}

const struct verb verb_sysrc = {
	.name = "sysrc", .args = "target [sysrc-option ...] name[=value] ...",
	.run = run_sysrc,
	.help =
	    "sysrc(8) on the rc.conf of each running jail of target, as\n"
	    "`sysrc -j name` does: options and arguments are sysrc's.\n"
	    "  gaol sysrc web nginx_enable=YES\n",
};
