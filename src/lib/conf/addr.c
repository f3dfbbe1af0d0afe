/*
 * Jail addresses as jail.conf writes them, and a jail's network view.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "addr.h"

/* "/24" or, for IPv4, "/255.255.255.0" */
static int
parse_prefix(const char *s, int family, int *prefix)
{
	struct in_addr m;
	long long len;
	uint32_t bits;
	int max = family == AF_INET ? 32 : 128;

	if (parse_int(s, &len) == 0 && len >= 0 && len <= max) {
		*prefix = (int)len;
		return 0;
	}
	if (family != AF_INET || inet_pton(AF_INET, s, &m) != 1)
		return -1;
	bits = ntohl(m.s_addr);
	for (len = 0; bits & 0x80000000U; bits <<= 1)
		len++;
	if (bits != 0)		/* not a contiguous mask */
		return -1;
	*prefix = (int)len;
	return 0;
}

/*
 * The words ifconfig(8) would get after the address, as jail(8) passes
 * them on: a netmask or prefixlen sets the prefix; a broadcast address
 * is the one Linux derives from the prefix anyway.
 */
static int
ifconfig_words(char *words, const char *pname, const char *item,
    struct jaddr *a)
{
	char *save = NULL, *w, *arg;

	for (w = strtok_r(words, " \t", &save); w != NULL;
	    w = strtok_r(NULL, " \t", &save)) {
		arg = strtok_r(NULL, " \t", &save);
		if (arg != NULL && ((a->family == AF_INET &&
		    strcmp(w, "netmask") == 0) || (a->family == AF_INET6 &&
		    strcmp(w, "prefixlen") == 0))) {
			if (parse_prefix(arg, a->family, &a->prefix) == -1) {
				gerr_set("%s: bad %s in %s", pname, w, item);
				return -1;
			}
		} else if (arg != NULL && a->family == AF_INET &&
		    strcmp(w, "broadcast") == 0) {
			struct in_addr b;

			if (inet_pton(AF_INET, arg, &b) != 1) {
				gerr_set("%s: bad broadcast in %s", pname, item);
				return -1;
			}
		} else {
			gerr_set("%s: ifconfig option \"%s\" is not supported "
			    "on Linux in %s", pname, w, item);
			return -1;
		}
	}
	return 0;
}

int
jaddr_parse(const char *item, int family, const char *defif,
    struct jaddr *a)
{
	const char *pname = family == AF_INET ? "ip4.addr" : "ip6.addr";
	const char *bar = strchr(item, '|');
	char *s, *slash, *words;
	int r = -1;

	memset(a, 0, sizeof(*a));
	a->family = family;
	a->prefix = family == AF_INET ? 32 : 128;
	if (bar != NULL) {
		if (bar == item || (size_t)(bar - item) >= IF_NAMESIZE) {
			gerr_set("%s: bad interface name in %s", pname, item);
			return -1;
		}
		memcpy(a->ifname, item, (size_t)(bar - item));
		item = bar + 1;
	} else if (defif != NULL && *defif != '\0') {
		if (strlen(defif) >= IF_NAMESIZE) {
			gerr_set("interface: bad interface name: %s", defif);
			return -1;
		}
		strcpy(a->ifname, defif);
	}
	s = xstrdup(item);
	words = s + strcspn(s, " \t");
	if (*words != '\0')
		*words++ = '\0';
	if ((slash = strchr(s, '/')) != NULL) {
		*slash++ = '\0';
		if (parse_prefix(slash, family, &a->prefix) == -1) {
			gerr_set("%s: bad prefix length in %s", pname, item);
			goto out;
		}
	}
	if (inet_pton(family, s, a->addr) != 1) {
		gerr_set("%s: not an IPv%c address: %s", pname,
		    family == AF_INET ? '4' : '6', item);
		goto out;
	}
	r = ifconfig_words(words, pname, item, a);
out:
	free(s);
	return r;
}

char *
jaddr_ntop(const struct jaddr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->addr, buf, sizeof(buf));
	return xstrdup(buf);
}

char *
jaddr_format(const struct jaddr *a)
{
	char *ip = jaddr_ntop(a), *s;

	s = xasprintf("%s%s%s/%d", a->ifname, a->ifname[0] ? "|" : "", ip,
	    a->prefix);
	free(ip);
	return s;
}

