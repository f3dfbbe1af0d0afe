/*
 * jls(8): list jails and their parameters, as FreeBSD's jls does, from
 * the registry under $GAOL_RUNDIR.  Output goes through the out library
 * so that "--libxo json" gives FreeBSD's field names and layout.
 *
 * One addition: -p prints the host pids of a jail's processes, the
 * host's view that FreeBSD gets from "ps -J" (docs/design/ps-J.md).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "conf/conf.h"
#include "jail/jail.h"
#include "state/registry.h"
#include "out/out.h"
#include "util/util.h"

#define JLS_XO_VERSION	"2"

#define PRINT_DEFAULT	0x001
#define PRINT_HEADER	0x002
#define PRINT_NAMEVAL	0x004
#define PRINT_QUOTED	0x008
#define PRINT_SKIP	0x010
#define PRINT_VERBOSE	0x020
#define PRINT_JAIL_NAME	0x040
#define PRINT_CHECK	0x080
#define PRINT_PIDS	0x100

/* One jail as jls shows it: the record plus what the registry implies. */
struct jview {
	struct jrecord	*rec;
	bool		 dying;
	int		 children;	/* children.cur */
};

static const char usage_text[] =
    "usage: jls [-cdhNnpqsv] [-j jail] [--libxo style[,pretty]] "
    "[param ...]\n";

static const char help_text[] =
    "  -c        only check that the jail of -j exists (exit 0 or 1)\n"
    "  -d        include dying jails\n"
    "  -h        print a header line of parameter names\n"
    "  -j jail   list only this jail (jid or name)\n"
    "  -N        show jail names instead of jids (default view)\n"
    "  -n        print name=value for every parameter\n"
    "  -p        print the host pids of the jails' processes\n"
    "  -q        quote values that hold spaces or quotes\n"
    "  -s        print settable parameters as jail -c takes them\n"
    "  -v        multi-line summary of each jail\n"
    "  --libxo   text, json, xml or html; ',pretty' indents\n";

/* --- parameters ---------------------------------------------------- */

/*
 * A jail that did not set osrelease or osreldate sees the host's
 * kernel, as a FreeBSD jail sees the host's: the release string, and
 * as the date the kernel's own version number, KERNEL_VERSION(a, b, c).
 */
static char *
kernel_release(const char *name)
{
	struct utsname u;
	unsigned a = 0, b = 0, c = 0;

	if (uname(&u) == -1)
		return xstrdup("");
	if (strcmp(name, "osrelease") == 0)
		return xstrdup(u.release);
	sscanf(u.release, "%u.%u.%u", &a, &b, &c);
	return xasprintf("%u", (a << 16) + (b << 8) + (c > 255 ? 255 : c));
}

/* The value of one parameter of a jail, as jls prints it (malloc'd). */
static char *bare_addr(const char *);

static char *
param_value(const struct jview *jv, const char *name)
{
	const struct jrecord *r = jv->rec;
	const struct jparam *p;
	const struct paramdef *d = param_lookup(name);
	const char *v;

	if (strcmp(name, "jid") == 0)
		return xasprintf("%d", r->jid);
	if (strcmp(name, "name") == 0)
		return xstrdup(r->name != NULL ? r->name : "");
	if (strcmp(name, "dying") == 0)
		return xstrdup(jv->dying ? "true" : "false");
	if (strcmp(name, "parent") == 0)
		return xasprintf("%d", r->parent_jid);
	if (strcmp(name, "children.cur") == 0)
		return xasprintf("%d", jv->children);
	if (strcmp(name, "gaol.idmap.base") == 0)
		return xasprintf("%lu", r->uid_base);
	if (strncmp(name, "osrel", 5) == 0 &&
	    jparams_find(&r->params, name) == NULL)
		return kernel_release(name);
	if (d != NULL && d->type == PT_BOOL)
		return xstrdup(jparams_bool(&r->params, name) ? "true" : "false");
	if ((strcmp(name, "ip4.addr") == 0 || strcmp(name, "ip6.addr") == 0) &&
	    (p = jparams_find(&r->params, name)) != NULL) {
		/* The kernel keeps the addresses only: no "em0|", no "/24". */
		struct strlist bare = { 0 };
		char *s;

		for (size_t i = 0; i < p->val.n; i++)
			strlist_addn(&bare, bare_addr(p->val.v[i]));
		s = strlist_join(&bare, ",");
		strlist_clear(&bare);
		return s;
	}
	if (d != NULL && d->type == PT_JAILSYS)
		return xstrdup(param_jailsys_name(jparams_jailsys(&r->params,
		    name)));
	if ((p = jparams_find(&r->params, name)) != NULL)
		return strlist_join(&p->val, ",");
	v = param_default(&r->params, name);
	return xstrdup(v != NULL ? v : "");
}

