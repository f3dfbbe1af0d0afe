/*
 * pf's nat and rdr as nftables rules in a table of gaol's own,
 * "inet gaol", driven through libnftables (the library nft(8) is built
 * on): each change is one script of nft commands, run as one
 * transaction (all or nothing), in the syntax an administrator reads in
 * `nft list table inet gaol`; what is read back comes as JSON, so no
 * human-readable output is ever parsed (docs/design/nftables.md).
 * Nothing outside this table is ever touched.
 *
 *	table inet gaol {
 *		chain prerouting  { type nat hook prerouting priority dstnat; ... jump rdr_JID ... }
 *		chain postrouting { type nat hook postrouting priority srcnat; ... jump nat_JID ... }
 *		chain nat_JID { oifname "em0" ip saddr 192.0.2.0/24 masquerade }
 *		chain rdr_JID { iifname "em0" ... tcp dport 80 dnat ip to 192.0.2.10:80 comment "rdr ..." }
 *	}
 *
 * Each jail has its pair of chains; when the last pair goes, the table
 * goes, and IP forwarding is set back to what it was before gaol turned
 * it on ($GAOL_RUNDIR/net/forwarding.*).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <nftables/libnftables.h>

#include "net.h"
#include "../util/dl.h"

/*
 * libnftables and jansson are opened on first use (util/dl.h): only
 * NAT and rdr need them, and every front end would load them, with
 * libnftnl, libmnl, libxtables and libgmp, at each start.
 */
#define NFT_SYMS(X)							\
	X(nft_ctx_new) X(nft_ctx_free) X(nft_ctx_output_set_flags)	\
	X(nft_ctx_buffer_output) X(nft_ctx_buffer_error)		\
	X(nft_ctx_get_output_buffer) X(nft_ctx_get_error_buffer)	\
	X(nft_run_cmd_from_buffer)
#define JSON_SYMS(X)							\
	X(json_loads) X(json_delete) X(json_object_get)			\
	X(json_string_value) X(json_array_size) X(json_array_get)	\
	X(json_object_iter) X(json_object_iter_next)			\
	X(json_object_iter_key) X(json_object_iter_value)		\
	X(json_object_key_to_iter)
#define DECLARE(f)	static typeof(f) *sym_##f;
NFT_SYMS(DECLARE)
JSON_SYMS(DECLARE)
#undef DECLARE

static int
nft_lib(void)
{
	static const struct dl_sym nft[] = {
#define ENTRY(f)	DL_SYM(f),
		NFT_SYMS(ENTRY)
	}, json[] = {
		JSON_SYMS(ENTRY)
#undef ENTRY
	};

	if (dl_open("libnftables.so.1", "NAT and rdr", nft,
	    sizeof(nft) / sizeof(nft[0])) == -1 ||
	    dl_open("libjansson.so.4", "NAT and rdr", json,
	    sizeof(json) / sizeof(json[0])) == -1)
		return -1;
	return 0;
}

/* From here on, each name is its pointer (jansson's macros included). */
#define nft_ctx_new			sym_nft_ctx_new
#define nft_ctx_free			sym_nft_ctx_free
#define nft_ctx_output_set_flags	sym_nft_ctx_output_set_flags
#define nft_ctx_buffer_output		sym_nft_ctx_buffer_output
#define nft_ctx_buffer_error		sym_nft_ctx_buffer_error
#define nft_ctx_get_output_buffer	sym_nft_ctx_get_output_buffer
#define nft_ctx_get_error_buffer	sym_nft_ctx_get_error_buffer
#define nft_run_cmd_from_buffer		sym_nft_run_cmd_from_buffer
#define json_loads			sym_json_loads
#define json_delete			sym_json_delete
#define json_object_get			sym_json_object_get
#define json_string_value		sym_json_string_value
#define json_array_size			sym_json_array_size
#define json_array_get			sym_json_array_get
#define json_object_iter		sym_json_object_iter
#define json_object_iter_next		sym_json_object_iter_next
#define json_object_iter_key		sym_json_object_iter_key
#define json_object_iter_value		sym_json_object_iter_value
#define json_object_key_to_iter		sym_json_object_key_to_iter

#define T	"inet " NET_NFT_TABLE

