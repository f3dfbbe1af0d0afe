/*
 * Inherited IP on a shared stack: FreeBSD's prison address checks as
 * cgroup BPF programs, compiled with clang -target bpf and loaded by
 * net/bpf.c through the skeleton bpftool makes of this object.  One
 * program per path by which a socket gets or uses an address:
 *
 *   sock_create	ip4/ip6 = disable: no socket of that family
 *   bind4, bind6	a wildcard takes the jail's address (when it has
 *			exactly one of the family; with several the
 *			wildcard stays and ingress keeps it to them);
 *			loopback becomes the jail's first address unless
 *			the jail has a loopback address; any address the
 *			jail does not own: EPERM.  Returns 3 (skip the
 *			CAP_NET_BIND_SERVICE check) with
 *			allow.reserved_ports, as FreeBSD lets jail root
 *			bind port 80.
 *   connect4/6		loopback destinations become the jail's address;
 *			an unbound socket is bound (port 0) to the jail's
 *			address, chosen on the destination's subnet with
 *			ipN.saddrsel, else the first; a failed bind
 *			refuses the connect.
 *   sendmsg4/6		unconnected UDP: loopback mapped as above; the
 *			source (bound address or IP_PKTINFO) must be the
 *			jail's, and none gets the jail's.
 *   ingress		packets delivered to the jail's sockets must be
 *			addressed to the jail (or be multicast or
 *			broadcast): sockets the kernel bound to the
 *			wildcard without a bind(2) pass no other hook.
 *
 * IPv4-mapped IPv6 addresses follow the IPv4 rules.  The jail's settings
 * are read-only data fixed before loading (the verifier drops what they
 * rule out); its addresses are in maps.  docs/design/inherit-bpf.md.
 *
 * With children.max > 0, a socket made in a nested jail's cgroup (below
 * the jail's procs leaf) is held to that nested jail's part of the
 * addresses (the children map), never more than the jail's own.
 * docs/design/nested-jails.md, "A subset of the parent's addresses".
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "inherit.h"

#define DENY	refuse()
#define ALLOW	1

/*
 * 0, opaque to the compiler: it would otherwise return a count it has
 * just found to be 0 ("return n4"), a value the verifier cannot bound.
 */
static __always_inline int
refuse(void)
{
	int r = 0;

	barrier_var(r);
	return r;
}

/* Linux ABI values; glibc's headers are not for the BPF target. */
#define AF_INET		2
#define AF_INET6	10

/* Set by the loader; the defaults are never used. */
const volatile __u32 mode4 = INHERIT_DISABLE, mode6 = INHERIT_DISABLE;
const volatile __u32 bind_ok = ALLOW;	/* 3 with allow.reserved_ports */
const volatile __u32 n4, n6;		/* addresses of each family */
const volatile bool saddrsel4, saddrsel6;
const volatile bool has_lo4, has_lo6;	/* the jail has a loopback address */
const volatile __u32 first4;		/* network order, as in the ctx */
const volatile struct inherit_addr6 first6;
/* children.max > 0: nested jails may take a part of the addresses. */
const volatile bool nesting;
const volatile __u64 jail_cg;		/* the cgroup2 id of jail-JID */

/* The jail's addresses, for "is it the jail's?": address -> index. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);		/* the loader sets n4 */
} addrs4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct inherit_addr6);
	__type(value, __u32);
	__uint(max_entries, 1);
} addrs6 SEC(".maps");

/* The same in their order, with their subnets, for choosing a source. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct inherit_net4);
	__uint(max_entries, 1);
} nets4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct inherit_net6);
	__uint(max_entries, 1);
} nets6 SEC(".maps");

/*
 * The nested jail a socket was made in (its cgroup id), stored by
 * sock_create: bind(2) is made by the jail's init on the caller's
 * socket (unixbind.c), so the caller's cgroup is not the current
 * task's there, and these hooks have no helper for a socket's cgroup.
 * Accepted sockets inherit it (BPF_F_CLONE).
 */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, __u64);
} maker SEC(".maps");