/*
 * "persist" or "nopersist", "allow.mount" or "allow.nomount": spelled
 * by the same code that jail -c reads back.
 */
static char *
flag_word(const char *name, bool on)
{
	struct jparams one = { 0 };
	char *s;

	jparams_set(&one, name, on ? "1" : "0", false, NULL, 0);
	s = jparams_render(&one, true);
	jparams_free(&one);
	return s;
}

/*
 * -s leaves out what jail -c would refuse or ignore: read-only
 * parameters, and those under a jailsys parent (ip4, host, ...) that
 * is not "new", since the jail then takes them from its parent.
 */
static bool
skip_unsettable(const struct jview *jv, const char *name)
{
	const struct paramdef *d = param_lookup(name), *parent;
	const char *dot = strchr(name, '.');
	char *pname, *pval;
	bool skip = false;

	if (d == NULL || (d->flags & (PF_RDONLY | PF_NOLINUX)))
		return true;
	/*
	 * Not set, and no default jail -c takes back.  osrelease and
	 * osreldate are settable at creation, and FreeBSD's jls -s prints
	 * them with the values the jail sees.
	 */
	if (jparams_find(&jv->rec->params, name) == NULL &&
	    strncmp(name, "osrel", 5) != 0 &&
	    d->def == NULL && d->type != PT_STRING && d->type != PT_LIST)
		return true;
	if (dot == NULL)
		return false;
	pname = xstrndup(name, (size_t)(dot - name));
	if ((parent = param_lookup(pname)) != NULL &&
	    parent->type == PT_JAILSYS) {
		pval = param_value(jv, pname);
		skip = strcmp(pval, "new") != 0 &&
		    (jparams_find(&jv->rec->params, pname) != NULL ||
		    jparams_find(&jv->rec->params, name) == NULL);
		free(pval);
	}
	free(pname);
	return skip;
}

static int
sort_param(const void *a, const void *b)
{
	const char *pa = *(char *const *)a, *pb = *(char *const *)b;
	bool da = strchr(pa, '.') != NULL, db = strchr(pb, '.') != NULL;

	/* Top-level parameters first, as FreeBSD's jls orders "all". */
	if (da != db)
		return da ? 1 : -1;
	return strcmp(pa, pb);
}

/* The pseudo-parameter "all": every parameter a running jail has. */
static void
add_all(struct strlist *names)
{
	for (const struct paramdef *pd = paramdefs; pd->name != NULL; pd++)
		if (!(pd->flags & (PF_CONFONLY | PF_NOLINUX)) &&
		    !strlist_has(names, pd->name))
			strlist_add(names, pd->name);
	qsort(names->v, names->n, sizeof(*names->v), sort_param);
}

static void
add_param(struct strlist *names, const char *name)
{
	const struct paramdef *pd;

	if (strcmp(name, "all") == 0) {
		add_all(names);
		return;
	}
	if ((pd = param_lookup(name)) == NULL)
		errx(1, "unknown parameter: %s", name);
	if (pd->flags & PF_NOLINUX)
		errx(1, "%s: %s", name, pd->why != NULL ? pd->why :
		    "not supported on Linux");
	if (!strlist_has(names, name))
		strlist_add(names, name);
}

/* --- the registry -------------------------------------------------- */

/*
 * Take the lock and let the registry finish what killed commands left
 * half done, so that what we list is settled.  Without the right to
 * lock (an unprivileged user), list what is there.  A reader creates
 * nothing: with no registry yet there is nothing to settle or list.
 */
/* The registry was settled under its lock: every live record is alive. */
static bool settled;

/*
 * The fixed views (listed) show only what the listing keeps, read in
 * one read (registry_settle_listed); the others may name any parameter
 * and read every record.
 */
