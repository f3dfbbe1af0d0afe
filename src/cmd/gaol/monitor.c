/*
 * gaol monitor: Bastille's monitor.  Each jail may list services to keep
 * running and commands that must succeed (--check), in
 * DATADIR/jails/NAME/monitor, one a line ("service NAME", "check CMD").
 * `gaol monitor TARGET` looks at each running jail of the target:
 * a service that is not running is started again, a failed check
 * restarts the jail's services, a jail at or over one of its rctl deny
 * limits (or whose processes its memory limit killed) is unhealthy;
 * each restart and each unhealthy finding is logged in
 * LOGDIR/monitor.log.  `gaol monitor enable` installs a systemd timer
 * that runs `gaol monitor ALL` (every gaol_monitor_interval of gaol.conf,
 * default 5min); disable removes it; status says whether it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gaol.h"
#include "jail/jail.h"
#include "rcconf/rcconf.h"
#include "rctl/rctl.h"
#include "state/registry.h"
#include "store/store.h"

#define TIMER_UNIT	"gaol-monitor.timer"
#define SERVICE_UNIT	"gaol-monitor.service"

static char *
monitor_path(const char *name)
{
	return xasprintf("%s/jails/%s/monitor", gaol_datadir(), name);
}

/* The jail's monitor lines ("service x", "check cmd"); others dropped. */
static void
monitor_load(const char *name, struct strlist *out)
{
	struct strlist all = { 0 };
	char *p = monitor_path(name);

	lines_load(p, &all);
	for (size_t i = 0; i < all.n; i++)
		if (strncmp(all.v[i], "service ", 8) == 0 ||
		    strncmp(all.v[i], "check ", 6) == 0)
			strlist_add(out, all.v[i]);
	strlist_clear(&all);
	free(p);
}

static int
monitor_save(const char *name, const struct strlist *lines)
{
	char *p = monitor_path(name);
	int r = lines_save(p, "# gaol monitor: \"service NAME\" or "
	    "\"check COMMAND\", one a line\n", lines);

	free(p);
	return r;
}

/* One line to LOGDIR/monitor.log, stamped, and to stdout. */
static void GAOL_PRINTF(1, 2)
monitor_log(const char *fmt, ...)
{
	char *path = xasprintf("%s/monitor.log", gaol_logdir()), *msg, stamp[32];
	time_t now = time(NULL);
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL) {
		free(path);
		return;
	}
	printf("%s\n", msg);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	mkdir_p(gaol_logdir(), 0755);
	if ((f = fopen(path, "ae")) != NULL) {
		fprintf(f, "%s %s\n", stamp, msg);
		fclose(f);
	} else
		fprintf(stderr, "gaol: %s: %s\n", path, strerror(errno));
	free(msg);
	free(path);
}

/* argv in the jail with its output discarded; its status or -1. */
static int
quiet_exec(const char *name, char *const argv[])
{
	struct enter_opts eo = { .out_fd = -1 };
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC), st;

	eo.out_fd = null;
	st = gaol_exec(name, "gaol monitor", &eo, argv);
	if (null >= 0)
		close(null);
	return st;
}

/*
 * Why the jail is over its limits, or NULL: a deny rule whose resource
 * is used up to its amount, or processes killed by its memory limit.
 */
static char *
over_limits(const char *name)
{
	struct rjail rj;
	struct rstore st = { 0 };
	struct jrecord rec;
	int64_t usage[R_NRES], kills;
	char *why = NULL;

	if (registry_find(name, &rec) == 0) {
		kills = jail_oom_kills(&rec);
		jrecord_free(&rec);
		if (kills > 0)
			return xasprintf("its memory limit killed %lld "
			    "process%s", (long long)kills, kills == 1 ? "" :
			    "es");
	}
	if (rjail_find(name, &rj) == -1)
		return NULL;
	if (rctl_store_load(rj.jid, rj.init, rj.start, &st) == 0 &&
	    rctl_usage(&rj, usage) == 0)
		for (size_t i = 0; why == NULL && i < st.rules.n; i++) {
			const struct rrule *r = &st.rules.v[i];

			if (r->action != RA_DENY || r->resource < 0 ||
			    r->amount <= 0 || usage[r->resource] < r->amount)
				continue;
			why = xasprintf("%s %lld at its limit %lld",
			    rresources[r->resource].name,
			    (long long)usage[r->resource],
			    (long long)r->amount);
		}
	rruleset_free(&st.rules);
	rjail_free(&rj);
	return why;
}

