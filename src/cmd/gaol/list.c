/*
 * gaol list [-a] [--json] [jails]: the jails gaol made, with their
 * state, storage and address; -a adds jid, boot, tags and path; --json
 * (also --libxo json) writes jls -v --libxo json's fields, with the
 * same names and values for a running jail, plus gaol's own.
 * gaol list releases: the releases, their size and the jails using them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "conf/conf.h"
#include "state/registry.h"
#include "net/net.h"
#include "out/out.h"
#include "rcconf/rcconf.h"
#include "rctl/rctl.h"
#include "release/release.h"
#include "store/store.h"

/* What list shows of one jail: the live record's, else jail.conf's. */
struct row {
	struct sjail	 sj;
	struct jrecord	 rec;
	bool		 up;
	struct jparams	 params;	/* the record's or the resolved block's */
	struct strlist	 ip4, ip6, tags;
	bool		 boot;
};

/* A running jail's addresses are its record's; a stopped one's, its
 * jail.conf block's, parsed. */
static void
addrs(struct row *r)
{
	struct jnet parsed;
	const struct jnet *nj = &r->rec.net;

	if (!r->up) {
		if (jnet_from_params(&parsed, &r->params) == -1)
			return;
		nj = &parsed;
	}
	for (size_t i = 0; i < nj->n4; i++)
		strlist_addn(&r->ip4, jaddr_ntop(&nj->a4[i]));
	for (size_t i = 0; i < nj->n6; i++)
		strlist_addn(&r->ip6, jaddr_ntop(&nj->a6[i]));
	if (!r->up)
		jnet_free(&parsed);
}

static bool
in_jail_list(const char *name)
{
	char *p = xasprintf("%s/rc.conf", gaol_sysconfdir());
	char *list = rcconf_file_get(p, "jail_list"), *save, *w;
	char *en = rcconf_file_get(p, "jail_enable");
	bool r = false;

	for (w = list ? strtok_r(list, " \t", &save) : NULL; w != NULL && !r;
	    w = strtok_r(NULL, " \t", &save))
		r = strcmp(w, name) == 0;
	r = r && rcconf_yes(en);
	free(en);
	free(list);
	free(p);
	return r;
}

static int
row_load(const char *name, struct row *r)
{
	memset(r, 0, sizeof(*r));
	if (store_jail_load(name, &r->sj) == -1)
		return -1;
	if (registry_find(name, &r->rec) == 0) {
		r->up = true;
		jparams_copy(&r->params, &r->rec.params);
	} else {
		struct strlist names = { 0 };
		struct jconf conf = { 0 };

		strlist_add(&names, name);
		if (jconf_load(&conf, NULL, &names) == 0 &&
		    jconf_has_jail(&conf, name))
			(void)jconf_resolve(&conf, name, &(struct jparams){ 0 },
			    &r->params);
		jconf_free(&conf);
		strlist_clear(&names);
	}
	addrs(r);
	jail_tags(name, &r->tags);
	r->boot = in_jail_list(name);
	return 0;
}

static void
row_free(struct row *r)
{
	sjail_free(&r->sj);
	if (r->up)
		jrecord_free(&r->rec);
	jparams_free(&r->params);
	strlist_clear(&r->ip4);
	strlist_clear(&r->ip6);
	strlist_clear(&r->tags);
}

static const char *
param_or(const struct row *r, const char *name, const char *def)
{
	const char *v = jparams_str(&r->params, name);

	return v != NULL ? v : def;
}

static void
text_row(const struct row *r, bool all)
{
	const char *ip = r->ip4.n ? r->ip4.v[0] : r->ip6.n ? r->ip6.v[0] :
	    "-";
	char *tags = strlist_join(&r->tags, ",");

	if (!all)
		printf("%-16s %-8s %-8s %-6s %-16s %s\n", r->sj.name,
		    r->up ? "Up" : "Down", r->sj.backend,
		    r->sj.thin ? "thin" : "thick",
		    r->sj.release ? r->sj.release : "-",
		    r->sj.ip ? r->sj.ip : "-");
	else {
		char jid[16];

		snprintf(jid, sizeof(jid), "%d", r->rec.jid);
		printf("%5s %-16s %-5s %-4s %-15s %-16s %-6s %-12s %s\n",
		    r->up ? jid : "-", r->sj.name, r->up ? "Up" : "Down",
		    r->boot ? "on" : "off", ip,
		    r->sj.release ? r->sj.release : "-",
		    r->sj.thin ? "thin" : "thick", r->tags.n ? tags : "-",
		    param_or(r, "path", r->sj.root));
	}
	free(tags);
}

static void
json_list(struct out *o, const char *name, const struct strlist *l)
{
	if (l->n == 0)
		return;
	out_open_leaflist(o, name);
	for (size_t i = 0; i < l->n; i++)
		out_leaf(o, l->v[i]);
	out_close_leaflist(o);
}