static void
load_jails(struct jrecord **recs, size_t *n, bool listed)
{
	int lock = registry_lock_existing(), r;

	settled = lock >= 0;
	if (listed)
		r = lock >= 0 ? jail_settle_listed(recs, n) :
		    registry_load_listed(recs, n);
	else
		r = lock >= 0 ? jail_settle(recs, n) :
		    registry_load_all(recs, n);
	if (r == -1)
		errx(1, "%s", gerr_msg());
	registry_unlock(lock);
}

/*
 * jls -j without -d: that one record, read and settled alone.  Its
 * children.cur then counts the kernel's (no record names a parent).
 */
static void
load_one_jail(const char *want, struct jrecord **recs, size_t *n)
{
	int lock = registry_lock_existing(), r;

	settled = lock >= 0;
	*recs = xcalloc(1, sizeof(**recs));
	r = lock >= 0 ? jail_settle_one(want, true, *recs) :
	    registry_lookup(want, *recs);
	registry_unlock(lock);
	if (r == -1 && errno != ENOENT)
		errx(1, "%s", gerr_msg());
	*n = r == 0;
}

static bool
init_alive(const struct jrecord *r)
{
	return settled || proc_running(r->init_pid, r->init_start);
}

static int
view_jid_cmp(const void *key, const void *elt)
{
	int jid = *(const int *)key, other = ((const struct jview *)elt)->rec->jid;

	return (jid > other) - (jid < other);
}

/*
 * children.cur: the live jails that name each as parent (the views are
 * in jid order), and those the kernel knows of.
 */
static void
count_children(struct jview *v, size_t k)
{
	struct jview *p;

	for (size_t j = 0; j < k; j++)
		if (!v[j].dying && v[j].rec->parent_jid != 0 &&
		    (p = bsearch(&v[j].rec->parent_jid, v, k, sizeof(*v),
		    view_jid_cmp)) != NULL)
			p->children++;
	for (size_t i = 0; i < k; i++)
		if (!v[i].dying)
			v[i].children += jail_kernel_children(v[i].rec);
}

/* The jails to consider: live ones, and with -d the dying as well. */
static struct jview *
make_views(struct jrecord *recs, size_t n, bool dying, bool children,
    size_t *nv)
{
	struct jview *v = xcalloc(n + 1, sizeof(*v));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		bool alive = jrecord_is_jail(&recs[i]) && init_alive(&recs[i]);

		/* A creation under way is not a jail before its init is up. */
		if ((recs[i].state == JS_CREATING && !alive) ||
		    recs[i].unreadable ||
		    (!alive && !dying))
			continue;
		v[k++] = (struct jview){ &recs[i], !alive, 0 };
	}
	if (children)
		count_children(v, k);
	*nv = k;
	return v;
}

/* -j: a jid when the word is a positive number, else a name. */
static struct jview *
find_view(struct jview *v, size_t n, const char *want)
{
	long long jid = 0;

	(void)parse_int(want, &jid);
	for (size_t i = 0; i < n; i++)
		if (jid > 0 && v[i].rec->jid == jid)
			return &v[i];
	for (size_t i = 0; i < n; i++)
		if (v[i].rec->name != NULL && strcmp(v[i].rec->name, want) == 0)
			return &v[i];
	return NULL;
}

/* --- the views ----------------------------------------------------- */

/* "em0|192.0.2.1/24" -> "192.0.2.1": the address the default view shows. */
static char *
bare_addr(const char *a)
{
	const char *bar = strchr(a, '|');

	if (bar != NULL)
		a = bar + 1;
	return xstrndup(a, strcspn(a, "/ "));
}

static void
emit_default_header(struct out *o, int pflags)
{
	if (pflags & PRINT_JAIL_NAME) {
		out_pad(o, " ");
		out_title(o, "JID", -15);
		out_pad(o, " ");
		out_title(o, "IP Address", -15);
		out_pad(o, " ");
		out_title(o, "Hostname", -29);
		out_pad(o, " ");
	} else {
		out_title(o, "JID", 6);
		out_pad(o, "  ");
		out_title(o, "IP Address", 0);
		out_pad(o, "      ");
		out_title(o, "Hostname", 0);
		out_pad(o, "                      ");
	}
	out_title(o, "Path", 0);
	out_eol(o);
}

