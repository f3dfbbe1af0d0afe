/*
 * jail(8): create, modify and remove jails from the command line or
 * jail.conf(5).  Everything is done by libgaol; this file reads the
 * command line, picks the jails and their order, and reports.
 */
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

enum { OP_CREATE = 1, OP_MODIFY = 2, OP_REMOVE = 4 };

struct opts {
	int		 op;
	bool		 remove_only;	/* -R */
	int		 flags;		/* JF_* */
	const char	*conf;		/* -f */
	const char	*jidfile;	/* -J */
	const char	*separator;	/* -e */
	struct jparams	 forced;	/* -l -u -U -n -s */
};

static int failures;

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
"            -[cmr] param=value ... [command=command ...]\n"
"       jail [-dqv] [-f conf_file] -[cmr] [jail]\n"
"       jail [-qv] [-f conf_file] -[rR] ['*' | jail ...]\n"
"       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
"            [-n jailname] [-s securelevel]\n"
"            path hostname ip[,...] command ...\n"
"       jail [-f conf_file] -e separator\n");
	exit(status);
}

static void
warn_lib(void)
{
	fprintf(stderr, "jail: %s\n", gerr_msg());
	failures++;
}

static void
write_jidfile(const struct opts *o, int jid, const struct jparams *p)
{
	char *words;
	FILE *f;

	if (o->jidfile == NULL)
		return;
	if ((f = fopen(o->jidfile, "a")) == NULL) {
		warn("%s", o->jidfile);
		failures++;
		return;
	}
	words = jparams_render(p, false);
	fprintf(f, "jid=%d %s\n", jid, words);
	free(words);
	fclose(f);
}

/* Create one jail from resolved parameters. */
static int
create_one(const struct opts *o, const struct jparams *params, int *statusp)
{
	struct jail_spec spec;
	int jid;

	if (spec_from_params(&spec, params) == -1) {
		warn_lib();
		return -1;
	}
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

static int
remove_one(const struct opts *o, const char *name)
{
	struct jrecord rec;
	int r;

	if (registry_find(name, &rec) == -1) {
		warn_lib();
		return -1;
	}
	r = jail_remove(&rec, o->flags | (o->remove_only ? JF_NOHOOKS : 0));
	if (r == -1)
		warn_lib();
	jrecord_free(&rec);
	return r;
}

static bool
running(const char *name)
{
	struct jrecord rec;

	if (registry_find(name, &rec) == -1)
		return false;
	jrecord_free(&rec);
	return true;
}

static int
modify_one(const struct opts *o, const char *name, const struct jparams *p)
{
	struct jrecord rec;
	struct jparams changes = { 0 };
	int r;

	if (registry_find(name, &rec) == -1) {
		warn_lib();
		return -1;
	}
	/* Only what the command line or config sets besides the name. */
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, "name") != 0 &&
		    strcmp(p->v[i].name, "jid") != 0)
			jparams_setl(&changes, p->v[i].name, &p->v[i].val,
			    p->v[i].file, p->v[i].line);
	r = jail_modify(&rec, &changes, o->flags);
	if (r == -1)
		warn_lib();
	jparams_free(&changes);
	jrecord_free(&rec);
	return r;
}

/* What the chosen operation does to one jail with its parameters. */
static int
act(const struct opts *o, const char *name, const struct jparams *p,
    int *statusp)
{
	const char *n = name ? name : jparams_str(p, "name");
	bool exists = n != NULL && running(n);

	if (o->op & OP_REMOVE) {
		if (exists && remove_one(o, n) == -1)
			return -1;
		if (!exists && !(o->op & OP_CREATE)) {
			fprintf(stderr, "jail: %s: not found\n", n ? n : "?");
			failures++;
			return -1;
		}
		exists = false;
	}
	if ((o->op & OP_MODIFY) && (exists || !(o->op & OP_CREATE))) {
		if (!exists) {
			fprintf(stderr, "jail: %s: not found\n", n ? n : "?");
			failures++;
			return -1;
		}
		return modify_one(o, n, p);
	}
	if (o->op & OP_CREATE)
		return create_one(o, p, statusp);
	return 0;
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
	if (jconf_resolve(&conf, name, &cmdline, &resolved) == -1)
		errx(1, "%s", gerr_msg());
	if ((o->op & (OP_MODIFY | OP_REMOVE)) && !(o->op & OP_CREATE) &&
	    name == NULL && jparams_str(&resolved, "jid") != NULL)
		name = jparams_str(&resolved, "jid");
	(void)act(o, name, &resolved, &status);
	jparams_free(&resolved);
	jparams_free(&cmdline);
	jconf_free(&conf);
	strlist_clear(&names);
	return failures ? 1 : status;
}

