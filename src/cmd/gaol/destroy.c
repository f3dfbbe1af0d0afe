/*
 * gaol destroy [-f] TARGET: the jails' storage, snapshots and config go;
 * a running jail only with -f, which stops it first.
 * gaol destroy -r RELEASE: a release no jail uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf/conf.h"
#include "gaol.h"
#include "release/release.h"
#include "state/registry.h"
#include "store/store.h"

/*
 * A running jail whose root lies in the release: one made on it
 * directly with jail(8), which the store's own users check cannot see.
 */
static char *
running_on(const char *release)
{
	char *path = store_release_path(release), *rel = path_clean(path);
	char *who = NULL;
	struct jrecord *recs;
	size_t n;

	free(path);
	if (registry_load_all(&recs, &n) == -1) {
		free(rel);
		return NULL;
	}
	for (size_t i = 0; i < n && who == NULL; i++) {
		const char *p = jparams_str(&recs[i].params, "path");
		char *c;

		if (p == NULL ||
		    !proc_running(recs[i].init_pid, recs[i].init_start))
			continue;
		c = path_clean(p);
		if (path_within(c, rel))
			who = xstrdup(recs[i].name);
		free(c);
	}
	jrecords_free(recs, n);
	free(rel);
	return who;
}

static int
destroy_release(const char *name)
{
	char *who = running_on(name);

	if (who != NULL) {
		fprintf(stderr, "gaol: %s: release in use by running jail %s\n",
		    name, who);
		free(who);
		return 1;
	}
	if (store_release_destroy(name) == -1)
		lib_fail();
	release_manifest_remove(name);
	return 0;
}

static int
destroy_one(const char *name, void *arg)
{
	bool force = *(bool *)arg;
	struct sjail j;
	char *part;

	if (store_jail_load(name, &j) == -1)
		return -1;
	sjail_free(&j);
	if (registry_running(name)) {
		if (!force) {
			gerr_set("%s: jail is running (stop it, or destroy -f)",
			    name);
			return -1;
		}
		if (jail_stop_named(name) == -1)
			return -1;
	}
	if (store_jail_destroy(name) == -1)
		return -1;
	/* gaol limits' part of rctl.conf goes with the jail */
	part = limits_path(name);
	(void)unlink(part);
	free(part);
	return 0;
}

static int
run_destroy(int argc, char **argv)
{
	bool force = false, release = false;
	char *copy, *save, *w;
	int c;

	while ((c = verb_getopt(&verb_destroy, argc, argv, "fr")) != -1)
		if (c == 'f')
			force = true;
		else if (c == 'r')
			release = true;
	if (release && force)
		usage_error(&verb_destroy);
	if (release)
		return destroy_release(argv[optind]);
	/* Every jail at once only by name: ALL is refused here. */
	copy = xstrdup(argv[optind]);
	for (w = strtok_r(copy, " ,\t\n", &save); w != NULL;
	    w = strtok_r(NULL, " ,\t\n", &save))
		if (strcasecmp(w, "ALL") == 0) {
			fprintf(stderr, "gaol: destroy: ALL: name the jails "
			    "(or a tag)\n");
			free(copy);
			return 1;
		}
	free(copy);
	return target_each(argv[optind], 0, destroy_one, &force);
}

const struct verb verb_destroy = {
	.name = "destroy", .args = "[-f] target | -r release", .run = run_destroy,
	.min_args = 1, .max_args = 1,
	.enters = true,
	.help =
	    "Remove the jails of target (names, jids, tags; not ALL): each\n"
	    "one's root, snapshots, jail.conf and the jail.conf.d include.  A\n"
	    "running jail is refused unless -f is given.\n"
	    "  -f  stop the jail first if it runs\n"
	    "  -r  remove a release instead, refused while a jail uses it\n",
};
