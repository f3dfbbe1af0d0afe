/*
 * gaol start|stop|restart TARGET: jail(8)'s own path through libgaol.
 * The jail's block comes from jail.conf and jail.conf.d/NAME.conf (which
 * gaol create wrote), exactly as `jail -c NAME` reads it.
 *
 * Several jails (ALL, a tag, a list) start in waves over conf's plan
 * (jplan_add, jail(8)'s own order): each wave is every jail whose
 * dependencies are all up, started in parallel, one child process a
 * jail.  They stop youngest first, as jail -r '*' does.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gaol.h"
#include "conf/conf.h"
#include "jail/jail.h"

/* A jail from its resolved parameters, as jail(8) starts a block. */
static int
start_resolved(const char *name, const struct jparams *params)
{
	struct jail_spec spec;
	int jid, r;

	if (spec_from_params(&spec, params) == -1)
		return -1;
	spec_set_label(&spec, name);	/* noted as jail(8) notes a block */
	r = jail_create(&spec, 0, &jid, NULL);
	spec_free(&spec);
	return r;
}

int
jail_start_named(const char *name)
{
	struct strlist names = { 0 };
	struct jconf conf = { 0 };
	struct jparams params = { 0 };
	int r = -1;

	if (registry_running(name)) {
		gerr_set("%s: already running", name);
		return -1;
	}
	strlist_add(&names, name);
	if (jconf_load(&conf, NULL, &names) == -1)
		goto out;
	if (!jconf_has_jail(&conf, name)) {
		gerr_set("%s: not found in jail.conf or jail.conf.d", name);
		goto out;
	}
	if (jconf_resolve(&conf, name, &(struct jparams){ 0 }, &params) == 0)
		r = start_resolved(name, &params);
out:
	jparams_free(&params);
	jconf_free(&conf);
	strlist_clear(&names);
	return r;
}

int
jail_stop_named(const char *name)
{
	struct jrecord rec;
	int r;

	if (registry_find(name, &rec) == -1)
		return -1;
	r = jail_remove(&rec, 0);
	jrecord_free(&rec);
	return r;
}

/* The names jail.conf.d has a file for (NAME.conf), added to out. */
static void
confd_names(struct strlist *out)
{
	char *dir = xasprintf("%s/jail.conf.d", gaol_sysconfdir());
	DIR *d = opendir(dir);
	struct dirent *e;

	free(dir);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (e->d_name[0] != '.' && n > 5 &&
		    strcmp(e->d_name + n - 5, ".conf") == 0) {
			char *name = xstrndup(e->d_name, n - 5);

			if (!strlist_has(out, name))
				strlist_add(out, name);
			free(name);
		}
	}
	closedir(d);
}

enum state { S_WAIT, S_UP, S_FAILED };

/*
 * Start the jails of the plan's order in waves, each wave every jail
 * whose deps are up, in parallel, one child a jail.  A jail already
 * running counts as up; one whose dependency failed is skipped.
 */
static int
waves_run(struct jplan *pl, enum state *st)
{
	struct jplan_jail **wave = xcalloc(pl->n + 1, sizeof(*wave));
	pid_t *pids = xcalloc(pl->n + 1, sizeof(*pids));
	size_t nw;
	int failed = 0, status;

	do {
		nw = 0;
		for (size_t i = 0; i < pl->order.n; i++) {
			struct jplan_jail *nd = jplan_jail(pl, pl->order.v[i]);
			size_t k = (size_t)(nd - pl->v);
			bool ready = true;

			if (st[k] != S_WAIT)
				continue;
			for (size_t d = 0; d < nd->deps.n && ready; d++) {
				struct jplan_jail *dj = jplan_jail(pl,
				    nd->deps.v[d]);

				if (st[dj - pl->v] == S_FAILED) {
					fprintf(stderr, "gaol: %s: skipped: %s "
					    "did not start\n", nd->name,
					    dj->name);
					st[k] = S_FAILED;
				}
				ready = st[dj - pl->v] == S_UP;
			}
			if (ready)
				wave[nw++] = nd;
		}
		fflush(stdout);
		fflush(stderr);
		for (size_t i = 0; i < nw; i++)
			if ((pids[i] = fork()) == 0) {
				int r = start_resolved(wave[i]->name,
				    &wave[i]->params);

				if (r == -1)
					fprintf(stderr, "gaol: %s\n",
					    gerr_msg());
				fflush(stdout);
				_exit(r == -1 ? 1 : 0);
			} else if (pids[i] == -1)
				perror("gaol: fork");
		for (size_t i = 0; i < nw; i++) {
			size_t k = (size_t)(wave[i] - pl->v);

			st[k] = S_FAILED;
			if (pids[i] > 0) {
				while (waitpid(pids[i], &status, 0) == -1)
					;
				if (WIFEXITED(status) &&
				    WEXITSTATUS(status) == 0)
					st[k] = S_UP;
			}
		}
	} while (nw > 0);
	for (size_t i = 0; i < pl->n; i++)
		failed |= st[i] == S_FAILED;
	free(wave);
	free(pids);
	return failed;
}

