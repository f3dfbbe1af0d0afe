/* The listing (listing.c), private to the state module. */
#ifndef GAOL_LISTING_H
#define GAOL_LISTING_H

#include "registry.h"

/*
 * Writers, with the registry lock, around each change of a record:
 * listing_dirty before it (-1 only when the listing could neither be
 * written nor removed), listing_put after it was written,
 * listing_del after it was deleted.  Without a listing they do nothing.
 */
int	listing_dirty(int jid);
void	listing_put(const struct jrecord *);
void	listing_del(int jid);
/* Written whole (with the lock): an unreadable record as dirty. */
int	listing_rebuild(const struct jrecord *, size_t);

/*
 * Every jid the listing holds, in jid order, as records of its listed
 * fields; one it says to read from its file (dirty) as an unreadable
 * record of that jid.  -1 when there is none or it cannot be trusted
 * (then read the records).  *compact says that it holds more
 * superseded entries than live ones: write it again (listing_rebuild,
 * with what this returned).
 */
int	listing_read(struct jrecord **, size_t *, bool *compact);

/* registry.c's, for recover.c: the listed records, with the lock. */
int	registry_load_listed_locked(struct jrecord **, size_t *);
/* One record read alone: 0; 1 gone; -1 unreadable (reported, and rec
 * comes back unreadable, JS_DEFUNCT). */
int	registry_load_held(int jid, struct jrecord *);
#endif
