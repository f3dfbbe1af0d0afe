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
	char *src = xasprintf("%s/rctl.conf.d/%s.conf", gaol_sysconfdir(),
	    from);
	char *dst = xasprintf("%s/rctl.conf.d/%s.conf", gaol_sysconfdir(), to);
	char *text = read_file(src, NULL), *old = xasprintf("jail:%s:", from);
	char *save, *l;
	FILE *f;
	char *out = NULL;
	size_t len = 0;
	int r = 0;

	if (text == NULL) {
		r = errno == ENOENT ? 0 : -1;
		if (r == -1)
			gerr_set_errno("%s", src);
		goto done;
	}
	f = xopen_memstream(&out, &len);
	for (l = strtok_r(text, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save))
		if (strncmp(l, old, strlen(old)) == 0)
			fprintf(f, "jail:%s:%s\n", to, l + strlen(old));
		else
			fprintf(f, "%s\n", l);
	fclose(f);
	if ((r = write_file_atomic(dst, out, len, 0644)) == 0)
		(void)unlink(src);
	free(out);
done:
	free(text);
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
