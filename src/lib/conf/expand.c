/*
 * Variable expansion over one jail's merged parameters, as jail(8) does
 * it: "$x" or "${x}" is the value of parameter x or of variable $x of
 * the same jail; a reference to a list is allowed only as a whole value
 * (it then stands for every item); references may chain but not loop.
 *
 * Chains and sizes are bounded: a short jail.conf whose variables each
 * double the last would otherwise ask for gigabytes.
 */
#include <stdlib.h>
#include <string.h>

#include "confint.h"

enum { UNSEEN, BUSY, DONE };

#define EXPAND_DEPTH	64		/* references followed in a chain */
#define EXPAND_VALUE_MAX (1024 * 1024)	/* bytes in one expanded value */
#define EXPAND_TOTAL_MAX (16 * 1024 * 1024)	/* bytes made for one jail */

struct expander {
	struct jparams	*l;
	char		*state;		/* one per parameter */
	int		 depth;
	size_t		 total;		/* bytes made so far */
};

static int expand_param(struct expander *, size_t);

static struct jparam *
lookup(struct expander *ex, const char *name, size_t *idx)
{
	char *var = xasprintf("$%s", name);
	struct jparam *p = jparams_find(ex->l, name);

	if (p == NULL)
		p = jparams_find(ex->l, var);
	free(var);
	if (p != NULL)
		*idx = (size_t)(p - ex->l->v);
	return p;
}

/* The referenced parameter, itself expanded first. */
static struct jparam *
referent(struct expander *ex, const char *pname, const char *vname)
{
	struct jparam *p;
	size_t idx;

	if ((p = lookup(ex, vname, &idx)) == NULL || p->val.n == 0) {
		gerr_set("%s: variable \"%s\" not found", pname, vname);
		return NULL;
	}
	if (ex->state[idx] == BUSY) {
		gerr_set("%s: variable loop", vname);
		return NULL;
	}
	if (ex->state[idx] == UNSEEN) {
		int r;

		if (ex->depth >= EXPAND_DEPTH) {
			gerr_set("%s: variable \"%s\": references nest more "
			    "than %d deep", pname, vname, EXPAND_DEPTH);
			return NULL;
		}
		ex->depth++;
		r = expand_param(ex, idx);
		ex->depth--;
		if (r == -1)
			return NULL;
	}
	/* expanding may have grown nothing, but look again to be safe */
	return &ex->l->v[idx];
}

/* Account for adding len bytes to a value of have bytes. */
static int
count(struct expander *ex, const char *pname, size_t have, size_t len)
{
	if (have + len > EXPAND_VALUE_MAX) {
		gerr_set("%s: value longer than %d bytes once variables are "
		    "expanded", pname, EXPAND_VALUE_MAX);
		return -1;
	}
	if ((ex->total += len) > EXPAND_TOTAL_MAX) {
		gerr_set("%s: variables expand to more than %d bytes in all",
		    pname, EXPAND_TOTAL_MAX);
		return -1;
	}
	return 0;
}

/* One value into out (one or, for a whole-list reference, many items). */
static int
expand_value(struct expander *ex, const char *pname, const char *s,
    struct strlist *out)
{
	struct cbuf b = { 0 };
	const char *e;
	struct jparam *r;
	char *vname;

	while (*s != '\0') {
		if (*s != VAR_BEGIN) {
			cbuf_addc(&b, *s++);
			continue;
		}
		/* The lexer never lets the marks in as text: a half one is ours. */
		if ((e = strchr(s, VAR_END)) == NULL) {
			gerr_set("%s: broken variable reference", pname);
			goto fail;
		}
		vname = xstrndup(s + 1, (size_t)(e - s - 1));
		r = referent(ex, pname, vname);
		free(vname);
		if (r == NULL)
			goto fail;
		if (r->val.n > 1 && (b.len > 0 || e[1] != '\0')) {
			gerr_set("%s: array cannot be substituted inline", pname);
			goto fail;
		}
		if (r->val.n > 1) {
			for (size_t i = 0; i < r->val.n; i++)
				if (count(ex, pname, 0, strlen(r->val.v[i])) == -1)
					goto fail;
			strlist_copy(out, &r->val);
			free(b.s);
			return 0;
		}
		if (count(ex, pname, b.len, strlen(r->val.v[0])) == -1)
			goto fail;
		cbuf_addn(&b, r->val.v[0], strlen(r->val.v[0]));
		s = e + 1;
	}
	strlist_addn(out, cbuf_take(&b));
	return 0;
fail:
	free(b.s);
	return -1;
}

static int
expand_param(struct expander *ex, size_t idx)
{
	struct strlist out = { 0 };
	struct jparam *p = &ex->l->v[idx];
	char *pname = xstrdup(p->name);
	int r = 0;

	ex->state[idx] = BUSY;
	for (size_t i = 0; r == 0 && i < ex->l->v[idx].val.n; i++)
		r = expand_value(ex, pname, ex->l->v[idx].val.v[i], &out);
	free(pname);
	if (r == -1) {
		strlist_clear(&out);
		return -1;
	}
	p = &ex->l->v[idx];
	strlist_clear(&p->val);
	p->val = out;
	free(p->joined);
	p->joined = NULL;
	ex->state[idx] = DONE;
	return 0;
}

int
conf_expand(struct jparams *l)
{
	struct expander ex = { l, xcalloc(l->n, 1), 0, 0 };
	int r = 0;

	for (size_t i = 0; r == 0 && i < l->n; i++)
		if (ex.state[i] == UNSEEN)
			r = expand_param(&ex, i);
	free(ex.state);
	return r;
}
