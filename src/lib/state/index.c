/*
 * The name index: which record holds a name, without reading the
 * others.  It is a cache of the records, kept true under the registry
 * lock and rebuilt from them when it is missing:
 *
 *	$GAOL_RUNDIR/names/PIDNS/NAME	symlink to the jid, for every
 *					record of pid namespace PIDNS
 *					that is not dying
 *	$GAOL_RUNDIR/names/depend/JID	symlink to the jid, for every
 *					record that may depend on another
 *					jail (a depend parameter, or a
 *					dotted name: "p.q" is p's child)
 *
 * A link is made before the record that needs it is written and removed
 * after that record is deleted, so whatever a crash leaves, the index
 * holds every entry the records need; what it may hold besides (a link
 * whose record is gone or now has another name) is stale, and every
 * reader checks the record it leads to.  A PIDNS directory exists for
 * every pid namespace that has made a record since the index was built:
 * without one, no record of that namespace exists.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index.h"

#define DEPEND_DIR	"depend"

static char *
index_dir(void)
{
	return xasprintf("%s/names", gaol_rundir());
}

bool
index_name_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	    strlen(name) <= NAME_MAX;
}

bool
index_is_dependent(const struct jrecord *rec)
{
	const struct jparam *dep = jparams_find(&rec->params, "depend");

	return strchr(rec->name, '.') != NULL || (dep != NULL && dep->val.n > 0);
}

/* The link under dir (relative to the index) that says jid, made or replaced. */
static int
link_at(int ixfd, const char *sub, const char *name, int jid)
{
	char target[16], have[16], *path = xasprintf("%s/%s", sub, name), *tmp;
	ssize_t len;
	int r = 0;

	snprintf(target, sizeof(target), "%d", jid);
	len = readlinkat(ixfd, path, have, sizeof(have) - 1);
	if (len >= 0 && (size_t)len == strlen(target) &&
	    memcmp(have, target, (size_t)len) == 0) {
		free(path);
		return 0;
	}
	if (mkdirat(ixfd, sub, 0700) == -1 && errno != EEXIST) {
		gerr_set_errno("%s/names/%s", gaol_rundir(), sub);
		free(path);
		return -1;
	}
	/*
	 * Replaced by rename, so that a reader never finds it missing; made
	 * beside the PIDNS directories, where no jail's name can be.
	 */
	tmp = xasprintf(".tmp.%d", (int)getpid());
	(void)unlinkat(ixfd, tmp, 0);
	if (symlinkat(target, ixfd, tmp) == -1 ||
	    renameat(ixfd, tmp, ixfd, path) == -1) {
		gerr_set_errno("%s/names/%s", gaol_rundir(), path);
		(void)unlinkat(ixfd, tmp, 0);
		r = -1;
	}
	free(tmp);
	free(path);
	return r;
}

/* Remove the link if it still says jid (a newer one is another's). */
static void
unlink_at(int ixfd, const char *sub, const char *name, int jid)
{
	char have[16], *path = xasprintf("%s/%s", sub, name);
	ssize_t len = readlinkat(ixfd, path, have, sizeof(have) - 1);
	long long v;

	if (len > 0) {
		have[len] = '\0';
		if (parse_int(have, &v) == 0 && v == jid)
			(void)unlinkat(ixfd, path, 0);
	}
	free(path);
}

static int
open_index(void)
{
	char *dir = index_dir();
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 && errno != ENOENT)
		gerr_set_errno("%s", dir);
	free(dir);
	return fd;
}

static int
put_at(int ixfd, const struct jrecord *rec)
{
	char ns[24], jid[16];

	snprintf(ns, sizeof(ns), "%llu", rec->pidns);
	if (mkdirat(ixfd, ns, 0700) == -1 && errno != EEXIST) {
		gerr_set_errno("%s/names/%s", gaol_rundir(), ns);
		return -1;
	}
	if (rec->unreadable || rec->state == JS_DYING)
		return 0;
	if (index_name_ok(rec->name) && link_at(ixfd, ns, rec->name,
	    rec->jid) == -1)
		return -1;
	snprintf(jid, sizeof(jid), "%d", rec->jid);
	if (index_is_dependent(rec) && link_at(ixfd, DEPEND_DIR, jid,
	    rec->jid) == -1)
		return -1;
	return 0;
}

int
index_put(const struct jrecord *rec)
{
	int ixfd = open_index(), r;

	if (ixfd == -1)
		return -1;
	r = put_at(ixfd, rec);
	close(ixfd);
	return r;
}

