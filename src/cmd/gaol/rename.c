/*
 * gaol rename NAME NEWNAME: a stopped jail under a new name, with what
 * is kept under its name elsewhere: its rctl.conf.d part and its place
 * in rc.conf's jail_list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "state/registry.h"
#include "rcconf/rcconf.h"
#include "store/store.h"

/* jail_list with from replaced by to, if from is there. */
static int
rename_in_jail_list(const char *from, const char *to)
{
	char *path = xasprintf("%s/rc.conf", gaol_sysconfdir());
	struct strlist words = { 0 };
	struct rcconf rc;
	char *list, *save, *w, *joined;
	bool found = false;
	int r = 0;

	if (rcconf_load(&rc, path) == -1) {
		free(path);
		return -1;
	}
	list = rcconf_get(&rc, "jail_list");
	for (w = list ? strtok_r(list, " \t", &save) : NULL; w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		found |= strcmp(w, from) == 0;
		strlist_add(&words, strcmp(w, from) == 0 ? to : w);
	}
	if (found) {
		joined = strlist_join(&words, " ");
		rcconf_set(&rc, "jail_list", joined);
		free(joined);
		r = rcconf_save(&rc, path);
	}
	free(list);
	strlist_clear(&words);
	rcconf_free(&rc);
	free(path);
	return r;
}

/* The rctl.conf.d part, its rules now for jail:to. */
static int
rename_rctl_part(const char *from, const char *to)
{
	char *src = limits_path(from), *dst = limits_path(to);
	char *old = xasprintf("jail:%s:", from), *head;
	struct strlist rules = { 0 }, moved = { 0 };
	int r = 0;

	lines_load(src, &rules);
	for (size_t i = 0; i < rules.n; i++)
		if (strncmp(rules.v[i], old, strlen(old)) == 0)
			strlist_addn(&moved, xasprintf("jail:%s:%s", to,
			    rules.v[i] + strlen(old)));
		else
			strlist_add(&moved, rules.v[i]);
	if (moved.n > 0) {
		head = xasprintf("# %s's rctl rules: gaol limits %s changes "
		    "them.\n", to, to);
		if ((r = lines_save(dst, head, &moved)) == 0)
			(void)unlink(src);
		free(head);
	}
	strlist_clear(&rules);
	strlist_clear(&moved);
	free(old);
	free(dst);
	free(src);
	return r;
}

static int
run_rename(int argc, char **argv)
{
	while (verb_getopt(&verb_rename, argc, argv, "") != -1)
		;
	if (optind != argc - 2)
		usage_error(&verb_rename);
	if (registry_running(argv[optind])) {
		fprintf(stderr, "gaol: %s: jail is running (stop it first)\n",
		    argv[optind]);
		return 1;
	}
	if (store_jail_rename(argv[optind], argv[optind + 1]) == -1)
		lib_fail();
	if (rename_rctl_part(argv[optind], argv[optind + 1]) == -1 ||
	    rename_in_jail_list(argv[optind], argv[optind + 1]) == -1)
		lib_fail();
	return 0;
}

const struct verb verb_rename = {
	.name = "rename", .args = "name newname", .run = run_rename,
	.help =
	    "Give a stopped jail a new name: its directory, jail.conf (path\n"
	    "and host.hostname), jail.conf.d include, rctl.conf.d part and\n"
	    "its entry in jail_list follow.\n",
};
