/*
 * Targets, as Bastille takes them: ALL (every jail gaol made), a jail's
 * name, the jid of a running jail, a tag (every jail carrying it), or
 * several of these in one word, separated by blanks or commas.
 *
 * Tags live in DATADIR/jails/NAME/tags, one a line, sorted.
 * gaol tags TARGET add|delete TAG[,TAG...] | list [TAG]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "gaol.h"
#include "state/registry.h"
#include "store/store.h"

static char *
tags_path(const char *name)
{
	return xasprintf("%s/jails/%s/tags", gaol_datadir(), name);
}

void
lines_load(const char *path, struct strlist *out)
{
	char *text = read_file(path, NULL), *save, *l;

	for (l = text ? strtok_r(text, "\n", &save) : NULL; l != NULL;
	    l = strtok_r(NULL, "\n", &save))
		if (*l != '#' && l[strspn(l, " \t")] != '\0')
			strlist_add(out, l);
	free(text);
}

int
lines_save(const char *path, const char *header, const struct strlist *lines)
{
	char *body, *text;
	int r;

	if (lines->n == 0) {
		if ((r = unlink(path) == -1 && errno != ENOENT ? -1 : 0) == -1)
			gerr_set_errno("%s", path);
		return r;
	}
	body = strlist_join(lines, "\n");
	text = xasprintf("%s%s\n", header ? header : "", body);
	r = write_file_atomic(path, text, strlen(text), 0644);
	free(text);
	free(body);
	return r;
}

void
jail_tags(const char *name, struct strlist *out)
{
	char *p = tags_path(name);

	lines_load(p, out);
	free(p);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
tags_save(const char *name, struct strlist *tags)
{
	char *p = tags_path(name);
	int r;

	if (tags->n > 1)
		qsort(tags->v, tags->n, sizeof(char *), cmp_str);
	r = lines_save(p, NULL, tags);
	free(p);
	return r;
}

/* A tag is a word of letters, digits and -_. (and never ALL). */
static int
tag_check(const char *tag)
{
	size_t n = strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
	    "WXYZ0123456789-_.");

	if (*tag == '\0' || tag[n] != '\0' || strcasecmp(tag, "ALL") == 0) {
		gerr_set("%s: invalid tag (letters, digits, - _ . only)", tag);
		return -1;
	}
	return 0;
}

static void
add_unique(struct strlist *out, const char *name)
{
	if (!strlist_has(out, name))
		strlist_add(out, name);
}

/* One word of a target: a name, a jid, or a tag. */
static int
resolve_word(const char *w, const struct strlist *all, unsigned flags,
    struct strlist *out)
{
	struct jrecord rec;
	bool found = false;

	if (strlist_has(all, w)) {
		add_unique(out, w);
		return 0;
	}
	for (size_t i = 0; i < all->n; i++) {
		struct strlist tags = { 0 };

		jail_tags(all->v[i], &tags);
		if (strlist_has(&tags, w)) {
			add_unique(out, all->v[i]);
			found = true;
		}
		strlist_clear(&tags);
	}
	if (found)
		return 0;
	/* A running jail, by jid or by a name gaol did not make. */
	if (registry_find(w, &rec) == 0) {
		add_unique(out, rec.name);
		jrecord_free(&rec);
		return 0;
	}
	if (flags & TARGET_CONF) {
		/* jail.conf's own jails: the jail library names what is wrong */
		add_unique(out, w);
		return 0;
	}
	gerr_set("%s: no such jail or tag", w);
	return -1;
}

int
target_resolve(const char *target, unsigned flags, struct strlist *out)
{
	struct strlist all = { 0 };
	char *copy = xstrdup(target), *save, *w;
	int r = 0, words = 0;

	store_jail_names(&all);
	for (w = strtok_r(copy, " ,\t\n", &save); w != NULL && r == 0;
	    w = strtok_r(NULL, " ,\t\n", &save), words++) {
		if (strcasecmp(w, "ALL") == 0) {
			if (flags & TARGET_ONE) {
				gerr_set("ALL: this verb takes a single jail");
				r = -1;
			}
			for (size_t i = 0; i < all.n && r == 0; i++)
				add_unique(out, all.v[i]);
		} else
			r = resolve_word(w, &all, flags, out);
	}
	if (r == 0 && words == 0) {
		gerr_set("\"%s\": empty target", target);
		r = -1;
	}
	if (r == 0 && (flags & TARGET_ONE) && out->n > 1) {
		gerr_set("%s: names %zu jails; this verb takes one", target,
		    out->n);
		r = -1;
	}
	strlist_clear(&all);
	free(copy);
	return r;
}

