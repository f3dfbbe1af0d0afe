/*
 * The seccomp filter of every process in a jail: what the jail's user
 * namespace does not already fence off (keyrings, BPF, perf, io_uring,
 * modules, kexec, socket families...), and the calls each allow.* flag
 * names.  Default allow, deny by list: the table below is the policy,
 * docs/design/seccomp-policy.md gives the reasons line by line.
 *
 * Loaded without no_new_privs (setuid programs work in a jail, as on
 * FreeBSD), which the kernel permits because the caller still holds
 * CAP_SYS_ADMIN in the jail's user namespace.  Integer arguments are
 * compared on their low 32 bits only, the bits the kernel reads: a
 * caller cannot slip TIOCSTI past the filter with garbage in the upper
 * half of the register.
 */
#include <errno.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../util/util.h"
#include "isolate.h"
#include "isolate_int.h"
#include "../conf/addr.h"

#define HAS(s, b)	(((s)->allow & ALLOW(b)) != 0)
#define LOW32		0xffffffffULL

enum gate {
	G_NEVER, G_MSGBUF, G_SETTIME, G_ADJTIME, G_MOUNT, G_CHILDREN,
	G_SYSVIPC, G_MLOCK, G_QUOTAS, G_DEBUG, G_HOSTNAME, G_SOCKET_AF,
	G_MAPS
};

/* Denied outright unless the gate opens them. */
static const struct {
	const char	*name;
	enum gate	 gate;
	int		 err;
} plain[] = {
	{ "keyctl", G_NEVER, EPERM }, { "add_key", G_NEVER, EPERM },
	{ "request_key", G_NEVER, EPERM },
	{ "bpf", G_MAPS, EPERM }, { "perf_event_open", G_NEVER, EPERM },
	{ "userfaultfd", G_NEVER, EPERM },
	{ "io_uring_setup", G_NEVER, EPERM },
	{ "io_uring_enter", G_NEVER, EPERM },
	{ "io_uring_register", G_NEVER, EPERM },
	{ "kexec_load", G_NEVER, EPERM }, { "kexec_file_load", G_NEVER, EPERM },
	{ "init_module", G_NEVER, EPERM }, { "finit_module", G_NEVER, EPERM },
	{ "delete_module", G_NEVER, EPERM },
	{ "open_by_handle_at", G_NEVER, EPERM },
	{ "acct", G_NEVER, EPERM }, { "swapon", G_NEVER, EPERM },
	{ "swapoff", G_NEVER, EPERM }, { "reboot", G_NEVER, EPERM },
	{ "iopl", G_NEVER, EPERM }, { "ioperm", G_NEVER, EPERM },
	{ "lookup_dcookie", G_NEVER, EPERM }, { "uselib", G_NEVER, EPERM },
	{ "nfsservctl", G_NEVER, EPERM }, { "vm86", G_NEVER, EPERM },
	{ "vm86old", G_NEVER, EPERM },
	{ "syslog", G_MSGBUF, EPERM },
	{ "settimeofday", G_SETTIME, EPERM }, { "stime", G_SETTIME, EPERM },
	{ "clock_settime", G_SETTIME, EPERM },
	{ "clock_settime64", G_SETTIME, EPERM },
	{ "adjtimex", G_ADJTIME, EPERM }, { "clock_adjtime", G_ADJTIME, EPERM },
	{ "clock_adjtime64", G_ADJTIME, EPERM },
	{ "mount", G_MOUNT, EPERM }, { "umount", G_MOUNT, EPERM },
	{ "umount2", G_MOUNT, EPERM }, { "fsopen", G_MOUNT, EPERM },
	{ "fsconfig", G_MOUNT, EPERM }, { "fsmount", G_MOUNT, EPERM },
	{ "fspick", G_MOUNT, EPERM }, { "move_mount", G_MOUNT, EPERM },
	{ "open_tree", G_MOUNT, EPERM }, { "mount_setattr", G_MOUNT, EPERM },
	{ "open_tree_attr", G_MOUNT, EPERM },
	{ "pivot_root", G_MOUNT, EPERM },
	{ "setns", G_CHILDREN, EPERM },
	/* clone3 passes its flags in memory; ENOSYS makes libc use clone. */
	{ "clone3", G_CHILDREN, ENOSYS },
	{ "msgget", G_SYSVIPC, EPERM }, { "msgctl", G_SYSVIPC, EPERM },
	{ "msgsnd", G_SYSVIPC, EPERM }, { "msgrcv", G_SYSVIPC, EPERM },
	{ "semget", G_SYSVIPC, EPERM }, { "semctl", G_SYSVIPC, EPERM },
	{ "semop", G_SYSVIPC, EPERM }, { "semtimedop", G_SYSVIPC, EPERM },
	{ "semtimedop_time64", G_SYSVIPC, EPERM },
	{ "shmget", G_SYSVIPC, EPERM }, { "shmctl", G_SYSVIPC, EPERM },
	{ "shmat", G_SYSVIPC, EPERM }, { "shmdt", G_SYSVIPC, EPERM },
	{ "ipc", G_SYSVIPC, EPERM },
	{ "mlock", G_MLOCK, EPERM }, { "mlock2", G_MLOCK, EPERM },
	{ "mlockall", G_MLOCK, EPERM },
	{ "quotactl", G_QUOTAS, EPERM }, { "quotactl_fd", G_QUOTAS, EPERM },
	{ "ptrace", G_DEBUG, EPERM }, { "process_vm_readv", G_DEBUG, EPERM },
	{ "process_vm_writev", G_DEBUG, EPERM },
	{ "sethostname", G_HOSTNAME, EPERM },
	{ "setdomainname", G_HOSTNAME, EPERM },
};

