/*
 * Checking one parameter's value against the table.  Messages follow
 * libjail's: 'securelevel: non-integer value "x"', 'persist: unknown
 * boolean value "x"', "ip4.addr: not an IPv4 address: x".
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "confint.h"
#include "addr.h"
#include "spec.h"

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
check_int(const struct paramdef *d, const char *v)
{
	long long n;

	if (decimal(v, &n) == -1) {
		gerr_set("%s: non-integer value \"%s\"", d->name, v);
		return -1;
	}
	if ((d->min != 0 || d->max != 0) && (n < d->min || n > d->max)) {
		gerr_set("%s: value out of range \"%s\" (%lld to %lld)",
		    d->name, v, d->min, d->max);
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
check_string(const struct paramdef *d, const char *v)
{
	const char *name = d->name;
	size_t len = strlen(v);

	if (d->max != 0 && len > (size_t)d->max) {
		gerr_set("%s: value too long \"%s\" (at most %lld characters "
		    "on Linux)", name, v, d->max);
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
	struct jaddr a;

	return jaddr_parse(item, af, NULL, &a);
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
		if (r == 0 && strcmp(d->name, "gaol.capabilities") == 0) {
			uint64_t set;

			r = cap_set_parse(&p->val, &set, d->name);
		}
		return r;
	default:
		break;
	}
	joined = strlist_join(&p->val, ",");
	if (d->type == PT_INT)
		r = check_int(d, joined);
	else if (d->type == PT_UUID)
		r = check_uuid(d->name, joined);
	else
		r = check_string(d, joined);
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
