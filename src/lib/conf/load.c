/*
 * Which files make up a configuration: -f's file, or $GAOL_SYSCONFDIR/
 * jail.conf plus jail.conf.d/NAME.conf for each jail asked for that
 * jail.conf does not define.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confint.h"

bool
jconf_has_jail(const struct jconf *cf, const char *name)
{
	for (size_t i = 0; i < cf->njails; i++)
		if (strcmp(cf->jails[i].name, name) == 0)
			return true;
	return false;
}

/* An existing default file is read; a missing one is no error. */
static int
parse_if_present(struct jconf *cf, const char *path)
{
	if (access(path, F_OK) == -1)
		return 0;
	return conf_parse_file(cf, path, 0);
}

static int
load_conf_d(struct jconf *cf, const struct strlist *names)
{
	char *path;
	int r = 0;

	for (size_t i = 0; r == 0 && names != NULL && i < names->n; i++) {
		const char *n = names->v[i];

		/* a jail name never reaches outside jail.conf.d */
		if (*n == '\0' || *n == '.' || strchr(n, '/') != NULL ||
		    strchr(n, '*') != NULL || jconf_has_jail(cf, n))
			continue;
		path = xasprintf("%s/jail.conf.d/%s.conf", gaol_sysconfdir(), n);
		r = parse_if_present(cf, path);
		free(path);
	}
	return r;
}

int
jconf_load(struct jconf *cf, const char *path, const struct strlist *names)
{
	char *def;
	int r;

	memset(cf, 0, sizeof(*cf));
	if (path != NULL)
		return conf_parse_file(cf, path, 0);
	def = xasprintf("%s/jail.conf", gaol_sysconfdir());
	r = parse_if_present(cf, def);
	free(def);
	if (r == 0)
		r = load_conf_d(cf, names);
	return r;
}

void
jconf_free(struct jconf *cf)
{
	for (size_t i = 0; i < cf->njails; i++) {
		free(cf->jails[i].name);
		free(cf->jails[i].file);
		jparams_free(&cf->jails[i].params);
	}
	free(cf->jails);
	jparams_free(&cf->global);
	strlist_clear(&cf->files);
	memset(cf, 0, sizeof(*cf));
}

void
jconf_names(const struct jconf *cf, struct strlist *out)
{
	for (size_t i = 0; i < cf->njails; i++) {
		const char *n = cf->jails[i].name;

		if (strchr(n, '*') == NULL && !strlist_has(out, n))
			strlist_add(out, n);
	}
}
