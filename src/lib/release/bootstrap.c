/*
 * gaol bootstrap: make a release from busybox, a debootstrap suite, or a
 * tarball, in the empty release root the store makes (release.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/store.h"
#include "release_int.h"

extern const char embed_mkroot_busybox[];

/* The suites debootstrap knows: a script of that name. */
static bool
debootstrap_suite(const char *s)
{
	const char *dir = getenv("DEBOOTSTRAP_DIR");
	char *p;
	bool r;

	if (strchr(s, '/') != NULL || *s == '.')
		return false;
	p = xasprintf("%s/scripts/%s", dir != NULL ? dir :
	    "/usr/share/debootstrap", s);
	r = access(p, R_OK) == 0;
	free(p);
	return r;
}

static bool
is_file(const char *s)
{
	struct stat st;

	return stat(s, &st) == 0 && S_ISREG(st.st_mode);
}

char *
release_default_name(const char *source)
{
	static const char *const exts[] = { ".tar.xz", ".tar.gz", ".tar.zst",
	    ".tar.bz2", ".tar.lz4", ".tar", ".txz", ".tgz", ".tzst", ".tbz2",
	    ".tbz", ".cpio", NULL };
	const char *base;
	char *name, *q;

	if (!tarball_is_url(source) && !is_file(source))
		return xstrdup(source);
	base = strrchr(source, '/');
	name = xstrdup(base != NULL ? base + 1 : source);
	if ((q = strpbrk(name, "?#")) != NULL)
		*q = '\0';
	for (size_t i = 0; exts[i] != NULL; i++) {
		size_t n = strlen(name), e = strlen(exts[i]);

		if (n > e && strcmp(name + n - e, exts[i]) == 0) {
			name[n - e] = '\0';
			break;
		}
	}
	return name;
}

/*
 * What killed bootstraps left: a marker .NAME.part-PID of a dead PID
 * means release NAME is partial; .NAME.download-PID is a download.
 */
static void
sweep_parts(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *dash = strrchr(e->d_name, '-'), *kind;
		char *p, *name;
		long pid;

		if (e->d_name[0] != '.' || dash == NULL)
			continue;
		if ((kind = strstr(e->d_name, ".part-")) == NULL &&
		    (kind = strstr(e->d_name, ".download-")) == NULL)
			continue;
		pid = strtol(dash + 1, NULL, 10);
		if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno == EPERM)
			continue;
		name = xstrndup(e->d_name + 1, (size_t)(kind - e->d_name - 1));
		if (strncmp(kind, ".part-", 6) == 0)
			(void)store_release_destroy(name);
		p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
		free(name);
	}
	closedir(d);
}

static int
from_busybox(const char *root, const struct release_opts *o)
{
	char *argv[] = { "sh", "-c", (char *)embed_mkroot_busybox,
	    "mkroot-busybox", (char *)root, NULL };
	int st = release_run(argv, o->quiet);

	if (st != 0) {
		if (st > 0)
			gerr_set("busybox: mkroot-busybox failed (exit %d)%s", st,
			    o->quiet ? "" : "; see above");
		return -1;
	}
	return 0;
}

static int
from_debootstrap(const char *suite, const char *root,
    const struct release_opts *o)
{
	struct strlist argv = { 0 };
	int st;

	/* Its own mount namespace: the /proc and /sys it mounts in the
	 * target never show on the host, even if it is killed. */
	strlist_add(&argv, "unshare");
	strlist_add(&argv, "--mount");
	strlist_add(&argv, "--propagation");
	strlist_add(&argv, "private");
	strlist_add(&argv, "--");
	strlist_add(&argv, "debootstrap");
	strlist_add(&argv, "--variant=minbase");
	if (o->include != NULL) {
		strlist_addn(&argv, xasprintf("--include=%s", o->include));
	}
	strlist_add(&argv, suite);
	strlist_add(&argv, root);
	if (o->mirror != NULL)
		strlist_add(&argv, o->mirror);
	strlist_addn(&argv, NULL);
	argv.n--;
	st = release_run(argv.v, o->quiet);
	strlist_clear(&argv);
	if (st != 0) {
		if (st > 0)
			gerr_set("%s: debootstrap failed (exit %d)%s", suite, st,
			    o->quiet ? "" : "; see above");
		return -1;
	}
	return 0;
}

static int
from_tarball(const char *source, const char *root, const char *download,
    const struct release_opts *o)
{
	const char *tarball = source;
	struct stat st;
	char *sh;
	int r = -1;

	if (tarball_is_url(source)) {
		if (tarball_download(source, download, o) == -1)
			goto out;
		tarball = download;
	} else if (o->sha256 != NULL &&
	    tarball_verify(source, o->sha256, o) == -1) {
		goto out;
	}
	if (tarball_extract(tarball, root, o) == -1)
		goto out;
	sh = xasprintf("%s/bin/sh", root);
	if (lstat(sh, &st) == -1) {
		gerr_set("%s: no /bin/sh in the tarball: not a root file system",
		    source);
		free(sh);
		goto out;
	}
	free(sh);
	r = 0;
out:
	unlink(download);
	return r;
}

static bool
sha256_ok(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdefABCDEF") == 64;
}

int
release_bootstrap(const char *source, const char *name,
    const struct release_opts *o)
{
	char *dir = xasprintf("%s/releases", gaol_datadir()), *root = NULL;
	char *marker = NULL, *download = NULL;
	bool busybox, tarball;
	int fd, r = -1;

	if (store_check_name("release", name) == -1)
		goto out;
	if (o->sha256 != NULL && !sha256_ok(o->sha256)) {
		gerr_set("%s: not a sha256 (64 hexadecimal digits)", o->sha256);
		goto out;
	}
	busybox = strcmp(source, "busybox") == 0;
	tarball = tarball_is_url(source) || is_file(source);
	if (!busybox && !tarball && !debootstrap_suite(source)) {
		gerr_set("%s: unknown release: not busybox, a tarball, a URL or "
		    "a suite debootstrap knows", source);
		goto out;
	}
	if (o->sha256 != NULL && !tarball) {
		gerr_set("%s: --sha256 is for tarballs", source);
		goto out;
	}
	if (mkdir_p(dir, 0755) == -1)
		goto out;
	sweep_parts(dir);
	/* The marker first: a kill from here on leaves it to be swept. */
	marker = xasprintf("%s/.%s.part-%d", dir, name, (int)getpid());
	download = xasprintf("%s/.%s.download-%d", dir, name, (int)getpid());
	if ((fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		gerr_set_errno("%s", marker);
		goto out;
	}
	close(fd);
	if (store_release_new(name) == -1) {
		unlink(marker);
		goto out;
	}
	root = store_release_path(name);
	if (busybox)
		r = from_busybox(root, o);
	else if (tarball)
		r = from_tarball(source, root, download, o);
	else
		r = from_debootstrap(source, root, o);
	if (r == 0)
		r = release_install_rc(root);
	if (r == 0)
		r = release_manifest_write(name);
	if (r == -1) {
		char *e = gerr_save();

		(void)store_release_destroy(name);
		gerr_restore(e);
	}
	unlink(marker);
out:
	free(dir);
	free(root);
	free(marker);
	free(download);
	return r;
}
