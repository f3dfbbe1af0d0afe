/*
 * strlist: an ordered list of owned strings (util.h).  A file of its own
 * also keeps gcc -fanalyzer from following xrealloc into it: gcc 12
 * loses a pointer stored into an array realloc kept in place and calls
 * it leaked.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
strlist_addn(struct strlist *l, char *s)
{
	if (l->n + 1 >= l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xrealloc(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

void
strlist_add(struct strlist *l, const char *s)
{
	strlist_addn(l, xstrdup(s));
}

void
strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void
strlist_copy(struct strlist *dst, const struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i]);
}

bool
strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

char *
strlist_join(const struct strlist *l, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	char *s, *p;

	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + seplen;
	p = s = xmalloc(len);
	*p = '\0';
	for (size_t i = 0; i < l->n; i++) {
		if (i > 0)
			p = stpcpy(p, sep);
		p = stpcpy(p, l->v[i]);
	}
	return s;
}
