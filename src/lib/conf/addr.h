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
struct jaddr {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];
	int		 prefix;	/* 32 / 128 when none was given */
	char		 ifname[IF_NAMESIZE];	/* "": no interface */
};

/* What a jail may do with the host's stack (inherited IP). */
struct jnet {
	bool		 vnet;
	int		 mode4, mode6;	/* JAILSYS_*: ip4, ip6 */
	bool		 saddrsel4, saddrsel6;
	bool		 reserved_ports;	/* allow.reserved_ports */
	struct jaddr	*a4, *a6;
	size_t		 n4, n6;
};

/*
 * Parse one address item; defif (the "interface" parameter) is used when
 * the item names none.  Message: "ip4.addr: not an IPv4 address: x".
 */
int	jaddr_parse(const char *item, int family, const char *defif,
	    struct jaddr *);
/* "iface|addr/prefix" (or "addr/prefix"), as an intent argument. */
char	*jaddr_format(const struct jaddr *);
/* The bare address, as jls shows it. */
char	*jaddr_ntop(const struct jaddr *);
bool	 jaddr_equal(const struct jaddr *, const struct jaddr *);

/* An address already read (a record's, a resolver's): no grammar. */
void	jaddr_set(struct jaddr *, int family, const void *addr, int prefix,
	    const char *ifname);

/* A jail's network view from its parameters (ip4, ip4.addr, ...). */
int	jnet_from_params(struct jnet *, const struct jparams *);
/*
 * The view's other fields, read from the list around the addresses it
 * holds (a record's, parsed at creation): vnet, ip4 and ip6 (new by
 * default when there are addresses), saddrsel, reserved ports.  What
 * jail -m may change is read here, never stored with the addresses.
 */
void	jnet_read_flags(struct jnet *, const struct jparams *);
/* Addresses of a family only with its ipN=new: -1 with the message. */
int	jnet_check_modes(const struct jnet *, const struct jparams *);
void	jnet_add(struct jnet *, const struct jaddr *);	/* by its family */
void	jnet_copy(struct jnet *dst, const struct jnet *src);
void	jnet_free(struct jnet *);

#endif