/* Namespace flags: a jail with children.max 0 makes no namespaces. */
static const unsigned long ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
	CLONE_NEWNET, CLONE_NEWCGROUP,
};

/* Socket families a jail has without allow.socket_af (FreeBSD: inet,
 * inet6, unix, route; route is netlink here). */
static const int base_af[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK };

bool
isolate_sealed(const struct jail_spec *s)
{
	return s->children_max > 0 || mount_allowed(s);
}

int
isolate_check(const struct jail_spec *s)
{
	const char *profile = jparams_str(&s->params, "gaol.seccomp");

	/* The profile is compiled here, in the creator: the init, cloned
	 * from it, hands the program to every process of the jail. */
	if (profile != NULL && *profile &&
	    seccomp_profile_compile(profile) == -1) {
		gerr_prefix("%s: ", s->name ? s->name : "jail");
		return -1;
	}
	if (s->net.vnet && isolate_sealed(s)) {
		gerr_set("%s: %s: not available with vnet (a jail that may "
		    "mount runs sealed, below a user namespace that would "
		    "not own its network; unsealed, its root could unmount "
		    "the masks over /proc/sys)", s->name ? s->name : "jail",
		    s->children_max > 0 ? "children.max" : "allow.mount");
		return -1;
	}
	return 0;
}

bool
mount_allowed(const struct jail_spec *s)
{
	return HAS(s, ALLOW_MOUNT) && (HAS(s, ALLOW_MOUNT_DEVFS) ||
	    HAS(s, ALLOW_MOUNT_NULLFS) || HAS(s, ALLOW_MOUNT_PROCFS) ||
	    HAS(s, ALLOW_MOUNT_TMPFS));
}

static bool
gate_open(const struct jail_spec *s, enum gate g)
{
	switch (g) {
	case G_NEVER:
		return false;
	case G_MSGBUF:
		return HAS(s, ALLOW_READ_MSGBUF);
	case G_SETTIME:
		return HAS(s, ALLOW_SETTIME) && s->securelevel < 2;
	case G_ADJTIME:
		return HAS(s, ALLOW_ADJTIME);
	case G_MOUNT:
		return mount_allowed(s) || s->children_max > 0;
	case G_CHILDREN:
		return s->children_max > 0;
	case G_MAPS:	/* add_bpf_maps */
		return s->children_max > 0 && !s->net.vnet;
	case G_SYSVIPC:
		return HAS(s, ALLOW_SYSVIPC);
	case G_MLOCK:
		return HAS(s, ALLOW_MLOCK);
	case G_QUOTAS:
		return HAS(s, ALLOW_QUOTAS);
	case G_DEBUG:
		return HAS(s, ALLOW_UNPRIV_DEBUG);
	case G_HOSTNAME:
		return HAS(s, ALLOW_SET_HOSTNAME);
	case G_SOCKET_AF:
		return HAS(s, ALLOW_SOCKET_AF);
	}
	return false;
}

/*
 * Add one rule.  A name this architecture does not have (stime on
 * x86_64) is skipped: there is nothing to deny.
 */
static int
deny(scmp_filter_ctx ctx, const char *name, int err, unsigned n,
    const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name), r;

	if (nr == __NR_SCMP_ERROR)
		return 0;
	r = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO((unsigned)err), nr,
	    n, cmp);
	if (r < 0) {
		gerr_set("seccomp: %s: %s", name, strerror(-r));
		return -1;
	}
	return 0;
}

