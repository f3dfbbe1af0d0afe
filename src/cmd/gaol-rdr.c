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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "state/registry.h"
#include "net/jailnet.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: gaol-rdr TARGET list | clear\n"
	    "       gaol-rdr TARGET tcp|udp host_port jail_port "
	    "[-i interface] [-d jail_address]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char *target, *ifname = NULL, *addr = NULL;
	struct net_rdr r, *v;
	size_t n;
	int lock;

	if (argc < 3)
		usage();
	target = argv[1];
	if ((lock = registry_lock()) == -1) {
		fprintf(stderr, "gaol-rdr: %s\n", gerr_msg());
		return 1;
	}
	registry_recover();
	registry_unlock(lock);
	if (strcmp(argv[2], "list") == 0 && argc == 3) {
		if (jail_rdr_list(target, &v, &n) == -1)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			char *ip = net_addr_ntop(&v[i].to);

			printf("%s %s %u -> %s %u\n", v[i].ifname, v[i].proto,
			    v[i].port, ip, v[i].to_port);
			free(ip);
		}
		free(v);
		return 0;
	}
	if (strcmp(argv[2], "clear") == 0 && argc == 3) {
		if (jail_rdr_clear(target) == -1)
			goto fail;
		return 0;
	}
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
	if (net_rdr_parse(argv[2], argv[3], addr ? addr : "0.0.0.0", argv[4],
	    ifname, &r) == -1)
		goto fail;
	if (addr == NULL)
		memset(&r.to, 0, sizeof(r.to));
	if (jail_rdr_add(target, &r) == -1)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "gaol-rdr: %s\n", gerr_msg());
	return 1;
}