bool
jaddr_equal(const struct jaddr *a, const struct jaddr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr,
	    a->family == AF_INET ? 4 : 16) == 0;
}

/* ip4 / ip6: explicit, else "new" when addresses are given, else disable. */
static int
mode_of(const struct jparams *l, const char *name, size_t naddrs)
{
	int m = jparams_jailsys(l, name);

	/* ip4.addr implies ip4=new, over the default. */
	return m == JAILSYS_DISABLE && naddrs > 0 ? JAILSYS_NEW : m;
}

static int
parse_list(const struct jparams *l, const char *name, int family,
    const char *defif, struct jaddr **vp, size_t *np)
{
	const struct jparam *p = jparams_find(l, name);

	*vp = NULL;
	*np = 0;
	if (p == NULL || p->val.n == 0)
		return 0;
	*vp = xcalloc(p->val.n, sizeof(**vp));
	for (size_t i = 0; i < p->val.n; i++) {
		if (p->val.v[i][0] == '\0')
			continue;
		if (jaddr_parse(p->val.v[i], family, defif,
		    &(*vp)[*np]) == -1)
			return -1;
		for (size_t j = 0; j < *np; j++)
			if (jaddr_equal(&(*vp)[j], &(*vp)[*np])) {
				gerr_set("%s: %s is listed twice", name,
				    p->val.v[i]);
				return -1;
			}
		(*np)++;
	}
	return 0;
}

int
jnet_from_params(struct jnet *j, const struct jparams *l)
{
	const char *defif = jparams_str(l, "interface");

	memset(j, 0, sizeof(*j));
	if (parse_list(l, "ip4.addr", AF_INET, defif, &j->a4, &j->n4) == -1 ||
	    parse_list(l, "ip6.addr", AF_INET6, defif, &j->a6, &j->n6) == -1) {
		jnet_free(j);
		return -1;
	}
	jnet_read_flags(j, l);
	if (jnet_check_modes(j, l) == -1) {
		jnet_free(j);
		return -1;
	}
	return 0;
}

int
jnet_check_modes(const struct jnet *j, const struct jparams *l)
{
	if (j->mode4 != JAILSYS_NEW && j->n4 > 0) {
		gerr_set("ip4.addr: only with ip4=new (ip4 is %s)",
		    jparams_str(l, "ip4"));
		return -1;
	}
	if (j->mode6 != JAILSYS_NEW && j->n6 > 0) {
		gerr_set("ip6.addr: only with ip6=new (ip6 is %s)",
		    jparams_str(l, "ip6"));
		return -1;
	}
	return 0;
}

void
jnet_read_flags(struct jnet *j, const struct jparams *l)
{
	j->vnet = jparams_jailsys(l, "vnet") == JAILSYS_NEW;
	j->mode4 = mode_of(l, "ip4", j->n4);
	j->mode6 = mode_of(l, "ip6", j->n6);
	j->saddrsel4 = jparams_bool(l, "ip4.saddrsel");
	j->saddrsel6 = jparams_bool(l, "ip6.saddrsel");
	j->reserved_ports = jparams_bool(l, "allow.reserved_ports");
}

void
jaddr_set(struct jaddr *a, int family, const void *addr, int prefix,
    const char *ifname)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->addr, addr, family == AF_INET ? 4 : 16);
	a->prefix = prefix;
	if (ifname != NULL)
		snprintf(a->ifname, sizeof(a->ifname), "%s", ifname);
}

void
jnet_add(struct jnet *j, const struct jaddr *a)
{
	struct jaddr **v = a->family == AF_INET ? &j->a4 : &j->a6;
	size_t *n = a->family == AF_INET ? &j->n4 : &j->n6;

	*v = xrealloc(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *a;
}

void
jnet_copy(struct jnet *dst, const struct jnet *src)
{
	*dst = *src;
	dst->a4 = dst->a6 = NULL;
	dst->n4 = dst->n6 = 0;
	for (size_t i = 0; i < src->n4; i++)
		jnet_add(dst, &src->a4[i]);
	for (size_t i = 0; i < src->n6; i++)
		jnet_add(dst, &src->a6[i]);
}

void
jnet_free(struct jnet *j)
{
	free(j->a4);
	free(j->a6);
	j->a4 = j->a6 = NULL;
	j->n4 = j->n6 = 0;
}
