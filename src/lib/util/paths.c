/*
 * Every directory gaol touches can be moved by the environment, so that
 * tests never reach the real /etc, /var/lib or /run (DESIGN.md section 1).
 */
#include <stdlib.h>

#include "util.h"

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : def;
}

const char *gaol_sysconfdir(void) { return env_or("GAOL_SYSCONFDIR", "/etc"); }
const char *gaol_datadir(void) { return env_or("GAOL_DATADIR", "/var/lib/gaol"); }
const char *gaol_rundir(void) { return env_or("GAOL_RUNDIR", "/run/gaol"); }
const char *gaol_logdir(void) { return env_or("GAOL_LOGDIR", "/var/log/gaol"); }
const char *gaol_cgroup(void) { return env_or("GAOL_CGROUP", "gaol"); }
