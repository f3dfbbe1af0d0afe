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

int
jrecord_spec(const struct jrecord *rec, struct jail_spec *spec)
{
	if (spec_from_record(spec, &rec->params, &rec->net) == -1)
		return -1;
	spec->jid = rec->jid;
	if (spec->name == NULL)
		spec->name = xstrdup(rec->name);
	/* a live jail is named in messages, as jail(8) names running ones */
	spec_set_label(spec, rec->name);
	return 0;
}

/* The wait for the init without the registry lock. */
#define KILL_WAIT	10

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
			gwarn("%s", gerr_msg());
	}
	if (!(flags & (JF_NOHOOKS | JF_ENDED))) {
		if (hooks_run(&spec, rec, HOOK_PRESTOP, flags, consolefd) == -1 ||
		    hooks_run(&spec, rec, HOOK_STOP, flags, consolefd) == -1)
			err = gerr_save();	/* jail(8) goes on */
		terminate_processes(rec, spec.stop_timeout);
	}
	/* The long wait, without the lock: we own the record (dying). */
	(void)jrecord_kill_init(rec, KILL_WAIT);
	if ((lock = registry_lock()) == -1 || jail_teardown(rec) == -1) {
		free(err);
		err = gerr_save();
		r = -1;
	}
	registry_unlock(lock);
	if (r == 0 && !(flags & JF_NOHOOKS) &&
	    (hooks_run(&spec, rec, HOOK_POSTSTOP, flags, consolefd) == -1 ||
	    hooks_run(&spec, rec, HOOK_RELEASE, flags, consolefd) == -1)) {
		free(err);
		err = gerr_save();
	}
	if (consolefd >= 0)
		close(consolefd);
	spec_free(&spec);
	if (err != NULL) {
		gerr_restore(err);
		return -1;
	}
	if (!(flags & JF_QUIET))
		gnote("%s: removed", rec->name);
	return 0;
}
