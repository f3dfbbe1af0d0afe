/*
 * The registry: one file per jail under $GAOL_RUNDIR/jails, replaced
 * atomically, and a lock file that every changing command holds while
 * it reads, decides and writes.  The record format is in record.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "index.h"
#include "listing.h"
#include "registry.h"
#include "record.h"

static char *
jails_dir(void)
{
	return xasprintf("%s/jails", gaol_rundir());
}

static char *
record_path(int jid)
{
	return xasprintf("%s/jails/%d", gaol_rundir(), jid);
}

static int
lock_registry(bool create)
{
	char *dir = jails_dir(), *lock;
	int fd;

	if (create && mkdir_p(dir, 0700) == -1) {
		free(dir);
		return -1;
	}
	free(dir);
	lock = xasprintf("%s/lock", gaol_rundir());
	fd = open(lock, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
	if (fd == -1) {
		gerr_set_errno("%s", lock);
		free(lock);
		return -1;
	}
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			gerr_set_errno("%s", lock);
			free(lock);
			close(fd);
			return -1;
		}
	}
	free(lock);
	return fd;
}

int
registry_lock(void)
{
	return lock_registry(true);
}

/*
 * For readers: a registry no command has written yet has nothing to
 * settle, and a reader must not create it (-1, errno ENOENT).
 */
int
registry_lock_existing(void)
{
	return lock_registry(false);
}

void
registry_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

void
registry_unlockp(int *fd)
{
	int saved = errno;

	registry_unlock(*fd);
	errno = saved;
}

/*
 * Only a regular file is read, and without waiting: a FIFO or a device
 * put in the directory must not hang every command.  There is no size
 * limit: a record is as long as its jail.conf block.
 */
static char *
read_record(int dirfd, const char *name)
{
	struct stat st;
	size_t len;
	char *buf;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW |
	    O_NOCTTY);
	if (fd == -1) {
		gerr_set_errno("cannot open it");
		return NULL;		/* errno ENOENT: it is gone */
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		gerr_set("not a regular file");
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	buf = read_fd(fd, "read", &len);
	close(fd);
	if (buf == NULL)
		return NULL;
	if (strlen(buf) != len) {
		gerr_set("damaged (a NUL byte)");
		free(buf);
		return NULL;
	}
	return buf;
}

static int
load_at(int dirfd, const char *name, int jid, struct jrecord *rec)
{
	char *text = read_record(dirfd, name);
	int r;

	memset(rec, 0, sizeof(*rec));
	if (text == NULL)
		return -1;
	r = record_decode(text, rec);
	free(text);
	if (r == 0 && rec->jid != jid) {
		gerr_set("its jid line says %d", rec->jid);
		jrecord_free(rec);
		r = -1;
	}
	if (r == -1)
		errno = EBADMSG;	/* there, but not a record */
	return r;
}

/*
 * A record that cannot be read still holds its jid: its jail may run,
 * and handing the jid (and so the cgroups) to a new jail would put the
 * two together.  Say so each time, and keep it for an administrator.
 */
static void
mark_unreadable(struct jrecord *rec, int jid)
{
	memset(rec, 0, sizeof(*rec));
	rec->jid = jid;
	rec->name = xstrdup("");
	rec->state = JS_DEFUNCT;
	rec->unreadable = true;
}

static void
hold_unreadable(struct jrecord *rec, int jid)
{
	gwarn("%s/jails/%d: unreadable record: %s; kept, and "
	    "jid %d is not reused until it is removed",
	    gaol_rundir(), jid, gerr_msg(), jid);
	mark_unreadable(rec, jid);
}

int
registry_load(int jid, struct jrecord *rec)
{
	char *path = record_path(jid);
	int r = load_at(AT_FDCWD, path, jid, rec);

	if (r == -1) {
		gerr_prefix("%s: unreadable record: ", path);
	}
	free(path);
	return r;
}

/*
 * One record by its jid, read alone: 0; 1 when there is none (or it
 * went while we looked: a reader does not hold the lock); -1 when it is
 * there but cannot be read, said as every reader says it.
 */
