/*
 * A record is plain text, one item a line, so that an administrator can
 * read it and a crash can never leave half of one (it is replaced by
 * rename).  Fields are separated by tabs; a value's tab, newline and
 * backslash are escaped.
 *
 *	jid	3
 *	name	web
 *	state	alive
 *	init	1234	98765		pid and start time
 *	owner	1200	98000		the command creating or removing it
 *	parent	0
 *	pidns	4026531836	4026532301	the creator's and the jail's
 *	idmap	1879048192		first host id of its range (private)
 *	spawn	3			the spawn request its init reads
 *	net	1	0		how many addresses of each family:
 *	address	eth0	192.0.2.5	24	each, as parsed at create
 *	intent	cgroup	jail-3		made outside the process, to undo
 *	param	host.hostname	web.jail	one value per field
 *	flag	persist			a parameter written bare
 *	end	3512334907		cksum(1) of the lines above
 *
 * A line this version does not know (a newer gaol's) is kept and written
 * back as it came; a line it knows but cannot read, or a wrong checksum,
 * makes the whole record unreadable (registry.c keeps it, and its jid).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "record.h"

static const char *const state_names[JS_NSTATES] = {
	"creating", "alive", "dying", "defunct"
};

void
record_put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\\': fputs("\\\\", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Undo record_put_escaped in place (the text only gets shorter). */
void
record_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/*
 * The "end" line carries the CRC of the lines above it as POSIX cksum(1)
 * computes it, so that a record cut short or with a byte changed is
 * known for what it is rather than read as another jail, and an
 * administrator can check one with `head -n -1 FILE | cksum`.  A table
 * of the 256 byte steps: jls sums every record it reads.
 */
static uint32_t crc_table[4][256];

/* Slice by four: table k steps a byte followed by k zero bytes. */
static void
crc_init(void)
{
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t crc = b << 24;

		for (int i = 0; i < 8; i++)
			crc = crc & 0x80000000U ? (crc << 1) ^ 0x04C11DB7U :
			    crc << 1;
		crc_table[0][b] = crc;
	}
	for (int k = 1; k < 4; k++)
		for (int b = 0; b < 256; b++)
			crc_table[k][b] = (crc_table[k - 1][b] << 8) ^
			    crc_table[0][crc_table[k - 1][b] >> 24];
}

static inline uint32_t
crc_byte(uint32_t crc, unsigned char b)
{
	return (crc << 8) ^ crc_table[0][(crc >> 24) ^ b];
}

