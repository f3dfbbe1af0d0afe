/*
 * A release's manifest: one line for each file of its root, with its
 * type, mode, owner and content (a sha256 for a regular file, the
 * target for a symlink), written when the release is bootstrapped or
 * updated, and checked by `gaol verify`: FreeBSD's `freebsd-update IDS`
 * for a Linux root.  It lives beside the releases, not in the root a
 * jail can write: $GAOL_DATADIR/manifests/NAME.
 *
 * A line: TYPE MODE UID:GID DATA PATH, PATH last so that it may hold
 * blanks; a newline or a backslash in it is written \n or \\.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "release.h"
#include "release_int.h"
#include "../store/store.h"

static char *
manifest_path(const char *name)
{
	return xasprintf("%s/manifests/%s", gaol_datadir(), name);
}

/* The sha256 of an open file, in hex, into out[65]; -1 on a read error. */
static int
fd_sha256(int fd, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	char buf[65536];
	ssize_t n;

	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			EVP_MD_CTX_free(ctx);
			return -1;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	digest_hex(md, len < 32 ? len : 32, out);
	return 0;
}

static void
put_path(FILE *f, const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\\')
			fputs("\\\\", f);
		else
			fputc(*p, f);
	}
}

/* One entry (dirfd/name, shown as path) and, for a directory, beneath. */
static int
walk(FILE *f, int dirfd, const char *name, const char *path)
{
	struct stat st;
	char data[4096 + 1];
	char type;
	int fd, r = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		gerr_set_errno("%s", path);
		return -1;
	}
	strcpy(data, "-");
	if (S_ISREG(st.st_mode)) {
		type = 'f';
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd == -1 || fd_sha256(fd, data) == -1) {
			gerr_set_errno("%s", path);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	} else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(dirfd, name, data, sizeof(data) - 1);

		type = 'l';
		if (n < 0) {
			gerr_set_errno("%s", path);
			return -1;
		}
		data[n] = '\0';
		/* A target is one field: blanks and newlines escaped. */
		for (char *p = data; *p != '\0'; p++)
			if (*p == ' ' || *p == '\n' || *p == '\t')
				*p = '?';
	} else if (S_ISDIR(st.st_mode))
		type = 'd';
	else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		type = S_ISCHR(st.st_mode) ? 'c' : 'b';
		snprintf(data, sizeof(data), "%u,%u", major(st.st_rdev),
		    minor(st.st_rdev));
	} else
		type = S_ISFIFO(st.st_mode) ? 'p' : 's';
	fprintf(f, "%c %04o %u:%u %s ", type, st.st_mode & 07777,
	    (unsigned)st.st_uid, (unsigned)st.st_gid, data);
	put_path(f, path);
	fputc('\n', f);
	if (type == 'd') {
		struct dirent **ents;
		int n, sub;

		sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (sub == -1) {
			gerr_set_errno("%s", path);
			return -1;
		}
		/* Sorted, so that two manifests compare line by line. */
		{
			char *self = xasprintf("/proc/self/fd/%d", sub);

			n = scandir(self, &ents, NULL, alphasort);
			free(self);
		}
		if (n < 0) {
			gerr_set_errno("%s", path);
			close(sub);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			const char *e = ents[i]->d_name;

			if (r == 0 && strcmp(e, ".") != 0 && strcmp(e, "..") != 0) {
				char *p = strcmp(path, "/") == 0 ?
				    xasprintf("/%s", e) :
				    xasprintf("%s/%s", path, e);

				r = walk(f, sub, e, p);
				free(p);
			}
			free(ents[i]);
		}
		free(ents);
		close(sub);
	}
	return r;
}

/* The manifest text of the root at path (malloc'd), NULL on error. */
static char *
manifest_of(const char *root)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = xopen_memstream(&text, &len);
	int r;

	r = walk(f, AT_FDCWD, root, "/");
	fclose(f);
	if (r == -1) {
		free(text);
		return NULL;
	}
	return text;
}

