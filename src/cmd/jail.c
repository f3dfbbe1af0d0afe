/*
 * jail(8): create, modify and remove jails from the command line or
 * jail.conf(5).  Everything is done by libgaol; this file reads the
 * command line, picks the jails and their order, and reports.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "jail/jail.h"
#include "jail/selfexe.h"
#include "out/out.h"

enum { OP_CREATE = 1, OP_MODIFY = 2, OP_REMOVE = 4 };

struct opts {
	int		 op;
	bool		 remove_only;	/* -R */
	int		 flags;		/* JF_* */
	const char	*conf;		/* -f */
	const char	*jidfile;	/* -J */
	FILE		*jidfp;		/* -J, opened before any jail is made */
	bool		 oldcl;		/* path hostname ip command ... */
	const char	*separator;	/* -e */
	const struct jconf *cfg;	/* the config file read, if any */
	bool		 note_remove;	/* jail(8) notes removals: a config
					   file, a list or a wildcard */
	struct jparams	 forced;	/* -l -u -U -n -s */
};

static int failures;

static const char usage_text[] =
"usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
"            -[cmr] param=value ... [command=command ...]\n"
"       jail [-dqv] [-f conf_file] -[cmr] [jail]\n"
"       jail [-qv] [-f conf_file] -[rR] ['*' | jail ...]\n"
"       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
"            [-n jailname] [-s securelevel]\n"
"            path hostname ip[,...] command ...\n"
"       jail [-f conf_file] -e separator\n";

static const char help_text[] =
"  -c            create a jail\n"
"  -m            modify a running jail\n"
"  -r            remove a jail, running its stop hooks\n"
"  -R            remove a jail without running its hooks\n"
"  -cm, -rc      create or else modify;  remove and create again\n"
"  -d            accepted; dying jails are never reused\n"
"  -e separator  print each configured jail, its parameters separated\n"
"  -f conf_file  read this file instead of /etc/jail.conf\n"
"  -h            resolve host.hostname for the addresses (ip_hostname)\n"
"  -i            print each new jail's jid, and nothing else\n"
"  -J jid_file   write each new jail's jid and parameters to jid_file\n"
"  -l            run commands in a clean environment (exec.clean)\n"
"  -n jailname   the jail's name (old-style command line)\n"
"  -p            accepted; hooks run one at a time\n"
"  -q            print nothing but errors\n"
"  -s level      the jail's securelevel (old-style command line)\n"
"  -u username   run commands as this user of the host\n"
"  -U username   run commands as this user of the jail\n"
"  -v            print each command as it runs\n";

static void __attribute__((noreturn))
usage(int status)
{
	out_usage(usage_text, help_text, status == 0);
}

static void
warn_lib(void)
{
	fprintf(stderr, "jail: %s\n", gerr_msg());
	failures++;
}

/*
 * jail(8)'s quoting when it prints a value (-e, -J): "" for an empty
 * string, double quotes around a value with a single quote, space or
 * tab, single quotes around one with a double quote.
 */
static void
quoted_print(FILE *f, const char *s)
{
	int q = *s == '\0' || strchr(s, '\'') ? '"' : strchr(s, '"') ? '\'' :
	    strpbrk(s, " \t") ? '"' : 0;

	if (q)
		putc(q, f);
	for (; *s; s++) {
		if (*s == '\\' || *s == q)
			putc('\\', f);
		putc(*s, f);
	}
	if (q)
		putc(q, f);
}

static void
print_values(FILE *f, const struct strlist *val, int sep)
{
	for (size_t i = 0; i < val->n; i++) {
		if (i > 0)
			putc(sep, f);
		quoted_print(f, val->v[i]);
	}
}

static void
print_param(FILE *f, const struct jparam *p)
{
	fputs(p->name, f);
	if (p->val.n == 0)
		return;
	putc('=', f);
	print_values(f, &p->val, ',');
}

/*
 * One jail as jail(8) prints it for -e and -J: "jid=N" (for a jail
 * made), then every parameter but jid, joined by the -e separator (a
 * TAB by default).  The old command line gets jid, path, hostname,
 * addresses and command instead.
 */
