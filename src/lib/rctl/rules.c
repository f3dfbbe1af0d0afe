/*
 * rctl rules: the resource table, parsing and printing in FreeBSD's
 * grammar, filters.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "../util/util.h"
#include "rctl.h"

/* FreeBSD's flags (sys/kern/kern_racct.c); the kind is Linux's means. */
const struct rresource rresources[R_NRES] = {
	[R_CPUTIME] = { "cputime", 0, K_WATCH, -1, "seconds" },
	[R_DATASIZE] = { "datasize", RF_DENIABLE, K_RLIMIT, RLIMIT_DATA, "bytes" },
	[R_STACKSIZE] = { "stacksize", RF_DENIABLE, K_RLIMIT, RLIMIT_STACK, "bytes" },
	[R_COREDUMPSIZE] = { "coredumpsize", RF_DENIABLE, K_RLIMIT, RLIMIT_CORE, "bytes" },
	[R_MEMORYUSE] = { "memoryuse", RF_DENIABLE, K_MEMORY, -1, "bytes" },
	[R_MEMORYLOCKED] = { "memorylocked", RF_DENIABLE, K_RLIMIT, RLIMIT_MEMLOCK, "bytes" },
	[R_MAXPROC] = { "maxproc", RF_DENIABLE, K_PIDS, -1, "processes" },
	[R_OPENFILES] = { "openfiles", RF_DENIABLE, K_RLIMIT, RLIMIT_NOFILE, "descriptors" },
	[R_VMEMORYUSE] = { "vmemoryuse", RF_DENIABLE, K_RLIMIT, RLIMIT_AS, "bytes" },
	[R_PSEUDOTERMINALS] = { "pseudoterminals", RF_DENIABLE | RF_SLOPPY, K_PTY, -1, "ptys" },
	[R_SWAPUSE] = { "swapuse", RF_DENIABLE | RF_SLOPPY, K_SWAP, -1, "bytes" },
	[R_NTHR] = { "nthr", RF_DENIABLE, K_PIDS, -1, "threads" },
	[R_MSGQQUEUED] = { "msgqqueued", RF_DENIABLE | RF_SLOPPY, K_IPC, -1, "messages" },
	[R_MSGQSIZE] = { "msgqsize", RF_DENIABLE | RF_SLOPPY, K_IPC, -1, "bytes" },
	[R_NMSGQ] = { "nmsgq", RF_DENIABLE | RF_SLOPPY, K_IPC, -1, "queues" },
	[R_NSEM] = { "nsem", RF_DENIABLE | RF_SLOPPY, K_IPC, -1, "semaphores" },
	[R_NSEMOP] = { "nsemop", RF_DENIABLE, K_IPC, -1, "operations" },
	[R_NSHM] = { "nshm", RF_DENIABLE | RF_SLOPPY, K_IPC, -1, "segments" },
	[R_SHMSIZE] = { "shmsize", RF_DENIABLE | RF_SLOPPY, K_IPC, -1, "bytes" },
	[R_WALLCLOCK] = { "wallclock", 0, K_WATCH, -1, "seconds" },
	[R_PCPU] = { "pcpu", RF_DENIABLE | RF_DECAYING, K_CPU, -1, "percent" },
	[R_READBPS] = { "readbps", RF_DECAYING, K_IO, -1, "bytes/s" },
	[R_WRITEBPS] = { "writebps", RF_DECAYING, K_IO, -1, "bytes/s" },
	[R_READIOPS] = { "readiops", RF_DECAYING, K_IO, -1, "operations/s" },
	[R_WRITEIOPS] = { "writeiops", RF_DECAYING, K_IO, -1, "operations/s" },
};

static const char *const subject_names[RS_NSUBJECTS] = {
	[RS_PROCESS] = "process", [RS_USER] = "user",
	[RS_LOGINCLASS] = "loginclass", [RS_JAIL] = "jail",
};

