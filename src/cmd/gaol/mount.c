/*
 * gaol mount TARGET hostpath|tmpfs jailpath [nullfs|tmpfs] [ro|rw] [0 0]
 * gaol umount TARGET jailpath
 *
 * A mount kept in the jail's fstab (its mount.fstab, DATADIR/jails/NAME/
 * fstab), with the mount point as the jail sees it, so that every start
 * makes it, and made at once in a running jail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gaol.h"
#include "jail/jail.h"
#include "state/registry.h"
#include "store/store.h"

static char *
fstab_path(const char *name)
{
	return xasprintf("%s/jails/%s/fstab", gaol_datadir(), name);
}

/* fstab(5) writes a blank as \040. */
static char *
fstab_word(const char *s)
{
	char *out = xmalloc(strlen(s) * 4 + 1), *o = out;

	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\\')
			o += sprintf(o, "\\%03o", (unsigned char)*s);
		else
			*o++ = *s;
	*o = '\0';
	return out;
}

/* The jail's fstab as lines, and whether a line mounts on dst. */
static bool
mounts_on(const char *line, const char *dst)
{
	char *copy = xstrdup(line), *save, *w;
	bool r;

	if (strtok_r(copy, " \t", &save) == NULL || *line == '#') {
		free(copy);
		return false;
	}
	w = strtok_r(NULL, " \t", &save);
	r = w != NULL && strcmp(w, dst) == 0;
	free(copy);
	return r;
}

static int
fstab_change(const char *name, const char *dst, const char *add)
{
	char *p = fstab_path(name), *text = read_file(p, NULL), *save, *l;
	struct strlist lines = { 0 };
	char *body, *out;
	bool found = false;
	int r;

	if (text == NULL && errno != ENOENT) {
		gerr_set_errno("%s", p);
		free(p);
		return -1;
	}
	for (l = text ? strtok_r(text, "\n", &save) : NULL; l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		if (mounts_on(l, dst)) {
			found = true;
			continue;
		}
		strlist_add(&lines, l);
	}
	free(text);
	if (add != NULL && found) {
		gerr_set("%s: %s: already mounted (gaol umount it first)",
		    name, dst);
		r = -1;
	} else if (add == NULL && !found) {
		gerr_set("%s: %s: not in the jail's fstab", name, dst);
		r = -1;
	} else {
		if (add != NULL)
			strlist_add(&lines, add);
		body = strlist_join(&lines, "\n");
		out = xasprintf("%s\n", body);
		r = write_file_atomic(p, out, strlen(out), 0644);
		free(out);
		free(body);
	}
	strlist_clear(&lines);
	free(p);
	return r;
}

struct mount_args {
	const char	*src, *dst, *type;
	bool		 ro;
};

static int
mount_one(const char *name, void *arg)
{
	const struct mount_args *m = arg;
	struct jrecord rec;
	struct sjail j;
	char *src, *dst, *line;
	int r;

	if (store_jail_load(name, &j) == -1)
		return -1;
	sjail_free(&j);
	src = fstab_word(m->src);
	dst = fstab_word(m->dst);
	line = xasprintf("%s %s %s %s 0 0", src, dst, m->type,
	    m->ro ? "ro" : "rw");
	free(src);
	r = fstab_change(name, dst, line);
	free(line);
	if (r == 0 && registry_find(name, &rec) == 0) {
		if ((r = jail_mount_live(&rec, m->src, m->dst, m->type,
		    m->ro)) == -1) {
			char *msg = xstrdup(gerr_msg());

			/* Not made: not kept either. */
			(void)fstab_change(name, dst, NULL);
			gerr_set("%s", msg);
			free(msg);
		}
		jrecord_free(&rec);
	}
	free(dst);
	return r;
}

static int
run_mount(int argc, char **argv)
{
	struct mount_args m = { .type = "nullfs", .ro = true };
	struct stat st;
	int i;

	while (verb_getopt(&verb_mount, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	/* fstab's trailing dump and pass numbers mean nothing here. */
	while (argc > 3 && (strcmp(argv[argc - 1], "0") == 0 ||
	    strcmp(argv[argc - 1], "1") == 0))
		argc--;
	if (argc < 3 || argc > 5)
		usage_error(&verb_mount);
	m.src = argv[1];
	m.dst = argv[2];
	if (strcmp(m.src, "tmpfs") == 0)
		m.type = "tmpfs";
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "nullfs") == 0 || strcmp(argv[i],
		    "tmpfs") == 0)
			m.type = argv[i];
		else if (strcmp(argv[i], "ro") == 0 || strcmp(argv[i],
		    "rw") == 0)
			m.ro = argv[i][1] == 'o';
		else {
			fprintf(stderr, "gaol: %s: not nullfs, tmpfs, ro or "
			    "rw\n", argv[i]);
			return 1;
		}
	}
	if (m.dst[0] != '/') {
		fprintf(stderr, "gaol: %s: the jail path must be absolute\n",
		    m.dst);
		return 1;
	}
	if (strcmp(m.type, "nullfs") == 0 && (m.src[0] != '/' ||
	    stat(m.src, &st) == -1 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "gaol: %s: not a directory of the host (an "
		    "absolute path)\n", m.src);
		return 1;
	}
	return target_each(argv[0], 0, mount_one, &m);
}

static int
umount_one(const char *name, void *arg)
{
	const char *dst = arg;
	struct jrecord rec;
	char *w = fstab_word(dst);
	int r = 0;

	/* Only what gaol mount made: out of the fstab first, then unmounted. */
	if ((r = fstab_change(name, w, NULL)) == 0 &&
	    registry_find(name, &rec) == 0) {
		r = jail_umount_live(&rec, dst);
		jrecord_free(&rec);
	}
	free(w);
	return r;
}

static int
run_umount(int argc, char **argv)
{
	while (verb_getopt(&verb_umount, argc, argv, "") != -1)
		;
	if (optind != argc - 2)
		usage_error(&verb_umount);
	return target_each(argv[optind], 0, umount_one, argv[optind + 1]);
}

const struct verb verb_mount = {
	.name = "mount", .args = "target hostpath|tmpfs jailpath "
	    "[nullfs|tmpfs] [ro|rw]", .run = run_mount,
	.help =
	    "Mount a host directory (nullfs, a bind mount; read-only unless\n"
	    "rw) or a new tmpfs on jailpath in each jail of target.  The\n"
	    "mount is kept in the jail's fstab (its mount.fstab), so every\n"
	    "start makes it, and made at once in a running jail, the path\n"
	    "resolved inside the jail's root.  Bastille's trailing \"0 0\" is\n"
	    "taken and ignored.\n",
};

const struct verb verb_umount = {
	.name = "umount", .args = "target jailpath", .run = run_umount,
	.help =
	    "Unmount jailpath in each running jail of target and drop it\n"
	    "from the jail's fstab.\n",
};