/* jail path hostname ip command ...: the form older than jail.conf. */
static int
old_style(struct opts *o, int argc, char **argv)
{
	struct jparams cmdline = { 0 }, resolved = { 0 };
	struct jconf conf = { 0 };
	struct strlist cmd = { 0 };
	int status = 0;

	if (argc < 4 || argv[0][0] != '/')
		errx(1, "no -c or -m, so this must be an old-style command.\n"
		    "But it doesn't look like one.");
	jparams_set(&cmdline, "path", argv[0], false, NULL, 0);
	jparams_set(&cmdline, "host.hostname", argv[1], false, NULL, 0);
	if (argv[2][0] != '\0')
		jparams_set(&cmdline, strchr(argv[2], ':') ? "ip6.addr" :
		    "ip4.addr", argv[2], false, NULL, 0);
	for (int i = 3; i < argc; i++)
		strlist_add(&cmd, argv[i]);
	jparams_setl(&cmdline, "command", &cmd, NULL, 0);
	strlist_clear(&cmd);
	add_forced(&cmdline, &o->forced);
	if (jconf_resolve(&conf, NULL, &cmdline, &resolved) == -1)
		errx(1, "%s", gerr_msg());
	o->op = OP_CREATE;
	o->flags |= JF_QUIET;
	(void)act(o, NULL, &resolved, &status);
	jparams_free(&resolved);
	jparams_free(&cmdline);
	return failures ? 1 : status;
}

/*
 * jail -c/-r/-m [jail ...]: jails from the config file, in an order that
 * honours depend: a jail starts after what it depends on, and stops
 * before it.
 */
struct node {
	char		*name;
	struct jparams	 params;
	bool		 loaded, done, visiting;
};

struct plan {
	struct node	*v;
	size_t		 n;
	struct strlist	 order;
};

static struct node *
plan_add(struct plan *pl, const char *name)
{
	for (size_t i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].name, name) == 0)
			return &pl->v[i];
	pl->v = xrealloc(pl->v, pl->n + 1, sizeof(*pl->v));
	memset(&pl->v[pl->n], 0, sizeof(pl->v[0]));
	pl->v[pl->n].name = xstrdup(name);
	return &pl->v[pl->n++];
}

static int
plan_visit(struct plan *pl, const struct jconf *conf, const char *name)
{
	struct node *nd = plan_add(pl, name);
	const struct jparam *dep;
	struct strlist deps = { 0 };
	size_t idx = (size_t)(nd - pl->v);

	if (nd->done)
		return 0;
	if (nd->visiting) {
		fprintf(stderr, "jail: %s: dependency loop\n", name);
		return -1;
	}
	nd->visiting = true;
	if (jconf_resolve(conf, name, &(struct jparams){ 0 }, &nd->params) == -1) {
		warn_lib();
		return -1;
	}
	pl->v[idx].loaded = true;
	if ((dep = jparams_find(&pl->v[idx].params, "depend")) != NULL)
		strlist_copy(&deps, &dep->val);
	for (size_t i = 0; i < deps.n; i++)
		if (plan_visit(pl, conf, deps.v[i]) == -1) {
			strlist_clear(&deps);
			return -1;
		}
	strlist_clear(&deps);
	pl->v[idx].visiting = false;
	pl->v[idx].done = true;
	strlist_add(&pl->order, name);
	return 0;
}

