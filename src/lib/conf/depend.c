/*
 * depend, as jail(8) orders jail.conf's jails: a jail starts after the
 * jails it depends on, and after its parent ("p" of "p.q"), and stops
 * before them (the stopping side, over running jails, is the jail
 * core's jail_stop_order).
 */
#include <stdlib.h>
#include <string.h>

#include "confint.h"

struct jplan_jail *
jplan_jail(struct jplan *pl, const char *name)
{
	for (size_t i = 0; i < pl->n; i++)
		if (strcmp(pl->v[i].name, name) == 0)
			return &pl->v[i];
	pl->v = xrealloc(pl->v, pl->n + 1, sizeof(*pl->v));
	memset(&pl->v[pl->n], 0, sizeof(pl->v[0]));
	pl->v[pl->n].name = xstrdup(name);
	return &pl->v[pl->n++];
}

int
jplan_add(struct jplan *pl, const struct jconf *conf, const char *name)
{
	struct jplan_jail *nd = jplan_jail(pl, name);
	const struct jparam *dep;
	struct strlist deps = { 0 };
	size_t idx = (size_t)(nd - pl->v);

	if (nd->done)
		return 0;
	if (nd->visiting) {
		gerr_set("%s: dependency loop", name);
		return -1;
	}
	nd->visiting = true;
	if (jconf_resolve(conf, name, &(struct jparams){ 0 }, &nd->params) == -1)
		return -1;
	if ((dep = jparams_find(&pl->v[idx].params, "depend")) != NULL)
		strlist_copy(&deps, &dep->val);
	/* "p.q" is p's child: it starts after p and stops before it */
	if (strrchr(name, '.') != NULL) {
		char *parent = xstrndup(name,
		    (size_t)(strrchr(name, '.') - name));

		if (jconf_has_jail(conf, parent))
			strlist_addn(&deps, parent);
		else
			free(parent);
	}
	for (size_t i = 0; i < deps.n; i++) {
		if (!jconf_has_jail(conf, deps.v[i])) {
			gerr_set("%s: depends on undefined jail \"%s\"", name,
			    deps.v[i]);
			strlist_clear(&deps);
			return -1;
		}
		if (jplan_add(pl, conf, deps.v[i]) == -1) {
			strlist_clear(&deps);
			return -1;
		}
	}
	/* pl->v may have moved while the dependencies were added */
	strlist_clear(&pl->v[idx].deps);
	pl->v[idx].deps = deps;
	pl->v[idx].visiting = false;
	pl->v[idx].done = true;
	strlist_add(&pl->order, name);
	return 0;
}

void
jplan_free(struct jplan *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		free(pl->v[i].name);
		jparams_free(&pl->v[i].params);
		strlist_clear(&pl->v[i].deps);
	}
	free(pl->v);
	strlist_clear(&pl->order);
}