/* Nested jails' shares, by their cgroup id (inherit.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64);
	__type(value, struct inherit_child);
	__uint(max_entries, INHERIT_CHILDREN_MAX);
} children SEC(".maps");

/*
 * Whose addresses apply: the jail's own, or a nested jail's part of
 * them.  mask: which of the jail's addresses (by index) are allowed.
 */
struct view {
	__u64			mask4, mask6;
	__u32			n4, n6, first4;
	struct inherit_addr6	first6;
	bool			off4, off6;	/* the family is disabled */
	bool			lo4, lo6, sel4, sel6;
};

static __always_inline bool
owned(__u64 mask, __u32 i)
{
	return i < INHERIT_MASK_BITS ? (mask >> i) & 1 : mask == ~0ULL;
}

/*
 * The cgroup two levels below the jail's (jail-JID/procs/NESTED) that
 * the caller (skb == NULL) or the packet's socket is in; 0: none.  The
 * jail's level is found by its id: the loader cannot know the level
 * when it runs in a cgroup namespace.
 */
#define MAX_LEVEL	32

static __always_inline __u64
nested_task(void)
{
	for (int l = 1; l < MAX_LEVEL; l++) {
		__u64 id = bpf_get_current_ancestor_cgroup_id(l);

		if (id == 0)
			return 0;
		if (id == jail_cg)
			return bpf_get_current_ancestor_cgroup_id(l + 2);
	}
	return 0;
}

static __always_inline __u64
nested_skb(struct __sk_buff *skb)
{
	for (int l = 1; l < MAX_LEVEL; l++) {
		__u64 id = bpf_skb_ancestor_cgroup_id(skb, l);

		if (id == 0)
			return 0;
		if (id == jail_cg)
			return bpf_skb_ancestor_cgroup_id(skb, l + 2);
	}
	return 0;
}

static __always_inline __u32
net4_addr(__u32 i)
{
	struct inherit_net4 *n = bpf_map_lookup_elem(&nets4, &i);

	return n != NULL ? n->addr : 0;
}

/* A nested jail's entry over the jail's own view: it only narrows. */
static __always_inline void
narrow(struct view *v, const struct inherit_child *c)
{
	v->mask4 = c->mask4;
	v->mask6 = c->mask6;
	v->off4 = v->off4 || c->mode4 == INHERIT_DISABLE;
	v->off6 = v->off6 || c->mode6 == INHERIT_DISABLE;
	v->lo4 = v->lo4 && c->has_lo4;
	v->lo6 = v->lo6 && c->has_lo6;
	v->sel4 = c->saddrsel4;
	v->sel6 = c->saddrsel6;
	v->n4 = c->n4;
	v->n6 = c->n6;
	/* A first address that is not in the part: none at all. */
	if (!owned(c->mask4, c->first4))
		v->n4 = 0;
	else
		v->first4 = net4_addr(c->first4);
	if (!owned(c->mask6, c->first6)) {
		v->n6 = 0;
	} else {
		__u32 i = c->first6;
		struct inherit_net6 *n = bpf_map_lookup_elem(&nets6, &i);

		if (n != NULL)
			v->first6 = n->addr;
		else
			v->n6 = 0;
	}
}

static __always_inline __u64
nested_sock(struct bpf_sock *sk)
{
	__u64 *cg = bpf_sk_storage_get(&maker, sk, 0, 0);

	return cg != NULL ? *cg : 0;
}

#define OF_TASK()	(nesting ? nested_task() : 0)
#define OF_SOCK(ctx)	(nesting ? nested_sock((ctx)->sk) : 0)
#define OF_SKB(skb)	(nesting ? nested_skb(skb) : 0)

/* The view for cg, a nested jail's cgroup or 0 (OF_*). */
static __always_inline void
view_of(struct view *v, __u64 cg)
{
	struct inherit_child *c;

	v->mask4 = v->mask6 = ~0ULL;
	v->n4 = n4;
	v->n6 = n6;
	v->first4 = first4;
	v->first6.w[0] = first6.w[0];
	v->first6.w[1] = first6.w[1];
	v->first6.w[2] = first6.w[2];
	v->first6.w[3] = first6.w[3];
	v->off4 = mode4 == INHERIT_DISABLE;
	v->off6 = mode6 == INHERIT_DISABLE;
	v->lo4 = has_lo4;
	v->lo6 = has_lo6;
	v->sel4 = saddrsel4;
	v->sel6 = saddrsel6;
	if (nesting && cg != 0 && (c = bpf_map_lookup_elem(&children, &cg)) != NULL)
		narrow(v, c);
}

