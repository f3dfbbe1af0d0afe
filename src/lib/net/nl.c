/*
 * Raw rtnetlink: the few link and address requests gaol needs, with no
 * library between us and the kernel.  A request can go to another
 * network namespace: the socket is opened there (setns, socket, setns
 * back), which works because a socket stays in the namespace it was made
 * in.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "net.h"

struct nlreq {
	struct nlmsghdr	 h;
	char		 buf[1024];
};

int
net_ns_enter(int ns)
{
	int self;

	if (ns < 0)
		return -2;
	if ((self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) == -1) {
		gerr_set_errno("/proc/self/ns/net");
		return -1;
	}
	if (setns(ns, CLONE_NEWNET) == -1) {
		gerr_set_errno("setns to the jail's network");
		close(self);
		return -1;
	}
	return self;
}

void
net_ns_leave(int self)
{
	int saved = errno;

	if (self < 0)
		return;
	if (setns(self, CLONE_NEWNET) == -1) {
		/* Cannot go on in the wrong namespace. */
		perror("gaol: setns back to the host network");
		abort();
	}
	close(self);
	errno = saved;
}

/* A NETLINK_ROUTE socket in ns (< 0: ours). */
static int
nl_open(int ns)
{
	int self, fd;

	if ((self = net_ns_enter(ns)) == -1)
		return -1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	net_ns_leave(self);
	if (fd == -1)
		gerr_set_errno("netlink socket");
	return fd;
}

static void
addattr(struct nlmsghdr *h, int type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len > 0)
		memcpy(RTA_DATA(rta), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/*
 * Send one request and read until its ACK or error.  With a reply
 * buffer, the first answer message is copied there (for GET requests).
 * Returns 0, or -errno from the kernel's answer (the message not set).
 */
static int
nl_talk(int ns, struct nlmsghdr *h, void *reply, size_t replylen)
{
	char buf[16384];
	int fd, r = -EIO;
	bool got = false;

	if ((fd = nl_open(ns)) == -1)
		return -EIO;
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = 1;
	if (send(fd, h, h->nlmsg_len, 0) == -1) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *m;

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n == 0 ? -EIO : -errno;
			break;
		}
		for (m = (struct nlmsghdr *)buf; NLMSG_OK(m, (size_t)n);
		    m = NLMSG_NEXT(m, n)) {
			if (m->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(m);

				r = e->error;
				goto out;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				r = 0;
				goto out;
			}
			if (reply != NULL && !got) {
				memcpy(reply, m, m->nlmsg_len < replylen ?
				    m->nlmsg_len : replylen);
				got = true;
			}
		}
	}
out:
	close(fd);
	return r;
}

int
net_link_index(int ns, const char *ifname)
{
	struct nlreq req = { 0 };
	struct ifinfomsg *ifi;
	int r;

	if (strlen(ifname) >= IF_NAMESIZE)
		return 0;
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_GETLINK;
	ifi = NLMSG_DATA(&req.h);
	ifi->ifi_family = AF_UNSPEC;
	addattr(&req.h, IFLA_IFNAME, ifname, strlen(ifname) + 1);
	{
		char reply[4096];

		r = nl_talk(ns, &req.h, reply, sizeof(reply));
		if (r == -ENODEV)
			return 0;
		if (r < 0) {
			errno = -r;
			gerr_set_errno("%s", ifname);
			return -1;
		}
		ifi = NLMSG_DATA((struct nlmsghdr *)reply);
		return ifi->ifi_index;
	}
}

/*
 * RTM_GETLINK of ifindex in ns, answered into reply (the size nl_talk
 * reads at most, so that no answer is cut); its attributes through
 * *rta and *len.
 */
static int
getlink(int ns, int ifindex, char reply[16384], struct rtattr **rta, int *len)
{
	struct nlreq req = { 0 };
	struct nlmsghdr *m = (struct nlmsghdr *)reply;
	struct ifinfomsg *ifi;

	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_GETLINK;
	ifi = NLMSG_DATA(&req.h);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	memset(reply, 0, 16384);
	if (nl_talk(ns, &req.h, reply, 16384) < 0 ||
	    m->nlmsg_type != RTM_NEWLINK)
		return -1;
	*len = (int)m->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	*rta = IFLA_RTA(NLMSG_DATA(m));
	return 0;
}

