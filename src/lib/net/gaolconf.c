/*
 * $GAOL_SYSCONFDIR/gaol/gaol.conf: KEY="value" lines as bastille.conf
 * writes them (sh syntax without expansion): '#' comments, blank lines,
 * value in double or single quotes or bare.  gaol.conf(5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

char *
net_gaolconf_get(const char *key)
{
	char *path = xasprintf("%s/gaol/gaol.conf", gaol_sysconfdir());
	char *text = read_file(path, NULL), *line, *save = NULL, *val = NULL;
	size_t klen = strlen(key);

	free(path);
	if (text == NULL)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *v, *end;

		line += strspn(line, " \t");
		if (strncmp(line, "export ", 7) == 0)
			line += 7;
		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		v = line + klen + 1;
		if (*v == '"' || *v == '\'') {
			if ((end = strchr(v + 1, *v)) == NULL)
				continue;
			*end = '\0';
			v++;
		} else {
			v[strcspn(v, " \t#")] = '\0';
		}
		free(val);
		val = xstrdup(v);	/* the last one wins, as in sh */
	}
	free(text);
	return val;
}
