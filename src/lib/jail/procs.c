/*
 * What the kernel says of a jail beyond its record, from /proc: its
 * processes, and the jails made inside it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
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

static char *
pidns_of(pid_t pid)
{
	char path[64], buf[64];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	if ((len = readlink(path, buf, sizeof(buf) - 1)) < 0)
		return NULL;
	buf[len] = '\0';
	return xstrdup(buf);
}

void
jail_pids(const struct jrecord *r, struct strlist *pids)
{
	char *ns = pidns_of(r->init_pid), *other;
	struct dirent *de;
	long long pid;
	DIR *d;

	if (ns == NULL || (d = opendir("/proc")) == NULL) {
		free(ns);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (parse_int(de->d_name, &pid) != 0 || pid <= 0)
			continue;
		if ((other = pidns_of((pid_t)pid)) == NULL)
			continue;
		if (strcmp(ns, other) == 0)
			strlist_add(pids, de->d_name);
		free(other);
	}
	closedir(d);
	free(ns);
}