static int
deny_masked(scmp_filter_ctx ctx, const char *name, int err, unsigned arg,
    uint64_t mask, uint64_t value)
{
	struct scmp_arg_cmp c = { arg, SCMP_CMP_MASKED_EQ, mask, value };

	return deny(ctx, name, err, 1, &c);
}

/*
 * A jail that may make jails uses bpf(2) on the maps its init hands a
 * nested jail -c (docs/design/nested-jails.md): lookups, updates and
 * deletes of elements, on descriptors it holds, and nothing else
 * (BPF_MAP_CREATE is 0, the other commands above 3).
 */
static int
add_bpf_maps(scmp_filter_ctx ctx, const struct jail_spec *s)
{
	struct scmp_arg_cmp above = { 0, SCMP_CMP_GT, 3, 0 };
	struct scmp_arg_cmp create = { 0, SCMP_CMP_EQ, 0, 0 };

	if (!gate_open(s, G_MAPS))
		return 0;
	if (deny(ctx, "bpf", EPERM, 1, &above) == -1 ||
	    deny(ctx, "bpf", EPERM, 1, &create) == -1)
		return -1;
	return 0;
}

static int
add_plain(scmp_filter_ctx ctx, const struct jail_spec *s)
{
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!gate_open(s, plain[i].gate) &&
		    deny(ctx, plain[i].name, plain[i].err, 0, NULL) == -1)
			return -1;
	return add_bpf_maps(ctx, s);
}

/*
 * TIOCSTI and TIOCLINUX push input into a terminal: the one that
 * entered the jail may be the host's.  USERFAULTFD_IOC_NEW on
 * /dev/userfaultfd is the userfaultfd(2) the filter closes, reached
 * through a device (devfs_ruleset=0, a bind, path=/).  Closed whatever
 * the flags.
 */
static int
add_ioctls(scmp_filter_ctx ctx)
{
	if (deny_masked(ctx, "ioctl", EPERM, 1, LOW32, TIOCSTI) == -1 ||
	    deny_masked(ctx, "ioctl", EPERM, 1, LOW32, TIOCLINUX) == -1 ||
	    deny_masked(ctx, "ioctl", EPERM, 1, LOW32,
	    USERFAULTFD_IOC_NEW) == -1)
		return -1;
	return 0;
}

static bool
base_family(int af)
{
	for (size_t i = 0; i < sizeof(base_af) / sizeof(base_af[0]); i++)
		if (base_af[i] == af)
			return true;
	return false;
}

/*
 * ip4=disable, ip6=disable (the default of a jail without addresses and
 * without vnet): no socket of that family at all, as FreeBSD answers.
 * net/ enforces it too with a cgroup BPF program where cgroup2 is
 * mounted; this holds on a host with v1 cgroups only.
 */
static int
add_disabled_families(scmp_filter_ctx ctx, const struct jail_spec *s)
{
	const struct jnet *nj = &s->net;
	int r = 0;

	if (!nj->vnet && nj->mode4 == JAILSYS_DISABLE)
		r = deny_masked(ctx, "socket", EAFNOSUPPORT, 0, LOW32, AF_INET);
	if (r == 0 && !nj->vnet && nj->mode6 == JAILSYS_DISABLE)
		r = deny_masked(ctx, "socket", EAFNOSUPPORT, 0, LOW32, AF_INET6);
	return r;
}

static int
add_sockets(scmp_filter_ctx ctx, const struct jail_spec *s)
{
	if (add_disabled_families(ctx, s) == -1)
		return -1;
	if (gate_open(s, G_SOCKET_AF))
		return 0;
	for (int af = 0; af < AF_MAX; af++)
		if (!base_family(af) && deny_masked(ctx, "socket",
		    EAFNOSUPPORT, 0, LOW32, (uint64_t)af) == -1)
			return -1;
	return 0;
}

static int
add_namespaces(scmp_filter_ctx ctx, const struct jail_spec *s)
{
	if (gate_open(s, G_CHILDREN))
		return 0;
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		if (deny_masked(ctx, "unshare", EPERM, 0, ns_flags[i],
		    ns_flags[i]) == -1 || deny_masked(ctx, "clone", EPERM, 0,
		    ns_flags[i], ns_flags[i]) == -1)
			return -1;
	/* CLONE_NEWTIME shares its bit with clone's exit signal: unshare only. */
	return deny_masked(ctx, "unshare", EPERM, 0, CLONE_NEWTIME,
	    CLONE_NEWTIME);
}

