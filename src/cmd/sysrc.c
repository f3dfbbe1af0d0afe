/*
 * sysrc(8): query and change rc.conf(5) variables, on the host
 * ($GAOL_SYSCONFDIR/rc.conf, rc.conf.local) or inside a jail's tree (-j,
 * -R), with FreeBSD's options and output.  The files are read and
 * written by src/lib/rcconf; in a jail every path is resolved inside the
 * jail's root, so a symlink the jail planted cannot send a write to the
 * host.  Values are taken literally: sh expansions are not performed.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "state/registry.h"
#include "out/out.h"
#include "rcconf/rcconf.h"
#include "util/util.h"

static const char usage_text[] =
    "usage: sysrc [-cehinNqvx] [-f file] [-j jail | -R dir] name[[+|-]=value] ...\n"
    "       sysrc [-einNqv] [-f file] [-j jail | -R dir] -a | -A\n";

static const char help_text[] =
    "  -a, -A    list every variable set in the files\n"
    "  -c        check only: exit 0 when each name already has the value\n"
    "  -e        print name=\"value\" (to be fed back in)\n"
    "  -f file   the file(s) to work on (default: rc.conf, rc.conf.local)\n"
    "  -F        print the file each variable is set in\n"
    "  -i        ignore unknown variables\n"
    "  -j jail   work on the files of a running jail\n"
    "  -n        print values only;  -N  names only\n"
    "  -q        quiet: no errors for unknown variables, no -v\n"
    "  -R dir    work on the files below dir\n"
    "  -v        print the file each variable was found in\n"
    "  -x        remove the variables\n"
    "name+=value adds words to a value, name-=value removes them.\n";

/* One rc.conf file of the list, opened in the host or in a root. */
struct rcfile {
	char		*path;		/* as given: absolute in a root */
	struct rcconf	 rc;
	bool		 loaded;
};

static struct {
	bool	 all, check, equals, show_file, ignore, quiet, verbose;
	bool	 show_name, show_value, delete;
	int	 rootfd;		/* -j/-R: the root, else -1 */
} opt = { .show_name = true, .show_value = true, .rootfd = -1 };

static struct rcfile *files;
static size_t nfiles;

static void
add_files(const char *list)
{
	char *copy = xstrdup(list), *save = NULL;

	for (char *p = strtok_r(copy, " \t", &save); p != NULL;
	    p = strtok_r(NULL, " \t", &save)) {
		files = xrealloc(files, nfiles + 1, sizeof(*files));
		files[nfiles++] = (struct rcfile){ .path = xstrdup(p) };
	}
	free(copy);
}

/*
 * The directory of path: a plain open on the host, or resolved inside
 * the root.  -1 with errno when it does not exist.
 */
