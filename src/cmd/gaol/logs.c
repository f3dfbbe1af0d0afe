/*
 * gaol logs [-f] TARGET: the console log of each jail (exec.consolelog,
 * which gaol create sets to LOGDIR/jail_NAME_console.log).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "conf/conf.h"

/* The jail's exec.consolelog from jail.conf, NULL (message set) if none. */
static char *
consolelog_of(const char *name)
{
	struct strlist names = { 0 };
	struct jconf conf = { 0 };
	struct jparams params = { 0 };
	const char *log;
	char *r = NULL;

	strlist_add(&names, name);
	if (jconf_load(&conf, NULL, &names) == 0 &&
	    (!jconf_has_jail(&conf, name) ? (gerr_set("%s: not found in "
	    "jail.conf or jail.conf.d", name), -1) : jconf_resolve(&conf, name,
	    &(struct jparams){ 0 }, &params)) == 0) {
		if ((log = jparams_str(&params, "exec.consolelog")) != NULL)
			r = xstrdup(log);
		else
			gerr_set("%s: the jail has no exec.consolelog", name);
	}
	jparams_free(&params);
	jconf_free(&conf);
	strlist_clear(&names);
	return r;
}

/* The jails' logs, in target order, and their names. */
struct logs {
	struct strlist	 names, files;
};

static int
collect(const char *name, void *arg)
{
	struct logs *l = arg;
	char *log = consolelog_of(name);

	if (log == NULL)
		return -1;
	strlist_add(&l->names, name);
	strlist_addn(&l->files, log);
	return 0;
}

static int
show(const struct logs *l)
{
	int failed = 0;

	for (size_t i = 0; i < l->files.n; i++) {
		char *text = read_file(l->files.v[i], NULL);

		if (text == NULL && errno != ENOENT) {
			fprintf(stderr, "gaol: %s: %s: %s\n", l->names.v[i],
			    l->files.v[i], strerror(errno));
			failed = 1;
			continue;
		}
		if (l->files.n > 1)
			printf("[%s]:\n", l->names.v[i]);
		if (text != NULL)
			fputs(text, stdout);
		free(text);
	}
	return failed;
}

/* tail(1) follows them all, each from its last lines. */
static int
follow(const struct logs *l)
{
	char **av = xcalloc(l->files.n + 5, sizeof(char *));
	size_t n = 0;

	av[n++] = "tail";
	av[n++] = "-F";
	av[n++] = "-n";
	av[n++] = "20";
	for (size_t i = 0; i < l->files.n; i++)
		av[n++] = l->files.v[i];
	fflush(stdout);
	execvp("tail", av);
	fprintf(stderr, "gaol: tail: %s\n", strerror(errno));
	free(av);
	return 1;
}

static int
run_logs(int argc, char **argv)
{
	struct logs l = { 0 };
	bool tail = false;
	int c, failed;

	while ((c = verb_getopt(&verb_logs, argc, argv, "f")) != -1)
		if (c == 'f')
			tail = true;
	if (optind != argc - 1)
		usage_error(&verb_logs);
	failed = target_each(argv[optind], 0, collect, &l);
	if (tail && !failed)
		return follow(&l);
	failed |= show(&l);
	strlist_clear(&l.names);
	strlist_clear(&l.files);
	return failed;
}

const struct verb verb_logs = {
	.name = "logs", .args = "[-f] target", .run = run_logs,
	.help =
	    "Print each jail's console log: what its exec.start (the rc and\n"
	    "the services it starts) and exec.stop wrote, kept in\n"
	    "exec.consolelog (gaol create sets LOGDIR/jail_name_console.log).\n"
	    "  -f  follow the logs as they grow (tail -F)\n",
};
