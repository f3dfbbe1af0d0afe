/*
 * Moving a jail between hosts: gaol export writes a short header (what
 * the jail is) and then the backend's native stream, gaol import reads
 * it back into a new jail on whatever backend the importing host uses.
 *
 *	gaol-export 1
 *	name="web"
 *	release="bookworm"
 *	stream="tar"		(a zstd tarball of the root) or "btrfs"
 *	ip="192.0.2.10"		(and compression, quota when set)
 *	<empty line>
 *	<the stream>
 *
 * The stream is always the jail's whole root, so an imported jail is
 * thick and needs no release on the new host.  --raw leaves the header
 * out (the file is then for `btrfs receive` or `tar -x`); import takes
 * such a file too, when it is a seekable file and a name is given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../rcconf/rcconf.h"
#include "store_int.h"

#define MAGIC		"gaol-export 1\n"
#define HEADER_MAX	8192

static const char *const carried[] = { "compression", "quota", NULL };

static int
write_header(const struct sjail *j, const char *stream, int fd)
{
	char *text = NULL, *v;
	size_t len = 0;
	FILE *f = xopen_memstream(&text, &len);
	ssize_t w = 0;
	int r = 0;

	fprintf(f, MAGIC "name=\"%s\"\nrelease=\"%s\"\nstream=\"%s\"\n",
	    j->name, j->release ? j->release : "", stream);
	if (j->ip != NULL)
		fprintf(f, "ip=\"%s\"\n", j->ip);
	for (size_t i = 0; carried[i] != NULL; i++)
		if ((v = meta_get(j, carried[i])) != NULL) {
			fprintf(f, "%s=\"%s\"\n", carried[i], v);
			free(v);
		}
	fprintf(f, "\n");
	fclose(f);
	for (size_t off = 0; off < len; off += (size_t)w)
		if ((w = write(fd, text + off, len - off)) <= 0) {
			gerr_set_errno("%s: export", j->name);
			r = -1;
			break;
		}
	free(text);
	return r;
}

int
store_export(const char *name, int fd, int flags)
{
	const struct store_ops *ops;
	struct sjail j;
	const char *stream;
	int r = -1;

	if (store_jail_load(name, &j) == -1)
		return -1;
	if ((ops = jail_ops(&j)) == NULL)
		goto out;
	stream = (flags & STORE_EXPORT_TAR) || ops->send == NULL ? "tar" :
	    ops->stream;
	if (!(flags & STORE_EXPORT_RAW) && write_header(&j, stream, fd) == -1)
		goto out;
	if (strcmp(stream, "tar") != 0)
		r = ops->send(&j, fd);
	else if (ops->root_open == NULL || ops->root_open(&j) == 0) {
		r = tar_send(j.root, fd);
		if (ops->root_close != NULL)
			ops->root_close(&j);
	}
out:
	sjail_free(&j);
	return r;
}

/* Up to the empty line, a byte at a time: the stream after is not ours. */
static char *
read_header_text(int fd)
{
	char *buf = xmalloc(HEADER_MAX + 1);
	size_t n = 0;

	while (n < HEADER_MAX) {
		ssize_t r = read(fd, buf + n, 1);

		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n++;
		if (n == strlen(MAGIC) && memcmp(buf, MAGIC, n) != 0)
			break;
		if (n >= 2 && buf[n - 1] == '\n' && buf[n - 2] == '\n') {
			buf[n] = '\0';
			return buf;
		}
	}
	buf[n] = '\0';
	free(buf);
	return NULL;
}

/* A raw stream: what its first bytes are, read from a file and rewound. */
static const char *
raw_stream(int fd)
{
	unsigned char b[13] = { 0 };
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) == -1) {
		gerr_set("not a gaol export stream (a raw stream can be "
		    "imported from a file, with a name)");
		return NULL;
	}
	n = read(fd, b, sizeof(b));
	(void)lseek(fd, 0, SEEK_SET);
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
	    b[3] == 0xfd)
		return "tar";
	if (n >= 13 && memcmp(b, "btrfs-stream", 13) == 0)
		return "btrfs";
	gerr_set("not a gaol export stream, a zstd tarball or a btrfs send "
	    "stream");
	return NULL;
}

/* The header's lines, read as rc.conf is. */
static bool
read_header(int fd, struct rcconf *rc)
{
	char *text = read_header_text(fd), *line, *save = NULL;

	memset(rc, 0, sizeof(*rc));
	if (text == NULL)
		return false;
	rc->path = xstrdup("export header");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		strlist_add(&rc->lines, line);
	free(text);
	return true;
}

struct import {
	int		 fd;
	const char	*stream;
};

static int
fill_import(struct sjail *j, const struct store_ops *ops, void *arg)
{
	const struct import *im = arg;

	j->thin = false;
	if (strcmp(im->stream, "tar") != 0)
		return ops->receive(j, im->fd);
	if (ops->root_new != NULL) {
		if (ops->root_new(j->root) == -1)
			return -1;
	} else if (mkdir(j->root, 0755) == -1) {
		gerr_set_errno("%s", j->root);
		return -1;
	}
	return tar_receive(j->root, im->fd);
}

int
store_import(int fd, const char *name, const char *ip)
{
	const struct store_ops *ops;
	const char *be = store_backend_name();
	struct import im = { .fd = fd };
	struct sjail j = { 0 };
	struct rcconf hdr;
	char *hname = NULL, *stream = NULL, *v;
	bool header;
	int r = -1;

	if (be == NULL || (ops = store_ops_find(be)) == NULL)
		return -1;
	if ((header = read_header(fd, &hdr))) {
		stream = rcconf_get(&hdr, "stream");
		hname = rcconf_get(&hdr, "name");
		im.stream = stream;
	} else if (name == NULL) {
		gerr_set("not a gaol export stream (give a name to import a "
		    "raw one)");
		goto out;
	} else if ((im.stream = raw_stream(fd)) == NULL)
		goto out;
	if (name == NULL)
		name = hname;
	if (im.stream == NULL || name == NULL) {
		gerr_set("export header without %s",
		    im.stream ? "a name" : "a stream");
		goto out;
	}
	if (strcmp(im.stream, "tar") != 0 &&
	    (ops->stream == NULL || strcmp(ops->stream, im.stream) != 0)) {
		gerr_set("%s: a %s stream needs the %s backend (export it "
		    "with --tar)", name, im.stream, im.stream);
		goto out;
	}
	if (check_new(name) == -1)
		goto out;
	j.name = xstrdup(name);
	j.backend = xstrdup(ops->name);
	j.release = header ? rcconf_get(&hdr, "release") : NULL;
	j.ip = ip ? xstrdup(ip) : header ? rcconf_get(&hdr, "ip") : NULL;
	if ((r = make_jail(&j, ops, fill_import, &im)) == -1)
		goto out;
	/* Properties travel where the new backend has them. */
	for (size_t i = 0; header && carried[i] != NULL; i++)
		if ((v = rcconf_get(&hdr, carried[i])) != NULL) {
			if (store_prop_set(name, carried[i], v) == -1)
				gwarn("%s: %s not kept: %s",
				    name, carried[i], gerr_msg());
			free(v);
		}
out:
	sjail_free(&j);
	free(stream);
	free(hname);
	rcconf_free(&hdr);
	return r;
}
