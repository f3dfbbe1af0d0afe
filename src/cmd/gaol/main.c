/*
 * gaol(8): the jail manager, Bastille's verbs over FreeBSD's jail(8)
 * model.  main finds the verb; each verb lives in its own file.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "gaol.h"
#include "jail/selfexe.h"

static const struct verb *const verbs[] = {
	&verb_bootstrap, &verb_list, &verb_create, &verb_destroy, &verb_start,
	&verb_stop, &verb_restart, &verb_snapshot, &verb_rollback, &verb_clone,
	&verb_export, &verb_import, &verb_config, &verb_template,
	&verb_tags, &verb_cmd, &verb_console, &verb_pkg, &verb_update,
	&verb_upgrade, &verb_sysrc, &verb_service, &verb_logs, &verb_enable,
	&verb_disable, &verb_limits, &verb_rdr, &verb_top, &verb_stat,
	&verb_metrics, &verb_rename, &verb_cp, &verb_mount, &verb_umount,
	&verb_verify, &verb_edit, &verb_migrate, &verb_monitor,
	&verb_setup, &verb_convert, &verb_jcp, &verb_rcp,
	&verb_network,
};
#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

static void
usage(FILE *f)
{
	fprintf(f, "usage: gaol verb [options] [arguments]\n\nverbs:\n");
	for (size_t i = 0; i < NVERBS; i++)
		fprintf(f, "  %-9s %s\n", verbs[i]->name, verbs[i]->args);
	fprintf(f, "\n`gaol VERB --help` says more; gaol(8) says all.\n");
}

void
usage_error(const struct verb *v)
{
	fprintf(stderr, "usage: gaol %s %s\n", v->name, v->args);
	exit(1);
}

void
lib_fail(void)
{
	fprintf(stderr, "gaol: %s\n", gerr_msg());
	exit(1);
}

const char *long_only_name;

/* Whether word is one of the blank separated words of list. */
static bool
word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p != NULL && *p != '\0'; p += strcspn(p, " "),
	    p += strspn(p, " "))
		if (strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

int
verb_getopt(const struct verb *v, int argc, char **argv, const char *opts)
{
	/* Long spellings; a verb takes those whose letter it lists. */
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "tar", no_argument, NULL, 't' },
		{ "raw", no_argument, NULL, 'r' },
		{ "force", no_argument, NULL, 'f' },
		{ "thick", no_argument, NULL, 'T' },
		{ "sha256", required_argument, NULL, 'S' },
		{ "include", required_argument, NULL, 'I' },
		{ "mirror", required_argument, NULL, 'M' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "arg", required_argument, NULL, 'A' },
		{ "check", required_argument, NULL, 'C' },
		{ "no-boot", no_argument, NULL, LONG_ONLY },
		{ "tags", required_argument, NULL, LONG_ONLY },
		{ NULL, 0, NULL, 0 },
	};
	char *all = xasprintf("+%sh", opts);
	int li = -1, c = getopt_long(argc, argv, all, lopts, &li);

	free(all);
	long_only_name = c == LONG_ONLY ? lopts[li].name : NULL;
	if (c == LONG_ONLY && !word_in(v->long_only, long_only_name)) {
		fprintf(stderr, "gaol %s: unknown option --%s\n", v->name,
		    long_only_name);
		usage_error(v);
	}
	if (c > 0 && c < LONG_ONLY && c != 'h' && c != '?' &&
	    strchr(opts, c) == NULL) {
		fprintf(stderr, "gaol %s: unknown option %s\n", v->name,
		    argv[optind - 1]);
		usage_error(v);
	}
	if (c == 'h') {
		printf("usage: gaol %s %s\n\n%s", v->name, v->args, v->help);
		exit(0);
	}
	if (c == '?')
		usage_error(v);
	if (c == -1 && v->max_args != 0 &&
	    (argc - optind < v->min_args || argc - optind > v->max_args))
		usage_error(v);
	return c;
}

const struct verb *
verb_find(const char *name)
{
	for (size_t i = 0; i < NVERBS; i++)
		if (strcmp(name, verbs[i]->name) == 0)
			return verbs[i];
	return NULL;
}

int
verb_call(const struct verb *v, int argc, char **argv)
{
	pid_t pid;
	int st;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		optind = 0;	/* glibc: a fresh getopt */
		exit(v->run(argc, argv));
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

int
main(int argc, char **argv)
{
	const struct verb *v = NULL;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if ((v = verb_find(argv[1])) == NULL) {
		fprintf(stderr, "gaol: %s: unknown verb; see gaol --help\n",
		    argv[1]);
		return 1;
	}
	/* A jail's init is this program's image, as for jail(8). */
	if (v->enters && selfexe_protect(argv) == -1)
		lib_fail();
	opterr = 1;
	optind = 1;
	return v->run(argc - 1, argv + 1);
}
