/*
 * The parameter table: every name jail(8) and jail.conf(5) know, its
 * type, and FreeBSD 14's default (kern_jail.c, jail(8)).  Names FreeBSD
 * has but Linux cannot honour are listed too, so that they are refused
 * with the reason instead of "unknown parameter".
 *
 * The last two columns are the limits jparam_check holds a value to: an
 * integer's range (libjail's and FreeBSD's kernel's) or a string's
 * longest length on Linux.
 *
 * PF_LIVE marks what each process entering a running jail reads for
 * itself, so that a jail -m change reaches every process started after
 * it: securelevel and allow.* (its capabilities and system call filter),
 * gaol.capabilities (its bounding set).  jexec sends exactly these
 * (struct jail_live); a parameter a new process reads that lacks the
 * flag would keep the value the jail was made with.
 *
 * PF_CREATE marks what a running jail cannot be moved to another value
 * of (jail -m refuses a change, jail -mr restarts the jail for it):
 * FreeBSD's create-only parameters, and those gaol builds into the jail
 * at creation: the device policy (devfs_ruleset), the address filter
 * (ip4, ip6 and their addresses), and whether the jail runs sealed
 * (children.max, allow.mount and allow.mount.*: a jail that was not
 * sealed must never be let mount, or it could unmount its masks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <net/if.h>

#include "confint.h"

#define UTS_LEN		64	/* Linux's __NEW_UTS_LEN */
#define META_MAXLEN	4096	/* FreeBSD's security.jail.meta_maxlen */
#define YEAR		(86400 * 365)

#define NOLINUX(n, t, w)	{ n, t, PF_NOLINUX, NULL, w }
#define ALLOWF(n, d)		{ n, PT_BOOL, PF_LIVE, d, NULL }
#define ALLOWF_CREATE(n, d)	{ n, PT_BOOL, PF_CREATE, d, NULL }

