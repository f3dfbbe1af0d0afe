/*
 * The registry's recovery (src/lib/state/recover.c) with every kind of
 * intent a jail's creation records: the registry undoes cgroups itself
 * and leaves networking's kinds to net, named here, above both.
 */
#include <string.h>

#include "internal.h"
#include "../net/jailnet.h"

/* The intents the registry leaves to their makers: networking's, and a
 * nested jail's cgroup, made through its parent's init (netdoor.c). */
static bool
owns(const char *kind)
{
	return jail_net_owns(kind) ||
	    strcmp(kind, JAIL_NET_NESTED_INTENT) == 0;
}

static int
undo(const struct jrecord *rec, const struct intent *it)
{
	if (strcmp(it->kind, JAIL_NET_NESTED_INTENT) == 0)
		return netdoor_undo(rec, it);
	return jail_net_undo(rec, it);
}

static const struct intent_owner net_intents = {
	.owns = owns,
	.undo = undo,
};

int
jail_teardown(struct jrecord *rec)
{
	return registry_teardown(rec, &net_intents);
}

int
jail_settle(struct jrecord **recsp, size_t *np)
{
	return registry_settle(recsp, np, &net_intents);
}

void
jail_recover(void)
{
	registry_recover(&net_intents);
}

int
jail_settle_one(const char *arg, bool by_jid, struct jrecord *out)
{
	return registry_settle_one(arg, by_jid, out, &net_intents);
}

int
jail_settle_dependents(struct jrecord **recsp, size_t *np)
{
	return registry_settle_dependents(recsp, np, &net_intents);
}

int
jail_settle_listed(struct jrecord **recsp, size_t *np)
{
	return registry_settle_listed(recsp, np, &net_intents);
}