void
target_or_fail(const char *target, unsigned flags, struct strlist *out)
{
	if (target_resolve(target, flags, out) == -1)
		lib_fail();
}

/* ---- gaol tags ---- */

int
tags_parse(const char *list, struct strlist *out)
{
	char *copy = xstrdup(list), *save, *w;
	int r = 0;

	for (w = strtok_r(copy, ",", &save); w != NULL && r == 0;
	    w = strtok_r(NULL, ",", &save))
		if ((r = tag_check(w)) == 0)
			add_unique(out, w);
	free(copy);
	return r;
}

static int
tags_change(const char *name, const struct strlist *change, bool add)
{
	struct strlist tags = { 0 }, keep = { 0 };
	int r;

	jail_tags(name, &tags);
	for (size_t i = 0; i < change->n && add; i++)
		add_unique(&tags, change->v[i]);
	for (size_t i = 0; i < tags.n && !add; i++)
		if (!strlist_has(change, tags.v[i]))
			strlist_add(&keep, tags.v[i]);
	r = tags_save(name, add ? &tags : &keep);
	strlist_clear(&tags);
	strlist_clear(&keep);
	return r;
}

int
tags_add(const char *name, const struct strlist *tags)
{
	return tags_change(name, tags, true);
}

static void
tags_show(const char *name, const char *only)
{
	struct strlist tags = { 0 };
	char *j;

	jail_tags(name, &tags);
	if (only != NULL) {
		if (strlist_has(&tags, only))
			printf("%s\n", name);
	} else if (tags.n > 0) {
		j = strlist_join(&tags, " ");
		printf("%s: %s\n", name, j);
		free(j);
	}
	strlist_clear(&tags);
}

static int
run_tags(int argc, char **argv)
{
	struct strlist jails = { 0 }, change = { 0 };
	bool add;
	int failed = 0;

	while (verb_getopt(&verb_tags, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc == 2 || argc == 3) {
		if (strcmp(argv[1], "list") == 0) {
			target_or_fail(argv[0], 0, &jails);
			for (size_t i = 0; i < jails.n; i++)
				tags_show(jails.v[i], argc == 3 ? argv[2] :
				    NULL);
			strlist_clear(&jails);
			return 0;
		}
	}
	if (argc < 3 || (strcmp(argv[1], "add") != 0 &&
	    strcmp(argv[1], "delete") != 0))
		usage_error(&verb_tags);
	add = strcmp(argv[1], "add") == 0;
	/* tag,tag or tag tag (a Bastillefile's TAGS) */
	for (int i = 2; i < argc; i++)
		if (tags_parse(argv[i], &change) == -1)
			lib_fail();
	target_or_fail(argv[0], 0, &jails);
	for (size_t i = 0; i < jails.n; i++) {
		struct sjail j;

		if (store_jail_load(jails.v[i], &j) == -1 ||
		    (sjail_free(&j), tags_change(jails.v[i], &change, add)) ==
		    -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	}
	strlist_clear(&change);
	strlist_clear(&jails);
	return failed;
}

const struct verb verb_tags = {
	.name = "tags", .args = "target add|delete tag[,tag...] ... | "
	    "target list [tag]", .run = run_tags,
	.help =
	    "Label jails.  A tag is a target like a jail's name: `gaol\n"
	    "restart web` restarts every jail tagged web (a jail named web\n"
	    "wins over the tag).  list prints each jail's tags, or with a\n"
	    "tag the jails that carry it.  Tags are kept one a line in\n"
	    "DATADIR/jails/name/tags.\n",
};

int
target_each(const char *target, unsigned flags,
    int (*act)(const char *name, void *arg), void *arg)
{
	struct strlist jails = { 0 };
	int failed = 0;

	target_or_fail(target, flags, &jails);
	for (size_t i = 0; i < jails.n; i++)
		if (act(jails.v[i], arg) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	strlist_clear(&jails);
	return failed;
}