const struct paramdef paramdefs[] = {
	/* identity and root */
	{ "jid",		PT_INT,		PF_CREATE,	NULL, NULL, 0, 999999 },
	{ "name",		PT_STRING,	0,		NULL, NULL },
	{ "path",		PT_STRING,	PF_CREATE,	"/", NULL },
	{ "parent",		PT_INT,		PF_RDONLY,	"0", NULL },
	{ "dying",		PT_BOOL,	PF_RDONLY,	"false", NULL },
	{ "children.cur",	PT_INT,		PF_RDONLY,	"0", NULL },
	{ "children.max",	PT_INT,		PF_CREATE,	"0", NULL, 0, 999999 },
	{ "persist",		PT_BOOL,	0,		"false", NULL },
	{ "securelevel",	PT_INT,		PF_LIVE,	"-1", NULL, -1, 3 },
	{ "devfs_ruleset",	PT_INT,		PF_CREATE,	"0", NULL, 0, 65535 },
	{ "enforce_statfs",	PT_INT,		0,		"2", NULL, 0, 2 },
	{ "osrelease",		PT_STRING,	PF_CREATE,	NULL, NULL },
	{ "osreldate",		PT_INT,		PF_CREATE,	NULL, NULL },
	{ "meta",		PT_STRING,	0,		"", NULL, 0, META_MAXLEN },
	/* gaol's own: the jail's ids on the host (uid-ranges.md); the
	   default is private, identity for path=/ and inside a jail */
	{ "gaol.idmap",		PT_STRING,	PF_CREATE,	NULL, NULL },
	{ "gaol.idmap.base",	PT_INT,		PF_RDONLY,	"0", NULL },
	/* gaol's own walls beyond its defaults (the OCI runtime's
	   root.readonly, linux.readonlyPaths, linux.maskedPaths) */
	{ "gaol.readonly",	PT_BOOL,	PF_CREATE,	"false", NULL },
	{ "gaol.readonly_paths", PT_LIST,	PF_CREATE,	NULL, NULL },
	{ "gaol.masked_paths",	PT_LIST,	PF_CREATE,	NULL, NULL },
	/* the bounding set of the jail's processes: gaol's, cut to these
	   names (process.capabilities.bounding) */
	{ "gaol.capabilities",	PT_LIST,	PF_LIVE,	NULL, NULL },
	/* a seccomp profile loaded over gaol's filter (linux.seccomp) */
	{ "gaol.seccomp",	PT_STRING,	PF_CREATE,	NULL, NULL },
	{ "env",		PT_STRING,	0,		"", NULL, 0, META_MAXLEN },

	/* UTS: host=new gives the jail its own names, empty unless set,
	   and the all-zero uuid, as FreeBSD's kernel does */
	{ "host",		PT_JAILSYS,	PF_CREATE,	"new", NULL },
	{ "host.hostname",	PT_STRING,	0,		"", NULL, 0, UTS_LEN },
	{ "host.domainname",	PT_STRING,	0,		"", NULL, 0, UTS_LEN },
	{ "host.hostuuid",	PT_UUID,	0,
	    "00000000-0000-0000-0000-000000000000", NULL },
	{ "host.hostid",	PT_INT,		0,		"0", NULL, 0, 0xffffffffLL },

	/* allow.*: FreeBSD 14's JAIL_DEFAULT_ALLOW is set_hostname,
	   reserved_ports, unprivileged_proc_debug and suser */
	ALLOWF("allow.set_hostname", "true"),
	ALLOWF("allow.sysvipc", "false"),
	ALLOWF("allow.raw_sockets", "false"),
	ALLOWF("allow.chflags", "false"),
	ALLOWF_CREATE("allow.mount", "false"),
	ALLOWF_CREATE("allow.mount.devfs", "false"),
	ALLOWF_CREATE("allow.mount.nullfs", "false"),
	ALLOWF_CREATE("allow.mount.procfs", "false"),
	ALLOWF_CREATE("allow.mount.tmpfs", "false"),
	ALLOWF("allow.quotas", "false"),
	ALLOWF("allow.socket_af", "false"),
	ALLOWF("allow.mlock", "false"),
	ALLOWF("allow.reserved_ports", "true"),
	ALLOWF("allow.read_msgbuf", "false"),
	ALLOWF("allow.unprivileged_proc_debug", "true"),
	ALLOWF("allow.suser", "true"),
	ALLOWF("allow.settime", "false"),
	ALLOWF("allow.adjtime", "false"),
	{ "allow.dying", PT_BOOL, PF_CONFONLY, "false", NULL },

	/* SysV IPC: a jail always has its own IPC namespace ("new") */
	{ "sysvmsg",		PT_JAILSYS,	PF_CREATE,	"new", NULL },
	{ "sysvsem",		PT_JAILSYS,	PF_CREATE,	"new", NULL },
	{ "sysvshm",		PT_JAILSYS,	PF_CREATE,	"new", NULL },

	/* jail(8)'s own: mounts */
	{ "mount.devfs",	PT_BOOL,	PF_CONFONLY,	"false", NULL },
	{ "mount.procfs",	PT_BOOL,	PF_CONFONLY,	"false", NULL },
	{ "mount.fstab",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "mount",		PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },

	/* jail(8)'s own: commands, in the order they run */
	{ "exec.prepare",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.prestart",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.created",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.start",		PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "command",		PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.poststart",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.prestop",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.stop",		PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.poststop",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.release",	PT_CMDLIST,	PF_CONFONLY,	NULL, NULL },
	{ "exec.clean",		PT_BOOL,	PF_CONFONLY,	"false", NULL },
	{ "exec.jail_user",	PT_STRING,	PF_CONFONLY,	NULL, NULL },
	{ "exec.system_user",	PT_STRING,	PF_CONFONLY,	NULL, NULL },
	{ "exec.system_jail_user", PT_BOOL,	PF_CONFONLY,	"false", NULL },
	{ "exec.consolelog",	PT_STRING,	PF_CONFONLY,	NULL, NULL },
	{ "exec.timeout",	PT_INT,		PF_CONFONLY,	"0", NULL, 0, YEAR },
	{ "stop.timeout",	PT_INT,		PF_CONFONLY,	"10", NULL, 0, YEAR },
	{ "depend",		PT_LIST,	PF_CONFONLY,	NULL, NULL },

	/* network: stored here, applied by src/lib/net */
	{ "ip4",		PT_JAILSYS,	PF_CREATE, "disable", NULL },
	{ "ip4.addr",		PT_LIST,	PF_CREATE, NULL, NULL },
	{ "ip4.saddrsel",	PT_BOOL,	0,		"true", NULL },
	{ "ip6",		PT_JAILSYS,	PF_CREATE, "disable", NULL },
	{ "ip6.addr",		PT_LIST,	PF_CREATE, NULL, NULL },
	{ "ip6.saddrsel",	PT_BOOL,	0,		"true", NULL },
	{ "interface",	PT_STRING, PF_CONFONLY, NULL, NULL, 0, IF_NAMESIZE - 1 },
	{ "ip_hostname", PT_BOOL, PF_CONFONLY, "false", NULL },
	{ "vnet",		PT_JAILSYS,	PF_CREATE, "inherit", NULL },
	{ "vnet.interface", PT_LIST, PF_CONFONLY, NULL, NULL },

	/* FreeBSD only */
	NOLINUX("allow.mount.zfs", PT_BOOL,
	    "ZFS datasets cannot be delegated to a jail on Linux; "
	    "mount them from the host with mount or mount.fstab"),
	NOLINUX("allow.mount.fdescfs", PT_BOOL,
	    "Linux has no fdescfs: /dev/fd is /proc/self/fd"),
	NOLINUX("mount.fdescfs", PT_BOOL,
	    "Linux has no fdescfs: /dev/fd is /proc/self/fd"),
	NOLINUX("allow.mount.linprocfs", PT_BOOL,
	    "linprocfs emulates Linux's /proc on FreeBSD; on Linux use "
	    "mount.procfs"),
	NOLINUX("allow.mount.linsysfs", PT_BOOL,
	    "linsysfs emulates Linux's /sys on FreeBSD; a jail gets a "
	    "read-only /sys with mount.procfs"),
	NOLINUX("allow.mount.fusefs", PT_BOOL,
	    "FUSE needs /dev/fuse, which no devfs ruleset exposes"),
	NOLINUX("allow.mount.nfs", PT_BOOL,
	    "the Linux kernel does not allow NFS mounts from a user "
	    "namespace; mount NFS from the host with mount.fstab"),
	NOLINUX("allow.vmm", PT_BOOL,
	    "bhyve's vmm(4) does not exist on Linux"),
	NOLINUX("allow.nfsd", PT_BOOL,
	    "the Linux NFS server is one per host and cannot run in a jail"),
	NOLINUX("allow.extattr", PT_BOOL,
	    "FreeBSD system extended attributes have no Linux counterpart"),
	NOLINUX("allow.routing", PT_BOOL,
	    "routing tables belong to the network namespace: use vnet"),
	NOLINUX("allow.setaudit", PT_BOOL,
	    "Linux audit is not namespaced"),
	NOLINUX("exec.fib", PT_INT,
	    "Linux has no FIBs (setfib); use vnet and policy routing"),
	NOLINUX("cpuset.id", PT_INT,
	    "CPU placement is set with rctl (the cpuset cgroup)"),
	NOLINUX("zfs.mount_snapshot", PT_BOOL,
	    "ZFS datasets cannot be delegated to a jail on Linux"),
	NOLINUX("linux", PT_JAILSYS,
	    "FreeBSD's Linux ABI layer: on Linux every jail runs Linux "
	    "programs natively"),
	NOLINUX("linux.osname", PT_STRING,
	    "FreeBSD's Linux ABI layer: on Linux uname(2) is the kernel's"),
	NOLINUX("linux.osrelease", PT_STRING,
	    "FreeBSD's Linux ABI layer: on Linux uname(2) is the kernel's"),
	NOLINUX("linux.oss_version", PT_INT,
	    "FreeBSD's Linux ABI layer has no Linux counterpart"),
	NOLINUX("mac.label", PT_STRING,
	    "FreeBSD MAC labels have no Linux counterpart"),
	{ NULL, 0, 0, NULL, NULL }
};

