/*
 * rctl -u: what a jail uses, from the kernel.  Cgroup counters where a
 * controller has one (memory, pids, cpu, io); /proc/PID of the jail's
 * processes for the per-process ones (summed, as FreeBSD sums them per
 * jail); the jail's IPC namespace for System V IPC.  Rates (pcpu and
 * the I/O ones) are measured over RATE_MS.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../state/registry.h"
#include "rctl_int.h"

#define RATE_MS	250

static int64_t
cg_read_num(const struct cgroup_dir *d, const char *file)
{
	char *f = xasprintf("%s/%s", d->path, file), *v = read_file(f, NULL);
	int64_t n = -1;

	if (v != NULL)
		n = strcmp(v, "max\n") == 0 ? -1 : strtoll(v, NULL, 10);
	free(v);
	free(f);
	return n;
}

/* "key value" lines (memory.stat, cpu.stat): the value of key. */
static int64_t
cg_read_key(const struct cgroup_dir *d, const char *file, const char *key)
{
	char *f = xasprintf("%s/%s", d->path, file), *v = read_file(f, NULL);
	size_t kl = strlen(key);
	int64_t n = -1;

	for (char *l = v; l != NULL && *l; ) {
		if (strncmp(l, key, kl) == 0 && l[kl] == ' ') {
			n = strtoll(l + kl + 1, NULL, 10);
			break;
		}
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	free(v);
	free(f);
	return n;
}

int64_t
cgroup_oom_kills(const struct cgroup_set *cg)
{
	const struct cgroup_dir *d = cgroup_made(cg, "memory");

	struct strlist dirs = { 0 };
	int64_t n = 0;

	if (d == NULL)
		return -1;
	if (d->version == 2)	/* memory.events counts the subtree */
		return cg_read_key(d, "memory.events", "oom_kill");
	/* v1 counts a kill only where it happened: the leaf, or below. */
	if (cgroup_tree(d->path, &dirs) == -1)
		return -1;
	for (size_t i = 0; i < dirs.n && n >= 0; i++) {
		struct cgroup_dir one = *d;
		int64_t k;

		one.path = dirs.v[i];
		if ((k = cg_read_key(&one, "memory.oom_control", "oom_kill")) < 0)
			n = -1;
		else
			n += k;
	}
	strlist_clear(&dirs);
	return n;
}

int64_t
rctl_cpu_ns(const struct rjail *j)
{
	const struct cgroup_dir *d = cgroup_made(&j->cg, "cpuacct");

	if (d != NULL && d->version == 1)
		return cg_read_num(d, "cpuacct.usage");
	if ((d = cgroup_find(&j->cg, NULL)) != NULL) {
		int64_t us = cg_read_key(d, "cpu.stat", "usage_usec");

		return us < 0 ? -1 : us * 1000;
	}
	return -1;
}

/*
 * Without a blkio cgroup of its own (no rule needed one: cgroup_create's
 * v1_later) a jail's I/O is its processes' storage bytes, as
 * /proc/PID/io counts them; Linux counts no block operations a process.
 */
static int
proc_io_totals(const struct rjail *j, int64_t tot[4])
{
	pid_t *pids = NULL;
	size_t n = 0;

	if (cgroup_pids(&j->cg, &pids, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *f = xasprintf("/proc/%d/io", (int)pids[i]);
		char *v = read_file(f, NULL);

		free(f);
		for (char *l = v; l != NULL && *l; ) {
			long long b;

			if (sscanf(l, "read_bytes: %lld", &b) == 1)
				tot[0] += b;
			else if (sscanf(l, "write_bytes: %lld", &b) == 1)
				tot[1] += b;
			l = strchr(l, '\n');
			l = l ? l + 1 : NULL;
		}
		free(v);
	}
	free(pids);
	return 0;
}

int
rctl_io_totals(const struct rjail *j, int64_t tot[4])
{
	const struct cgroup_dir *d = cgroup_made(&j->cg, "blkio");
	char *f, *v;

	memset(tot, 0, 4 * sizeof(tot[0]));
	if (d != NULL && d->version == 1) {
		static const char *const files[] = {
			"blkio.throttle.io_service_bytes",
			"blkio.throttle.io_serviced",
		};
		for (int k = 0; k < 2; k++) {
			/* The processes are in the leaf below: the subtree's
			 * counts (kernels before 4.16 have only the cgroup's). */
			f = xasprintf("%s/%s_recursive", d->path, files[k]);
			if ((v = read_file(f, NULL)) == NULL) {
				free(f);
				f = xasprintf("%s/%s", d->path, files[k]);
				v = read_file(f, NULL);
			}
			free(f);
			for (char *l = v; l != NULL && *l; ) {
				char dev[32], op[16];
				long long n;

				if (sscanf(l, "%31s %15s %lld", dev, op, &n) == 3) {
					if (strcmp(op, "Read") == 0)
						tot[k * 2] += n;
					else if (strcmp(op, "Write") == 0)
						tot[k * 2 + 1] += n;
				}
				l = strchr(l, '\n');
				l = l ? l + 1 : NULL;
			}
			free(v);
		}
		return 0;
	}
	if ((d = cgroup_find(&j->cg, "io")) == NULL)
		return proc_io_totals(j, tot);
	f = xasprintf("%s/io.stat", d->path);
	v = read_file(f, NULL);
	free(f);
	for (char *tok = v ? strtok(v, " \n") : NULL; tok; tok = strtok(NULL, " \n")) {
		static const char *const keys[] = { "rbytes=", "wbytes=", "rios=", "wios=" };

		for (int k = 0; k < 4; k++)
			if (strncmp(tok, keys[k], strlen(keys[k])) == 0)
				tot[k] += strtoll(tok + strlen(keys[k]), NULL, 10);
	}
	free(v);
	return 0;
}

/* Sum of /proc/PID/status "Key:  N kB" lines over the jail, in bytes. */
static void
proc_sums(const pid_t *pids, size_t n, int64_t *data, int64_t *stk,
    int64_t *lck, int64_t *vsz, int64_t *fds, int64_t *rss, int64_t *thr)
{
	*data = *stk = *lck = *vsz = *fds = *rss = *thr = 0;
	for (size_t i = 0; i < n; i++) {
		char *f = xasprintf("/proc/%d/status", (int)pids[i]);
		char *v = read_file(f, NULL);
		DIR *d;

		free(f);
		for (char *l = v; l != NULL && *l; ) {
			long long kb;

			if (sscanf(l, "VmData: %lld", &kb) == 1)
				*data += kb * 1024;
			else if (sscanf(l, "VmStk: %lld", &kb) == 1)
				*stk += kb * 1024;
			else if (sscanf(l, "VmLck: %lld", &kb) == 1)
				*lck += kb * 1024;
			else if (sscanf(l, "VmSize: %lld", &kb) == 1)
				*vsz += kb * 1024;
			else if (sscanf(l, "VmRSS: %lld", &kb) == 1)
				*rss += kb * 1024;
			else if (sscanf(l, "Threads: %lld", &kb) == 1)
				*thr += kb;
			l = strchr(l, '\n');
			l = l ? l + 1 : NULL;
		}
		free(v);
		f = xasprintf("/proc/%d/fd", (int)pids[i]);
		if ((d = opendir(f)) != NULL) {
			struct dirent *de;

			while ((de = readdir(d)) != NULL)
				if (de->d_name[0] != '.')
					(*fds)++;
			closedir(d);
		}
		free(f);
	}
}

/* /proc/sysvipc/{msg,sem,shm} as the jail's IPC namespace shows them. */
static int
read_sysvipc(int fd, void *arg)
{
	static const char *const files[] = { "msg", "sem", "shm" };

	(void)arg;
	for (int i = 0; i < 3; i++) {
		char *f = xasprintf("/proc/sysvipc/%s", files[i]);
		char *v = read_file(f, NULL);

		dprintf(fd, "@%s\n%s", files[i], v ? v : "");
		free(v);
		free(f);
	}
	return 0;
}

static void
ipc_usage(const struct rjail *j, int64_t u[R_NRES])
{
	char *out = NULL, *save, *line;
	int which = -1, header = 0;

	if (rctl_in_jail(j, CLONE_NEWUSER | CLONE_NEWIPC, read_sysvipc, NULL,
	    &out) == -1)
		return;
	for (line = strtok_r(out, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		long long a[12] = { 0 };

		if (line[0] == '@') {
			which = line[2] == 's' ? 0 : line[2] == 'e' ? 1 : 2;
			header = 1;
			continue;
		}
		if (header) {
			header = 0;
			continue;
		}
		if (which == 0 && sscanf(line, "%lld %lld %llo %lld %lld",
		    &a[0], &a[1], &a[2], &a[3], &a[4]) == 5) {
			/* key msqid perms cbytes qnum */
			u[R_NMSGQ]++;
			u[R_MSGQSIZE] += a[3];
			u[R_MSGQQUEUED] += a[4];
		} else if (which == 1 && sscanf(line, "%lld %lld %llo %lld",
		    &a[0], &a[1], &a[2], &a[3]) == 4) {
			/* key semid perms nsems */
			u[R_NSEM] += a[3];
		} else if (which == 2 && sscanf(line, "%lld %lld %llo %lld",
		    &a[0], &a[1], &a[2], &a[3]) == 4) {
			/* key shmid perms size */
			u[R_NSHM]++;
			u[R_SHMSIZE] += a[3];
		}
	}
	free(out);
}

static int64_t
count_ptys(const struct rjail *j)
{
	char *dir = xasprintf("/proc/%d/root/dev/pts", (int)j->init);
	DIR *d = opendir(dir);
	struct dirent *de;
	int64_t n = 0;

	free(dir);
	if (!rctl_jail_has_devpts(j)) {
		if (d != NULL)
			closedir(d);
		return 0;
	}
	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static int64_t
wallclock(const struct rjail *j)
{
	char *up = read_file("/proc/uptime", NULL);
	double uptime = up ? strtod(up, NULL) : 0;
	long hz = sysconf(_SC_CLK_TCK);

	free(up);
	if (j->start == 0 || hz <= 0)
		return 0;
	return (int64_t)(uptime - (double)j->start / (double)hz);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int
rctl_usage(const struct rjail *j, int64_t u[R_NRES])
{
	int64_t cpu0, cpu1, io0[4], io1[4];
	struct timespec t0, t1;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	cpu0 = rctl_cpu_ns(j);
	rctl_io_totals(j, io0);
	sleep_ms(RATE_MS);
	cpu1 = rctl_cpu_ns(j);
	rctl_io_totals(j, io1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rctl_usage_now(j, u);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (cpu1 >= 0 && cpu0 >= 0)
		u[R_PCPU] = (int64_t)((double)(cpu1 - cpu0) / 1e9 / secs * 100 + 0.5);
	for (int k = 0; k < 4; k++)
		u[R_READBPS + k] = (int64_t)((double)(io1[k] - io0[k]) / secs);
	return 0;
}

int
rctl_usage_now(const struct rjail *j, int64_t u[R_NRES])
{
	const struct cgroup_dir *d;
	pid_t *pids = NULL;
	size_t n = 0;
	int64_t cpu = rctl_cpu_ns(j);

	for (int i = 0; i < R_NRES; i++)
		u[i] = 0;
	if (cpu >= 0)
		u[R_CPUTIME] = cpu / 1000000000;
	(void)cgroup_pids(&j->cg, &pids, &n);
	u[R_MAXPROC] = (int64_t)n;
	/*
	 * A jail with no memory or pids cgroup of its own (no rule needed
	 * one: cgroup_create's v1_later) is counted as FreeBSD's racct
	 * counts it: resident pages and threads of its processes.
	 */
	proc_sums(pids, n, &u[R_DATASIZE], &u[R_STACKSIZE],
	    &u[R_MEMORYLOCKED], &u[R_VMEMORYUSE], &u[R_OPENFILES],
	    &u[R_MEMORYUSE], &u[R_NTHR]);
	free(pids);

	if ((d = cgroup_made(&j->cg, "pids")) != NULL)
		u[R_NTHR] = cg_read_num(d, "pids.current");
	if ((d = cgroup_made(&j->cg, "memory")) != NULL) {
		if (d->version == 1) {
			int64_t sw = cg_read_num(d, "memory.memsw.usage_in_bytes");

			u[R_MEMORYUSE] = cg_read_num(d, "memory.usage_in_bytes");
			if (sw > u[R_MEMORYUSE])
				u[R_SWAPUSE] = sw - u[R_MEMORYUSE];
		} else {
			u[R_MEMORYUSE] = cg_read_num(d, "memory.current");
			u[R_SWAPUSE] = cg_read_num(d, "memory.swap.current");
		}
	}
	u[R_PSEUDOTERMINALS] = count_ptys(j);
	u[R_WALLCLOCK] = wallclock(j);
	ipc_usage(j, u);
	for (int i = 0; i < R_NRES; i++)
		if (u[i] < 0)
			u[i] = 0;
	return 0;
}
