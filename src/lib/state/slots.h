/* The inits' liveness words (slots.c), read by the state module. */
#ifndef GAOL_SLOTS_H
#define GAOL_SLOTS_H

#include <stdint.h>
#include "registry.h"

struct slots {
	const uint32_t	*words;		/* $GAOL_RUNDIR/inits, mapped */
	size_t		 size;
};

int	slots_open(struct slots *);	/* -1: none (ask /proc) */
/* Whether the jail's init holds its word: then it runs. */
bool	slot_held(const struct slots *, int jid);
void	slots_close(struct slots *);
#endif
