/*
 * The per-jail watcher: the kernel denies by itself (cgroup limits,
 * rlimits, IPC sysctls), but log, devctl and the signal actions need
 * someone to notice the crossing.  A jail with rules has one small
 * process, started with the rules and ended with the jail: it holds a
 * pidfd of the init, wakes on SIGHUP when the rules change, checks the
 * usage of the watched rules every TICK_MS, and removes the jail's
 * rules file when the init has gone.  docs/design/rctl.md says why.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "../state/registry.h"
#include "rctl_int.h"

#define TICK_MS		250
#define RESIGNAL_MS	1000
#define OOM_TICK_MS	1000	/* memoryuse:deny alone: look for kills */

void
rctl_event(const struct rjail *j, const struct rrule *r, int64_t usage)
{
	char *rule = rrule_format(r, false), *path;
	char stamp[64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z",
	    localtime_r(&now, &tm));
	if (r->action == RA_DEVCTL) {
		/* devd(8)'s notification, one line a match. */
		path = xasprintf("%s/rctl/devctl", gaol_rundir());
		if ((f = fopen(path, "ae")) != NULL) {
			fprintf(f, "!system=RCTL subsystem=rule type=matched "
			    "rule=%s jail=%s jid=%d usage=%" PRId64 "\n", rule,
			    j->name, j->jid, usage);
			fclose(f);
		}
		free(path);
	} else {
		openlog("rctl", LOG_PID, LOG_DAEMON);
		syslog(LOG_NOTICE, "rule \"%s\" matched by jail %s (jid %d), "
		    "usage %" PRId64, rule, j->name, j->jid, usage);
		closelog();
		(void)mkdir_p(gaol_logdir(), 0755);
		path = xasprintf("%s/rctl.log", gaol_logdir());
		if ((f = fopen(path, "ae")) != NULL) {
			fprintf(f, "%s rctl: rule \"%s\" matched by jail %s "
			    "(jid %d), usage %" PRId64 "\n", stamp, rule,
			    j->name, j->jid, usage);
			fclose(f);
		}
		free(path);
	}
	free(rule);
}