/*
 * The jail's services: those not running started (all restarted when
 * restart); -1 when one would not start.
 */
static int
services(const char *name, const struct strlist *lines, bool restart)
{
	int r = 0;

	for (size_t i = 0; i < lines->n; i++) {
		const char *svc = lines->v[i] + 8;
		char *status[] = { "service", (char *)svc, "status", NULL };
		char *start[] = { "service", (char *)svc,
		    restart ? "restart" : "start", NULL };

		if (strncmp(lines->v[i], "service ", 8) != 0 ||
		    (!restart && quiet_exec(name, status) == 0))
			continue;
		if (quiet_exec(name, start) == 0)
			monitor_log("%s: %s %s: restarted", name, svc,
			    restart ? "after a failed check" :
			    "was not running");
		else {
			monitor_log("%s: unhealthy: %s would not start",
			    name, svc);
			r = -1;
		}
	}
	return r;
}

/* Look at one running jail; -1 when it is unhealthy. */
static int
check_jail(const char *name)
{
	struct strlist lines = { 0 };
	bool unhealthy = false, check_failed = false;
	char *why;

	monitor_load(name, &lines);
	/* Services first, so that the checks see them running. */
	if (services(name, &lines, false) == -1)
		unhealthy = true;
	for (size_t i = 0; i < lines.n; i++) {
		const char *l = lines.v[i];

		if (strncmp(l, "check ", 6) == 0) {
			char *argv[] = { "/bin/sh", "-c", (char *)l + 6, NULL };
			int st = quiet_exec(name, argv);

			if (st != 0) {
				monitor_log("%s: unhealthy: check '%s' failed "
				    "(exit %d)", name, l + 6, st);
				unhealthy = check_failed = true;
			}
		}
	}
	/* A failed check: the services may be up yet broken. */
	if (check_failed)
		(void)services(name, &lines, true);
	if ((why = over_limits(name)) != NULL) {
		monitor_log("%s: unhealthy: %s", name, why);
		free(why);
		unhealthy = true;
	}
	if (!unhealthy)
		printf("%s: healthy\n", name);
	strlist_clear(&lines);
	return unhealthy ? -1 : 0;
}

/* ---- the timer ---- */

static char *
unit_dir(void)
{
	const char *d = getenv("GAOL_SYSTEMD_DIR");

	return xstrdup(d != NULL && *d != '\0' ? d : "/etc/systemd/system");
}

static int
systemctl(const char *a, const char *b, const char *c)
{
	const char *sc = getenv("GAOL_SYSTEMCTL");
	char *const argv[] = { (char *)(sc != NULL && *sc != '\0' ? sc :
	    "systemctl"), (char *)a, (char *)b, (char *)c, NULL };

	return run_argv(argv, -1, -1);
}

/*
 * gaol's absolute path, from PATH: this process runs from a detached
 * read-only copy of itself (selfexe_protect), which has no path.
 */
static char *
gaol_in_path(void)
{
	const char *path = getenv("PATH");
	char *copy, *save, *dir, *found = NULL;

	copy = xstrdup(path != NULL ? path : "/usr/local/sbin:/usr/sbin");
	for (dir = strtok_r(copy, ":", &save); dir != NULL && found == NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/gaol", dir);

		if (dir[0] == '/' && access(p, X_OK) == 0)
			found = realpath(p, NULL);
		free(p);
	}
	free(copy);
	return found;
}

