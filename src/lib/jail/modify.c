/*
 * jail -m: change a live jail.  The record is the authority for what a
 * process entering the jail gets, so allow.*, securelevel and the like
 * take effect for every process that enters afterwards; processes
 * already running keep the restrictions they were given (Linux cannot
 * take a capability or a seccomp rule back from a running process, and
 * cannot give one either).  What Linux can change at once is changed:
 * the hostname and domain name, and persist.  What the jail was built
 * with (the table's PF_CREATE: namespaces, device policy, address
 * filter, sealing) cannot change while it runs.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

static int
set_uts(const struct jrecord *rec, int pidfd, const char *host,
    const char *domain)
{
	pid_t pid;
	int status;

	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		return -1;
	}
	if (pid == 0) {
		if (setns(pidfd, CLONE_NEWUSER | CLONE_NEWUTS) == -1)
			_exit(1);
		if (host != NULL && sethostname(host, strlen(host)) == -1)
			_exit(1);
		if (domain != NULL && setdomainname(domain, strlen(domain)) == -1)
			_exit(1);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		gerr_set("%s: cannot set host.hostname", rec->name);
		return -1;
	}
	return 0;
}

/*
 * The value a parameter has in a jail's list: what was set, else the
 * table's default; booleans as "1" or "0", jailsys values by name.
 */
static char *
effective(const struct jparams *l, const struct paramdef *d)
{
	const char *v;

	if (d->type == PT_BOOL)
		return xstrdup(jparams_bool(l, d->name) ? "1" : "0");
	if (d->type == PT_JAILSYS)
		return xstrdup(param_jailsys_name(jparams_jailsys(l, d->name)));
	if ((v = jparams_str(l, d->name)) == NULL)
		v = param_default(l, d->name);
	return xstrdup(v != NULL ? v : "");
}

/*
 * What jail -m looks at: the kernel's parameters, by the table.
 * jail(8)'s own (mount.*, exec.*, depend...) describe how the jail was
 * made and is to be removed; they are neither compared nor changed, as
 * on FreeBSD where jail(8) never hands them to the kernel.
 */
static const struct paramdef *
kernel_param(const struct jparam *p)
{
	const struct paramdef *d;

	if (p->name[0] == '$' || strcmp(p->name, "jid") == 0 ||
	    (d = param_lookup(p->name)) == NULL || (d->flags & PF_CONFONLY))
		return NULL;
	return d;
}

/* The first create-only parameter the changes would give a new value. */
static const char *
create_only_change(const struct jrecord *rec, const struct jparams *changes)
{
	struct jparams after = { 0 };
	const char *changed = NULL;

	jparams_copy(&after, &rec->params);
	for (size_t i = 0; i < changes->n; i++)
		jparams_setl(&after, changes->v[i].name, &changes->v[i].val,
		    NULL, 0);
	for (size_t i = 0; i < changes->n && changed == NULL; i++) {
		const struct paramdef *d = kernel_param(&changes->v[i]);
		char *was, *now;

		if (d == NULL || !(d->flags & PF_CREATE))
			continue;
		was = effective(&rec->params, d);
		now = effective(&after, d);
		if (strcmp(was, now) != 0)
			changed = d->name;
		free(was);
		free(now);
	}
	jparams_free(&after);
	return changed;
}

bool
jail_modify_needs_restart(const struct jrecord *rec,
    const struct jparams *changes)
{
	return create_only_change(rec, changes) != NULL;
}

static int
check_changes(const struct jrecord *rec, const struct jparams *changes)
{
	const char *fixed = create_only_change(rec, changes);
	const struct jparam *level = jparams_find(changes, "securelevel");

	/* The one check of a value: the record holds checked values only. */
	for (size_t i = 0; i < changes->n; i++)
		if (jparam_check(&changes->v[i]) == -1) {
			gerr_prefix("%s: ", rec->name);
			return -1;
		}
	if (fixed != NULL) {
		gerr_set("%s: %s cannot be changed after creation",
		    rec->name, fixed);
		return -1;
	}
	if (level != NULL && level->val.n == 1 &&
	    atoi(level->val.v[0]) < jparams_int(&rec->params, "securelevel")) {
		gerr_set("%s: securelevel: cannot be lowered", rec->name);
		return -1;
	}
	return 0;
}

int
jail_modify(struct jrecord *rec, const struct jparams *changes, int flags)
{
	struct jail_spec spec;
	struct reaper rp = { .go = -1 };
	char *old_name AUTO_FREE = NULL;
	int lock, pidfd, r = -1;

	if (check_changes(rec, changes) == -1)
		return -1;
	if ((pidfd = proc_alive(rec->init_pid, rec->init_start)) == -1) {
		gerr_set("%s: not found", rec->name);
		return -1;
	}
	for (size_t i = 0; i < changes->n; i++) {
		const struct jparam *p = &changes->v[i];

		if (kernel_param(p) == NULL)
			continue;
		jparams_setl(&rec->params, p->name, &p->val, p->file, p->line);
		if (p->bare)
			jparams_find(&rec->params, p->name)->bare = true;
	}
	if (jrecord_spec(rec, &spec) == -1)
		goto out;
	if ((jparams_find(changes, "host.hostname") ||
	    jparams_find(changes, "host.domainname")) &&
	    set_uts(rec, pidfd, spec.hostname, spec.domainname) == -1)
		goto out_spec;
	if (jparams_find(changes, "name") != NULL) {
		old_name = rec->name;
		rec->name = xstrdup(spec.name);
	}
	/* Let go of, it ends with its last process: someone must be there. */
	if (jparams_find(changes, "persist") != NULL && !spec.persist) {
		if (jail_reaper_start(rec, &rp) == -1)
			goto out_spec;
		rec->owner_pid = rp.pid;
		rec->owner_start = rp.start;
	}
	if ((lock = registry_lock()) == -1)
		goto out_spec;
	r = registry_save(rec);
	if (r == 0 && old_name != NULL)
		registry_renamed(rec, old_name);
	registry_unlock(lock);
	if (r == 0 && jparams_find(changes, "persist") != NULL)
		r = init_set_persist(pidfd, spec.persist);
	jail_reaper_go(&rp, r == 0);
	if (r == 0 && !(flags & JF_QUIET))
		gnote("%s: updated", rec->name);
out_spec:
	jail_reaper_go(&rp, false);
	spec_free(&spec);
out:
	close(pidfd);
	return r;
}