/* An error the watcher met: to syslog and rctl.log. */
void
rctl_log_error(const struct rjail *j, const char *msg)
{
	char *path;
	FILE *f;

	openlog("rctl", LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "jail %s (jid %d): %s", j->name, j->jid, msg);
	closelog();
	(void)mkdir_p(gaol_logdir(), 0755);
	path = xasprintf("%s/rctl.log", gaol_logdir());
	if ((f = fopen(path, "ae")) != NULL) {
		fprintf(f, "rctl: jail %s (jid %d): %s\n", j->name, j->jid, msg);
		fclose(f);
	}
	free(path);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
signal_jail(const struct rjail *j, int sig)
{
	pid_t *pids;
	size_t n;

	if (cgroup_pids(&j->cg, &pids, &n) == -1)
		return;
	for (size_t i = 0; i < n; i++)
		if (pids[i] != j->init)
			kill(pids[i], sig);
	free(pids);
}

/* What the watcher keeps per rule between ticks. */
struct wstate {
	bool	over;
	int64_t	last_sig;
};

static bool
watched(const struct rrule *r)
{
	return r->action == RA_LOG || r->action == RA_DEVCTL ||
	    r->action == RA_SIG;
}

/*
 * The kernel kills with SIGKILL at memoryuse:deny, and the victim's
 * parent sees only "killed": say in rctl.log and syslog that the limit
 * did it.  Returns the count seen now.
 */
static int64_t
report_oom_kills(const struct rjail *j, int64_t seen)
{
	int64_t n = cgroup_oom_kills(&j->cg);
	char *msg;

	if (seen >= 0 && n > seen) {
		msg = xasprintf("memoryuse: %" PRId64 " process%s killed by "
		    "the memory limit", n - seen, n - seen > 1 ? "es" : "");
		rctl_log_error(j, msg);
		free(msg);
	}
	return n;
}

static void __attribute__((noreturn))
watch_loop(struct rjail *j, int pidfd)
{
	struct rstore st = { 0 };
	struct wstate *ws = NULL;
	sigset_t hup;
	int sfd;
	int64_t cpu_prev = -1, t_prev = 0, io_prev[4] = { 0 };
	int64_t born = now_ms(), ooms_seen = -1;
	bool reload = true, pty_pending = false, oom_watch = false;

	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	sigprocmask(SIG_BLOCK, &hup, NULL);
	sfd = signalfd(-1, &hup, SFD_CLOEXEC);
	for (;;) {
		struct pollfd p[2] = { { pidfd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		bool any = false;
		int64_t u[R_NRES] = { 0 };

		if (reload) {
			int lock = registry_lock();

			rruleset_free(&st.rules);
			rctl_store_load(j->jid, j->init, j->start, &st);
			if (lock != -1)
				registry_unlock(lock);
			free(ws);
			ws = xcalloc(st.rules.n + 1, sizeof(*ws));
			reload = false;
			pty_pending = rruleset_deny(&st.rules,
			    R_PSEUDOTERMINALS) != -1;
			oom_watch = rruleset_deny(&st.rules, R_MEMORYUSE) != -1;
			if (oom_watch && ooms_seen < 0)
				ooms_seen = cgroup_oom_kills(&j->cg);
		}
		if (st.rules.n == 0 ||
		    (st.watcher != 0 && st.watcher != getpid()))
			break;	/* no rules left, or replaced */
		/* A devpts limit waits for the jail's /dev (see apply.c). */
		if (pty_pending && rctl_jail_has_devpts(j)) {
			if (rctl_apply_pty(j, &st.rules) == -1)
				rctl_log_error(j, gerr_msg());
			pty_pending = false;
		} else if (pty_pending && now_ms() - born > 30000) {
			rctl_log_error(j, "pseudoterminals: the jail has no "
			    "devpts instance of its own (mount.devfs)");
			pty_pending = false;
		}
		for (size_t i = 0; i < st.rules.n; i++)
			any |= watched(&st.rules.v[i]);
		if (poll(p, 2, any || pty_pending ? TICK_MS : oom_watch ?
		    OOM_TICK_MS : -1) == -1 && errno != EINTR)
			break;
		if (p[0].revents)
			break;	/* the jail is gone */
		if (p[1].revents) {
			struct signalfd_siginfo si;

			(void)read(sfd, &si, sizeof(si));
			reload = true;
			continue;
		}
		if (oom_watch)
			ooms_seen = report_oom_kills(j, ooms_seen);
		if (!any)
			continue;
		/* One sample a tick; rates over the tick. */
		{
			int64_t t = now_ms(), cpu = rctl_cpu_ns(j), io[4];
			pid_t *pids;
			size_t n;

			rctl_io_totals(j, io);
			if (cpu_prev >= 0 && t > t_prev) {
				u[R_PCPU] = (cpu - cpu_prev) / 10000 / (t - t_prev);
				for (int k = 0; k < 4; k++)
					u[R_READBPS + k] = (io[k] - io_prev[k]) *
					    1000 / (t - t_prev);
			}
			cpu_prev = cpu;
			t_prev = t;
			memcpy(io_prev, io, sizeof(io));
			if (cgroup_pids(&j->cg, &pids, &n) == 0) {
				u[R_MAXPROC] = (int64_t)n;
				free(pids);
			}
		}
		{
			int64_t full[R_NRES];
			bool need_full = false;

			for (size_t i = 0; i < st.rules.n; i++) {
				int r = st.rules.v[i].resource;

				if (watched(&st.rules.v[i]) && r != R_PCPU &&
				    r != R_MAXPROC && (r < R_READBPS))
					need_full = true;
			}
			if (need_full && rctl_usage_now(j, full) == 0)
				for (int r = 0; r < R_NRES; r++)
					if (r != R_PCPU && r != R_MAXPROC &&
					    r < R_READBPS)
						u[r] = full[r];
		}
		for (size_t i = 0; i < st.rules.n; i++) {
			const struct rrule *r = &st.rules.v[i];
			bool over;
			int64_t t = now_ms();

			if (!watched(r))
				continue;
			over = u[r->resource] > r->amount;
			if (over && r->action == RA_SIG &&
			    (!ws[i].over || t - ws[i].last_sig >= RESIGNAL_MS)) {
				signal_jail(j, r->sig);
				ws[i].last_sig = t;
			}
			if (over && !ws[i].over && r->action != RA_SIG)
				rctl_event(j, r, u[r->resource]);
			ws[i].over = over;
		}
	}
	{
		int lock = registry_lock();
		struct rstore cur;

		/* Gone with the jail: its rules too; replaced: leave them. */
		rctl_store_load(j->jid, j->init, j->start, &cur);
		if (cur.watcher == getpid() || cur.watcher == 0)
			rctl_store_remove(j->jid, j->init, j->start);
		rruleset_free(&cur.rules);
		if (lock != -1)
			registry_unlock(lock);
	}
	_exit(0);
}

int
rctl_watcher_ensure(const struct rjail *j)
{
	struct rstore st;
	int lock, fd, p[2];
	pid_t pid, wpid = 0;

	if ((lock = registry_lock()) == -1)
		return -1;
	rctl_store_load(j->jid, j->init, j->start, &st);
	if (st.watcher > 0 && (fd = proc_alive(st.watcher, st.wstart)) >= 0) {
		syscall(SYS_pidfd_send_signal, fd, SIGHUP, NULL, 0);
		close(fd);
		rruleset_free(&st.rules);
		registry_unlock(lock);
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) == -1) {
		gerr_set_errno("pipe");
		rruleset_free(&st.rules);
		registry_unlock(lock);
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct rjail copy = *j;
		int pidfd, null;
		char *leaf;

		close(p[0]);
		setsid();
		if (fork() != 0)
			_exit(0);
		pid = getpid();
		(void)write(p[1], &pid, sizeof(pid));
		/* Nothing of the caller's: no lock, no pipe to a waiter. */
		syscall(SYS_close_range, 3, ~0U, 0);
		null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
		pidfd = (int)syscall(SYS_pidfd_open, j->init, 0);
		if (chdir("/") == -1)
			_exit(1);
		prctl(PR_SET_NAME, "gaol-rctl");
		copy.name = xstrdup(j->name);
		copy.starting = false;
		leaf = cgroup_jail_name(j->jid);
		if (cgroup_paths(leaf, &copy.cg) == -1)
			_exit(1);
		free(leaf);
		if (pidfd < 0 || proc_starttime(j->init) != j->start)
			_exit(0);
		watch_loop(&copy, pidfd);
	}
	close(p[1]);
	if (pid > 0) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		if (read(p[0], &wpid, sizeof(wpid)) != sizeof(wpid))
			wpid = 0;
	}
	close(p[0]);
	if (wpid > 0) {
		st.watcher = wpid;
		st.wstart = proc_starttime(wpid);
		st.init = j->init;
		st.start = j->start;
		(void)rctl_store_save(j->jid, &st);
	}
	rruleset_free(&st.rules);
	registry_unlock(lock);
	if (wpid > 0) {
		/* It may have read the file before we named it: wake it. */
		kill(wpid, SIGHUP);
	}
	return 0;
}
