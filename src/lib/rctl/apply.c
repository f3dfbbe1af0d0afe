/*
 * Putting a jail's rules into effect: the cgroup v1 and v2 drivers,
 * rlimits, the IPC namespace's sysctls and the devpts instance.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/ioctl.h>
#include <linux/nsfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../util/util.h"
#include "../conf/spec.h"
#include "../state/registry.h"
#include "rctl.h"
#include "rctl_int.h"

/* What to enable when a controller is missing, said once per error. */
static int
no_controller(const char *res, const char *ctl)
{
	gerr_set("%s: the host has no %s cgroup controller: mount the cgroup "
	    "v1 %s hierarchy, or enable it on cgroup v2 (\"+%s\" in "
	    "cgroup.subtree_control of every ancestor of the jails' cgroups)",
	    res, ctl, ctl, ctl);
	errno = ENOTSUP;
	return -1;
}

/*
 * The directory for a controller, enabled down to the jail on v2, made
 * on v1 if the jail had none there yet (its processes moved in).
 */
const struct cgroup_dir *
rctl_cgdir(const struct rjail *j, const char *ctl, const char *res)
{
	const struct cgroup_dir *d = cgroup_find(&j->cg, ctl);

	if (d == NULL) {
		no_controller(res, ctl);
		return NULL;
	}
	if (d->version == 1 && cgroup_need(&j->cg, d, j->starting) == -1) {
		gerr_prefix("%s: ", res);
		return NULL;
	}
	if (d->version == 2 && cgroup_v2_enable(d, ctl) == -1) {
		gerr_prefix("%s: cannot enable the %s controller for the jail: ",
		    res, ctl);
		return NULL;
	}
	return d;
}

static int
cg_write(const struct cgroup_dir *d, const char *file, const char *fmt, ...)
    GAOL_PRINTF(3, 4);

static int
cg_write(const struct cgroup_dir *d, const char *file, const char *fmt, ...)
{
	char *path = xasprintf("%s/%s", d->path, file), *val;
	va_list ap;
	int r;

	va_start(ap, fmt);
	if (vasprintf(&val, fmt, ap) == -1)
		val = NULL;
	va_end(ap);
	r = val ? write_str(path, val) : -1;
	free(val);
	free(path);
	return r;
}

static int
apply_memory(const struct rjail *j, const struct rruleset *rs)
{
	int64_t mem = rruleset_deny(rs, R_MEMORYUSE);
	int64_t swap = rruleset_deny(rs, R_SWAPUSE);
	const struct cgroup_dir *d;

	if (mem == -1 && swap == -1 && cgroup_made(&j->cg, "memory") == NULL)
		return 0;
	if ((d = rctl_cgdir(j, "memory",
	    swap != -1 ? "swapuse" : "memoryuse")) == NULL)
		return -1;
	if (d->version == 2) {
		if (cg_write(d, "memory.max", mem == -1 ? "max" : "%" PRId64,
		    mem) == -1)
			return -1;
		if (swap == -1 && !rctl_cgfile_exists(d, "memory.swap.max"))
			return 0;
		if (!rctl_cgfile_exists(d, "memory.swap.max")) {
			gerr_set("swapuse: the kernel has no swap accounting "
			    "(CONFIG_MEMCG_SWAP, boot without swapaccount=0)");
			return -1;
		}
		return cg_write(d, "memory.swap.max", swap == -1 ? "max" :
		    "%" PRId64, swap);
	}
	/* v1: memsw is memory plus swap, and never below the memory limit. */
	bool memsw = rctl_cgfile_exists(d, "memory.memsw.limit_in_bytes");

	if (swap != -1 && !memsw) {
		gerr_set("swapuse: the memory controller has no swap "
		    "accounting (boot with swapaccount=1, or use cgroup v2)");
		return -1;
	}
	if (memsw && cg_write(d, "memory.memsw.limit_in_bytes", "-1") == -1)
		return -1;
	if (cg_write(d, "memory.limit_in_bytes", "%" PRId64, mem) == -1) {
		if (errno == EBUSY)
			gerr_set("memoryuse: the jail already uses more than "
			    "%" PRId64 " bytes", mem);
		return -1;
	}
	if (swap != -1 && cg_write(d, "memory.memsw.limit_in_bytes",
	    "%" PRId64, mem == -1 ? swap : mem + swap) == -1)
		return -1;
	return 0;
}

