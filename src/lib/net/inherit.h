/*
 * What the inherited-IP BPF programs (inherit.bpf.c) and their loader
 * (bpf.c) share: the modes and the layout of the address maps.  Plain
 * fixed-size types only: this is compiled for the BPF target too.
 */
#ifndef GAOL_NET_INHERIT_H
#define GAOL_NET_INHERIT_H

#include <linux/types.h>

/* The jailsys values (JAILSYS_*, conf.h), in their order (bpf.c checks). */
#define INHERIT_DISABLE	0
#define INHERIT_NEW	1
#define INHERIT_INHERIT	2

/* Addresses and masks in network order, as the programs read them. */
struct inherit_addr6 {
	__u32	w[4];
};

/* mask 0: not used for source selection (no prefix, or a host's). */
struct inherit_net4 {
	__u32	addr, mask;
};

struct inherit_net6 {
	struct inherit_addr6	addr;
	__u32			mask[4];
};

#endif
