/*
 * jail -m: change a live jail.  The record is the authority for what a
 * process entering the jail gets, so allow.*, securelevel and the like
 * take effect for every process that enters afterwards; processes
 * already running keep the restrictions they were given (Linux cannot
 * take a capability or a seccomp rule back from a running process, and
 * cannot give one either).  What Linux can change at once is changed:
 * the hostname and domain name, and persist.
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

/* Fixed at creation: Linux cannot move a running jail to another of these. */
static const char *const fixed_params[] = {
	"jid", "path", "vnet", "mount.devfs", "mount.procfs", "mount.fstab",
	"mount", "enforce_statfs",
	/* Its namespaces and locked masks are made at creation. */
	"children.max", NULL
};

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

static int
check_change(const struct jrecord *rec, const struct jparam *p)
{
	const struct jparam *old = jparams_find(&rec->params, p->name);

	if (old != NULL && old->bare == p->bare && old->val.n == p->val.n) {
		bool same = true;

		for (size_t i = 0; i < p->val.n && same; i++)
			same = strcmp(old->val.v[i], p->val.v[i]) == 0;
		if (same)
			return 0;	/* jail -cm with the config unchanged */
	}
	for (int i = 0; fixed_params[i]; i++)
		if (strcmp(p->name, fixed_params[i]) == 0) {
			gerr_set("%s: %s cannot be changed after creation",
			    rec->name, p->name);
			return -1;
		}
	if (strcmp(p->name, "securelevel") == 0 && old != NULL &&
	    old->val.n == 1 && p->val.n == 1 &&
	    atoi(p->val.v[0]) < atoi(old->val.v[0])) {
		gerr_set("%s: securelevel: cannot be lowered", rec->name);
		return -1;
	}
	return 0;
}

int
jail_modify(struct jrecord *rec, const struct jparams *changes, int flags)
{
	struct jail_spec spec;
	int lock, pidfd, r = -1;

	for (size_t i = 0; i < changes->n; i++)
		if (check_change(rec, &changes->v[i]) == -1)
			return -1;
	if ((pidfd = proc_alive(rec->init_pid, rec->init_start)) == -1) {
		gerr_set("%s: not found", rec->name);
		return -1;
	}
	for (size_t i = 0; i < changes->n; i++) {
		const struct jparam *p = &changes->v[i];

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
		free(rec->name);
		rec->name = xstrdup(spec.name);
	}
	if ((lock = registry_lock()) == -1)
		goto out_spec;
	r = registry_save(rec);
	registry_unlock(lock);
	if (r == 0 && jparams_find(changes, "persist") != NULL)
		r = init_set_persist(pidfd, spec.persist);
	if (r == 0 && !(flags & JF_QUIET))
		printf("%s: updated\n", rec->name);
out_spec:
	spec_free(&spec);
out:
	close(pidfd);
	return r;
}
