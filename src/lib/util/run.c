/*
 * Running a host tool (cp, tar, btrfs) to completion.  The child gets
 * the given descriptors as stdin/stdout and nothing else of ours: every
 * descriptor gaol opens is close-on-exec.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

int
run_argv(char *const argv[], int in_fd, int out_fd)
{
	pid_t pid;
	int st;

	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		return -1;
	}
	if (pid == 0) {
		if (in_fd >= 0 && in_fd != 0 && dup2(in_fd, 0) == -1)
			_exit(127);
		if (out_fd >= 0 && out_fd != 1 && dup2(out_fd, 1) == -1)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			gerr_set_errno("waitpid");
			return -1;
		}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	if (WEXITSTATUS(st) == 127) {
		gerr_set("%s: could not run", argv[0]);
		return -1;
	}
	return WEXITSTATUS(st);
}