static void
print_jail(FILE *f, const struct opts *o, int jid, const struct jparams *p)
{
	const char *sep = o->separator != NULL ? o->separator : "\t";
	const struct jparam *a4, *a6, *cmd;
	bool first = true;

	if (o->oldcl) {
		a4 = jparams_find(p, "ip4.addr");
		a6 = jparams_find(p, "ip6.addr");
		cmd = jparams_find(p, "command");
		fprintf(f, "%d%s", jid, sep);
		quoted_print(f, jparams_str(p, "path"));
		fputs(sep, f);
		quoted_print(f, jparams_str(p, "host.hostname"));
		fputs(sep, f);
		if (a4 != NULL)
			print_values(f, &a4->val, ',');
		if (a4 != NULL && a4->val.n > 0 && a6 != NULL && a6->val.n > 0)
			putc(',', f);
		if (a6 != NULL)
			print_values(f, &a6->val, ',');
		fputs(sep, f);
		if (cmd != NULL)
			print_values(f, &cmd->val, ' ');
		putc('\n', f);
		return;
	}
	if (jid > 0) {
		fprintf(f, "jid=%d", jid);
		first = false;
	}
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].name, "jid") == 0)
			continue;
		if (!first)
			fputs(sep, f);
		first = false;
		print_param(f, &p->v[i]);
	}
	putc('\n', f);
}

/* -J: truncated and opened before any jail is made, as jail(8) does. */
static void
open_jidfile(struct opts *o)
{
	if (o->jidfile != NULL && o->jidfp == NULL &&
	    (o->jidfp = fopen(o->jidfile, "w")) == NULL)
		err(1, "open %s", o->jidfile);
	if (o->jidfp != NULL)
		setlinebuf(o->jidfp);
}

static void
write_jidfile(const struct opts *o, int jid, const struct jparams *p)
{
	if (o->jidfp != NULL)
		print_jail(o->jidfp, o, jid, p);
}

/*
 * What jail(8)'s notes and messages call a jail: a jail of the config
 * file its block's name; one from the command line nothing (NULL).
 */
static const char *
label_of(const struct opts *o, const char *name)
{
	return name != NULL && o->cfg != NULL && jconf_has_jail(o->cfg, name) ?
	    name : NULL;
}

/* "removed", "updated": with -v always, else when wanted unless -q. */
static void
note(const struct opts *o, const char *label, bool wanted, const char *what)
{
	if (!(o->flags & JF_VERBOSE) &&
	    (!wanted || (o->flags & (JF_QUIET | JF_PRINTJID))))
		return;
	if (label != NULL)
		printf("%s: %s\n", label, what);
	else
		printf("%s\n", what);
	fflush(stdout);
}

/*
 * A jail "p.q" is p's child, as on FreeBSD: it needs p to run, and goes
 * when p goes (the kernel removes children with their parent, running
 * none of their commands; the deepest go first).
 */
static bool
parent_missing(const char *name, const char *label)
{
	const char *dot = name != NULL ? strrchr(name, '.') : NULL;
	char *parent;
	bool missing;

	if (dot == NULL)
		return false;
	parent = xstrndup(name, (size_t)(dot - name));
	if ((missing = !registry_running(parent))) {
		if (label != NULL)
			warnx("%s: jail \"%s\" not found", label, parent);
		else
			warnx("jail \"%s\" not found", parent);
		failures++;
	}
	free(parent);
	return missing;
}

static int
deeper_first(const void *a, const void *b)
{
	const struct jrecord *ra = a, *rb = b;

	return (int)strlen(rb->name) - (int)strlen(ra->name);
}

static void
remove_children(const struct opts *o, const char *name)
{
	struct jrecord *recs;
	size_t n, len = strlen(name);

	/* A child ("p.q") is one of the dependents. */
	if (registry_load_dependents(&recs, &n) == -1)
		return;
	qsort(recs, n, sizeof(*recs), deeper_first);
	for (size_t i = 0; i < n; i++)
		if (recs[i].state == JS_ALIVE &&
		    strncmp(recs[i].name, name, len) == 0 &&
		    recs[i].name[len] == '.' &&
		    jail_remove(&recs[i], o->flags | JF_QUIET | JF_NOHOOKS) == -1)
			warn_lib();
	jrecords_free(recs, n);
}

/* Create one jail from resolved parameters. */
static int
create_one(const struct opts *o, const char *name, const struct jparams *params,
    int *statusp)
{
	const char *label = label_of(o, name);
	struct jail_spec spec;
	int jid;

	if (parent_missing(jparams_str(params, "name"), label))
		return -1;
	if (spec_from_params(&spec, params) == -1) {
		warn_lib();
		return -1;
	}
	spec_set_label(&spec, label);
	if (jail_create(&spec, o->flags, &jid, statusp) == -1) {
		warn_lib();
		spec_free(&spec);
		return -1;
	}
	if (o->flags & JF_PRINTJID)
		printf("%d\n", jid);
	write_jidfile(o, jid, params);
	spec_free(&spec);
	return 0;
}