static void
emit_default(struct out *o, const struct jview *jv, int pflags)
{
	const struct jparam *ip4 = jparams_find(&jv->rec->params, "ip4.addr");
	char *addr = ip4 != NULL && ip4->val.n > 0 ? bare_addr(ip4->val.v[0]) :
	    xstrdup("");
	char *host = param_value(jv, "host.hostname");
	char *path = param_value(jv, "path");

	if (pflags & PRINT_JAIL_NAME) {
		out_pad(o, " ");
		out_field(o, "name", jv->rec->name, -15, -1, 0);
		out_pad(o, " ");
	} else {
		out_field_int(o, "jid", jv->rec->jid, 6);
		out_pad(o, "  ");
	}
	out_field(o, "ipv4", addr, -15, 15, 0);
	out_pad(o, " ");
	out_field(o, "hostname", host, -29, 29, 0);
	out_pad(o, " ");
	out_field(o, "path", path, 0, 74, 0);
	out_eol(o);
	free(addr);
	free(host);
	free(path);
}

static void
emit_verbose_header(struct out *o)
{
	out_title(o, "JID", 6);
	out_pad(o, "  ");
	out_title(o, "Hostname", -30);
	out_title(o, "Path", 0);
	out_eol(o);
	out_pad(o, "        ");
	out_title(o, "Name", -30);
	out_title(o, "State", 0);
	out_eol(o);
	out_pad(o, "        ");
	out_title(o, "Init PID", 0);
	out_eol(o);
	out_pad(o, "        ");
	out_title(o, "IP Address(es)", 0);
	out_eol(o);
}

static void
emit_addr_list(struct out *o, const struct jview *jv, const char *param,
    const char *list)
{
	const struct jparam *p = jparams_find(&jv->rec->params, param);
	char *a;

	if (p == NULL || p->val.n == 0)
		return;
	out_open_leaflist(o, list);
	for (size_t i = 0; i < p->val.n; i++) {
		a = bare_addr(p->val.v[i]);
		out_leaf(o, a);
		out_pad(o, "        ");
		out_field(o, list, a, 0, -1, OF_DISPLAY);
		out_eol(o);
		free(a);
	}
	out_close_leaflist(o);
}

static void
emit_verbose(struct out *o, const struct jview *jv)
{
	char *host = param_value(jv, "host.hostname");
	char *path = param_value(jv, "path");

	out_field_int(o, "jid", jv->rec->jid, 6);
	out_pad(o, "  ");
	out_field(o, "hostname", host, -29, 29, 0);
	out_pad(o, " ");
	out_field(o, "path", path, 0, 74, 0);
	out_eol(o);
	out_pad(o, "        ");
	out_field(o, "name", jv->rec->name, -29, 29, 0);
	out_pad(o, " ");
	out_field(o, "state", jv->dying ? "DYING" : "ACTIVE", 0, -1, 0);
	out_eol(o);
	out_pad(o, "        ");
	out_field_int(o, "pid", jv->rec->init_pid, 0);
	out_eol(o);
	emit_addr_list(o, jv, "ip4.addr", "ipv4_addrs");
	emit_addr_list(o, jv, "ip6.addr", "ipv6_addrs");
	free(host);
	free(path);
}

static void
emit_names_header(struct out *o, const struct strlist *names)
{
	for (size_t i = 0; i < names->n; i++) {
		if (i > 0)
			out_pad(o, " ");
		out_title(o, names->v[i], 0);
	}
	out_eol(o);
}

/*
 * -q and -s: quoted so that jail(8) and jail.conf read it back.  As in
 * FreeBSD's jls, an empty string is always "", an empty address list
 * "" with -q, "-" alone, and nothing after "name=".
 */
static void
emit_value(struct out *o, const char *name, const char *v, int pflags,
    bool list)
{
	char *q;

	if (*v == '\0' && (!list || (pflags & PRINT_QUOTED))) {
		out_field(o, name, "\"\"", 0, -1, OF_DISPLAY);
		out_field(o, name, "", 0, -1, OF_ENCODE);
		return;
	}
	if (*v == '\0' && !(pflags & (PRINT_QUOTED | PRINT_NAMEVAL)))
		v = "-";
	if (!(pflags & PRINT_QUOTED) || !out_is_text(o)) {
		out_field(o, name, v, 0, -1, 0);
		return;
	}
	q = jparam_quote(v);
	out_field(o, name, q, 0, -1, OF_DISPLAY);
	out_field(o, name, v, 0, -1, OF_ENCODE);
	free(q);
}

