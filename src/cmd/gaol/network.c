/*
 * gaol network NAME add|remove IFACE [IP]: Bastille's network.
 *
 * An inherited-IP jail: ip4.addr and ip6.addr of its jail.conf gain or
 * lose "IFACE|IP"; the jail sees the change at its next start (its
 * socket filter holds the addresses it started with).
 *
 * A VNET jail: another veth pair eNa_NAME/eNb_NAME, eNa_NAME on the
 * bridge IFACE (or on IFACEbridge, made for the host interface IFACE,
 * as create -V does), IP in the jail's rc.conf for eNb_NAME; kept in its
 * jail.conf (store_jail_vnet_add) and, when the jail runs, made now by
 * the same commands its start runs, moved into the jail and configured
 * by the jail's own netif.  remove takes the pair away again.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gaol.h"
#include "conf/addr.h"
#include "conf/conf.h"
#include "jail/jail.h"
#include "net/net.h"
#include "state/registry.h"
#include "store/store.h"

char *
addr_list(const char *jail, const char *arg, const char *iface, bool vnet)
{
	struct strlist items = { 0 };
	char *copy = xstrdup(arg), *save, *w, *out = NULL;
	struct jaddr a;

	for (w = strtok_r(copy, ", \t", &save); w != NULL;
	    w = strtok_r(NULL, ", \t", &save)) {
		if (vnet && strchr(w, '|') != NULL) {
			fprintf(stderr, "gaol: %s: %s: a VNET jail's address "
			    "takes no interface\n", jail, w);
			goto out;
		}
		if (strpbrk(w, "\"\\") != NULL || jaddr_parse(w,
		    store_addr_is_v6(w) ? AF_INET6 : AF_INET, NULL, &a) == -1) {
			fprintf(stderr, "gaol: %s: %s\n", jail,
			    strpbrk(w, "\"\\") ? "quotes in an address" :
			    gerr_msg());
			goto out;
		}
		if (iface != NULL && strchr(w, '|') == NULL)
			strlist_addn(&items, xasprintf("%s|%s", iface, w));
		else
			strlist_add(&items, w);
	}
	if (items.n == 0)
		fprintf(stderr, "gaol: %s: no address in \"%s\"\n", jail, arg);
	else
		out = strlist_join(&items, ",");
out:
	strlist_clear(&items);
	free(copy);
	return out;
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
inherited(const struct sjail *j, bool add, const char *iface, const char *ip)
{
	char *list = NULL, *items;
	bool found;
	int r = 1;

	if (add) {
		if (ip == NULL) {
			fprintf(stderr, "gaol: %s: add %s: an address is "
			    "needed (an inherited-IP jail)\n", j->name, iface);
			return 1;
		}
		if ((items = addr_list(j->name, ip, iface, false)) == NULL)
			return 1;
		list = j->ip != NULL ? xasprintf("%s,%s", j->ip, items) : items;
		if (list != items)
			free(items);
	} else {
		list = without(j->ip != NULL ? j->ip : "", iface, ip, &found);
		if (!found) {
			fprintf(stderr, "gaol: %s: no address on %s%s%s\n",
			    j->name, iface, ip ? " is " : "", ip ? ip : "");
			goto out;
		}
	}
	if (store_prop_set(j->name, "ip", *list != '\0' ? list : "none") ==
	    -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		goto out;
	}
	printf("%s: %s\n", j->name, *list != '\0' ? list : "no address");
	if (registry_running(j->name))
		printf("%s: running: the change applies at its next start\n",
		    j->name);
	r = 0;
out:
	free(list);
	return r;
}

/* Its kind from rtnetlink: /sys shows the namespace it was mounted in. */
static bool
is_bridge(const char *iface)
{
	char id[128];
	int idx = net_link_index(-1, iface);

	return idx > 0 && net_link_identity(-1, idx, id, sizeof(id)) == 0 &&
	    strncmp(id, "bridge/", 7) == 0;
}

/* Each command as exec.prestart/poststop runs it; -1 on the first failure. */
static int
run_commands(const char *jail, const struct strlist *cmds)
{
	for (size_t i = 0; i < cmds->n; i++) {
		char *argv[] = { "/bin/sh", "-c", cmds->v[i], NULL };

		if (run_argv(argv, -1, -1) != 0) {
			fprintf(stderr, "gaol: %s: failed: %s\n", jail,
			    cmds->v[i]);
			return -1;
		}
	}
	return 0;
}

