/*
 * depend among running jails: what jail -r stops, and in which order.
 * A jail's depend is the one it was made with (its record), so that a
 * jail.conf changed since, or none at all, still stops dependents first.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Whether running jail rec names one of names in its depend, or is the
 * child ("p.q", "p.q.r") of one.
 */
static bool
depends_on_any(const struct jrecord *rec, const struct strlist *names)
{
	const struct jparam *dep = jparams_find(&rec->params, "depend");

	for (size_t i = 0; dep != NULL && i < dep->val.n; i++)
		if (strlist_has(names, dep->val.v[i]))
			return true;
	for (size_t i = 0; i < names->n; i++) {
		size_t len = strlen(names->v[i]);

		if (strncmp(rec->name, names->v[i], len) == 0 &&
		    rec->name[len] == '.')
			return true;
	}
	return false;
}

/* Whether a target not yet removed depends on target t. */
static bool
needed(const struct jrecord *recs, size_t n, const struct strlist *targets,
    const bool *taken, size_t t)
{
	struct strlist one = { 0 };
	bool r = false;

	strlist_add(&one, targets->v[t]);
	for (size_t i = 0; i < n && !r; i++)
		for (size_t u = 0; u < targets->n && !r; u++)
			r = !taken[u] && u != t &&
			    strcmp(recs[i].name, targets->v[u]) == 0 &&
			    depends_on_any(&recs[i], &one);
	strlist_clear(&one);
	return r;
}

void
jail_stop_order(const struct jrecord *recs, size_t n, struct strlist *targets)
{
	struct strlist order = { 0 };
	bool *taken;
	size_t left;

	for (bool grew = true; grew; ) {
		grew = false;
		for (size_t i = 0; i < n; i++)
			if (recs[i].state == JS_ALIVE &&
			    !strlist_has(targets, recs[i].name) &&
			    depends_on_any(&recs[i], targets)) {
				strlist_add(targets, recs[i].name);
				grew = true;
			}
	}
	taken = xcalloc(targets->n + 1, sizeof(*taken));
	/* Each turn removes a target that no target left depends on. */
	for (left = targets->n; left > 0; left--) {
		size_t pick = targets->n;

		for (size_t t = 0; t < targets->n && pick == targets->n; t++)
			if (!taken[t] && !needed(recs, n, targets, taken, t))
				pick = t;
		/* A dependency loop: break it in the order given. */
		for (size_t t = 0; t < targets->n && pick == targets->n; t++)
			if (!taken[t])
				pick = t;
		taken[pick] = true;
		strlist_add(&order, targets->v[pick]);
	}
	free(taken);
	strlist_clear(targets);
	*targets = order;
}
