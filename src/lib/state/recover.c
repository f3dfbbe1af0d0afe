/*
 * Recovery: finishing what a killed command left.  A record whose
 * command is gone (creating, dying) or whose jail ended by itself with
 * no reaper is torn down here: its init killed, its intents undone in
 * reverse order of making, its record deleted.  The cgroup intents are
 * undone here; the kinds made by modules above the registry (net's
 * addresses, interfaces, namespaces, tables) by their owner, which the
 * caller passes in (the registry knows nothing of them).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../cgroup/cgroup.h"
#include "listing.h"
#include "registry.h"
#include "slots.h"

/* Waits under the registry lock are short: others wait for the lock. */
#define KILL_WAIT_LOCKED	2

int
jrecord_cgroups(const struct jrecord *rec, struct cgroup_set *cg)
{
	struct strlist paths = { 0 };
	int r;

	for (size_t i = 0; i < rec->nintents; i++) {
		const struct intent *it = &rec->intents[i];

		if (strcmp(it->kind, "cgroup") != 0)
			continue;
		if (it->arg[0] != '/') {
			strlist_clear(&paths);
			return cgroup_paths(it->arg, cg);
		}
		strlist_add(&paths, it->arg);
	}
	/* None (a jail made in a jail): nothing to look up, no /proc needed. */
	if (paths.n == 0) {
		memset(cg, 0, sizeof(*cg));
		return 0;
	}
	r = cgroup_set_from_paths(&paths, cg);
	strlist_clear(&paths);
	return r;
}

/* One cgroup intent: a whole path, or (older records) the leaf. */
static int
cgroup_intent(const char *arg, struct cgroup_set *cg)
{
	struct strlist one = { 0 };
	int r;

	if (arg[0] != '/')
		return cgroup_paths(arg, cg);
	strlist_add(&one, arg);
	r = cgroup_set_from_paths(&one, cg);
	strlist_clear(&one);
	return r;
}

static int
intent_undo(const struct jrecord *rec, const struct intent *it,
    const struct intent_owner *owner)
{
	if (strcmp(it->kind, "cgroup") == 0) {
		struct cgroup_set cg;
		int r;

		if (cgroup_intent(it->arg, &cg) == -1)
			return -1;
		r = cgroup_destroy(&cg);
		cgroup_set_free(&cg);
		return r;
	}
	if (owner != NULL && owner->owns(it->kind))
		return owner->undo(rec, it);
	gerr_set("%s: unknown intent \"%s %s\" in the registry", rec->name,
	    it->kind, it->arg);
	return -1;
}

/*
 * SIGKILL the init and wait, at most secs, for it (and so, its pid
 * namespace, every process of the jail) to be gone.  Thawed first: a
 * frozen jail would otherwise never end.
 */
int
jrecord_kill_init(const struct jrecord *rec, int secs)
{
	struct pollfd pfd = { .events = POLLIN };
	int fd = proc_alive(rec->init_pid, rec->init_start), r;
	struct cgroup_set cg;

	if (fd == -1)
		return 0;
	if (jrecord_cgroups(rec, &cg) == 0) {
		cgroup_thaw(&cg);
		cgroup_set_free(&cg);
	}
	syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	/* The pidfd turns readable when it has exited. */
	pfd.fd = fd;
	while ((r = poll(&pfd, 1, secs * 1000)) == -1 && errno == EINTR)
		;
	close(fd);
	if (r == 0) {
		gerr_set("%s: the jail's init (pid %d) did not exit within %d s",
		    rec->name, (int)rec->init_pid, secs);
		return -1;
	}
	return 0;
}

/*
 * Undo in reverse order of making.  A step that fails does not stop the
 * others (a jail must not keep its cgroups because one interface would
 * not go home): it stays in the record, saved as dying, for a later
 * command to try again, and jls -d shows it meanwhile.  A namespace pin
 * stays with an interface that could not be returned, since the next try
 * needs it.
 */