/* jls -v's fields under jls's names, then gaol's. */
static void
json_row(struct out *o, const struct row *r)
{
	out_open_instance(o, "jail");
	if (r->up)
		out_field_int(o, "jid", r->rec.jid, 0);
	/* jls's default view has the first IPv4 address as "ipv4" */
	out_field(o, "ipv4", r->ip4.n ? r->ip4.v[0] : "", 0, -1, 0);
	out_field(o, "hostname", param_or(r, "host.hostname", ""), 0, -1, 0);
	out_field(o, "path", param_or(r, "path", r->sj.root), 0, -1, 0);
	out_field(o, "name", r->sj.name, 0, -1, 0);
	/* jls says ACTIVE (or DYING) of what runs; a stopped jail is DOWN */
	out_field(o, "state", r->up ? (r->rec.state == JS_DYING ? "DYING" :
	    "ACTIVE") : "DOWN", 0, -1, 0);
	if (r->up)
		out_field_int(o, "pid", r->rec.init_pid, 0);
	json_list(o, "ipv4_addrs", &r->ip4);
	json_list(o, "ipv6_addrs", &r->ip6);
	out_field(o, "release", r->sj.release ? r->sj.release : "", 0, -1, 0);
	out_field(o, "backend", r->sj.backend, 0, -1, 0);
	out_field(o, "type", r->sj.thin ? "thin" : "thick", 0, -1, 0);
	out_field(o, "boot", r->boot ? "true" : "false", 0, -1, OF_BOOL);
	json_list(o, "tags", &r->tags);
	out_close_instance(o);
}

static int
list_jails(bool quiet, bool all, enum out_style style, unsigned oflags)
{
	struct strlist names = { 0 };
	struct out *o = NULL;

	if (style != OUT_TEXT) {
		o = out_new(stdout, style, oflags);
		out_set_version(o, "2");
		out_open_container(o, "jail-information");
		out_open_list(o, "jail");
	} else if (!quiet && !all)
		printf("%-16s %-8s %-8s %-6s %-16s %s\n", "NAME", "STATE",
		    "BACKEND", "TYPE", "RELEASE", "IP");
	else if (!quiet)
		printf("%5s %-16s %-5s %-4s %-15s %-16s %-6s %-12s %s\n",
		    "JID", "NAME", "STATE", "BOOT", "IP", "RELEASE", "TYPE",
		    "TAGS", "PATH");
	store_jail_names(&names);
	for (size_t i = 0; i < names.n; i++) {
		struct row r;

		if (row_load(names.v[i], &r) == -1)
			continue;
		if (o != NULL)
			json_row(o, &r);
		else if (quiet)
			printf("%s\n", r.sj.name);
		else
			text_row(&r, all);
		row_free(&r);
	}
	strlist_clear(&names);
	if (o != NULL) {
		out_close_list(o);
		out_close_container(o);
		if (out_finish(o) == -1) {
			out_free(o);
			lib_fail();
		}
		out_free(o);
	}
	return 0;
}

static int
list_releases(bool quiet)
{
	struct strlist names = { 0 };

	if (!quiet)
		printf("%-16s %7s %s\n", "RELEASE", "SIZE", "JAILS");
	store_release_names(&names);
	for (size_t i = 0; i < names.n; i++) {
		struct strlist users = { 0 };
		char *u, size[16];

		store_release_users(names.v[i], &users);
		u = strlist_join(&users, ",");
		if (quiet)
			printf("%s\n", names.v[i]);
		else {
			humanize((int64_t)release_bytes(names.v[i]), size,
			    sizeof(size));
			printf("%-16s %7s %s\n", names.v[i], size,
			    users.n ? u : "-");
		}
		free(u);
		strlist_clear(&users);
	}
	strlist_clear(&names);
	return 0;
}

static int
run_list(int argc, char **argv)
{
	bool quiet = false, releases = false, all = false;
	enum out_style style = OUT_TEXT;
	unsigned oflags = 0;
	int c;

	if ((argc = out_args(argc, argv, &style, &oflags)) == -1)
		lib_fail();
	while ((c = verb_getopt(&verb_list, argc, argv, "aqrj")) != -1)
		if (c == 'q')
			quiet = true;
		else if (c == 'r')
			releases = true;
		else if (c == 'a')
			all = true;
		else if (c == 'j')
			style = OUT_JSON;
	if (optind < argc && strcmp(argv[optind], "releases") == 0)
		releases = true, optind++;
	else if (optind < argc && strcmp(argv[optind], "jails") == 0)
		optind++;
	if (optind != argc || (releases && style != OUT_TEXT))
		usage_error(&verb_list);
	return releases ? list_releases(quiet) :
	    list_jails(quiet, all, style, oflags);
}

const struct verb verb_list = {
	.name = "list", .args = "[-a] [-q] [--json] [-r | jails | releases]",
	.run = run_list,
	.help =
	    "List the jails gaol made: name, state (Up or Down), storage\n"
	    "backend, thin or thick, release and address.  With -r or\n"
	    "`releases`, the releases, their size and the thin jails that\n"
	    "use them.\n"
	    "  -a      jid, name, state, boot (in jail_list), address,\n"
	    "          release, type, tags and path\n"
	    "  --json  jls -v --libxo json's fields (jid, hostname, path,\n"
	    "          name, state, pid, ipv4_addrs, ipv6_addrs), the same\n"
	    "          values jls gives for a running jail (state DOWN for a\n"
	    "          stopped one), then release, backend, type, boot, tags;\n"
	    "          --libxo STYLE as jls takes it\n"
	    "  -q      names only\n",
};