static int
add_mlock(scmp_filter_ctx ctx, const struct jail_spec *s)
{
	if (gate_open(s, G_MLOCK))
		return 0;
	/* mmap(MAP_LOCKED) and shmctl(SHM_LOCK) lock memory too. */
	if (deny_masked(ctx, "mmap", EPERM, 3, MAP_LOCKED, MAP_LOCKED) == -1 ||
	    deny_masked(ctx, "mmap2", EPERM, 3, MAP_LOCKED, MAP_LOCKED) == -1)
		return -1;
	if (!gate_open(s, G_SYSVIPC))
		return 0;
	return deny_masked(ctx, "shmctl", EPERM, 1, LOW32, 11 /* SHM_LOCK */);
}

/*
 * personality(MMAP_PAGE_ZERO) would map page 0 for the next program; the
 * query 0xffffffff has that bit too and must pass.  libseccomp takes one
 * comparison per argument, so "bit set and not all ones" is spelled as:
 * the bit set, bits 31..k+1 set, bit k clear, for each k.
 */
static int
add_personality(scmp_filter_ctx ctx)
{
	uint64_t high = 0;

	for (int k = 31; k >= 0; k--) {
		uint64_t bit = UINT64_C(1) << k;

		if (bit != MMAP_PAGE_ZERO && deny_masked(ctx, "personality",
		    EPERM, 0, high | bit | MMAP_PAGE_ZERO,
		    high | MMAP_PAGE_ZERO) == -1)
			return -1;
		high |= bit;
	}
	return 0;
}

static scmp_filter_ctx
build(const struct jail_spec *s)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (ctx == NULL) {
		gerr_set("seccomp: cannot make a filter");
		return NULL;
	}
	/* Each step names what failed; only this one needs telling. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
		gerr_set("seccomp: cannot build the filter: %s", strerror(-r));
	if (r < 0 ||
	    add_plain(ctx, s) == -1 || add_ioctls(ctx) == -1 ||
	    add_sockets(ctx, s) == -1 || add_namespaces(ctx, s) == -1 ||
	    add_mlock(ctx, s) == -1 || add_personality(ctx) == -1) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * The filter compiled once by the jail's init, for the parameters it was
 * made with.  Every process of the jail is forked from the init with a
 * copy of it, and loads it as it is unless jail -m changed what the
 * filter depends on: compiling costs more than the rest of entering.
 */
static struct {
	char			*key;
	struct sock_fprog	 prog;
} compiled;

/* Everything the filter depends on. */
static char *
policy_key(const struct jail_spec *s)
{
	return xasprintf("%llx %d %d %d %d %d", (unsigned long long)s->allow,
	    s->securelevel, s->children_max, s->net.vnet, s->net.mode4,
	    s->net.mode6);
}

/*
 * libseccomp writes a program only to a descriptor: through a memfd
 * into *prog (its old program freed), no longer than the kernel loads.
 */
int
seccomp_export(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	int fd = memfd_create("gaol-seccomp", MFD_CLOEXEC), r = -1;
	const off_t insn = (off_t)sizeof(struct sock_filter);
	off_t size = 0;
	void *buf = NULL;

	if (fd == -1 || seccomp_export_bpf(ctx, fd) < 0 ||
	    (size = lseek(fd, 0, SEEK_END)) <= 0 || size % insn != 0 ||
	    size / insn > BPF_MAXINSNS)
		gerr_set("cannot compile the filter (too long?)");
	else if (pread(fd, buf = xmalloc((size_t)size), (size_t)size, 0) !=
	    size)
		gerr_set_errno("read the compiled filter");
	else {
		free(prog->filter);
		prog->filter = buf;
		prog->len = (unsigned short)(size / insn);
		buf = NULL;
		r = 0;
	}
	free(buf);
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return r;
}

int
isolate_prepare(const struct jail_spec *s)
{
	scmp_filter_ctx ctx = build(s);

	if (ctx == NULL)
		return -1;
	if (seccomp_export(ctx, &compiled.prog) == -1) {
		gerr_prefix("seccomp: ");
		return -1;
	}
	free(compiled.key);
	compiled.key = policy_key(s);
	return 0;
}

int
seccomp_restrict(const struct jail_spec *s)
{
	scmp_filter_ctx ctx;
	char *key;
	int r;

	if (compiled.key != NULL && (key = policy_key(s)) != NULL) {
		bool same = strcmp(key, compiled.key) == 0;

		free(key);
		if (same) {
			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			    &compiled.prog) == -1) {
				gerr_set_errno("seccomp: load the filter");
				return -1;
			}
			return seccomp_profile_load(s);
		}
	}
	if ((ctx = build(s)) == NULL)
		return -1;
	if ((r = seccomp_load(ctx)) < 0) {
		gerr_set("seccomp: load the filter: %s", strerror(-r));
		seccomp_release(ctx);
		return -1;
	}
	seccomp_release(ctx);
	return seccomp_profile_load(s);
}
