/*
 * Mounts into a running jail from the host (gaol mount/umount): what the
 * jail's mount.fstab makes at start, made now.  A child of the caller
 * takes the source from the host (a copy of the tree, idmapped to the
 * jail's ids when the jail has a range of its own, or a new tmpfs made
 * inside the jail's user namespace), joins the jail's mount namespace
 * by its init's pidfd, and attaches it at the target resolved inside
 * the jail's root, so that no symlink of the jail's moves it elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/mount.h>
#include <linux/openat2.h>

#include "internal.h"
#include "../state/registry.h"

/* Run fn in a child; its message comes back through a pipe. */
static int
in_child(const struct jrecord *rec, int (*fn)(const struct jrecord *,
    int pidfd, void *), void *arg)
{
	char msg[512];
	int p[2], st, pidfd;
	ssize_t n;
	pid_t pid;

	if ((pidfd = proc_alive(rec->init_pid, rec->init_start)) == -1) {
		gerr_set("%s: not running", rec->name);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1) {
		gerr_set_errno("%s: fork", rec->name);
		close(pidfd);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		if (fn(rec, pidfd, arg) == -1) {
			const char *m = gerr_msg();

			(void)write_full(p[1], m, strlen(m));
			_exit(1);
		}
		_exit(0);
	}
	close(p[1]);
	close(pidfd);
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	msg[n > 0 ? n : 0] = '\0';
	gerr_set("%s: %s", rec->name, n > 0 ? msg : "mount failed");
	return -1;
}

struct live_mount {
	const char	*src, *dst, *type;
	bool		 ro;
};

/*
 * Act as the jail's root on files: inside its user namespace that is 0;
 * from the host, its host ids with a range of its own (through the
 * idmapped root they land as 0 on disk), else the host's 0.
 */
static void
jail_root_ids(const struct jrecord *rec, bool in_userns)
{
	unsigned long id = in_userns ? 0 : rec->uid_base;

	(void)setfsgid((gid_t)id);
	(void)setfsuid((uid_t)id);
}

static int
new_tmpfs(bool ro)
{
	int fs, m;

	if ((fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC)) == -1)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) ==
	    -1) {
		close(fs);
		return -1;
	}
	m = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID |
	    MOUNT_ATTR_NODEV | (ro ? MOUNT_ATTR_RDONLY : 0));
	close(fs);
	return m;
}

static int
mount_child(const struct jrecord *rec, int pidfd, void *arg)
{
	const struct live_mount *lm = arg;
	struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
	bool tmpfs = strcmp(lm->type, "tmpfs") == 0;
	int tree = -1, root, target;

	if (!tmpfs) {
		tree = rec->uid_base != 0 ?
		    idmapped_tree(lm->src, false, rec->init_pid) :
		    open_tree(AT_FDCWD, lm->src, OPEN_TREE_CLONE |
		    OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (tree == -1 || (lm->ro && mount_setattr(tree, "",
		    AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof(ro)) == -1)) {
			gerr_set_errno("%s", lm->src);
			return -1;
		}
	}
	/* A tmpfs is the jail's own: made inside its user namespace. */
	if (setns(pidfd, CLONE_NEWNS | (tmpfs ? CLONE_NEWUSER : 0)) == -1) {
		gerr_set_errno("joining the jail's namespaces");
		return -1;
	}
	/* What is made (mount point, tmpfs root) is the jail root's. */
	jail_root_ids(rec, tmpfs);
	if (tmpfs && (tree = new_tmpfs(lm->ro)) == -1) {
		gerr_set_errno("tmpfs");
		return -1;
	}
	if ((root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (target = root_mkdirs(root, lm->dst)) == -1) {
		gerr_set_errno("%s", lm->dst);
		return -1;
	}
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH |
	    MOVE_MOUNT_T_EMPTY_PATH) == -1) {
		gerr_set_errno("%s", lm->dst);
		return -1;
	}
	return 0;
}

int
jail_mount_live(const struct jrecord *rec, const char *src, const char *dst,
    const char *type, bool ro)
{
	struct live_mount lm = { src, dst, type, ro };

	return in_child(rec, mount_child, &lm);
}

static int
umount_child(const struct jrecord *rec, int pidfd, void *arg)
{
	const char *dst = arg;
	int fds, root, fd;
	char name[16];

	(void)rec;
	/*
	 * umount2 takes a path: the target's descriptor, named through our
	 * own /proc/self/fd (the jail's /proc knows no pid of ours), so
	 * that what is unmounted is what was resolved inside the root.
	 */
	if ((fds = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || setns(pidfd, CLONE_NEWNS) == -1) {
		gerr_set_errno("joining the jail's mount namespace");
		return -1;
	}
	if ((root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (fd = root_open(root, dst, O_PATH | O_NOFOLLOW)) == -1) {
		gerr_set_errno("%s", dst);
		return -1;
	}
	snprintf(name, sizeof(name), "%d", fd);
	if (fchdir(fds) == -1 || umount2(name, MNT_DETACH) == -1) {
		gerr_set_errno("%s", dst);
		return -1;
	}
	return 0;
}

int
jail_umount_live(const struct jrecord *rec, const char *dst)
{
	return in_child(rec, umount_child, (void *)dst);
}
