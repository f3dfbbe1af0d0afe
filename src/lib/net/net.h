/*
 * Jail networking: inherited-IP addresses and their enforcement, VNET
 * interface moves, and gaol's own nftables table for NAT and port
 * forwarding.  docs/design/network.md says how and why.
 *
 * Everything here acts on the calling process's network namespace unless
 * a function takes a namespace file descriptor.  Nothing here touches the
 * registry: jailnet.c records the intents around these calls.
 */
#ifndef GAOL_NET_H
#define GAOL_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <sys/types.h>
#include "../conf/conf.h"
#include "../conf/addr.h"

/* ---- rtnetlink (nl.c); ns < 0: the caller's namespace ---- */

/*
 * Step into network namespace ns for a moment: returns what
 * net_ns_leave needs to step back (-2 when ns < 0: stay), -1 on error.
 * A socket or /proc/sys/net file opened in between stays in ns.
 */
int	net_ns_enter(int ns);
void	net_ns_leave(int self);

/* ifindex of a link, 0 when there is none (errors: -1). */
int	net_link_index(int ns, const char *ifname);
/* The name of ifindex in ns, into buf (IF_NAMESIZE); -1 if none. */
int	net_link_name(int ns, int ifindex, char *buf);
int	net_link_set_up(int ns, int ifindex);
/* Set a link's hardware address. */
int	net_link_set_mac(int ns, int ifindex, const unsigned char mac[6]);
/* A veth's peer: its ifindex in the same namespace, else 0; -1: not a veth. */
int	net_link_veth_peer(int ns, int ifindex);
/* Kind and hardware address, "veth/02aabbccddee": see nl.c. */
int	net_link_identity(int ns, int ifindex, char *out, size_t size);
/* Move a link to the namespace of tonsfd, renaming it when newname is set. */
int	net_link_move(int ns, int ifindex, int tonsfd, const char *newname);
/* Whether addr is configured on its interface (1), not (0), error (-1). */
int	net_addr_present(const struct jaddr *);
int	net_addr_add(const struct jaddr *);
/* Remove; an address already gone is not an error. */
int	net_addr_del(const struct jaddr *);

/* ---- inherited-IP enforcement (bpf.c, landlock.c) ---- */

/*
 * Load the cgroup BPF programs that hold the jail's sockets to its
 * addresses and attach them to a cgroup2 directory.  They go away with
 * the cgroup.  maps != NULL: the jail may make jails (children.max > 0);
 * its programs then also read the nested jails' parts of its addresses,
 * and maps gets descriptors of the maps a nested `jail -c` needs (or -1
 * each, when the jail has no programs).
 */
enum { NET_MAP_CHILDREN, NET_MAP_ADDRS4, NET_MAP_ADDRS6, NET_MAPS };
int	net_bpf_attach(const struct jnet *, const char *cgroup2_dir,
	    int maps[NET_MAPS]);

/*
 * A nested jail's part of its parent's addresses (nested-jails.md): its
 * own jnet checked against the parent's (maps from the parent's init)
 * and stored for the cgroup id cg.  Fails with EPERM for an address the
 * parent does not have.  net_bpf_nested_forget drops it.
 */
int	net_bpf_nested(const struct jnet *, const int maps[NET_MAPS],
	    unsigned long long cg);
int	net_bpf_nested_forget(int children_map, unsigned long long cg);

/*
 * Scope the calling process (and what it execs) out of abstract unix
 * sockets made outside its Landlock domain: what a jail sharing the
 * host's network namespace must not reach (CVE-2020-15257).
 */
int	net_scope_abstract_unix(void);

/*
 * The other way round, binding (unixbind.c): every process of the jail
 * runs under a filter that hands its bind(2) calls to the jail's init
 * (src/lib/jail/guard.c); net_unix_bind_answer makes one such call
 * (procfd: a procfs of the caller's pid namespace), refusing abstract
 * unix names and making every other bind itself.  0 or -errno, the
 * caller's answer.
 */
struct seccomp_notif;
int	net_unix_bind_answer(const struct seccomp_notif *, int listener,
	    int procfd);

/* ---- VNET (vnet.c) ---- */

/* Keep the network namespace of pid alive at path (a bind mount). */
int	net_netns_pin(pid_t, const char *path);
/* Undo net_netns_pin; a missing pin is fine. */
int	net_netns_unpin(const char *path);
/*
 * The stable MAC of a jail's interface: from the jail's name, the
 * interface's name and which end of it (a veth's peer is another).
 */
void	net_vnet_mac(const char *jail, const char *ifname, bool peer,
	    unsigned char mac[6]);
/* Interfaces in ns announce themselves (gratuitous ARP, unsolicited NA). */
int	net_netns_announce(int ns);

/* ---- gaol.conf (gaolconf.c) ---- */

/* The value of KEY="value" in $GAOL_SYSCONFDIR/gaol/gaol.conf, or NULL. */
char	*net_gaolconf_get(const char *key);

/* ---- nftables: gaol's own table "inet gaol" (nft.c) ---- */

#define NET_NFT_TABLE	"gaol"

/*
 * NAT for the networks gaol.conf declares (gaol_nat_networks, out of
 * gaol_ext_if), in the chain of jail jid.  Nothing is done (0) when
 * gaol.conf declares no NAT or none of them concerns the jail.
 * *made is set when the jail's chains now exist.
 */
int	net_nat_jail(int jid, const struct jnet *, bool *made);

/* A port forward, pf's "rdr on IF proto P from any to (IF) port X -> A port Y". */
struct net_rdr {
	char		 proto[4];		/* "tcp" or "udp" */
	char		 ifname[IF_NAMESIZE];	/* "": gaol_ext_if */
	unsigned	 port;			/* host port */
	struct jaddr	 to;			/* the jail's address */
	unsigned	 to_port;
};

/* Make the jail's chains (idempotent); gaol's table comes with them. */
int	net_nft_jail_chains(int jid);
int	net_rdr_add(int jid, const struct net_rdr *);
/* The forwards of a jail, in the order added. */
int	net_rdr_list(int jid, struct net_rdr **, size_t *);
/* Drop a jail's forwards, keep its NAT. */
int	net_rdr_clear(int jid);
/*
 * Remove a jail's chains (NAT and rdr); the table goes when no jail has
 * chains left, and IP forwarding is put back as gaol found it.  A
 * missing table or nft program is not an error.
 */
int	net_nft_jail_remove(int jid);
/* "tcp 8080 -> 192.0.2.10 80 on em0" style, for listings. */
char	*net_rdr_format(const struct net_rdr *);
/* Parse "PROTO HOSTPORT ADDR JAILPORT [IF]". */
int	net_rdr_parse(const char *proto, const char *port, const char *addr,
	    const char *to_port, const char *ifname, struct net_rdr *);

#endif
