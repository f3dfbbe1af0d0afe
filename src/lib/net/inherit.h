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

/*
 * The "children" map: a nested jail's share of its parent's addresses,
 * keyed by the nested jail's cgroup2 id (a directory below the parent's
 * procs leaf).  Bit i of mask4 is the parent's ip4.addr[i] (the index
 * the addrs4 map gives); first4 is the index of the nested jail's first
 * address.  mode DISABLE: no socket of that family.  Whatever an entry
 * says, the programs only narrow the parent's own set with it.  Key 0
 * is the parent's own modes and counts, for the nested `jail -c` to
 * read (docs/design/nested-jails.md).
 */
#define INHERIT_MASK_BITS	64
#define INHERIT_CHILDREN_MAX	256

struct inherit_child {
	__u64	mask4, mask6;
	__u32	mode4, mode6;
	__u32	n4, n6;		/* bits set in each mask */
	__u32	first4, first6;	/* indexes, in the parent's lists */
	__u8	has_lo4, has_lo6, saddrsel4, saddrsel6;
	__u32	pad;
};

#endif
