/*
 * gaol cp TARGET hostpath jailpath: copy a file or a tree from the host
 * into each jail's root, keeping modes, owners and times (cp -a).  The
 * destination is resolved inside the root (no symlink of the jail's
 * leads out) and every step below it is made with O_NOFOLLOW: a link
 * the jail planted is replaced, never written through.
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

#include "gaol.h"
#include "conf/conf.h"
#include "state/registry.h"
#include "store/store.h"

static int copy_at(int sdir, const char *sname, int ddir, const char *dname,
    const char *shown);

int
jail_rootfd(const char *name)
{
	struct jrecord rec;
	struct sjail j;
	char *path = NULL;
	int fd;

	if (registry_find(name, &rec) == 0) {
		const char *p = jparams_str(&rec.params, "path");

		path = xstrdup(p ? p : "/");
		jrecord_free(&rec);
	} else if (store_jail_load(name, &j) == 0) {
		if (j.thin && strcmp(j.backend, "overlay") == 0) {
			gerr_set("%s: a thin overlay jail's root is there only "
			    "while it runs: start it first", name);
			sjail_free(&j);
			return -1;
		}
		path = xstrdup(j.root);
		sjail_free(&j);
	} else
		return -1;
	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		gerr_set_errno("%s: %s", name, path);
	free(path);
	return fd;
}

/* Make room for dname in ddir: anything but a directory goes. */
static int
clear_at(int ddir, const char *dname, bool want_dir, bool *isdir)
{
	struct stat st;

	*isdir = false;
	if (fstatat(ddir, dname, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode)) {
		*isdir = true;
		if (want_dir)
			return 0;
		errno = EISDIR;
		return -1;
	}
	return unlinkat(ddir, dname, 0);
}

static int
copy_data(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (write_full(out, buf, (size_t)n) == -1)
			return -1;
	}
	return 0;
}

static int
copy_dir(int sfd, int dfd, const char *shown)
{
	DIR *d = fdopendir(sfd);
	struct dirent *e;
	int r = 0;

	if (d == NULL) {
		close(sfd);
		return -1;
	}
	while (r == 0 && (e = readdir(d)) != NULL) {
		char *sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", shown, e->d_name);
		r = copy_at(dirfd(d), e->d_name, dfd, e->d_name, sub);
		free(sub);
	}
	closedir(d);
	return r;
}

static int
copy_at(int sdir, const char *sname, int ddir, const char *dname,
    const char *shown)
{
	struct stat st;
	struct timespec ts[2];
	bool isdir;
	int sfd = -1, dfd = -1, r = -1;

	if (fstatat(sdir, sname, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		gerr_set_errno("%s", shown);
		return -1;
	}
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	if (clear_at(ddir, dname, S_ISDIR(st.st_mode), &isdir) == -1) {
		gerr_set_errno("%s: in the jail", shown);
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(sdir, sname, target, sizeof(target) - 1);

		if (n < 0 || (target[n] = '\0', symlinkat(target, ddir,
		    dname)) == -1 || fchownat(ddir, dname, st.st_uid,
		    st.st_gid, AT_SYMLINK_NOFOLLOW) == -1) {
			gerr_set_errno("%s", shown);
			return -1;
		}
		(void)utimensat(ddir, dname, ts, AT_SYMLINK_NOFOLLOW);
		return 0;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		gerr_set("%s: not a file, directory or symbolic link", shown);
		return -1;
	}
	if ((sfd = openat(sdir, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1) {
		gerr_set_errno("%s", shown);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((!isdir && mkdirat(ddir, dname, 0700) == -1) ||
		    (dfd = openat(ddir, dname, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1) {
			gerr_set_errno("%s: in the jail", shown);
			goto out;
		}
		if (copy_dir(sfd, dfd, shown) == -1) {
			sfd = -1;	/* closed with its DIR */
			goto out;
		}
		sfd = -1;
	} else {
		if ((dfd = openat(ddir, dname, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600)) == -1 ||
		    copy_data(sfd, dfd) == -1) {
			gerr_set_errno("%s", shown);
			goto out;
		}
	}
	if (fchown(dfd, st.st_uid, st.st_gid) == -1 ||
	    fchmod(dfd, st.st_mode & 07777) == -1 || futimens(dfd, ts) == -1) {
		gerr_set_errno("%s: in the jail", shown);
		goto out;
	}
	r = 0;
out:
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return r;
}

struct cp_args {
	const char	*src, *dst;
};

int
copy_to_root(int sdir, const char *sname, const char *shown, int dstroot,
    const char *dst)
{
	char *d = xstrdup(dst), *src = xstrdup(sname), *slash, *base;
	const char *dname;
	int ddir, r = -1;
	size_t n;

	/* src "dir/" copies dir; its last word names what is made */
	while ((n = strlen(src)) > 1 && src[n - 1] == '/')
		src[n - 1] = '\0';
	base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	/* An existing directory, or a path ending in '/', receives src. */
	if ((ddir = root_open(dstroot, d, O_PATH | O_DIRECTORY)) >= 0) {
		dname = base;
	} else if (d[strlen(d) - 1] == '/') {
		/* "dir/": made as mkdir -p would */
		ddir = root_mkdirs(dstroot, d);
		dname = base;
	} else {
		slash = strrchr(d, '/');
		dname = slash ? slash + 1 : d;
		if (slash != NULL)
			*slash = '\0';
		ddir = root_open(dstroot, slash == NULL || *d == '\0' ? "/" :
		    d, O_PATH | O_DIRECTORY);
	}
	if (ddir == -1) {
		gerr_set_errno("%s", dst);
		goto out;
	}
	r = copy_at(sdir, src, ddir, dname, shown);
	close(ddir);
out:
	free(src);
	free(d);
	return r;
}

static int
cp_one(const char *name, void *arg)
{
	const struct cp_args *a = arg;
	int rootfd, r;

	if ((rootfd = jail_rootfd(name)) == -1)
		return -1;
	r = copy_to_root(AT_FDCWD, a->src, a->src, rootfd, a->dst);
	if (r == -1) {
		char *msg = xstrdup(gerr_msg());

		gerr_set("%s: %s", name, msg);
		free(msg);
	}
	close(rootfd);
	return r;
}

static int
run_cp(int argc, char **argv)
{
	struct cp_args a;

	while (verb_getopt(&verb_cp, argc, argv, "") != -1)
		;
	if (optind != argc - 3)
		usage_error(&verb_cp);
	a.src = argv[optind + 1];
	a.dst = argv[optind + 2];
	return target_each(argv[optind], 0, cp_one, &a);
}

const struct verb verb_cp = {
	.name = "cp", .args = "target hostpath jailpath", .run = run_cp,
	.help =
	    "Copy a file or a directory tree from the host into each jail of\n"
	    "target, keeping modes, owners and times.  An existing directory\n"
	    "(or a jailpath ending in /) receives it under its own name.  The\n"
	    "path is resolved inside the jail's root: no symlink of the\n"
	    "jail's leads out, and one in the way is replaced.  A stopped\n"
	    "jail is written directly, except a thin overlay one.\n",
};
