/*
 * $GAOL_SYSCONFDIR/gaol/gaol.conf: KEY="value" lines as bastille.conf
 * writes them, read as rc.conf is (src/lib/rcconf).  gaol.conf(5).
 */
#include <stdlib.h>

#include "../rcconf/rcconf.h"
#include "net.h"

char *
net_gaolconf_get(const char *key)
{
	char *path = xasprintf("%s/gaol/gaol.conf", gaol_sysconfdir());
	char *val = rcconf_file_get(path, key);

	free(path);
	return val;
}