/* Interface n made now in the running jail, as its start makes it. */
static int
vnet_live_add(const char *jail, int n, const char *bridge,
    const char *member)
{
	struct strlist pre = { 0 }, post = { 0 }, move = { 0 };
	struct enter_opts eo = { .out_fd = -1 };
	struct jrecord rec;
	char *ifname = xasprintf("e%db_%s", n, jail);
	char *argv[] = { "/bin/sh", "/etc/rc.d/netif", "start", ifname, NULL };
	int r = -1, s;

	if (registry_find(jail, &rec) == -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		free(ifname);
		return -1;
	}
	store_vnet_commands(jail, n, bridge, member, &pre, &post);
	strlist_addn(&move, xasprintf("ip link set %s netns %d", ifname,
	    (int)rec.init_pid));
	if (run_commands(jail, &pre) == 0 && run_commands(jail, &move) == 0) {
		if ((s = gaol_exec(jail, "gaol network", &eo, argv)) == 0)
			r = 0;
		else
			fprintf(stderr, "gaol: %s: %s: the jail's netif failed "
			    "(%d)\n", jail, ifname, s);
	}
	if (r == -1)
		(void)run_commands(jail, &post);
	jrecord_free(&rec);
	strlist_clear(&pre);
	strlist_clear(&post);
	strlist_clear(&move);
	free(ifname);
	return r;
}

static int
vnet(const struct sjail *j, bool add, const char *iface, const char *ip)
{
	const char *bridge = iface, *member = NULL;
	char *made = NULL, *items = NULL;
	bool running = registry_running(j->name);
	int n, r = 1;

	if (!add) {
		if (ip != NULL) {
			fprintf(stderr, "gaol: %s: remove %s: a VNET jail's "
			    "interface goes whole, no address is named\n",
			    j->name, iface);
			return 1;
		}
		/* The bridge, or the host interface create -V names. */
		if (!is_bridge(iface))
			bridge = made = xasprintf("%sbridge", iface);
		if ((n = store_jail_vnet_remove(j->name, bridge)) == -1)
			fprintf(stderr, "gaol: %s\n", gerr_msg());
		if (n == -1)
			goto out;
		if (running) {
			struct strlist pre = { 0 }, post = { 0 };

			store_vnet_commands(j->name, n, "-", NULL, &pre, &post);
			(void)run_commands(j->name, &post);
			strlist_clear(&pre);
			strlist_clear(&post);
		}
		printf("%s: e%db_%s removed\n", j->name, n, j->name);
		r = 0;
		goto out;
	}
	if (ip != NULL && (items = addr_list(j->name, ip, NULL, true)) == NULL)
		goto out;
	if (if_nametoindex(iface) == 0) {
		fprintf(stderr, "gaol: %s: %s: no such interface\n", j->name,
		    iface);
		goto out;
	}
	if (!is_bridge(iface)) {
		/* A host interface: its bridge, as create -V makes it. */
		member = iface;
		bridge = made = xasprintf("%sbridge", iface);
		if (strlen(made) >= IF_NAMESIZE) {
			fprintf(stderr, "gaol: %s: %s: interface name too long "
			    "for its bridge (%s)\n", j->name, iface, made);
			goto out;
		}
	}
	if ((n = store_jail_vnet_add(j->name, bridge, member, items)) == -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		goto out;
	}
	if (running && vnet_live_add(j->name, n, bridge, member) == -1) {
		(void)store_jail_vnet_remove(j->name, bridge);
		goto out;
	}
	printf("%s: e%db_%s on %s%s%s\n", j->name, n, j->name, bridge,
	    items ? ": " : "", items ? items : "");
	r = 0;
out:
	free(items);
	free(made);
	return r;
}

/* Whether the jail's own jail.conf makes it a VNET jail. */
static bool
conf_vnet(const struct sjail *j)
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

static int
run_network(int argc, char **argv)
{
	const char *name, *iface, *ip;
	struct sjail j;
	bool add;
	int r;

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
	    strpbrk(iface, "|,/ \t\"\\") != NULL) {
		fprintf(stderr, "gaol: %s: %s: not an interface name\n", name,
		    iface);
		return 1;
	}
	if (store_jail_load(name, &j) == -1)
		lib_fail();
	if (j.bridge != NULL)
		r = vnet(&j, add, iface, ip);
	else if (conf_vnet(&j)) {
		fprintf(stderr, "gaol: %s: a VNET jail not made by gaol create "
		    "-V or -B: its interfaces are in its jail.conf (gaol edit "
		    "%s)\n", name, name);
		r = 1;
	} else
		r = inherited(&j, add, iface, ip);
	sjail_free(&j);
	return r;
}

const struct verb verb_network = {
	.name = "network", .args = "name add|remove iface [ip]",
	.run = run_network, .enters = true,
	.help =
	    "Give a jail another address or interface, or take it away.\n"
	    "ip is one address or several (blanks or commas between them),\n"
	    "IPv4 and IPv6 alike.\n"
	    "An inherited-IP jail: ip4.addr / ip6.addr of its jail.conf gain\n"
	    "or lose \"iface|ip\" (remove without ip: every address on\n"
	    "iface); the jail sees it at its next start.\n"
	    "A VNET jail (create -V or -B): a veth pair eNa_name/eNb_name,\n"
	    "eNa_name on the bridge iface (on ifacebridge, made for it, when\n"
	    "iface is a host interface), ip in the jail's rc.conf for\n"
	    "eNb_name; kept in its jail.conf and made at once when it runs.\n"
	    "remove iface takes that interface away (not create's e0b_name).\n",
};
