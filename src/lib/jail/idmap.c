/*
 * A jail's own range of host uids and gids (gaol.idmap=private), and the
 * idmapped mounts that keep the files on disk as they are.
 *
 * Ranges are 65536 ids, taken from host uid 0x70000000 (1879048192) up
 * to systemd's "foreign" range at 0x7FFE0000: above the range systemd
 * hands containers (nspawn --private-users=pick, 0x80000 to 0x6FFFFFFF)
 * and below 2^31, which some programs misread as negative.  The
 * allocations live in $GAOL_RUNDIR/idranges ("BASE<tab>NAME" lines),
 * changed only under the registry lock, so a jail that is removed and
 * created again gets the same range, and two jails never share one.
 * docs/design/uid-ranges.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/seccomp.h>

#include "internal.h"
#include "../isolate/isolate.h"
#include "../state/record.h"

#define IDRANGE_FIRST	0x70000000U
#define IDRANGE_END	0x7FFE0000U
#define IDRANGE_SLOTS	((IDRANGE_END - IDRANGE_FIRST) / JAIL_IDS)

struct idrange {
	unsigned long	 base;
	char		*name;
};

struct idranges {
	struct idrange	*v;
	size_t		 n;
};

static char *
ranges_path(void)
{
	return xasprintf("%s/idranges", gaol_rundir());
}

static int
add_line(void *arg, const struct strlist *f)
{
	struct idranges *r = arg;
	char *end;
	unsigned long base;

	if (f->n != 2)
		return 0;
	base = strtoul(f->v[0], &end, 10);
	if (*end != '\0' || base < IDRANGE_FIRST || base >= IDRANGE_END ||
	    (base - IDRANGE_FIRST) % JAIL_IDS != 0)
		return 0;	/* not ours: the slot stays free */
	r->v = xrealloc(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n].base = base;
	r->v[r->n].name = xstrdup(f->v[1]);
	r->n++;
	return 0;
}

static void
ranges_load(struct idranges *r)
{
	char *path = ranges_path(), *text = read_file(path, NULL);

	memset(r, 0, sizeof(*r));
	if (text != NULL)
		(void)record_each_line(text, add_line, r);
	free(text);
	free(path);
}

static int
ranges_save(const struct idranges *r)
{
	char *buf = NULL, *path = ranges_path();
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);
	int ret;

	for (size_t i = 0; i < r->n; i++) {
		fprintf(f, "%lu\t", r->v[i].base);
		record_put_escaped(f, r->v[i].name);
		fputc('\n', f);
	}
	fclose(f);
	ret = write_file_atomic(path, buf, len, 0644);
	free(buf);
	free(path);
	return ret;
}

static void
ranges_free(struct idranges *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
}

static bool
slot_taken(const struct idranges *r, unsigned long base)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].base == base)
			return true;
	return false;
}

static bool
name_live(const struct jrecord *recs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(recs[i].name, name) == 0)
			return true;
	return false;
}

/*
 * Only when every range is remembered are the records read (all of
 * them: a dying jail's processes may still hold its range).
 */
static unsigned long
forget_one(struct idranges *r)
{
	struct jrecord *recs;
	unsigned long base = 0;
	size_t n;

	if (registry_load_all(&recs, &n) == -1)
		return 0;
	for (size_t i = 0; i < r->n && base == 0; i++)
		if (!name_live(recs, n, r->v[i].name)) {
			base = r->v[i].base;
			free(r->v[i].name);
			r->v[i] = r->v[--r->n];
		}
	jrecords_free(recs, n);
	return base;
}

