/*
 * gaol limits TARGET resource[:action] amount | TARGET remove resource
 * | TARGET list | TARGET clear: a jail's rctl rules, kept in its part of
 * rctl.conf, SYSCONFDIR/rctl.conf.d/NAME.conf (read with rctl.conf at
 * every start, whoever starts the jail), and applied at once to a
 * running jail through rctl(8).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "state/registry.h"
#include "rctl/rctl.h"

char *
limits_path(const char *name)
{
	return xasprintf("%s/rctl.conf.d/%s.conf", gaol_sysconfdir(), name);
}

/* The rules of the jail's part, one a line as written. */
static void
part_load(const char *name, struct strlist *rules)
{
	char *p = limits_path(name);

	lines_load(p, rules);
	free(p);
}

static int
part_save(const char *name, const struct strlist *rules)
{
	char *p = limits_path(name), *dir, *head;
	int r;

	dir = xasprintf("%s/rctl.conf.d", gaol_sysconfdir());
	head = xasprintf("# %s's rctl rules: gaol limits %s changes them.\n",
	    name, name);
	r = rules->n > 0 ? mkdir_p(dir, 0755) : 0;
	if (r == 0)
		r = lines_save(p, head, rules);
	free(head);
	free(dir);
	free(p);
	return r;
}

/* rctl(8) -a or -r with one argument; its failure message is its own. */
static int
rctl_run(const char *opt, const char *arg)
{
	char *prog = gaol_sibling("rctl");
	char *argv[] = { prog, (char *)opt, (char *)arg, NULL };
	int s = run_argv(argv, -1, -1);

	free(prog);
	if (s != 0) {
		gerr_set("rctl %s %s failed", opt, arg);
		return -1;
	}
	return 0;
}

/* "jail:NAME:RES:ACTION" of a rule, the part two rules share to clash. */
static char *
rule_key(const char *rule)
{
	const char *eq = strchr(rule, '=');

	return xstrndup(rule, eq ? (size_t)(eq - rule) : strlen(rule));
}

struct change {
	const char	*res;		/* resource[:action] */
	const char	*amount;	/* NULL: remove res */
};

static int
limits_set(const char *name, void *arg)
{
	const struct change *ch = arg;
	struct strlist rules = { 0 }, keep = { 0 };
	struct rrule r;
	char *rule = NULL, *key;
	bool running = registry_running(name);
	int res = 0;

	if (ch->amount != NULL) {
		rule = xasprintf("jail:%s:%s%s=%s", name, ch->res,
		    strchr(ch->res, ':') ? "" : ":deny", ch->amount);
		if (rrule_parse(rule, &r, false) == -1) {
			char *msg = xstrdup(gerr_msg());

			gerr_set("%s: %s %s: %s", name, ch->res, ch->amount,
			    msg);
			free(msg);
			free(rule);
			return -1;
		}
		rrule_free(&r);
		key = rule_key(rule);
	} else
		key = xasprintf("jail:%s:%s%s", name, ch->res,
		    strchr(ch->res, ':') ? "" : ":");
	part_load(name, &rules);
	for (size_t i = 0; i < rules.n; i++) {
		bool same = strncmp(rules.v[i], key, strlen(key)) == 0;

		if (!same)
			strlist_add(&keep, rules.v[i]);
		else if (running) {
			/* the live rule it replaces */
			char *old = rule_key(rules.v[i]);

			(void)rctl_run("-r", old);
			free(old);
		}
	}
	if (rule != NULL)
		strlist_add(&keep, rule);
	if (part_save(name, &keep) == -1 ||
	    (rule != NULL && running && rctl_run("-a", rule) == -1))
		res = -1;
	strlist_clear(&rules);
	strlist_clear(&keep);
	free(key);
	free(rule);
	return res;
}

static int
limits_clear(const char *name, void *arg)
{
	struct strlist none = { 0 };
	char *filter;
	int r = 0;

	(void)arg;
	if (registry_running(name)) {
		filter = xasprintf("jail:%s", name);
		r = rctl_run("-r", filter);
		free(filter);
	}
	return r == -1 ? -1 : part_save(name, &none);
}

static int
limits_list(const char *name, void *arg)
{
	struct strlist rules = { 0 };

	(void)arg;
	part_load(name, &rules);
	for (size_t i = 0; i < rules.n; i++)
		printf("%s\n", rules.v[i]);
	strlist_clear(&rules);
	return 0;
}

static int
run_limits(int argc, char **argv)
{
	struct change ch = { 0 };

	while (verb_getopt(&verb_limits, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return target_each(argv[0], 0, limits_list, NULL);
	if (argc == 2 && strcmp(argv[1], "clear") == 0)
		return target_each(argv[0], 0, limits_clear, NULL);
	if (argc == 3 && strcmp(argv[1], "remove") == 0) {
		ch.res = argv[2];
		return target_each(argv[0], 0, limits_set, &ch);
	}
	if (argc != 3 || strcmp(argv[1], "list") == 0 ||
	    strcmp(argv[1], "clear") == 0)
		usage_error(&verb_limits);
	ch.res = argv[1];
	ch.amount = argv[2];
	return target_each(argv[0], 0, limits_set, &ch);
}

const struct verb verb_limits = {
	.name = "limits", .args = "target resource[:action] amount | "
	    "target remove resource[:action] | target list | target clear",
	.run = run_limits,
	.help =
	    "A jail's rctl(8) rules: `gaol limits web memoryuse 512M` is\n"
	    "jail:web:memoryuse:deny=512M (deny unless an action is given;\n"
	    "a rule for the same resource and action is replaced).  They are\n"
	    "kept in SYSCONFDIR/rctl.conf.d/name.conf, which every start of\n"
	    "the jail reads with rctl.conf, and applied at once to a running\n"
	    "jail.  remove drops a resource's rules, clear all of them, list\n"
	    "prints them.\n",
};
