/* The name index (index.c), private to the state module. */
#ifndef GAOL_INDEX_H
#define GAOL_INDEX_H

#include "registry.h"

/* Whether a name can be a link's (a file name); others are not indexed. */
bool	index_name_ok(const char *);
/* Whether the record may depend on another jail (depend, or "p.q"). */
bool	index_is_dependent(const struct jrecord *);

/*
 * With the registry lock.  index_put before the record is written (-1,
 * errno ENOENT: there is no index; build it first), index_drop after
 * it is deleted, index_unname after it is written under a new name.
 */
int	index_put(const struct jrecord *);
void	index_drop(const struct jrecord *);
void	index_unname(unsigned long long pidns, const char *name, int jid);
int	index_rebuild(const struct jrecord *, size_t);
/* Whether a pid namespace made records (1, 0; -1 no index), and drop them. */
int	index_has_ns(unsigned long long pidns);
void	index_drop_ns(unsigned long long pidns);

/* Readers, lock or not: -1 when there is no index (read the records). */
int	index_jid(unsigned long long pidns, const char *name);	/* 0: none */
int	index_dependents(int **jids, size_t *);
#endif
