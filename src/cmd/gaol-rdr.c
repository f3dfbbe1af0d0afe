/*
 * gaol-rdr: port forwarding to a jail, with Bastille's `rdr` grammar,
 * over the library the manager's `gaol rdr` uses (src/lib/net/jailnet.h).
 *
 *	gaol-rdr TARGET list
 *	gaol-rdr TARGET clear
 *	gaol-rdr TARGET tcp|udp HOST_PORT JAIL_PORT [-i IF] [-d JAIL_ADDR]
 *
 * The rules live in the nftables table "inet gaol" and go when the
 * jail stops.  gaol-rdr(8).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail/jail.h"
#include "state/registry.h"
#include "net/jailnet.h"
#include "out/out.h"

static const char usage_text[] =
    "usage: gaol-rdr target list | clear\n"
    "       gaol-rdr target tcp|udp host_port jail_port "
    "[-i interface] [-d jail_address]\n";

static const char help_text[] =
    "  target           the live jail (jid or name)\n"
    "  list             print the jail's forwards, one a line\n"
    "  clear            remove the jail's forwards\n"
    "  tcp|udp          forward host_port to the jail's jail_port\n"
    "  -i interface     where packets arrive (default: gaol_ext_if)\n"
    "  -d jail_address  where they go (default: the jail's first address)\n";

static void __attribute__((noreturn))
usage(void)
{
	out_usage(usage_text, help_text, false);
}

/* What a crashed command left is put right before we look. */
static int
settle(void)
{
	int lock;

	if ((lock = registry_lock()) == -1)
		return -1;
	jail_recover();
	registry_unlock(lock);
	return 0;
}

static int
list(const char *target)
{
	struct net_rdr *v;
	size_t n;

	if (jail_rdr_list(target, &v, &n) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char *ip = jaddr_ntop(&v[i].to);

		printf("%s %s %u -> %s %u\n", v[i].ifname, v[i].proto,
		    v[i].port, ip, v[i].to_port);
		free(ip);
	}
	free(v);
	return 0;
}

static int
add(const char *target, char **argv, const char *ifname, const char *addr)
{
	struct net_rdr r;

	if (net_rdr_parse(argv[0], argv[1], addr ? addr : "0.0.0.0", argv[2],
	    ifname, &r) == -1)
		return -1;
	if (addr == NULL)
		memset(&r.to, 0, sizeof(r.to));
	return jail_rdr_add(target, &r);
}

int
main(int argc, char *argv[])
{
	const char *target, *ifname = NULL, *addr = NULL;
	bool listing, clearing;
	int r;

	if (argc > 1 && strcmp(argv[1], "--help") == 0)
		out_usage(usage_text, help_text, true);
	if (argc < 3)
		usage();
	target = argv[1];
	listing = argc == 3 && strcmp(argv[2], "list") == 0;
	clearing = argc == 3 && strcmp(argv[2], "clear") == 0;
	if (!listing && !clearing) {
		if (argc < 5)
			usage();
		for (int i = 5; i < argc; i++) {
			if (strcmp(argv[i], "-i") == 0 && i + 1 < argc)
				ifname = argv[++i];
			else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
				addr = argv[++i];
			else
				usage();
		}
	}
	if (settle() == -1)
		r = -1;
	else if (listing)
		r = list(target);
	else if (clearing)
		r = jail_rdr_clear(target);
	else
		r = add(target, argv + 2, ifname, addr);
	if (r == -1) {
		fprintf(stderr, "gaol-rdr: %s\n", gerr_msg());
		return 1;
	}
	return 0;
}
