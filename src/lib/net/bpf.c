/*
 * Inherited IP on a shared stack: cgroup BPF programs, assembled here
 * from raw instructions (no clang, no libbpf at run time), one per path
 * by which a socket gets or uses an address.  Each program is built for
 * one jail, with its addresses as immediates:
 *
 *   sock_create	ip4/ip6 = disable: no socket of that family
 *   bind4, bind6	a wildcard bind takes the jail's address (when it
 *			has one of that family; with several the wildcard
 *			stays and the ingress filter keeps it to them);
 *			127.0.0.1 / ::1 become the jail's first address
 *			unless the jail has a loopback address; any other
 *			address the jail does not own: EPERM.  Returns 3
 *			(skip the CAP_NET_BIND_SERVICE check) when
 *			allow.reserved_ports, as FreeBSD lets jail root
 *			bind port 80.
 *   connect4/6		127.0.0.1 / ::1 as destination become the jail's
 *			address; an unbound socket is bound (bpf_bind,
 *			port 0) to the jail's address, chosen on the
 *			destination's subnet when ipN.saddrsel, else the
 *			first; failure to bind refuses the connect.
 *   sendmsg4/6		unconnected UDP: loopback mapped as above; the
 *			source (IP_PKTINFO) must be the jail's, and an
 *			unbound socket's source is set to it.
 *   ingress		packets delivered to the jail's sockets must be
 *			addressed to the jail (or be multicast or
 *			broadcast): covers sockets the kernel bound to the
 *			wildcard without a bind(2) (listen, sendto, and a
 *			wildcard bind in a jail of several addresses).
 *
 * IPv4-mapped IPv6 addresses follow the IPv4 rules.  docs/design/network.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include "net.h"
#include "../util/bpf.h"

struct fixup {
	size_t	at;		/* the jump instruction */
	int	label;
};

struct prog {
	struct bpf_insn	*v;
	size_t		 n, cap;
	int		*labels;	/* label -> instruction index, -1 */
	int		 nlabels;
	struct fixup	*fix;
	size_t		 nfix;
};

static void
emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
    int32_t imm)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap, sizeof(*p->v));
	}
	p->v[p->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst,
	    .src_reg = src, .off = off, .imm = imm };
}

static int
label(struct prog *p)
{
	p->labels = xrealloc(p->labels, (size_t)p->nlabels + 1, sizeof(int));
	p->labels[p->nlabels] = -1;
	return p->nlabels++;
}

static void
place(struct prog *p, int l)
{
	p->labels[l] = (int)p->n;
}

/* A jump to a label: op is BPF_JEQ etc.; cls BPF_JMP32 or BPF_JMP. */
static void
jmp_imm(struct prog *p, uint8_t cls, uint8_t op, uint8_t reg, uint32_t imm,
    int l)
{
	p->fix = xrealloc(p->fix, p->nfix + 1, sizeof(*p->fix));
	p->fix[p->nfix++] = (struct fixup){ p->n, l };
	emit(p, cls | op | BPF_K, reg, 0, 0, (int32_t)imm);
}

static void
ja(struct prog *p, int l)
{
	jmp_imm(p, BPF_JMP, BPF_JA, 0, 0, l);
	p->v[p->n - 1].code = BPF_JMP | BPF_JA;
}

#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define R6 6
#define R7 7
#define R8 8
#define R10 10

static void mov_imm(struct prog *p, uint8_t r, uint32_t v)
{ emit(p, BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, (int32_t)v); }
static void mov_reg(struct prog *p, uint8_t d, uint8_t s)
{ emit(p, BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0); }
static void ldx(struct prog *p, uint8_t size, uint8_t d, uint8_t s, int16_t off)
{ emit(p, BPF_LDX | BPF_MEM | size, d, s, off, 0); }
static void stx(struct prog *p, uint8_t size, uint8_t d, uint8_t s, int16_t off)
{ emit(p, BPF_STX | BPF_MEM | size, d, s, off, 0); }
static void st(struct prog *p, uint8_t size, uint8_t d, int16_t off, int32_t v)
{ emit(p, BPF_ST | BPF_MEM | size, d, 0, off, v); }
static void and32(struct prog *p, uint8_t r, uint32_t v)
{ emit(p, BPF_ALU | BPF_AND | BPF_K, r, 0, 0, (int32_t)v); }
static void add64(struct prog *p, uint8_t r, int32_t v)
{ emit(p, BPF_ALU64 | BPF_ADD | BPF_K, r, 0, 0, v); }
static void call(struct prog *p, int fn)
{ emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, fn); }

