/*
 * Live usage of jails from the kernel, with no daemon: rctl's usage of
 * each running jail (its cgroups and processes).
 *	gaol top [-d seconds] [-n count] [target]	refreshing table
 *	gaol stat [target]				one table
 *	gaol metrics					Prometheus text
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gaol.h"
#include "jail/jail.h"
#include "state/registry.h"
#include "rctl/rctl.h"

struct jusage {
	char	*name;
	int	 jid;
	bool	 up;
	int64_t	 cpu_ns;	/* -1: unknown */
	int	 pcpu;		/* over the sampling interval; -1: none */
	int64_t	 oom_kills;	/* -1: unknown */
	int64_t	 u[R_NRES];
};

/* The jails to show: target's, or every running one and gaol's. */
static void
usage_names(const char *target, struct strlist *names)
{
	struct jrecord *recs;
	size_t n;

	if (target != NULL) {
		target_or_fail(target, 0, names);
		return;
	}
	target_resolve("ALL", 0, names);	/* none made is not an error */
	if (registry_load_all(&recs, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (jrecord_is_jail(&recs[i]) &&
			    !strlist_has(names, recs[i].name))
				strlist_add(names, recs[i].name);
		jrecords_free(recs, n);
	}
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/*
 * Usage of each jail; with ms > 0, cpu % over that many milliseconds
 * (one sleep for them all).
 */
static struct jusage *
usage_sample(const struct strlist *names, long ms)
{
	struct jusage *v = xcalloc(names->n + 1, sizeof(*v));
	struct rjail *rj = xcalloc(names->n + 1, sizeof(*rj));
	struct timespec t0, t1;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < names->n; i++) {
		v[i].name = names->v[i];
		v[i].cpu_ns = -1;
		v[i].pcpu = -1;
		v[i].oom_kills = -1;
		if (rjail_find(names->v[i], &rj[i]) == -1)
			continue;
		v[i].up = true;
		v[i].jid = rj[i].jid;
		v[i].cpu_ns = rctl_cpu_ns(&rj[i]);
	}
	if (ms > 0)
		sleep_ms(ms);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (size_t i = 0; i < names->n; i++) {
		struct jrecord rec;
		int64_t cpu;

		if (!v[i].up)
			continue;
		cpu = rctl_cpu_ns(&rj[i]);
		if (ms > 0 && cpu >= 0 && v[i].cpu_ns >= 0)
			v[i].pcpu = (int)((double)(cpu - v[i].cpu_ns) / 1e9 /
			    secs * 100 + 0.5);
		v[i].cpu_ns = cpu;
		(void)rctl_usage_now(&rj[i], v[i].u);
		if (registry_find(names->v[i], &rec) == 0) {
			v[i].oom_kills = jail_oom_kills(&rec);
			jrecord_free(&rec);
		}
		rjail_free(&rj[i]);
	}
	free(rj);
	return v;
}

static void
table(const struct jusage *v, size_t n, bool all)
{
	printf("%5s %-16s %5s %7s %7s %6s %7s\n", "JID", "NAME", "CPU%",
	    "MEMORY", "SWAP", "PROCS", "THREADS");
	for (size_t i = 0; i < n; i++) {
		char mem[16], swap[16];

		if (!v[i].up) {
			if (all)
				printf("%5s %-16s %5s\n", "-", v[i].name,
				    "down");
			continue;
		}
		humanize(v[i].u[R_MEMORYUSE], mem, sizeof(mem));
		humanize(v[i].u[R_SWAPUSE], swap, sizeof(swap));
		printf("%5d %-16s %5d %7s %7s %6lld %7lld\n", v[i].jid,
		    v[i].name, v[i].pcpu < 0 ? 0 : v[i].pcpu, mem, swap,
		    (long long)v[i].u[R_MAXPROC], (long long)v[i].u[R_NTHR]);
	}
}

static int
run_top(int argc, char **argv)
{
	struct strlist names = { 0 };
	bool tty = isatty(STDOUT_FILENO);
	long ms = 2000, count = tty ? 0 : 1;
	char *end;
	int c;

	while ((c = verb_getopt(&verb_top, argc, argv, "d:n:")) != -1) {
		if (c == 'd') {
			double d = strtod(optarg, &end);

			if (*end != '\0' || d < 0.1 || d > 3600) {
				fprintf(stderr, "gaol: -d %s: not a delay in "
				    "seconds (0.1 to 3600)\n", optarg);
				return 1;
			}
			ms = (long)(d * 1000);
		} else {
			count = strtol(optarg, &end, 10);
			if (*end != '\0' || count < 1) {
				fprintf(stderr, "gaol: -n %s: not a count\n",
				    optarg);
				return 1;
			}
		}
	}
	if (argc - optind > 1)
		usage_error(&verb_top);
	for (long k = 0; count == 0 || k < count; k++) {
		struct jusage *v;

		strlist_clear(&names);
		usage_names(optind < argc ? argv[optind] : NULL, &names);
		v = usage_sample(&names, ms);
		if (tty)
			fputs("\033[H\033[2J", stdout);	/* home, clear */
		else if (k > 0)
			putchar('\n');
		table(v, names.n, false);
		fflush(stdout);
		free(v);
	}
	strlist_clear(&names);
	return 0;
}

static int
run_stat(int argc, char **argv)
{
	struct strlist names = { 0 };
	struct jusage *v;

	while (verb_getopt(&verb_stat, argc, argv, "") != -1)
		;
	if (argc - optind > 1)
		usage_error(&verb_stat);
	usage_names(optind < argc ? argv[optind] : NULL, &names);
	v = usage_sample(&names, 250);
	table(v, names.n, true);
	free(v);
	strlist_clear(&names);
	return 0;
}

/* A label value as the exposition format quotes it. */
static void
label(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			printf("\\%c", *s);
		else if (*s == '\n')
			printf("\\n");
		else
			putchar(*s);
	}
}

