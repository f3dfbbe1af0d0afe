#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/util.h"
#include "passwd.h"

/*
 * The jail's root owns these files: it could make one a FIFO (and hang
 * every jexec), a symlink, or a device that never ends.  Read only a
 * regular file, and only so much of it.
 */
#define JAIL_FILE_MAX	(4 * 1024 * 1024)

static char *
read_jail_file(const char *path)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > JAIL_FILE_MAX) {
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Split a colon line into at most max fields, in place. */
static int
split_colon(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == ':') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

static bool
member_of(char *members, const char *name)
{
	char *save, *tok;

	for (tok = strtok_r(members, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, name) == 0)
			return true;
	return false;
}

static void
load_groups(const char *root, struct juser *u)
{
	char *path = xasprintf("%s/etc/group", root), *text, *save, *line;

	u->groups = xcalloc(1, sizeof(gid_t));
	u->groups[0] = u->gid;
	u->ngroups = 1;
	text = read_jail_file(path);
	free(path);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *f[4];

		if (line[0] == '#' || split_colon(line, f, 4) < 4)
			continue;
		if (!member_of(f[3], u->name))
			continue;
		u->groups = xrealloc(u->groups, u->ngroups + 1, sizeof(gid_t));
		u->groups[u->ngroups++] = (gid_t)strtoul(f[2], NULL, 10);
	}
	free(text);
}

int
juser_lookup(const char *root, const char *name, struct juser *u)
{
	char *path = xasprintf("%s/etc/passwd", root), *text, *save, *line;
	long long id = -1;

	memset(u, 0, sizeof(*u));
	(void)parse_int(name, &id);
	text = read_jail_file(path);
	free(path);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	    line = strtok_r(NULL, "\n", &save)) {
		char *f[7];

		if (line[0] == '#' || split_colon(line, f, 7) < 7)
			continue;
		if (strcmp(f[0], name) != 0 &&
		    (id < 0 || strtoll(f[2], NULL, 10) != id))
			continue;
		u->name = xstrdup(f[0]);
		u->uid = (uid_t)strtoul(f[2], NULL, 10);
		u->gid = (gid_t)strtoul(f[3], NULL, 10);
		u->home = xstrdup(*f[5] ? f[5] : "/");
		u->shell = xstrdup(*f[6] ? f[6] : "/bin/sh");
		break;
	}
	free(text);
	if (u->name == NULL) {
		gerr_set("%s: no such user", name);
		errno = ENOENT;
		return -1;
	}
	load_groups(root, u);
	return 0;
}

void
juser_free(struct juser *u)
{
	free(u->name);
	free(u->home);
	free(u->shell);
	free(u->groups);
	memset(u, 0, sizeof(*u));
}