static int
timer_enable(void)
{
	char *dir = unit_dir(), *svc, *tmr, *text, *env = xstrdup(""), *self;
	char *interval = NULL, *conf;
	static const char *const vars[] = { "GAOL_SYSCONFDIR", "GAOL_DATADIR",
	    "GAOL_RUNDIR", "GAOL_LOGDIR", "GAOL_CGROUP", NULL };
	int r = -1;

	conf = xasprintf("%s/gaol/gaol.conf", gaol_sysconfdir());
	interval = rcconf_file_get(conf, "gaol_monitor_interval");
	free(conf);
	if ((self = gaol_in_path()) == NULL) {
		gerr_set("gaol is not in PATH: the timer could not run it");
		goto out;
	}
	/* The unit runs with the directories this command was given. */
	for (size_t i = 0; vars[i] != NULL; i++)
		if (getenv(vars[i]) != NULL) {
			char *e = xasprintf("%sEnvironment=\"%s=%s\"\n", env,
			    vars[i], getenv(vars[i]));

			free(env);
			env = e;
		}
	svc = xasprintf("%s/%s", dir, SERVICE_UNIT);
	tmr = xasprintf("%s/%s", dir, TIMER_UNIT);
	text = xasprintf("# written by gaol monitor enable\n[Unit]\n"
	    "Description=gaol monitor: restart the services jails should run\n"
	    "\n[Service]\nType=oneshot\n%sExecStart=%s monitor ALL\n", env,
	    self);
	if (mkdir_p(dir, 0755) == 0 &&
	    write_file_atomic(svc, text, strlen(text), 0644) == 0) {
		free(text);
		text = xasprintf("# written by gaol monitor enable\n[Unit]\n"
		    "Description=gaol monitor every %s\n\n[Timer]\n"
		    "OnBootSec=%s\nOnUnitActiveSec=%s\n\n[Install]\n"
		    "WantedBy=timers.target\n", interval ? interval : "5min",
		    interval ? interval : "5min", interval ? interval : "5min");
		if (write_file_atomic(tmr, text, strlen(text), 0644) == -1)
			;	/* the message says which file */
		else if (systemctl("daemon-reload", NULL, NULL) != 0)
			gerr_set("systemctl daemon-reload failed");
		else if (systemctl("enable", "--now", TIMER_UNIT) != 0)
			gerr_set("systemctl enable --now %s failed", TIMER_UNIT);
		else
			r = 0;
	}
	free(text);
	free(svc);
	free(tmr);
out:
	free(self);
	free(env);
	free(interval);
	free(dir);
	return r;
}

static int
timer_disable(void)
{
	char *dir = unit_dir(), *svc, *tmr;
	int r = 0;

	svc = xasprintf("%s/%s", dir, SERVICE_UNIT);
	tmr = xasprintf("%s/%s", dir, TIMER_UNIT);
	if (access(tmr, F_OK) == 0 &&
	    systemctl("disable", "--now", TIMER_UNIT) != 0) {
		gerr_set("systemctl disable --now %s failed", TIMER_UNIT);
		r = -1;
	}
	if (r == 0) {
		unlink(tmr);
		unlink(svc);
		(void)systemctl("daemon-reload", NULL, NULL);
	}
	free(svc);
	free(tmr);
	free(dir);
	return r;
}

static int
timer_status(void)
{
	char *dir = unit_dir(), *tmr = xasprintf("%s/%s", dir, TIMER_UNIT);
	int on = access(tmr, F_OK) == 0, active = 1;

	if (on)
		active = systemctl("is-active", "--quiet", TIMER_UNIT);
	printf("monitor: %s%s\n", on ? "enabled" : "disabled",
	    on ? (active == 0 ? ", the timer is active" :
	    ", but the timer is not active") : "");
	free(tmr);
	free(dir);
	return on && active == 0 ? 0 : 1;
}

/* ---- the lists ---- */

/* add|delete of services (a comma list) or of a check command. */
static int
change(const char *name, bool add, const char *check, const char *list)
{
	struct strlist lines = { 0 }, items = { 0 }, keep = { 0 };
	char *copy, *save, *w;
	struct sjail j;
	int r;

	if (store_jail_load(name, &j) == -1)
		return -1;
	sjail_free(&j);
	if (check != NULL)
		strlist_addn(&items, xasprintf("check %s", check));
	else {
		copy = xstrdup(list);
		for (w = strtok_r(copy, ", ", &save); w != NULL;
		    w = strtok_r(NULL, ", ", &save))
			strlist_addn(&items, xasprintf("service %s", w));
		free(copy);
	}
	monitor_load(name, &lines);
	for (size_t i = 0; i < lines.n; i++)
		if (add || !strlist_has(&items, lines.v[i]))
			strlist_add(&keep, lines.v[i]);
	for (size_t i = 0; add && i < items.n; i++)
		if (!strlist_has(&keep, items.v[i]))
			strlist_add(&keep, items.v[i]);
	r = monitor_save(name, &keep);
	strlist_clear(&lines);
	strlist_clear(&items);
	strlist_clear(&keep);
	return r;
}

