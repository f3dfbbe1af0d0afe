/*
 * gaol edit TARGET [FILE]: $EDITOR on one of a jail's files in its
 * directory (jail.conf by default; fstab, rctl.conf, tags, ...).  A
 * jail.conf is edited as a copy and put in place only when it still
 * parses, so a typo never leaves a jail that no command can read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "conf/conf.h"
#include "store/store.h"

/* Run $EDITOR (default vi) on path; its exit status, -1 if it could not. */
static int
run_editor(const char *path)
{
	const char *ed = getenv("EDITOR");
	char *cmd;
	int st;

	if (ed == NULL || *ed == '\0')
		ed = "vi";
	/* As git runs it: $EDITOR is sh text, words and quotes alike. */
	cmd = xasprintf("%s \"$@\"", ed);
	{
		char *const argv[] = { "/bin/sh", "-c", cmd, "sh",
		    (char *)path, NULL };

		st = run_argv(argv, -1, -1);
	}
	free(cmd);
	return st;
}

/* A copy of jail.conf edited, checked and renamed into place. */
static int
edit_conf(const char *name, const char *path)
{
	char *tmp = xasprintf("%s.edit", path), *text;
	struct jconf conf;
	size_t len;
	int st, r = -1;

	if ((text = read_file(path, &len)) == NULL) {
		gerr_set_errno("%s: %s", name, path);
		goto out;
	}
	st = write_file_atomic(tmp, text, len, 0644);
	free(text);
	if (st == -1)
		goto out;
	if ((st = run_editor(tmp)) != 0) {
		if (st > 0)
			gerr_set("%s: the editor exited %d: %s unchanged", name,
			    st, path);
		unlink(tmp);
		goto out;
	}
	if (jconf_load(&conf, tmp, NULL) == -1) {
		char *why = xstrdup(gerr_msg());

		gerr_set("%s: %s: not saved, the edited copy is %s", name,
		    why, tmp);
		free(why);
		jconf_free(&conf);
		goto out;
	}
	jconf_free(&conf);
	if (rename(tmp, path) == -1) {
		gerr_set_errno("%s: %s", name, path);
		goto out;
	}
	r = 0;
out:
	free(tmp);
	return r;
}

static int
run_edit(int argc, char **argv)
{
	const char *file;
	struct sjail j;
	char *path;
	int r;

	while (verb_getopt(&verb_edit, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		usage_error(&verb_edit);
	file = argc == 2 ? argv[1] : "jail.conf";
	/* Only the jail's own files: its root is the jail's to write. */
	if (strchr(file, '/') != NULL || *file == '.' ||
	    strcmp(file, "root") == 0) {
		fprintf(stderr, "gaol: %s: %s: not a file of the jail's "
		    "directory (jail.conf, fstab, rctl.conf, ...)\n", argv[0],
		    file);
		return 1;
	}
	if (store_jail_load(argv[0], &j) == -1)
		lib_fail();
	/* the rules gaol limits keeps live in rctl.conf.d, not the jail's dir */
	if (strcmp(file, "rctl.conf") == 0) {
		char *dir = xasprintf("%s/rctl.conf.d", gaol_sysconfdir());

		(void)mkdir_p(dir, 0755);
		free(dir);
		path = limits_path(j.name);
	} else
		path = xasprintf("%s/%s", j.dir, file);
	if (strcmp(file, "jail.conf") == 0)
		r = edit_conf(j.name, path);
	else if ((r = run_editor(path)) > 0) {
		gerr_set("%s: the editor exited %d", j.name, r);
		r = -1;
	}
	free(path);
	sjail_free(&j);
	if (r != 0)
		lib_fail();
	return 0;
}

const struct verb verb_edit = {
	.name = "edit", .args = "name [file]", .run = run_edit,
	.help =
	    "Open one of the jail's files in DATADIR/jails/name with $EDITOR\n"
	    "(vi when unset): jail.conf by default, or fstab, rctl.conf (its\n"
	    "part, SYSCONFDIR/rctl.conf.d/name.conf, which gaol limits keeps),\n"
	    "tags, ...  jail.conf is edited as a copy that replaces it only\n"
	    "when it parses; otherwise the copy is kept and named.  A\n"
	    "running jail sees the change at its next start.\n",
};
