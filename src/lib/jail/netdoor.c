/*
 * The network door: how a jail made inside a jail gets its part of the
 * parent's addresses (docs/design/nested-jails.md, "A subset of the
 * parent's addresses").  Only the host can load BPF programs, so the
 * parent's programs, loaded at its creation, carry a map of nested
 * jails' parts keyed by cgroup id; the host hands the parent's init
 * copies of that map, of the parent's address maps and of its v2 procs
 * leaf (delegated to the jail's root under a range of ids).  A nested
 * `jail -c` asks the init for them at INIT_DOOR_FD (guard.c), makes its
 * cgroup below the leaf, stores its part and clones its init there.
 *
 * Whatever the map holds, the programs only narrow the parent's own
 * addresses with it, so the parent's root may hold it.  Nobody less may:
 * an entry could give a nested jail the parent's whole set, so the init
 * answers only a caller with CAP_SYS_ADMIN in the jail's own user
 * namespace (a process in a namespace of its own has its capabilities
 * there, not in the jail's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/seccomp.h>

#include "internal.h"
#include "../isolate/isolate.h"
#include "../net/jailnet.h"

static const char *const door_names[INIT_NET_FDS] = {
	"net/children", "net/addrs4", "net/addrs6", "net/cgroup",
};

/* CapEff of pid (in procfd's numbering) holds CAP_SYS_ADMIN. */
static bool
has_sys_admin(int procfd, const char *pid)
{
	char path[64], *status, *eff;
	unsigned long long caps = 0;
	bool r = false;
	int fd;

	snprintf(path, sizeof(path), "%s/status", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	status = read_fd(fd, path, NULL);
	close(fd);
	if (status != NULL && (eff = strstr(status, "\nCapEff:")) != NULL &&
	    sscanf(eff + 8, "%llx", &caps) == 1)
		r = (caps >> CAP_SYS_ADMIN) & 1;
	free(status);
	return r;
}

int
netdoor_serve(const struct seccomp_notif *req, int listener, int procfd,
    const char *path)
{
	char caller[16];
	__u64 id = req->id;
	ino_t ours;
	int i, fd;

	for (i = 0; i < INIT_NET_FDS; i++)
		if (strcmp(path, door_names[i]) == 0)
			break;
	if (i == INIT_NET_FDS)
		return -EACCES;
	if (fcntl(INIT_FD_NET + i, F_GETFD) == -1)
		return -ENOENT;		/* the jail has no programs */
	snprintf(caller, sizeof(caller), "%d", (int)req->pid);
	if ((ours = proc_ns_at(procfd, "self", "user")) == 0 ||
	    proc_ns_at(procfd, caller, "user") != ours ||
	    !has_sys_admin(procfd, caller))
		return -EPERM;
	/* What was read was the caller's while the call is pending. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == -1)
		return -ESRCH;
	if ((fd = fcntl(INIT_FD_NET + i, F_DUPFD_CLOEXEC, 0)) == -1)
		return -errno;
	return fd;
}

int
netdoor_open(struct jail_net_fds *f)
{
	int fds[INIT_NET_FDS];

	for (int i = 0; i < INIT_NET_FDS; i++) {
		int saved;

		if ((fds[i] = openat(INIT_DOOR_FD, door_names[i],
		    O_RDONLY | O_CLOEXEC)) >= 0)
			continue;
		saved = errno;
		if (saved == EPERM)
			gerr_set("jail_set: %s", strerror(EPERM));
		else if (saved != ENOENT)
			gerr_set_errno("the parent jail's %s", door_names[i]);
		while (i-- > 0)
			close(fds[i]);
		/* ENOENT: the parent has no programs, nothing to share. */
		return saved == ENOENT ? 0 : -1;
	}
	f->parent[NET_MAP_CHILDREN] = fds[0];
	f->parent[NET_MAP_ADDRS4] = fds[1];
	f->parent[NET_MAP_ADDRS6] = fds[2];
	f->parent_procs = fds[3];
	return 0;
}

int
netdoor_undo(const struct jrecord *rec, const struct intent *it)
{
	struct jail_net_fds f;
	struct stat st;
	int fd, r = 0;

	if (strncmp(it->arg, "jail-", 5) != 0 || strchr(it->arg, '/') != NULL) {
		gerr_set("%s: not a nested jail's cgroup: %s", rec->name,
		    it->arg);
		return -1;
	}
	jail_net_fds_init(&f);
	if (netdoor_open(&f) == -1)
		return -1;
	if (f.parent_procs < 0)
		return 0;	/* the parent's programs are gone */
	if ((fd = openat(f.parent_procs, it->arg, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		if (fstat(fd, &st) == 0 && net_bpf_nested_forget(
		    f.parent[NET_MAP_CHILDREN], st.st_ino) == -1)
			r = -1;
		close(fd);
	}
	if (cgroup_remove_below(f.parent_procs, it->arg) == -1)
		r = -1;
	jail_net_fds_close(&f);
	return r;
}
