/*
 * The jail's /proc: a procfs of its own pid namespace, with what reaches
 * the host masked.  Under the identity user mapping, jail root passes
 * every permission check that host root passes on files it can reach
 * (DESIGN.md section 6: it could write /proc/sys/vm/drop_caches), so
 * every global knob is read-only and every kernel-memory or key view is
 * covered.  The procfs must be made while the host's full procfs is
 * still visible in this mount namespace (before pivot_root): the kernel
 * refuses a new procfs in a user namespace that cannot see a whole one.
 * A jail made inside a jail gets it through its parent's door instead
 * (at the end of this file).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <time.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "../util/util.h"
#include "isolate.h"
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
	 * In a jail made inside a jail no procfs can be mounted (no whole
	 * one is in sight): the parent's init makes it, masked already,
	 * through its door (the masks below go over its own, for this
	 * jail's parameters).
	 */
	if ((mfd = mnt_new("proc", NULL, MNT_SAFE)) == -1 && errno == EPERM &&
	    (mfd = isolate_procfs_ask()) == -1 && errno == EBADF)
		errno = EPERM;	/* no door: what the mount said */
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
 * The procfs door (docs/design/nested-jails.md, "procfs in nested user
 * namespaces").  A procfs mounts in a user namespace other than the
 * host's only if the mount namespace holds one that the kernel counts
 * as fully visible (nothing locked over it but permanently empty
 * directories: mount_too_revealing).  A sealed jail's namespace holds
 * none, so nothing in it can mount a procfs: a process of the jail that
 * made a user, pid and mount namespace of its own would otherwise see,
 * under the identity map, what host root may read there (host root's
 * keys in /proc/keys).  A jail made inside it gets its procfs from its
 * parent's init instead: made by a process left in the jail's first
 * user namespace, masked as a jail's /proc is, and handed over with
 * every mask locked.
 *
 * Made before the view, while the creator's procfs and /dev/null are
 * in sight: a whole procfs (read-only, never in the jail's namespace)
 * that lets the server mount new ones, and a copy of /dev/null for the
 * masks.
 */
int
isolate_procfs_door_prepare(struct procfs_door *d)
{
	d->scratch = -1;
	d->null = -1;
	if ((d->spare = mnt_new("proc", NULL, MNT_SAFE |
	    MOUNT_ATTR_RDONLY)) == -1 ||
	    (d->null = mnt_clone(AT_FDCWD, "/dev/null", false)) == -1) {
		gerr_set_errno("the procfs door");
		isolate_procfs_door_close(d);
		return -1;
	}
	return 0;
}

void
isolate_procfs_door_close(struct procfs_door *d)
{
	int *fds[] = { &d->spare, &d->null, &d->scratch };

	for (size_t i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

/*
 * In the server, once the jail's namespace was copied (sealed): a small
 * tmpfs over its "/", holding the whole procfs (proc), /dev/null
 * (dev/null) and the place the new procfs is built on (p), made the
 * server's root.  In the server's namespace only: no process of the
 * jail can reach it.  The root is the top of what is mounted on the
 * namespace's root, so the kernel does not take the server for a
 * chrooted process (which may not make a user namespace).
 */
int
isolate_procfs_door_place(struct procfs_door *d)
{
	static const char *const opts[] = { "size=16k", "nr_inodes=8",
		"mode=0700", NULL };
	int s, fd, r;

	if ((s = mnt_new("tmpfs", opts, MNT_SAFE)) == -1)
		goto fail;
	r = move_mount(s, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH);
	if (r == 0)
		r = mkdirat(s, "dev", 0700) | mkdirat(s, "proc", 0500) |
		    mkdirat(s, "p", 0500);
	if (r == 0 && (fd = openat(s, "dev/null", O_CREAT | O_EXCL |
	    O_WRONLY | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	else
		r = -1;
	if (r == 0)
		r = mnt_attach_at(d->null, s, "dev/null");
	d->null = -1;
	if (r == 0)
		r = mnt_attach_at(d->spare, s, "proc");
	d->spare = -1;
	if (r == 0 && (fchdir(s) == -1 || chroot(".") == -1 ||
	    chdir("/") == -1))
		r = -1;
	if (r == 0) {
		d->scratch = s;
		return 0;
	}
	close(s);
fail:
	gerr_set_errno("procfs door: its place");
	return -1;
}

/* A procfs of the pid namespace pidnsfd names (procfs's pidns=). */
static int
procfs_of(int pidnsfd)
{
	int fs, mfd = -1, saved;

	if ((fs = fsopen("proc", FSOPEN_CLOEXEC)) == -1)
		return -1;
	if (fsconfig(fs, FSCONFIG_SET_FD, "pidns", NULL, pidnsfd) == 0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mfd = fsmount(fs, FSMOUNT_CLOEXEC, MNT_SAFE);
	saved = errno;
	close(fs);
	errno = saved;
	return mfd;
}

/*
 * The server's first step for each request, in a child of its own that
 * ends afterwards (it leaves the child in namespaces of its own, as
 * nobody): the masked procfs of the pid namespace pidnsfd names, its
 * masks locked, as a detached tree (a mount descriptor).  -1 with gerr
 * set.
 *
 * The procfs is built in a copy of the server's mount namespace (the
 * whole procfs of the scratch makes it mountable), masked by
 * procfs_mask, and copied once more into a mount namespace of a new
 * user namespace: the kernel locks every mount of such a copy, so the
 * tree taken from it has its masks locked (MNT_LOCKED: they cannot be
 * unmounted, moved, or uncovered by a non-recursive bind; read-only
 * ones cannot be made writable).  The new user namespace is made as
 * nobody: it counts against user.max_user_namespaces under another
 * owner than the jail's root, so it takes nothing from children.max.
 */
int
isolate_procfs_for(const struct jail_spec *spec, int pidnsfd)
{
	const uid_t nobody = 65534;
	int mfd, pfd, tree, r;

	if (unshare(CLONE_NEWNS) == -1) {
		gerr_set_errno("procfs door: a mount namespace");
		return -1;
	}
	if ((mfd = procfs_of(pidnsfd)) == -1 ||
	    mnt_attach_at(mfd, AT_FDCWD, "/p") == -1 ||
	    (pfd = open("/p", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("procfs door: mount procfs");
		return -1;
	}
	if (procfs_mask(spec, pfd, "/proc") == -1) {
		close(pfd);
		return -1;
	}
	r = fchdir(pfd);
	close(pfd);
	if (r == -1 || setgroups(0, NULL) == -1 ||
	    setresgid(nobody, nobody, nobody) == -1 ||
	    setresuid(nobody, nobody, nobody) == -1) {
		gerr_set_errno("procfs door: become nobody");
		return -1;
	}
	/* A namespace freed a moment ago may still count (create.c). */
	for (int i = 0; unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1; i++) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };

		if (errno != ENOSPC || i == 100) {
			gerr_set_errno("procfs door: lock the masks");
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	if ((tree = open_tree(AT_FDCWD, ".", OPEN_TREE_CLONE | AT_RECURSIVE |
	    OPEN_TREE_CLOEXEC)) == -1)
		gerr_set_errno("procfs door: take the masked procfs");
	return tree;
}

int
isolate_procfs_ask(void)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sock, tree = -1;

	if ((sock = openat(INIT_DOOR_FD, "procfs", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) == 1 &&
	    (cm = CMSG_FIRSTHDR(&mh)) != NULL &&
	    cm->cmsg_type == SCM_RIGHTS)
		memcpy(&tree, CMSG_DATA(cm), sizeof(int));
	close(sock);
	if (tree == -1)
		errno = EIO;
	return tree;
}