static int
apply_pids(const struct rjail *j, const struct rruleset *rs)
{
	int64_t a = rruleset_deny(rs, R_MAXPROC), b = rruleset_deny(rs, R_NTHR);
	int64_t lim = a == -1 ? b : b == -1 ? a : a < b ? a : b;
	const struct cgroup_dir *d;

	if (lim == -1 && cgroup_made(&j->cg, "pids") == NULL)
		return 0;
	if ((d = rctl_cgdir(j, "pids", b != -1 && (a == -1 || b < a) ?
	    "nthr" : "maxproc")) == NULL)
		return -1;
	return cg_write(d, "pids.max", lim == -1 ? "max" : "%" PRId64, lim);
}

static int
apply_cpu(const struct rjail *j, const struct rruleset *rs)
{
	int64_t pcpu = rruleset_deny(rs, R_PCPU);
	const struct cgroup_dir *d;
	long long period = 100000;

	if (pcpu == -1 && cgroup_made(&j->cg, "cpu") == NULL)
		return 0;
	if ((d = rctl_cgdir(j, "cpu", "pcpu")) == NULL)
		return -1;
	if (pcpu == 0)
		pcpu = 1;	/* CFS needs a quota of at least 1 ms */
	if (d->version == 2) {
		if (pcpu == -1)
			return cg_write(d, "cpu.max", "max %lld", period);
		return cg_write(d, "cpu.max", "%lld %lld",
		    (long long)(pcpu * period / 100), period);
	}
	{
		char *f = xasprintf("%s/cpu.cfs_period_us", d->path);
		char *v = read_file(f, NULL);

		if (v != NULL)
			period = atoll(v);
		free(v);
		free(f);
	}
	if (!rctl_cgfile_exists(d, "cpu.cfs_quota_us")) {
		gerr_set("pcpu: the kernel has no CFS bandwidth control "
		    "(CONFIG_CFS_BANDWIDTH)");
		return -1;
	}
	return cg_write(d, "cpu.cfs_quota_us", "%lld", pcpu == -1 ? -1LL :
	    (long long)(pcpu * period / 100));
}

/* Whole disks with a medium: /sys/block/X/dev "maj:min", size > 0. */
int
rctl_block_devices(struct strlist *out)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char *f, *dev, *size, *nl;

		if (de->d_name[0] == '.')
			continue;
		f = xasprintf("/sys/block/%s/size", de->d_name);
		size = read_file(f, NULL);
		free(f);
		f = xasprintf("/sys/block/%s/dev", de->d_name);
		dev = read_file(f, NULL);
		free(f);
		if (size != NULL && dev != NULL && atoll(size) > 0) {
			if ((nl = strchr(dev, '\n')) != NULL)
				*nl = '\0';
			strlist_add(out, dev);
		}
		free(size);
		free(dev);
	}
	closedir(d);
	return 0;
}

static int
apply_io(const struct rjail *j, const struct rruleset *rs)
{
	static const char *const v1files[] = {
		"blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
		"blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device",
	};
	static const char *const v2keys[] = { "rbps", "wbps", "riops", "wiops" };
	int64_t lim[4];
	bool any = false;
	const struct cgroup_dir *d;
	struct strlist devs = { 0 };
	int ok = 0, r = 0;

	/* Several rules: the least amount of throttle (or deny) wins. */
	for (int k = 0; k < 4; k++) {
		lim[k] = -1;
		for (size_t i = 0; i < rs->n; i++)
			if (rs->v[i].resource == R_READBPS + k &&
			    rs->v[i].action == RA_THROTTLE &&
			    (lim[k] == -1 || rs->v[i].amount < lim[k]))
				lim[k] = rs->v[i].amount;
		any |= lim[k] != -1;
	}
	d = cgroup_made(&j->cg, "blkio");
	if (d == NULL)
		d = cgroup_made(&j->cg, "io");
	if (!any && d == NULL)
		return 0;
	if (d == NULL && (d = cgroup_find(&j->cg, "blkio")) != NULL &&
	    cgroup_need(&j->cg, d, j->starting) == -1) {
		gerr_prefix("readbps: ");
		return -1;
	}
	if (d == NULL)
		d = cgroup_find(&j->cg, "io");
	if (d == NULL || (d->version == 2 && cgroup_v2_enable(d, "io") == -1))
		return no_controller("readbps", d == NULL || d->version == 1 ?
		    "blkio" : "io");
	rctl_block_devices(&devs);
	for (size_t i = 0; i < devs.n; i++) {
		int fails = 0;

		if (d->version == 2) {
			char buf[256];
			int n = snprintf(buf, sizeof(buf), "%s", devs.v[i]);

			for (int k = 0; k < 4; k++) {
				if (lim[k] == -1)
					n += snprintf(buf + n, sizeof(buf) - n,
					    " %s=max", v2keys[k]);
				else
					n += snprintf(buf + n, sizeof(buf) - n,
					    " %s=%" PRId64, v2keys[k],
					    lim[k] ? lim[k] : 1);
			}
			fails = cg_write(d, "io.max", "%s", buf) == -1;
		} else {
			for (int k = 0; k < 4; k++)
				if (cg_write(d, v1files[k], "%s %" PRId64,
				    devs.v[i], lim[k] == -1 ? 0 :
				    lim[k] ? lim[k] : 1) == -1)
					fails++;
		}
		if (!fails)
			ok++;
	}
	if (any && ok == 0) {
		gerr_set("readbps: no block device accepted the throttle");
		r = -1;
	}
	strlist_clear(&devs);
	return r;
}