static void
ret(struct prog *p, int v)
{
	mov_imm(p, R0, (uint32_t)v);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static bool
is_jump(const struct bpf_insn *in)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL &&
	    op != BPF_EXIT;
}

/*
 * Resolve the labels, then drop the instructions no path reaches (the
 * verifier refuses them), which lets the generators stay simple.
 */
static int
finish(struct prog *p)
{
	bool *reach;
	int *newidx, *stack, sp = 0;
	size_t n = 0;

	for (size_t i = 0; i < p->nfix; i++) {
		int to = p->labels[p->fix[i].label];

		if (to < 0 || (size_t)to >= p->n) {
			gerr_set("internal error: BPF label not placed");
			return -1;
		}
		p->v[p->fix[i].at].off = (int16_t)(to - (int)p->fix[i].at - 1);
	}
	reach = xcalloc(p->n, sizeof(bool));
	newidx = xcalloc(p->n, sizeof(int));
	stack = xcalloc(p->n * 2 + 1, sizeof(int));
	stack[sp++] = 0;
	while (sp > 0) {
		int i = stack[--sp];
		const struct bpf_insn *in;

		if (i < 0 || (size_t)i >= p->n || reach[i])
			continue;
		reach[i] = true;
		in = &p->v[i];
		if (BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) == BPF_EXIT)
			continue;
		if (is_jump(in))
			stack[sp++] = i + 1 + in->off;
		if (!(BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) == BPF_JA))
			stack[sp++] = i + 1;
	}
	for (size_t i = 0; i < p->n; i++) {
		newidx[i] = (int)n;
		if (reach[i])
			n++;
	}
	n = 0;
	for (size_t i = 0; i < p->n; i++) {
		struct bpf_insn in = p->v[i];

		if (!reach[i])
			continue;
		if (is_jump(&in))
			in.off = (int16_t)(newidx[(int)i + 1 + in.off] -
			    newidx[i] - 1);
		p->v[n++] = in;
	}
	p->n = n;
	free(reach);
	free(newidx);
	free(stack);
	return 0;
}

static void
prog_free(struct prog *p)
{
	free(p->v);
	free(p->labels);
	free(p->fix);
	memset(p, 0, sizeof(*p));
}

/* The address (or one word of it) as the u32 a load from memory gives. */
static uint32_t
word(const unsigned char *a, int i)
{
	uint32_t w;

	memcpy(&w, a + 4 * i, 4);
	return w;
}

static uint32_t
mask_word(int prefix, int i)
{
	unsigned char m[16] = { 0 };

	for (int b = 0; b < prefix && b < 128; b++)
		m[b / 8] |= (unsigned char)(0x80 >> (b % 8));
	return word(m, i);
}

static bool
has_loopback(const struct net_addr *a, size_t n)
{
	static const unsigned char lo6[16] = { [15] = 1 };

	for (size_t i = 0; i < n; i++)
		if ((a[i].family == AF_INET && a[i].addr[0] == 127) ||
		    (a[i].family == AF_INET6 && memcmp(a[i].addr, lo6, 16) == 0))
			return true;
	return false;
}

/* Jump to l when the 16 bytes at ctx (r6) + off equal a. */
static void
match6_ctx(struct prog *p, int16_t off, const unsigned char *a, int l)
{
	int next = label(p);

	for (int i = 0; i < 4; i++) {
		ldx(p, BPF_W, R2, R6, (int16_t)(off + 4 * i));
		jmp_imm(p, BPF_JMP32, BPF_JNE, R2, word(a, i), next);
	}
	ja(p, l);
	place(p, next);
}

/* Store a (16 bytes) at ctx (r6) + off. */
static void
store6_ctx(struct prog *p, int16_t off, const unsigned char *a)
{
	for (int i = 0; i < 4; i++) {
		mov_imm(p, R3, word(a, i));
		stx(p, BPF_W, R6, R3, (int16_t)(off + 4 * i));
	}
}