unsigned long
idrange_take(const char *name)
{
	struct idranges r;
	unsigned long base = 0;

	ranges_load(&r);
	for (size_t i = 0; i < r.n && base == 0; i++)
		if (strcmp(r.v[i].name, name) == 0)
			base = r.v[i].base;
	if (base != 0) {
		ranges_free(&r);
		return base;
	}
	for (unsigned long s = 0; s < IDRANGE_SLOTS && base == 0; s++)
		if (!slot_taken(&r, IDRANGE_FIRST + s * JAIL_IDS))
			base = IDRANGE_FIRST + s * JAIL_IDS;
	/* All remembered: forget a name that no jail has now. */
	if (base == 0)
		base = forget_one(&r);
	if (base == 0) {
		gerr_set("%s: gaol.idmap: every range of host ids is in use "
		    "(%u jails)", name, (unsigned)IDRANGE_SLOTS);
		ranges_free(&r);
		return 0;
	}
	r.v = xrealloc(r.v, r.n + 1, sizeof(*r.v));
	r.v[r.n].base = base;
	r.v[r.n].name = xstrdup(name);
	r.n++;
	if (ranges_save(&r) == -1)
		base = 0;
	ranges_free(&r);
	return base;
}

/*
 * PID's uid_map or gid_map (which): in /proc, or, in a jail without
 * /proc, through the jail's init (the map door, guard.c).  -1 with errno.
 */
static int
map_open(pid_t pid, const char *which, int flags)
{
	char path[64];
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
	if ((fd = open(path, flags | O_CLOEXEC)) >= 0 || proc_mounted())
		return fd;
	saved = errno;
	snprintf(path, sizeof(path), "%d/%s", (int)pid, which);
	if ((fd = openat(INIT_DOOR_FD, path, flags | O_CLOEXEC)) == -1 &&
	    errno == EBADF)
		errno = saved;	/* no door: say what was missing */
	return fd;
}

/*
 * The ids a jail may map: the whole of ours, which is every id on the
 * host, or, inside a jail, that jail's range (the count, third field,
 * of our own uid_map).
 */
unsigned long
idmap_count(int procfd)
{
	int fd = procfd >= 0 ? openat(procfd, "self/uid_map",
	    O_RDONLY | O_CLOEXEC) : map_open(getpid(), "uid_map", O_RDONLY);
	char *map = fd >= 0 ? read_fd(fd, "uid_map", NULL) : NULL;
	unsigned long first = 1, lower, count = 0;

	if (fd >= 0)
		close(fd);
	if (map == NULL || sscanf(map, "%lu %lu %lu", &first, &lower,
	    &count) != 3 || first != 0)
		count = 0;
	free(map);
	return count;
}

