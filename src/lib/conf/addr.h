/*
 * Jail addresses as jail.conf writes them (ip4.addr, ip6.addr), and a
 * jail's network view from its parameters: the one parser of them, used
 * by the parameter checks here, by isolate's socket filter and by net.
 */
#ifndef GAOL_ADDR_H
#define GAOL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include "conf.h"

/* One item of ip4.addr / ip6.addr: "iface|addr/prefix", "addr/prefix", "addr". */
struct net_addr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];
	int		 prefix;	/* 32 / 128 when none was given */
	char		 ifname[IF_NAMESIZE];	/* "": no interface */
};

enum net_mode { NET_DISABLE, NET_NEW, NET_INHERIT };

/* What a jail may do with the host's stack (inherited IP). */
struct net_jail {
	bool		 vnet;
	enum net_mode	 mode4, mode6;
	bool		 saddrsel4, saddrsel6;
	bool		 reserved_ports;	/* allow.reserved_ports */
	struct net_addr	*a4, *a6;
	size_t		 n4, n6;
};

/*
 * Parse one address item; defif (the "interface" parameter) is used when
 * the item names none.  Message: "ip4.addr: not an IPv4 address: x".
 */
int	net_addr_parse(const char *item, int family, const char *defif,
	    struct net_addr *);
/* "iface|addr/prefix" (or "addr/prefix"), as an intent argument. */
char	*net_addr_format(const struct net_addr *);
/* The bare address, as jls shows it. */
char	*net_addr_ntop(const struct net_addr *);
bool	 net_addr_equal(const struct net_addr *, const struct net_addr *);

/* A jail's network view from its parameters (ip4, ip4.addr, ...). */
int	net_jail_from_params(struct net_jail *, const struct jparams *);
void	net_jail_free(struct net_jail *);

#endif
