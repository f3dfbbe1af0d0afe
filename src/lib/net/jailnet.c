/*
 * Networking in the jail's life cycle.  Each step that makes something
 * outside the process records its intent in the registry first, so that
 * jail_teardown (remove.c) undoes it after a failure, a stop, a crash of
 * the creator, or the jail's own death:
 *
 *	addr  "em0|192.0.2.10/24"	remove the address (gaol added it)
 *	nft   "JID"			drop the jail's chains in gaol's table
 *	netns "$GAOL_RUNDIR/netns/JID"	unmount the namespace's pin
 *	iface "epair0b:IFINDEX"		move the interface back to the host
 *
 * jail_teardown undoes in reverse order, so interfaces come back out of
 * the pinned namespace before the pin goes.  docs/design/network.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "jailnet.h"

/* Record an intent and write the record before the thing is made. */
static int
intend(struct jrecord *rec, const char *kind, const char *arg)
{
	int lock AUTO_UNLOCK = -1;

	jrecord_add_intent(rec, kind, arg);
	if ((lock = registry_lock()) == -1)
		return -1;
	return registry_save(rec);
}

/*
 * ip_hostname: the addresses host.hostname resolves join the record's
 * lists, and the spec's network part is read again from them.
 */
static int
add_hostname_addrs(struct jail_spec *spec, struct jrecord *rec)
{
	const char *host = jparams_str(&rec->params, "host.hostname");
	const char *defif = jparams_str(&rec->params, "interface");
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int e;

	if (!jparams_bool(&rec->params, "ip_hostname") || host == NULL)
		return 0;
	if ((e = getaddrinfo(host, NULL, &hints, &res)) != 0) {
		gerr_set("ip_hostname: %s: %s", host, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		char buf[INET6_ADDRSTRLEN];
		bool v4 = ai->ai_family == AF_INET;
		const void *a = v4 ?
		    (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr :
		    (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		struct jaddr ja;
		bool have = false;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		jaddr_set(&ja, ai->ai_family, a, v4 ? 32 : 128, defif);
		for (size_t i = 0; i < (v4 ? spec->net.n4 : spec->net.n6); i++)
			have |= jaddr_equal(&ja, v4 ? &spec->net.a4[i] :
			    &spec->net.a6[i]);
		if (have)
			continue;
		/* the list shows it (jls -s), the views hold it typed */
		inet_ntop(ai->ai_family, a, buf, sizeof(buf));
		jparams_set(&rec->params, v4 ? "ip4.addr" : "ip6.addr", buf,
		    jparams_find(&rec->params, v4 ? "ip4.addr" : "ip6.addr") !=
		    NULL, NULL, 0);
		jnet_add(&spec->net, &ja);
		jnet_add(&rec->net, &ja);
	}
	freeaddrinfo(res);
	jnet_read_flags(&spec->net, &rec->params);
	jnet_read_flags(&rec->net, &rec->params);
	return jnet_check_modes(&spec->net, &rec->params);
}

/* Another live jail holding one of our addresses: the message says which. */
static int
check_clashes(const struct jrecord *rec, const struct jnet *nj)
{
	struct jrecord *recs;
	size_t n;
	int lock, r = 0;

	/* Without an address nothing clashes: read no other record. */
	if (nj->n4 + nj->n6 == 0)
		return 0;
	if ((lock = registry_lock()) == -1)
		return -1;
	if (registry_load_all(&recs, &n) == -1) {
		registry_unlock(lock);
		return -1;
	}
	registry_unlock(lock);
	for (size_t i = 0; i < n && r == 0; i++) {
		/* the record's addresses, parsed at its create */
		const struct jnet *other = &recs[i].net;

		if (recs[i].jid == rec->jid)
			continue;
		jnet_read_flags(&recs[i].net, &recs[i].params);	/* vnet */
		for (size_t a = 0; a < nj->n4 + nj->n6 && r == 0; a++) {
			const struct jaddr *x = a < nj->n4 ? &nj->a4[a] :
			    &nj->a6[a - nj->n4];
			const struct jaddr *ov = x->family == AF_INET ?
			    other->a4 : other->a6;
			size_t on = x->family == AF_INET ? other->n4 :
			    other->n6;

			for (size_t b = 0; b < on; b++)
				if (jaddr_equal(x, &ov[b]) && !other->vnet) {
					char *s = jaddr_ntop(x);

					gerr_set("%s: %s is already the address "
					    "of jail %s", x->family == AF_INET ?
					    "ip4.addr" : "ip6.addr", s,
					    recs[i].name);
					free(s);
					r = -1;
					break;
				}
		}
	}
	jrecords_free(recs, n);
	return r;
}

static int
check_interfaces(const struct jnet *nj)
{
	for (size_t a = 0; a < nj->n4 + nj->n6; a++) {
		const struct jaddr *x = a < nj->n4 ? &nj->a4[a] :
		    &nj->a6[a - nj->n4];
		int idx;

		if (x->ifname[0] == '\0')
			continue;
		if ((idx = net_link_index(-1, x->ifname)) == -1)
			return -1;
		if (idx == 0) {
			gerr_set("%s: %s: no such interface",
			    x->family == AF_INET ? "ip4.addr" : "ip6.addr",
			    x->ifname);
			return -1;
		}
	}
	return 0;
}

int
jail_net_prepare(struct jail_spec *spec, struct jrecord *rec)
{
	const struct jnet *nj = &spec->net;
	char *nat;

	if (add_hostname_addrs(spec, rec) == -1)
		return -1;
	if (nj->vnet && nj->n4 + nj->n6 > 0) {
		gerr_set("ip4.addr, ip6.addr: a vnet jail configures its "
		    "addresses inside (rc.conf ifconfig_IF)");
		return -1;
	}
	if (check_interfaces(nj) == -1 || check_clashes(rec, nj) == -1)
		return -1;
	for (size_t a = 0; a < nj->n4 + nj->n6; a++) {
		const struct jaddr *x = a < nj->n4 ? &nj->a4[a] :
		    &nj->a6[a - nj->n4];
		char *arg;
		int present;

		if (x->ifname[0] == '\0')
			continue;	/* FreeBSD too: used as it is */
		if ((present = net_addr_present(x)) == -1)
			return -1;
		if (present)
			continue;	/* not ours: left on stop */
		arg = jaddr_format(x);
		if (intend(rec, "addr", arg) == -1) {
			free(arg);
			return -1;
		}
		free(arg);
		if (net_addr_add(x) == -1)
			return -1;
	}
	if ((nat = net_gaolconf_get("gaol_nat_networks")) != NULL && *nat) {
		char jid[16];
		bool made;

		snprintf(jid, sizeof(jid), "%d", rec->jid);
		if (intend(rec, "nft", jid) == -1 ||
		    net_nat_jail(rec->jid, nj, &made) == -1) {
			free(nat);
			return -1;
		}
	}
	free(nat);
	return 0;
}

void
jail_net_fds_init(struct jail_net_fds *f)
{
	for (int i = 0; i < NET_MAPS; i++)
		f->keep[i] = f->parent[i] = -1;
	f->parent_procs = f->cgroup = -1;
}

void
jail_net_fds_close(struct jail_net_fds *f)
{
	for (int i = 0; i < NET_MAPS; i++) {
		if (f->keep[i] >= 0)
			close(f->keep[i]);
		if (f->parent[i] >= 0)
			close(f->parent[i]);
	}
	if (f->parent_procs >= 0)
		close(f->parent_procs);
	if (f->cgroup >= 0)
		close(f->cgroup);
	jail_net_fds_init(f);
}

/*
 * A jail made in a jail, with a network of its own: a cgroup of its own
 * below the parent's procs leaf, and its part of the parent's addresses
 * stored for that cgroup's id in the parent's map, before its init is
 * born there (docs/design/nested-jails.md).
 */
static int
nested_part(const struct jail_spec *spec, struct jrecord *rec,
    struct jail_net_fds *fds)
{
	char *name AUTO_FREE = cgroup_jail_name(rec->jid);
	struct stat st;
	int fd;

	if (fds->parent_procs < 0) {
		gerr_set("%s: a jail inside a jail shares its parent's network "
		    "unless the parent has addresses of its own: set "
		    "ip4=inherit and ip6=inherit", spec->name);
		return -1;
	}
	if (intend(rec, JAIL_NET_NESTED_INTENT, name) == -1 ||
	    (fd = cgroup_make_below(fds->parent_procs, name)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		gerr_set_errno("cgroup %s", name);
		close(fd);
		return -1;
	}
	if (net_bpf_nested(&spec->net, fds->parent,
	    (unsigned long long)st.st_ino) == -1) {
		close(fd);
		return -1;
	}
	fds->cgroup = fd;
	return 0;
}

int
jail_net_cgroup(const struct jail_spec *spec, const struct cgroup_set *cg,
    struct jrecord *rec, struct jail_net_fds *fds)
{
	const struct cgroup_dir *d = cgroup_find(cg, NULL);
	const struct jnet *nj = &spec->net;

	/* cg->n == 0: a jail made in a jail, in its parent's cgroups, whose
	 * programs bind it (docs/design/nested-jails.md): inheriting the
	 * parent's network needs nothing more (reserved ports as the
	 * parent has), else it takes its part of the parent's. */
	if (cg->n == 0 && !nj->vnet && (nj->mode4 != JAILSYS_INHERIT ||
	    nj->mode6 != JAILSYS_INHERIT))
		return nested_part(spec, rec, fds);
	if (nj->vnet || (nj->mode4 == JAILSYS_INHERIT &&
	    nj->mode6 == JAILSYS_INHERIT && (!nj->reserved_ports || cg->n == 0)))
		return 0;
	if (d == NULL && nj->mode4 != JAILSYS_NEW && nj->mode6 != JAILSYS_NEW) {
		/*
		 * No cgroup2 (a v1-only host): seccomp refuses the disabled
		 * families' sockets; an inherited family then binds ports
		 * below 1024 only with the host's own rules.
		 */
		return 0;
	}
	if (d == NULL) {
		gerr_set("%s: inherited IP needs the cgroup2 hierarchy for its "
		    "BPF programs, and this host has none mounted", spec->name);
		return -1;
	}
	if (net_bpf_attach(nj, d->path, spec->children_max > 0 ? fds->keep :
	    NULL) == -1) {
		gerr_prefix("%s: ", spec->name);
		return -1;
	}
	return 0;
}

static char *
pin_path(int jid)
{
	return xasprintf("%s/netns/%d", gaol_rundir(), jid);
}

/*
 * Before it goes in: a veth (the epair of Linux), and its host end, get
 * the MACs the jail's name gives them, so that a restarted jail answers
 * with the MAC its neighbours remember.  A physical interface keeps its
 * own: it is stable already, and others may know it by it.
 */
static int
stable_mac(const char *jail, const char *ifname, int idx)
{
	unsigned char mac[6];
	int peer = net_link_veth_peer(-1, idx);

	if (peer == -1)
		return 0;
	net_vnet_mac(jail, ifname, false, mac);
	if (net_link_set_mac(-1, idx, mac) == -1)
		return -1;
	if (peer > 0) {
		net_vnet_mac(jail, ifname, true, mac);
		return net_link_set_mac(-1, peer, mac);
	}
	return 0;
}

int
jail_net_attach(const struct jail_spec *spec, struct jrecord *rec, pid_t init)
{
	char *pin AUTO_FREE = NULL, *dir AUTO_FREE = NULL;
	int ns AUTO_CLOSE = -1;
	int lo;

	if (!spec->net.vnet)
		return 0;
	pin = pin_path(rec->jid);
	dir = xasprintf("%s/netns", gaol_rundir());
	if (mkdir_p(dir, 0700) == -1 || intend(rec, "netns", pin) == -1 ||
	    net_netns_pin(init, pin) == -1)
		return -1;
	if ((ns = open(pin, O_RDONLY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", pin);
		return -1;
	}
	if ((lo = net_link_index(ns, "lo")) <= 0 ||
	    net_link_set_up(ns, lo) == -1) {
		if (lo == 0)
			gerr_set("%sthe jail's network has no lo", spec->who);
		return -1;
	}
	for (size_t i = 0; i < spec->vnet_interface.n; i++) {
		const char *name = spec->vnet_interface.v[i];
		char *arg AUTO_FREE = NULL, id[128];
		int idx;

		if ((idx = net_link_index(-1, name)) == -1)
			return -1;
		if (idx == 0) {
			gerr_set("vnet.interface: %s: no such interface", name);
			return -1;
		}
		/* Name, index and what it is, its MAC set: see iface_home. */
		if (stable_mac(spec->name, name, idx) == -1 ||
		    net_link_identity(-1, idx, id, sizeof(id)) == -1)
			return -1;
		arg = xasprintf("%s:%d:%s", name, idx, id);
		if (intend(rec, "iface", arg) == -1 ||
		    net_link_move(-1, idx, ns, NULL) == -1)
			return -1;
	}
	return net_netns_announce(ns);
}

bool
jail_net_owns(const char *kind)
{
	return strcmp(kind, "addr") == 0 || strcmp(kind, "nft") == 0 ||
	    strcmp(kind, "netns") == 0 || strcmp(kind, "iface") == 0;
}

/*
 * Move an interface back from the pinned namespace, under its own name.
 * The jail may have renamed it, and may have replaced it with one of its
 * own under the same index (deleted the original, made another with
 * `index N`): only an interface of the kind and hardware address recorded
 * before the move is ours to bring back.  One that is not is left to die
 * with the namespace; a jail-made one can never become a host interface.
 * The argument: "name:ifindex:identity" (older records: "name:ifindex").
 */
static int
iface_home(const struct jrecord *rec, const char *arg)
{
	char *pin AUTO_FREE = pin_path(rec->jid);
	char *name AUTO_FREE = xstrdup(arg);
	char *colon, *id = NULL, cur[IF_NAMESIZE], now[128] = "?";
	int ns AUTO_CLOSE = -1, host AUTO_CLOSE = -1;
	int idx = 0;

	if ((colon = strchr(name, ':')) != NULL) {
		*colon = '\0';
		idx = atoi(colon + 1);
		if ((id = strchr(colon + 1, ':')) != NULL)
			id++;
	}
	if ((ns = open(pin, O_RDONLY | O_CLOEXEC)) == -1) {
		/* Never pinned, or already gone: nothing to bring back. */
		if (errno == ENOENT)
			return 0;
		gerr_set_errno("%s", pin);
		return -1;
	}
	/* By index first: the jail may have renamed it. */
	if ((idx <= 0 || net_link_name(ns, idx, cur) == -1) &&
	    (idx = net_link_index(ns, name)) <= 0)
		return idx == 0 ? 0 : -1;	/* destroyed in the jail */
	if (id != NULL && (net_link_identity(ns, idx, now, sizeof(now)) == -1 ||
	    strcmp(now, id) != 0)) {
		gwarn("%s: %s was replaced in the jail (%s, not "
		    "%s): not returned to the host", rec->name, name, now, id);
		return 0;
	}
	if ((host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1) {
		gerr_set_errno("/proc/self/ns/net");
		return -1;
	}
	if (net_link_move(ns, idx, host, name) == -1) {
		gerr_prefix("%s: cannot return %s to the host: ", rec->name,
		    name);
		return -1;
	}
	return 0;
}

int
jail_net_undo(const struct jrecord *rec, const struct intent *it)
{
	if (strcmp(it->kind, "addr") == 0) {
		const char *a = strchr(it->arg, '|');
		struct jaddr na;

		a = a ? a + 1 : it->arg;
		if (jaddr_parse(it->arg, strchr(a, ':') ? AF_INET6 : AF_INET,
		    NULL, &na) == -1)
			return -1;
		return net_addr_del(&na);
	}
	if (strcmp(it->kind, "nft") == 0)
		return net_nft_jail_remove(atoi(it->arg));
	if (strcmp(it->kind, "netns") == 0)
		return net_netns_unpin(it->arg);
	if (strcmp(it->kind, "iface") == 0)
		return iface_home(rec, it->arg);
	gerr_set("%s: not a network intent: %s", rec->name, it->kind);
	return -1;
}

/* ---- port forwarding, for the manager ---- */

int
jail_rdr_add(const char *jail, const struct net_rdr *rin)
{
	struct net_rdr r = *rin;
	struct jrecord rec;
	char jid[16];
	bool have = false;
	int lock, res = -1;

	if ((lock = registry_lock()) == -1)
		return -1;
	if (registry_find(jail, &rec) == -1) {
		registry_unlock(lock);
		return -1;
	}
	if (r.to.family == 0) {
		const struct jnet *nj = &rec.net;

		if (nj->n4 + nj->n6 == 0) {
			gerr_set("%s: the jail has no address of its own: "
			    "give the address to forward to", rec.name);
			goto out;
		}
		r.to = nj->n4 > 0 ? nj->a4[0] : nj->a6[0];
	}
	snprintf(jid, sizeof(jid), "%d", rec.jid);
	for (size_t i = 0; i < rec.nintents; i++)
		have |= strcmp(rec.intents[i].kind, "nft") == 0;
	if (!have) {
		jrecord_add_intent(&rec, "nft", jid);
		if (registry_save(&rec) == -1)
			goto out;
	}
	res = net_rdr_add(rec.jid, &r);
out:
	registry_unlock(lock);
	jrecord_free(&rec);
	return res;
}

int
jail_rdr_list(const char *jail, struct net_rdr **v, size_t *n)
{
	struct jrecord rec;
	int res;

	if (registry_find(jail, &rec) == -1)
		return -1;
	res = net_rdr_list(rec.jid, v, n);
	jrecord_free(&rec);
	return res;
}

int
jail_rdr_clear(const char *jail)
{
	struct jrecord rec;
	int lock, res;

	if ((lock = registry_lock()) == -1)
		return -1;
	if (registry_find(jail, &rec) == -1) {
		registry_unlock(lock);
		return -1;
	}
	res = net_rdr_clear(rec.jid);
	registry_unlock(lock);
	jrecord_free(&rec);
	return res;
}
