/*
 * gaol create [--no-boot] [--tags T,...] [-T] [-V | -B] NAME RELEASE [IP [IFACE]]
 * gaol create -E NAME [IP [IFACE]]
 *
 * A jail from a release (or an empty one), with its own jail.conf under
 * the jail's directory, included from jail.conf.d, its fstab and, for
 * a vnet jail, its address in its rc.conf: Bastille's create, which
 * then starts the jail (not an empty one) through the same path as
 * gaol start.  A jail that does not start is not left behind.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "store/store.h"

static bool
iface_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

/* Start the jail just made; one that does not start is destroyed. */
static int
start_made(const char *name)
{
	if (jail_start_named(name) == 0)
		return 0;
	fprintf(stderr, "gaol: %s\n", gerr_msg());
	if (store_jail_destroy(name) == -1)
		fprintf(stderr, "gaol: %s\n", gerr_msg());
	fprintf(stderr, "gaol: %s: did not start: not created (create "
	    "--no-boot makes it without starting it)\n", name);
	return 1;
}

static int
run_create(int argc, char **argv)
{
	bool thick = false, empty = false, vnet_made = false, vnet_on = false;
	bool boot = true;
	struct strlist tags = { 0 };
	const char *name, *release = NULL, *ip = NULL, *iface = NULL;
	char *bridge = NULL, *addr = NULL;
	struct sjail j;
	int c, r;

	while ((c = verb_getopt(&verb_create, argc, argv, "TEVB")) != -1)
		if (c == 'T')
			thick = true;
		else if (c == 'E')
			empty = true;
		else if (c == 'V')
			vnet_made = true;
		else if (c == 'B')
			vnet_on = true;
		else if (c == LONG_ONLY && strcmp(long_only_name, "no-boot") == 0)
			boot = false;
		else if (c == LONG_ONLY && tags_parse(optarg, &tags) == -1)
			lib_fail();	/* --tags */
	argc -= optind;
	argv += optind;
	if (argc < (empty ? 1 : 2) || argc > (empty ? 3 : 4) ||
	    (vnet_made && vnet_on) || (empty && thick))
		usage_error(&verb_create);
	name = argv[0];
	if (!empty)
		release = argv[1];
	if (argc > (empty ? 1 : 2))
		ip = argv[empty ? 1 : 2];
	if (argc > (empty ? 2 : 3))
		iface = argv[empty ? 2 : 3];
	if ((vnet_made || vnet_on) && (ip == NULL || iface == NULL)) {
		fprintf(stderr, "gaol: %s: -%c needs an address and %s\n",
		    name, vnet_made ? 'V' : 'B', vnet_made ? "an interface" :
		    "a bridge");
		return 1;
	}
	if (ip != NULL && (ip = addr = addr_list(name, ip, vnet_made ||
	    vnet_on ? NULL : iface, vnet_made || vnet_on)) == NULL)
		return 1;
	if (vnet_made) {
		/* Bastille's name: the interface's, "bridge" after it */
		bridge = xasprintf("%sbridge", iface);
		if (strlen(bridge) >= IF_NAMESIZE) {
			fprintf(stderr, "gaol: %s: interface name too long for "
			    "its bridge (%s)\n", iface, bridge);
			free(bridge);
			free(addr);
			return 1;
		}
		if (!iface_exists(iface)) {
			fprintf(stderr, "gaol: %s: no such interface\n", iface);
			free(bridge);
			free(addr);
			return 1;
		}
	} else if (vnet_on) {
		if (!iface_exists(iface)) {
			fprintf(stderr, "gaol: %s: no such bridge\n", iface);
			free(addr);
			return 1;
		}
		bridge = xstrdup(iface);
	}
	r = store_jail_create_net(name, release, ip, thick, bridge,
	    vnet_made ? iface : NULL);
	free(bridge);
	free(addr);
	if (r == -1)
		lib_fail();
	/* Asked for thin, got a copy: say so once, here. */
	if (!thick && !empty && store_jail_load(name, &j) == 0) {
		if (!j.thin)
			fprintf(stderr, "gaol: %s: the %s backend has no thin "
			    "jails: made a full copy\n", j.name, j.backend);
		sjail_free(&j);
	}
	if (tags.n > 0 && tags_add(name, &tags) == -1) {
		fprintf(stderr, "gaol: %s\n", gerr_msg());
		(void)store_jail_destroy(name);
		strlist_clear(&tags);
		return 1;
	}
	strlist_clear(&tags);
	return boot && !empty ? start_made(name) : 0;
}

const struct verb verb_create = {
	.name = "create", .args = "[--no-boot] [--tags tag,...] [-T] [-V | -B] "
	    "name release [ip [iface]] | -E name [ip [iface]]",
	.run = run_create,
	.min_args = 1, .max_args = 4,	/* -E's 1 to 3, else 2 to 4: below */
	.long_only = "no-boot tags", .enters = true,
	.help =
	    "Make a jail from a release (see gaol list releases).  The jail is\n"
	    "thin by default: it shares the release and keeps only its own\n"
	    "changes (overlay and btrfs backends; the dir backend copies).\n"
	    "Its block is written to DATADIR/jails/name/jail.conf and included\n"
	    "from SYSCONFDIR/jail.conf.d/name.conf, so jail -c name, service\n"
	    "jail and gaol start all know it.  ip is one address or several\n"
	    "(blanks or commas between them), IPv4 and IPv6 alike: they\n"
	    "become ip4.addr and ip6.addr, on iface when one is given (the\n"
	    "jail shares the host's network: inherited IP).  The new jail is\n"
	    "started, as gaol start does (an empty one is not); one that does\n"
	    "not start is removed again.\n"
	    "  --no-boot  make the jail but do not start it (it starts at\n"
	    "      boot only after gaol enable, in any case)\n"
	    "  --tags tag,...  tag the new jail (gaol tags name add)\n"
	    "  -T  thick: a full copy of the release (reflinks where the file\n"
	    "      system has them)\n"
	    "  -E  empty: a root with nothing in it, no release\n"
	    "  -V  vnet: its own network stack on a bridge made for iface\n"
	    "      (ifacebridge), through a veth pair e0a_name/e0b_name made\n"
	    "      at each start; ip goes to its rc.conf (ifconfig_e0b_name,\n"
	    "      ifconfig_e0b_name_ipv6, ifconfig_e0b_name_aliasN)\n"
	    "  -B  vnet on the existing bridge iface, likewise\n",
};