/* FreeBSD's signal names (sys/kern/kern_rctl.c), as Linux numbers them. */
static const struct {
	const char	*name;
	int		 sig;
} signames[] = {
	{ "sighup", SIGHUP }, { "sigint", SIGINT }, { "sigquit", SIGQUIT },
	{ "sigill", SIGILL }, { "sigtrap", SIGTRAP }, { "sigabrt", SIGABRT },
	{ "sigiot", SIGIOT }, { "sigfpe", SIGFPE }, { "sigkill", SIGKILL },
	{ "sigbus", SIGBUS }, { "sigsegv", SIGSEGV }, { "sigsys", SIGSYS },
	{ "sigpipe", SIGPIPE }, { "sigalrm", SIGALRM }, { "sigterm", SIGTERM },
	{ "sigurg", SIGURG }, { "sigstop", SIGSTOP }, { "sigtstp", SIGTSTP },
	{ "sigcont", SIGCONT }, { "sigchld", SIGCHLD }, { "sigttin", SIGTTIN },
	{ "sigttou", SIGTTOU }, { "sigio", SIGIO }, { "sigxcpu", SIGXCPU },
	{ "sigxfsz", SIGXFSZ }, { "sigvtalrm", SIGVTALRM },
	{ "sigprof", SIGPROF }, { "sigwinch", SIGWINCH },
	{ "siginfo", SIGPWR }, { "sigusr1", SIGUSR1 }, { "sigusr2", SIGUSR2 },
};
#define NSIGNAMES (sizeof(signames) / sizeof(signames[0]))

int
rresource_lookup(const char *name)
{
	for (int i = 0; i < R_NRES; i++)
		if (strcasecmp(name, rresources[i].name) == 0)
			return i;
	return -1;
}

static int
subject_lookup(const char *s)
{
	static const struct { const char *alias; enum rsubject s; } aliases[] = {
		{ "p", RS_PROCESS }, { "u", RS_USER }, { "l", RS_LOGINCLASS },
		{ "c", RS_LOGINCLASS }, { "class", RS_LOGINCLASS },
		{ "j", RS_JAIL },
	};

	for (int i = 0; i < RS_NSUBJECTS; i++)
		if (strcasecmp(s, subject_names[i]) == 0)
			return i;
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(s, aliases[i].alias) == 0)
			return aliases[i].s;
	return -1;
}

