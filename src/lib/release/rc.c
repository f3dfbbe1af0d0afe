/*
 * gaol's small rc, installed into every release (share/gaol: rc,
 * rc.shutdown, rc.subr, rc.d scripts, service, policy-rc.d, netif), carried in
 * the program by scripts/embed.py.  What the release already has of its
 * own is kept: its rc.conf, its service(8), its init.d scripts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "release_int.h"

extern const char embed_rc[], embed_rc_shutdown[], embed_rc_subr[],
    embed_netif[], embed_service[], embed_policy_rc_d[], embed_rcd_httpd[],
    embed_rcd_syslogd[], embed_rcd_crond[];

static const struct rcfile {
	const char	*path;
	const char	*text;
	mode_t		 mode;
	bool		 keep;		/* the release's own wins */
} rcfiles[] = {
	{ "etc/rc", embed_rc, 0755, false },
	{ "etc/rc.shutdown", embed_rc_shutdown, 0755, false },
	{ "etc/rc.subr", embed_rc_subr, 0644, false },
	{ "etc/rc.d/netif", embed_netif, 0755, false },
	{ "etc/rc.d/httpd", embed_rcd_httpd, 0755, false },
	{ "etc/rc.d/syslogd", embed_rcd_syslogd, 0755, false },
	{ "etc/rc.d/crond", embed_rcd_crond, 0755, false },
	{ "usr/sbin/service", embed_service, 0755, true },
	{ "usr/sbin/policy-rc.d", embed_policy_rc_d, 0755, false },
	{ "etc/rc.conf", "", 0644, true },
};

/* Whether the release has a service(8) of its own anywhere in PATH. */
static bool
has_service(const char *root)
{
	static const char *const dirs[] = { "sbin", "bin", "usr/sbin",
	    "usr/bin" };
	bool found = false;

	for (size_t i = 0; i < 4 && !found; i++) {
		char *p = xasprintf("%s/%s/service", root, dirs[i]);
		struct stat st;

		found = lstat(p, &st) == 0;
		free(p);
	}
	return found;
}

/*
 * The busybox daemons' rc.d scripts only where busybox is the release's
 * (a Debian release runs its own daemons through init.d).
 */
static bool
busybox_release(const char *root)
{
	char *p = xasprintf("%s/bin/busybox", root);
	struct stat st;
	bool r = lstat(p, &st) == 0;

	free(p);
	return r;
}

int
release_install_rc(const char *root)
{
	bool service = has_service(root), busybox = busybox_release(root);
	int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd == -1) {
		gerr_set_errno("%s", root);
		return -1;
	}
	for (size_t i = 0; i < sizeof(rcfiles) / sizeof(*rcfiles); i++) {
		const struct rcfile *f = &rcfiles[i];
		const char *base = strrchr(f->path, '/') + 1;
		char *dir = xstrndup(f->path, (size_t)(base - 1 - f->path));
		struct stat st;
		int dfd, r;

		if (strncmp(f->path, "etc/rc.d/", 9) == 0 &&
		    strcmp(base, "netif") != 0 && !busybox)
			goto next;
		if (strcmp(f->path, "usr/sbin/service") == 0 && service)
			goto next;
		/* Every path resolved inside the release: a tarball's
		 * "etc -> /etc" cannot send these files to the host. */
		if ((dfd = root_mkdirs(rootfd, dir)) == -1) {
			gerr_set_errno("%s/%s", root, dir);
			free(dir);
			close(rootfd);
			return -1;
		}
		if (f->keep && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			close(dfd);
			goto next;
		}
		r = write_file_at(dfd, base, f->text, strlen(f->text), f->mode,
		    0, 0);
		close(dfd);
		if (r == -1) {
			gerr_set_errno("%s/%s", root, f->path);
			free(dir);
			close(rootfd);
			return -1;
		}
next:
		free(dir);
	}
	close(rootfd);
	return 0;
}
