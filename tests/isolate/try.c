/*
 * A manual test of src/lib/isolate, not built by default:
 *
 *	cc -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc/lib -o /tmp/try \
 *	    tests/isolate/try.c build/libgaol.a -lseccomp
 *	unshare --mount --net --propagation private \
 *	    /tmp/try ROOT [param ...] -- 'shell script'
 *
 * It does what jail -c and jexec do around isolate_*: clone into new
 * user, mount, pid, uts, ipc (and net with "vnet") namespaces, write the
 * identity map, put the child in a devices cgroup of its own (v1, or
 * "bpf" for the unified hierarchy's device program), then in the child
 * isolate_root, and in a grandchild isolate_process and sh -c SCRIPT.
 * Params: procfs devfs vnet bpf nocg ruleset=N securelevel=N
 * children=N fstab=FILE mount=LINE allow.X noallow.X.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "isolate/isolate.h"
#include "util/util.h"

int	devcg_apply(const char *dir, int version, int ruleset);

static struct jail_spec spec;
static const char *script = "id";
static int gopipe[2];
static int use_bpf, no_cg;

static const struct {
	const char *name;
	int bit;
} allows[] = {
	{ "set_hostname", ALLOW_SET_HOSTNAME }, { "sysvipc", ALLOW_SYSVIPC },
	{ "raw_sockets", ALLOW_RAW_SOCKETS }, { "chflags", ALLOW_CHFLAGS },
	{ "mount", ALLOW_MOUNT }, { "mount.devfs", ALLOW_MOUNT_DEVFS },
	{ "mount.nullfs", ALLOW_MOUNT_NULLFS },
	{ "mount.procfs", ALLOW_MOUNT_PROCFS },
	{ "mount.tmpfs", ALLOW_MOUNT_TMPFS }, { "quotas", ALLOW_QUOTAS },
	{ "socket_af", ALLOW_SOCKET_AF }, { "mlock", ALLOW_MLOCK },
	{ "reserved_ports", ALLOW_RESERVED_PORTS },
	{ "read_msgbuf", ALLOW_READ_MSGBUF },
	{ "unprivileged_proc_debug", ALLOW_UNPRIV_DEBUG },
	{ "suser", ALLOW_SUSER }, { "settime", ALLOW_SETTIME },
	{ "adjtime", ALLOW_ADJTIME },
};

static void
param(const char *a)
{
	bool no = strncmp(a, "noallow.", 8) == 0;

	if (no || strncmp(a, "allow.", 6) == 0) {
		const char *n = a + (no ? 8 : 6);

		for (size_t i = 0; i < sizeof(allows) / sizeof(allows[0]); i++)
			if (strcmp(n, allows[i].name) == 0) {
				if (no)
					spec.allow &= ~ALLOW(allows[i].bit);
				else
					spec.allow |= ALLOW(allows[i].bit);
				return;
			}
		errx_like:
		fprintf(stderr, "try: %s: unknown\n", a);
		exit(2);
	}
	if (strcmp(a, "procfs") == 0)
		spec.mount_procfs = true;
	else if (strcmp(a, "devfs") == 0)
		spec.mount_devfs = true;
	else if (strcmp(a, "vnet") == 0)
		spec.net.vnet = true;
	else if (strcmp(a, "bpf") == 0)
		use_bpf = 1;
	else if (strcmp(a, "nocg") == 0)
		no_cg = 1;
	else if (strncmp(a, "ruleset=", 8) == 0)
		spec.devfs_ruleset = atoi(a + 8);
	else if (strncmp(a, "securelevel=", 12) == 0)
		spec.securelevel = atoi(a + 12);
	else if (strncmp(a, "children=", 9) == 0)
		spec.children_max = atoi(a + 9);
	else if (strncmp(a, "fstab=", 6) == 0)
		strlist_add(&spec.mount_fstab, a + 6);
	else if (strncmp(a, "mount=", 6) == 0)
		strlist_add(&spec.mount, a + 6);
	else
		goto errx_like;
}

static int
child(void *arg)
{
	char go;
	pid_t pid;
	int st;

	(void)arg;
	close(gopipe[1]);
	if (read(gopipe[0], &go, 1) != 1)
		_exit(1);
	if (unshare(CLONE_NEWCGROUP) == -1) {
		perror("unshare cgroup");
		_exit(1);
	}
	if (isolate_root(&spec, isolate_root_tree(&spec, NULL, NULL), NULL, NULL,
	    NULL) == -1) {
		fprintf(stderr, "try: isolate_root: %s\n", gerr_msg());
		_exit(1);
	}
	if (sethostname("jailhost", 8) == -1)
		perror("sethostname");
	if ((pid = fork()) == 0) {
		if (isolate_process(&spec) == -1) {
			fprintf(stderr, "try: isolate_process: %s\n",
			    gerr_msg());
			_exit(1);
		}
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		perror("exec /bin/sh");
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void
idmap(pid_t pid)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/uid_map", (int)pid);
	if (write_str(p, "0 0 4294967295") == -1)
		fprintf(stderr, "try: %s\n", gerr_msg());
	snprintf(p, sizeof(p), "/proc/%d/gid_map", (int)pid);
	if (write_str(p, "0 0 4294967295") == -1)
		fprintf(stderr, "try: %s\n", gerr_msg());
}

/* A cgroup beneath our own in the devices (v1) or unified hierarchy. */
static char *
make_cgroup(pid_t pid)
{
	const char *mnt = use_bpf ? "/sys/fs/cgroup/unified" :
	    "/sys/fs/cgroup/devices";
	const char *key = use_bpf ? "0::" : ":devices:";
	char *self = read_file("/proc/self/cgroup", NULL), *l, *dir, *pidstr;
	int rs = spec.devfs_ruleset ? spec.devfs_ruleset : 4;

	if (self == NULL || (l = strstr(self, key)) == NULL)
		return NULL;
	l += strlen(key);
	l[strcspn(l, "\n")] = '\0';
	dir = xasprintf("%s%s/gaol-try-%d", mnt, strcmp(l, "/") ? l : "",
	    (int)getpid());
	free(self);
	if (mkdir(dir, 0755) == -1) {
		perror(dir);
		free(dir);
		return NULL;
	}
	if (devcg_apply(dir, use_bpf ? 2 : 1, rs) == -1)
		fprintf(stderr, "try: devices: %s\n", gerr_msg());
	pidstr = xasprintf("%s/cgroup.procs", dir);
	l = xasprintf("%d", (int)pid);
	if (write_str(pidstr, l) == -1)
		fprintf(stderr, "try: %s\n", gerr_msg());
	free(pidstr);
	free(l);
	return dir;
}

int
main(int argc, char **argv)
{
	static char stack[256 * 1024];
	int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS |
	    CLONE_NEWIPC | SIGCHLD, i, st;
	char *cg = NULL;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: try ROOT [param ...] [-- script]\n");
		return 2;
	}
	spec.name = "try";
	spec.path = argv[1];
	spec.securelevel = -1;
	spec.allow = ALLOW(ALLOW_SET_HOSTNAME) | ALLOW(ALLOW_RESERVED_PORTS) |
	    ALLOW(ALLOW_UNPRIV_DEBUG) | ALLOW(ALLOW_SUSER);
	for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		param(argv[i]);
	if (i + 1 < argc)
		script = argv[i + 1];
	if (spec.net.vnet)
		flags |= CLONE_NEWNET;
	if (pipe(gopipe) == -1 ||
	    (pid = clone(child, stack + sizeof(stack), flags, NULL)) == -1) {
		perror("clone");
		return 1;
	}
	close(gopipe[0]);
	idmap(pid);
	if (!no_cg)
		cg = make_cgroup(pid);
	if (write(gopipe[1], "g", 1) != 1)
		perror("go");
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	if (cg != NULL && rmdir(cg) == -1)
		perror(cg);
	free(cg);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
