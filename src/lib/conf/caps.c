/*
 * Capability names, as gaol.capabilities and the OCI runtime's
 * process.capabilities spell them: "CAP_NET_RAW" or "net_raw", any
 * case.  Read here, where the parameter is checked and typed, so that
 * the jail's processes act on a set of bits (jail_spec.caps) and never
 * on names.
 */
#include <stdint.h>
#include <strings.h>

#include "spec.h"

/* The kernel's names, by number (capability.h), without "CAP_". */
static const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid",
	"kill", "setgid", "setuid", "setpcap", "linux_immutable",
	"net_bind_service", "net_broadcast", "net_admin", "net_raw",
	"ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
	"sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
	"audit_write", "audit_control", "setfcap", "mac_override",
	"mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
	"perfmon", "bpf", "checkpoint_restore",
};
#define NCAPNAMES	(int)(sizeof(cap_names) / sizeof(cap_names[0]))

int
cap_by_name(const char *name)
{
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (int i = 0; i < NCAPNAMES; i++)
		if (strcasecmp(name, cap_names[i]) == 0)
			return i;
	return -1;
}

const char *
cap_name(int cap)
{
	return cap >= 0 && cap < NCAPNAMES ? cap_names[cap] : NULL;
}

int
cap_set_parse(const struct strlist *names, uint64_t *set, const char *what)
{
	*set = 0;
	for (size_t i = 0; i < names->n; i++) {
		int cap = cap_by_name(names->v[i]);

		if (names->v[i][0] == '\0')
			continue;	/* an empty list: no capability */
		if (cap < 0) {
			gerr_set("%s: %s: not a capability", what, names->v[i]);
			return -1;
		}
		*set |= UINT64_C(1) << cap;
	}
	return 0;
}
