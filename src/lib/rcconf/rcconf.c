/*
 * rc.conf(5)-style files, line by line (rcconf.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rcconf.h"

bool
rcconf_name_ok(const char *s)
{
	if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return false;
	for (s++; *s != '\0'; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

bool
rcconf_yes(const char *v)
{
	return v != NULL && (strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 ||
	    strcmp(v, "1") == 0);
}

/*
 * The name a line assigns (its length in *namelen, 0 when the line is
 * not an assignment) and, if valuep is given, its value unquoted.
 */
static const char *
parse_line(const char *line, size_t *namelen, char **valuep)
{
	const char *p = line + strspn(line, " \t"), *name;
	size_t n = 0;

	*namelen = 0;
	if (strncmp(p, "export ", 7) == 0)
		p += 7 + strspn(p + 7, " \t");
	name = p;
	while (p[n] == '_' || (p[n] >= 'A' && p[n] <= 'Z') ||
	    (p[n] >= 'a' && p[n] <= 'z') || (n > 0 && p[n] >= '0' && p[n] <= '9'))
		n++;
	if (n == 0 || p[n] != '=')
		return NULL;
	*namelen = n;
	if (valuep == NULL)
		return name;

	/* sh's quoting, one word: bare, "...", '...' pieces run together. */
	char *buf = xmalloc(strlen(p) + 1), *b = buf;
	for (p += n + 1; *p != '\0' && *p != ' ' && *p != '\t' && *p != ';';) {
		if (*p == '\'') {
			for (p++; *p != '\0' && *p != '\''; p++)
				*b++ = *p;
			if (*p == '\'')
				p++;
		} else if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && strchr("\"\\$`", p[1]) != NULL &&
				    p[1] != '\0')
					p++;
				*b++ = *p;
			}
			if (*p == '"')
				p++;
		} else if (*p == '\\' && p[1] != '\0') {
			*b++ = p[1];
			p += 2;
		} else {
			*b++ = *p++;
		}
	}
	*b = '\0';
	*valuep = buf;
	return name;
}

static bool
line_assigns(const char *line, const char *name, size_t len)
{
	size_t n;
	const char *s = parse_line(line, &n, NULL);

	return s != NULL && n == len && memcmp(s, name, len) == 0;
}

int
rcconf_load_fd(struct rcconf *rc, int fd, const char *display)
{
	char *text = NULL, *line, *next;
	size_t len = 0, cap = 0;
	ssize_t r;

	memset(rc, 0, sizeof(*rc));
	rc->path = xstrdup(display);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		gerr_set_errno("%s", rc->path);
		return -1;
	}
	for (;;) {
		if (len + 4096 + 1 > cap)
			text = xrealloc(text, cap = cap * 2 + 8192, 1);
		r = read(fd, text + len, cap - len - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			gerr_set_errno("%s", rc->path);
			close(fd);
			free(text);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (memchr(text, '\0', len) != NULL) {
		gerr_set("%s: not a text file", rc->path);
		free(text);
		return -1;
	}
	text[len] = '\0';
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		strlist_add(&rc->lines, line);
	}
	free(text);
	return 0;
}

int
rcconf_load(struct rcconf *rc, const char *path)
{
	return rcconf_load_fd(rc, open(path, O_RDONLY | O_CLOEXEC), path);
}

void
rcconf_free(struct rcconf *rc)
{
	strlist_clear(&rc->lines);
	free(rc->path);
	memset(rc, 0, sizeof(*rc));
}

/* The index of the last line assigning NAME, or -1. */
static ssize_t
last_line(const struct rcconf *rc, const char *name)
{
	size_t len = strlen(name);

	for (size_t i = rc->lines.n; i-- > 0;)
		if (line_assigns(rc->lines.v[i], name, len))
			return (ssize_t)i;
	return -1;
}

char *
rcconf_get(const struct rcconf *rc, const char *name)
{
	ssize_t i = last_line(rc, name);
	size_t n;
	char *v;

	if (i < 0)
		return NULL;
	parse_line(rc->lines.v[i], &n, &v);
	return v;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
rcconf_names(const struct rcconf *rc, struct strlist *names)
{
	for (size_t i = 0; i < rc->lines.n; i++) {
		size_t n;
		const char *s = parse_line(rc->lines.v[i], &n, NULL);
		char *name;

		if (s == NULL)
			continue;
		name = xstrndup(s, n);
		if (!strlist_has(names, name))
			strlist_addn(names, name);
		else
			free(name);
	}
	if (names->n > 1)
		qsort(names->v, names->n, sizeof(*names->v), cmp_str);
}

/* NAME="value" with what is special inside double quotes escaped. */
static char *
assignment(const char *name, const char *value)
{
	char *buf = xmalloc(strlen(name) + 2 * strlen(value) + 4), *b = buf;

	b += sprintf(b, "%s=\"", name);
	for (const char *v = value; *v != '\0'; v++) {
		if (strchr("\"\\$`", *v) != NULL)
			*b++ = '\\';
		*b++ = *v;
	}
	*b++ = '"';
	*b = '\0';
	return buf;
}

void
rcconf_set(struct rcconf *rc, const char *name, const char *value)
{
	ssize_t i = last_line(rc, name);
	char *line = assignment(name, value);

	if (i < 0) {
		strlist_addn(&rc->lines, line);
	} else {
		free(rc->lines.v[i]);
		rc->lines.v[i] = line;
	}
	rc->changed = true;
}

bool
rcconf_unset(struct rcconf *rc, const char *name)
{
	size_t len = strlen(name), j = 0;
	bool found = false;

	for (size_t i = 0; i < rc->lines.n; i++) {
		if (line_assigns(rc->lines.v[i], name, len)) {
			free(rc->lines.v[i]);
			found = true;
		} else {
			rc->lines.v[j++] = rc->lines.v[i];
		}
	}
	rc->lines.n = j;
	if (found)
		rc->changed = true;
	return found;
}

int
rcconf_save_at(const struct rcconf *rc, int dirfd, const char *name)
{
	struct stat st;
	char *text = strlist_join(&rc->lines, "\n");
	uid_t uid = 0;
	gid_t gid = 0;
	mode_t mode = 0644;
	size_t len = strlen(text);
	int r;

	/* A symlink is replaced by the file, as FreeBSD's sysrc does (mv). */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISLNK(st.st_mode)) {
		if (!S_ISREG(st.st_mode)) {
			gerr_set("%s: not a regular file", rc->path);
			free(text);
			return -1;
		}
		uid = st.st_uid;
		gid = st.st_gid;
		mode = st.st_mode & 07777;
	}
	if (rc->lines.n > 0) {
		text = xrealloc(text, len + 2, 1);
		text[len++] = '\n';
		text[len] = '\0';
	}
	r = write_file_at(dirfd, name, text, len, mode, uid, gid);
	if (r == -1)
		gerr_set_errno("%s", rc->path);
	free(text);
	return r;
}

int
rcconf_save(const struct rcconf *rc, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int dfd, r;

	if (slash == NULL)
		return rcconf_save_at(rc, AT_FDCWD, path);
	dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1) {
		gerr_set_errno("%s", dir);
		free(dir);
		return -1;
	}
	free(dir);
	r = rcconf_save_at(rc, dfd, slash + 1);
	close(dfd);
	return r;
}

char *
rcconf_file_get(const char *path, const char *name)
{
	struct rcconf rc;
	char *val;

	if (rcconf_load(&rc, path) == -1)
		return NULL;
	val = rcconf_get(&rc, name);
	rcconf_free(&rc);
	return val;
}
