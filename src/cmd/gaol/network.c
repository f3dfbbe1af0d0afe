/*
 * gaol network NAME add|remove IFACE [IP]: an address on a host
 * interface for an inherited-IP jail, as Bastille's network does for a
 * classic jail: ip4.addr (ip6.addr) of its jail.conf gains or loses
 * "IFACE|IP".  The jail sees the change at its next start.  VNET jails
 * take their interfaces in their jail.conf (gaol edit): not done here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "gaol.h"
#include "conf/conf.h"
#include "state/registry.h"
#include "store/store.h"

/* Whether the jail's own jail.conf makes it a VNET jail. */
static bool
is_vnet(const struct sjail *j)
{
	char *path = xasprintf("%s/jail.conf", j->dir);
	struct jconf conf;
	struct jparams params = { 0 };
	bool vnet = false;

	if (jconf_load(&conf, path, NULL) == 0 &&
	    jconf_resolve(&conf, j->name, &(struct jparams){ 0 },
	    &params) == 0)
		vnet = jparams_bool(&params, "vnet");
	jparams_free(&params);
	jconf_free(&conf);
	free(path);
	return vnet;
}

/* The address list without the entries on iface (and of ip, if given). */
static char *
without(const char *list, const char *iface, const char *ip, bool *found)
{
	struct strlist keep = { 0 };
	char *copy = xstrdup(list), *save, *w, *out;
	size_t n = strlen(iface);

	*found = false;
	for (w = strtok_r(copy, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		bool mine = strncmp(w, iface, n) == 0 && w[n] == '|' &&
		    (ip == NULL || strcmp(w + n + 1, ip) == 0);

		if (mine)
			*found = true;
		else
			strlist_add(&keep, w);
	}
	out = strlist_join(&keep, ",");
	strlist_clear(&keep);
	free(copy);
	return out;
}

static int
run_network(int argc, char **argv)
{
	const char *name, *iface, *ip;
	struct sjail j;
	char *list = NULL;
	bool add, found;
	int r = 1;

	while (verb_getopt(&verb_network, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc < 3 || argc > 4 || (strcmp(argv[1], "add") != 0 &&
	    strcmp(argv[1], "remove") != 0))
		usage_error(&verb_network);
	name = argv[0];
	add = argv[1][0] == 'a';
	iface = argv[2];
	ip = argc == 4 ? argv[3] : NULL;
	if (*iface == '\0' || strlen(iface) >= IF_NAMESIZE ||
	    strpbrk(iface, "|,/ \t\"") != NULL) {
		fprintf(stderr, "gaol: %s: %s: not an interface name\n", name,
		    iface);
		return 1;
	}
	if (ip != NULL && (*ip == '\0' || strpbrk(ip, "|, \t\"") != NULL)) {
		fprintf(stderr, "gaol: %s: %s: not an address\n", name, ip);
		return 1;
	}
	if (store_jail_load(name, &j) == -1)
		lib_fail();
	if (is_vnet(&j)) {
		fprintf(stderr, "gaol: %s: a VNET jail: its interfaces are in "
		    "its jail.conf (gaol edit %s)\n", name, name);
		goto out;
	}
	if (add) {
		if (ip == NULL) {
			fprintf(stderr, "gaol: %s: add %s: an address is "
			    "needed (an inherited-IP jail)\n", name, iface);
			goto out;
		}
		if (j.ip != NULL && (strchr(j.ip, ':') != NULL) !=
		    (strchr(ip, ':') != NULL)) {
			fprintf(stderr, "gaol: %s: %s: the jail's addresses "
			    "are IPv%c; one family a jail here\n", name, ip,
			    strchr(j.ip, ':') ? '6' : '4');
			goto out;
		}
		list = j.ip != NULL ? xasprintf("%s,%s|%s", j.ip, iface, ip) :
		    xasprintf("%s|%s", iface, ip);
	} else {
		list = without(j.ip != NULL ? j.ip : "", iface, ip, &found);
		if (!found) {
			fprintf(stderr, "gaol: %s: no address on %s%s%s\n",
			    name, iface, ip ? " is " : "", ip ? ip : "");
			goto out;
		}
	}
	if (store_prop_set(name, "ip", *list != '\0' ? list : "none") == -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		goto out;
	}
	printf("%s: %s\n", name, *list != '\0' ? list : "no address");
	if (registry_running(name))
		printf("%s: running: the change applies at its next start\n",
		    name);
	r = 0;
out:
	free(list);
	sjail_free(&j);
	return r;
}

const struct verb verb_network = {
	.name = "network", .args = "name add|remove iface [ip]",
	.run = run_network,
	.help =
	    "Give an inherited-IP jail an address on a host interface, or take\n"
	    "it away: ip4.addr (ip6.addr) of its jail.conf gains or loses\n"
	    "\"iface|ip\" (remove without ip: every address on iface).  The\n"
	    "jail sees it at its next start.  A VNET jail's interfaces are in\n"
	    "its jail.conf (gaol edit).\n",
};