/* A list parameter (ip4.addr) is a list in the encodings, as in FreeBSD. */
static bool
emit_list(struct out *o, const struct jview *jv, const char *name)
{
	const struct paramdef *d = param_lookup(name);
	const struct jparam *p;

	if (out_is_text(o) || d == NULL ||
	    (d->type != PT_LIST && d->type != PT_CMDLIST))
		return false;
	out_open_leaflist(o, name);
	if ((p = jparams_find(&jv->rec->params, name)) != NULL)
		for (size_t i = 0; i < p->val.n; i++)
			out_leaf(o, p->val.v[i]);
	out_close_leaflist(o);
	return true;
}

static void
emit_param(struct out *o, const struct jview *jv, const char *name,
    int pflags)
{
	const struct paramdef *d = param_lookup(name);
	char *v, *nn;

	if (emit_list(o, jv, name))
		return;
	v = param_value(jv, name);
	if (d != NULL && d->type == PT_BOOL) {
		out_field(o, name, v, 0, -1, OF_BOOL | OF_ENCODE);
		if (!(pflags & PRINT_NAMEVAL))
			out_field(o, name, v, 0, -1, OF_DISPLAY);
		else {
			nn = flag_word(name, strcmp(v, "true") == 0);
			out_field(o, name, nn, 0, -1, OF_DISPLAY);
			free(nn);
		}
		free(v);
		return;
	}
	if (pflags & PRINT_NAMEVAL) {
		out_pad(o, name);
		out_pad(o, "=");
	}
	emit_value(o, name, v, pflags, d != NULL &&
	    (d->type == PT_LIST || d->type == PT_CMDLIST));
	free(v);
}

static void
emit_params(struct out *o, const struct jview *jv,
    const struct strlist *names, int pflags)
{
	bool spc = false;

	for (size_t i = 0; i < names->n; i++) {
		if ((pflags & PRINT_SKIP) && skip_unsettable(jv, names->v[i]))
			continue;
		if (spc)
			out_pad(o, " ");
		spc = true;
		emit_param(o, jv, names->v[i], pflags);
	}
	out_eol(o);
}

/* --- -p: the host's "ps -J" ---------------------------------------- */

static void
emit_pids(struct out *o, const struct jview *jv, bool *first)
{
	struct strlist pids = { 0 };
	char *jid;

	jail_pids(jv->rec, &pids);
	jid = xasprintf("%d", jv->rec->jid);
	out_field(o, "jid", jid, 0, -1, OF_NUM | OF_ENCODE);
	free(jid);
	out_field(o, "name", jv->rec->name, 0, -1, OF_ENCODE);
	out_open_leaflist(o, "pid");
	for (size_t i = 0; i < pids.n; i++) {
		out_leaf(o, pids.v[i]);
		out_pad(o, *first ? "" : ",");
		out_field(o, "pid", pids.v[i], 0, -1, OF_DISPLAY);
		*first = false;
	}
	out_close_leaflist(o);
	strlist_clear(&pids);
}

/* --- main ---------------------------------------------------------- */

struct opts {
	int		 pflags;
	bool		 dying;
	const char	*jail;
};

static void
parse_opts(int argc, char **argv, struct opts *op)
{
	int c;

	while ((c = getopt(argc, argv, "+acdj:hNnpqsv")) != -1) {
		switch (c) {
		case 'a':
		case 'd':
			op->dying = true;
			break;
		case 'c':
			op->pflags |= PRINT_CHECK;
			break;
		case 'j':
			op->jail = optarg;
			break;
		case 'h':
			op->pflags = (op->pflags & ~(PRINT_SKIP | PRINT_VERBOSE)) |
			    PRINT_HEADER;
			break;
		case 'N':
			op->pflags |= PRINT_JAIL_NAME;
			break;
		case 'n':
			op->pflags = (op->pflags & ~PRINT_VERBOSE) | PRINT_NAMEVAL;
			break;
		case 'p':
			op->pflags |= PRINT_PIDS;
			break;
		case 'q':
			op->pflags |= PRINT_QUOTED;
			break;
		case 's':
			op->pflags = (op->pflags & ~(PRINT_HEADER | PRINT_VERBOSE)) |
			    PRINT_NAMEVAL | PRINT_QUOTED | PRINT_SKIP;
			break;
		case 'v':
			op->pflags = (op->pflags & ~(PRINT_HEADER |
			    PRINT_NAMEVAL | PRINT_SKIP)) | PRINT_VERBOSE;
			break;
		default:
			out_usage(usage_text, help_text, false);
		}
	}
}

