/*
 * jail -c: the create half of jail(8)'s state machine.
 *
 *	record (state creating, intent cgroup)	under the registry lock
 *	exec.prepare, exec.prestart		on the host
 *	cgroups, clone of the init		user, mount, pid, uts, ipc,
 *						cgroup (+net) namespaces
 *	uid map, cgroup attach, device policy	from the host
 *	init: isolate_root, hostname		inside
 *	exec.created (host), exec.start, command (jail), exec.poststart (host)
 *	record: state alive
 *
 * A failure at any step undoes what was made; a creator killed at any
 * step is undone by the next command's registry_recover().
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>

#include "internal.h"
#include "../isolate/isolate.h"
#include "../rctl/rctl.h"
#include "../net/jailnet.h"
#include "../net/net.h"

/* The initial user namespace's inode number is fixed by the kernel. */
#define PROC_USER_INIT_INO	0xEFFFFFFDU
/* pidfs (Linux 6.11): a process's user namespace, for a jail without /proc. */
#define PIDFD_GET_USER_NS	_IO(0xFF, 9)

static bool
inside_a_jail(void)
{
	struct stat st;
	int pidfd, ns;
	bool in;

	if (proc_mounted())
		return stat("/proc/self/ns/user", &st) == 0 &&
		    st.st_ino != PROC_USER_INIT_INO;
	if ((pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0)) == -1)
		return true;	/* no /proc and no pidfs: not the host */
	ns = ioctl(pidfd, PIDFD_GET_USER_NS, 0);
	close(pidfd);
	in = ns == -1 || (fstat(ns, &st) == 0 && st.st_ino != PROC_USER_INIT_INO);
	if (ns >= 0)
		close(ns);
	return in;
}

/*
 * FreeBSD's kernel refuses a jail that neither persists nor has a
 * process attached; jail(8) attaches one only to run exec.start,
 * command or exec.poststart.  Without any, the jail would be gone
 * before "created" was printed.
 */
static int
check_lifetime(const struct jail_spec *spec)
{
	if (spec->persist || spec->hooks[HOOK_START].n > 0 ||
	    spec->hooks[HOOK_COMMAND].n > 0 ||
	    spec->hooks[HOOK_POSTSTART].n > 0)
		return 0;
	if (spec->name != NULL)
		gerr_set("%s: new jail must persist or attach", spec->name);
	else
		gerr_set("new jail must persist or attach");
	return -1;
}

static int
check_path(const struct jail_spec *spec)
{
	const char *who = spec->who;
	struct stat st;

	if (spec->path[0] != '/') {
		gerr_set("%spath %s: not an absolute path", who, spec->path);
		return -1;
	}
	if (stat(spec->path, &st) == -1) {
		gerr_set_errno("%spath %s", who, spec->path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		gerr_set_errno("%spath %s", who, spec->path);
		return -1;
	}
	return 0;
}

/* gaol.conf's gaol_idmap: what gaol.idmap is when a jail does not say. */
static int
host_default_private(bool *private)
{
	char *v = net_gaolconf_get("gaol_idmap");
	int r = 0;

	*private = GAOL_PRIVATE_IDS;
	if (v != NULL && strcmp(v, "private") == 0)
		*private = true;
	else if (v != NULL && strcmp(v, "identity") == 0)
		*private = false;
	else if (v != NULL) {
		gerr_set("gaol.conf: gaol_idmap: unknown value \"%s\" "
		    "(private or identity)", v);
		r = -1;
	}
	free(v);
	return r;
}

/*
 * gaol.idmap: a range of host ids of the jail's own, unless it is
 * path=/ (the host's own files: shifting them would hand jail root the
 * host's files anyway, and /proc, /sys and the cgroup mounts below it
 * cannot be idmapped) or a jail inside a jail (only the host can idmap;
 * the parent's range holds it).  Under the registry lock.
 */
static int
choose_ids(struct jail_spec *spec, struct jrecord *rec)
{
	bool root = strcmp(spec->path, "/") == 0, nested = inside_a_jail();

	if (spec->idmap == IDMAP_DEFAULT) {
		bool private;

		if (host_default_private(&private) == -1)
			return -1;
		spec->idmap = root || nested || !private ? IDMAP_IDENTITY :
		    IDMAP_PRIVATE;
	}
	if (spec->idmap == IDMAP_PRIVATE && (root || nested)) {
		gerr_set("%s: gaol.idmap: private is not available %s",
		    spec->name, root ? "with path=/ (the jail's files are "
		    "the host's)" : "inside a jail (a nested jail uses its "
		    "parent's ids)");
		return -1;
	}
	jparams_set(&rec->params, "gaol.idmap",
	    spec->idmap == IDMAP_PRIVATE ? "private" : "identity", false,
	    NULL, 0);
	if (spec->idmap == IDMAP_PRIVATE &&
	    (spec->uid_base = idrange_take(spec->name)) == 0)
		return -1;
	rec->uid_base = spec->uid_base;
	return 0;
}

/* Take a jid and write the record before anything else is made. */
/*
 * The mount points the init makes in the jail's root when they are
 * missing.  A start that fails takes back those it made, so that the
 * user's directory is left as it was (empty ones only: never what a
 * jail put there, never through a symlink).
 */
static const char *const mount_dirs[] = { "dev", "proc", "sys" };

static unsigned
missing_mount_dirs(const char *path)
{
	unsigned mask = 0;
	struct stat st;
	int rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd == -1)
		return 0;
	for (unsigned i = 0; i < sizeof(mount_dirs) / sizeof(mount_dirs[0]); i++)
		if (fstatat(rootfd, mount_dirs[i], &st, AT_SYMLINK_NOFOLLOW) ==
		    -1 && errno == ENOENT)
			mask |= 1U << i;
	close(rootfd);
	return mask;
}