/* A context of our own each time: output and errors kept in buffers. */
static struct nft_ctx *
nft_open(unsigned flags)
{
	struct nft_ctx *ctx;

	if (nft_lib() == -1)
		return NULL;
	if ((ctx = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL) {
		gerr_set("nft: cannot make a libnftables context");
		return NULL;
	}
	nft_ctx_output_set_flags(ctx, flags);
	if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
		gerr_set("nft: cannot buffer libnftables output");
		nft_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * libnftables says "Error: why" first; the command it then quotes is not
 * always the one at fault (1.0.6 quotes a script's first line), so the
 * message names the jail and what gaol was doing instead.
 */
static void
nft_error(int jid, const char *what, const char *log)
{
	const char *why = strstr(log, "Error: ");
	int wl;

	why = why != NULL ? why + 7 : log;
	wl = (int)strcspn(why, "\n");
	if (wl == 0)
		gerr_set("nft: jail %d: %s: failed", jid, what);
	else
		gerr_set("nft: jail %d: %s: %.*s", jid, what, wl, why);
}

/* Apply a script doing what for jail jid: one transaction. */
static int
nft_apply(int jid, const char *what, const char *script)
{
	struct nft_ctx *ctx = nft_open(0);
	int r = 0;

	if (ctx == NULL)
		return -1;
	if (nft_run_cmd_from_buffer(ctx, script) != 0) {
		nft_error(jid, what, nft_ctx_get_error_buffer(ctx));
		r = -1;
	}
	nft_ctx_free(ctx);
	return r;
}

/*
 * gaol's table as libnftables lists it in JSON: each chain and rule
 * object of table inet gaol goes to each(kind, object, arg).  *present
 * says whether the table is there.  Listing the inet ruleset rather than
 * the table spares reading nft's complaint when there is none.
 */
static int
table_walk(int jid, void (*each)(const char *, json_t *, void *), void *arg,
    bool *present)
{
	struct nft_ctx *ctx = nft_open(NFT_CTX_OUTPUT_JSON);
	json_t *root = NULL, *v, *o;
	json_error_t jerr;
	size_t i;
	int r = -1;

	*present = false;
	if (ctx == NULL)
		return -1;
	if (nft_run_cmd_from_buffer(ctx, "list ruleset inet") != 0) {
		nft_error(jid, "list ruleset inet",
		    nft_ctx_get_error_buffer(ctx));
		goto out;
	}
	root = json_loads(nft_ctx_get_output_buffer(ctx), 0, &jerr);
	if (root == NULL ||
	    !json_is_array(v = json_object_get(root, "nftables"))) {
		gerr_set("nft: jail %d: list ruleset inet: not the JSON "
		    "expected: %s", jid, root == NULL ? jerr.text : "no "
		    "\"nftables\" array");
		goto out;
	}
	json_array_foreach(v, i, o) {
		const char *kind, *table, *family;
		json_t *obj;

		json_object_foreach(o, kind, obj) {
			family = json_string_value(json_object_get(obj,
			    "family"));
			table = json_string_value(json_object_get(obj,
			    strcmp(kind, "table") == 0 ? "name" : "table"));
			if (family == NULL || table == NULL ||
			    strcmp(family, "inet") != 0 ||
			    strcmp(table, NET_NFT_TABLE) != 0)
				continue;
			if (strcmp(kind, "table") == 0)
				*present = true;
			else
				each(kind, obj, arg);
		}
	}
	r = 0;
out:
	if (root != NULL)
		json_delete(root);	/* ours alone: json_decref's end */
	nft_ctx_free(ctx);
	return r;
}

struct jids {
	int	*v;
	size_t	 n;
};

static void
add_jid(const char *kind, json_t *chain, void *arg)
{
	struct jids *ids = arg;
	const char *name = json_string_value(json_object_get(chain, "name"));
	char end;
	int jid;

	if (strcmp(kind, "chain") != 0 || name == NULL ||
	    sscanf(name, "nat_%d%c", &jid, &end) != 1)
		return;
	ids->v = xrealloc(ids->v, ids->n + 1, sizeof(int));
	ids->v[ids->n++] = jid;
}

/*
 * The jids that have chains in gaol's table.  Returns 0 with *present
 * false when there is no table.
 */
static int
jail_ids(int jid, int **ids, size_t *n, bool *present)
{
	struct jids found = { NULL, 0 };
	int r = table_walk(jid, add_jid, &found, present);

	if (r == -1) {
		free(found.v);
		found.v = NULL;
		found.n = 0;
	}
	*ids = found.v;
	*n = found.n;
	return r;
}

static void
append(char **s, const char *fmt, ...) GAOL_PRINTF(2, 3);
static void
append(char **s, const char *fmt, ...)
{
	va_list ap;
	char *add, *both;

	va_start(ap, fmt);
	if (vasprintf(&add, fmt, ap) == -1)
		abort();
	va_end(ap);
	both = xasprintf("%s%s", *s ? *s : "", add);
	free(add);
	free(*s);
	*s = both;
}

/* The base chains jumping to each jail's chains in ids. */
static void
rewire(char **s, const int *ids, size_t n, int skip)
{
	append(s, "add chain " T " prerouting { type nat hook prerouting "
	    "priority dstnat; policy accept; }\n"
	    "add chain " T " postrouting { type nat hook postrouting "
	    "priority srcnat; policy accept; }\n"
	    "flush chain " T " prerouting\n"
	    "flush chain " T " postrouting\n");
	for (size_t i = 0; i < n; i++) {
		if (ids[i] == skip)
			continue;
		append(s, "add rule " T " prerouting jump rdr_%d\n"
		    "add rule " T " postrouting jump nat_%d\n", ids[i], ids[i]);
	}
}

int
net_nft_jail_chains(int jid)
{
	int *ids;
	size_t n;
	bool present, have = false;
	char *s = NULL;
	int r;

	if (jail_ids(jid, &ids, &n, &present) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		have |= ids[i] == jid;
	if (have) {
		free(ids);
		return 0;
	}
	ids = xrealloc(ids, n + 1, sizeof(int));
	ids[n++] = jid;
	append(&s, "add table " T "\n"
	    "add chain " T " nat_%d\n"
	    "add chain " T " rdr_%d\n", jid, jid);
	rewire(&s, ids, n, -1);
	r = nft_apply(jid, "add its chains to table " T, s);
	free(s);
	free(ids);
	return r;
}

/* ---- IP forwarding ---- */

static const char *
fwd_sysctl(int family)
{
	return family == AF_INET ? "/proc/sys/net/ipv4/ip_forward" :
	    "/proc/sys/net/ipv6/conf/all/forwarding";
}

static char *
fwd_saved(int family)
{
	return xasprintf("%s/net/forwarding.%s", gaol_rundir(),
	    family == AF_INET ? "ipv4" : "ipv6");
}

/* Turn forwarding on, remembering that gaol did. */
static int
forwarding_on(int family)
{
	char *cur = read_file(fwd_sysctl(family), NULL), *saved, *dir;
	int r = 0;

	if (cur == NULL) {
		gerr_set_errno("%s", fwd_sysctl(family));
		return -1;
	}
	if (cur[0] == '1') {
		free(cur);
		return 0;
	}
	free(cur);
	dir = xasprintf("%s/net", gaol_rundir());
	saved = fwd_saved(family);
	if (mkdir_p(dir, 0700) == -1 ||
	    write_file_atomic(saved, "0\n", 2, 0600) == -1 ||
	    write_str(fwd_sysctl(family), "1") == -1)
		r = -1;
	free(dir);
	free(saved);
	return r;
}

static void
forwarding_restore(void)
{
	static const int fams[] = { AF_INET, AF_INET6 };

	for (size_t i = 0; i < 2; i++) {
		char *saved = fwd_saved(fams[i]);

		if (access(saved, F_OK) == 0 &&
		    write_str(fwd_sysctl(fams[i]), "0") == 0)
			unlink(saved);
		free(saved);
	}
}

/* ---- NAT ---- */

static bool
good_ifname(const char *s)
{
	if (*s == '\0' || strlen(s) >= IF_NAMESIZE)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-@", *s) == NULL)
			return false;
	return true;
}

static bool
in_net(const struct jaddr *a, const struct jaddr *net)
{
	int bits = net->prefix;

	if (a->family != net->family)
		return false;
	for (int b = 0; b < bits; b++) {
		unsigned char m = (unsigned char)(0x80 >> (b % 8));

		if ((a->addr[b / 8] & m) != (net->addr[b / 8] & m))
			return false;
	}
	return true;
}

int
net_nat_jail(int jid, const struct jnet *j, bool *made)
{
	char *ext = net_gaolconf_get("gaol_ext_if");
	char *nets = net_gaolconf_get("gaol_nat_networks");
	char *s = NULL, *tok, *save = NULL;
	bool fam[2] = { false, false };
	int r = -1;

	*made = false;
	if (nets == NULL || *nets == '\0') {
		r = 0;
		goto out;
	}
	if (ext == NULL || !good_ifname(ext)) {
		gerr_set("gaol.conf: gaol_nat_networks needs gaol_ext_if, "
		    "the interface NAT goes out of");
		goto out;
	}
	for (tok = strtok_r(nets, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		struct jaddr net;
		bool mine = j->vnet;
		char *ip;

		if (jaddr_parse(tok, strchr(tok, ':') ? AF_INET6 : AF_INET,
		    NULL, &net) == -1) {
			gerr_prefix("gaol.conf: gaol_nat_networks: ");
			goto out;
		}
		for (size_t i = 0; i < j->n4; i++)
			mine |= in_net(&j->a4[i], &net);
		for (size_t i = 0; i < j->n6; i++)
			mine |= in_net(&j->a6[i], &net);
		if (!mine)
			continue;
		ip = jaddr_ntop(&net);
		append(&s, "add rule " T " nat_%d oifname \"%s\" %s saddr %s/%d "
		    "masquerade comment \"nat %s/%d\"\n", jid, ext,
		    net.family == AF_INET ? "ip" : "ip6", ip, net.prefix, ip,
		    net.prefix);
		fam[net.family == AF_INET6] = true;
		free(ip);
	}
	if (s == NULL) {
		r = 0;
		goto out;
	}
	if (net_nft_jail_chains(jid) == -1)
		goto out;
	*made = true;
	{
		char *full = xasprintf("flush chain " T " nat_%d\n%s", jid, s);
		char *what = xasprintf("masquerade in chain nat_%d", jid);

		r = nft_apply(jid, what, full);
		free(what);
		free(full);
	}
	if (r == 0 && fam[0])
		r = forwarding_on(AF_INET);
	if (r == 0 && fam[1])
		r = forwarding_on(AF_INET6);
out:
	free(s);
	free(ext);
	free(nets);
	return r;
}

/* ---- rdr ---- */

int
net_rdr_parse(const char *proto, const char *port, const char *addr,
    const char *to_port, const char *ifname, struct net_rdr *r)
{
	long long p, tp;

	memset(r, 0, sizeof(*r));
	if (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0) {
		gerr_set("rdr: protocol must be tcp or udp: %s", proto);
		return -1;
	}
	strcpy(r->proto, proto);
	if (parse_int(port, &p) == -1 || p < 1 || p > 65535 ||
	    parse_int(to_port, &tp) == -1 || tp < 1 || tp > 65535) {
		gerr_set("rdr: bad port: %s", parse_int(port, &p) == -1 ||
		    p < 1 || p > 65535 ? port : to_port);
		return -1;
	}
	r->port = (unsigned)p;
	r->to_port = (unsigned)tp;
	if (jaddr_parse(addr, strchr(addr, ':') ? AF_INET6 : AF_INET,
	    NULL, &r->to) == -1) {
		gerr_set("rdr: not an address: %s", addr);
		return -1;
	}
	if (ifname != NULL && *ifname != '\0') {
		if (!good_ifname(ifname)) {
			gerr_set("rdr: bad interface name: %s", ifname);
			return -1;
		}
		strcpy(r->ifname, ifname);
	}
	return 0;
}

char *
net_rdr_format(const struct net_rdr *r)
{
	char *ip = jaddr_ntop(&r->to), *s;

	s = xasprintf("%s %s %u %s %u", r->proto, r->ifname, r->port, ip,
	    r->to_port);
	free(ip);
	return s;
}

int
net_rdr_add(int jid, const struct net_rdr *rin)
{
	struct net_rdr r = *rin;
	char *ip, *s, *desc, *what;
	int res;
	bool v6 = r.to.family == AF_INET6;

	if (r.ifname[0] == '\0') {
		char *ext = net_gaolconf_get("gaol_ext_if");

		if (ext == NULL || !good_ifname(ext)) {
			gerr_set("rdr: no interface given and no gaol_ext_if "
			    "in gaol.conf");
			free(ext);
			return -1;
		}
		strcpy(r.ifname, ext);
		free(ext);
	}
	if (net_link_index(-1, r.ifname) == 0) {
		gerr_set("rdr: %s: no such interface", r.ifname);
		return -1;
	}
	if (net_nft_jail_chains(jid) == -1)
		return -1;
	ip = jaddr_ntop(&r.to);
	desc = net_rdr_format(&r);
	s = xasprintf("add rule " T " rdr_%d iifname \"%s\" meta nfproto %s "
	    "fib daddr type local %s dport %u dnat %s to %s%s%s:%u "
	    "comment \"rdr %s\"\n", jid, r.ifname, v6 ? "ipv6" : "ipv4",
	    r.proto, r.port, v6 ? "ip6" : "ip", v6 ? "[" : "", ip,
	    v6 ? "]" : "", r.to_port, desc);
	what = xasprintf("rdr %s", desc);
	res = nft_apply(jid, what, s);
	free(what);
	if (res == 0)
		res = forwarding_on(r.to.family);
	free(s);
	free(ip);
	free(desc);
	return res;
}

struct rdr_read {
	const char	*chain;
	struct net_rdr	*v;
	size_t		 n;
};

/* A rule of the jail's rdr chain says what it forwards in its comment. */
static void
add_rdr(const char *kind, json_t *rule, void *arg)
{
	struct rdr_read *rd = arg;
	const char *chain = json_string_value(json_object_get(rule, "chain"));
	const char *c = json_string_value(json_object_get(rule, "comment"));
	char proto[8], ifn[32], addr[64], port[8], tport[8];
	struct net_rdr one;

	if (strcmp(kind, "rule") != 0 || chain == NULL || c == NULL ||
	    strcmp(chain, rd->chain) != 0 ||
	    sscanf(c, "rdr %7s %31s %7s %63s %7[0-9]", proto, ifn, port, addr,
	    tport) != 5 ||
	    net_rdr_parse(proto, port, addr, tport, ifn, &one) == -1)
		return;
	rd->v = xrealloc(rd->v, rd->n + 1, sizeof(*rd->v));
	rd->v[rd->n++] = one;
}

int
net_rdr_list(int jid, struct net_rdr **v, size_t *n)
{
	char chain[32];
	struct rdr_read rd = { chain, NULL, 0 };
	bool present;

	snprintf(chain, sizeof(chain), "rdr_%d", jid);
	if (table_walk(jid, add_rdr, &rd, &present) == -1) {
		free(rd.v);
		rd.v = NULL;
		rd.n = 0;
		*v = NULL;
		*n = 0;
		return -1;
	}
	*v = rd.v;
	*n = rd.n;
	return 0;
}

int
net_rdr_clear(int jid)
{
	int *ids;
	size_t n;
	bool present, have = false;
	char *s;
	int r;

	if (jail_ids(jid, &ids, &n, &present) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		have |= ids[i] == jid;
	free(ids);
	if (!have)
		return 0;
	s = xasprintf("flush chain " T " rdr_%d\n", jid);
	r = nft_apply(jid, "clear its rdr rules", s);
	free(s);
	return r;
}

int
net_nft_jail_remove(int jid)
{
	int *ids;
	size_t n, left = 0;
	bool present, have = false;
	char *s = NULL;
	int r;

	if (jail_ids(jid, &ids, &n, &present) == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (ids[i] == jid)
			have = true;
		else
			left++;
	}
	if (!present || !have) {
		free(ids);
		if (!present)
			forwarding_restore();
		return 0;
	}
	if (left == 0)
		s = xstrdup("delete table " T "\n");
	else {
		rewire(&s, ids, n, jid);
		append(&s, "flush chain " T " nat_%d\n"
		    "flush chain " T " rdr_%d\n"
		    "delete chain " T " nat_%d\n"
		    "delete chain " T " rdr_%d\n", jid, jid, jid, jid);
	}
	r = nft_apply(jid, left == 0 ? "delete table " T :
	    "delete its chains from table " T, s);
	free(s);
	free(ids);
	if (r == 0 && left == 0)
		forwarding_restore();
	return r;
}
