/*
 * The jail's /proc: a procfs of its own pid namespace, with what reaches
 * the host masked.  Under the identity user mapping, jail root passes
 * every permission check that host root passes on files it can reach
 * (DESIGN.md section 6: it could write /proc/sys/vm/drop_caches), so
 * every global knob is read-only and every kernel-memory or key view is
 * covered.  The procfs must be made while the host's full procfs is
 * still visible in this mount namespace (before pivot_root): the kernel
 * refuses a new procfs in a user namespace that cannot see a whole one.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate_int.h"

/* Global settings and triggers: visible, read-only. */
static const char *const proc_ro[] = {
	"sys", "sysrq-trigger", "irq", "bus", "fs", "mtrr", NULL
};

/* Kernel memory, keys, timers, physical page state: covered by /dev/null. */
static const char *const proc_hide_files[] = {
	"kcore", "keys", "key-users", "timer_list", "timer_stats",
	"sched_debug", "latency_stats", "kpageflags", "kpagecount",
	"kpagecgroup", "kpageidle", "vmallocinfo", "config.gz", NULL
};

/* Hardware and driver trees: an empty read-only tmpfs. */
static const char *const proc_hide_dirs[] = {
	"acpi", "asound", "scsi", "driver", NULL
};

static int
mask_list(int pfd, const char *const *names, int (*fn)(int, const char *),
    const char *target, const char *what)
{
	for (; *names != NULL; names++) {
		if (faccessat(pfd, *names, F_OK, AT_SYMLINK_NOFOLLOW) == -1)
			continue;	/* this kernel has no such entry */
		if (fn(pfd, *names) == -1) {
			gerr_set_errno("mount.procfs: %s/%s: %s", target,
			    *names, what);
			return -1;
		}
	}
	return 0;
}

static int
procfs_mask(const struct jail_spec *spec, int pfd, const char *target)
{
	if (mask_list(pfd, proc_ro, mnt_ro, target, "make read-only") == -1 ||
	    mask_list(pfd, proc_hide_files, mnt_cover_file, target,
	    "hide") == -1 ||
	    mask_list(pfd, proc_hide_dirs, mnt_cover_dir, target,
	    "hide") == -1)
		return -1;
	/* The kernel message buffer: allow.read_msgbuf opens it. */
	if (!(spec->allow & ALLOW(ALLOW_READ_MSGBUF))) {
		static const char *const kmsg[] = { "kmsg", NULL };

		return mask_list(pfd, kmsg, mnt_cover_file, target, "hide");
	}
	return 0;
}

int
procfs_mount(const struct jail_spec *spec, int rootfd, const char *target)
{
	int dfd, mfd, pfd, r;

	if ((dfd = root_mkdirs(rootfd, target)) == -1) {
		gerr_set_errno("mount.procfs: %s", target);
		return -1;
	}
	/*
	 * In a jail's child the only whole procfs in sight is the parent's
	 * hidden one, locked read-only: the kernel then takes a new procfs
	 * only if it is read-only too (docs/design/nested-jails.md).
	 */
	if ((mfd = mnt_new("proc", NULL, MNT_SAFE)) == -1 && errno == EPERM)
		mfd = mnt_new("proc", NULL, MNT_SAFE | MOUNT_ATTR_RDONLY);
	if (mfd == -1) {
		gerr_set_errno("mount.procfs: %s: mount procfs", target);
		close(dfd);
		return -1;
	}
	r = mnt_attach(mfd, dfd);
	close(dfd);
	if (r == -1) {
		gerr_set_errno("mount.procfs: %s", target);
		return -1;
	}
	/* Open it again: now the lookup crosses into the new procfs. */
	if ((pfd = root_open(rootfd, target, O_PATH | O_DIRECTORY)) == -1) {
		gerr_set_errno("mount.procfs: %s", target);
		return -1;
	}
	r = procfs_mask(spec, pfd, target);
	close(pfd);
	return r;
}

/*
 * Without mount.procfs, a procfs that came with the root (path=/, or one
 * the admin mounted below path) shows the host's processes: cover it.
 */
int
procfs_cover_host(int rootfd)
{
	struct statfs sf;
	int fd, r;

	if ((fd = root_open(rootfd, "/proc", O_PATH | O_DIRECTORY)) == -1)
		return 0;
	r = fstatfs(fd, &sf);
	close(fd);
	if (r == -1 || sf.f_type != PROC_SUPER_MAGIC)
		return 0;
	if (mnt_cover_dir(rootfd, "proc") == -1) {
		gerr_set_errno("hide the host's /proc below path");
		return -1;
	}
	return 0;
}

/*
 * For a jail that may make jails: a whole procfs, read-only, that the
 * kernel can see and the jail cannot reach.  A procfs mounts in a user
 * namespace only if a procfs with nothing locked over it is in its mount
 * namespace (the kernel's mount_too_revealing), and the jail's /proc is
 * masked.  This one sits in a small tmpfs at target (before /sys is
 * mounted over it, which puts it out of every path); read-only and, in
 * the jail's copy of the namespace, locked read-only, so every procfs
 * mounted below the jail must be read-only as well: no /proc/sys a jail
 * or its children could write.
 */
int
procfs_hidden(int rootfd, const char *target)
{
	static const char *const opts[] = { "size=4k", "nr_inodes=2",
		"mode=0500", NULL };
	int dfd, mfd, tfd, r;

	if ((dfd = root_mkdirs(rootfd, target)) == -1)
		goto fail;
	if ((mfd = mnt_new("tmpfs", opts, MNT_SAFE)) == -1 ||
	    mnt_attach(mfd, dfd) == -1) {
		close(dfd);
		goto fail;
	}
	close(dfd);
	if ((tfd = root_open(rootfd, target, O_PATH | O_DIRECTORY)) == -1)
		goto fail;
	r = mkdirat(tfd, "proc", 0500);
	if (r == 0 && (mfd = mnt_new("proc", NULL, MNT_SAFE |
	    MOUNT_ATTR_RDONLY)) == -1)
		r = -1;
	if (r == 0)
		r = mnt_attach_at(mfd, tfd, "proc");
	if (r == 0)
		r = mnt_setattr(tfd, MOUNT_ATTR_RDONLY, false);
	close(tfd);
	if (r == 0)
		return 0;
fail:
	gerr_set_errno("children.max: %s: a hidden procfs", target);
	return -1;
}