static void
mapped(unsigned char *out, const unsigned char *v4)
{
	memset(out, 0, 16);
	out[10] = out[11] = 0xff;
	memcpy(out + 12, v4, 4);
}

/*
 * Jump to l4mapped when the 16 bytes at ctx + off are IPv4-mapped, to
 * lany when all zero; fall through otherwise.
 */
static void
classify6(struct prog *p, int16_t off, int lmapped, int lany)
{
	int other = label(p);

	ldx(p, BPF_W, R2, R6, off);
	jmp_imm(p, BPF_JMP32, BPF_JNE, R2, 0, other);
	ldx(p, BPF_W, R2, R6, (int16_t)(off + 4));
	jmp_imm(p, BPF_JMP32, BPF_JNE, R2, 0, other);
	ldx(p, BPF_W, R2, R6, (int16_t)(off + 8));
	jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, htonl(0xffff), lmapped);
	jmp_imm(p, BPF_JMP32, BPF_JNE, R2, 0, other);
	if (lany >= 0) {
		ldx(p, BPF_W, R2, R6, (int16_t)(off + 12));
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, 0, lany);
	}
	place(p, other);
}

#define SA_USER_IP4	offsetof(struct bpf_sock_addr, user_ip4)
#define SA_USER_IP6	offsetof(struct bpf_sock_addr, user_ip6)
#define SA_MSG_SRC4	offsetof(struct bpf_sock_addr, msg_src_ip4)
#define SA_MSG_SRC6	offsetof(struct bpf_sock_addr, msg_src_ip6)
#define SA_SK		offsetof(struct bpf_sock_addr, sk)
#define SK_SRC_IP4	offsetof(struct bpf_sock, src_ip4)
#define SK_SRC_IP6	offsetof(struct bpf_sock, src_ip6)

/* ---- bind ---- */

static void
gen_bind4(struct prog *p, const struct net_jail *j, int ok)
{
	int lok = label(p), lany = label(p), llo = label(p);

	mov_reg(p, R6, R1);
	ldx(p, BPF_W, R2, R6, SA_USER_IP4);
	jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, 0, lany);
	for (size_t i = 0; i < j->n4; i++)
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, word(j->a4[i].addr, 0), lok);
	if (!has_loopback(j->a4, j->n4) && j->n4 > 0) {
		mov_reg(p, R3, R2);
		and32(p, R3, 0xff);
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R3, 127, llo);
	}
	ret(p, 0);
	place(p, lany);
	if (j->n4 == 0)
		ret(p, 0);
	else {
		if (j->n4 > 1)
			ja(p, lok);
		place(p, llo);	/* also the one-address wildcard */
		mov_imm(p, R3, word(j->a4[0].addr, 0));
		stx(p, BPF_W, R6, R3, SA_USER_IP4);
	}
	place(p, lok);
	ret(p, ok);
}

/* For IPv4-mapped addresses in the IPv6 programs: the word at off + 12. */
static void
mapped_rule(struct prog *p, const struct net_jail *j, int16_t off, int ok,
    bool is_bind)
{
	int lok = label(p), lnotlo = label(p);

	if (j->mode4 == NET_INHERIT) {
		ret(p, ok);
		return;
	}
	if (j->mode4 == NET_DISABLE || j->n4 == 0) {
		ret(p, 0);
		return;
	}
	ldx(p, BPF_W, R2, R6, (int16_t)(off + 12));
	for (size_t i = 0; i < j->n4; i++)
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, word(j->a4[i].addr, 0), lok);
	if (has_loopback(j->a4, j->n4)) {
		ret(p, is_bind ? 0 : 1);
		place(p, lok);
		ret(p, ok);
		return;
	}
	mov_reg(p, R3, R2);
	and32(p, R3, 0xff);
	jmp_imm(p, BPF_JMP32, BPF_JNE, R3, 127, lnotlo);
	mov_imm(p, R3, word(j->a4[0].addr, 0));
	stx(p, BPF_W, R6, R3, (int16_t)(off + 12));
	ja(p, lok);
	place(p, lnotlo);
	/* Binding another host address: no.  Sending to one: yes. */
	ret(p, is_bind ? 0 : ok);
	place(p, lok);
	ret(p, ok);
}