static void
metric(const char *name, const char *type, const char *help,
    const struct jusage *v, size_t n, int64_t (*val)(const struct jusage *),
    bool up_only)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	for (size_t i = 0; i < n; i++) {
		int64_t x;

		if (up_only && !v[i].up)
			continue;
		if ((x = val(&v[i])) < 0)
			continue;
		printf("%s{jail=\"", name);
		label(v[i].name);
		printf("\"} %lld\n", (long long)x);
	}
}

static int64_t m_up(const struct jusage *j) { return j->up; }
static int64_t m_jid(const struct jusage *j) { return j->jid; }
static int64_t m_mem(const struct jusage *j) { return j->u[R_MEMORYUSE]; }
static int64_t m_swap(const struct jusage *j) { return j->u[R_SWAPUSE]; }
static int64_t m_procs(const struct jusage *j) { return j->u[R_MAXPROC]; }
static int64_t m_thr(const struct jusage *j) { return j->u[R_NTHR]; }
static int64_t m_files(const struct jusage *j) { return j->u[R_OPENFILES]; }
static int64_t m_ooms(const struct jusage *j) { return j->oom_kills; }

static int
run_metrics(int argc, char **argv)
{
	struct strlist names = { 0 };
	struct jusage *v;

	while (verb_getopt(&verb_metrics, argc, argv, "") != -1)
		;
	if (optind != argc)
		usage_error(&verb_metrics);
	usage_names(NULL, &names);
	v = usage_sample(&names, 0);
	metric("gaol_jail_up", "gauge", "Whether the jail runs.", v, names.n,
	    m_up, false);
	metric("gaol_jail_id", "gauge", "The jail's jid.", v, names.n, m_jid,
	    true);
	printf("# HELP gaol_jail_cpu_seconds_total CPU time the jail's "
	    "processes used.\n# TYPE gaol_jail_cpu_seconds_total counter\n");
	for (size_t i = 0; i < names.n; i++) {
		if (!v[i].up || v[i].cpu_ns < 0)
			continue;
		printf("gaol_jail_cpu_seconds_total{jail=\"");
		label(v[i].name);
		printf("\"} %lld.%09lld\n", (long long)(v[i].cpu_ns / 1000000000),
		    (long long)(v[i].cpu_ns % 1000000000));
	}
	metric("gaol_jail_memory_bytes", "gauge", "Memory the jail uses "
	    "(rctl memoryuse).", v, names.n, m_mem, true);
	metric("gaol_jail_swap_bytes", "gauge", "Swap the jail uses.", v,
	    names.n, m_swap, true);
	metric("gaol_jail_processes", "gauge", "Processes in the jail.", v,
	    names.n, m_procs, true);
	metric("gaol_jail_threads", "gauge", "Threads in the jail.", v,
	    names.n, m_thr, true);
	metric("gaol_jail_open_files", "gauge", "Files the jail's processes "
	    "have open.", v, names.n, m_files, true);
	metric("gaol_jail_oom_kills_total", "counter", "Processes the jail's "
	    "memory limit killed.", v, names.n, m_ooms, true);
	free(v);
	strlist_clear(&names);
	return 0;
}

const struct verb verb_top = {
	.name = "top", .args = "[-d seconds] [-n count] [target]",
	.run = run_top,
	.help =
	    "Live usage of the running jails (of target, default all): cpu %\n"
	    "over the delay, memory, swap, processes and threads, read from\n"
	    "the kernel (rctl usage) with no daemon.  On a terminal the table\n"
	    "refreshes in place until interrupted; piped, it prints plain\n"
	    "tables, one (or count) of them.\n"
	    "  -d seconds  between refreshes (default 2)\n"
	    "  -n count    refreshes before exiting\n",
};

const struct verb verb_stat = {
	.name = "stat", .args = "[target]", .run = run_stat,
	.help =
	    "One table of usage, as top prints it, cpu % over a quarter\n"
	    "second; a jail of target that is not running shows as down.\n",
};

const struct verb verb_metrics = {
	.name = "metrics", .args = "", .run = run_metrics,
	.help =
	    "Every jail's usage in the Prometheus text format, for a node\n"
	    "exporter's textfile collector or a timer:\n"
	    "  gaol_jail_up, gaol_jail_id, gaol_jail_cpu_seconds_total,\n"
	    "  gaol_jail_memory_bytes, gaol_jail_swap_bytes,\n"
	    "  gaol_jail_processes, gaol_jail_threads, gaol_jail_open_files,\n"
	    "  gaol_jail_oom_kills_total; each labelled jail=\"name\".\n",
};
