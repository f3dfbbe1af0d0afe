/*
 * The listing: what jls shows of every jail, in one file it reads with
 * one read, where reading every record would open a file a jail
 * (docs/design/registry-and-recovery.md, "Listing every jail").  Like
 * the name index, a cache: the records are the truth, and a listing
 * that is missing or damaged is read from them and written again.
 *
 *	listing	2	SIZE			the format; the size of what follows
 *						when it was written whole
 *	put	JID	STATE	INIT	START	OWNER	START	PARENT	PIDNS	JAILNS
 *		NAME	[PARAM	N	VALUE...]...	CRC
 *						one line: a record's listed fields,
 *						escaped as in a record, and the
 *						cksum(1) CRC of the line before it
 *	dirty	JID				changing, or unreadable: read its file
 *	del	JID				deleted
 *
 * One line a jail, its fields in a fixed order, so that jls reads ten
 * thousand with no allocation but the record's own.
 *
 * Commands that change a record append, with the registry lock: dirty
 * before the change, put or del after it, so that whatever a kill
 * leaves, an entry either says what the file holds or says to read it.
 * The last entry of a jid is the one that counts.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listing.h"
#include "record.h"

#define LISTING_FORMAT	"listing\t2\t"

/* What jls's fixed views show, besides the record's own lines. */
static const char *const listed_params[] = {
	"host.hostname", "path", "ip4.addr", "ip6.addr", NULL
};

static char *
listing_path(void)
{
	return xasprintf("%s/listing", gaol_rundir());
}

/* A record's put line. */
static char *
put_line(const struct jrecord *rec)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);

	fprintf(f, "put\t%d\t%s\t%d\t%llu\t%d\t%llu\t%d\t%llu\t%llu\t",
	    rec->jid, jstate_name(rec->state), (int)rec->init_pid,
	    rec->init_start, (int)rec->owner_pid, rec->owner_start,
	    rec->parent_jid, rec->pidns, rec->jailns);
	record_put_escaped(f, rec->name != NULL ? rec->name : "");
	for (const char *const *p = listed_params; *p != NULL; p++) {
		const struct jparam *jp = jparams_find(&rec->params, *p);

		if (jp == NULL)
			continue;
		fprintf(f, "\t%s\t%zu", *p, jp->val.n);
		for (size_t i = 0; i < jp->val.n; i++) {
			fputc('\t', f);
			record_put_escaped(f, jp->val.v[i]);
		}
	}
	fclose(f);
	line = xasprintf("%s\t%lu\n", buf, record_sum(buf, len));
	free(buf);
	return line;
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
	char *line = put_line(rec);

	(void)append(line, strlen(line));
	free(line);
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
write_whole(const char *buf, size_t len)
{
	char *path = listing_path(), *whole;
	int r;

	whole = xasprintf(LISTING_FORMAT "%zu\n%s", len, buf != NULL ? buf : "");
	r = write_file_atomic(path, whole, strlen(whole), 0600);
	free(whole);
	free(path);
	return r;
}

static void
put_entry(FILE *f, const struct jrecord *rec)
{
	char *line = put_line(rec);

	fputs(line, f);
	free(line);
}

int
listing_rebuild(const struct jrecord *recs, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);
	int r;

	for (size_t i = 0; i < n; i++)
		if (recs[i].unreadable)
			fprintf(f, "dirty\t%d\n", recs[i].jid);
		else
			put_entry(f, &recs[i]);
	fclose(f);		/* buf and len are final only now */
	r = write_whole(buf, len);
	free(buf);
	return r;
}

/* One entry as read: its line (a put's), and its place in the file. */
struct entry {
	int		 jid;
	char		 kind;		/* 'p'ut, 'd'irty, 'x' del */
	char		*line;		/* NUL-terminated in place */
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

/* "KIND\tJID..." at *p, to its newline. */
static int
parse_entry(char **p, char *end, struct entry *e)
{
	char *nl = memchr(*p, '\n', (size_t)(end - *p)), *s;
	long long jid;

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
	if (errno != 0 || jid <= 0 || jid > JAIL_MAX ||
	    *s != (e->kind == 'p' ? '\t' : '\0'))
		return -1;
	e->jid = (int)jid;
	e->line = *p;
	*p = nl + 1;
	return 0;
}

/* The entries of the file in buf, in file order; sorted says whether
 * their jids already rise. */
static int
parse_entries(char *buf, size_t size, struct entry **ep, size_t *np,
    bool *sorted)
{
	char *p = buf, *end = buf + size;
	struct entry *v = NULL;
	size_t n = 0, cap = 0;

	*sorted = true;
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
		*sorted &= n == 0 || v[n - 1].jid <= v[n].jid;
	}
	*ep = v;
	*np = n;
	return 0;
}

