/*
 * The jail core's side of networking (jailnet.c): the calls create.c and
 * remove.c make into src/lib/net, with the registry intents that let a
 * crash be undone, and the port-forward API the manager's `gaol rdr`
 * uses.
 */
#ifndef GAOL_JAILNET_H
#define GAOL_JAILNET_H

#include "../conf/spec.h"
#include "../state/registry.h"
#include "net.h"
#include "../cgroup/cgroup.h"

/*
 * Right after the record is reserved, before any hook: add ip_hostname's
 * addresses to the record and the spec's network part, check the
 * addresses (interfaces, clashes with other jails), then add
 * each inherited-IP address with an interface that is not there yet
 * (intent "addr"), and the NAT gaol.conf declares (intent "nft").
 */
int	jail_net_prepare(struct jail_spec *, struct jrecord *);

/*
 * The descriptors of nesting (docs/design/nested-jails.md), -1 where
 * there is none.  On the host, keep: a jail with children.max > 0 gets
 * its maps kept for its init.  In a jail, parent and parent_procs come
 * from the parent's init (the map door); cgroup is then the nested
 * jail's own cgroup2 directory, below the parent's procs leaf, which its
 * init is born in.
 */
struct jail_net_fds {
	int	keep[NET_MAPS];
	int	parent[NET_MAPS];
	int	parent_procs;
	int	cgroup;
};
void	jail_net_fds_init(struct jail_net_fds *);
void	jail_net_fds_close(struct jail_net_fds *);

/*
 * After cgroup_create: the inherited-IP BPF programs on the cgroup2 dir.
 * In a jail (cg has no hierarchy): a jail with a network of its own
 * (not ip4=inherit ip6=inherit) makes its cgroup below the parent's
 * leaf (intent "netcg") and stores its part of the parent's addresses
 * in the parent's map; an address the parent does not have fails as
 * FreeBSD's jail_set does (EPERM).
 */
int	jail_net_cgroup(const struct jail_spec *, const struct cgroup_set *,
	    struct jrecord *, struct jail_net_fds *);
/* The cgroup name a nested jail's "netcg" intent holds. */
#define JAIL_NET_NESTED_INTENT	"netcg"

/*
 * After the init is cloned, before it runs the jail: for vnet, pin its
 * network namespace (intent "netns"), bring lo up, and move each
 * vnet.interface in (intent "iface").
 */
int	jail_net_attach(const struct jail_spec *, struct jrecord *, pid_t init);

/* Whether an intent kind is networking's; its undo. */
bool	jail_net_owns(const char *kind);
int	jail_net_undo(const struct jrecord *, const struct intent *);

/*
 * Port forwarding for a live jail, by jid or name: what `gaol rdr`
 * calls.  An rdr with to.family 0 goes to the jail's first address
 * (ip4.addr, then ip6.addr).  The rules go with the jail.
 */
int	jail_rdr_add(const char *jail, const struct net_rdr *);
int	jail_rdr_list(const char *jail, struct net_rdr **, size_t *);
int	jail_rdr_clear(const char *jail);

#endif