/*
 * The library's own "removed" is silenced: jail(8) names the jail by
 * its block, and notes a removal only when o->note_remove says so.
 */
static int
remove_one(const struct opts *o, const char *name)
{
	struct jrecord rec;
	const char *label;
	int r;

	if (registry_find(name, &rec) == -1) {
		warn_lib();
		return -1;
	}
	remove_children(o, rec.name);
	r = jail_remove(&rec, o->flags | JF_QUIET |
	    (o->remove_only ? JF_NOHOOKS : 0));
	if (r == -1)
		warn_lib();
	else {
		/* a block named by its jid ("5309 { name = basejail; }") */
		char jid[16];

		snprintf(jid, sizeof(jid), "%d", rec.jid);
		label = label_of(o, jid);
		note(o, label != NULL ? label : rec.name, o->note_remove,
		    "removed");
	}
	jrecord_free(&rec);
	return r;
}

/*
 * FreeBSD quotes the name: jail: "web" not found.  jail -q -r says
 * nothing of a jail that is not there, and still fails.
 */
static int
not_found(const struct opts *o, const char *name)
{
	bool silent = o->op == OP_REMOVE && (o->flags & JF_QUIET) &&
	    !(o->flags & JF_VERBOSE);

	if (!silent && name != NULL)
		fprintf(stderr, "jail: \"%s\" not found\n", name);
	else if (!silent)
		fprintf(stderr, "jail: no jail specified\n");
	failures++;
	return -1;
}

/* What -m hands the library: the parameters besides name and jid. */
static void
changes_of(const struct jparams *p, struct jparams *changes)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, "name") != 0 &&
		    strcmp(p->v[i].name, "jid") != 0)
			jparams_setl(changes, p->v[i].name, &p->v[i].val,
			    p->v[i].file, p->v[i].line);
}

static int
modify_one(const struct opts *o, const char *name, struct jrecord *rec,
    const struct jparams *p)
{
	const char *label = label_of(o, name);
	struct jparams changes = { 0 };
	int r;

	changes_of(p, &changes);
	r = jail_modify(rec, &changes, o->flags | JF_QUIET);
	if (r == -1)
		warn_lib();
	else
		note(o, label, label != NULL, "updated");
	jparams_free(&changes);
	return r;
}

static bool
needs_restart(const struct jrecord *rec, const struct jparams *p)
{
	struct jparams changes = { 0 };
	bool r;

	changes_of(p, &changes);
	r = jail_modify_needs_restart(rec, &changes);
	jparams_free(&changes);
	return r;
}

/*
 * What the chosen operation does to one jail, as jail(8)'s state
 * machine decides it from whether the jail runs: -cm creates or
 * modifies; -mr and -cmr modify, or restart when a create-only
 * parameter changes; -rc restarts a running jail only.  wild: the jail
 * was not named (every jail of the file), so one that is not running is
 * no error for -r, and one that is running no error for -c.
 * full: the parameters are the jail's whole definition (a config
 * block); otherwise the restart of -mr keeps what the running jail was
 * made with and changes what the command line names.
 */
static int
act(const struct opts *o, const char *name, const struct jparams *p,
    int *statusp, bool wild, bool full)
{
	const char *n = name ? name : jparams_str(p, "name");
	struct jrecord rec;
	struct jparams made = { 0 };
	bool exists = n != NULL && registry_find(n, &rec) == 0;
	int op = o->op, r = 0;

	if (!exists) {
		if (op & OP_MODIFY)
			op = (op & OP_CREATE) ? OP_CREATE : 0;
		if (op == OP_CREATE || (wild && (op & OP_CREATE)))
			return create_one(o, name, p, statusp);
		return op == 0 || !wild ? not_found(o, n) : 0;
	}
	if (op & OP_MODIFY)
		op = (op & OP_REMOVE) && needs_restart(&rec, p) ?
		    OP_REMOVE | OP_CREATE : OP_MODIFY;
	if (op == OP_CREATE) {
		if (!wild) {
			fprintf(stderr, "jail: \"%s\" already exists\n", n);
			failures++;
			r = -1;
		}
	} else if (op == OP_MODIFY)
		r = modify_one(o, name, &rec, p);
	else {
		if (!full && (o->op & OP_MODIFY) && (op & OP_CREATE)) {
			jparams_copy(&made, &rec.params);
			for (size_t i = 0; i < p->n; i++)
				jparams_setl(&made, p->v[i].name, &p->v[i].val,
				    p->v[i].file, p->v[i].line);
			p = &made;
		}
		r = remove_one(o, n);
		if (r == 0 && (op & OP_CREATE))
			r = create_one(o, name, p, statusp);
	}
	jparams_free(&made);
	jrecord_free(&rec);
	return r;
}

