/*
 * Checking one parameter's value against the table.  Messages follow
 * libjail's: 'securelevel: non-integer value "x"', 'persist: unknown
 * boolean value "x"', "ip4.addr: not an IPv4 address: x".
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "confint.h"
#include "addr.h"

#define UTS_LEN		64	/* Linux's __NEW_UTS_LEN */
#define META_MAXLEN	4096	/* FreeBSD's security.jail.meta_maxlen */

/* Decimal only, as libjail reads integers (strtol base 10). */
static int
decimal(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return end == s || *end != '\0' || errno != 0 ? -1 : 0;
}

static int
check_int(const char *name, const char *v)
{
	static const struct { const char *name; long long min, max; } r[] = {
		{ "jid", 0, 999999 },
		{ "securelevel", -1, 3 },
		{ "devfs_ruleset", 0, 65535 },
		{ "enforce_statfs", 0, 2 },
		{ "children.max", 0, 999999 },
		{ "exec.timeout", 0, 86400 * 365 },
		{ "stop.timeout", 0, 86400 * 365 },
		{ "host.hostid", 0, 0xffffffffLL },
	};
	long long n;

	if (decimal(v, &n) == -1) {
		gerr_set("%s: non-integer value \"%s\"", name, v);
		return -1;
	}
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (strcmp(r[i].name, name) == 0 && (n < r[i].min || n > r[i].max)) {
			gerr_set("%s: value out of range \"%s\" (%lld to %lld)",
			    name, v, r[i].min, r[i].max);
			return -1;
		}
	return 0;
}

static int
check_bool(const char *name, const struct strlist *val)
{
	bool b;

	for (size_t i = 0; i < val->n; i++)
		if (!param_parse_bool(val->v[i], &b)) {
			gerr_set("%s: unknown boolean value \"%s\"", name,
			    val->v[i]);
			return -1;
		}
	return 0;
}

/* Not every jailsys value fits every parameter on Linux. */
static int
check_jailsys(const char *name, const struct jparam *p)
{
	const char *v = p->val.n > 0 ? p->val.v[p->val.n - 1] : "";
	int n = param_parse_jailsys(v);

	if (n == -1) {
		gerr_set("%s: unknown jailsys value \"%s\"", name, v);
		return -1;
	}
	if (strncmp(name, "sysv", 4) == 0 && n != JAILSYS_NEW) {
		gerr_set("%s: \"%s\" is not supported on Linux: a jail always "
		    "has its own IPC namespace (\"new\")", name, v);
		return -1;
	}
	if ((strcmp(name, "host") == 0 || strcmp(name, "vnet") == 0) &&
	    n == JAILSYS_DISABLE) {
		gerr_set("%s: unknown jailsys value \"%s\"", name, v);
		return -1;
	}
	return 0;
}

static int
check_uuid(const char *name, const char *v)
{
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? v[i] != '-' : !isxdigit((unsigned char)v[i])) {
			gerr_set("%s: invalid UUID \"%s\"", name, v);
			return -1;
		}
	}
	if (v[36] != '\0') {
		gerr_set("%s: invalid UUID \"%s\"", name, v);
		return -1;
	}
	return 0;
}

static int
check_string(const char *name, const char *v)
{
	size_t max = 0, len = strlen(v);

	if (strcmp(name, "host.hostname") == 0 ||
	    strcmp(name, "host.domainname") == 0)
		max = UTS_LEN;
	else if (strcmp(name, "meta") == 0 || strcmp(name, "env") == 0)
		max = META_MAXLEN;
	else if (strcmp(name, "interface") == 0)
		max = IF_NAMESIZE - 1;
	if (max != 0 && len > max) {
		gerr_set("%s: value too long \"%s\" (at most %zu characters "
		    "on Linux)", name, v, max);
		return -1;
	}
	if (strcmp(name, "gaol.idmap") == 0 && strcmp(v, "private") != 0 &&
	    strcmp(v, "identity") != 0) {
		gerr_set("%s: unknown value \"%s\" (private or identity)",
		    name, v);
		return -1;
	}
	/* the name is a file name under GAOL_RUNDIR and a cgroup */
	if (strcmp(name, "name") == 0 &&
	    (len == 0 || strchr(v, '/') != NULL || strcmp(v, "..") == 0 ||
	    strcmp(v, ".") == 0)) {
		gerr_set("%s: invalid jail name \"%s\"", name, v);
		return -1;
	}
	return 0;
}

/* One parser for ip4.addr / ip6.addr items: the one that applies them. */
static int
check_addr(const char *item, int af)
{
	struct net_addr a;

	return net_addr_parse(item, af, NULL, &a);
}

static int
check_value(const struct paramdef *d, const struct jparam *p)
{
	char *joined;
	int r = 0;

	switch (d->type) {
	case PT_BOOL:
		return check_bool(d->name, &p->val);
	case PT_JAILSYS:
		return check_jailsys(d->name, p);
	case PT_LIST:
	case PT_CMDLIST:
		for (size_t i = 0; r == 0 && i < p->val.n; i++) {
			if (strcmp(d->name, "ip4.addr") == 0)
				r = check_addr(p->val.v[i], AF_INET);
			else if (strcmp(d->name, "ip6.addr") == 0)
				r = check_addr(p->val.v[i], AF_INET6);
		}
		return r;
	default:
		break;
	}
	joined = strlist_join(&p->val, ",");
	if (d->type == PT_INT)
		r = check_int(d->name, joined);
	else if (d->type == PT_UUID)
		r = check_uuid(d->name, joined);
	else
		r = check_string(d->name, joined);
	free(joined);
	return r;
}

/* A FreeBSD-only flag set false asks for what Linux does anyway. */
static bool
harmless_false(const struct paramdef *d, const struct jparam *p)
{
	bool b;

	return d->type == PT_BOOL && p->val.n > 0 &&
	    param_parse_bool(p->val.v[p->val.n - 1], &b) && !b;
}

int
jparam_check(const struct jparam *p)
{
	const struct paramdef *d;

	if (p->name[0] == '$')		/* a variable: anything goes */
		return 0;
	if ((d = param_lookup(p->name)) == NULL) {
		gerr_set("unknown parameter: %s", p->name);
		return -1;
	}
	if (d->flags & PF_NOLINUX) {
		if (harmless_false(d, p))
			return 0;
		gerr_set("%s: not supported on Linux: %s", p->name, d->why);
		return -1;
	}
	if (d->flags & PF_RDONLY) {
		gerr_set("%s: read-only parameter", p->name);
		return -1;
	}
	return check_value(d, p);
}
