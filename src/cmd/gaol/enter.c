/*
 * Commands in jails for the manager's verbs (cmd, console, pkg, service,
 * update): jexec's path through the library, logged in the same audit
 * log, and a jail killed by its memory limit named as jexec names it.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "jail/jail.h"
#include "state/registry.h"
#include "out/audit.h"

int
gaol_exec(const char *name, const char *prog, const struct enter_opts *eo,
    char *const argv[])
{
	struct audit a = { .log = "jexec.log", .prog = prog };
	struct jrecord rec;
	int64_t ooms;
	int status;

	if (registry_find(name, &rec) == -1) {
		gerr_set("%s: not running", name);
		return -1;
	}
	a.jid = rec.jid;
	a.jname = rec.name;
	a.as = eo->user;
	a.argv = argv;
	if (audit_begin(&a) == -1)
		fprintf(stderr, "gaol: audit log: %s\n", gerr_msg());
	ooms = jail_oom_kills(&rec);
	status = jail_exec_in(&rec, eo, argv);
	if (status == 128 + SIGKILL && ooms >= 0 && jail_oom_kills(&rec) > ooms)
		fprintf(stderr, "gaol: %s: %s: killed by the jail's memory "
		    "limit (memoryuse)\n", name, argv ? argv[0] : "shell");
	if (status >= 0 && audit_end(&a, status) == -1)
		fprintf(stderr, "gaol: audit log: %s\n", gerr_msg());
	jrecord_free(&rec);
	return status;
}

/* prog's absolute path from PATH, else its bare name. */
static char *
path_search(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy = xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	char *save, *dir, *p;

	for (dir = strtok_r(copy, ":", &save); dir != NULL;
	    dir = strtok_r(NULL, ":", &save)) {
		if (*dir != '/')
			continue;
		p = xasprintf("%s/%s", dir, prog);
		if (access(p, X_OK) == 0) {
			free(copy);
			return p;
		}
		free(p);
	}
	free(copy);
	return xstrdup(prog);
}

char *
gaol_sibling(const char *prog)
{
	char self[PATH_MAX], *slash, *p;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	/* A verb that enters runs from a sealed copy: then PATH decides. */
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			p = xasprintf("%s/%s", self, prog);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return path_search(prog);
}

char *
gaol_env_words(void)
{
	static const char *const vars[] = { "GAOL_SYSCONFDIR", "GAOL_DATADIR",
	    "GAOL_RUNDIR", "GAOL_LOGDIR", "GAOL_CGROUP" };
	struct strlist w = { 0 };
	char *r, *j;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) != NULL)
			strlist_addn(&w, xasprintf("%s=%s", vars[i],
			    getenv(vars[i])));
	if (w.n == 0)
		return xstrdup("");
	j = strlist_join(&w, " ");
	r = xasprintf("env %s ", j);
	free(j);
	strlist_clear(&w);
	return r;
}
