/*
 * The abstract unix socket namespace belongs to the network namespace,
 * so a jail sharing the host's stack would reach every abstract socket a
 * host daemon listens on (the containerd-shim escape, CVE-2020-15257).
 * Landlock's scoping (ABI 6, Linux 6.12) refuses connect(2) and
 * sendto(2) to an abstract socket made by a process outside the caller's
 * Landlock domain.  Each process entering the jail makes its own domain,
 * before anything of the jail runs; see docs/design/network.md for what
 * that costs.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "net.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_restrict_self	446
#endif

/* The UAPI as of Linux 6.12; older headers lack "scoped". */
struct gaol_landlock_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};
#define GAOL_LANDLOCK_CREATE_RULESET_VERSION	(1U << 0)
#define GAOL_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)

int
net_scope_abstract_unix(void)
{
	struct gaol_landlock_ruleset_attr attr;
	long abi;
	int fd;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    GAOL_LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 6) {
		gerr_set("this kernel cannot keep a jail out of the host's "
		    "abstract unix sockets (Landlock ABI 6, Linux 6.12, is "
		    "needed%s): use vnet", abi < 0 ? "; Landlock is off" : "");
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.scoped = GAOL_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd == -1) {
		gerr_set_errno("landlock_create_ruleset");
		return -1;
	}
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1) {
		gerr_set_errno("landlock_restrict_self");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
