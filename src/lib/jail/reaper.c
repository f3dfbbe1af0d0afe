/*
 * The host's side of a jail that ends by itself.  A jail without
 * persist goes when its last process exits, with no jail(8) around:
 * FreeBSD then leaves what exec.prestart and the addresses made on the
 * host (the next start fails with "File exists").  Here a small process
 * waits for the init of such a jail, and when it is gone removes the
 * jail as jail -r would past the point where its processes are gone:
 * the jail's addresses, interfaces and cgroups (its intents), then
 * exec.poststop and exec.release on the host.
 *
 * It is started by jail -c for a jail that outlives its creator without
 * persist, and by jail -m nopersist, and is named the owner of the live
 * jail's record, so that no other command "recovers" the jail between
 * the init's end and the reaper's work (registry_settle).  A jail
 * removed meanwhile (jail -r marks it dying first) is left to its
 * remover.  A reaper that is killed leaves the intents to the next
 * command's registry_recover, as before; only the two hooks are lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

static void __attribute__((noreturn))
reap(const struct jrecord *watched, int tell, int go)
{
	struct pollfd pfd = { .events = POLLIN };
	struct jrecord rec;
	pid_t self = getpid();
	char c = 0;
	int null;

	if (write(tell, &self, sizeof(self)) != sizeof(self))
		_exit(1);
	/* Nothing of the caller's: no lock, no pipe a shell waits on.  Two
	 * ranges, not a loop to 1024: jail raises its descriptor limit. */
	if (go > 3)
		syscall(SYS_close_range, 3, go - 1, 0);
	syscall(SYS_close_range, go < 3 ? 3 : go + 1, ~0U, 0);
	if ((null = open("/dev/null", O_RDWR)) >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (chdir("/") == -1)
		_exit(1);
	prctl(PR_SET_NAME, "gaol-reaper");
	/* Until the record names us, the jail is not ours to clean. */
	if (read(go, &c, 1) != 1 || c != 'g')
		_exit(0);
	close(go);
	if ((pfd.fd = proc_alive(watched->init_pid, watched->init_start)) >= 0) {
		/* The pidfd turns readable when the init has exited. */
		while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
			;
		close(pfd.fd);
	}
	if (registry_load(watched->jid, &rec) == -1)
		_exit(0);
	/* Still the jail we watched, and nobody removing it. */
	if (rec.state != JS_ALIVE || rec.init_pid != watched->init_pid ||
	    rec.init_start != watched->init_start)
		_exit(0);
	_exit(jail_remove(&rec, JF_QUIET | JF_ENDED) == 0 ? 0 : 1);
}

int
jail_reaper_start(const struct jrecord *rec, struct reaper *rp)
{
	int tell[2], go[2];
	pid_t pid;

	rp->pid = 0;
	rp->go = -1;
	if (pipe2(tell, O_CLOEXEC) == -1) {
		gerr_set_errno("%s: pipe", rec->name);
		return -1;
	}
	if (pipe2(go, O_CLOEXEC) == -1) {
		gerr_set_errno("%s: pipe", rec->name);
		close(tell[0]);
		close(tell[1]);
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		gerr_set_errno("%s: fork", rec->name);
		pid = 0;
	} else if (pid == 0) {
		/* Out of our session, and not our child: no zombie to wait. */
		setsid();
		if (fork() != 0)
			_exit(0);
		close(tell[0]);
		close(go[1]);
		reap(rec, tell[1], go[0]);
	}
	close(tell[1]);
	close(go[0]);
	if (pid > 0) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		if (read(tell[0], &rp->pid, sizeof(rp->pid)) !=
		    sizeof(rp->pid))
			rp->pid = 0;
	}
	close(tell[0]);
	if (rp->pid <= 0) {
		close(go[1]);
		rp->pid = 0;
		gerr_set("%s: cannot start the jail's reaper", rec->name);
		return -1;
	}
	rp->start = proc_starttime(rp->pid);
	rp->go = go[1];
	return 0;
}

void
jail_reaper_go(struct reaper *rp, bool go)
{
	if (rp->go < 0)
		return;
	if (go)
		(void)write(rp->go, "g", 1);
	close(rp->go);
	rp->go = -1;
}