/* The largest value an rlimit can take here. */
static rlim_t
rlim_unlimited(int res)
{
	if (res == RLIMIT_NOFILE) {
		char *v = read_file("/proc/sys/fs/nr_open", NULL);
		rlim_t n = v ? (rlim_t)atoll(v) : 1048576;

		free(v);
		return n;
	}
	return RLIM_INFINITY;
}

/*
 * The init carries the jail's rlimits exactly (none where there is no
 * rule); every other process is only lowered to the rule.
 */
static int
apply_rlimits(const struct rjail *j, const struct rruleset *rs)
{
	pid_t *pids = NULL;
	size_t n = 0;

	(void)cgroup_pids(&j->cg, &pids, &n);
	for (int res = 0; res < R_NRES; res++) {
		int64_t lim;
		struct rlimit rl;

		if (rresources[res].kind != K_RLIMIT)
			continue;
		lim = rruleset_deny(rs, res);
		rl.rlim_cur = rl.rlim_max = lim == -1 ?
		    rlim_unlimited(rresources[res].rlimit) : (rlim_t)lim;
		/* Without CAP_SYS_RESOURCE, "none" is as high as ours goes. */
		if (prlimit(j->init, rresources[res].rlimit, &rl, NULL) == -1 &&
		    (lim != -1 || errno != EPERM ||
		    getrlimit(rresources[res].rlimit, &rl) == -1 ||
		    prlimit(j->init, rresources[res].rlimit, &rl, NULL) == -1)) {
			gerr_set_errno("%s: prlimit", rresources[res].name);
			free(pids);
			return -1;
		}
		if (lim == -1)
			continue;
		for (size_t i = 0; i < n; i++) {
			struct rlimit cur;

			if (pids[i] == j->init || prlimit(pids[i],
			    rresources[res].rlimit, NULL, &cur) == -1)
				continue;
			if (cur.rlim_max > (rlim_t)lim)
				cur.rlim_max = (rlim_t)lim;
			if (cur.rlim_cur > (rlim_t)lim)
				cur.rlim_cur = (rlim_t)lim;
			(void)prlimit(pids[i], rresources[res].rlimit, &cur, NULL);
		}
	}
	free(pids);
	return 0;
}

int
rctl_enter_limits(const struct jail_spec *spec)
{
	(void)spec;
	/* pid 1 of the jail's pid namespace is its init: see apply_rlimits. */
	for (int res = 0; res < R_NRES; res++) {
		struct rlimit own, jail;
		int rl = rresources[res].rlimit;

		if (rresources[res].kind != K_RLIMIT ||
		    prlimit(1, rl, NULL, &jail) == -1 ||
		    getrlimit(rl, &own) == -1)
			continue;
		if (own.rlim_max <= jail.rlim_max && own.rlim_cur <= jail.rlim_cur)
			continue;
		if (own.rlim_max > jail.rlim_max)
			own.rlim_max = jail.rlim_max;
		if (own.rlim_cur > own.rlim_max)
			own.rlim_cur = own.rlim_max;
		if (own.rlim_cur > jail.rlim_cur)
			own.rlim_cur = jail.rlim_cur;
		if (setrlimit(rl, &own) == -1) {
			gerr_set_errno("%s: setrlimit", rresources[res].name);
			return -1;
		}
	}
	return 0;
}