static __always_inline bool
is_lo4(__u32 a)
{
	return bpf_ntohl(a) >> 24 == 127;
}

static __always_inline bool
is_lo6(const struct inherit_addr6 *a)
{
	return a->w[0] == 0 && a->w[1] == 0 && a->w[2] == 0 &&
	    a->w[3] == bpf_htonl(1);
}

static __always_inline bool
is_mapped(const struct inherit_addr6 *a)
{
	return a->w[0] == 0 && a->w[1] == 0 && a->w[2] == bpf_htonl(0xffff);
}

static __always_inline bool
mine4(const struct view *v, __u32 a)
{
	__u32 *i = bpf_map_lookup_elem(&addrs4, &a);

	return i != NULL && owned(v->mask4, *i);
}

static __always_inline bool
mine6(const struct view *v, const struct inherit_addr6 *a)
{
	__u32 *i = bpf_map_lookup_elem(&addrs6, a);

	return i != NULL && owned(v->mask6, *i);
}

/* The context's fields are read and written a word at a time. */
static __always_inline void
get6(struct inherit_addr6 *a, const __u32 *f)
{
	a->w[0] = f[0];
	a->w[1] = f[1];
	a->w[2] = f[2];
	a->w[3] = f[3];
}

static __always_inline void
put6(__u32 *f, const struct inherit_addr6 *a)
{
	f[0] = a->w[0];
	f[1] = a->w[1];
	f[2] = a->w[2];
	f[3] = a->w[3];
}

/* ---- source selection ---- */

struct pick4 {
	__u32	dst, src;
	__u64	mask;
};

static long
pick4_at(__u32 i, void *arg)
{
	struct pick4 *p = arg;
	struct inherit_net4 *n = bpf_map_lookup_elem(&nets4, &i);

	if (n == NULL || n->mask == 0 || !owned(p->mask, i))
		return 0;
	if ((p->dst & n->mask) != (n->addr & n->mask))
		return 0;
	p->src = n->addr;
	return 1;
}

/* The first jail address on dst's subnet with saddrsel, else the first. */
static __always_inline __u32
choose_src4(const struct view *v, __u32 dst)
{
	struct pick4 p = { dst, v->first4, v->mask4 };

	if (v->sel4)
		bpf_loop(n4, pick4_at, &p, 0);
	return p.src;
}

struct pick6 {
	struct inherit_addr6	dst, src;
	__u64			mask;
};

static long
pick6_at(__u32 i, void *arg)
{
	struct pick6 *p = arg;
	struct inherit_net6 *n = bpf_map_lookup_elem(&nets6, &i);

	if (n == NULL || (n->mask[0] | n->mask[1] | n->mask[2] |
	    n->mask[3]) == 0 || !owned(p->mask, i))
		return 0;
	for (int w = 0; w < 4; w++)
		if ((p->dst.w[w] & n->mask[w]) != (n->addr.w[w] & n->mask[w]))
			return 0;
	p->src = n->addr;
	return 1;
}

static __always_inline struct inherit_addr6
choose_src6(const struct view *v, const struct inherit_addr6 *dst)
{
	struct pick6 p = { *dst, v->first6, v->mask6 };

	if (v->sel6)
		bpf_loop(n6, pick6_at, &p, 0);
	return p.src;
}

/* ---- sock_create ---- */

SEC("cgroup/sock_create")
int
gaol_create(struct bpf_sock *sk)
{
	__u64 cg = OF_TASK();
	struct view v;

	if (cg != 0) {
		__u64 *made = bpf_sk_storage_get(&maker, sk, 0,
		    BPF_SK_STORAGE_GET_F_CREATE);

		if (made == NULL)
			return DENY;
		*made = cg;
	}
	view_of(&v, cg);
	if (sk->family == AF_INET && v.off4)
		return DENY;
	if (sk->family == AF_INET6 && v.off6)
		return DENY;
	return ALLOW;
}