static void
add_forced(struct jparams *dst, const struct jparams *forced)
{
	for (size_t i = 0; i < forced->n; i++)
		jparams_setl(dst, forced->v[i].name, &forced->v[i].val, NULL, 0);
}

/* jail -c name=value ...: one jail from the command line (and -f). */
static int
params_mode(struct opts *o, int argc, char **argv)
{
	struct jparams cmdline = { 0 }, resolved = { 0 };
	struct jconf conf = { 0 };
	struct strlist names = { 0 };
	const char *name;
	int status = 0;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "command=", 8) == 0) {
			struct strlist cmd = { 0 };

			strlist_add(&cmd, argv[i] + 8);
			for (i++; i < argc; i++)
				strlist_add(&cmd, argv[i]);
			jparams_setl(&cmdline, "command", &cmd, NULL, 0);
			strlist_clear(&cmd);
			break;
		}
		if (jparams_parse_arg(&cmdline, argv[i]) == -1)
			errx(1, "%s", gerr_msg());
	}
	add_forced(&cmdline, &o->forced);
	name = jparams_str(&cmdline, "name");
	if (name != NULL)
		strlist_add(&names, name);
	/* The config file takes part only when named with -f. */
	if (o->conf != NULL && jconf_load(&conf, o->conf, &names) == -1)
		errx(1, "%s", gerr_msg());
	/* NULL: a command-line jail, which messages do not name */
	if (jconf_resolve(&conf, NULL, &cmdline, &resolved) == -1)
		errx(1, "%s", gerr_msg());
	if ((o->op & (OP_MODIFY | OP_REMOVE)) && !(o->op & OP_CREATE) &&
	    name == NULL && jparams_str(&resolved, "jid") != NULL)
		name = jparams_str(&resolved, "jid");
	open_jidfile(o);
	(void)act(o, name, &resolved, &status, false, false);
	jparams_free(&resolved);
	jparams_free(&cmdline);
	jconf_free(&conf);
	strlist_clear(&names);
	return failures ? 1 : status;
}

/*
 * jail path hostname ip[,ip...] command ...: the form older than
 * jail.conf; each address goes to ip6.addr if it reads as IPv6, else to
 * ip4.addr.
 */
static int
old_style(struct opts *o, int argc, char **argv)
{
	struct jparams cmdline = { 0 }, resolved = { 0 };
	struct jconf conf = { 0 };
	struct strlist cmd = { 0 };
	char *ips, *ip, *save = NULL;
	int status = 0;

	if (argc < 4 || argv[0][0] != '/')
		errx(1, "no -c or -m, so this must be an old-style command.\n"
		    "But it doesn't look like one.");
	jparams_set(&cmdline, "path", argv[0], false, NULL, 0);
	jparams_set(&cmdline, "host.hostname", argv[1], false, NULL, 0);
	ips = xstrdup(argv[2]);
	for (ip = strtok_r(ips, ",", &save); ip != NULL;
	    ip = strtok_r(NULL, ",", &save)) {
		unsigned char a6[16];

		jparams_set(&cmdline, inet_pton(AF_INET6, ip, a6) == 1 ?
		    "ip6.addr" : "ip4.addr", ip, true, NULL, 0);
	}
	free(ips);
	for (int i = 3; i < argc; i++)
		strlist_add(&cmd, argv[i]);
	jparams_setl(&cmdline, "command", &cmd, NULL, 0);
	strlist_clear(&cmd);
	add_forced(&cmdline, &o->forced);
	if (jconf_resolve(&conf, NULL, &cmdline, &resolved) == -1)
		errx(1, "%s", gerr_msg());
	o->op = OP_CREATE;
	o->oldcl = true;
	open_jidfile(o);
	(void)act(o, NULL, &resolved, &status, false, true);
	jparams_free(&resolved);
	jparams_free(&cmdline);
	return failures ? 1 : status;
}

/* The registry's records, once what killed commands left is settled. */
static void
settled_records(struct jrecord **recs, size_t *n)
{
	int lock;

	if ((lock = registry_lock()) == -1)
		errx(1, "%s", gerr_msg());
	if (jail_settle(recs, n) == -1)
		errx(1, "%s", gerr_msg());
	registry_unlock(lock);
}