int
idmap_write(pid_t pid, unsigned long base)
{
	unsigned long count = base != 0 ? JAIL_IDS : idmap_count(-1);
	static const char *const which[] = { "uid_map", "gid_map" };
	char map[64];
	int fd;

	if (count == 0) {
		gerr_set("cannot read this process's uid map");
		return -1;
	}
	snprintf(map, sizeof(map), "0 %lu %lu", base, count);
	for (int i = 0; i < 2; i++) {
		if ((fd = map_open(pid, which[i], O_WRONLY)) == -1) {
			gerr_set_errno("the jail's %s", which[i]);
			return -1;
		}
		if (write_full(fd, map, strlen(map)) == -1) {
			gerr_set_errno("the jail's %s: write \"%s\"", which[i],
			    map);
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

ino_t
proc_ns_at(int procfd, const char *pid, const char *ns)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/ns/%s", pid, ns);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == -1)
		st.st_ino = 0;
	close(fd);
	return st.st_ino;
}

/*
 * The map door's server, in the init.  What it opens is what the
 * caller could open in a /proc of its own, and no more: one map file of
 * a process of the caller's pid namespace, named as the caller numbers
 * it.  Writing it stays the kernel's to allow: once, within the jail's
 * ids, by a writer holding CAP_SETUID over the jail's user namespace, for
 * a user namespace made directly in it.  So the jail's root, and nothing
 * less privileged, can map its child; no procfs reaches the jail.
 */
int
idmap_door_open(const struct seccomp_notif *req, int listener, int procfd,
    int mapsfd, int procdoor)
{
	char path[32], caller[16], *slash;
	struct iovec local = { path, sizeof(path) - 1 }, remote = {
		(void *)(uintptr_t)req->data.args[1], sizeof(path) - 1 };
	int acc = (int)req->data.args[2] & O_ACCMODE;
	long long pid;
	ssize_t n;
	__u64 id = req->id;
	ino_t ours;
	int fd;

	if (mapsfd < 0)
		return -EBADF;	/* no door here: what openat would say */
	memset(path, 0, sizeof(path));
	/* Up to the end of its page: the rest may be unmapped. */
	if ((n = process_vm_readv((pid_t)req->pid, &local, 1, &remote, 1,
	    0)) <= 0)
		return -EFAULT;
	/* The pid, and with it what was read, is the caller's while the
	 * notification is pending. */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == -1)
		return -ESRCH;
	if (memchr(path, '\0', (size_t)n) == NULL)
		return -ENAMETOOLONG;
	/* A nested jail's init, in a pid namespace of its own. */
	if (strcmp(path, "procfs") == 0)
		return procdoor_ask(procdoor, procfd, req, listener);
	/* Its numbers must be ours: a nested jail's process numbers its own. */
	snprintf(caller, sizeof(caller), "%d", (int)req->pid);
	if ((ours = proc_ns_at(procfd, "self", "pid")) == 0 ||
	    proc_ns_at(procfd, caller, "pid") != ours)
		return -EBADF;
	if (strncmp(path, "net/", 4) == 0)
		return netdoor_serve(req, listener, procfd, path);
	if ((slash = strchr(path, '/')) == NULL ||
	    (strcmp(slash, "/uid_map") != 0 &&
	    strcmp(slash, "/gid_map") != 0))
		return -EACCES;
	*slash = '\0';
	if (parse_int(path, &pid) == -1 || pid <= 0 || pid > INT_MAX)
		return -ENOENT;
	if (acc != O_RDONLY && acc != O_WRONLY)
		return -EACCES;
	*slash = '/';
	if ((fd = openat(mapsfd, path, acc | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -errno;
	return fd;
}

/*
 * The creator's side of an idmapped mount: the init names a host path
 * (with a byte: 's' strict, 'b' best effort) and gets back a detached
 * copy of it, with its submounts, idmapped to its user namespace, or an
 * errno.  The creator's mount namespace is the one the init's was copied
 * from, so the path names the same tree.
 */
int
idmapped_tree(const char *path, bool strict, pid_t init)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
	char nspath[64];
	int tree, userns, saved;

	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/user", (int)init);
	if ((userns = open(nspath, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	tree = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    AT_RECURSIVE);
	attr.userns_fd = (unsigned)userns;
	if (tree >= 0 && mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE,
	    &attr, sizeof(attr)) == -1 && (strict || errno != EINVAL)) {
		saved = errno;
		close(tree);
		errno = saved;
		tree = -1;
	}
	saved = errno;
	close(userns);
	errno = saved;
	return tree;
}

int
idmap_serve(int ctl, const char *msg, pid_t init)
{
	char reply[2] = { INIT_IDMAP, 0 };
	int tree, r;

	/* msg: INIT_IDMAP, 's' or 'b', the path */
	if (msg[1] == '\0' || (tree = idmapped_tree(msg + 2, msg[1] == 's',
	    init)) == -1) {
		reply[1] = (char)(msg[1] == '\0' ? EINVAL : errno);
		return send(ctl, reply, 2, MSG_NOSIGNAL) == 2 ? 0 : -1;
	}
	r = send_fds(ctl, reply, 2, &tree, 1);
	close(tree);
	return r;
}

/* The init's side: a tree from the creator, or -1 with errno. */
int
idmap_request(int ctl, const char *path, bool strict)
{
	char *msg = xasprintf("%c%c%s", INIT_IDMAP, strict ? 's' : 'b', path);
	char reply[4];
	ssize_t n;
	int fd;

	if (send(ctl, msg, strlen(msg), MSG_NOSIGNAL) == -1) {
		free(msg);
		return -1;
	}
	free(msg);
	n = init_ctl_recv(ctl, reply, sizeof(reply), &fd);
	if (n != 2 || reply[0] != INIT_IDMAP) {
		if (fd >= 0)
			close(fd);
		errno = EPIPE;
		return -1;
	}
	if (reply[1] != 0 || fd < 0) {
		errno = reply[1] != 0 ? (unsigned char)reply[1] : EPIPE;
		return -1;
	}
	return fd;
}
