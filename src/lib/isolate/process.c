/*
 * isolate_process: the last step before a process runs in a jail.  The
 * filter goes first, while the process still holds CAP_SYS_ADMIN in the
 * jail's user namespace (needed to load it without no_new_privs); then
 * the bounding set shrinks.  The caller keeps its effective capabilities
 * to switch user, and execve(2) applies the bounding set.
 */
#include "../util/util.h"
#include "isolate.h"
#include "isolate_int.h"

int
isolate_process(const struct jail_spec *spec)
{
	if (seccomp_restrict(spec) == -1)
		return -1;
	return caps_restrict(spec);
}