static void
plan_free(struct plan *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		free(pl->v[i].name);
		jparams_free(&pl->v[i].params);
	}
	free(pl->v);
	strlist_clear(&pl->order);
}

static int
remove_all_running(const struct opts *o)
{
	struct jrecord *recs;
	size_t n;
	int lock;

	if ((lock = registry_lock()) == -1)
		errx(1, "%s", gerr_msg());
	if (registry_settle(&recs, &n) == -1)
		errx(1, "%s", gerr_msg());
	registry_unlock(lock);
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

static int
config_mode(struct opts *o, int argc, char **argv)
{
	struct jconf conf = { 0 };
	struct strlist names = { 0 };
	struct plan pl = { 0 };
	bool remove = (o->op & OP_REMOVE) && !(o->op & OP_CREATE);

	if (argc == 1 && strcmp(argv[0], "*") == 0) {
		if (remove)
			return remove_all_running(o);
		argc = 0;
	}
	for (int i = 0; i < argc; i++)
		strlist_add(&names, argv[i]);
	if (jconf_load(&conf, o->conf, &names) == -1)
		errx(1, "%s", gerr_msg());
	if (argc == 0)
		jconf_names(&conf, &names);
	for (size_t i = 0; i < names.n; i++) {
		/* A running jail the config does not know can still go. */
		if (remove && !jconf_has_jail(&conf, names.v[i])) {
			(void)remove_one(o, names.v[i]);
			continue;
		}
		if (!remove && !jconf_has_jail(&conf, names.v[i])) {
			fprintf(stderr, "jail: %s: not found\n", names.v[i]);
			failures++;
			continue;
		}
		if (plan_visit(&pl, &conf, names.v[i]) == -1)
			failures++;
	}
	if (remove) {
		for (size_t i = pl.order.n; i-- > 0; )
			if (running(pl.order.v[i]))
				(void)remove_one(o, pl.order.v[i]);
			else if (strlist_has(&names, pl.order.v[i])) {
				fprintf(stderr, "jail: %s: not found\n",
				    pl.order.v[i]);
				failures++;
			}
	} else {
		for (size_t i = 0; i < pl.order.n; i++) {
			struct node *nd = plan_add(&pl, pl.order.v[i]);
			const char *nm = pl.order.v[i];

			/* A dependency already running is left alone. */
			if (!strlist_has(&names, nm) && running(nm))
				continue;
			if ((o->op & OP_CREATE) && !(o->op & (OP_MODIFY | OP_REMOVE)) &&
			    running(nm)) {
				fprintf(stderr, "jail: %s: already exists\n", nm);
				failures++;
				continue;
			}
			add_forced(&nd->params, &o->forced);
			(void)act(o, nm, &nd->params, NULL);
		}
	}
	plan_free(&pl);
	strlist_clear(&names);
	jconf_free(&conf);
	return failures ? 1 : 0;
}

/* jail -e separator: the configured jails and their parameters. */
static int
exhibit(const struct opts *o)
{
	struct jconf conf = { 0 };
	struct strlist names = { 0 };

	if (jconf_load(&conf, o->conf, &names) == -1)
		errx(1, "%s", gerr_msg());
	jconf_names(&conf, &names);
	for (size_t i = 0; i < names.n; i++) {
		struct jparams p = { 0 };
		struct strlist words = { 0 };

		if (jconf_resolve(&conf, names.v[i], &(struct jparams){ 0 },
		    &p) == -1) {
			warn_lib();
			continue;
		}
		for (size_t j = 0; j < p.n; j++) {
			char *v = strlist_join(&p.v[j].val, ",");

			strlist_addn(&words, p.v[j].bare ? xstrdup(p.v[j].name) :
			    xasprintf("%s=%s", p.v[j].name, v));
			free(v);
		}
		char *line = strlist_join(&words, o->separator);

		printf("%s\n", line);
		free(line);
		strlist_clear(&words);
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
	if (argc > 0 && (argc > 1 || strchr(argv[0], '=') != NULL) &&
	    !(o.op == OP_REMOVE))
		return params_mode(&o, argc, argv);
	return config_mode(&o, argc, argv);
}
