/*
 * Running the tools a release is made with, a release's size, and its
 * updates.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/store.h"
#include "release_int.h"

int
release_run(char *const argv[], bool quiet)
{
	struct strlist q = { 0 };
	int st;

	if (!quiet)
		return run_argv(argv, -1, -1);
	/* Quiet: the tool's stdout and stderr to /dev/null, through sh. */
	strlist_add(&q, "sh");
	strlist_add(&q, "-c");
	strlist_add(&q, "exec \"$@\" >/dev/null 2>&1");
	strlist_add(&q, "sh");
	for (size_t i = 0; argv[i] != NULL; i++)
		strlist_add(&q, argv[i]);
	strlist_addn(&q, NULL);
	st = run_argv(q.v, -1, -1);
	q.n--;
	strlist_clear(&q);
	return st;
}

/* du(1)'s count: allocated blocks, each hard-linked file once. */
static unsigned long long du_bytes;
static ino_t *du_seen;
static size_t du_nseen;

static int
du_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)type;
	(void)ftw;
	if (st->st_nlink > 1 && !S_ISDIR(st->st_mode)) {
		for (size_t i = 0; i < du_nseen; i++)
			if (du_seen[i] == st->st_ino)
				return 0;
		du_seen = xrealloc(du_seen, du_nseen + 1, sizeof(*du_seen));
		du_seen[du_nseen++] = st->st_ino;
	}
	du_bytes += (unsigned long long)st->st_blocks * 512;
	return 0;
}

static unsigned long long
tree_bytes(const char *path)
{
	du_bytes = 0;
	du_nseen = 0;
	nftw(path, du_one, 16, FTW_PHYS | FTW_MOUNT);
	free(du_seen);
	du_seen = NULL;
	return du_bytes;
}

unsigned long long
release_bytes(const char *name)
{
	char *path = store_release_path(name);
	unsigned long long n = tree_bytes(path);

	free(path);
	return n;
}

static int
not_found(const char *name)
{
	gerr_set("%s: no such release", name);
	errno = ENOENT;
	return -1;
}

/* A busybox release: the host's busybox again, and links to new applets. */
static int
update_busybox(const char *root, const struct release_opts *o)
{
	char *script = xasprintf(
	    "set -e; bb=$(command -v busybox || echo /bin/busybox); "
	    "cd \"$1\"; cp \"$bb\" bin/.busybox.new; chmod 0755 bin/.busybox.new; "
	    "mv -f bin/.busybox.new bin/busybox; "
	    "for a in $(bin/busybox --list); do [ \"$a\" = busybox ] && continue; "
	    "[ -e \"bin/$a\" ] || [ -L \"bin/$a\" ] || ln -s busybox \"bin/$a\"; done");
	char *argv[] = { "sh", "-c", script, "update", (char *)root, NULL };
	int st = release_run(argv, o->quiet);

	free(script);
	if (st != 0) {
		if (st > 0)
			gerr_set("busybox update failed (exit %d)", st);
		return -1;
	}
	return 0;
}

/*
 * A Debian release: apt-get inside a jail made for the run, on the
 * host's network (ip4/ip6 inherit), told to start no service
 * (policy-rc.d answers 101 with GAOL_NO_SERVICES set).
 */
static int
update_apt(const char *name, const char *root, const struct release_opts *o)
{
	char *jname = xasprintf("gaol-update-%d", (int)getpid());
	char *argv[] = { "jail", "-q", "-c", NULL, NULL, NULL, "ip4=inherit",
	    "ip6=inherit", "mount.devfs", "mount.procfs", NULL, NULL };
	int st;

	argv[3] = xasprintf("name=%s", jname);
	argv[4] = xasprintf("path=%s", root);
	argv[5] = xasprintf("host.hostname=%s", name);
	argv[10] = xstrdup("command=/usr/bin/env GAOL_NO_SERVICES=1 "
	    "DEBIAN_FRONTEND=noninteractive /bin/sh -c 'apt-get update && "
	    "apt-get -y -o Dpkg::Options::=--force-confold dist-upgrade && "
	    "apt-get clean'");
	if (release_install_rc(root) == -1)
		return -1;
	st = release_run(argv, o->quiet);
	for (int i = 3; i <= 10; i += (i == 5 ? 5 : 1))
		free(argv[i]);
	free(jname);
	if (st != 0) {
		if (st > 0)
			gerr_set("%s: apt-get failed (exit %d)%s", name, st,
			    o->quiet ? "" : "; see above");
		return -1;
	}
	return 0;
}

int
release_update(const char *name, const struct release_opts *o)
{
	char *root, *p;
	struct stat st;
	int r;

	if (store_check_name("release", name) == -1)
		return -1;
	root = store_release_path(name);
	if (stat(root, &st) == -1) {
		free(root);
		return not_found(name);
	}
	p = xasprintf("%s/usr/bin/apt-get", root);
	if (lstat(p, &st) == 0) {
		r = update_apt(name, root, o);
	} else {
		free(p);
		p = xasprintf("%s/bin/busybox", root);
		if (lstat(p, &st) == 0) {
			r = update_busybox(root, o);
		} else {
			gerr_set("%s: no package manager gaol knows (apt-get, "
			    "busybox) in the release", name);
			r = -1;
		}
	}
	free(p);
	free(root);
	/* What the update changed is the release now. */
	return r == 0 ? release_manifest_write(name) : r;
}
