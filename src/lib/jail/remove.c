/*
 * jail -r: the remove half of jail(8)'s state machine, and the recovery
 * that finishes what a killed command left.
 *
 *	record: state dying			under the registry lock
 *	exec.prestop (host), exec.stop (jail)
 *	SIGTERM to the jail's processes, stop.timeout for them to go
 *	SIGKILL to the init: the kernel ends the rest of the jail
 *	cgroups and other intents undone
 *	exec.poststop, exec.release (host)
 *	record deleted
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "../net/jailnet.h"

int
jrecord_spec(const struct jrecord *rec, struct jail_spec *spec)
{
	if (spec_from_params(spec, &rec->params) == -1)
		return -1;
	spec->jid = rec->jid;
	if (spec->name == NULL)
		spec->name = xstrdup(rec->name);
	/* a live jail is named in messages, as jail(8) names running ones */
	spec_set_label(spec, rec->name);
	return 0;
}

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

int
intent_undo(const struct jrecord *rec, const struct intent *it)
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
	if (jail_net_owns(it->kind))
		return jail_net_undo(rec, it);
	gerr_set("%s: unknown intent \"%s %s\" in the registry", rec->name,
	    it->kind, it->arg);
	return -1;
}

/*
 * SIGKILL the init and wait, at most secs, for it (and so, its pid
 * namespace, every process of the jail) to be gone.  Thawed first: a
 * frozen jail would otherwise never end.
 */
static int
kill_init(const struct jrecord *rec, int secs)
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

/* Waits under the registry lock are short: others wait for the lock. */
#define KILL_WAIT_LOCKED	2
#define KILL_WAIT		10

/*
 * Undo in reverse order of making.  A step that fails does not stop the
 * others (a jail must not keep its cgroups because one interface would
 * not go home): it stays in the record, saved as dying, for a later
 * command to try again, and jls -d shows it meanwhile.  A namespace pin
 * stays with an interface that could not be returned, since the next try
 * needs it.
 */
int
jail_teardown(struct jrecord *rec)
{
	struct intent *left = NULL;
	size_t nleft = 0;
	char *first = NULL;
	bool iface_failed = false;

	if (kill_init(rec, KILL_WAIT_LOCKED) == -1) {
		/* Nothing can be undone under a live init: try again later. */
		first = xstrdup(gerr_msg());
		rec->state = JS_DYING;
		(void)registry_save(rec);
		gerr_set("%s", first);
		free(first);
		return -1;
	}
	/* The jails made inside it went with its pid namespace. */
	registry_drop_children(rec->jailns);
	while (rec->nintents > 0) {
		struct intent it = rec->intents[--rec->nintents];
		bool needed = iface_failed && strcmp(it.kind, "netns") == 0;

		if (!needed && intent_undo(rec, &it) == 0) {
			free(it.kind);
			free(it.arg);
			continue;
		}
		if (!needed) {
			if (first == NULL)
				first = xstrdup(gerr_msg());
			iface_failed |= strcmp(it.kind, "iface") == 0;
		}
		left = xrealloc(left, nleft + 1, sizeof(*left));
		left[nleft++] = it;
	}
	if (nleft == 0)
		return registry_delete(rec->jid);
	/* Back in the order of making. */
	for (size_t i = 0; i < nleft; i++)
		rec->intents[i] = left[nleft - 1 - i];
	rec->nintents = nleft;
	free(left);
	rec->state = JS_DYING;
	(void)registry_save(rec);
	gerr_set("%s", first);
	free(first);
	return -1;
}