/* IFLA_INFO_KIND inside an IFLA_LINKINFO attribute, into kind. */
static void
link_kind(const struct rtattr *linkinfo, char *kind, size_t size)
{
	const struct rtattr *in = RTA_DATA(linkinfo);
	int len = (int)RTA_PAYLOAD(linkinfo);

	for (; RTA_OK(in, len); in = RTA_NEXT(in, len))
		if (in->rta_type == IFLA_INFO_KIND)
			snprintf(kind, size, "%.*s", (int)RTA_PAYLOAD(in),
			    (const char *)RTA_DATA(in));
}

int
net_link_name(int ns, int ifindex, char *name)
{
	static char reply[16384];
	struct rtattr *rta;
	int len;

	if (getlink(ns, ifindex, reply, &rta, &len) == -1)
		return -1;
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_IFNAME) {
			snprintf(name, IF_NAMESIZE, "%s", (char *)RTA_DATA(rta));
			return 0;
		}
	return -1;
}

/*
 * What an interface is, beyond its index and name (both of which a jail
 * can give an interface it made): its kind and hardware address, as
 * "kind/hexaddr" ("veth/02aabbccddee"; "/..." for a device with no kind,
 * such as a physical one, whose permanent address is used when it has
 * one).
 */
int
net_link_identity(int ns, int ifindex, char *out, size_t size)
{
	static char reply[16384];
	char kind[32] = "", addr[2 * 32 + 1] = "";
	struct rtattr *rta;
	bool perm = false;
	int len;

	if (getlink(ns, ifindex, reply, &rta, &len) == -1)
		return -1;
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t n = RTA_PAYLOAD(rta);
		const unsigned char *d = RTA_DATA(rta);

		if ((rta->rta_type == IFLA_ADDRESS && !perm) ||
		    rta->rta_type == IFLA_PERM_ADDRESS) {
			perm = rta->rta_type == IFLA_PERM_ADDRESS;
			for (size_t i = 0; i < n && i < 32; i++)
				snprintf(addr + 2 * i, 3, "%02x", d[i]);
		} else if (rta->rta_type == IFLA_LINKINFO)
			link_kind(rta, kind, sizeof(kind));
	}
	kind[strcspn(kind, "/:")] = '\0';
	snprintf(out, size, "%s/%s", kind, addr);
	return 0;
}

static int
setlink(int ns, int ifindex, unsigned flags, unsigned change, int tonsfd,
    const char *newname)
{
	struct nlreq req = { 0 };
	struct ifinfomsg *ifi;

	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_NEWLINK;
	ifi = NLMSG_DATA(&req.h);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	if (tonsfd >= 0) {
		unsigned int v = (unsigned int)tonsfd;

		addattr(&req.h, IFLA_NET_NS_FD, &v, sizeof(v));
	}
	if (newname != NULL)
		addattr(&req.h, IFLA_IFNAME, newname, strlen(newname) + 1);
	return nl_talk(ns, &req.h, NULL, 0);
}

int
net_link_set_up(int ns, int ifindex)
{
	int r = setlink(ns, ifindex, IFF_UP, IFF_UP, -1, NULL);

	if (r < 0) {
		errno = -r;
		gerr_set_errno("set link %d up", ifindex);
		return -1;
	}
	return 0;
}

int
net_link_set_mac(int ns, int ifindex, const unsigned char mac[6])
{
	struct nlreq req = { 0 };
	struct ifinfomsg *ifi;
	int r;

	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	req.h.nlmsg_type = RTM_NEWLINK;
	ifi = NLMSG_DATA(&req.h);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	addattr(&req.h, IFLA_ADDRESS, mac, 6);
	if ((r = nl_talk(ns, &req.h, NULL, 0)) < 0) {
		char name[IF_NAMESIZE] = "";

		(void)net_link_name(ns, ifindex, name);
		errno = -r;
		gerr_set_errno("%s: set its MAC address",
		    name[0] ? name : "interface");
		return -1;
	}
	return 0;
}

int
net_link_veth_peer(int ns, int ifindex)
{
	static char reply[16384];
	char kind[32] = "";
	struct rtattr *rta;
	int len, peer = 0;
	bool elsewhere = false;

	if (getlink(ns, ifindex, reply, &rta, &len) == -1)
		return -1;
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_LINK &&
		    RTA_PAYLOAD(rta) >= sizeof(int))
			memcpy(&peer, RTA_DATA(rta), sizeof(int));
		/* The peer's index is then another namespace's. */
		if (rta->rta_type == IFLA_LINK_NETNSID)
			elsewhere = true;
		if (rta->rta_type == IFLA_LINKINFO)
			link_kind(rta, kind, sizeof(kind));
	}
	if (strcmp(kind, "veth") != 0)
		return -1;
	return !elsewhere && peer != ifindex ? peer : 0;
}