/* Which parameters the chosen view prints (empty for the fixed views). */
static void
choose_params(int argc, char **argv, struct opts *op, struct strlist *names)
{
	if (optind < argc) {
		op->pflags &= ~PRINT_VERBOSE;
		for (int i = optind; i < argc; i++)
			add_param(names, argv[i]);
	} else if (op->pflags & (PRINT_HEADER | PRINT_NAMEVAL))
		add_all(names);
	else if (!(op->pflags & PRINT_VERBOSE))
		op->pflags |= PRINT_DEFAULT;
}

static void
emit_header(struct out *o, int pflags, const struct strlist *names)
{
	if (pflags & PRINT_PIDS)
		return;
	if (pflags & PRINT_VERBOSE)
		emit_verbose_header(o);
	else if (pflags & PRINT_DEFAULT)
		emit_default_header(o, pflags);
	else if (pflags & PRINT_HEADER)
		emit_names_header(o, names);
}

static void
emit_jail(struct out *o, const struct jview *jv, int pflags,
    const struct strlist *names, bool *first)
{
	out_open_instance(o, "jail");
	if (pflags & PRINT_PIDS)
		emit_pids(o, jv, first);
	else if (pflags & PRINT_VERBOSE)
		emit_verbose(o, jv);
	else if (pflags & PRINT_DEFAULT)
		emit_default(o, jv, pflags);
	else
		emit_params(o, jv, names, pflags);
	out_close_instance(o);
}

static int
list(struct out *o, struct jview *v, size_t nv, const struct opts *op,
    const struct strlist *names)
{
	struct jview *one = NULL;
	bool first = true;

	if (op->jail != NULL && (one = find_view(v, nv, op->jail)) == NULL)
		errx(1, "jail \"%s\" not found", op->jail);
	emit_header(o, op->pflags, names);
	out_open_container(o, "jail-information");
	out_open_list(o, "jail");
	for (size_t i = 0; i < nv; i++)
		if (one == NULL || one == &v[i])
			emit_jail(o, &v[i], op->pflags, names, &first);
	out_close_list(o);
	out_close_container(o);
	if ((op->pflags & PRINT_PIDS) && out_is_text(o) && !first)
		out_eol(o);
	return out_finish(o);
}

int
main(int argc, char **argv)
{
	enum out_style style = OUT_TEXT;
	unsigned oflags = 0;
	struct opts op = { 0 };
	struct strlist names = { 0 };
	struct jrecord *recs;
	struct jview *views;
	struct out *o;
	size_t n, nv;
	int rc;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		out_usage(usage_text, help_text, true);
	if ((argc = out_args(argc, argv, &style, &oflags)) < 0)
		errx(1, "%s", gerr_msg());
	parse_opts(argc, argv, &op);
	if ((op.pflags & PRINT_CHECK) && op.jail == NULL)
		out_usage(usage_text, help_text, false);
	choose_params(argc, argv, &op, &names);

	if (op.jail != NULL && !op.dying)
		load_one_jail(op.jail, &recs, &n);
	else
		load_jails(&recs, &n, (op.pflags & (PRINT_DEFAULT |
		    PRINT_VERBOSE)) && !(op.pflags & PRINT_PIDS));
	views = make_views(recs, n, op.dying,
	    strlist_has(&names, "children.cur"), &nv);
	if (op.pflags & PRINT_CHECK)
		exit(find_view(views, nv, op.jail) != NULL ? 0 : 1);

	o = out_new(stdout, style, oflags);
	out_set_version(o, JLS_XO_VERSION);
	rc = list(o, views, nv, &op, &names);
	out_free(o);
	free(views);
	jrecords_free(recs, n);
	strlist_clear(&names);
	if (rc != 0)
		err(1, "stdout");
	return 0;
}
