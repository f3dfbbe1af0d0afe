/*
 * The listing: what jls shows of every jail, in one file it reads with
 * one read, where reading every record would open a file a jail
 * (docs/design/registry-and-recovery.md, "Listing every jail").  Like
 * the name index, a cache: the records are the truth, and a listing
 * that is missing or damaged is read from them and written again.
 *
 *	listing	1	SIZE		the format; the size of what follows when
 *					it was written whole
 *	put	JID	LEN		and LEN bytes: the record's listed lines,
 *					sealed as a record is (record.c)
 *	dirty	JID			changing, or unreadable: read its file
 *	del	JID			deleted
 *
 * Commands that change a record append, with the registry lock: dirty
 * before the change, put or del after it, so that whatever a kill
 * leaves, an entry either says what the file holds or says to read it.
 * The last entry of a jid is the one that counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listing.h"
#include "record.h"

#define LISTING_FORMAT	"listing\t1\t"

/* What jls's fixed views show, besides the record's own lines. */
static const char *const listed_params[] = {
	"host.hostname", "path", "ip4.addr", "ip6.addr", NULL
};

static char *
listing_path(void)
{
	return xasprintf("%s/listing", gaol_rundir());
}

/* A record's listed lines, sealed. */
static char *
listed_text(const struct jrecord *rec)
{
	struct jrecord l = *rec;
	char *text;

	memset(&l.params, 0, sizeof(l.params));
	for (const char *const *p = listed_params; *p != NULL; p++) {
		const struct jparam *jp = jparams_find(&rec->params, *p);

		if (jp != NULL)
			jparams_setl(&l.params, *p, &jp->val, NULL, 0);
	}
	l.intents = NULL;
	l.nintents = 0;
	l.uid_base = 0;
	l.spawn = 0;
	memset(&l.unknown, 0, sizeof(l.unknown));
	text = record_encode(&l);
	jparams_free(&l.params);
	return text;
}

/*
 * A listing that could not be kept goes: readers then read the records,
 * which is always right.  -1 only when it can neither be kept nor go.
 */
static int
drop(const char *path)
{
	if (unlink(path) == -1 && errno != ENOENT) {
		gerr_set_errno("%s", path);
		return -1;
	}
	return 0;
}

/* The size the listing had when it was written whole (its first line). */
static long long
base_size(int fd)
{
	char head[64];
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);
	long long base = -1;

	if (n > (ssize_t)strlen(LISTING_FORMAT)) {
		head[n] = '\0';
		if (strncmp(head, LISTING_FORMAT, strlen(LISTING_FORMAT)) == 0)
			base = strtoll(head + strlen(LISTING_FORMAT), NULL, 10);
	}
	return base;
}

/*
 * Append an entry.  A listing that grew past twice its size when
 * written, and a megabyte more, goes: the next jls writes it again.
 */
static int
append(const char *text, size_t len)
{
	char *path = listing_path();
	struct stat st;
	long long base;
	int fd, r = 0;

	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK);
	if (fd == -1) {
		if (errno != ENOENT)
			r = drop(path);
		free(path);
		return r;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (base = base_size(fd)) < 0 || st.st_size > 2 * base + (1 << 20) ||
	    write_full(fd, text, len) == -1)
		r = drop(path);
	close(fd);
	free(path);
	return r;
}

int
listing_dirty(int jid)
{
	char line[32];

	snprintf(line, sizeof(line), "dirty\t%d\n", jid);
	return append(line, strlen(line));
}

void
listing_put(const struct jrecord *rec)
{
	char *text = listed_text(rec);
	char *entry = xasprintf("put\t%d\t%zu\n%s", rec->jid, strlen(text),
	    text);

	(void)append(entry, strlen(entry));
	free(entry);
	free(text);
}

void
listing_del(int jid)
{
	char line[32];

	snprintf(line, sizeof(line), "del\t%d\n", jid);
	(void)append(line, strlen(line));
}

/* Write the entries whole, with their size on the first line. */
static int
write_whole(FILE *body, char *buf, size_t len)
{
	char *path = listing_path(), *whole;
	int r;

	fclose(body);
	whole = xasprintf(LISTING_FORMAT "%zu\n%s", len, buf != NULL ? buf : "");
	r = write_file_atomic(path, whole, strlen(whole), 0600);
	free(whole);
	free(buf);
	free(path);
	return r;
}

static void
put_entry(FILE *f, const struct jrecord *rec)
{
	char *text = listed_text(rec);

	fprintf(f, "put\t%d\t%zu\n%s", rec->jid, strlen(text), text);
	free(text);
}