static int
load_one(int jid, struct jrecord *rec)
{
	char *path = record_path(jid);
	int r = load_at(AT_FDCWD, path, jid, rec);

	free(path);
	if (r == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	hold_unreadable(rec, jid);
	jrecord_free(rec);
	return -1;
}

/* pidfs's PIDFD_GET_PID_NAMESPACE (Linux 6.11), for a jail without /proc. */
#define PIDFD_GET_PID_NS	_IO(0xFF, 5)

static unsigned long long
ns_inode(int fd)
{
	struct stat st;
	unsigned long long ino = 0;

	if (fd >= 0 && fstat(fd, &st) == 0)
		ino = (unsigned long long)st.st_ino;
	if (fd >= 0)
		close(fd);
	return ino;
}

/*
 * The link's text, "pid:[INODE]", costs one system call: jls and the
 * /proc scanners (jail_pids) ask this of every process.
 */
unsigned long long
proc_pidns(pid_t pid)
{
	char path[64], link[64];
	unsigned long long ino;
	ssize_t len;
	int fd, ns;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	if ((len = readlink(path, link, sizeof(link) - 1)) > 0) {
		link[len] = '\0';
		if (sscanf(link, "pid:[%llu]", &ino) == 1)
			return ino;
	}
	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
		return 0;
	ns = ioctl(fd, PIDFD_GET_PID_NS, 0);
	close(fd);
	return ns_inode(ns);
}

unsigned long long
self_pidns(void)
{
	static unsigned long long self;

	if (self == 0)
		self = proc_pidns(getpid());
	return self;
}

/*
 * A record made in another pid namespace: the host's, seen from a jail
 * that shares its GAOL_RUNDIR (path=/), or a nested jail's, seen from
 * the host.  Its pids mean nothing here: it is neither listed nor
 * settled, only its jid is kept from reuse (registry_alloc_jid).
 */
static bool
foreign(const struct jrecord *rec)
{
	return rec->pidns != 0 && rec->pidns != self_pidns();
}

static int
jid_cmp(const void *a, const void *b)
{
	return ((const struct jrecord *)a)->jid - ((const struct jrecord *)b)->jid;
}

/* Whether a directory entry is a record's name: a jid as we write it. */
static bool
jid_name(const char *name, long long *jid)
{
	char canon[16];

	if (parse_int(name, jid) == -1 || *jid <= 0 || *jid > INT32_MAX)
		return false;
	snprintf(canon, sizeof(canon), "%lld", *jid);
	return strcmp(canon, name) == 0;
}

static int
load_all(struct jrecord **recsp, size_t *np, bool sweep, bool all)
{
	char *dir = jails_dir();
	struct jrecord *recs = NULL;
	struct dirent *de;
	size_t n = 0, cap = 0;
	long long jid;
	DIR *d;

	*recsp = NULL;
	*np = 0;
	if ((d = opendir(dir)) == NULL) {
		int r = errno == ENOENT ? 0 : -1;

		if (r == -1)
			gerr_set_errno("%s", dir);
		free(dir);
		return r;
	}
	while ((de = readdir(d)) != NULL) {
		/* Writers hold the lock, so a temporary file is a killed one's. */
		if (sweep && strstr(de->d_name, ".tmp.") != NULL) {
			(void)unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		if (!jid_name(de->d_name, &jid))
			continue;
		if (n == cap)
			recs = xrealloc(recs, cap = cap ? cap * 2 : 16,
			    sizeof(*recs));
		if (load_at(dirfd(d), de->d_name, (int)jid, &recs[n]) == -1) {
			/* Removed since readdir by a jail -r that holds the
			 * lock while we, a reader, do not: no record now. */
			if (errno == ENOENT)
				continue;
			hold_unreadable(&recs[n], (int)jid);
			n++;
		} else if (!all && foreign(&recs[n]))
			jrecord_free(&recs[n]);
		else
			n++;
	}
	closedir(d);
	free(dir);
	if (n > 1)
		qsort(recs, n, sizeof(*recs), jid_cmp);
	*recsp = recs;
	*np = n;
	return 0;
}

int
registry_load_all(struct jrecord **recsp, size_t *np)
{
	return load_all(recsp, np, false, false);
}

int
registry_load_all_sweep(struct jrecord **recsp, size_t *np)
{
	return load_all(recsp, np, true, false);
}

/* Every record, of any pid namespace, in the index (with the lock). */
static int
build_index(void)
{
	struct jrecord *recs;
	size_t n;
	int r;

	if (load_all(&recs, &n, false, true) == -1)
		return -1;
	r = index_rebuild(recs, n);
	jrecords_free(recs, n);
	return r;
}

void
registry_drop_children(unsigned long long jailns)
{
	struct jrecord *recs;
	size_t n;

	/* The index knows whether that namespace made any record. */
	if (jailns == 0 || index_has_ns(jailns) == 0 ||
	    load_all(&recs, &n, false, true) == -1)
		return;
	for (size_t i = 0; i < n; i++)
		if (recs[i].pidns == jailns)
			(void)registry_delete(&recs[i]);
	jrecords_free(recs, n);
	index_drop_ns(jailns);
}

/* Whether a record file holds the jid: another namespace's, or unreadable. */
static bool
jid_on_disk(int jid)
{
	char *path = record_path(jid);
	bool r = access(path, F_OK) == 0;

	free(path);
	return r;
}

/*
 * With $GAOL_RUNDIR full, a new copy cannot be written, but stopping a
 * jail must still work: rewrite the record where it is when it fits in
 * what the file already holds.  Not atomic, but a write cut short
 * fails the record's checksum, and an unreadable record is kept.
 */
static int
save_in_place(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	int r = -1;

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_blocks * 512 >= len &&
	    pwrite(fd, text, len, 0) == (ssize_t)len && ftruncate(fd, (off_t)len) == 0)
		r = 0;
	close(fd);
	return r;
}

int
registry_save(const struct jrecord *rec)
{
	char *path, *text;
	int r;

	/* The index first: a crash between the two leaves a stale link. */
	if (index_put(rec) == -1 && (errno != ENOENT || build_index() == -1 ||
	    index_put(rec) == -1))
		return -1;
	/* The listing says "read the file" until it has the new text. */
	if (listing_dirty(rec->jid) == -1)
		return -1;
	path = record_path(rec->jid);
	text = record_encode(rec);
	r = write_file_atomic(path, text, strlen(text), 0600);
	if (r == -1 && (errno == ENOSPC || errno == EDQUOT) &&
	    save_in_place(path, text, strlen(text)) == 0)
		r = 0;
	if (r == 0)
		listing_put(rec);
	free(text);
	free(path);
	return r;
}

int
registry_delete(const struct jrecord *rec)
{
	char *path = record_path(rec->jid);

	if (listing_dirty(rec->jid) == -1 ||
	    (unlink(path) == -1 && errno != ENOENT)) {
		gerr_set_errno("%s", path);
		free(path);
		return -1;
	}
	free(path);
	listing_del(rec->jid);
	/* After the record: a crash between the two leaves a stale link. */
	index_drop(rec);
	return 0;
}

/*
 * The records the listing holds, of this pid namespace, in jid order;
 * one marked dirty (changing, or unreadable) read from its file.  With
 * the lock (locked), a listing that is missing or cannot be trusted is
 * written again from every record, and one that holds mostly
 * superseded entries is written whole.  Without a listing: every
 * record, read.
 */
static int
load_listed(struct jrecord **recsp, size_t *np, bool locked)
{
	struct jrecord *recs;
	size_t nv, n = 0;
	bool compact, whole = false;

	if (listing_read(&recs, &nv, &compact) == -1) {
		if (!locked)
			return registry_load_all(recsp, np);
		if (load_all(&recs, &nv, true, true) == -1)
			return -1;
		(void)listing_rebuild(recs, nv);
		whole = true;
	} else if (locked && compact)
		(void)listing_rebuild(recs, nv);
	for (size_t i = 0; i < nv; i++) {
		int jid = recs[i].jid;

		/* Dirty in the listing: what its file says. */
		if (!whole && recs[i].unreadable) {
			jrecord_free(&recs[i]);
			if (registry_load_held(jid, &recs[n]) == 1)
				continue;
		} else if (n < i) {
			recs[n] = recs[i];
			memset(&recs[i], 0, sizeof(recs[i]));
		}
		if (!recs[n].unreadable && foreign(&recs[n]))
			jrecord_free(&recs[n]);
		else
			n++;
	}
	*recsp = recs;
	*np = n;
	return 0;
}

int
registry_load_listed(struct jrecord **recsp, size_t *np)
{
	return load_listed(recsp, np, false);
}

int
registry_load_listed_locked(struct jrecord **recsp, size_t *np)
{
	return load_listed(recsp, np, true);
}

int
registry_load_held(int jid, struct jrecord *rec)
{
	int r = load_one(jid, rec);

	if (r == -1)
		mark_unreadable(rec, jid);
	return r;
}

void
registry_renamed(const struct jrecord *rec, const char *old)
{
	index_unname(rec->pidns, old, rec->jid);
}

/* $GAOL_RUNDIR/lastjid: the jid given last, kept across commands. */
static char *
last_jid_path(void)
{
	return xasprintf("%s/lastjid", gaol_rundir());
}

static int
last_jid(void)
{
	char *path = last_jid_path(), *text = read_file(path, NULL);
	long long v = 0;

	if (text == NULL || parse_int(text, &v) == -1 || v < 0 || v > JAIL_MAX)
		v = 0;
	free(text);
	free(path);
	return (int)v;
}

static int
save_last_jid(int jid)
{
	char *path = last_jid_path(), buf[16];
	int r;

	snprintf(buf, sizeof(buf), "%d", jid);
	r = write_file_atomic(path, buf, strlen(buf), 0600);
	free(path);
	return r;
}

void
registry_unalloc_jid(int jid)
{
	if (last_jid() == jid)
		(void)save_last_jid(jid - 1);
}

int
registry_alloc_jid(int want)
{
	int jid;

	if (want > 0) {
		if (jid_on_disk(want)) {
			gerr_set("jail %d already exists", want);
			errno = EEXIST;
			return -1;
		}
		return want;
	}
	/*
	 * FreeBSD's rule: the one after the last assigned, skipping those
	 * in use (by a record, or one this namespace does not see) and
	 * wrapping at JAIL_MAX, so that a jid a script still holds does not
	 * name a new jail at once.
	 */
	jid = last_jid();
	for (int tries = 0; tries < JAIL_MAX; tries++) {
		jid = jid >= JAIL_MAX ? 1 : jid + 1;
		if (!jid_on_disk(jid))
			return save_last_jid(jid) == -1 ? -1 : jid;
	}
	gerr_set("no available jail IDs");
	errno = EAGAIN;
	return -1;
}

bool
jrecord_is_jail(const struct jrecord *r)
{
	return r->state == JS_ALIVE ||
	    (r->state == JS_CREATING && r->init_pid != 0);
}

bool
registry_running(const char *arg)
{
	struct jrecord rec;

	if (arg == NULL || registry_find(arg, &rec) == -1)
		return false;
	jrecord_free(&rec);
	return true;
}

/* Which records a lookup takes. */
typedef bool (*record_ok)(const struct jrecord *);

static bool
any_record(const struct jrecord *r)
{
	(void)r;
	return true;
}

static bool
not_dying(const struct jrecord *r)
{
	return r->state != JS_DYING;
}

/* The jid a word names, when it is one. */
static bool
word_jid(const char *arg, int *jid)
{
	long long v;

	if (parse_int(arg, &v) == -1 || v <= 0 || v > INT32_MAX)
		return false;
	*jid = (int)v;
	return true;
}

static int
lookup_jid(int jid, record_ok ok, struct jrecord *out)
{
	if (load_one(jid, out) != 0)
		return -1;
	if (foreign(out) || !ok(out)) {
		jrecord_free(out);
		return -1;
	}
	return 0;
}

/* Without an index (or for a name it cannot hold): read them all. */
static int
lookup_scan(const char *arg, bool by_jid, record_ok ok, struct jrecord *out)
{
	struct jrecord *recs;
	int jid = 0, found = -1;
	size_t n;

	if (registry_load_all(&recs, &n) == -1)
		return -1;
	if (by_jid && word_jid(arg, &jid))
		for (size_t i = 0; i < n && found < 0; i++)
			if (ok(&recs[i]) && recs[i].jid == jid)
				found = (int)i;
	for (size_t i = 0; i < n && found < 0; i++)
		if (ok(&recs[i]) && strcmp(recs[i].name, arg) == 0)
			found = (int)i;
	if (found >= 0) {
		*out = recs[found];
		memset(&recs[found], 0, sizeof(recs[found]));
	}
	jrecords_free(recs, n);
	return found >= 0 ? 0 : -1;
}

/*
 * The record a jid or name names in this pid namespace, reading that
 * record alone: by jid its file, by name the one the index points to
 * (index.c), checked, as the index may be stale.  The jid first, as on
 * FreeBSD.  -1, errno ENOENT, when no record that ok takes answers.
 */
static int
lookup(const char *arg, bool by_jid, record_ok ok, struct jrecord *out)
{
	int jid;

	memset(out, 0, sizeof(*out));
	if (by_jid && word_jid(arg, &jid) && lookup_jid(jid, ok, out) == 0)
		return 0;
	jid = index_jid(self_pidns(), arg);
	if (jid == -1) {
		if (lookup_scan(arg, by_jid, ok, out) == 0)
			return 0;
	} else if (jid > 0 && lookup_jid(jid, ok, out) == 0) {
		if (strcmp(out->name, arg) == 0)
			return 0;
		jrecord_free(out);
	}
	gerr_set("%s: not found", arg);
	errno = ENOENT;
	return -1;
}

int
registry_lookup(const char *arg, struct jrecord *out)
{
	return lookup(arg, true, any_record, out);
}

int
registry_lookup_name(const char *name, struct jrecord *out)
{
	return lookup(name, false, not_dying, out);
}

int
registry_load_dependents(struct jrecord **recsp, size_t *np)
{
	struct jrecord *recs = NULL;
	size_t n = 0, k = 0;
	int *jids;

	*recsp = NULL;
	*np = 0;
	if (index_dependents(&jids, &n) == -1) {
		if (registry_load_all(&recs, &n) == -1)
			return -1;
		for (size_t i = 0; recs != NULL && i < n; i++)
			if (!recs[i].unreadable && index_is_dependent(&recs[i]))
				recs[k++] = recs[i];
			else
				jrecord_free(&recs[i]);
	} else {
		recs = xcalloc(n + 1, sizeof(*recs));
		for (size_t i = 0; i < n; i++)
			if (lookup_jid(jids[i], any_record, &recs[k]) == 0 &&
			    index_is_dependent(&recs[k]))
				k++;
			else
				jrecord_free(&recs[k]);
		free(jids);
		if (k > 1)
			qsort(recs, k, sizeof(*recs), jid_cmp);
	}
	*recsp = recs;
	*np = k;
	return 0;
}

int
registry_find(const char *arg, struct jrecord *out)
{
	int fd;

	if (lookup(arg, true, jrecord_is_jail, out) == -1)
		return -1;
	if ((fd = proc_alive(out->init_pid, out->init_start)) == -1) {
		jrecord_free(out);
		gerr_set("%s: not found", arg);
		errno = ENOENT;
		return -1;
	}
	close(fd);
	return 0;
}

void
jrecord_add_intent(struct jrecord *rec, const char *kind, const char *arg)
{
	rec->intents = xrealloc(rec->intents, rec->nintents + 1,
	    sizeof(*rec->intents));
	rec->intents[rec->nintents].kind = xstrdup(kind);
	rec->intents[rec->nintents].arg = xstrdup(arg);
	rec->nintents++;
}

void
jrecord_drop_intent(struct jrecord *rec, const char *kind, const char *arg)
{
	for (size_t i = 0; i < rec->nintents; i++) {
		struct intent *it = &rec->intents[i];

		if (strcmp(it->kind, kind) != 0 || strcmp(it->arg, arg) != 0)
			continue;
		free(it->kind);
		free(it->arg);
		memmove(it, it + 1, (rec->nintents - i - 1) * sizeof(*it));
		rec->nintents--;
		return;
	}
}

void
jrecord_free(struct jrecord *rec)
{
	free(rec->name);
	jparams_free(&rec->params);
	jnet_free(&rec->net);
	for (size_t i = 0; i < rec->nintents; i++) {
		free(rec->intents[i].kind);
		free(rec->intents[i].arg);
	}
	free(rec->intents);
	strlist_clear(&rec->unknown);
	memset(rec, 0, sizeof(*rec));
}

void
jrecords_free(struct jrecord *recs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jrecord_free(&recs[i]);
	free(recs);
}

/*
 * A process's identity is its start time, from /proc/PID/stat.  A tool
 * run in a jail without /proc (mount.procfs unset) takes pidfs's instead:
 * the inode number of a pidfd, never reused while the host runs, marked
 * with the top bit so that it is never compared with a start time.
 */
#define START_PIDFS	(1ULL << 63)

/* The state letter and start time of a process, from /proc/PID/stat. */
static bool
proc_stat(pid_t pid, char *state, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return false;
	buf[len] = '\0';
	/* comm may hold spaces and parentheses: count from the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return false;
	*state = p[2];
	for (int field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return false;
	*start = strtoull(p + 1, NULL, 10);
	return true;
}

/* The same from pidfs: 'Z' once it has exited, the marked inode number. */
static bool
pidfs_stat(pid_t pid, char *state, unsigned long long *start)
{
	struct pollfd pfd = { .events = POLLIN };
	struct stat st;
	bool ok;

	if (pid <= 0 || (pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0)) == -1)
		return false;
	ok = fstat(pfd.fd, &st) == 0;
	*state = poll(&pfd, 1, 0) != 0 ? 'Z' : 'R';
	*start = (unsigned long long)st.st_ino | START_PIDFS;
	close(pfd.fd);
	return ok;
}

/*
 * Whether pid is the process whose identity is start, with its state.
 * A start time seen where there is no /proc to read it from cannot be
 * checked: the process that has the pid is taken for it.
 */
static bool
proc_is(pid_t pid, unsigned long long start, char *state)
{
	unsigned long long now;

	if (!(start & START_PIDFS) && proc_mounted())
		return proc_stat(pid, state, &now) && now == start;
	return pidfs_stat(pid, state, &now) &&
	    (now == start || !(start & START_PIDFS));
}

unsigned long long
proc_starttime(pid_t pid)
{
	unsigned long long start;
	char state;

	if (!proc_mounted())
		return pidfs_stat(pid, &state, &start) ? start : 0;
	return proc_stat(pid, &state, &start) ? start : 0;
}

bool
proc_running(pid_t pid, unsigned long long start)
{
	char state;

	return pid > 0 && proc_is(pid, start, &state) && state != 'Z' &&
	    state != 'X';
}

int
proc_alive(pid_t pid, unsigned long long start)
{
	struct pollfd pfd;
	char state;
	int fd;

	if (pid <= 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd == -1)
		return -1;
	/*
	 * The pidfd pins the process: if it has not exited now, the stat
	 * we read below is that process's, so a reused pid cannot pass.
	 */
	if (!proc_is(pid, start, &state)) {
		close(fd);
		return -1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) != 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

void
self_identity(pid_t *pid, unsigned long long *start)
{
	*pid = getpid();
	*start = proc_starttime(*pid);
}
