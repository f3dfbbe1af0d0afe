/*
 * The parameters of one jail: jail(8) starts from the name the block
 * gives (or the jid, for a numeric name), then applies the global
 * parameters and the blocks that match in file order -- wildcard blocks
 * above the jail's own block before it, those below after it -- then
 * the command line; then expands variables and checks every value.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "confint.h"

/*
 * A wildcard block name matches component by component ("." separates
 * the levels of nested jails); a final "*" matches one or more levels,
 * as in FreeBSD.  Each component is also an fnmatch(3) pattern, so
 * "web*" matches web1 (an extension).
 */
static bool
wild_match(const char *jname, const char *wname)
{
	const char *jd, *wd;
	char *jc, *wc;
	bool ok;

	for (;;) {
		if (strcmp(wname, "*") == 0)
			return true;
		jd = strchr(jname, '.');
		wd = strchr(wname, '.');
		if (jd == NULL || wd == NULL)
			return jd == NULL && wd == NULL &&
			    fnmatch(wname, jname, 0) == 0;
		jc = xstrndup(jname, (size_t)(jd - jname));
		wc = xstrndup(wname, (size_t)(wd - wname));
		ok = fnmatch(wc, jc, 0) == 0;
		free(jc);
		free(wc);
		if (!ok)
			return false;
		jname = jd + 1;
		wname = wd + 1;
	}
}

static bool
is_number(const char *s)
{
	long long v;

	return parse_int(s, &v) == 0 && v > 0 && s[0] != '0';
}

/* "name" (or "jid") comes from the block and cannot be set otherwise. */
static int
apply_level(struct jparams *out, const struct jparams *lvl, const char *key,
    const char *keyval)
{
	for (size_t i = 0; i < lvl->n; i++) {
		const struct jparam *p = &lvl->v[i];

		if (key != NULL && strcmp(p->name, key) == 0 &&
		    (p->append || p->val.n != 1 ||
		    strcmp(p->val.v[0], keyval) != 0)) {
			gerr_set("%s: cannot redefine parameter \"%s\".",
			    keyval, key);
			return -1;
		}
		jparams_apply(out, &lvl->v[i]);
	}
	return 0;
}

static int
merge(const struct jconf *cf, const char *name, const struct jparams *cmd,
    struct jparams *out)
{
	const char *key = NULL;

	if (name != NULL) {
		key = is_number(name) ? "jid" : "name";
		jparams_set(out, key, name, false, NULL, 0);
	}
	if (cf != NULL && apply_level(out, &cf->global, key, name) == -1)
		return -1;
	for (size_t i = 0; cf != NULL && name != NULL && i < cf->njails; i++) {
		const struct jconf_jail *j = &cf->jails[i];
		bool wild = strchr(j->name, '*') != NULL;

		if ((wild ? wild_match(name, j->name) :
		    strcmp(name, j->name) == 0) &&
		    apply_level(out, &j->params, key, name) == -1)
			return -1;
	}
	return cmd != NULL ? apply_level(out, cmd, key, name) : 0;
}

/* Prefix the message with the jail, as jail(8)'s jail_warnx does. */
int
jparams_blame(const struct jparams *l)
{
	const char *who = jparams_str(l, "name");

	if (who == NULL)
		who = jparams_str(l, "jid");
	if (who == NULL || *who == '\0')
		return -1;
	gerr_prefix("%s: ", who);
	return -1;
}

static int
check_params(const struct jparams *l, bool blame)
{
	for (size_t i = 0; i < l->n; i++)
		if (jparam_check(&l->v[i]) == -1)
			return blame ? jparams_blame(l) : -1;
	return 0;
}

int
jparams_check_all(const struct jparams *l)
{
	return check_params(l, true);
}

static void
drop_variables(struct jparams *l)
{
	for (size_t i = l->n; i-- > 0; )
		if (l->v[i].name[0] == '$')
			jparams_unset(l, l->v[i].name);
}

int
jconf_resolve(const struct jconf *cf, const char *name,
    const struct jparams *cmdline, struct jparams *out)
{
	const char *cmdname = NULL;

	memset(out, 0, sizeof(*out));
	if (name == NULL && cmdline != NULL)
		cmdname = jparams_str(cmdline, "name");
	if (merge(cf, name != NULL ? name : cmdname, cmdline, out) == -1)
		goto fail;
	/* jail(8) names a config jail in messages, a command-line one not */
	if (conf_expand(out) == -1) {
		if (name != NULL)
			jparams_blame(out);
		goto fail;
	}
	drop_variables(out);
	if (check_params(out, name != NULL) == -1)
		goto fail;
	return 0;
fail:
	jparams_free(out);
	return -1;
}