static void
gen_bind6(struct prog *p, const struct net_jail *j, int ok)
{
	static const unsigned char lo6[16] = { [15] = 1 };
	int lok = label(p), lany = label(p), llo = label(p);
	int lmapped = label(p);

	mov_reg(p, R6, R1);
	classify6(p, SA_USER_IP6, lmapped, lany);
	for (size_t i = 0; i < j->n6; i++)
		match6_ctx(p, SA_USER_IP6, j->a6[i].addr, lok);
	if (!has_loopback(j->a6, j->n6) && j->n6 > 0)
		match6_ctx(p, SA_USER_IP6, lo6, llo);
	ret(p, 0);
	place(p, lany);
	if (j->n6 == 0)
		ret(p, 0);
	else {
		if (j->n6 > 1)
			ja(p, lok);
		place(p, llo);	/* ::1, or the one-address wildcard */
		store6_ctx(p, SA_USER_IP6, j->a6[0].addr);
		ja(p, lok);
	}
	place(p, lmapped);
	mapped_rule(p, j, SA_USER_IP6, ok, true);
	place(p, lok);
	ret(p, ok);
}

/* ---- connect and sendmsg: source selection ---- */

/*
 * r7 holds the destination (IPv4, one word).  Leaves in r8 the source:
 * the first jail address on the destination's subnet, else the first.
 */
static void
choose_src4(struct prog *p, const struct net_jail *j)
{
	int done = label(p);

	mov_imm(p, R8, word(j->a4[0].addr, 0));
	if (j->saddrsel4)
		for (size_t i = 0; i < j->n4; i++) {
			uint32_t m = mask_word(j->a4[i].prefix, 0);
			int next = label(p);

			if (j->a4[i].prefix == 0 || j->a4[i].prefix == 32)
				continue;
			mov_reg(p, R3, R7);
			and32(p, R3, m);
			jmp_imm(p, BPF_JMP32, BPF_JNE, R3,
			    word(j->a4[i].addr, 0) & m, next);
			mov_imm(p, R8, word(j->a4[i].addr, 0));
			ja(p, done);
			place(p, next);
		}
	place(p, done);
}

/* Same for IPv6: the destination is at ctx + off; source words r8 = index. */
static void
choose_src6(struct prog *p, const struct net_jail *j, int16_t off,
    const int *lpick)
{
	if (j->saddrsel6)
		for (size_t i = 0; i < j->n6; i++) {
			int next = label(p);

			if (j->a6[i].prefix == 0 || j->a6[i].prefix == 128)
				continue;
			for (int w = 0; w < 4; w++) {
				uint32_t m = mask_word(j->a6[i].prefix, w);

				if (m == 0)
					break;
				ldx(p, BPF_W, R3, R6, (int16_t)(off + 4 * w));
				and32(p, R3, m);
				jmp_imm(p, BPF_JMP32, BPF_JNE, R3,
				    word(j->a6[i].addr, w) & m, next);
			}
			ja(p, lpick[i]);
			place(p, next);
		}
	ja(p, lpick[0]);
}

/* bpf_bind(ctx, sockaddr at r10-32, len); refuse on failure. */
static void
bind_and_allow(struct prog *p, int len)
{
	int lok = label(p);

	mov_reg(p, R1, R6);
	mov_reg(p, R2, R10);
	add64(p, R2, -32);
	mov_imm(p, R3, (uint32_t)len);
	call(p, BPF_FUNC_bind);
	jmp_imm(p, BPF_JMP, BPF_JEQ, R0, 0, lok);
	ret(p, 0);
	place(p, lok);
	ret(p, 1);
}

static void
zero_sockaddr(struct prog *p)
{
	for (int off = -32; off < 0; off += 8)
		st(p, BPF_DW, R10, (int16_t)off, 0);
}

/*
 * sendmsg: msg_src is the source the kernel will use (the bound address,
 * or IP_PKTINFO's): zero gets the jail's, a jail address passes, any
 * other is refused.
 */