/* ---- bind ---- */

SEC("cgroup/bind4")
int
gaol_bind4(struct bpf_sock_addr *ctx)
{
	__u32 a = ctx->user_ip4;
	struct view v;

	if (mode4 == INHERIT_INHERIT)
		return bind_ok;
	view_of(&v, OF_SOCK(ctx));
	if (a == 0) {
		if (v.n4 == 0)
			return DENY;
		if (v.n4 == 1)
			ctx->user_ip4 = v.first4;
		return bind_ok;
	}
	if (mine4(&v, a))
		return bind_ok;
	if (!v.lo4 && v.n4 > 0 && is_lo4(a)) {
		ctx->user_ip4 = v.first4;
		return bind_ok;
	}
	return DENY;
}

/* An IPv4-mapped address a on an IPv6 socket: the IPv4 rules, no wildcard. */
static __always_inline int
bind_mapped(struct bpf_sock_addr *ctx, const struct view *v, __u32 a)
{
	if (mode4 == INHERIT_INHERIT)
		return bind_ok;
	if (v->off4 || v->n4 == 0)
		return DENY;
	if (mine4(v, a))
		return bind_ok;
	if (!v->lo4 && is_lo4(a)) {
		ctx->user_ip6[3] = v->first4;
		return bind_ok;
	}
	return DENY;
}