/*
 * A sealed jail's init runs one user namespace below the one its mounts
 * were made in (docs/design/nested-jails.md): only that outer one may
 * change a superblock's options there (devpts max=).  1 when it was
 * joined, 0 when the jail is not sealed (the init's own is that one).
 */
static int
join_mounts_owner(pid_t init)
{
	char path[64];
	struct stat self, outer;
	int fd, pfd, r = -1;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	pfd = ioctl(fd, NS_GET_PARENT);
	close(fd);
	if (pfd == -1)
		return -1;
	if (fstat(pfd, &outer) == 0 && stat("/proc/self/ns/user", &self) == 0)
		r = outer.st_ino == self.st_ino && outer.st_dev == self.st_dev ?
		    0 : setns(pfd, CLONE_NEWUSER) == 0 ? 1 : -1;
	close(pfd);
	return r;
}

/* The jail's root identity in the user namespace just joined. */
static int
become_root(int fd)
{
	if (setresgid(0, 0, 0) == -1 || setresuid(0, 0, 0) == -1) {
		dprintf(fd, "take the jail's root identity: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Run fn in a child that joined some of the jail's namespaces (through
 * a pidfd of its init); what it writes to fd comes back in *outp.
 * RCTL_NS_MOUNTS_OWNER with CLONE_NEWUSER: the user namespace that owns
 * the jail's mounts rather than the init's own (join_mounts_owner).
 */
int
rctl_in_jail(const struct rjail *j, int nsflags, int (*fn)(int fd, void *),
    void *arg, char **outp)
{
	int pidfd = proc_alive(j->init, j->start), p[2], status;
	pid_t pid;
	char *out = NULL;
	size_t len = 0;

	if (pidfd == -1) {
		gerr_set("jail \"%s\" not found", j->name);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		gerr_set_errno("pipe");
		close(pidfd);
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		close(pidfd);
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		if (nsflags & RCTL_NS_MOUNTS_OWNER) {
			/*
			 * Taken while host root: the init is not dumpable, so
			 * the pidfd's setns would want host capabilities.
			 */
			char path[64];
			int mnt, outer;

			snprintf(path, sizeof(path), "/proc/%d/ns/mnt",
			    (int)j->init);
			mnt = open(path, O_RDONLY | O_CLOEXEC);
			nsflags &= ~RCTL_NS_MOUNTS_OWNER;
			if (mnt == -1 || (outer = join_mounts_owner(j->init)) == -1) {
				dprintf(p[1], "the user namespace of the jail's "
				    "mounts: %s", strerror(errno));
				_exit(2);
			}
			/* Its root may then enter the init's mounts. */
			if (outer == 1) {
				if (become_root(p[1]) == -1)
					_exit(2);
				if (setns(mnt, CLONE_NEWNS) == -1) {
					dprintf(p[1], "setns: %s", strerror(errno));
					_exit(2);
				}
				nsflags &= ~(CLONE_NEWUSER | CLONE_NEWNS);
			}
			close(mnt);
		}
		if (nsflags != 0 && setns(pidfd, nsflags) == -1) {
			dprintf(p[1], "setns: %s", strerror(errno));
			_exit(2);
		}
		/*
		 * The jail's root owns what its namespaces hold (IPC sysctls
		 * answer to that uid alone); with a range of its own (gaol.idmap)
		 * the host's uid 0 is nobody there.
		 */
		if ((nsflags & CLONE_NEWUSER) && become_root(p[1]) == -1)
			_exit(2);
		_exit(fn(p[1], arg) == 0 ? 0 : 1);
	}
	close(p[1]);
	close(pidfd);
	for (;;) {
		char buf[4096];
		ssize_t n = read(p[0], buf, sizeof(buf));

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out = xrealloc(out, len + n + 1, 1);
		memcpy(out + len, buf, n);
		len += n;
		out[len] = '\0';
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		gerr_set("%s", out ? out : "failed in the jail's namespaces");
		free(out);
		return -1;
	}
	if (outp != NULL)
		*outp = out ? out : xstrdup("");
	else
		free(out);
	return 0;
}

/* Linux's defaults for a new IPC namespace (ipc/{msg,sem,shm}.c). */
#define SHM_DEFAULT	"18446744073692774399"

struct ipcvals {
	char	msgmni[32], msgmnb[32], sem[96], shmmni[32], shmmax[32],
		shmall[32];
};

static int
write_ipc(int fd, void *arg)
{
	const struct ipcvals *v = arg;
	const struct { const char *f; const char *v; } w[] = {
		{ "msgmni", v->msgmni }, { "msgmnb", v->msgmnb },
		{ "sem", v->sem }, { "shmmni", v->shmmni },
		{ "shmmax", v->shmmax }, { "shmall", v->shmall },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		char *path = xasprintf("/proc/sys/kernel/%s", w[i].f);

		if (write_str(path, w[i].v) == -1) {
			dprintf(fd, "%s", gerr_msg());
			return -1;
		}
		free(path);
	}
	return 0;
}

static int
apply_ipc(const struct rjail *j, const struct rruleset *rs)
{
	struct ipcvals v;
	int64_t nmsgq = rruleset_deny(rs, R_NMSGQ);
	int64_t msgqsize = rruleset_deny(rs, R_MSGQSIZE);
	int64_t queued = rruleset_deny(rs, R_MSGQQUEUED);
	int64_t nsem = rruleset_deny(rs, R_NSEM);
	int64_t nsemop = rruleset_deny(rs, R_NSEMOP);
	int64_t nshm = rruleset_deny(rs, R_NSHM);
	int64_t shmsize = rruleset_deny(rs, R_SHMSIZE);
	long page = sysconf(_SC_PAGESIZE);
	int64_t mnb = msgqsize;

	/* A queue holds at most msgmnb bytes and msgmnb messages. */
	if (queued != -1 && (mnb == -1 || queued < mnb))
		mnb = queued;
	snprintf(v.msgmni, sizeof(v.msgmni), "%" PRId64, nmsgq == -1 ? 32000 : nmsgq);
	snprintf(v.msgmnb, sizeof(v.msgmnb), "%" PRId64, mnb == -1 ? 16384 : mnb);
	snprintf(v.sem, sizeof(v.sem), "%" PRId64 " %" PRId64 " %" PRId64 " 32000",
	    nsem == -1 || nsem > 32000 ? 32000 : nsem,
	    nsem == -1 ? 1024000000 : nsem, nsemop == -1 ? 500 : nsemop);
	snprintf(v.shmmni, sizeof(v.shmmni), "%" PRId64, nshm == -1 ? 4096 : nshm);
	if (shmsize == -1) {
		snprintf(v.shmmax, sizeof(v.shmmax), SHM_DEFAULT);
		snprintf(v.shmall, sizeof(v.shmall), SHM_DEFAULT);
	} else {
		snprintf(v.shmmax, sizeof(v.shmmax), "%" PRId64, shmsize);
		snprintf(v.shmall, sizeof(v.shmall), "%" PRId64,
		    (shmsize + page - 1) / page);
	}
	if (nmsgq == -1 && msgqsize == -1 && queued == -1 && nsem == -1 &&
	    nsemop == -1 && nshm == -1 && shmsize == -1 && !rs->n)
		return 0;
	/* The writer's IPC namespace is the one its sysctls change; the
	 * host's /proc/sys stays writable as the mount namespace is ours. */
	if (rctl_in_jail(j, CLONE_NEWUSER | CLONE_NEWIPC, write_ipc, &v,
	    NULL) == -1) {
		gerr_prefix("System V IPC limits: ");
		return -1;
	}
	return 0;
}

/* The flags of the mount at path, as mount(2) spells them. */
static unsigned long
mount_flags_of(const char *path)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long ms = 0;

	if (statvfs(path, &sv) == -1)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			ms |= map[i].ms;
	return ms;
}

static int
remount_pts(int fd, void *arg)
{
	const char *opts = arg;

	/* The mount's own flags kept: a sealed jail's are locked. */
	if (mount("devpts", "/dev/pts", NULL, MS_REMOUNT | MS_NOSUID |
	    MS_NOEXEC | mount_flags_of("/dev/pts"), opts) == -1) {
		dprintf(fd, "pseudoterminals: remount /dev/pts in the jail: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Whether the jail has a devpts instance of its own at /dev/pts. */
bool
rctl_jail_has_devpts(const struct rjail *j)
{
	char *dir = xasprintf("/proc/%d/root/dev/pts", (int)j->init);
	struct statfs sf;
	struct stat jst, host;
	bool own;

	own = statfs(dir, &sf) == 0 && sf.f_type == DEVPTS_SUPER_MAGIC &&
	    stat(dir, &jst) == 0 &&
	    (stat("/dev/pts", &host) == -1 || host.st_dev != jst.st_dev);
	free(dir);
	return own;
}

int
rctl_apply_pty(const struct rjail *j, const struct rruleset *rs)
{
	int64_t max = rruleset_deny(rs, R_PSEUDOTERMINALS);
	char *opts;
	int r;

	/* At start the init has no /dev yet: the watcher applies it. */
	if (j->starting)
		return 0;
	if (!rctl_jail_has_devpts(j)) {
		if (max == -1)
			return 0;
		gerr_set("pseudoterminals: the jail has no devpts instance of "
		    "its own (create it with mount.devfs)");
		return -1;
	}
	opts = xasprintf("max=%" PRId64, max == -1 ? 1048576 : max);
	r = rctl_in_jail(j, CLONE_NEWUSER | RCTL_NS_MOUNTS_OWNER | CLONE_NEWNS,
	    remount_pts, opts, NULL);
	free(opts);
	return r;
}

int
rctl_apply(const struct rjail *j, const struct rruleset *rs)
{
	struct rruleset mine = { 0 };
	int r = -1;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].subject == RS_JAIL && rs->v[i].per != RS_PROCESS)
			rruleset_add(&mine, &rs->v[i]);
	/* Per-process rules inside a jail: the rlimit is per process anyway. */
	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].per == RS_PROCESS)
			rruleset_add(&mine, &rs->v[i]);
	if (apply_memory(j, &mine) == 0 && apply_pids(j, &mine) == 0 &&
	    apply_cpu(j, &mine) == 0 && apply_io(j, &mine) == 0 &&
	    apply_rlimits(j, &mine) == 0 && apply_ipc(j, &mine) == 0 &&
	    rctl_apply_pty(j, &mine) == 0)
		r = 0;
	rruleset_free(&mine);
	return r;
}

