/*
 * The audit log writer.  Each line goes out in one write(2) on an
 * O_APPEND descriptor, so concurrent writers never interleave within a
 * line, and nothing is buffered that a kill could lose.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "../util/util.h"
#include "audit.h"
#include "out.h"

static char *
now_iso(void)
{
	char buf[32];
	struct tm tm;
	time_t t = time(NULL);

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* "uid=0 user=root", plus the sudo user when there is one. */
static char *
invoker(void)
{
	struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");
	char *name = out_shquote(pw != NULL ? pw->pw_name : "?");
	char *s, *q;

	if (sudo != NULL && *sudo != '\0') {
		q = out_shquote(sudo);
		s = xasprintf("uid=%d user=%s sudo_user=%s", (int)getuid(),
		    name, q);
		free(q);
	} else
		s = xasprintf("uid=%d user=%s", (int)getuid(), name);
	free(name);
	return s;
}

static char *
command_words(char *const *argv)
{
	struct strlist l = { 0 };
	char *s;

	if (argv == NULL || argv[0] == NULL)
		return xstrdup("-");
	for (size_t i = 0; argv[i] != NULL; i++)
		strlist_addn(&l, out_shquote(argv[i]));
	s = strlist_join(&l, " ");
	strlist_clear(&l);
	return s;
}

/* The fields every line of an entry repeats, so that each stands alone. */
static char *
common_fields(const struct audit *a, const char *event)
{
	char *when = now_iso(), *who = invoker();
	char *jname = out_shquote(a->jname != NULL ? a->jname : "");
	char *as = out_shquote(a->as != NULL ? a->as : "-");
	char *s;

	s = xasprintf("%s id=%s event=%s prog=%s %s jid=%d jail=%s as=%s",
	    when, a->id, event, a->prog, who, a->jid, jname, as);
	free(when);
	free(who);
	free(jname);
	free(as);
	return s;
}

static int write_line(const struct audit *, const char *);

/*
 * A log that cannot be written (its disk full, say) must not lock
 * everyone out of the jails: the line goes to syslog instead, and the
 * caller says so on stderr.
 */
static int
append_line(const struct audit *a, const char *line)
{
	char *msg;

	if (write_line(a, line) == 0)
		return 0;
	openlog(a->prog, LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_WARNING, "%.*s", (int)strcspn(line, "\n"), line);
	closelog();
	msg = gerr_save();
	gerr_set("%s (the entry went to syslog)", msg);
	free(msg);
	return -1;
}

static int
write_line(const struct audit *a, const char *line)
{
	char *path;
	size_t len = strlen(line);
	ssize_t n;
	int fd;

	if (mkdir_p(gaol_logdir(), 0750) == -1)
		return -1;
	path = xasprintf("%s/%s", gaol_logdir(), a->log);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd == -1) {
		gerr_set_errno("%s", path);
		free(path);
		return -1;
	}
	do
		n = write(fd, line, len);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)len || close(fd) == -1) {
		gerr_set_errno("%s", path);
		if (n != (ssize_t)len)
			close(fd);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int
audit_begin(struct audit *a)
{
	struct timespec ts;
	char *head, *cmd, *line;
	int rc;

	/* Unique enough: the pid cannot repeat within one nanosecond. */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(a->id, sizeof(a->id), "%llx-%d",
	    (unsigned long long)ts.tv_sec * 1000000000ULL +
	    (unsigned long long)ts.tv_nsec, (int)getpid());
	head = common_fields(a, "start");
	cmd = command_words(a->argv);
	line = xasprintf("%s cmd=%s\n", head, cmd);
	rc = append_line(a, line);
	free(head);
	free(cmd);
	free(line);
	return rc;
}

int
audit_end(const struct audit *a, int status)
{
	char *head = common_fields(a, "end");
	char *line = xasprintf("%s status=%d\n", head, status);
	int rc = append_line(a, line);

	free(head);
	free(line);
	return rc;
}