/* FNV-1a: the index below. */
static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261U;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619U;
	return h;
}

/*
 * By name through a hash index built once (open addressing, at most
 * half full): jls looks names up for every jail it prints.
 */
const struct paramdef *
param_lookup(const char *name)
{
	static const struct paramdef **slots;
	static size_t mask;
	size_t n = 0, i;

	if (slots == NULL) {
		while (paramdefs[n].name != NULL)
			n++;
		for (mask = 1; mask < 2 * n; mask <<= 1)
			;
		slots = xcalloc(mask, sizeof(*slots));
		mask--;
		for (size_t k = 0; k < n; k++) {
			for (i = name_hash(paramdefs[k].name) & mask;
			    slots[i] != NULL; i = (i + 1) & mask)
				;
			slots[i] = &paramdefs[k];
		}
	}
	for (i = name_hash(name) & mask; slots[i] != NULL; i = (i + 1) & mask)
		if (strcmp(slots[i]->name, name) == 0)
			return slots[i];
	return NULL;
}

/*
 * The value a parameter has when the list does not set it: the table's,
 * except devfs_ruleset, which jail(8) makes 4 when mount.devfs is set
 * without one.  NULL when there is none.
 */
const char *
param_default(const struct jparams *l, const char *name)
{
	const struct paramdef *d = param_lookup(name);

	if (strcmp(name, "devfs_ruleset") == 0 &&
	    jparams_bool(l, "mount.devfs"))
		return "4";
	return d != NULL ? d->def : NULL;
}