static void
gen_connect4(struct prog *p, const struct net_jail *j, bool sendmsg)
{
	int lnotlo = label(p), lok = label(p), lchoose = label(p);

	mov_reg(p, R6, R1);
	if (j->n4 == 0) {
		ret(p, 0);
		return;
	}
	ldx(p, BPF_W, R2, R6, SA_USER_IP4);
	if (!has_loopback(j->a4, j->n4)) {
		mov_reg(p, R3, R2);
		and32(p, R3, 0xff);
		jmp_imm(p, BPF_JMP32, BPF_JNE, R3, 127, lnotlo);
		mov_imm(p, R2, word(j->a4[0].addr, 0));
		stx(p, BPF_W, R6, R2, SA_USER_IP4);
		place(p, lnotlo);
	}
	mov_reg(p, R7, R2);
	if (sendmsg) {
		ldx(p, BPF_W, R4, R6, SA_MSG_SRC4);
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R4, 0, lchoose);
		for (size_t i = 0; i < j->n4; i++)
			jmp_imm(p, BPF_JMP32, BPF_JEQ, R4,
			    word(j->a4[i].addr, 0), lok);
		ret(p, 0);
		place(p, lchoose);
		choose_src4(p, j);
		stx(p, BPF_W, R6, R8, SA_MSG_SRC4);
		ja(p, lok);
	} else {
		ldx(p, BPF_DW, R3, R6, SA_SK);
		ldx(p, BPF_W, R4, R3, SK_SRC_IP4);
		jmp_imm(p, BPF_JMP32, BPF_JNE, R4, 0, lok);
		choose_src4(p, j);
		zero_sockaddr(p);
		st(p, BPF_H, R10, -32, AF_INET);
		stx(p, BPF_W, R10, R8, -28);
		bind_and_allow(p, sizeof(struct sockaddr_in));
	}
	place(p, lok);
	ret(p, 1);
}

/* connect6 / sendmsg6 to an IPv4-mapped destination. */
static void
gen_connect6_mapped(struct prog *p, const struct net_jail *j, bool sendmsg)
{
	int notlo = label(p), bound = label(p);
	unsigned char m[16];

	if (j->mode4 == NET_DISABLE || (j->mode4 == NET_NEW && j->n4 == 0)) {
		ret(p, 0);
		return;
	}
	if (sendmsg || j->mode4 == NET_INHERIT) {
		/* The kernel sends these through udp_sendmsg: sendmsg4's. */
		ret(p, 1);
		return;
	}
	if (!has_loopback(j->a4, j->n4)) {
		ldx(p, BPF_W, R2, R6, SA_USER_IP6 + 12);
		and32(p, R2, 0xff);
		jmp_imm(p, BPF_JMP32, BPF_JNE, R2, 127, notlo);
		mov_imm(p, R3, word(j->a4[0].addr, 0));
		stx(p, BPF_W, R6, R3, SA_USER_IP6 + 12);
		place(p, notlo);
	}
	ldx(p, BPF_DW, R7, R6, SA_SK);
	ldx(p, BPF_W, R4, R7, SK_SRC_IP6 + 12);
	jmp_imm(p, BPF_JMP32, BPF_JNE, R4, 0, bound);
	ldx(p, BPF_W, R7, R6, SA_USER_IP6 + 12);
	choose_src4(p, j);
	mapped(m, j->a4[0].addr);
	zero_sockaddr(p);
	st(p, BPF_H, R10, -32, AF_INET6);
	for (int w = 0; w < 3; w++) {
		mov_imm(p, R3, word(m, w));
		stx(p, BPF_W, R10, R3, (int16_t)(-24 + 4 * w));
	}
	stx(p, BPF_W, R10, R8, -12);
	bind_and_allow(p, sizeof(struct sockaddr_in6));
	place(p, bound);
	ret(p, 1);
}