static void
show(const char *name, const char *only)
{
	struct strlist lines = { 0 };

	monitor_load(name, &lines);
	for (size_t i = 0; i < lines.n; i++) {
		const char *l = lines.v[i];

		if (only != NULL) {
			if (strncmp(l, "service ", 8) == 0 &&
			    strcmp(l + 8, only) == 0)
				printf("%s\n", name);
		} else if (strncmp(l, "service ", 8) == 0)
			printf("%s: %s\n", name, l + 8);
		else
			printf("%s: --check '%s'\n", name, l + 6);
	}
	strlist_clear(&lines);
}

static int
run_monitor(int argc, char **argv)
{
	struct strlist jails = { 0 };
	const char *check = NULL;
	int c, failed = 0;

	while ((c = verb_getopt(&verb_monitor, argc, argv, "C:")) != -1)
		if (c == 'C')
			check = optarg;
	argc -= optind;
	argv += optind;
	/* --check may also follow the operands: TARGET add --check 'cmd'. */
	for (int i = 0; i < argc; i++) {
		int skip = 0;

		if (strcmp(argv[i], "--check") == 0 && i + 1 < argc) {
			check = argv[i + 1];
			skip = 2;
		} else if (strncmp(argv[i], "--check=", 8) == 0) {
			check = argv[i] + 8;
			skip = 1;
		}
		if (skip > 0) {
			memmove(&argv[i], &argv[i + skip],
			    (size_t)(argc - i - skip + 1) * sizeof(*argv));
			argc -= skip;
			i--;
		}
	}
	if (argc == 1 && check == NULL) {
		if (strcmp(argv[0], "enable") == 0) {
			if (timer_enable() == -1)
				lib_fail();
			printf("monitor: enabled (%s)\n", TIMER_UNIT);
			return 0;
		}
		if (strcmp(argv[0], "disable") == 0) {
			if (timer_disable() == -1)
				lib_fail();
			printf("monitor: disabled\n");
			return 0;
		}
		if (strcmp(argv[0], "status") == 0)
			return timer_status();
	}
	if (argc < 1)
		usage_error(&verb_monitor);
	target_or_fail(argv[0], 0, &jails);
	if (argc == 1 && check == NULL) {
		/* The check itself: running jails only. */
		for (size_t i = 0; i < jails.n; i++)
			if (registry_running(jails.v[i]) &&
			    check_jail(jails.v[i]) == -1)
				failed = 1;
	} else if ((argc == 2 || argc == 3) && strcmp(argv[1], "list") == 0 &&
	    check == NULL) {
		for (size_t i = 0; i < jails.n; i++)
			show(jails.v[i], argc == 3 ? argv[2] : NULL);
	} else if (argc >= 2 && (strcmp(argv[1], "add") == 0 ||
	    strcmp(argv[1], "delete") == 0) &&
	    ((check != NULL && argc == 2) || (check == NULL && argc == 3))) {
		for (size_t i = 0; i < jails.n; i++)
			if (change(jails.v[i], argv[1][0] == 'a', check,
			    argc == 3 ? argv[2] : NULL) == -1) {
				fprintf(stderr, "gaol: %s\n", gerr_msg());
				failed = 1;
			}
	} else
		usage_error(&verb_monitor);
	strlist_clear(&jails);
	return failed;
}

const struct verb verb_monitor = {
	.name = "monitor",
	.args = "enable|disable|status | target [add|delete svc[,svc...]] | "
	    "target add|delete --check 'command' | target list [svc]",
	.run = run_monitor, .enters = true,
	.help =
	    "Keep services running in jails.  Each jail's list (services,\n"
	    "and commands run in the jail that must succeed) is kept in\n"
	    "DATADIR/jails/name/monitor.  `gaol monitor target` looks at each\n"
	    "running jail: a listed service not running is started again, a\n"
	    "failed --check restarts the jail's listed services, and a jail at\n"
	    "or over an rctl deny limit (or whose processes its memory limit\n"
	    "killed) is unhealthy; each restart and finding is logged in\n"
	    "LOGDIR/monitor.log; exit 1 when a jail is unhealthy.\n"
	    "  enable   install and start a systemd timer running `gaol monitor\n"
	    "           ALL` every gaol_monitor_interval (gaol.conf; 5min)\n"
	    "  disable  stop and remove it;  status: whether it runs\n"
	    "  --check 'command'   with add/delete: a check, not a service\n"
	    "  GAOL_SYSTEMD_DIR (default /etc/systemd/system), GAOL_SYSTEMCTL\n",
};