/* jail(8)'s booleans: true, false (any case) or an integer. */
bool
param_parse_bool(const char *s, bool *out)
{
	long long v;

	if (strcasecmp(s, "true") == 0)
		*out = true;
	else if (strcasecmp(s, "false") == 0)
		*out = false;
	else if (parse_int(s, &v) == 0)
		*out = v != 0;
	else
		return false;
	return true;
}

/*
 * "noX" (in the last component: allow.nomount) is the boolean X set
 * false.  A name that is not such a boolean is kept as written, to be
 * reported as unknown later.
 */
char *
param_canon(const char *name, bool *negp)
{
	const char *last = strrchr(name, '.');
	const struct paramdef *d;
	char *plain;

	*negp = false;
	last = last != NULL ? last + 1 : name;
	if (param_lookup(name) != NULL || strncmp(last, "no", 2) != 0)
		return xstrdup(name);
	plain = xasprintf("%.*s%s", (int)(last - name), name, last + 2);
	d = param_lookup(plain);
	if (d != NULL && d->type == PT_BOOL) {
		*negp = true;
		return plain;
	}
	free(plain);
	return xstrdup(name);
}

/*
 * FreeBSD's jailsys values, by name (any case) or number: disable 0,
 * new 1, inherit 2.  A bare flag ("vnet", value "") means new.
 */
int
param_parse_jailsys(const char *v)
{
	static const char *names[] = { "disable", "new", "inherit" };
	long long n;
	char *end;

	if (*v == '\0')
		return JAILSYS_NEW;
	for (int i = 0; i < 3; i++)
		if (strcasecmp(v, names[i]) == 0)
			return i;
	/* decimal only, as libjail reads numbers */
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < 0 || n > 2)
		return -1;
	return (int)n;
}

const char *
param_jailsys_name(int v)
{
	static const char *names[] = { "disable", "new", "inherit" };

	return v >= 0 && v <= 2 ? names[v] : NULL;
}
