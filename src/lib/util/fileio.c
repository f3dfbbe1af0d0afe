#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "util.h"

int
mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST) {
			gerr_set_errno("mkdir %s", p);
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, mode) == -1 && errno != EEXIST) {
		gerr_set_errno("mkdir %s", p);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

/*
 * Files read ahead by file_keep: a process that is about to give up the
 * host's credentials (a jail's init, gaol.idmap=private) keeps the host
 * files it will read, and read_file answers from the copy.
 */
struct kept_file {
	char	*path;
	char	*text;		/* NULL: could not be read, errno in err */
	size_t	 len;
	int	 err;
};
static struct kept_file *kept;
static size_t nkept;

static char *read_file_now(const char *, size_t *);

void
file_keep(const char *path)
{
	struct kept_file *k;

	for (size_t i = 0; i < nkept; i++)
		if (strcmp(kept[i].path, path) == 0)
			return;
	kept = xrealloc(kept, nkept + 1, sizeof(*kept));
	k = &kept[nkept++];
	k->path = xstrdup(path);
	k->text = read_file_now(path, &k->len);
	k->err = k->text == NULL ? errno : 0;
}

char *
read_file(const char *path, size_t *lenp)
{
	for (size_t i = 0; i < nkept; i++) {
		const struct kept_file *k = &kept[i];
		char *copy;

		if (strcmp(k->path, path) != 0)
			continue;
		if (k->text == NULL) {
			errno = k->err;
			gerr_set_errno("%s", path);
			return NULL;
		}
		copy = xmalloc(k->len + 1);
		memcpy(copy, k->text, k->len + 1);
		if (lenp)
			*lenp = k->len;
		return copy;
	}
	return read_file_now(path, lenp);
}

static char *
read_file_now(const char *path, size_t *lenp)
{
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", path);
		return NULL;
	}
	buf = read_fd(fd, path, lenp);
	close(fd);
	return buf;
}

char *
read_fd(int fd, const char *name, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf;
	ssize_t n;

	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xrealloc(buf, cap *= 2, 1);
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			gerr_set_errno("%s", name);
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

int
write_full(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The file is either wholly old or wholly new, even after kill -9. */
int
write_file_atomic(const char *path, const char *buf, size_t len, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd == -1) {
		gerr_set_errno("%s", tmp);
		free(tmp);
		return -1;
	}
	if (write_full(fd, buf, len) == -1 || close(fd) == -1) {
		gerr_set_errno("%s", tmp);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		gerr_set_errno("%s", path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
write_file_at(int dirfd, const char *name, const char *buf, size_t len,
    mode_t mode, uid_t uid, gid_t gid)
{
	char *tmp = xasprintf(".%s.tmp.%d", name, (int)getpid());
	int fd;

	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		gerr_set_errno("%s", name);
		free(tmp);
		return -1;
	}
	if (write_full(fd, buf, len) == -1 ||
	    ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchown(fd, uid, gid) == -1) || fchmod(fd, mode) == -1 ||
	    fsync(fd) == -1 || close(fd) == -1 ||
	    renameat(dirfd, tmp, dirfd, name) == -1) {
		gerr_set_errno("%s", name);
		unlinkat(dirfd, tmp, 0);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int
write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd == -1) {
		gerr_set_errno("%s", path);
		return -1;
	}
	if (write_full(fd, s, strlen(s)) == -1) {
		gerr_set_errno("%s: write \"%s\"", path, s);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

bool
proc_mounted(void)
{
	struct statfs sf;

	return statfs("/proc/self", &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

char *
path_clean(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t len = 0;

	for (const char *p = path; *p; ) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* Back to the previous "/" (never above the root). */
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

bool
path_within(const char *path, const char *dir)
{
	char *p = path_clean(path), *d = path_clean(dir);
	size_t n = strlen(d);
	bool in;

	if (n == 1)
		in = true;	/* everything is below "/" */
	else
		in = strncmp(p, d, n) == 0 && (p[n] == '/' || p[n] == '\0');
	free(p);
	free(d);
	return in;
}
