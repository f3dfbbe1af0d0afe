/*
 * rctl(8): add, remove, list resource limit rules of jails and show
 * their usage.  The rules of a running jail are kept under
 * $GAOL_RUNDIR/rctl while it runs; rctl.conf(5), and the rules added
 * for a jail while it was not running, apply at each start.  The exit
 * status is the number of arguments that failed, as FreeBSD's.
 */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "jail/jail.h"
#include "state/registry.h"
#include "out/out.h"
#include "rctl/rctl.h"
#include "util/util.h"

static const char usage_text[] =
    "usage: rctl [-h] [-n] [-a rule | -l filter | -r filter | -u filter | "
    "filter] ...\n";

static const char help_text[] =
    "  -a rule    add a rule: subject:subject-id:resource:action=amount[/per]\n"
    "  -l filter  show the rules that apply to the subject\n"
    "  -r filter  remove the rules that match\n"
    "  -u filter  show the resource usage of a jail (jail:NAME or jail:JID)\n"
    "  -h         human-readable amounts (2G)\n"
    "  -n         numeric ids\n"
    "Without an option, the rules that match the filters (all: none given).\n";

static bool hflag;

/*
 * Recovery first: of the jails the rules name when each names one
 * (jail:ID...), otherwise of every jail, and the rule files of those
 * gone.  Nothing to recover, and nothing to create, without a registry.
 */
static void
settle(char **rules, int n)
{
	int lock = registry_lock_existing();
	struct strlist ids = { 0 };
	struct jrecord rec;
	struct rrule f;

	if (lock == -1)
		return;
	for (int i = 0; i < n && (size_t)i == ids.n; i++)
		if (rrule_parse(rules[i], &f, true) == 0) {
			if (f.subject == RS_JAIL && f.id != NULL && *f.id)
				strlist_add(&ids, f.id);
			rrule_free(&f);
		}
	if (ids.n == (size_t)n)
		for (size_t i = 0; i < ids.n; i++) {
			if (jail_settle_one(ids.v[i], true, &rec) == 0)
				jrecord_free(&rec);
		}
	else {
		jail_recover();
		rctl_store_sweep();
	}
	strlist_clear(&ids);
	registry_unlock(lock);
}

static void
print_rule(const struct rrule *r)
{
	char *s = rrule_format(r, hflag);

	printf("%s\n", s);
	free(s);
}

/* The rules kept for jails that are not running, matching the filter. */
static void
show_waiting(const struct rrule *f, const struct rjail *js, size_t n)
{
	struct rruleset w;

	/* no lock: listing creates nothing, and the file is replaced whole */
	(void)rctl_waiting_load(&w);
	for (size_t i = 0; i < w.n; i++) {
		bool live = false;

		for (size_t k = 0; k < n && !live; k++)
			live = strcmp(w.v[i].id, js[k].name) == 0;
		if (!live && rrule_matches(f, &w.v[i]))
			print_rule(&w.v[i]);
	}
	rruleset_free(&w);
}

static int
show_rules(const char *arg)
{
	struct rrule f;
	struct rjail *js;
	size_t n;

	if (rrule_parse(arg, &f, true) == -1) {
		warnx("malformed rule '%s': %s", arg, gerr_msg());
		return 1;
	}
	if (rjails_named(&f, &js, &n) == -1) {
		warnx("failed to show rules for '%s': %s", arg, gerr_msg());
		rrule_free(&f);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct rstore st;
		struct rrule jf = f;

		if (!rrule_names_jail(&f, &js[i]))
			continue;
		jf.id = NULL;	/* matched by name or jid above */
		rctl_store_load(js[i].jid, js[i].init, js[i].start, &st);
		for (size_t k = 0; k < st.rules.n; k++)
			if (rrule_matches(&jf, &st.rules.v[k]))
				print_rule(&st.rules.v[k]);
		rruleset_free(&st.rules);
	}
	show_waiting(&f, js, n);
	rjails_free(js, n);
	rrule_free(&f);
	return 0;
}

static const char *
subject_refusal(int subject)
{
	switch (subject) {
	case RS_USER:
		return "user rules are not supported on Linux: there is no "
		    "per-user accounting gaol can own (limit the user's "
		    "systemd slice instead)";
	case RS_LOGINCLASS:
		return "loginclass rules are not supported: Linux has no "
		    "login classes";
	default:
		return NULL;
	}
}

