/*
 * Run inside a jail made by try.c: each line names a privileged call and
 * what it returned ("ok" or the errno name).  Static, so it runs in a
 * busybox root:  cc -static -o R/bin/probe tests/isolate/probe.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static void
report(const char *what, long r)
{
	printf("%-28s %s\n", what, r < 0 ? strerrorname_np(errno) : "ok");
}

#define TRY(what, expr)	do { errno = 0; report(what, (long)(expr)); } while (0)

int
main(void)
{
	char c = 'x';
	struct timeval tv;
	struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	long r;

	TRY("socket AF_ALG", socket(AF_ALG, SOCK_SEQPACKET, 0));
	TRY("socket AF_VSOCK", socket(AF_VSOCK, SOCK_STREAM, 0));
	TRY("socket AF_PACKET", socket(AF_PACKET, SOCK_RAW, 0));
	TRY("socket AF_ALG hi bits", syscall(SYS_socket, 0x100000000L | AF_ALG,
	    SOCK_SEQPACKET, 0));
	TRY("socket AF_INET", socket(AF_INET, SOCK_STREAM, 0));
	TRY("socket AF_INET raw", socket(AF_INET, SOCK_RAW, 1));
	TRY("socket AF_NETLINK", socket(AF_NETLINK, SOCK_RAW, 0));
	TRY("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0));
	TRY("add_key", syscall(SYS_add_key, "user", "x", "y", 1, -3));
	TRY("bpf", syscall(SYS_bpf, 0, NULL, 0));
	TRY("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
	TRY("userfaultfd", syscall(SYS_userfaultfd, 0));
	TRY("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
	TRY("init_module", syscall(SYS_init_module, NULL, 0, ""));
	TRY("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
	TRY("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
	TRY("ioctl TIOCSTI", ioctl(0, TIOCSTI, &c));
	TRY("ioctl TIOCSTI hi bits", syscall(SYS_ioctl, 0,
	    0x100000000L | TIOCSTI, &c));
	TRY("unshare NEWUSER", unshare(CLONE_NEWUSER));
	TRY("unshare NEWNS", unshare(CLONE_NEWNS));
	TRY("clone3", syscall(SYS_clone3, &ca, sizeof(ca)));
	TRY("setns", setns(0, 0));
	TRY("mount tmpfs", mount("none", "/tmp", "tmpfs", 0, NULL));
	TRY("umount /proc", umount2("/proc", MNT_DETACH));
	TRY("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
	TRY("mlock", mlock(&c, 1));
	errno = 0;
	r = (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_LOCKED, -1, 0);
	report("mmap MAP_LOCKED", r == (long)MAP_FAILED ? -1 : 0);
	TRY("msgget", msgget(IPC_PRIVATE, 0600));
	TRY("syslog read", syscall(SYS_syslog, 3, &c, 1));
	gettimeofday(&tv, NULL);
	TRY("settimeofday", settimeofday(&tv, NULL));
	TRY("adjtimex", syscall(SYS_adjtimex, NULL));
	TRY("sethostname", sethostname("probe", 5));
	TRY("personality PAGE_ZERO", personality(MMAP_PAGE_ZERO));
	TRY("personality query", personality(0xffffffff));
	TRY("acct", acct(NULL));
	TRY("ptrace seize 1", syscall(SYS_ptrace, 0x4206, 1, 0, 0));
	TRY("mknod /tmp/null", mknod("/tmp/probe-null", 020666, 0x103));
	TRY("open /proc/sys/vm rw", open("/proc/sys/vm/drop_caches", O_WRONLY));
	TRY("open /sys rw", open("/sys/kernel/mm/ksm/run", O_WRONLY));
	TRY("quotactl", syscall(SYS_quotactl, 0, "/", 0, NULL));
	TRY("capbset SYS_ADMIN", prctl(PR_CAPBSET_READ, 21) == 1 ? 0 : -1);
	TRY("capbset NET_RAW", prctl(PR_CAPBSET_READ, 13) == 1 ? 0 : -1);
	TRY("capbset SYS_MODULE", prctl(PR_CAPBSET_READ, 16) == 1 ? 0 : -1);
	r = posix_openpt(O_RDWR | O_NOCTTY);
	if (r >= 0 && grantpt((int)r) == 0 && unlockpt((int)r) == 0)
		r = open(ptsname((int)r), O_RDWR | O_NOCTTY);
	else
		r = -1;
	report("pty pair", r);
	return 0;
}