int
net_link_move(int ns, int ifindex, int tonsfd, const char *newname)
{
	int r = setlink(ns, ifindex, 0, 0, tonsfd, newname);

	if (r < 0) {
		char name[IF_NAMESIZE] = "";

		(void)net_link_name(ns, ifindex, name);
		errno = -r;
		if (r == -EEXIST && newname != NULL)
			gerr_set("%s: an interface of that name already exists "
			    "in the target namespace", newname);
		else if (r == -EINVAL)
			gerr_set("%s: this kind of interface cannot change "
			    "network namespace", name[0] ? name : "interface");
		else
			gerr_set_errno("%s: move to another network namespace",
			    name[0] ? name : "interface");
		return -1;
	}
	return 0;
}

static int
addr_req(const struct jaddr *a, int type, int flags)
{
	struct nlreq req = { 0 };
	struct ifaddrmsg *ifa;
	size_t alen = a->family == AF_INET ? 4 : 16;
	int idx;

	if ((idx = net_link_index(-1, a->ifname)) <= 0) {
		if (idx == 0)
			gerr_set("%s: no such interface", a->ifname);
		return -ENODEV;
	}
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	req.h.nlmsg_type = (unsigned short)type;
	req.h.nlmsg_flags = (unsigned short)flags;
	ifa = NLMSG_DATA(&req.h);
	ifa->ifa_family = (unsigned char)a->family;
	ifa->ifa_prefixlen = (unsigned char)a->prefix;
	ifa->ifa_index = (unsigned)idx;
	if (a->family == AF_INET6)
		/* A jail's address must be usable at once: no DAD wait. */
		ifa->ifa_flags = IFA_F_NODAD;
	addattr(&req.h, IFA_LOCAL, a->addr, alen);
	addattr(&req.h, IFA_ADDRESS, a->addr, alen);
	return nl_talk(-1, &req.h, NULL, 0);
}

int
net_addr_add(const struct jaddr *a)
{
	int r = addr_req(a, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);

	if (r == -ENODEV)
		return -1;
	if (r < 0) {
		char *s = jaddr_format(a);

		errno = -r;
		gerr_set_errno("%s: add address", s);
		free(s);
		return -1;
	}
	return 0;
}

int
net_addr_del(const struct jaddr *a)
{
	int r = addr_req(a, RTM_DELADDR, 0);

	if (r == -ENODEV || r == -EADDRNOTAVAIL || r == -ENOENT)
		return 0;	/* gone with its interface, or never made */
	if (r < 0) {
		char *s = jaddr_format(a);

		errno = -r;
		gerr_set_errno("%s: remove address", s);
		free(s);
		return -1;
	}
	return 0;
}

int
net_addr_present(const struct jaddr *a)
{
	struct nlreq req = { 0 };
	struct ifaddrmsg *ifa;
	char buf[32768];
	int fd, idx, found = 0;

	if ((idx = net_link_index(-1, a->ifname)) <= 0) {
		if (idx == 0)
			gerr_set("%s: no such interface", a->ifname);
		return -1;
	}
	if ((fd = nl_open(-1)) == -1)
		return -1;
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	req.h.nlmsg_type = RTM_GETADDR;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = NLMSG_DATA(&req.h);
	ifa->ifa_family = (unsigned char)a->family;
	if (send(fd, &req, req.h.nlmsg_len, 0) == -1) {
		gerr_set_errno("netlink");
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *m;

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (m = (struct nlmsghdr *)buf; NLMSG_OK(m, (size_t)n);
		    m = NLMSG_NEXT(m, n)) {
			struct ifaddrmsg *im = NLMSG_DATA(m);
			struct rtattr *rta;
			int len;

			if (m->nlmsg_type == NLMSG_DONE ||
			    m->nlmsg_type == NLMSG_ERROR)
				goto out;
			if (m->nlmsg_type != RTM_NEWADDR ||
			    (int)im->ifa_index != idx)
				continue;
			len = (int)IFA_PAYLOAD(m);
			for (rta = IFA_RTA(im); RTA_OK(rta, len);
			    rta = RTA_NEXT(rta, len))
				if ((rta->rta_type == IFA_LOCAL ||
				    (rta->rta_type == IFA_ADDRESS &&
				    a->family == AF_INET6)) &&
				    memcmp(RTA_DATA(rta), a->addr,
				    a->family == AF_INET ? 4 : 16) == 0)
					found = 1;
		}
	}
out:
	close(fd);
	return found;
}
