/*
 * The capability bounding set of a process about to run in a jail.
 * Capabilities here are those of the jail's user namespace: most of them
 * act only on the jail's own objects (its files under the identity map,
 * its processes, its namespaces).  Dropped are those that reach the
 * kernel or the machine (modules, raw I/O, reboot, audit, MAC, BPF,
 * perf, checkpoint/restore, wake alarms), mknod (a user namespace cannot
 * make devices anyway), and each one an allow.* flag names, unless it is
 * set.  Every capability this file does not know is dropped: a new
 * kernel's new privilege starts closed.  See docs/design/isolation.md.
 *
 * allow.suser=0 (root in the jail is an ordinary user): the bounding set
 * is emptied and SECBIT_NOROOT set and locked, so uid 0 gains nothing at
 * execve, setuid-root programs included.
 *
 * The effective set is left alone: the caller still switches user with
 * it.  no_new_privs is not set: su and other setuid programs must work
 * in a jail, as on FreeBSD.
 */
#include <errno.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate.h"
#include "isolate_int.h"

#define HAS(s, b)	(((s)->allow & ALLOW(b)) != 0)

static bool
mount_cap(const struct jail_spec *s)
{
	/* Nested jails make mount and namespace setups of their own. */
	return mount_allowed(s) || s->children_max > 0;
}

/* Capabilities a jail root has unless something below says otherwise. */
static bool
cap_plain(int cap)
{
	switch (cap) {
	case CAP_CHOWN: case CAP_DAC_OVERRIDE: case CAP_DAC_READ_SEARCH:
	case CAP_FOWNER: case CAP_FSETID: case CAP_KILL: case CAP_SETGID:
	case CAP_SETUID: case CAP_SETPCAP: case CAP_NET_BROADCAST:
	case CAP_NET_ADMIN: case CAP_SYS_CHROOT: case CAP_SYS_NICE:
	case CAP_SYS_RESOURCE: case CAP_LEASE: case CAP_SETFCAP:
		return true;
	default:
		return false;
	}
}

/* gaol.capabilities: a jail may keep fewer than gaol's set, never more. */
static bool
cap_listed(const struct jail_spec *s, int cap)
{
	return !s->caps_set || (cap < 64 && (s->caps & (UINT64_C(1) << cap)));
}

bool
cap_kept(const struct jail_spec *s, int cap)
{
	if (!HAS(s, ALLOW_SUSER) || !cap_listed(s, cap))
		return false;
	switch (cap) {
	case CAP_SYS_ADMIN:
		/* sethostname in the jail's UTS namespace needs it too. */
		return mount_cap(s) || HAS(s, ALLOW_SET_HOSTNAME);
	case CAP_NET_RAW:
		return HAS(s, ALLOW_RAW_SOCKETS);
	case CAP_NET_BIND_SERVICE:
		return HAS(s, ALLOW_RESERVED_PORTS);
	case CAP_SYS_PTRACE:
		return HAS(s, ALLOW_UNPRIV_DEBUG);
	case CAP_IPC_LOCK:
		return HAS(s, ALLOW_MLOCK);
	case CAP_IPC_OWNER:
		return HAS(s, ALLOW_SYSVIPC);
	case CAP_LINUX_IMMUTABLE:
		return HAS(s, ALLOW_CHFLAGS) && s->securelevel < 1;
	case CAP_SYSLOG:
		return HAS(s, ALLOW_READ_MSGBUF);
	case CAP_SYS_TIME:
		return HAS(s, ALLOW_ADJTIME) ||
		    (HAS(s, ALLOW_SETTIME) && s->securelevel < 2);
	default:
		return cap_plain(cap);
	}
}

/* Clear the inheritable set: it is not limited by the bounding set. */
static int
clear_inheritable(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	d[0].inheritable = d[1].inheritable = 0;
	return (int)syscall(SYS_capset, &h, d);
}

int
caps_restrict(const struct jail_spec *s)
{
	/* PR_CAPBSET_READ fails (EINVAL) past the kernel's last capability. */
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (cap_kept(s, cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1) {
			gerr_set_errno("drop capability %d", cap);
			return -1;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		gerr_set_errno("clear ambient capabilities");
		return -1;
	}
	if (clear_inheritable() == -1) {
		gerr_set_errno("clear inheritable capabilities");
		return -1;
	}
	if (!HAS(s, ALLOW_SUSER) && prctl(PR_SET_SECUREBITS,
	    SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0) == -1) {
		gerr_set_errno("allow.suser=0: set SECBIT_NOROOT");
		return -1;
	}
	return 0;
}

/* A capability's bit, 0 past the 64 a set can name. */
static uint64_t
cap_bit(int cap)
{
	return cap < 64 ? UINT64_C(1) << cap : 0;
}

int
caps_bound(const struct cap_sets *c)
{
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if ((c->bounding & cap_bit(cap)) == 0 &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1) {
			gerr_set_errno("drop capability %d", cap);
			return -1;
		}
	/* The user switch that follows keeps the permitted set. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1) {
		gerr_set_errno("keep capabilities");
		return -1;
	}
	return 0;
}

int
caps_set(const struct cap_sets *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint64_t bound = 0, eff, perm, inh;

	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) > 0)
			bound |= cap_bit(cap);
	/* Never more than the bounding set, gaol's included. */
	perm = c->permitted & bound;
	eff = c->effective & perm;
	inh = c->inheritable & bound;
	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	d[0].permitted = (uint32_t)perm;
	d[1].permitted = (uint32_t)(perm >> 32);
	d[0].inheritable = (uint32_t)inh;
	d[1].inheritable = (uint32_t)(inh >> 32);
	if (syscall(SYS_capset, &h, d) == -1) {
		gerr_set_errno("set capabilities");
		return -1;
	}
	for (int cap = 0; cap < 64; cap++)
		if ((c->ambient & perm & inh & cap_bit(cap)) != 0 &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == -1) {
			gerr_set_errno("raise ambient capability %d", cap);
			return -1;
		}
	return 0;
}