static void
gen_connect6(struct prog *p, const struct net_jail *j, bool sendmsg)
{
	static const unsigned char lo6[16] = { [15] = 1 };
	int lmapped = label(p), lok = label(p);
	int *lpick;

	mov_reg(p, R6, R1);
	classify6(p, SA_USER_IP6, lmapped, -1);
	if (j->n6 == 0) {
		ret(p, 0);
		place(p, lmapped);
		gen_connect6_mapped(p, j, sendmsg);
		return;
	}
	if (!has_loopback(j->a6, j->n6)) {
		int notlo = label(p), islo = label(p);

		match6_ctx(p, SA_USER_IP6, lo6, islo);
		ja(p, notlo);
		place(p, islo);
		store6_ctx(p, SA_USER_IP6, j->a6[0].addr);
		place(p, notlo);
	}
	lpick = xcalloc(j->n6, sizeof(int));
	for (size_t i = 0; i < j->n6; i++)
		lpick[i] = label(p);
	if (sendmsg) {
		int lchoose = label(p), given = label(p);

		for (int w = 0; w < 4; w++) {
			ldx(p, BPF_W, R4, R6, (int16_t)(SA_MSG_SRC6 + 4 * w));
			jmp_imm(p, BPF_JMP32, BPF_JNE, R4, 0, given);
		}
		ja(p, lchoose);
		place(p, given);
		for (size_t i = 0; i < j->n6; i++)
			match6_ctx(p, SA_MSG_SRC6, j->a6[i].addr, lok);
		ret(p, 0);
		place(p, lchoose);
		choose_src6(p, j, SA_USER_IP6, lpick);
		for (size_t i = 0; i < j->n6; i++) {
			place(p, lpick[i]);
			store6_ctx(p, SA_MSG_SRC6, j->a6[i].addr);
			ja(p, lok);
		}
	} else {
		/* Bound already (bind6 checked the address)? */
		ldx(p, BPF_DW, R7, R6, SA_SK);
		for (int w = 0; w < 4; w++) {
			ldx(p, BPF_W, R4, R7, (int16_t)(SK_SRC_IP6 + 4 * w));
			jmp_imm(p, BPF_JMP32, BPF_JNE, R4, 0, lok);
		}
		choose_src6(p, j, SA_USER_IP6, lpick);
		for (size_t i = 0; i < j->n6; i++) {
			place(p, lpick[i]);
			zero_sockaddr(p);
			st(p, BPF_H, R10, -32, AF_INET6);
			for (int w = 0; w < 4; w++) {
				mov_imm(p, R3, word(j->a6[i].addr, w));
				stx(p, BPF_W, R10, R3, (int16_t)(-24 + 4 * w));
			}
			bind_and_allow(p, sizeof(struct sockaddr_in6));
		}
	}
	free(lpick);
	place(p, lok);
	ret(p, 1);
	place(p, lmapped);
	gen_connect6_mapped(p, j, sendmsg);
}

/* ---- sock_create and ingress ---- */

static void
gen_create(struct prog *p, const struct net_jail *j)
{
	int deny = label(p);

	ldx(p, BPF_W, R2, R1, offsetof(struct bpf_sock, family));
	if (j->mode4 == NET_DISABLE)
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, AF_INET, deny);
	if (j->mode6 == NET_DISABLE)
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, AF_INET6, deny);
	ret(p, 1);
	place(p, deny);
	ret(p, 0);
}

static void
gen_ingress(struct prog *p, const struct net_jail *j)
{
	int l4 = label(p), l6 = label(p), ok = label(p), deny = label(p);

	mov_reg(p, R6, R1);
	ldx(p, BPF_W, R2, R6, offsetof(struct __sk_buff, protocol));
	jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, htons(ETH_P_IP), l4);
	jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, htons(ETH_P_IPV6), l6);
	ret(p, 1);

	place(p, l4);
	if (j->mode4 == NET_INHERIT)
		ja(p, ok);
	else {
		mov_reg(p, R1, R6);
		mov_imm(p, R2, 16);		/* iphdr.daddr */
		mov_reg(p, R3, R10);
		add64(p, R3, -8);
		mov_imm(p, R4, 4);
		call(p, BPF_FUNC_skb_load_bytes);
		jmp_imm(p, BPF_JMP, BPF_JNE, R0, 0, deny);
		ldx(p, BPF_W, R2, R10, -8);
		for (size_t i = 0; i < j->n4; i++)
			jmp_imm(p, BPF_JMP32, BPF_JEQ, R2,
			    word(j->a4[i].addr, 0), ok);
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, 0xffffffff, ok);
		mov_reg(p, R3, R2);
		and32(p, R3, 0xf0);
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R3, 0xe0, ok);
		ja(p, deny);
	}

	place(p, l6);
	if (j->mode6 == NET_INHERIT)
		ja(p, ok);
	else {
		mov_reg(p, R1, R6);
		mov_imm(p, R2, 24);		/* ipv6hdr.daddr */
		mov_reg(p, R3, R10);
		add64(p, R3, -16);
		mov_imm(p, R4, 16);
		call(p, BPF_FUNC_skb_load_bytes);
		jmp_imm(p, BPF_JMP, BPF_JNE, R0, 0, deny);
		for (size_t i = 0; i < j->n6; i++) {
			int next = label(p);

			for (int w = 0; w < 4; w++) {
				ldx(p, BPF_W, R2, R10, (int16_t)(-16 + 4 * w));
				jmp_imm(p, BPF_JMP32, BPF_JNE, R2,
				    word(j->a6[i].addr, w), next);
			}
			ja(p, ok);
			place(p, next);
		}
		ldx(p, BPF_B, R2, R10, -16);
		jmp_imm(p, BPF_JMP32, BPF_JEQ, R2, 0xff, ok);	/* multicast */
		/* IPv4-mapped never appears on the wire; IPv4 packets to a
		 * dual-stack socket came through l4. */
		ja(p, deny);
	}
	place(p, ok);
	ret(p, 1);
	place(p, deny);
	ret(p, 0);
}