/* SIGTERM everything but the init; wait up to timeout for it to go. */
static void
terminate_processes(const struct jrecord *rec, int timeout)
{
	struct cgroup_set cg;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	pid_t *pids;
	size_t n;

	if (jrecord_cgroups(rec, &cg) == -1)
		return;
	/* What is frozen cannot hear SIGTERM. */
	cgroup_thaw(&cg);
	for (int round = 0; ; round++) {
		size_t others = 0;

		if (cg.n == 0 || cgroup_pids(&cg, &pids, &n) == -1)
			break;
		for (size_t i = 0; i < n; i++) {
			if (pids[i] == rec->init_pid)
				continue;
			others++;
			if (round == 0)
				kill(pids[i], SIGTERM);
		}
		free(pids);
		if (others == 0 || round >= timeout * 50)
			break;
		nanosleep(&tick, NULL);
	}
	cgroup_set_free(&cg);
}

static int
mark_dying(struct jrecord *rec)
{
	int lock = registry_lock(), r;
	struct jrecord cur = { 0 };

	if (lock == -1)
		return -1;
	/* Someone may have removed it since we looked it up. */
	if (registry_load(rec->jid, &cur) == -1 || cur.state != JS_ALIVE ||
	    cur.init_pid != rec->init_pid) {
		jrecord_free(&cur);
		registry_unlock(lock);
		gerr_set("%s: not found", rec->name);
		return -1;
	}
	jrecord_free(&cur);
	rec->state = JS_DYING;
	self_identity(&rec->owner_pid, &rec->owner_start);
	r = registry_save(rec);
	registry_unlock(lock);
	return r;
}

int
jail_remove(struct jrecord *rec, int flags)
{
	struct jail_spec spec;
	int consolefd = -1, r = 0, lock;
	char *err = NULL;

	if (jrecord_spec(rec, &spec) == -1)
		return -1;
	if (mark_dying(rec) == -1) {
		spec_free(&spec);
		return -1;
	}
	if (!(flags & JF_NOHOOKS)) {
		/* A log the jail spoiled does not keep it from going. */
		if (spec.exec_consolelog != NULL &&
		    (consolefd = consolelog_open(&spec)) == -1)
			warnx("%s", gerr_msg());
	}
	if (!(flags & (JF_NOHOOKS | JF_ENDED))) {
		if (hooks_run(&spec, rec, HOOK_PRESTOP, flags, consolefd) == -1 ||
		    hooks_run(&spec, rec, HOOK_STOP, flags, consolefd) == -1)
			err = xstrdup(gerr_msg());	/* jail(8) goes on */
		terminate_processes(rec, spec.stop_timeout);
	}
	/* The long wait, without the lock: we own the record (dying). */
	(void)kill_init(rec, KILL_WAIT);
	if ((lock = registry_lock()) == -1 || jail_teardown(rec) == -1) {
		free(err);
		err = xstrdup(gerr_msg());
		r = -1;
	}
	registry_unlock(lock);
	if (r == 0 && !(flags & JF_NOHOOKS) &&
	    (hooks_run(&spec, rec, HOOK_POSTSTOP, flags, consolefd) == -1 ||
	    hooks_run(&spec, rec, HOOK_RELEASE, flags, consolefd) == -1)) {
		free(err);
		err = xstrdup(gerr_msg());
	}
	if (consolefd >= 0)
		close(consolefd);
	spec_free(&spec);
	if (err != NULL) {
		gerr_set("%s", err);
		free(err);
		return -1;
	}
	if (!(flags & JF_QUIET))
		printf("%s: removed\n", rec->name);
	return 0;
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

int
registry_settle(struct jrecord **recsp, size_t *np)
{
	struct jrecord *recs;
	size_t n, kept = 0;

	if (registry_load_all_sweep(&recs, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* One that cannot be undone yet stays, dying: listed by
		 * jls -d, its jid not given to another jail. */
		if (settled(&recs[i]) || jail_teardown(&recs[i]) == -1) {
			recs[kept++] = recs[i];
			continue;
		}
		jrecord_free(&recs[i]);
	}
	if (recsp != NULL) {
		*recsp = recs;
		*np = kept;
	} else
		jrecords_free(recs, kept);
	return 0;
}

void
registry_recover(void)
{
	(void)registry_settle(NULL, NULL);
}