static int
remove_all_running(const struct opts *o)
{
	struct jrecord *recs;
	size_t n;

	settled_records(&recs, &n);
	/* Youngest first, as a dependent is made after what it needs. */
	for (size_t i = n; i-- > 0; ) {
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", recs[i].jid);
		if (recs[i].state == JS_ALIVE)
			(void)remove_one(o, buf);
	}
	jrecords_free(recs, n);
	return failures ? 1 : 0;
}

/*
 * jail -r: the named jails and every running jail that depends on one of
 * them, dependents first (jail_stop_order).
 */
static void
remove_with_dependents(const struct opts *o, const struct strlist *named)
{
	struct strlist targets = { 0 };
	struct jrecord *recs, rec;
	size_t n;
	int lock;

	/* Settled: the named jails and those that may depend on one. */
	if ((lock = registry_lock()) == -1)
		errx(1, "%s", gerr_msg());
	for (size_t i = 0; i < named->n; i++)
		if (jail_settle_one(named->v[i], true, &rec) == 0)
			jrecord_free(&rec);
	if (jail_settle_dependents(&recs, &n) == -1)
		errx(1, "%s", gerr_msg());
	registry_unlock(lock);
	for (size_t i = 0; i < named->n; i++) {
		if (registry_find(named->v[i], &rec) == -1) {
			not_found(o, named->v[i]);
			continue;
		}
		strlist_add(&targets, rec.name);
		jrecord_free(&rec);
	}
	jail_stop_order(recs, n, &targets);
	for (size_t i = 0; i < targets.n; i++)
		(void)remove_one(o, targets.v[i]);
	strlist_clear(&targets);
	jrecords_free(recs, n);
}

/*
 * Create (or modify, or restart) the planned jails in order.  A jail
 * the command did not name is there because a named one depends on it:
 * it is created if it does not run, and otherwise left alone.  A jail
 * whose dependency failed is skipped.
 */
static void
run_plan(const struct opts *o, struct jplan *pl, const struct strlist *names,
    bool wild)
{
	struct opts dep_o = *o;

	dep_o.op = OP_CREATE;
	for (size_t i = 0; i < pl->order.n; i++) {
		const char *nm = pl->order.v[i];
		struct jplan_jail *nd = jplan_jail(pl, nm);
		const struct jparam *dep = jparams_find(&nd->params, "depend");
		bool named = wild || strlist_has(names, nm), skip = false;

		for (size_t d = 0; dep != NULL && d < dep->val.n; d++)
			skip |= jplan_jail(pl, dep->val.v[d])->failed;
		if (skip) {
			fprintf(stderr, "jail: %s: skipped\n", nm);
			failures++;
			nd->failed = true;
			continue;
		}
		if (!named && (registry_running(nm) || !(o->op & OP_CREATE)))
			continue;
		add_forced(&nd->params, &o->forced);
		if (act(named ? o : &dep_o, nm, &nd->params, NULL, wild,
		    true) == -1)
			nd->failed = true;
	}
}

/*
 * The config file: -f's, or jail.conf and jail.conf.d.  Creating or
 * modifying needs one, and its absence is named as jail(8) names it;
 * removing reads one only if it is there.
 */
static bool
load_config(const struct opts *o, struct jconf *conf,
    const struct strlist *names, bool needed)
{
	char *def;

	if (!needed && o->conf != NULL && strcmp(o->conf, "-") != 0 &&
	    access(o->conf, F_OK) == -1)
		return false;
	if (jconf_load(conf, o->conf, names) == -1)
		errx(1, "%s", gerr_msg());
	if (conf->files.n > 0)
		return true;
	if (needed) {
		def = xasprintf("%s/jail.conf", gaol_sysconfdir());
		errno = ENOENT;
		err(1, "%s", def);
	}
	return false;
}