static int
action_lookup(const char *s, int *sig)
{
	static const char *const names[] = {
		[RA_DENY] = "deny", [RA_LOG] = "log", [RA_DEVCTL] = "devctl",
		[RA_THROTTLE] = "throttle",
	};

	*sig = 0;
	for (int i = 0; i <= RA_THROTTLE; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	for (size_t i = 0; i < NSIGNAMES; i++)
		if (strcasecmp(s, signames[i].name) == 0) {
			*sig = signames[i].sig;
			return RA_SIG;
		}
	return -1;
}

const char *
raction_name(const struct rrule *r, char *buf, size_t len)
{
	static const char *const names[] = { "deny", "log", "devctl", "throttle" };

	if (r->action != RA_SIG)
		return r->action >= 0 ? names[r->action] : "";
	for (size_t i = 0; i < NSIGNAMES; i++)
		if (signames[i].sig == r->sig) {
			snprintf(buf, len, "%s", signames[i].name);
			return buf;
		}
	snprintf(buf, len, "sig%d", r->sig);
	return buf;
}

/* expand_number(3): digits and one of k m g t p e, powers of 1024. */
static int
parse_amount(const char *s, int64_t *out)
{
	static const char units[] = "kmgtpe";
	char *end;
	uint64_t v;
	const char *u;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		if (end[1] != '\0' || (u = strchr(units,
		    tolower((unsigned char)*end))) == NULL)
			return -1;
		for (int i = 0; i <= u - units; i++) {
			if (v > INT64_MAX / 1024)
				return -1;
			v *= 1024;
		}
	}
	if (v > INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

void
rrule_free(struct rrule *r)
{
	free(r->id);
	r->id = NULL;
}

static int
fail(char *copy, struct rrule *r, const char *fmt, const char *arg)
{
	gerr_set(fmt, arg);
	free(copy);
	rrule_free(r);
	errno = EINVAL;
	return -1;
}

int
rrule_parse(const char *text, struct rrule *r, bool filter)
{
	char *copy = xstrdup(text), *rest = copy;
	char *subject, *id, *res, *act, *amount, *per;

	memset(r, 0, sizeof(*r));
	r->subject = RS_ANY;
	r->resource = r->action = -1;
	r->amount = -1;
	r->per = RS_ANY;

	subject = strsep(&rest, ":");
	id = strsep(&rest, ":");
	res = strsep(&rest, ":");
	act = rest ? strsep(&rest, "=") : NULL;
	amount = rest ? strsep(&rest, "/") : NULL;
	per = rest;

	if (id == NULL && (!filter || *subject != '\0'))
		return fail(copy, r, "missing subject", NULL);
	if (*subject != '\0' && (r->subject = subject_lookup(subject)) == -1)
		return fail(copy, r, "unknown subject '%s'", subject);
	if (id != NULL && *id != '\0')
		r->id = xstrdup(id);
	if (res != NULL && *res != '\0' &&
	    (r->resource = rresource_lookup(res)) == -1)
		return fail(copy, r, "unknown resource '%s'", res);
	if (act != NULL && *act != '\0' &&
	    (r->action = action_lookup(act, &r->sig)) == -1)
		return fail(copy, r, "unknown action '%s'", act);
	if (amount != NULL && *amount != '\0' &&
	    parse_amount(amount, &r->amount) == -1)
		return fail(copy, r, "invalid numeric value '%s'", amount);
	if (per != NULL && *per != '\0' && (r->per = subject_lookup(per)) == -1)
		return fail(copy, r, "unknown per '%s'", per);
	/* "/jail" on a jail rule is the default: a filter says it the same. */
	if (r->per == r->subject)
		r->per = RS_ANY;
	if (filter) {
		free(copy);
		return 0;
	}
	if (r->subject == RS_ANY)
		return fail(copy, r, "missing subject", NULL);
	if (r->id == NULL)
		return fail(copy, r, "missing subject id", NULL);
	if (r->resource == -1)
		return fail(copy, r, "missing resource", NULL);
	if (r->action == -1)
		return fail(copy, r, "missing action", NULL);
	if (r->amount == -1)
		return fail(copy, r, "missing amount", NULL);
	{
		const struct rresource *d = &rresources[r->resource];

		/* kern_rctl.c's rctl_rule_add: pcpu and memoryuse are
		 * deniable though racct does not mark them so. */
		if (r->action == RA_DENY && !(d->flags & RF_DENIABLE))
			return fail(copy, r, "%s cannot be denied (use a "
			    "signal, log or devctl action)", d->name);
		if (r->action == RA_THROTTLE &&
		    (!(d->flags & RF_DECAYING) || r->resource == R_PCPU))
			return fail(copy, r, "%s cannot be throttled (only "
			    "readbps, writebps, readiops and writeiops)",
			    d->name);
		if (r->per == RS_PROCESS && (d->flags & RF_SLOPPY))
			return fail(copy, r, "%s cannot be limited per "
			    "process", d->name);
	}
	free(copy);
	return 0;
}

char *
rrule_format(const struct rrule *r, bool human)
{
	char amount[32], abuf[16];
	const char *act = raction_name(r, abuf, sizeof(abuf));

	if (human)
		humanize(r->amount, amount, sizeof(amount));
	else
		snprintf(amount, sizeof(amount), "%" PRId64, r->amount);
	if (r->per != RS_ANY && r->per != r->subject)
		return xasprintf("%s:%s:%s:%s=%s/%s", subject_names[r->subject],
		    r->id, rresources[r->resource].name, act, amount,
		    subject_names[r->per]);
	return xasprintf("%s:%s:%s:%s=%s", subject_names[r->subject], r->id,
	    rresources[r->resource].name, act, amount);
}

bool
rrule_matches(const struct rrule *f, const struct rrule *r)
{
	return (f->subject == RS_ANY || f->subject == r->subject) &&
	    (f->id == NULL || strcmp(f->id, r->id) == 0) &&
	    (f->resource == -1 || f->resource == r->resource) &&
	    (f->action == -1 || (f->action == r->action &&
	    (f->action != RA_SIG || f->sig == r->sig))) &&
	    (f->amount == -1 || f->amount == r->amount) &&
	    (f->per == RS_ANY || f->per == r->per);
}

/* Same subject, resource, action and per: a new amount replaces it. */
bool
rrule_same(const struct rrule *a, const struct rrule *b)
{
	return a->subject == b->subject && strcmp(a->id, b->id) == 0 &&
	    a->resource == b->resource && a->action == b->action &&
	    a->sig == b->sig && a->per == b->per;
}

void
rruleset_add(struct rruleset *s, const struct rrule *r)
{
	for (size_t i = 0; i < s->n; i++)
		if (rrule_same(&s->v[i], r)) {
			s->v[i].amount = r->amount;
			return;
		}
	s->v = xrealloc(s->v, s->n + 1, sizeof(*s->v));
	s->v[s->n] = *r;
	s->v[s->n].id = r->id ? xstrdup(r->id) : NULL;
	s->n++;
}

void
rruleset_free(struct rruleset *s)
{
	for (size_t i = 0; i < s->n; i++)
		rrule_free(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

int64_t
rruleset_deny(const struct rruleset *s, int res)
{
	int64_t least = -1;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].resource == res && s->v[i].action == RA_DENY &&
		    (least == -1 || s->v[i].amount < least))
			least = s->v[i].amount;
	return least;
}
