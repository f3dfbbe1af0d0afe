/*
 * What the kernel says of a jail beyond its record, from /proc: its
 * processes, and the jails made inside it.  Its processes also without
 * /proc, from the cgroup hierarchy.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <unistd.h>

#include "internal.h"

/* The identity (device, inode) of a process's user namespace, or of its
 * parent with NS_GET_PARENT. */
static bool
userns_id(pid_t pid, bool parent, dev_t *dev, ino_t *ino)
{
	char path[64];
	struct stat st;
	int fd, pfd;
	bool ok;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	if (parent) {
		pfd = ioctl(fd, NS_GET_PARENT);
		close(fd);
		if ((fd = pfd) == -1)
			return false;
	}
	ok = fstat(fd, &st) == 0;
	close(fd);
	*dev = st.st_dev;
	*ino = st.st_ino;
	return ok;
}

/* Whether pid is pid 1 of a pid namespace of its own (a jail's init). */
static bool
ns_init(pid_t pid)
{
	char path[64], *status, *p, *nl;
	bool one = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((status = read_file(path, NULL)) == NULL)
		return false;
	/* "NSpid:\t4711\t1": the last field is the pid in its own one. */
	if ((p = strstr(status, "\nNSpid:")) != NULL) {
		if ((nl = strchr(p + 1, '\n')) != NULL)
			*nl = '\0';
		p = strrchr(p, '\t');
		one = p != NULL && strcmp(p + 1, "1") == 0;
	}
	free(status);
	return one;
}

int
jail_kernel_children(const struct jrecord *r)
{
	struct dirent *de;
	dev_t jdev, dev;
	ino_t jino, ino;
	long long pid;
	int n = 0;
	DIR *d;

	if (jparams_int(&r->params, "children.max") <= 0 ||
	    !userns_id(r->init_pid, false, &jdev, &jino) ||
	    (d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (parse_int(de->d_name, &pid) == 0 && pid != r->init_pid &&
		    userns_id((pid_t)pid, true, &dev, &ino) && dev == jdev &&
		    ino == jino && ns_init((pid_t)pid))
			n++;
	closedir(d);
	return n;
}

/* The pids in cgroup dir and below whose pid namespace is ns. */
static void
cgroup_pids_in(int dir, unsigned long long ns, int depth, long long **v,
    size_t *n)
{
	int fd = openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC), sub;
	char *procs = fd >= 0 ? read_fd(fd, "cgroup.procs", NULL) : NULL;
	char *save, *line;
	struct dirent *de;
	long long pid;
	DIR *d;

	if (fd >= 0)
		close(fd);
	for (line = procs ? strtok_r(procs, "\n", &save) : NULL; line;
	    line = strtok_r(NULL, "\n", &save))
		if (parse_int(line, &pid) == 0 && pid > 0 &&
		    proc_pidns((pid_t)pid) == ns) {
			*v = xrealloc(*v, *n + 1, sizeof(**v));
			(*v)[(*n)++] = pid;
		}
	free(procs);
	if (depth == 0 || (fd = dup(dir)) == -1)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = openat(dir, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			cgroup_pids_in(sub, ns, depth - 1, v, n);
			close(sub);
		}
	}
	closedir(d);
}

static int
pid_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/*
 * Without /proc (a jail without mount.procfs): the cgroup2 hierarchy we
 * see, which in a jail is the jail's own subtree and holds the jails
 * made in it, names every process in our pid numbers (cgroup.procs).
 */
static void
jail_pids_by_cgroup(const struct jrecord *r, struct strlist *pids)
{
	static const char *const mounts[] = { "/sys/fs/cgroup",
	    "/sys/fs/cgroup/unified" };
	unsigned long long ns = proc_pidns(r->init_pid);
	long long *v = NULL;
	size_t n = 0;
	struct statfs sf;
	int dir;

	for (size_t i = 0; ns != 0 && i < 2 && n == 0; i++) {
		if (statfs(mounts[i], &sf) == -1 ||
		    sf.f_type != CGROUP2_SUPER_MAGIC ||
		    (dir = open(mounts[i], O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1)
			continue;
		cgroup_pids_in(dir, ns, 32, &v, &n);
		close(dir);
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), pid_cmp);
	for (size_t i = 0; i < n; i++)
		strlist_addn(pids, xasprintf("%lld", v[i]));
	free(v);
}

void
jail_pids(const struct jrecord *r, struct strlist *pids)
{
	unsigned long long ns;
	struct dirent *de;
	long long pid;
	DIR *d;

	if (!proc_mounted()) {
		jail_pids_by_cgroup(r, pids);
		return;
	}
	ns = proc_pidns(r->init_pid);
	if (ns == 0 || (d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (parse_int(de->d_name, &pid) == 0 && pid > 0 &&
		    proc_pidns((pid_t)pid) == ns)
			strlist_add(pids, de->d_name);
	closedir(d);
}