unsigned long
record_sum(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	uint32_t crc = 0;
	size_t i = 0;

	if (crc_table[0][1] == 0)
		crc_init();
	for (; i + 4 <= len; i += 4) {
		crc ^= (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
		    (uint32_t)p[i + 2] << 8 | p[i + 3];
		crc = crc_table[3][crc >> 24] ^ crc_table[2][(crc >> 16) & 0xff] ^
		    crc_table[1][(crc >> 8) & 0xff] ^ crc_table[0][crc & 0xff];
	}
	for (; i < len; i++)
		crc = crc_byte(crc, p[i]);
	for (size_t n = len; n > 0; n >>= 8)
		crc = crc_byte(crc, n & 0xff);
	return ~crc;
}

const char *
jstate_name(enum jstate s)
{
	return state_names[s];
}

int
jstate_parse(const char *name)
{
	for (int i = 0; i < JS_NSTATES; i++)
		if (strcmp(name, state_names[i]) == 0)
			return i;
	return -1;
}

/*
 * The addresses in typed fields (interface, address, prefix), read back
 * by inet_pton and a number: never the ip4.addr grammar again.
 */
static void
put_net(FILE *f, const struct jnet *nj)
{
	fprintf(f, "net\t%zu\t%zu\n", nj->n4, nj->n6);
	for (size_t i = 0; i < nj->n4 + nj->n6; i++) {
		const struct jaddr *a = i < nj->n4 ? &nj->a4[i] :
		    &nj->a6[i - nj->n4];
		char *ip = jaddr_ntop(a);

		fputs("address\t", f);
		record_put_escaped(f, a->ifname);
		fprintf(f, "\t%s\t%d\n", ip, a->prefix);
		free(ip);
	}
}

char *
record_encode(const struct jrecord *rec)
{
	char *buf = NULL, *text;
	size_t len = 0;
	FILE *f = xopen_memstream(&buf, &len);

	fprintf(f, "jid\t%d\nname\t", rec->jid);
	record_put_escaped(f, rec->name ? rec->name : "");
	fprintf(f, "\nstate\t%s\n", state_names[rec->state]);
	fprintf(f, "init\t%d\t%llu\n", (int)rec->init_pid, rec->init_start);
	fprintf(f, "owner\t%d\t%llu\n", (int)rec->owner_pid, rec->owner_start);
	fprintf(f, "parent\t%d\n", rec->parent_jid);
	fprintf(f, "pidns\t%llu\t%llu\n", rec->pidns, rec->jailns);
	if (rec->uid_base != 0)
		fprintf(f, "idmap\t%lu\n", rec->uid_base);
	if (rec->spawn != 0)
		fprintf(f, "spawn\t%d\n", rec->spawn);
	put_net(f, &rec->net);
	for (size_t i = 0; i < rec->nintents; i++) {
		fputs("intent\t", f);
		record_put_escaped(f, rec->intents[i].kind);
		fputc('\t', f);
		record_put_escaped(f, rec->intents[i].arg);
		fputc('\n', f);
	}
	for (size_t i = 0; i < rec->params.n; i++) {
		const struct jparam *p = &rec->params.v[i];

		fprintf(f, "%s\t", p->bare ? "flag" : "param");
		record_put_escaped(f, p->name);
		for (size_t j = 0; j < p->val.n; j++) {
			fputc('\t', f);
			record_put_escaped(f, p->val.v[j]);
		}
		fputc('\n', f);
	}
	/* A newer gaol's lines, as they came. */
	for (size_t i = 0; i < rec->unknown.n; i++)
		fprintf(f, "%s\n", rec->unknown.v[i]);
	fclose(f);
	text = record_seal(buf);
	free(buf);
	return text;
}

char *
record_seal(const char *body)
{
	size_t len = strlen(body);
	char *whole = len == 0 || body[len - 1] == '\n' ? xstrdup(body) :
	    xasprintf("%s\n", body), *text;

	text = xasprintf("%send\t%lu\n", whole, record_sum(whole,
	    strlen(whole)));
	free(whole);
	return text;
}

/* A line this version does not know, escaped again as it was written. */
static void
keep_unknown(struct jrecord *rec, const struct strlist *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = xopen_memstream(&buf, &len);

	for (size_t i = 0; i < f->n; i++) {
		if (i > 0)
			fputc('\t', m);
		record_put_escaped(m, f->v[i]);
	}
	fclose(m);
	strlist_addn(&rec->unknown, buf);
}

static int
int_field(const char *s, long long min, long long *out)
{
	return parse_int(s, out) == 0 && *out >= min && *out <= INT32_MAX ?
	    0 : -1;
}

static int
ull_field(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' ? 0 : -1;
}

/* The lines a record has once: a second one is damage, not an update. */
enum { SEEN_JID = 1, SEEN_NAME = 2, SEEN_STATE = 4, SEEN_INIT = 8,
	SEEN_OWNER = 16, SEEN_PARENT = 32, SEEN_PIDNS = 64, SEEN_NET = 128 };

struct decoding {
	struct jrecord	*rec;
	unsigned	 seen;
	long long	 n4, n6;	/* the net line's counts */
};

static int
address_line(struct jrecord *rec, const struct strlist *f)
{
	unsigned char addr[16];
	int family = strchr(f->v[2], ':') != NULL ? AF_INET6 : AF_INET;
	long long prefix;
	struct jaddr a;

	if (f->n != 4 || strlen(f->v[1]) >= IF_NAMESIZE ||
	    inet_pton(family, f->v[2], addr) != 1 ||
	    parse_int(f->v[3], &prefix) == -1 || prefix < 0 ||
	    prefix > (family == AF_INET ? 32 : 128))
		return -1;
	jaddr_set(&a, family, addr, (int)prefix, f->v[1]);
	jnet_add(&rec->net, &a);
	return 0;
}

static int
once(struct decoding *d, unsigned bit)
{
	if (d->seen & bit)
		return -1;
	d->seen |= bit;
	return 0;
}

/* One line; -1 when a line this version knows is not as it writes it. */
static int
decode_line(struct decoding *d, const struct strlist *f)
{
	struct jrecord *rec = d->rec;
	const char *key = f->v[0];
	long long v, w;

	if (strcmp(key, "jid") == 0) {
		if (f->n != 2 || once(d, SEEN_JID) || int_field(f->v[1], 1, &v))
			return -1;
		rec->jid = (int)v;
	} else if (strcmp(key, "name") == 0) {
		if (f->n != 2 || once(d, SEEN_NAME))
			return -1;
		rec->name = xstrdup(f->v[1]);
	} else if (strcmp(key, "state") == 0) {
		int i;

		if (f->n != 2 || once(d, SEEN_STATE))
			return -1;
		for (i = 0; i < JS_NSTATES; i++)
			if (strcmp(f->v[1], state_names[i]) == 0)
				break;
		if (i == JS_NSTATES)
			return -1;
		rec->state = (enum jstate)i;
	} else if (strcmp(key, "init") == 0 || strcmp(key, "owner") == 0) {
		bool init = key[0] == 'i';
		unsigned long long start;

		if (f->n != 3 || once(d, init ? SEEN_INIT : SEEN_OWNER) ||
		    int_field(f->v[1], 0, &v) || ull_field(f->v[2], &start))
			return -1;
		*(init ? &rec->init_pid : &rec->owner_pid) = (pid_t)v;
		*(init ? &rec->init_start : &rec->owner_start) = start;
	} else if (strcmp(key, "parent") == 0) {
		if (f->n != 2 || once(d, SEEN_PARENT) ||
		    int_field(f->v[1], 0, &w))
			return -1;
		rec->parent_jid = (int)w;
	} else if (strcmp(key, "pidns") == 0) {
		if (f->n != 3 || once(d, SEEN_PIDNS) ||
		    ull_field(f->v[1], &rec->pidns) ||
		    ull_field(f->v[2], &rec->jailns))
			return -1;
	} else if (strcmp(key, "idmap") == 0) {
		unsigned long long base;

		if (f->n != 2 || ull_field(f->v[1], &base))
			return -1;
		rec->uid_base = (unsigned long)base;
	} else if (strcmp(key, "spawn") == 0) {
		if (f->n != 2 || int_field(f->v[1], 1, &v))
			return -1;
		rec->spawn = (int)v;
	} else if (strcmp(key, "net") == 0) {
		if (f->n != 3 || once(d, SEEN_NET) ||
		    int_field(f->v[1], 0, &d->n4) || int_field(f->v[2], 0, &d->n6))
			return -1;
	} else if (strcmp(key, "address") == 0) {
		if (f->n < 3 || address_line(rec, f) == -1)
			return -1;
	} else if (strcmp(key, "intent") == 0) {
		if (f->n != 3)
			return -1;
		jrecord_add_intent(rec, f->v[1], f->v[2]);
	} else if (strcmp(key, "param") == 0) {
		struct strlist vals = { 0 };

		if (f->n < 2)
			return -1;
		for (size_t i = 2; i < f->n; i++)
			strlist_add(&vals, f->v[i]);
		jparams_setl(&rec->params, f->v[1], &vals, NULL, 0);
		strlist_clear(&vals);
	} else if (strcmp(key, "flag") == 0) {
		if (f->n != 2)
			return -1;
		jparams_set(&rec->params, f->v[1], NULL, false, NULL, 0);
	} else
		keep_unknown(rec, f);
	return 0;
}

/*
 * The fields of each line, split and unescaped in a copy of the text:
 * they point into it, so a thousand records make no allocation per
 * field (jls reads every record each time it runs).
 */
int
record_each_line(const char *text,
    int (*fn)(void *, const struct strlist *), void *arg)
{
	char *copy = xstrdup(text), *line, *next;
	struct strlist f = { 0 };
	int r = 0;

	for (line = copy; line != NULL && *line && r == 0; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '\0')
			continue;
		f.n = 0;
		for (char *field = line; field != NULL; ) {
			char *tab = strchr(field, '\t');

			if (tab != NULL)
				*tab++ = '\0';
			record_unescape(field);
			if (f.n + 1 >= f.cap) {
				f.cap = f.cap ? f.cap * 2 : 16;
				f.v = xrealloc(f.v, f.cap, sizeof(*f.v));
			}
			f.v[f.n++] = field;
			f.v[f.n] = NULL;
			field = tab;
		}
		r = fn(arg, &f);
	}
	free(f.v);	/* the fields themselves live in copy */
	free(copy);
	return r;
}

