/*
 * Operations on an ordered parameter list: the statements of one block,
 * the merged list of one jail, a command line, a registry record.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "confint.h"

/* "noflag" becomes flag=0; "noflag = 0" becomes flag=1. */
void
jparam_negate(struct jparam *p)
{
	bool b;

	if (p->bare) {
		strlist_add(&p->val, "0");
		p->bare = false;
	} else if (p->val.n == 1 && param_parse_bool(p->val.v[0], &b)) {
		free(p->val.v[0]);
		p->val.v[0] = xstrdup(b ? "0" : "1");
	}
}

void
jparam_clear(struct jparam *p)
{
	free(p->name);
	free(p->file);
	free(p->joined);
	strlist_clear(&p->val);
	memset(p, 0, sizeof(*p));
}

struct jparam *
jparams_find(const struct jparams *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static struct jparam *
jparams_add(struct jparams *l, const char *name)
{
	struct jparam *p;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xrealloc(l->v, l->cap, sizeof(*l->v));
	}
	p = &l->v[l->n++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	return p;
}

static void
set_origin(struct jparam *p, const char *file, int line)
{
	free(p->file);
	p->file = file != NULL ? xstrdup(file) : NULL;
	p->line = line;
}

/*
 * As jail(8) does when it merges levels: "=" (or a bare flag) replaces
 * what an earlier level set, "+=" adds to it.
 */
void
jparams_apply(struct jparams *l, const struct jparam *src)
{
	struct jparam *p = jparams_find(l, src->name);

	if (p == NULL) {
		p = jparams_add(l, src->name);
		p->append = src->append;
	} else if (!src->append || src->bare) {
		strlist_clear(&p->val);
		p->append = src->append;
	}
	strlist_copy(&p->val, &src->val);
	free(p->joined);
	p->joined = NULL;
	p->bare = src->bare && p->val.n == 0;
	set_origin(p, src->file, src->line);
}

void
jparams_set(struct jparams *l, const char *name, const char *value,
    bool append, const char *file, int line)
{
	struct jparam p = { .name = (char *)name, .append = append,
	    .bare = value == NULL, .file = (char *)file, .line = line };

	if (value != NULL)
		strlist_add(&p.val, value);
	jparams_apply(l, &p);
	strlist_clear(&p.val);
}

void
jparams_setl(struct jparams *l, const char *name,
    const struct strlist *values, const char *file, int line)
{
	struct jparam p = { .name = (char *)name, .file = (char *)file,
	    .line = line };

	if (values != NULL)
		p.val = *values;
	jparams_apply(l, &p);
}

void
jparams_unset(struct jparams *l, const char *name)
{
	struct jparam *p = jparams_find(l, name);

	if (p == NULL)
		return;
	jparam_clear(p);
	memmove(p, p + 1, (size_t)(&l->v[l->n] - (p + 1)) * sizeof(*p));
	l->n--;
}

/* Joined by ","; "" for a bare flag; NULL when unset.  Owned by the list. */
const char *
jparams_str(const struct jparams *l, const char *name)
{
	struct jparam *p = jparams_find(l, name);

	if (p == NULL)
		return NULL;
	if (p->val.n == 0)
		return "";
	if (p->val.n == 1)
		return p->val.v[0];
	if (p->joined == NULL)
		p->joined = strlist_join(&p->val, ",");
	return p->joined;
}

/* The last value set, else the default: the table's or the list's own. */
static const char *
value_or_default(const struct jparams *l, const char *name)
{
	struct jparam *p = jparams_find(l, name);

	if (p == NULL)
		return param_default(l, name);
	return p->val.n > 0 ? p->val.v[p->val.n - 1] : "";
}

bool
jparams_bool(const struct jparams *l, const char *name)
{
	const char *v = value_or_default(l, name);
	bool b;

	if (v == NULL)
		return false;
	if (*v == '\0')	/* a bare flag */
		return true;
	if (param_parse_bool(v, &b))
		return b;
	v = param_default(l, name);
	return v != NULL && param_parse_bool(v, &b) && b;
}

long long
jparams_int(const struct jparams *l, const char *name)
{
	const char *v = value_or_default(l, name);
	long long n;

	if (v != NULL && parse_int(v, &n) == 0)
		return n;
	v = param_default(l, name);
	return v != NULL && parse_int(v, &n) == 0 ? n : 0;
}

int
jparams_jailsys(const struct jparams *l, const char *name)
{
	const char *v = value_or_default(l, name);
	int js = v != NULL ? param_parse_jailsys(v) : -1;

	if (js == -1 && (v = param_default(l, name)) != NULL)
		js = param_parse_jailsys(v);
	return js != -1 ? js : JAILSYS_DISABLE;
}

void
jparams_copy(struct jparams *dst, const struct jparams *src)
{
	for (size_t i = 0; i < src->n; i++)
		jparams_apply(dst, &src->v[i]);
}

void
jparams_free(struct jparams *l)
{
	for (size_t i = 0; i < l->n; i++)
		jparam_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void
split_commas(struct strlist *out, const char *s)
{
	const char *c;

	if (*s == '\0')
		return;
	while ((c = strchr(s, ',')) != NULL) {
		strlist_addn(out, xstrndup(s, (size_t)(c - s)));
		s = c + 1;
	}
	strlist_add(out, s);
}

int
jparams_parse_arg(struct jparams *l, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct jparam p = { 0 };
	const struct paramdef *d;
	size_t nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	char *raw;
	bool neg;

	if (eq != NULL && nlen > 0 && arg[nlen - 1] == '+') {
		p.append = true;
		nlen--;
	}
	if (nlen == 0) {
		gerr_set("%s: missing parameter name", arg);
		return -1;
	}
	/* Those two bytes mark variables inside values (confint.h). */
	if (strpbrk(arg, "\001\002") != NULL) {
		gerr_set("%.*s: control character in parameter", (int)nlen, arg);
		return -1;
	}
	raw = xstrndup(arg, nlen);
	p.name = param_canon(raw, &neg);
	free(raw);
	d = param_lookup(p.name);
	if (eq == NULL)
		p.bare = true;
	else if (d != NULL && d->type == PT_LIST)
		split_commas(&p.val, eq + 1);
	else
		strlist_add(&p.val, eq + 1);
	/* jail(8): a list given again on the command line grows */
	if (eq != NULL && d != NULL &&
	    (d->type == PT_LIST || d->type == PT_CMDLIST) &&
	    jparams_find(l, p.name) != NULL)
		p.append = true;
	if (neg)
		jparam_negate(&p);
	jparams_apply(l, &p);
	jparam_clear(&p);
	return 0;
}

/* Characters that need no quoting, for the shell or for jail.conf. */
static bool
plain(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("_-.,:/@%+^", *s) == NULL)
			return false;
	return true;
}

/*
 * Double quotes with \ " $ ` escaped read back the same in sh(1) and in
 * jail.conf (whose double quotes take backslash escapes).
 */
char *
jparam_quote(const char *s)
{
	struct cbuf b = { 0 };

	if (plain(s))
		return xstrdup(s);
	cbuf_addc(&b, '"');
	for (; *s; s++) {
		if (strchr("\\\"$`", *s) != NULL)
			cbuf_addc(&b, '\\');
		cbuf_addc(&b, *s);
	}
	cbuf_addc(&b, '"');
	return cbuf_take(&b);
}

/* "allow.mount" -> "allow.nomount" */
static char *
noname(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return xasprintf("no%s", name);
	return xasprintf("%.*s.no%s", (int)(dot - name), name, dot + 1);
}

static void
render_one(struct strlist *words, const struct jparam *p,
    const struct paramdef *d)
{
	bool b;

	if (d != NULL && d->type == PT_BOOL) {
		if (p->val.n > 0 && param_parse_bool(p->val.v[p->val.n - 1], &b) && !b)
			strlist_addn(words, noname(p->name));
		else
			strlist_add(words, p->name);
		return;
	}
	if (p->val.n == 0) {
		strlist_add(words, p->name);
		return;
	}
	if (d == NULL || d->type != PT_CMDLIST) {
		char *j = strlist_join(&p->val, ","), *q = jparam_quote(j);

		strlist_addn(words, xasprintf("%s=%s", p->name, q));
		free(q);
		free(j);
		return;
	}
	for (size_t i = 0; i < p->val.n; i++) {
		char *q = jparam_quote(p->val.v[i]);

		strlist_addn(words, xasprintf("%s%s=%s", p->name,
		    i > 0 ? "+" : "", q));
		free(q);
	}
}

char *
jparams_render(const struct jparams *l, bool all)
{
	struct strlist words = { 0 };
	char *s;

	for (size_t i = 0; i < l->n; i++) {
		const struct jparam *p = &l->v[i];
		const struct paramdef *d = param_lookup(p->name);

		if (!all && (p->name[0] == '$' ||
		    (d != NULL && (d->flags & PF_CONFONLY))))
			continue;
		render_one(&words, p, d);
	}
	s = strlist_join(&words, " ");
	strlist_clear(&words);
	return s;
}
