/*
 * gaol start|stop|restart TARGET: jail(8)'s own path through libgaol.
 * The jail's block comes from jail.conf and jail.conf.d/NAME.conf (which
 * gaol create wrote), exactly as `jail -c NAME` reads it.
 *
 * Several jails (ALL, a tag, a list) start in waves: each wave is every
 * jail whose jail.conf depend are all up, started in parallel, one
 * child process a jail.  They stop youngest first, as jail -r '*' does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gaol.h"
#include "conf/conf.h"
#include "jail/jail.h"

int
jail_start_named(const char *name)
{
	struct strlist names = { 0 };
	struct jconf conf = { 0 };
	struct jparams params = { 0 };
	struct jail_spec spec;
	int jid, r = -1;

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
	if (jconf_resolve(&conf, name, &(struct jparams){ 0 }, &params) == -1 ||
	    spec_from_params(&spec, &params) == -1)
		goto out;
	spec_set_label(&spec, name);	/* noted as jail(8) notes a block */
	r = jail_create(&spec, 0, &jid, NULL);
	spec_free(&spec);
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

/* One jail of a start plan. */
struct job {
	char		*name;
	struct strlist	 deps;
	enum { J_WAIT, J_UP, J_FAILED } state;
	pid_t		 pid;
};

/*
 * The jails and, transitively, what they depend on (jail.conf's depend),
 * which jail.conf.d holds only under the jail's own name: read again
 * until no new name turns up.
 */
static int
plan_load(const struct strlist *names, struct job **jobsp, size_t *np)
{
	struct strlist all = { 0 };
	struct job *jobs = NULL;
	size_t n = 0;
	int r = 0;

	strlist_copy(&all, names);
	for (size_t i = 0; i < all.n && r == 0; i++) {
		struct jconf conf = { 0 };
		struct jparams params = { 0 };
		const struct jparam *dep;

		if (jconf_load(&conf, NULL, &all) == -1) {
			r = -1;
			break;
		}
		jobs = xrealloc(jobs, n + 1, sizeof(*jobs));
		memset(&jobs[n], 0, sizeof(jobs[n]));
		jobs[n].name = xstrdup(all.v[i]);
		if (jconf_has_jail(&conf, all.v[i]) &&
		    jconf_resolve(&conf, all.v[i], &(struct jparams){ 0 },
		    &params) == 0 &&
		    (dep = jparams_find(&params, "depend")) != NULL)
			for (size_t d = 0; d < dep->val.n; d++) {
				strlist_add(&jobs[n].deps, dep->val.v[d]);
				if (!strlist_has(&all, dep->val.v[d]))
					strlist_add(&all, dep->val.v[d]);
			}
		n++;
		jparams_free(&params);
		jconf_free(&conf);
	}
	strlist_clear(&all);
	*jobsp = jobs;
	*np = n;
	return r;
}

static struct job *
job_find(struct job *jobs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(jobs[i].name, name) == 0)
			return &jobs[i];
	return NULL;
}

static void
job_fail(struct job *j, const char *fmt, const char *arg)
{
	fprintf(stderr, "gaol: %s: ", j->name);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	j->state = J_FAILED;
}

/* Start the jails of a wave, each in a child; 0 when all came up. */
static void
wave_run(struct job **wave, size_t n)
{
	int status;

	fflush(stdout);
	for (size_t i = 0; i < n; i++) {
		if ((wave[i]->pid = fork()) == 0) {
			int r = jail_start_named(wave[i]->name);

			if (r == -1)
				fprintf(stderr, "gaol: %s\n", gerr_msg());
			fflush(stdout);
			_exit(r == -1 ? 1 : 0);
		}
		if (wave[i]->pid == -1) {
			perror("gaol: fork");
			wave[i]->state = J_FAILED;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (wave[i]->pid <= 0)
			continue;
		while (waitpid(wave[i]->pid, &status, 0) == -1)
			;
		wave[i]->state = WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
		    J_UP : J_FAILED;
	}
}

/*
 * Start the named jails and what they depend on, in waves.  A jail
 * already running counts as up; one whose dependency failed is skipped.
 */
static int
start_ordered(const struct strlist *names)
{
	struct job *jobs, **wave;
	size_t n, nw, left;
	bool skipped;
	int failed = 0;

	if (plan_load(names, &jobs, &n) == -1)
		lib_fail();
	wave = xcalloc(n, sizeof(*wave));
	for (size_t i = 0; i < n; i++)
		if (registry_running(jobs[i].name))
			jobs[i].state = J_UP;
	do {
		nw = 0;
		left = 0;
		skipped = false;
		for (size_t i = 0; i < n; i++) {
			bool ready = true;

			if (jobs[i].state != J_WAIT)
				continue;
			left++;
			for (size_t d = 0; d < jobs[i].deps.n; d++) {
				struct job *dj = job_find(jobs, n,
				    jobs[i].deps.v[d]);

				if (dj->state == J_FAILED) {
					job_fail(&jobs[i], "skipped: %s did "
					    "not start", dj->name);
					ready = false;
					skipped = true;
					break;
				}
				ready &= dj->state == J_UP;
			}
			if (ready)
				wave[nw++] = &jobs[i];
		}
		wave_run(wave, nw);
	} while (nw > 0 || skipped);
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].state == J_WAIT && left > 0)
			job_fail(&jobs[i], "%s", "dependency loop");
		failed |= jobs[i].state == J_FAILED;
		free(jobs[i].name);
		strlist_clear(&jobs[i].deps);
	}
	free(jobs);
	free(wave);
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