/*
 * Start the named jails and what they depend on, in the order conf's
 * plan gives (jplan_add: depend and parents, loops and undefined jails
 * found there).  A dependency's block may be in its own jail.conf.d
 * file, so every one is read, as jail(8) reads all of jail.conf.
 */
static int
start_ordered(const struct strlist *names)
{
	struct strlist files = { 0 };
	struct jconf conf = { 0 };
	struct jplan pl = { 0 };
	enum state *st;
	int failed = 0;

	strlist_copy(&files, names);
	confd_names(&files);
	if (jconf_load(&conf, NULL, &files) == -1)
		lib_fail();
	strlist_clear(&files);
	for (size_t i = 0; i < names->n; i++) {
		if (!jconf_has_jail(&conf, names->v[i])) {
			fprintf(stderr, "gaol: %s: not found in jail.conf or "
			    "jail.conf.d\n", names->v[i]);
			failed = 1;
		} else if (jplan_add(&pl, &conf, names->v[i]) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	}
	st = xcalloc(pl.n + 1, sizeof(*st));
	for (size_t i = 0; i < pl.n; i++)
		st[i] = !pl.v[i].done ? S_FAILED :
		    registry_running(pl.v[i].name) ? S_UP : S_WAIT;
	failed |= waves_run(&pl, st);
	free(st);
	jplan_free(&pl);
	jconf_free(&conf);
	return failed;
}

/* Running jails of the list, youngest (highest jid) first. */
static int
stop_ordered(const struct strlist *names)
{
	struct jrecord *recs;
	size_t n;
	int failed = 0;

	if (registry_load_all(&recs, &n) == -1)
		lib_fail();
	for (size_t i = n; i-- > 0; ) {
		if (!jrecord_is_jail(&recs[i]) ||
		    !strlist_has(names, recs[i].name))
			continue;
		if (jail_stop_named(recs[i].name) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	}
	jrecords_free(recs, n);
	return failed;
}

enum op { OP_START = 1, OP_STOP = 2 };

static int
lifecycle(const struct verb *v, int argc, char **argv, unsigned ops)
{
	struct strlist names = { 0 };
	int failed = 0;

	while (verb_getopt(v, argc, argv, "") != -1)
		;
	for (int i = optind; i < argc; i++)
		target_or_fail(argv[i], TARGET_CONF, &names);
	if (names.n == 1 && ops == OP_START && registry_running(names.v[0])) {
		/* One jail: what jail -c says. */
		fprintf(stderr, "gaol: %s: already running\n", names.v[0]);
		failed = 1;
	} else if (names.n == 1 && ops == OP_STOP) {
		if (jail_stop_named(names.v[0]) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	} else {
		if (ops & OP_STOP)
			failed |= stop_ordered(&names);
		if (ops & OP_START)
			failed |= start_ordered(&names);
	}
	strlist_clear(&names);
	return failed;
}

static int run_start(int argc, char **argv)
{
	return lifecycle(&verb_start, argc, argv, OP_START);
}

static int run_stop(int argc, char **argv)
{
	return lifecycle(&verb_stop, argc, argv, OP_STOP);
}

static int run_restart(int argc, char **argv)
{
	return lifecycle(&verb_restart, argc, argv, OP_STOP | OP_START);
}

const struct verb verb_start = {
	.name = "start", .args = "target ...", .run = run_start, .enters = true,
	.min_args = 1, .max_args = ANY_NUMBER,
	.help = "Start jails as `jail -c name` does, from jail.conf and\n"
	    "jail.conf.d/name.conf.  target is ALL, names, jids, tags.\n"
	    "Several jails start in dependency order (jail.conf depend, and\n"
	    "what they depend on with them), those independent of each other\n"
	    "in parallel; a jail already running is passed over, one whose\n"
	    "dependency failed is skipped.\n",
};

const struct verb verb_stop = {
	.name = "stop", .args = "target ...", .run = run_stop, .enters = true,
	.min_args = 1, .max_args = ANY_NUMBER,
	.help = "Stop running jails as `jail -r name` does; several are\n"
	    "stopped youngest first, so a jail stops before what it depends\n"
	    "on.\n",
};

const struct verb verb_restart = {
	.name = "restart", .args = "target ...", .run = run_restart,
	.min_args = 1, .max_args = ANY_NUMBER,
	.enters = true,
	.help = "Stop the jails of target that run, then start them all.\n",
};