void
index_drop(const struct jrecord *rec)
{
	int ixfd = open_index();
	char ns[24], jid[16];

	if (ixfd == -1)
		return;
	snprintf(ns, sizeof(ns), "%llu", rec->pidns);
	snprintf(jid, sizeof(jid), "%d", rec->jid);
	if (index_name_ok(rec->name))
		unlink_at(ixfd, ns, rec->name, rec->jid);
	unlink_at(ixfd, DEPEND_DIR, jid, rec->jid);
	close(ixfd);
}

void
index_unname(unsigned long long pidns, const char *name, int jid)
{
	int ixfd;
	char ns[24];

	if (!index_name_ok(name) || (ixfd = open_index()) == -1)
		return;
	snprintf(ns, sizeof(ns), "%llu", pidns);
	unlink_at(ixfd, ns, name, jid);
	close(ixfd);
}

/* Every entry of a directory under the index, then the directory. */
static void
remove_sub(int ixfd, const char *sub)
{
	int fd = openat(ixfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
	struct dirent *de;
	DIR *d;

	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			(void)unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	(void)unlinkat(ixfd, sub, AT_REMOVEDIR);
}

int
index_has_ns(unsigned long long pidns)
{
	int ixfd = open_index(), r;
	char ns[24];
	struct stat st;

	if (ixfd == -1)
		return -1;
	snprintf(ns, sizeof(ns), "%llu", pidns);
	r = fstatat(ixfd, ns, &st, AT_SYMLINK_NOFOLLOW) == 0;
	close(ixfd);
	return r;
}

void
index_drop_ns(unsigned long long pidns)
{
	int ixfd = open_index();
	char ns[24];

	if (ixfd == -1)
		return;
	snprintf(ns, sizeof(ns), "%llu", pidns);
	remove_sub(ixfd, ns);
	close(ixfd);
}

/*
 * Built aside and renamed into place: a rebuild cut short leaves no
 * index, and the next writer builds it again.
 */
int
index_rebuild(const struct jrecord *recs, size_t n)
{
	char *dir = index_dir(), *tmp = xasprintf("%s.new.%d", dir, (int)getpid());
	int fd, r = 0;

	fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {		/* a rebuild of ours killed before: a pid reused */
		DIR *d = opendir(tmp);
		struct dirent *de;

		while (d != NULL && (de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				remove_sub(fd, de->d_name);
		if (d != NULL)
			closedir(d);
		close(fd);
		(void)rmdir(tmp);
	}
	if (mkdir(tmp, 0700) == -1 ||
	    (fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", tmp);
		free(tmp);
		free(dir);
		return -1;
	}
	for (size_t i = 0; i < n && r == 0; i++)
		r = put_at(fd, &recs[i]);
	close(fd);
	if (r == 0 && rename(tmp, dir) == -1) {
		gerr_set_errno("%s", dir);
		r = -1;
	}
	free(tmp);
	free(dir);
	return r;
}

/* The jid a link says, 0 when it is not there, -1 when there is no index. */
static int
read_link(const char *sub, const char *name)
{
	char have[16], *path = xasprintf("%s/%s/%s", gaol_rundir(), "names", sub);
	char *full = xasprintf("%s/%s", path, name);
	ssize_t len = readlink(full, have, sizeof(have) - 1);
	long long v = 0;
	struct stat st;
	int r = 0;

	if (len > 0) {
		have[len] = '\0';
		if (parse_int(have, &v) == 0 && v > 0 && v <= INT_MAX)
			r = (int)v;
	} else if (len == -1 && errno == ENOENT) {
		char *dir = index_dir();

		if (stat(dir, &st) == -1)
			r = -1;
		free(dir);
	} else if (len == -1)
		r = -1;		/* not ours to read: the records say why */
	free(full);
	free(path);
	return r;
}

int
index_jid(unsigned long long pidns, const char *name)
{
	char ns[24];
	int jid;

	if (!index_name_ok(name))
		return -1;
	snprintf(ns, sizeof(ns), "%llu", pidns);
	jid = read_link(ns, name);
	/* A record whose namespace was not known is everyone's. */
	if (jid == 0 && pidns != 0)
		jid = read_link("0", name);
	return jid;
}

int
index_dependents(int **jidsp, size_t *np)
{
	char *dir = xasprintf("%s/names/" DEPEND_DIR, gaol_rundir());
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	long long v;

	*jidsp = NULL;
	*np = 0;
	if (d == NULL) {
		char *ix = index_dir();
		int r = stat(ix, &st) == 0 ? 0 : -1;

		free(ix);
		free(dir);
		return r;
	}
	while ((de = readdir(d)) != NULL)
		if (parse_int(de->d_name, &v) == 0 && v > 0 && v <= INT_MAX) {
			*jidsp = xrealloc(*jidsp, *np + 1, sizeof(**jidsp));
			(*jidsp)[(*np)++] = (int)v;
		}
	closedir(d);
	free(dir);
	return 0;
}
