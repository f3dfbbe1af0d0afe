/*
 * Changing rules, as rctl -a and -r do: a live jail's set changes as one
 * transaction under the registry lock (the new set is applied whole, or
 * the old one is put back and kept), and the rules kept for jails that
 * are not running are rewritten whole under the same lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../state/registry.h"
#include "rctl_int.h"

int
rjails_live(struct rjail **out, size_t *np)
{
	struct jrecord *recs;
	size_t n;

	*out = NULL;
	*np = 0;
	if (registry_load_all(&recs, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char jid[16];
		struct rjail j;

		if (!jrecord_is_jail(&recs[i]))
			continue;
		snprintf(jid, sizeof(jid), "%d", recs[i].jid);
		if (rjail_find(jid, &j) == -1)
			continue;
		*out = xrealloc(*out, *np + 1, sizeof(**out));
		(*out)[(*np)++] = j;
	}
	jrecords_free(recs, n);
	return 0;
}

int
rjails_named(const struct rrule *f, struct rjail **out, size_t *np)
{
	if (f->subject != RS_JAIL || f->id == NULL || *f->id == '\0')
		return rjails_live(out, np);
	/* One jail: read its record alone (none: no live jail matches). */
	*np = 0;
	*out = xcalloc(1, sizeof(**out));
	if (rjail_find(f->id, *out) == 0)
		*np = 1;
	return 0;
}

void
rjails_free(struct rjail *js, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rjail_free(&js[i]);
	free(js);
}

bool
rrule_names_jail(const struct rrule *f, const struct rjail *j)
{
	char jid[16];

	if (f->subject != RS_ANY && f->subject != RS_JAIL)
		return false;
	snprintf(jid, sizeof(jid), "%d", j->jid);
	return f->id == NULL || strcmp(f->id, j->name) == 0 ||
	    strcmp(f->id, jid) == 0;
}

int
rctl_waiting_change(const struct rrule *add, const struct rrule *filter,
    int *removed)
{
	struct rruleset w, next = { 0 };
	int lock, r;

	if ((lock = registry_lock()) == -1)
		return -1;
	if ((r = rctl_waiting_load(&w)) == 0) {
		for (size_t i = 0; i < w.n; i++)
			if (filter != NULL && rrule_matches(filter, &w.v[i]))
				(*removed)++;
			else
				rruleset_add(&next, &w.v[i]);
		if (add != NULL)
			rruleset_add(&next, add);
		r = rctl_waiting_save(&next);
	}
	rruleset_free(&w);
	rruleset_free(&next);
	registry_unlock(lock);
	return r;
}

int
rctl_change(const struct rjail *j, const struct rrule *add,
    const struct rrule *remove, int *removed)
{
	struct rstore st;
	struct rruleset next = { 0 };
	int lock, r = 0;

	if ((lock = registry_lock()) == -1)
		return -1;
	rctl_store_load(j->jid, j->init, j->start, &st);
	for (size_t i = 0; i < st.rules.n; i++) {
		struct rrule jf;

		if (remove != NULL) {
			jf = *remove;
			jf.id = NULL;
			if (rrule_matches(&jf, &st.rules.v[i])) {
				(*removed)++;
				continue;
			}
		}
		rruleset_add(&next, &st.rules.v[i]);
	}
	if (add != NULL)
		rruleset_add(&next, add);
	if (rctl_apply(j, &next) == -1) {
		char *e = gerr_save();

		(void)rctl_apply(j, &st.rules);
		gerr_restore(e);
		r = -1;
	} else {
		rruleset_free(&st.rules);
		st.rules = next;
		next.v = NULL;
		next.n = 0;
		st.init = j->init;
		st.start = j->start;
		if (st.rules.n == 0)
			rctl_store_remove(j->jid, j->init, j->start);
		else
			r = rctl_store_save(j->jid, &st);
	}
	rruleset_free(&next);
	rruleset_free(&st.rules);
	registry_unlock(lock);
	if (r == 0 && (add != NULL || *removed > 0))
		r = rctl_watcher_ensure(j);
	return r;
}