/* The next tab-separated field of a put line, split off in place. */
static char *
field(char **p)
{
	char *f = *p, *tab;

	if (f == NULL)
		return NULL;
	if ((tab = strchr(f, '\t')) != NULL)
		*tab++ = '\0';
	*p = tab;
	return f;
}

/* A decimal number up to max (ten of them a line: no strtoull). */
static bool
num_field(char **p, unsigned long long max, unsigned long long *v)
{
	char *f = field(p);

	if (f == NULL || *f == '\0')
		return false;
	for (*v = 0; *f >= '0' && *f <= '9'; f++) {
		if (*v > (max - (unsigned)(*f - '0')) / 10)
			return false;
		*v = *v * 10 + (unsigned)(*f - '0');
	}
	return *f == '\0';
}

/* A put line's fields, after its CRC is checked, into rec. */
static int
decode_put(char *line, struct jrecord *rec)
{
	char *crc = strrchr(line, '\t'), *p, *f, *end;
	unsigned long long v[9], nvals;
	const unsigned long long max[9] = { 0, 0, INT32_MAX, ULLONG_MAX,
	    INT32_MAX, ULLONG_MAX, INT32_MAX, ULLONG_MAX, ULLONG_MAX };
	int state;

	memset(rec, 0, sizeof(*rec));
	if (crc == NULL || strtoul(crc + 1, &end, 10) !=
	    record_sum(line, (size_t)(crc - line)) || *end != '\0')
		return -1;
	*crc = '\0';
	p = line + 4;
	if (!num_field(&p, JAIL_MAX, &v[1]) || (f = field(&p)) == NULL ||
	    (state = jstate_parse(f)) < 0)
		return -1;
	for (int i = 2; i < 9; i++)
		if (!num_field(&p, max[i], &v[i]))
			return -1;
	if ((f = field(&p)) == NULL)
		return -1;
	record_unescape(f);
	rec->jid = (int)v[1];
	rec->state = (enum jstate)state;
	rec->init_pid = (pid_t)v[2];
	rec->init_start = v[3];
	rec->owner_pid = (pid_t)v[4];
	rec->owner_start = v[5];
	rec->parent_jid = (int)v[6];
	rec->pidns = v[7];
	rec->jailns = v[8];
	rec->name = xstrdup(f);
	while ((f = field(&p)) != NULL) {
		/* The values stay in the line: jparams_setl copies them. */
		char *few[8];
		struct strlist vals = { few, 0, 8 };
		bool ok = num_field(&p, 4096, &nvals);

		if (ok && nvals > 8)
			vals.v = xcalloc(nvals, sizeof(*vals.v));
		for (; ok && vals.n < nvals; vals.n++)
			if ((ok = (vals.v[vals.n] = field(&p)) != NULL))
				record_unescape(vals.v[vals.n]);
		if (ok)
			jparams_setl(&rec->params, f, &vals, NULL, 0);
		if (vals.v != few)
			free(vals.v);
		if (!ok) {
			jrecord_free(rec);
			return -1;
		}
	}
	return 0;
}

int
listing_read(struct jrecord **recsp, size_t *np, bool *compact)
{
	char *path = listing_path(), *buf;
	struct jrecord *recs;
	struct entry *e;
	struct stat st = { 0 };
	size_t ne, n = 0;
	ssize_t got = -1;
	bool sorted;
	int fd, r = 0;

	*recsp = NULL;
	*np = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return -1;
	/* One read: a writer appends only with the lock, which we hold
	 * or (a reader without it) do without. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		buf = xmalloc((size_t)st.st_size + 1);
		while ((got = read(fd, buf, (size_t)st.st_size)) == -1 &&
		    errno == EINTR)
			;
	} else
		buf = NULL;
	close(fd);
	if (buf == NULL || got != st.st_size ||
	    parse_entries(buf, (size_t)got, &e, &ne, &sorted) == -1) {
		free(buf);
		return -1;
	}
	if (!sorted)
		qsort(e, ne, sizeof(*e), entry_cmp);
	recs = xcalloc(ne + 1, sizeof(*recs));
	for (size_t i = 0; i < ne && r == 0; i++) {
		/* Only the last entry of a jid counts. */
		if ((i + 1 < ne && e[i + 1].jid == e[i].jid) || e[i].kind == 'x')
			continue;
		if (e[i].kind == 'd') {
			recs[n].jid = e[i].jid;
			recs[n].name = xstrdup("");
			recs[n].state = JS_DEFUNCT;
			recs[n].unreadable = true;
		} else if (decode_put(e[i].line, &recs[n]) == -1 ||
		    recs[n].jid != e[i].jid)
			r = -1;
		n++;
	}
	free(e);
	free(buf);
	if (r == -1) {
		jrecords_free(recs, n);
		return -1;
	}
	*compact = ne > 2 * n + 64;
	*recsp = recs;
	*np = n;
	return 0;
}
