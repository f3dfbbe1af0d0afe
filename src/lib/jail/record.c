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
 *	intent	cgroup	jail-3		made outside the process, to undo
 *	param	host.hostname	web.jail	one value per field
 *	flag	persist			a parameter written bare
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

static const char *const state_names[] = { "creating", "alive", "dying" };

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
static void
unescape(char *s)
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

char *
record_encode(const struct jrecord *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fprintf(f, "jid\t%d\nname\t", rec->jid);
	record_put_escaped(f, rec->name ? rec->name : "");
	fprintf(f, "\nstate\t%s\n", state_names[rec->state]);
	fprintf(f, "init\t%d\t%llu\n", (int)rec->init_pid, rec->init_start);
	fprintf(f, "owner\t%d\t%llu\n", (int)rec->owner_pid, rec->owner_start);
	fprintf(f, "parent\t%d\n", rec->parent_jid);
	fprintf(f, "pidns\t%llu\t%llu\n", rec->pidns, rec->jailns);
	if (rec->uid_base != 0)
		fprintf(f, "idmap\t%lu\n", rec->uid_base);
	for (size_t i = 0; i < rec->nintents; i++) {
		fprintf(f, "intent\t%s\t", rec->intents[i].kind);
		record_put_escaped(f, rec->intents[i].arg);
		fputc('\n', f);
	}
	for (size_t i = 0; i < rec->params.n; i++) {
		const struct jparam *p = &rec->params.v[i];

		fprintf(f, "%s\t%s", p->bare ? "flag" : "param", p->name);
		for (size_t j = 0; j < p->val.n; j++) {
			fputc('\t', f);
			record_put_escaped(f, p->val.v[j]);
		}
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

static int
decode_line(struct jrecord *rec, const struct strlist *f)
{
	const char *key = f->v[0];

	if (strcmp(key, "jid") == 0 && f->n == 2)
		rec->jid = atoi(f->v[1]);
	else if (strcmp(key, "name") == 0 && f->n == 2)
		rec->name = xstrdup(f->v[1]);
	else if (strcmp(key, "state") == 0 && f->n == 2) {
		for (int i = 0; i < 3; i++)
			if (strcmp(f->v[1], state_names[i]) == 0)
				rec->state = (enum jstate)i;
	} else if (strcmp(key, "init") == 0 && f->n == 3) {
		rec->init_pid = atoi(f->v[1]);
		rec->init_start = strtoull(f->v[2], NULL, 10);
	} else if (strcmp(key, "owner") == 0 && f->n == 3) {
		rec->owner_pid = atoi(f->v[1]);
		rec->owner_start = strtoull(f->v[2], NULL, 10);
	} else if (strcmp(key, "parent") == 0 && f->n == 2)
		rec->parent_jid = atoi(f->v[1]);
	else if (strcmp(key, "pidns") == 0 && f->n == 3) {
		rec->pidns = strtoull(f->v[1], NULL, 10);
		rec->jailns = strtoull(f->v[2], NULL, 10);
	} else if (strcmp(key, "idmap") == 0 && f->n == 2)
		rec->uid_base = strtoul(f->v[1], NULL, 10);
	else if (strcmp(key, "intent") == 0 && f->n == 3)
		jrecord_add_intent(rec, f->v[1], f->v[2]);
	else if (strcmp(key, "param") == 0 && f->n >= 2) {
		struct strlist vals = { 0 };

		for (size_t i = 2; i < f->n; i++)
			strlist_add(&vals, f->v[i]);
		jparams_setl(&rec->params, f->v[1], &vals, NULL, 0);
		strlist_clear(&vals);
	} else if (strcmp(key, "flag") == 0 && f->n == 2)
		jparams_set(&rec->params, f->v[1], NULL, false, NULL, 0);
	else
		return -1;
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
			unescape(field);
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
	struct jrecord *rec = arg;

	if (decode_line(rec, f) == -1) {
		gerr_set("registry record %d: bad line \"%s\"", rec->jid,
		    f->v[0]);
		return -1;
	}
	return 0;
}

int
record_decode(const char *text, struct jrecord *rec)
{
	memset(rec, 0, sizeof(*rec));
	if (record_each_line(text, decode_record_line, rec) == -1) {
		jrecord_free(rec);
		return -1;
	}
	if (rec->jid <= 0 || rec->name == NULL) {
		jrecord_free(rec);
		gerr_set("registry record: no jid or name");
		return -1;
	}
	return 0;
}

static int
decode_param_line(void *arg, const struct strlist *f)
{
	if (strcmp(f->v[0], "param") == 0 || strcmp(f->v[0], "flag") == 0)
		(void)decode_line(arg, f);
	return 0;
}

void
record_decode_params(const char *text, struct jparams *params)
{
	struct jrecord tmp;

	memset(&tmp, 0, sizeof(tmp));
	(void)record_each_line(text, decode_param_line, &tmp);
	*params = tmp.params;
}