static int
config_mode(struct opts *o, int argc, char **argv)
{
	struct jconf conf = { 0 };
	struct strlist names = { 0 };
	struct jplan pl = { 0 };
	bool remove = o->op == OP_REMOVE;

	if (argc == 1 && strcmp(argv[0], "*") == 0) {
		o->note_remove = true;		/* a wildcard */
		if (remove)
			return remove_all_running(o);
		argc = 0;
	}
	for (int i = 0; i < argc; i++)
		strlist_add(&names, argv[i]);
	if (load_config(o, &conf, &names, !remove))
		o->cfg = &conf;
	/* jail(8) notes a removal the config file or a list asked for */
	o->note_remove |= o->cfg != NULL || argc > 1;
	if (remove) {
		/* Removal goes by the running jails. */
		remove_with_dependents(o, &names);
		strlist_clear(&names);
		jconf_free(&conf);
		return failures ? 1 : 0;
	}
	open_jidfile(o);
	if (argc == 0)
		jconf_names(&conf, &names);
	for (size_t i = 0; i < names.n; i++) {
		if (!jconf_has_jail(&conf, names.v[i])) {
			not_found(o, names.v[i]);
			continue;
		}
		if (jplan_add(&pl, &conf, names.v[i]) == -1) {
			warn_lib();
			jplan_jail(&pl, names.v[i])->failed = true;
		}
	}
	run_plan(o, &pl, &names, argc == 0);
	jplan_free(&pl);
	strlist_clear(&names);
	o->cfg = NULL;
	jconf_free(&conf);
	return failures ? 1 : 0;
}

/* jail -e separator: the configured jails and their parameters. */
static int
exhibit(const struct opts *o)
{
	struct jconf conf = { 0 };
	struct strlist names = { 0 };

	(void)load_config(o, &conf, &names, true);
	jconf_names(&conf, &names);
	for (size_t i = 0; i < names.n; i++) {
		struct jparams p = { 0 };

		if (jconf_resolve(&conf, names.v[i], &(struct jparams){ 0 },
		    &p) == -1) {
			warn_lib();
			continue;
		}
		print_jail(stdout, o, 0, &p);
		jparams_free(&p);
	}
	strlist_clear(&names);
	jconf_free(&conf);
	return failures ? 1 : 0;
}

static void
parse_options(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+cde:f:hiJ:lmn:p:qrRs:u:U:v",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->op |= OP_CREATE; break;
		case 'm': o->op |= OP_MODIFY; break;
		case 'r': o->op |= OP_REMOVE; break;
		case 'R': o->op |= OP_REMOVE; o->remove_only = true; break;
		case 'd': break;	/* dying jails are never reused here */
		case 'p': break;	/* hooks already run one at a time */
		case 'e': o->separator = optarg; break;
		case 'f': o->conf = optarg; break;
		case 'h':
			jparams_set(&o->forced, "ip_hostname", NULL, false, NULL, 0);
			break;
		case 'i': o->flags |= JF_PRINTJID | JF_QUIET; break;
		case 'J': o->jidfile = optarg; break;
		case 'l':
			jparams_set(&o->forced, "exec.clean", NULL, false, NULL, 0);
			break;
		case 'n':
			jparams_set(&o->forced, "name", optarg, false, NULL, 0);
			break;
		case 'q': o->flags |= JF_QUIET; break;
		case 's':
			jparams_set(&o->forced, "securelevel", optarg, false,
			    NULL, 0);
			break;
		case 'u':	/* a user of the host's passwd */
			jparams_set(&o->forced, "exec.jail_user", optarg, false,
			    NULL, 0);
			jparams_set(&o->forced, "exec.system_jail_user", NULL,
			    false, NULL, 0);
			break;
		case 'U':	/* a user of the jail's passwd */
			jparams_set(&o->forced, "exec.jail_user", optarg, false,
			    NULL, 0);
			break;
		case 'v': o->flags |= JF_VERBOSE; break;
		case 'H': usage(0);
		default: usage(1);
		}
	}
	if (o->remove_only && (o->op & (OP_CREATE | OP_MODIFY)))
		usage(1);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	char **all = argv;

	parse_options(&o, argc, argv);
	/*
	 * A new jail's init is this program's image, and every process of
	 * the jail is forked from it: run from a read-only binary first.
	 */
	if ((o.op == 0 || (o.op & OP_CREATE)) && o.separator == NULL &&
	    selfexe_protect(all) == -1)
		errx(1, "%s", gerr_msg());
	argc -= optind;
	argv += optind;
	if (o.separator != NULL)
		return exhibit(&o);
	if (o.op == 0 && argc == 0)
		usage(1);
	if (o.op == 0)
		return old_style(&o, argc, argv);
	/* jail(8): removal names its jails; -f FILE -r alone is no "all". */
	if (o.op == OP_REMOVE && argc == 0)
		usage(1);
	if (argc > 0 && (argc > 1 || strchr(argv[0], '=') != NULL) &&
	    !(o.op == OP_REMOVE))
		return params_mode(&o, argc, argv);
	return config_mode(&o, argc, argv);
}
