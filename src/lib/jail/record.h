/* The text form of a registry record (private to src/lib/jail). */
#ifndef GAOL_RECORD_H
#define GAOL_RECORD_H

#include "registry.h"

char	*record_encode(const struct jrecord *);
int	 record_decode(const char *, struct jrecord *);

#endif