/* process:PID:resource:deny=N for an rlimit resource: prlimit(2) now. */
static int
add_process_rule(const char *arg, const struct rrule *r)
{
	const struct rresource *d = &rresources[r->resource];
	long long pid;
	struct rlimit rl;

	if (d->kind != K_RLIMIT || r->action != RA_DENY) {
		warnx("failed to add rule '%s': process rules are supported "
		    "for deny on the per-process resources only (datasize, "
		    "stacksize, coredumpsize, memorylocked, openfiles, "
		    "vmemoryuse)", arg);
		return 1;
	}
	if (parse_int(r->id, &pid) == -1 || pid <= 0) {
		warnx("malformed rule '%s': invalid pid '%s'", arg, r->id);
		return 1;
	}
	if (prlimit((pid_t)pid, d->rlimit, NULL, &rl) == -1) {
		warn("failed to add rule '%s'", arg);
		return 1;
	}
	if (rl.rlim_max > (rlim_t)r->amount)
		rl.rlim_max = (rlim_t)r->amount;
	if (rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	if (prlimit((pid_t)pid, d->rlimit, &rl, NULL) == -1) {
		warn("failed to add rule '%s'", arg);
		return 1;
	}
	return 0;
}

static int
add_rule(const char *arg)
{
	struct rrule r;
	struct rjail j;
	const char *why;
	int ret = 0;

	if (rrule_parse(arg, &r, false) == -1) {
		warnx("malformed rule '%s': %s", arg, gerr_msg());
		return 1;
	}
	if ((why = subject_refusal(r.subject)) != NULL) {
		warnx("failed to add rule '%s': %s", arg, why);
		rrule_free(&r);
		return 1;
	}
	if (r.subject == RS_PROCESS) {
		ret = add_process_rule(arg, &r);
		rrule_free(&r);
		return ret;
	}
	if (rjail_find(r.id, &j) == -1) {
		/* FreeBSD keeps a rule for a jail by name until it runs. */
		if (r.subject == RS_JAIL && !registry_running(r.id) &&
		    rctl_waiting_change(&r, NULL, NULL) == 0) {
			rrule_free(&r);
			return 0;
		}
		warnx("failed to add rule '%s': %s", arg, gerr_msg());
		rrule_free(&r);
		return 1;
	}
	free(r.id);
	r.id = xstrdup(j.name);
	if (rctl_change(&j, &r, NULL, NULL) == -1) {
		warnx("failed to add rule '%s': %s", arg, gerr_msg());
		ret = 1;
	}
	rjail_free(&j);
	rrule_free(&r);
	return ret;
}

static int
remove_rules(const char *arg)
{
	struct rrule f;
	struct rjail *js;
	size_t n;
	int removed = 0, ret = 0;
	const char *why;

	if (rrule_parse(arg, &f, true) == -1) {
		warnx("malformed rule '%s': %s", arg, gerr_msg());
		return 1;
	}
	if ((why = subject_refusal(f.subject)) != NULL ||
	    f.subject == RS_PROCESS) {
		warnx("failed to remove rule '%s': %s", arg, why ? why :
		    "process rules are not kept (they are rlimits)");
		rrule_free(&f);
		return 1;
	}
	if (rjails_named(&f, &js, &n) == -1 ||
	    rctl_waiting_change(NULL, &f, &removed) == -1) {
		warnx("failed to remove rule '%s': %s", arg, gerr_msg());
		rjails_free(js, n);
		rrule_free(&f);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!rrule_names_jail(&f, &js[i]))
			continue;
		if (rctl_change(&js[i], NULL, &f, &removed) == -1) {
			warnx("failed to remove rule '%s': %s", arg, gerr_msg());
			ret = 1;
		}
	}
	if (ret == 0 && removed == 0) {
		/* The kernel's ESRCH, as FreeBSD's rctl shows it. */
		warnx("failed to remove rule '%s': No such process", arg);
		ret = 1;
	}
	rjails_free(js, n);
	rrule_free(&f);
	return ret;
}

static int
show_usage(const char *arg)
{
	struct rrule f;
	struct rjail j;
	int64_t u[R_NRES];

	if (rrule_parse(arg, &f, true) == -1) {
		warnx("malformed rule '%s': %s", arg, gerr_msg());
		return 1;
	}
	if (f.subject != RS_JAIL || f.id == NULL) {
		warnx("failed to show resource consumption for '%s': %s", arg,
		    f.subject == RS_JAIL || f.subject == RS_ANY ?
		    "name a jail: jail:NAME" : "usage is kept per jail only");
		rrule_free(&f);
		return 1;
	}
	if (rjail_find(f.id, &j) == -1) {
		warnx("failed to show resource consumption for '%s': %s", arg,
		    gerr_msg());
		rrule_free(&f);
		return 1;
	}
	rctl_usage(&j, u);
	for (int i = 0; i < R_NRES; i++) {
		if (f.resource != -1 && f.resource != i)
			continue;
		if (hflag) {
			char buf[32];

			humanize(u[i], buf, sizeof(buf));
			printf("%s=%s\n", rresources[i].name, buf);
		} else
			printf("%s=%" PRId64 "\n", rresources[i].name, u[i]);
	}
	rjail_free(&j);
	rrule_free(&f);
	return 0;
}

int
main(int argc, char **argv)
{
	int c, mode = 0, errors = 0;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		out_usage(usage_text, help_text, true);
	while ((c = getopt(argc, argv, "ahlnru")) != -1) {
		switch (c) {
		case 'a': case 'l': case 'r': case 'u':
			if (mode != 0 && mode != c)
				errx(1, "at most one of -a, -l, -r, or -u may "
				    "be specified");
			mode = c;
			break;
		case 'h':
			hflag = true;
			break;
		case 'n':
			break;	/* jail rules name jails; ids stay as written */
		default:
			out_usage(usage_text, help_text, false);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		if (mode != 0)
			out_usage(usage_text, help_text, false);
		return show_rules("::") != 0;
	}
	settle(argv, argc);
	for (int i = 0; i < argc; i++) {
		switch (mode) {
		case 'a': errors += add_rule(argv[i]); break;
		case 'r': errors += remove_rules(argv[i]); break;
		case 'u': errors += show_usage(argv[i]); break;
		default: errors += show_rules(argv[i]); break;
		}
	}
	/* jail(8)'s sibling counts: 255 at most, so that no count is 0 */
	return errors > 255 ? 255 : errors;
}
