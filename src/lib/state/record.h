/* The text form of a registry record (private to src/lib/jail). */
#ifndef GAOL_RECORD_H
#define GAOL_RECORD_H

#include "registry.h"

#include <stdio.h>

char	*record_encode(const struct jrecord *);
int	 record_decode(const char *, struct jrecord *);
/* The text with its "end" line (the checksum record_decode wants). */
char	*record_seal(const char *body);

/* The line format, shared with the spawn requests of spawn.c. */
void	 record_put_escaped(FILE *, const char *);
void	 record_unescape(char *);
/* cksum(1)'s CRC of len bytes: the "end" line's, and the listing's. */
unsigned long record_sum(const char *, size_t);
const char *jstate_name(enum jstate);
int	 jstate_parse(const char *);		/* -1: none */
/* Call fn with the fields of each line (not owned: copy what you keep);
 * stops at the first -1. */
int	 record_each_line(const char *text,
	    int (*fn)(void *, const struct strlist *), void *arg);

#endif