static void
remove_mount_dirs(const char *path, unsigned mask)
{
	int rootfd;

	if (mask == 0 ||
	    (rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	for (unsigned i = 0; i < sizeof(mount_dirs) / sizeof(mount_dirs[0]); i++)
		if (mask & (1U << i))
			(void)unlinkat(rootfd, mount_dirs[i], AT_REMOVEDIR);
	close(rootfd);
}

/*
 * What a new jail would take, its name and jid, settled (a jail that
 * died leaves them), and nothing else: the cost of jail -c does not grow
 * with the number of jails.  0 when both are free.
 */
static int
settle_taken(const struct jail_spec *spec)
{
	struct jrecord old;
	char buf[16];

	/* A dying jail keeps its jid, not its name (as on FreeBSD). */
	if (spec->name != NULL && jail_settle_one(spec->name, false, &old) == 0) {
		bool taken = old.state != JS_DYING;

		if (taken)
			gerr_set("%s: jail %d already exists", spec->name,
			    old.jid);
		jrecord_free(&old);
		if (taken) {
			errno = EEXIST;
			return -1;
		}
	} else if (spec->name != NULL && errno != ENOENT)
		return -1;
	snprintf(buf, sizeof(buf), "%d", spec->jid);
	if (spec->jid > 0 && jail_settle_one(buf, true, &old) == 0)
		jrecord_free(&old);
	return 0;
}

static int
reserve(struct jail_spec *spec, struct jrecord *rec)
{
	int lock AUTO_UNLOCK = registry_lock();
	char *leaf AUTO_FREE = NULL;
	struct cgroup_set cg;
	int jid, r;

	if (lock == -1 || settle_taken(spec) == -1)
		return -1;
	if ((jid = registry_alloc_jid(spec->jid)) == -1)
		return -1;
	spec->jid = jid;
	if (spec->name == NULL)
		spec->name = xasprintf("%d", jid);

	memset(rec, 0, sizeof(*rec));
	rec->jid = jid;
	rec->name = xstrdup(spec->name);
	rec->spawn = SPAWN_LIVE;
	rec->state = JS_CREATING;
	self_identity(&rec->owner_pid, &rec->owner_start);
	rec->pidns = self_pidns();
	jparams_copy(&rec->params, &spec->params);
	jnet_copy(&rec->net, &spec->net);	/* parsed once, kept so */
	{
		char buf[16];

		snprintf(buf, sizeof(buf), "%d", jid);
		jparams_set(&rec->params, "jid", buf, false, NULL, 0);
		jparams_set(&rec->params, "name", spec->name, false, NULL, 0);
	}
	r = choose_ids(spec, rec);
	if (r == -1) {
		jrecord_free(rec);
		return -1;
	}
	/*
	 * Every directory, whole: a remover may see other cgroup roots.
	 * In a jail without /proc the hierarchies cannot be found: a jail
	 * made there lives in its parent's cgroups (nested-jails.md).
	 */
	leaf = cgroup_jail_name(jid);
	if (!proc_mounted() && inside_a_jail())
		memset(&cg, 0, sizeof(cg));
	else if (cgroup_paths(leaf, &cg) == -1) {
		jrecord_free(rec);
		return -1;
	}
	for (size_t i = 0; i < cg.n; i++)
		jrecord_add_intent(rec, "cgroup", cg.d[i].path);
	cgroup_set_free(&cg);
	if (registry_save(rec) == -1) {
		jrecord_free(rec);
		return -1;
	}
	return 0;
}

static int
update(struct jrecord *rec)
{
	int lock = registry_lock(), r;

	if (lock == -1)
		return -1;
	r = registry_save(rec);
	registry_unlock(lock);
	return r;
}

/*
 * The init is born in the leaf of the jail's v2 cgroup
 * (CLONE_INTO_CGROUP): moving it there afterwards would cost an RCU
 * grace period.  v1 hierarchies have no such way in; the caller moves
 * it into those.
 */
static pid_t
clone_init(const struct jail_spec *spec, const struct cgroup_set *cg,
    int nestcg, int *pidfdp)
{
	const struct cgroup_dir *v2 = cgroup_find(cg, NULL);
	struct clone_args args;
	uint64_t flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
	    CLONE_NEWUTS | CLONE_NEWIPC | CLONE_PIDFD;
	int cgfd = -1;
	pid_t pid;

	if (spec->net.vnet)
		flags |= CLONE_NEWNET;
	memset(&args, 0, sizeof(args));
	/* A jail made in a jail, with its own part of the parent's
	 * addresses: its cgroup below the parent's leaf. */
	if (nestcg >= 0) {
		flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)nestcg;
	} else if (v2 != NULL) {
		char *leaf = cgroup_procs_path(v2);

		if ((cgfd = open(leaf, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			flags |= CLONE_INTO_CGROUP;
			args.cgroup = (uint64_t)cgfd;
		}
		free(leaf);
	}
	args.flags = flags;
	args.pidfd = (uint64_t)(uintptr_t)pidfdp;
	args.exit_signal = SIGCHLD;
	/*
	 * The kernel frees a user namespace from a work queue after its
	 * last process: a jail removed a moment ago may still hold a slot
	 * of the count, and ENOSPC then means "not yet" rather than the
	 * limit.  Try again for up to 2 s before calling it the limit.
	 */
	for (int i = 0; (pid = (pid_t)syscall(SYS_clone3, &args,
	    sizeof(args))) == -1 && errno == ENOSPC && i < 100; i++) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };

		nanosleep(&tick, NULL);
	}
	if (pid != 0 && cgfd >= 0)
		close(cgfd);
	if (pid == -1) {
		/*
		 * FreeBSD's answers: a jail that may have no children is
		 * refused the call (EPERM); one at its children.max is told
		 * the limit.  Here the first is seccomp's ENOSYS (or EPERM),
		 * the second the user namespace count of the jail (ENOSPC).
		 */
		if (errno == ENOSPC || errno == EUSERS)
			gerr_set("prison limit exceeded");
		else if ((errno == EPERM || errno == ENOSYS) && inside_a_jail())
			gerr_set("jail_set: %s", strerror(EPERM));
		else
			gerr_set_errno("%sclone", spec->who);
	}
	return pid;
}

struct started {
	pid_t	pid;
	int	pidfd;
	int	ctl;
	pid_t	mover;		/* moving the init into the v1 hierarchies */
	int	moved;		/* its pipe: a message if it failed, or EOF */
	struct cgroup_set cg;
};

/*
 * The init's move into the v1 hierarchies waits for an RCU grace period
 * (bench/README.md): a child of ours makes it while the init builds the
 * jail's view, which needs it only for its cgroup namespace
 * (INIT_CGROUPS, said by cgroups_done).  Nothing of the jail runs before
 * READY, which comes after.
 */
static int
move_start(struct started *st)
{
	bool v1 = false;
	int p[2];

	for (size_t i = 0; i < st->cg.n; i++)
		v1 = v1 || st->cg.d[i].version == 1;
	if (!v1)
		return 0;
	if (pipe2(p, O_CLOEXEC) == -1) {
		gerr_set_errno("pipe");
		return -1;
	}
	if ((st->mover = fork()) == -1) {
		gerr_set_errno("fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (st->mover == 0) {
		close(p[0]);
		if (cgroup_attach_v1(&st->cg, st->pid) == -1)
			(void)write_full(p[1], gerr_msg(), strlen(gerr_msg()));
		_exit(0);
	}
	close(p[1]);
	st->moved = p[0];
	return 0;
}

/* The mover's end: 0, or -1 with its message. */
static int
move_done(struct started *st)
{
	char msg[1024];
	ssize_t n;

	while ((n = read(st->moved, msg, sizeof(msg) - 1)) == -1 &&
	    errno == EINTR)
		;
	close(st->moved);
	st->moved = -1;
	while (waitpid(st->mover, NULL, 0) == -1 && errno == EINTR)
		;
	st->mover = -1;
	if (n != 0) {
		msg[n > 0 ? n : 0] = '\0';
		gerr_set("%s", n > 0 ? msg : "cgroup: move the init");
		return -1;
	}
	return 0;
}

/*
 * Once moved: rctl's limits, which may make v1 cgroups of the jail's
 * own and move the init there (never before the mover is done, whose
 * move would undo that one), then CGROUPS.
 */
static int
cgroups_done(struct started *st, const struct jail_spec *spec)
{
	char c = INIT_CGROUPS;

	if (rctl_jail_start(spec, st->pid, &st->cg) == -1)
		return -1;
	if (send(st->ctl, &c, 1, MSG_NOSIGNAL) != 1) {
		gerr_set_errno("%sstart init", spec->who);
		return -1;
	}
	return 0;
}

/*
 * Wait for the init's READY, making on the way the idmapped trees it asks
 * for and telling it when it is in its cgroups; its ERROR message
 * becomes ours.
 */
static int
await_ready(struct started *st, const struct jail_spec *spec)
{
	char buf[2048];
	ssize_t n;
	int fd;

	for (;;) {
		struct pollfd pfd[2] = { { st->ctl, POLLIN, 0 },
		    { st->moved, POLLIN, 0 } };

		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			gerr_set_errno("%spoll", spec->who);
			return -1;
		}
		if (pfd[1].revents != 0) {
			if (move_done(st) == -1) {
				gerr_prefix("%s", spec->who);
				return -1;
			}
			if (cgroups_done(st, spec) == -1)
				return -1;
			continue;
		}
		n = recv_fd_msg(st->ctl, buf, sizeof(buf), &fd);
		if (fd >= 0)
			close(fd);	/* none is expected */
		if (n < 1 || buf[0] != INIT_IDMAP || spec->uid_base == 0 ||
		    idmap_serve(st->ctl, buf, st->pid) == -1)
			break;
	}
	if (n >= 1 && buf[0] == INIT_READY)
		return 0;
	if (n >= 1 && buf[0] == INIT_ERROR) {
		buf[n] = '\0';
		gerr_set("%s%s", spec->who, buf + 1);
	} else
		gerr_set("%sthe jail's init failed to start", spec->who);
	return -1;
}

/*
 * The init serves every jexec session of the jail with descriptors of
 * its own: let it have as many as the host allows (fs.nr_open).  Only
 * the hard limit: our own commands keep the soft one.
 */
static void
raise_nofile_hard(void)
{
	char *v = read_file("/proc/sys/fs/nr_open", NULL);
	struct rlimit rl;
	long long max;

	if (v != NULL && parse_int(strtok(v, "\n"), &max) == 0 &&
	    getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < (rlim_t)max) {
		rl.rlim_max = (rlim_t)max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);	/* EPERM: as it is */
	}
	free(v);
}