int
release_manifest_write(const char *name)
{
	char *root = store_release_path(name), *dir, *path, *text;
	int r = -1;

	dir = xasprintf("%s/manifests", gaol_datadir());
	path = manifest_path(name);
	if ((text = manifest_of(root)) != NULL && mkdir_p(dir, 0755) == 0)
		r = write_file_atomic(path, text, strlen(text), 0644);
	free(text);
	free(path);
	free(dir);
	free(root);
	return r;
}

void
release_manifest_remove(const char *name)
{
	char *path = manifest_path(name);

	unlink(path);
	free(path);
}

/* The path of a manifest line (after four fields), unescaped. */
static char *
line_path(const char *line)
{
	const char *p = line;
	char *out, *o;

	for (int i = 0; i < 4 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL)
		return NULL;
	out = o = xmalloc(strlen(p) + 1);
	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] == 'n') {
			*o++ = '\n';
			p++;
		} else if (*p == '\\' && p[1] == '\\') {
			*o++ = '\\';
			p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* A manifest's entries, by path. */
struct entry {
	char		*path;
	const char	*line;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
	    ((const struct entry *)b)->path);
}

/* The lines of a manifest text (split in place), sorted by path. */
static struct entry *
entries_of(char *text, size_t *np)
{
	struct entry *e = NULL;
	size_t n = 0, cap = 0;
	char *save, *l, *p;

	for (l = strtok_r(text, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		if ((p = line_path(l)) == NULL)
			continue;
		if (n == cap)
			e = xrealloc(e, cap = cap ? 2 * cap : 1024, sizeof(*e));
		e[n].path = p;
		e[n++].line = l;
	}
	qsort(e, n, sizeof(*e), entry_cmp);
	*np = n;
	return e;
}

static void
entries_free(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].path);
	free(e);
}

/* What differs between a want and a got line of the same path. */
static const char *
difference(const char *want, const char *got)
{
	char wt, gt, wm[8], gm[8], wo[32], go[32];

	if (sscanf(want, "%c %7s %31s", &wt, wm, wo) != 3 ||
	    sscanf(got, "%c %7s %31s", &gt, gm, go) != 3)
		return "changed";
	if (wt != gt)
		return "type";
	if (strcmp(strchr(strchr(strchr(want, ' ') + 1, ' ') + 1, ' '),
	    strchr(strchr(strchr(got, ' ') + 1, ' ') + 1, ' ')) != 0)
		return wt == 'l' ? "target" : "content";
	if (strcmp(wm, gm) != 0)
		return "mode";
	return "owner";
}

int
release_verify(const char *name, struct strlist *report, bool *wrote)
{
	char *root = store_release_path(name), *path = manifest_path(name);
	char *want = NULL, *got = NULL;
	struct entry *we = NULL, *ge = NULL;
	size_t wn = 0, gn = 0, i = 0, j = 0;
	struct stat st;
	int r = -1;

	*wrote = false;
	if (stat(root, &st) == -1 || !S_ISDIR(st.st_mode)) {
		gerr_set("%s: no such release", name);
		goto out;
	}
	if (access(path, F_OK) == -1) {
		/* None yet (bootstrapped before manifests): this is it. */
		if ((r = release_manifest_write(name)) == 0)
			*wrote = true;
		goto out;
	}
	if ((want = read_file(path, NULL)) == NULL) {
		gerr_set_errno("%s", path);
		goto out;
	}
	if ((got = manifest_of(root)) == NULL)
		goto out;
	we = entries_of(want, &wn);
	ge = entries_of(got, &gn);
	while (i < wn || j < gn) {
		int c = i == wn ? 1 : j == gn ? -1 :
		    strcmp(we[i].path, ge[j].path);

		if (c < 0)
			strlist_addn(report, xasprintf("missing: %s",
			    we[i++].path));
		else if (c > 0)
			strlist_addn(report, xasprintf("new: %s",
			    ge[j++].path));
		else {
			if (strcmp(we[i].line, ge[j].line) != 0)
				strlist_addn(report, xasprintf("%s: %s",
				    difference(we[i].line, ge[j].line),
				    we[i].path));
			i++;
			j++;
		}
	}
	r = 0;
out:
	entries_free(we, wn);
	entries_free(ge, gn);
	free(want);
	free(got);
	free(path);
	free(root);
	return r;
}