bool
rctl_cgfile_exists(const struct cgroup_dir *d, const char *file)
{
	char *p = xasprintf("%s/%s", d->path, file);
	bool r = access(p, F_OK) == 0;

	free(p);
	return r;
}

int
rctl_jail_start(const struct jail_spec *spec, pid_t init,
    const struct cgroup_set *cg)
{
	struct rruleset conf, waiting = { 0 }, mine = { 0 };
	struct rstore st = { 0 };
	struct rjail j = { .jid = spec->jid, .init = init, .starting = true };
	char jid[16];
	int r = 0, lock;

	snprintf(jid, sizeof(jid), "%d", spec->jid);
	if (rctl_conf_load(&conf, spec->name, jid) == -1)
		return -1;
	(void)rctl_waiting_load(&waiting);	/* replaced whole: no lock */
	/* rctl.conf's first, then those rctl -a kept while it was down */
	for (size_t i = 0; i < waiting.n; i++)
		rruleset_add(&conf, &waiting.v[i]);
	rruleset_free(&waiting);
	for (size_t i = 0; i < conf.n; i++)
		if (conf.v[i].subject == RS_JAIL &&
		    (strcmp(conf.v[i].id, spec->name) == 0 ||
		    strcmp(conf.v[i].id, jid) == 0)) {
			free(conf.v[i].id);
			conf.v[i].id = xstrdup(spec->name);
			rruleset_add(&mine, &conf.v[i]);
		}
	rruleset_free(&conf);
	rctl_store_remove(spec->jid, 0, 0);	/* a removed jail's, if any */
	if (mine.n == 0)
		return 0;
	j.name = spec->name;
	j.start = proc_starttime(init);
	j.cg = *cg;
	if (rctl_apply(&j, &mine) == -1) {
		gerr_prefix("rctl.conf: ");
		rruleset_free(&mine);
		return -1;
	}
	st.init = init;
	st.start = j.start;
	st.rules = mine;
	lock = registry_lock();
	if (lock == -1 || rctl_store_save(spec->jid, &st) == -1)
		r = -1;
	if (lock != -1)
		registry_unlock(lock);
	if (r == 0)
		r = rctl_watcher_ensure(&j);
	rruleset_free(&mine);
	return r;
}