/*
 * An idle jail's v1 cgroups cost kernel memory and give it nothing: its
 * limits come with its rules (cgroup_need), its device policy and
 * freezing go on the unified hierarchy, which holds and finds its
 * processes.  Only a jail that can mount a hierarchy (children.max: a
 * cgroup namespace of its own) must have its processes in a leaf of its
 * own in every one, or it would mount $GAOL_CGROUP, other jails'
 * limits included (docs/design/cgroup-layout.md, "Made when needed").
 */
static bool
v1_later(const struct jail_spec *spec, const struct cgroup_set *cg)
{
	return spec->children_max == 0 && cgroup_find(cg, NULL) != NULL;
}

/*
 * A jail that may make jails: its v2 procs leaf, delegated to its root
 * under a range of ids, for its init to hand to a nested jail -c
 * (netdoor.c).  -1 when there is none to hand.
 */
static int
nesting_leaf(const struct jail_spec *spec, const struct cgroup_set *cg)
{
	const struct cgroup_dir *v2 = cgroup_find(cg, NULL);
	char *leaf AUTO_FREE = NULL;
	int fd;

	if (spec->children_max == 0 || spec->net.vnet || v2 == NULL)
		return -1;
	if (spec->uid_base != 0 && cgroup_delegate_procs(cg,
	    (uid_t)spec->uid_base, (gid_t)spec->uid_base) == -1)
		return -2;
	leaf = cgroup_procs_path(v2);
	if ((fd = open(leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("cgroup %s", leaf);
		return -2;
	}
	return fd;
}

/* Whether a jail made here takes a part of its parent's network. */
static bool
nested_network(const struct jail_spec *spec, const struct cgroup_set *cg)
{
	return cg->n == 0 && !spec->net.vnet && inside_a_jail() &&
	    (spec->net.mode4 != JAILSYS_INHERIT ||
	    spec->net.mode6 != JAILSYS_INHERIT);
}

static int
start_init_with(const struct jail_spec *spec, struct jrecord *rec,
    struct started *st, struct jail_net_fds *net, int *procs)
{
	int sp[2], tree, r;
	char go = INIT_GO;

	/*
	 * The limits first, on the jail's cgroup while it has no children
	 * (a v1 devices.deny of "a" needs that), then the leaf its
	 * processes live in, below them (docs/design/cgroup-layout.md).
	 */
	if (jrecord_cgroups(rec, &st->cg) == -1 ||
	    (nested_network(spec, &st->cg) && netdoor_open(net) == -1) ||
	    cgroup_create(&st->cg, v1_later(spec, &st->cg)) == -1 ||
	    isolate_devices(spec, &st->cg) == -1 ||
	    jail_net_cgroup(spec, &st->cg, rec, net) == -1 ||
	    cgroup_create_procs(&st->cg) == -1 ||
	    (*procs = nesting_leaf(spec, &st->cg)) == -2)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) == -1) {
		gerr_set_errno("socketpair");
		return -1;
	}
	raise_nofile_hard();
	isolate_keep_files(spec);
	fflush(NULL);
	/* Without its word, jls asks /proc about this jail. */
	(void)registry_slot_prepare(rec->jid);
	st->pid = clone_init(spec, &st->cg, net->cgroup, &st->pidfd);
	if (st->pid == 0) {
		int keep[INIT_NET_FDS] = { net->keep[NET_MAP_CHILDREN],
		    net->keep[NET_MAP_ADDRS4], net->keep[NET_MAP_ADDRS6],
		    *procs };

		close(sp[0]);
		jail_init_main(sp[1], spec, keep);
	}
	registry_slot_release();
	if (st->pid == -1) {
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	close(sp[1]);
	st->ctl = sp[0];
	if (idmap_write(st->pid, spec->uid_base) == -1)
		return -1;
	/*
	 * With a range of its own, the init's first request is its root's
	 * idmapped tree: it comes with GO, one round trip less.  When it
	 * cannot be made, the init asks, and the answer says why.
	 */
	tree = spec->uid_base != 0 ? idmapped_tree(spec->path, true,
	    st->pid) : -1;
	r = send_fds(st->ctl, &go, 1, &tree, tree >= 0 ? 1 : 0);
	if (tree >= 0)
		close(tree);
	if (r == -1) {
		gerr_set_errno("%sstart init", spec->who);
		return -1;
	}
	if (move_start(st) == -1) {
		gerr_prefix("%s", spec->who);
		return -1;
	}
	/* While the init builds the view; it runs nothing before READY. */
	if ((st->moved == -1 && cgroups_done(st, spec) == -1) ||
	    jail_net_attach(spec, rec, st->pid) == -1 ||
	    await_ready(st, spec) == -1)
		return -1;
	rec->init_pid = st->pid;
	rec->init_start = proc_starttime(st->pid);
	rec->jailns = proc_pidns(st->pid);
	return update(rec);
}

static int
start_init(const struct jail_spec *spec, struct jrecord *rec,
    struct started *st)
{
	struct jail_net_fds net;
	int procs = -1, r;

	st->pid = st->mover = -1;
	st->pidfd = st->ctl = st->moved = -1;
	jail_net_fds_init(&net);
	r = start_init_with(spec, rec, st, &net, &procs);
	/* The init has its copies; a nested one's cgroup is its own. */
	jail_net_fds_close(&net);
	if (procs >= 0)
		close(procs);
	return r;
}

static void
stop_init(struct started *st)
{
	if (st->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, st->pidfd, SIGKILL, NULL, 0);
	if (st->pid > 0)
		while (waitpid(st->pid, NULL, 0) == -1 && errno == EINTR)
			;
	if (st->moved >= 0)
		close(st->moved);
	if (st->mover > 0)
		while (waitpid(st->mover, NULL, 0) == -1 && errno == EINTR)
			;
	if (st->pidfd >= 0)
		close(st->pidfd);
	if (st->ctl >= 0)
		close(st->ctl);
	st->pid = st->mover = -1;
	st->pidfd = st->ctl = st->moved = -1;
	cgroup_set_free(&st->cg);
}

/* Tell the init whether to persist; true when it went away at once. */
static bool
finish_init(struct started *st, bool persist)
{
	char msg[2] = { INIT_PERSIST, persist ? '1' : '0' }, reply = 0;

	if (send(st->ctl, msg, 2, MSG_NOSIGNAL) != 2)
		return false;
	while (recv(st->ctl, &reply, 1, 0) == -1 && errno == EINTR)
		;
	return reply == INIT_EXITING;
}

/*
 * The record as stored: from the init's start on, others may add to it
 * (gaol-rdr's forwarding from exec.poststart records an intent).
 */
static void
reload_locked(struct jrecord *rec)
{
	struct jrecord cur = { 0 };

	if (registry_load(rec->jid, &cur) == 0 && cur.state == JS_CREATING &&
	    cur.owner_pid == rec->owner_pid &&
	    cur.owner_start == rec->owner_start) {
		jrecord_free(rec);
		*rec = cur;
	} else
		jrecord_free(&cur);
}

static void
teardown_locked(struct jrecord *rec, bool made)
{
	int lock = registry_lock();

	reload_locked(rec);
	(void)jail_teardown(rec);
	if (!made && lock != -1)
		registry_unalloc_jid(rec->jid);
	registry_unlock(lock);
}

/* "web: created", or "created" for a command-line jail */
static void
note(const struct jail_spec *spec, const char *what)
{
	gnote("%s%s", spec->who, what);
}

/* The jail is made; a reaper, if any, owns it from now on. */
static int
mark_alive(struct jrecord *rec, const struct reaper *rp)
{
	int lock = registry_lock(), r;

	if (lock == -1)
		return -1;
	reload_locked(rec);
	rec->state = JS_ALIVE;
	rec->owner_pid = rp->pid;
	rec->owner_start = rp->start;
	r = registry_save(rec);
	registry_unlock(lock);
	return r;
}

static int
run_start_hooks(const struct jail_spec *spec, const struct jrecord *rec,
    int flags, int consolefd, int *statusp)
{
	if (hooks_run(spec, rec, HOOK_CREATED, flags, consolefd) == -1 ||
	    hooks_run(spec, rec, HOOK_START, flags, consolefd) == -1)
		return -1;
	if (spec->hooks[HOOK_COMMAND].n > 0) {
		const struct strlist *cmd = &spec->hooks[HOOK_COMMAND];
		struct enter_opts eo = { .out_fd = consolefd };
		struct strlist argv = { 0 };
		int status;

		/* command= on the command line is argv; in a file, a string. */
		if (cmd->n == 1)
			hook_argv(cmd->v[0], &argv);
		else
			strlist_copy(&argv, cmd);
		hook_enter_opts(spec, &eo);
		if (flags & JF_VERBOSE)
			gnote("%srun command in jail: %s", spec->who,
			    argv.v[0]);
		status = jail_exec_in(rec, &eo, argv.v);
		strlist_clear(&argv);
		if (status == -1)
			return -1;
		if (statusp != NULL)
			*statusp = status;
	}
	return hooks_run(spec, rec, HOOK_POSTSTART, flags, consolefd);
}

int
jail_create(struct jail_spec *spec, int flags, int *jidp, int *statusp)
{
	struct started st = { .pid = -1, .pidfd = -1, .ctl = -1, .mover = -1,
	    .moved = -1 };
	struct reaper rp = { .go = -1 };
	struct jrecord rec;
	int consolefd = -1;
	bool made = false;
	unsigned made_dirs = 0;
	/* jail(8) notes a config jail's creation, the others' with -v */
	bool announce = (flags & JF_VERBOSE) ||
	    (!(flags & (JF_QUIET | JF_PRINTJID)) && spec->label != NULL);

	if (statusp != NULL)
		*statusp = 0;
	if (check_lifetime(spec) == -1 || check_path(spec) == -1 ||
	    isolate_check(spec) == -1 || reserve(spec, &rec) == -1)
		return -1;
	/* jail(8) accepts it; say it cannot do anything here. */
	if ((spec->allow & ALLOW(ALLOW_RAW_SOCKETS)) && !spec->net.vnet)
		gwarn("%s: allow.raw_sockets has no effect "
		    "without vnet: the host's network stack checks the host's "
		    "CAP_NET_RAW, which a jail never has", spec->name);
	if (jidp != NULL)
		*jidp = rec.jid;
	if (jail_net_prepare(spec, &rec) == -1)
		goto fail;
	if (spec->exec_consolelog != NULL &&
	    (consolefd = consolelog_open(spec)) == -1)
		goto fail;
	if (hooks_run(spec, &rec, HOOK_PREPARE, flags, consolefd) == -1 ||
	    hooks_run(spec, &rec, HOOK_PRESTART, flags, consolefd) == -1)
		goto fail;
	made_dirs = missing_mount_dirs(spec->path);
	if (start_init(spec, &rec, &st) == -1)
		goto fail;
	made = true;
	if (announce)
		note(spec, "created");
	if (run_start_hooks(spec, &rec, flags, consolefd, statusp) == -1)
		goto fail;
	/* It will end with its last process: someone must be there. */
	if (!spec->persist && jail_reaper_start(&rec, &rp) == -1)
		goto fail;
	if (finish_init(&st, spec->persist)) {
		/*
		 * Not persistent and nothing left in it: gone already.  Its
		 * host side goes as after jail -r (reaper.c says why).
		 */
		jail_reaper_go(&rp, false);
		stop_init(&st);
		teardown_locked(&rec, true);
		if (hooks_run(spec, &rec, HOOK_POSTSTOP, flags, consolefd) == -1 ||
		    hooks_run(spec, &rec, HOOK_RELEASE, flags, consolefd) == -1)
			gwarn("%s", gerr_msg());
	} else {
		if (mark_alive(&rec, &rp) == -1)
			goto fail;
		jail_reaper_go(&rp, true);
		close(st.ctl);
		close(st.pidfd);
		cgroup_set_free(&st.cg);
	}
	if (consolefd >= 0)
		close(consolefd);
	jrecord_free(&rec);
	return 0;
fail:
	{
		char *e = gerr_save();

		jail_reaper_go(&rp, false);
		stop_init(&st);
		teardown_locked(&rec, made);
		/* a jail that was made and is rolled back is noted removed */
		if (made && announce)
			note(spec, "removed");
		remove_mount_dirs(spec->path, made_dirs);
		gerr_restore(e);
	}
	if (consolefd >= 0)
		close(consolefd);
	jrecord_free(&rec);
	return -1;
}