int
registry_teardown(struct jrecord *rec, const struct intent_owner *owner)
{
	struct intent *left = NULL;
	size_t nleft = 0;
	char *first = NULL;
	bool iface_failed = false;

	if (jrecord_kill_init(rec, KILL_WAIT_LOCKED) == -1) {
		/* Nothing can be undone under a live init: try again later. */
		first = gerr_save();
		rec->state = JS_DYING;
		(void)registry_save(rec);
		gerr_restore(first);
		return -1;
	}
	/* The jails made inside it went with its pid namespace. */
	registry_drop_children(rec->jailns);
	while (rec->nintents > 0) {
		struct intent it = rec->intents[--rec->nintents];
		bool needed = iface_failed && strcmp(it.kind, "netns") == 0;

		if (!needed && intent_undo(rec, &it, owner) == 0) {
			free(it.kind);
			free(it.arg);
			continue;
		}
		if (!needed) {
			if (first == NULL)
				first = gerr_save();
			iface_failed |= strcmp(it.kind, "iface") == 0;
		}
		left = xrealloc(left, nleft + 1, sizeof(*left));
		left[nleft++] = it;
	}
	if (nleft == 0)
		return registry_delete(rec);
	/* Back in the order of making. */
	for (size_t i = 0; i < nleft; i++)
		rec->intents[i] = left[nleft - 1 - i];
	rec->nintents = nleft;
	free(left);
	rec->state = JS_DYING;
	(void)registry_save(rec);
	gerr_restore(first);
	return -1;
}

/* Whether a record is settled: its command at work, or its jail alive. */
static bool
settled(const struct jrecord *r)
{
	switch (r->state) {
	case JS_CREATING:
	case JS_DYING:
		return proc_running(r->owner_pid, r->owner_start);
	case JS_ALIVE:
		/* A jail that ended by itself is its reaper's to clean. */
		return proc_running(r->init_pid, r->init_start) ||
		    (r->owner_pid > 0 &&
		    proc_running(r->owner_pid, r->owner_start));
	case JS_DEFUNCT:	/* unreadable: left to an administrator */
	case JS_NSTATES:
		break;
	}
	return r->unreadable;
}

/* Settle the records read: those torn down leave the array. */
static void
settle_records(struct jrecord *recs, size_t *np,
    const struct intent_owner *owner)
{
	size_t kept = 0;

	for (size_t i = 0; i < *np; i++) {
		/* One that cannot be undone yet stays, dying: listed by
		 * jls -d, its jid not given to another jail. */
		if (settled(&recs[i]) ||
		    registry_teardown(&recs[i], owner) == -1) {
			recs[kept++] = recs[i];
			continue;
		}
		jrecord_free(&recs[i]);
	}
	*np = kept;
}

int
registry_settle(struct jrecord **recsp, size_t *np,
    const struct intent_owner *owner)
{
	struct jrecord *recs;
	size_t n;

	if (registry_load_all_sweep(&recs, &n) == -1)
		return -1;
	settle_records(recs, &n, owner);
	if (recsp != NULL) {
		*recsp = recs;
		*np = n;
	} else
		jrecords_free(recs, n);
	return 0;
}

int
registry_settle_one(const char *arg, bool by_jid, struct jrecord *out,
    const struct intent_owner *owner)
{
	size_t n = 1;

	if ((by_jid ? registry_lookup(arg, out) :
	    registry_lookup_name(arg, out)) == -1)
		return -1;
	settle_records(out, &n, owner);
	if (n == 0) {
		gerr_set("%s: not found", arg);
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int
registry_settle_dependents(struct jrecord **recsp, size_t *np,
    const struct intent_owner *owner)
{
	if (registry_load_dependents(recsp, np) == -1)
		return -1;
	settle_records(*recsp, np, owner);
	return 0;
}

/*
 * The listed records settled: a live one whose init holds its word
 * costs nothing more; any other is asked of /proc, and one that must
 * be torn down is read whole from its file first (the listing keeps
 * no intents).
 */
int
registry_settle_listed(struct jrecord **recsp, size_t *np,
    const struct intent_owner *owner)
{
	struct jrecord *recs, whole;
	struct slots slots;
	size_t n, kept = 0;

	if (registry_load_listed_locked(&recs, &n) == -1)
		return -1;
	(void)slots_open(&slots);
	for (size_t i = 0; i < n; i++) {
		struct jrecord *r = &recs[i];
		int jid = r->jid;

		if ((r->state == JS_ALIVE && !r->unreadable &&
		    slot_held(&slots, r->jid)) || settled(r)) {
			recs[kept++] = *r;
			continue;
		}
		jrecord_free(r);
		if (registry_load_held(jid, &whole) == 1)
			continue;
		/* Read again: it may have settled meanwhile, or be unreadable. */
		if (settled(&whole) || registry_teardown(&whole, owner) == -1)
			recs[kept++] = whole;
		else
			jrecord_free(&whole);
	}
	slots_close(&slots);
	*recsp = recs;
	*np = kept;
	return 0;
}

void
registry_recover(const struct intent_owner *owner)
{
	(void)registry_settle(NULL, NULL, owner);
}
