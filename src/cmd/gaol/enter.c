/*
 * Commands in jails for the manager's verbs (cmd, console, pkg, service,
 * update): jexec's path through the library, logged in the same audit
 * log, and a jail killed by its memory limit named as jexec names it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

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