static int
decode_record_line(void *arg, const struct strlist *f)
{
	struct decoding *d = arg;

	if (decode_line(d, f) == -1) {
		gerr_set("bad \"%s\" line", f->v[0]);
		return -1;
	}
	return 0;
}

/* The length of text before its "end" line, if that line is right. */
static int
checked_length(const char *text, size_t *lenp)
{
	size_t len = strlen(text);
	const char *last;
	char want[32];

	if (len == 0 || text[len - 1] != '\n') {
		gerr_set(len == 0 ? "empty" : "cut short");
		return -1;
	}
	for (last = text + len - 1; last > text && last[-1] != '\n'; last--)
		;
	if (strncmp(last, "end\t", 4) != 0) {
		gerr_set("cut short (no end line)");
		return -1;
	}
	snprintf(want, sizeof(want), "end\t%lu\n",
	    record_sum(text, (size_t)(last - text)));
	if (strcmp(last, want) != 0) {
		gerr_set("damaged (its end line does not match its text)");
		return -1;
	}
	*lenp = (size_t)(last - text);
	return 0;
}

/*
 * The addresses as the net and address lines give them; a record from
 * a gaol before those lines has its list's parsed, once, here.
 */
static int
decode_net(struct decoding *d)
{
	struct jrecord *rec = d->rec;

	if (!(d->seen & SEEN_NET)) {
		if (rec->net.n4 + rec->net.n6 > 0) {
			gerr_set("\"address\" lines without a \"net\" line");
			return -1;
		}
		if (jnet_from_params(&rec->net, &rec->params) == -1) {
			gerr_prefix("its parameters: ");
			return -1;
		}
		return 0;
	}
	if ((long long)rec->net.n4 != d->n4 ||
	    (long long)rec->net.n6 != d->n6) {
		gerr_set("the \"address\" lines are not as many as the "
		    "\"net\" line says");
		return -1;
	}
	return 0;
}

int
record_decode(const char *text, struct jrecord *rec)
{
	struct decoding d = { rec, 0 };
	size_t len;
	char *body;
	int r;

	memset(rec, 0, sizeof(*rec));
	if (checked_length(text, &len) == -1)
		return -1;
	body = xstrndup(text, len);
	r = record_each_line(body, decode_record_line, &d);
	free(body);
	if (r == 0 && (d.seen & (SEEN_JID | SEEN_NAME | SEEN_STATE)) !=
	    (SEEN_JID | SEEN_NAME | SEEN_STATE)) {
		gerr_set("no jid, name or state line");
		r = -1;
	}
	if (r == 0)
		r = decode_net(&d);
	if (r == -1)
		jrecord_free(rec);
	return r;
}