int
listing_rebuild(const struct jrecord *recs, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);

	for (size_t i = 0; i < n; i++)
		if (recs[i].unreadable)
			fprintf(f, "dirty\t%d\n", recs[i].jid);
		else
			put_entry(f, &recs[i]);
	fflush(f);
	return write_whole(f, buf, len);
}

int
listing_compact(const struct listed *v, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);

	for (size_t i = 0; i < n; i++)
		if (v[i].dirty)
			fprintf(f, "dirty\t%d\n", v[i].jid);
		else
			put_entry(f, &v[i].rec);
	fflush(f);
	return write_whole(f, buf, len);
}

/* One entry as read: where its text is, and its place in the file. */
struct entry {
	int		 jid;
	char		 kind;		/* 'p'ut, 'd'irty, 'x' del */
	char		*text;
	size_t		 len;
	size_t		 seq;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->jid != y->jid)
		return x->jid < y->jid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* "KIND\tJID[\tLEN]\n" at *p; the text of a put follows. */
static int
parse_entry(char **p, char *end, struct entry *e)
{
	char *nl = memchr(*p, '\n', (size_t)(end - *p)), *s;
	long long jid, len = 0;

	if (nl == NULL)
		return -1;
	*nl = '\0';
	if (strncmp(*p, "put\t", 4) == 0)
		e->kind = 'p';
	else if (strncmp(*p, "dirty\t", 6) == 0)
		e->kind = 'd';
	else if (strncmp(*p, "del\t", 4) == 0)
		e->kind = 'x';
	else
		return -1;
	s = strchr(*p, '\t') + 1;
	errno = 0;
	jid = strtoll(s, &s, 10);
	if (e->kind == 'p' && *s == '\t')
		len = strtoll(s + 1, &s, 10);
	if (errno != 0 || *s != '\0' || jid <= 0 || jid > JAIL_MAX ||
	    len < 0 || len > end - (nl + 1) || (e->kind == 'p' && len == 0))
		return -1;
	e->jid = (int)jid;
	e->text = nl + 1;
	e->len = (size_t)len;
	*p = nl + 1 + len;
	return 0;
}

/* The entries of the file in buf, in file order. */
static int
parse_entries(char *buf, size_t size, struct entry **ep, size_t *np)
{
	char *p = buf, *end = buf + size;
	struct entry *v = NULL;
	size_t n = 0, cap = 0;

	if (size < strlen(LISTING_FORMAT) ||
	    strncmp(buf, LISTING_FORMAT, strlen(LISTING_FORMAT)) != 0 ||
	    (p = memchr(buf, '\n', size)) == NULL)
		return -1;
	for (p++; p < end; n++) {
		if (n == cap)
			v = xrealloc(v, cap = cap ? cap * 2 : 256, sizeof(*v));
		if (parse_entry(&p, end, &v[n]) == -1) {
			free(v);
			return -1;
		}
		v[n].seq = n;
	}
	*ep = v;
	*np = n;
	return 0;
}

/* A put's text, read as the record it is (NUL-terminated in place). */
static int
decode_put(const struct entry *e, struct jrecord *rec)
{
	char saved = e->text[e->len];
	int r;

	e->text[e->len] = '\0';
	r = record_decode(e->text, rec);
	e->text[e->len] = saved;
	return r == 0 && rec->jid == e->jid ? 0 : -1;
}

int
listing_read(struct listed **vp, size_t *np, bool *compact)
{
	char *path = listing_path(), *buf;
	struct listed *v;
	struct entry *e;
	size_t size, ne, n = 0;
	int fd, r = 0;

	*vp = NULL;
	*np = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return -1;
	buf = read_fd(fd, "listing", &size);
	close(fd);
	if (buf == NULL || parse_entries(buf, size, &e, &ne) == -1) {
		free(buf);
		return -1;
	}
	if (ne > 1)
		qsort(e, ne, sizeof(*e), entry_cmp);
	v = xcalloc(ne + 1, sizeof(*v));
	for (size_t i = 0; i < ne && r == 0; i++) {
		/* Only the last entry of a jid counts. */
		if ((i + 1 < ne && e[i + 1].jid == e[i].jid) || e[i].kind == 'x')
			continue;
		v[n].jid = e[i].jid;
		v[n].dirty = e[i].kind == 'd';
		if (!v[n].dirty && decode_put(&e[i], &v[n].rec) == -1)
			r = -1;
		n++;
	}
	free(e);
	free(buf);
	if (r == -1) {
		listed_free(v, n);
		return -1;
	}
	*compact = ne > 2 * n + 64;
	*vp = v;
	*np = n;
	return 0;
}

void
listed_free(struct listed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jrecord_free(&v[i].rec);
	free(v);
}