static int
open_dir(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	*base = slash != NULL ? slash + 1 : path;
	dir = slash == NULL ? xstrdup(".") :
	    slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	if (opt.rootfd >= 0)
		fd = root_open(opt.rootfd, dir, O_PATH | O_DIRECTORY);
	else
		fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

static void
load_file(struct rcfile *f)
{
	int fd;

	if (f->loaded)
		return;
	f->loaded = true;
	if (opt.rootfd >= 0)
		fd = root_open(opt.rootfd, f->path, O_RDONLY);
	else
		fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (rcconf_load_fd(&f->rc, fd, f->path) == -1)
		errx(1, "%s", gerr_msg());
}

static int
save_file(struct rcfile *f)
{
	const char *base;
	int dfd, r;

	if ((dfd = open_dir(f->path, &base)) == -1) {
		warn("%s", f->path);
		return -1;
	}
	r = rcconf_save_at(&f->rc, dfd, base);
	close(dfd);
	if (r == -1)
		warnx("%s", gerr_msg());
	return r;
}

/* The last file that sets name (sh sources them in order), or NULL. */
static struct rcfile *
find_var(const char *name)
{
	for (size_t i = nfiles; i-- > 0;) {
		char *v;

		load_file(&files[i]);
		if ((v = rcconf_get(&files[i].rc, name)) != NULL) {
			free(v);
			return &files[i];
		}
	}
	return NULL;
}

/*
 * name+=words / name-=words: the delimiter is the value's first
 * character when that is punctuation (",a,b"), else a space.
 */
static char *
edit_words(const char *before, const char *arg, bool add)
{
	char delim[2] = " ";
	struct strlist old = { 0 }, chg = { 0 }, out = { 0 };
	char *s, *save, *res;

	if (*arg != '\0' && strchr(" \t\n", *arg) == NULL &&
	    !(*arg >= 'a' && *arg <= 'z') && !(*arg >= 'A' && *arg <= 'Z') &&
	    !(*arg >= '0' && *arg <= '9') && *arg != '.' && *arg != '/')
		delim[0] = *arg;
	const char *seps = delim[0] == ' ' ? " \t\n" : delim;
	s = xstrdup(before != NULL ? before : "");
	for (char *w = strtok_r(s, seps, &save); w; w = strtok_r(NULL, seps, &save))
		strlist_add(&old, w);
	free(s);
	s = xstrdup(arg);
	for (char *w = strtok_r(s, seps, &save); w; w = strtok_r(NULL, seps, &save))
		strlist_add(&chg, w);
	free(s);
	if (add) {
		strlist_copy(&out, &old);
		for (size_t i = 0; i < chg.n; i++)
			if (!strlist_has(&out, chg.v[i]))
				strlist_add(&out, chg.v[i]);
	} else {
		for (size_t i = 0; i < old.n; i++)
			if (!strlist_has(&chg, old.v[i]))
				strlist_add(&out, old.v[i]);
	}
	res = strlist_join(&out, delim);
	strlist_clear(&old);
	strlist_clear(&chg);
	strlist_clear(&out);
	return res;
}

static void
print_verbose_file(const char *path)
{
	if (opt.verbose)
		printf(opt.equals ? ": %s; " : "%s: ", path);
}

/* name: value, name="value", value or name, as the options ask. */
static void
print_var(const char *name, const char *value)
{
	if (!opt.show_value)
		printf("%s\n", name);
	else if (opt.equals)
		printf("%s=\"%s\"\n", name, value);
	else if (opt.show_name)
		printf("%s: %s\n", name, value);
	else
		printf("%s\n", value);
}

static int
query(const char *name)
{
	struct rcfile *f = find_var(name);
	char *v;

	if (f == NULL) {
		if (!opt.ignore && !opt.quiet)
			warnx("unknown variable '%s'", name);
		return 1;
	}
	if (opt.check)
		return 0;
	if (opt.delete) {
		for (size_t i = 0; i < nfiles; i++) {
			load_file(&files[i]);
			if (rcconf_unset(&files[i].rc, name) &&
			    save_file(&files[i]) == -1)
				return 1;
		}
		return 0;
	}
	if (opt.show_file) {
		if (opt.show_name)
			printf("%s: ", name);
		printf("%s\n", f->path);
		return 0;
	}
	print_verbose_file(f->path);
	v = rcconf_get(&f->rc, name);
	print_var(name, v);
	free(v);
	return 0;
}

static int
assign(char *arg)
{
	char *eq = strchr(arg, '='), *name, *before, *new, *after;
	struct rcfile *f;
	int mode = 0;		/* '+', '-' or 0 */
	int rc = 0;

	name = xstrndup(arg, (size_t)(eq - arg));
	if (*name != '\0' && strchr("+-", name[strlen(name) - 1]) != NULL) {
		mode = name[strlen(name) - 1];
		name[strlen(name) - 1] = '\0';
	}
	if (!rcconf_name_ok(name)) {
		warnx("invalid variable name '%s'", name);
		free(name);
		return 1;
	}
	f = find_var(name);
	if (opt.delete) {
		free(name);
		*eq = '\0';
		return query(arg);
	}
	before = f != NULL ? rcconf_get(&f->rc, name) : NULL;
	new = mode != 0 ? edit_words(before, eq + 1, mode == '+') :
	    xstrdup(eq + 1);

	if (opt.check) {
		if (f == NULL) {
			rc = 1;
			if (opt.verbose)
				printf("%s: not currently set\n", name);
		} else if (strcmp(new, before) != 0) {
			rc = 1;
			if (opt.verbose)
				printf("%s: %s: would change from `%s' to `%s'\n",
				    f->path, name, before, new);
		} else if (opt.verbose) {
			printf("%s: %s: already set to `%s'\n", f->path, name,
			    before);
		}
		goto out;
	}
	/* Unset: appended to the first file, as FreeBSD does. */
	if (f == NULL) {
		f = &files[0];
		load_file(f);
	}
	print_verbose_file(f->path);
	rcconf_set(&f->rc, name, new);
	if (save_file(f) == -1) {
		rc = 1;
		goto out;
	}
	if (!opt.show_value) {
		printf("%s\n", name);
		goto out;
	}
	after = rcconf_get(&f->rc, name);
	if (opt.show_name)
		printf(opt.equals ? "%s=\"" : "%s: ", name);
	if (opt.equals)
		printf("%s\" # -> \"%s\"\n", before ? before : "", after);
	else
		printf("%s -> %s\n", before ? before : "", after);
	free(after);
out:
	free(before);
	free(new);
	free(name);
	return rc;
}

static int
list_all(void)
{
	struct strlist names = { 0 };

	for (size_t i = 0; i < nfiles; i++) {
		load_file(&files[i]);
		rcconf_names(&files[i].rc, &names);
	}
	/* Each file's names came sorted; the union must be sorted again. */
	struct rcconf all = { .lines = { 0 } };
	for (size_t i = 0; i < names.n; i++) {
		char *l = xasprintf("%s=", names.v[i]);
		strlist_addn(&all.lines, l);
	}
	strlist_clear(&names);
	rcconf_names(&all, &names);
	rcconf_free(&all);
	for (size_t i = 0; i < names.n; i++)
		query(names.v[i]);
	strlist_clear(&names);
	return 0;
}

/* -j: the root of a running jail, by jid or name. */
static int
jail_root(const char *jail)
{
	struct jrecord rec = { 0 };
	const char *path;
	int fd;

	if (registry_find(jail, &rec) == -1) {
		if (errno == ENOENT)
			errx(1, "jail \"%s\" not found", jail);
		errx(1, "%s", gerr_msg());
	}
	path = jparams_str(&rec.params, "path");
	if (path == NULL || *path == '\0')
		errx(1, "%s: the jail has no path", jail);
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		err(1, "%s", path);
	jrecord_free(&rec);
	return fd;
}

int
main(int argc, char **argv)
{
	const char *jail = NULL, *rootdir = NULL;
	bool files_given = false;
	int c, status = 0;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		out_usage(usage_text, help_text, true);
	while ((c = getopt(argc, argv, "aAcdDeEf:FhiJ:j:lLnNqR:s:vxX")) != -1) {
		switch (c) {
		case 'a': case 'A':
			opt.all = true;
			break;
		case 'c':
			opt.check = true;
			break;
		case 'e':
			opt.equals = true;
			break;
		case 'f':
			add_files(optarg);
			files_given = true;
			break;
		case 'F':
			opt.show_file = true;
			break;
		case 'h':
			out_usage(usage_text, help_text, false);
			break;
		case 'i':
			opt.ignore = true;
			break;
		case 'j':
			jail = optarg;
			break;
		case 'n':
			opt.show_name = false;
			break;
		case 'N':
			opt.show_value = false;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'R':
			rootdir = optarg;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'x': case 'X':
			opt.delete = true;
			break;
		case 'd': case 'D': case 'E': case 'J': case 'l': case 'L':
		case 's':
			errx(1, "-%c: not supported on Linux (no /etc/defaults/"
			    "rc.conf, rc.conf.d or rc.d descriptions)", c);
		default:
			out_usage(usage_text, help_text, false);
		}
	}
	argc -= optind;
	argv += optind;
	if (opt.quiet)
		opt.verbose = false;
	if (argc == 0 && !opt.all)
		out_usage(usage_text, help_text, false);
	if (opt.delete && opt.all)
		errx(1, "`-x' option incompatible with `-a'/`-A' options");
	if (opt.check && opt.all)
		errx(1, "`-c' option incompatible with `-a'/`-A' options");

	if (jail != NULL)
		opt.rootfd = jail_root(jail);
	else if (rootdir != NULL &&
	    (opt.rootfd = open(rootdir, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		err(1, "%s", rootdir);
	if (!files_given) {
		char *list = opt.rootfd >= 0 ?
		    xstrdup("/etc/rc.conf /etc/rc.conf.local") :
		    xasprintf("%s/rc.conf %s/rc.conf.local", gaol_sysconfdir(),
			gaol_sysconfdir());
		add_files(list);
		free(list);
	}
	if (nfiles == 0)
		errx(1, "no file to work on");

	if (opt.all) {
		status = list_all();
	} else {
		for (int i = 0; i < argc; i++) {
			if (strchr(argv[i], '=') != NULL)
				status |= assign(argv[i]);
			else
				status |= query(argv[i]);
		}
	}
	for (size_t i = 0; i < nfiles; i++) {
		if (files[i].loaded)
			rcconf_free(&files[i].rc);
		free(files[i].path);
	}
	free(files);
	if (opt.rootfd >= 0)
		close(opt.rootfd);
	return status;
}