SEC("cgroup/bind6")
int
gaol_bind6(struct bpf_sock_addr *ctx)
{
	struct inherit_addr6 a;
	struct view v;

	if (mode6 == INHERIT_INHERIT)
		return bind_ok;
	view_of(&v, OF_SOCK(ctx));
	get6(&a, ctx->user_ip6);
	if (is_mapped(&a))
		return bind_mapped(ctx, &v, a.w[3]);
	if ((a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0) {
		if (v.n6 == 0)
			return DENY;
		if (v.n6 == 1)
			put6(ctx->user_ip6, &v.first6);
		return bind_ok;
	}
	if (mine6(&v, &a))
		return bind_ok;
	if (!v.lo6 && v.n6 > 0 && is_lo6(&a)) {
		put6(ctx->user_ip6, &v.first6);
		return bind_ok;
	}
	return DENY;
}

/* ---- connect and sendmsg ---- */

static __always_inline int
bind_src4(struct bpf_sock_addr *ctx, __u32 src)
{
	struct sockaddr_in sa = {};

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = src;
	return bpf_bind(ctx, (struct sockaddr *)&sa, sizeof(sa)) == 0 ?
	    ALLOW : DENY;
}

static __always_inline int
bind_src6(struct bpf_sock_addr *ctx, const struct inherit_addr6 *src)
{
	struct sockaddr_in6 sa = {};

	sa.sin6_family = AF_INET6;
	__builtin_memcpy(&sa.sin6_addr, src, sizeof(*src));
	return bpf_bind(ctx, (struct sockaddr *)&sa, sizeof(sa)) == 0 ?
	    ALLOW : DENY;
}

/* The destination, loopback taken to the jail's first address. */
static __always_inline __u32
dst4(struct bpf_sock_addr *ctx, const struct view *v)
{
	__u32 d = ctx->user_ip4;

	if (!v->lo4 && is_lo4(d)) {
		d = v->first4;
		ctx->user_ip4 = d;
	}
	return d;
}

SEC("cgroup/connect4")
int
gaol_connect4(struct bpf_sock_addr *ctx)
{
	struct view v;
	__u32 d;

	view_of(&v, OF_SOCK(ctx));
	if (v.n4 == 0)
		return DENY;
	d = dst4(ctx, &v);
	if (ctx->sk->src_ip4 != 0)
		return ALLOW;
	return bind_src4(ctx, choose_src4(&v, d));
}

SEC("cgroup/sendmsg4")
int
gaol_sendmsg4(struct bpf_sock_addr *ctx)
{
	struct view v;
	__u32 d, src;

	view_of(&v, OF_SOCK(ctx));
	/* With ip4 = disable, IPv4-mapped sends of IPv6 sockets come here. */
	if (v.off4 || (mode4 == INHERIT_NEW && v.n4 == 0))
		return DENY;
	if (mode4 == INHERIT_INHERIT)
		return ALLOW;
	d = dst4(ctx, &v);
	src = ctx->msg_src_ip4;
	if (src == 0) {
		ctx->msg_src_ip4 = choose_src4(&v, d);
		return ALLOW;
	}
	return mine4(&v, src) ? ALLOW : DENY;
}

/* connect6 / sendmsg6 to an IPv4-mapped destination. */
static __always_inline int
connect_mapped(struct bpf_sock_addr *ctx, const struct view *v, bool sendmsg)
{
	struct inherit_addr6 src;
	__u32 d;

	if (v->off4 || (mode4 == INHERIT_NEW && v->n4 == 0))
		return DENY;
	/* The kernel sends these through udp_sendmsg: sendmsg4's. */
	if (sendmsg || mode4 == INHERIT_INHERIT)
		return ALLOW;
	d = ctx->user_ip6[3];
	if (!v->lo4 && is_lo4(d)) {
		d = v->first4;
		ctx->user_ip6[3] = d;
	}
	if (ctx->sk->src_ip6[3] != 0)
		return ALLOW;
	src.w[0] = 0;
	src.w[1] = 0;
	src.w[2] = bpf_htonl(0xffff);
	src.w[3] = choose_src4(v, d);
	return bind_src6(ctx, &src);
}

static __always_inline int
connect6_any(struct bpf_sock_addr *ctx, bool sendmsg)
{
	struct inherit_addr6 d, src;
	struct bpf_sock *sk;
	struct view v;

	view_of(&v, OF_SOCK(ctx));
	get6(&d, ctx->user_ip6);
	if (is_mapped(&d))
		return connect_mapped(ctx, &v, sendmsg);
	if (v.n6 == 0)
		return DENY;
	if (!v.lo6 && is_lo6(&d)) {
		d = v.first6;
		put6(ctx->user_ip6, &d);
	}
	if (sendmsg) {
		get6(&src, ctx->msg_src_ip6);
		if ((src.w[0] | src.w[1] | src.w[2] | src.w[3]) == 0) {
			src = choose_src6(&v, &d);
			put6(ctx->msg_src_ip6, &src);
			return ALLOW;
		}
		return mine6(&v, &src) ? ALLOW : DENY;
	}
	/* Bound already (bind6 checked the address)? */
	sk = ctx->sk;
	if ((sk->src_ip6[0] | sk->src_ip6[1] | sk->src_ip6[2] |
	    sk->src_ip6[3]) != 0)
		return ALLOW;
	src = choose_src6(&v, &d);
	return bind_src6(ctx, &src);
}

SEC("cgroup/connect6")
int
gaol_connect6(struct bpf_sock_addr *ctx)
{
	return connect6_any(ctx, false);
}

SEC("cgroup/sendmsg6")
int
gaol_sendmsg6(struct bpf_sock_addr *ctx)
{
	return connect6_any(ctx, true);
}

/* ---- ingress ---- */

SEC("cgroup_skb/ingress")
int
gaol_ingress(struct __sk_buff *skb)
{
	struct view v;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		__u32 d;

		if (mode4 == INHERIT_INHERIT)
			return ALLOW;
		view_of(&v, OF_SKB(skb));
		if (bpf_skb_load_bytes(skb, 16, &d, 4) != 0)	/* daddr */
			return DENY;
		return mine4(&v, d) || d == 0xffffffff ||
		    bpf_ntohl(d) >> 28 == 0xe ? ALLOW : DENY;
	}
	if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct inherit_addr6 d;

		if (mode6 == INHERIT_INHERIT)
			return ALLOW;
		view_of(&v, OF_SKB(skb));
		if (bpf_skb_load_bytes(skb, 24, &d, 16) != 0)	/* daddr */
			return DENY;
		/* IPv4-mapped never appears on the wire; IPv4 packets to
		 * a dual-stack socket came the way above. */
		return mine6(&v, &d) || bpf_ntohl(d.w[0]) >> 24 == 0xff ?
		    ALLOW : DENY;
	}
	return ALLOW;
}

/* GPL-compatible, as the kernel wants for bpf_loop and bpf_bind. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";