/* ---- loading and attaching ---- */

static int
load_attach(struct prog *p, int cgfd, enum bpf_prog_type type,
    enum bpf_attach_type at, const char *what)
{
	if (finish(p) == -1)
		return -1;
	return bpf_cgroup_attach(cgfd, type, at, p->v, p->n, what);
}

int
net_bpf_attach(const struct net_jail *j, const char *dir)
{
	int ok = j->reserved_ports ? 3 : 1, cg, r = -1;
	struct prog p = { 0 };

	if (j->vnet)
		return 0;
	if ((cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", dir);
		return -1;
	}
#define STEP(gen, type, at, name) do {					\
		gen;							\
		if (load_attach(&p, cg, type, at, name) == -1)		\
			goto out;					\
		prog_free(&p);						\
	} while (0)

	if (j->mode4 == NET_DISABLE || j->mode6 == NET_DISABLE)
		STEP(gen_create(&p, j), BPF_PROG_TYPE_CGROUP_SOCK,
		    BPF_CGROUP_INET_SOCK_CREATE, "create");
	if (j->mode4 == NET_NEW) {
		STEP(gen_bind4(&p, j, ok), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		    BPF_CGROUP_INET4_BIND, "bind4");
		STEP(gen_connect4(&p, j, false), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		    BPF_CGROUP_INET4_CONNECT, "connect4");
		STEP(gen_connect4(&p, j, true), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		    BPF_CGROUP_UDP4_SENDMSG, "sendmsg4");
	} else if (j->mode4 == NET_INHERIT) {
		STEP(ret(&p, ok), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		    BPF_CGROUP_INET4_BIND, "bind4");
	} else {
		/* IPv4-mapped sends from IPv6 sockets come this way. */
		STEP(ret(&p, 0), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		    BPF_CGROUP_UDP4_SENDMSG, "sendmsg4");
	}
	if (j->mode6 == NET_NEW || j->mode4 == NET_NEW) {
		/* IPv6 sockets also carry IPv4-mapped addresses. */
		if (j->mode6 == NET_INHERIT) {
			STEP(ret(&p, ok), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
			    BPF_CGROUP_INET6_BIND, "bind6");
		} else {
			STEP(gen_bind6(&p, j, ok), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
			    BPF_CGROUP_INET6_BIND, "bind6");
			STEP(gen_connect6(&p, j, false),
			    BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
			    BPF_CGROUP_INET6_CONNECT, "connect6");
			STEP(gen_connect6(&p, j, true),
			    BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
			    BPF_CGROUP_UDP6_SENDMSG, "sendmsg6");
		}
	} else if (j->mode6 == NET_INHERIT) {
		STEP(ret(&p, ok), BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		    BPF_CGROUP_INET6_BIND, "bind6");
	}
	if (j->mode4 != NET_INHERIT || j->mode6 != NET_INHERIT)
		STEP(gen_ingress(&p, j), BPF_PROG_TYPE_CGROUP_SKB,
		    BPF_CGROUP_INET_INGRESS, "ingress");
#undef STEP
	r = 0;
out:
	prog_free(&p);
	close(cg);
	return r;
}
