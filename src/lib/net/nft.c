/*
 * pf's nat and rdr as nftables rules in a table of gaol's own,
 * "inet gaol", driven through nft(8): scripts go to `nft -f -` as one
 * transaction each, so a change is all or nothing, and the syntax stays
 * readable to an administrator who runs `nft list table inet gaol`.
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
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "net.h"

#define T	"inet " NET_NFT_TABLE

/* Run nft with args; script (may be NULL) on stdin; output in *out. */
static int
nft(const char *const args[], const char *script, char **out)
{
	int in[2], res[2], status;
	char *buf = NULL;
	size_t len = 0;
	pid_t pid;

	if (out != NULL)
		*out = NULL;
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(res, O_CLOEXEC) == -1) {
		gerr_set_errno("pipe");
		return -1;
	}
	if ((pid = fork()) == -1) {
		gerr_set_errno("fork");
		return -1;
	}
	if (pid == 0) {
		const char *argv[8] = { "nft" };
		int n = 1;

		dup2(in[0], 0);
		dup2(res[1], 1);
		dup2(res[1], 2);
		for (; args[n - 1] != NULL && n < 7; n++)
			argv[n] = args[n - 1];
		argv[n] = NULL;
		execvp("nft", (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	if (script != NULL) {
		struct sigaction ign = { .sa_handler = SIG_IGN }, old;
		size_t sl = strlen(script), off = 0;

		sigaction(SIGPIPE, &ign, &old);
		while (off < sl) {
			ssize_t w = write(in[1], script + off, sl - off);

			if (w <= 0)
				break;
			off += (size_t)w;
		}
		sigaction(SIGPIPE, &old, NULL);
	}
	close(in[1]);
	for (;;) {
		char chunk[4096];
		ssize_t n = read(res[0], chunk, sizeof(chunk));

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf = xrealloc(buf, len + (size_t)n + 1, 1);
		memcpy(buf + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	close(res[0]);
	if (buf == NULL)
		buf = xstrdup("");
	else
		buf[len] = '\0';
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (out != NULL)
		*out = buf;
	else
		free(buf);
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Apply a script; the message is nft's first line of complaint. */
static int
nft_apply(const char *script)
{
	static const char *const args[] = { "-f", "-", NULL };
	char *out;
	int r = nft(args, script, &out);

	if (r == 127) {
		gerr_set("nft: not found (nftables is needed for NAT and rdr)");
		free(out);
		return -1;
	}
	if (r != 0) {
		out[strcspn(out, "\n")] = '\0';
		gerr_set("nft: %s", *out ? out : "failed");
		free(out);
		return -1;
	}
	free(out);
	return 0;
}

/*
 * `nft list ...`: 1 with the output in *out, 0 when the table or chain
 * (or nft itself) is not there, -1 on another error.
 */
static int
nft_list(const char *const args[], char **out)
{
	int r = nft(args, NULL, out);

	if (r == 127 || (r != 0 && strstr(*out, "No such file") != NULL)) {
		free(*out);
		return 0;
	}
	if (r != 0) {
		(*out)[strcspn(*out, "\n")] = '\0';
		gerr_set("nft: %s", *out);
		free(*out);
		return -1;
	}
	return 1;
}

/*
 * The jids that have chains in gaol's table.  Returns 0 with *present
 * false when there is no table (or no nft).
 */
static int
jail_ids(int **ids, size_t *n, bool *present)
{
	static const char *const args[] = { "list", "table", "inet",
	    NET_NFT_TABLE, NULL };
	char *out, *line, *save = NULL;
	int r;

	*ids = NULL;
	*n = 0;
	*present = false;
	if ((r = nft_list(args, &out)) <= 0)
		return r;
	*present = true;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		int jid;

		line += strspn(line, " \t");
		if (sscanf(line, "chain nat_%d {", &jid) == 1) {
			*ids = xrealloc(*ids, *n + 1, sizeof(int));
			(*ids)[(*n)++] = jid;
		}
	}
	free(out);
	return 0;
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

	if (jail_ids(&ids, &n, &present) == -1)
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
	r = nft_apply(s);
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
in_net(const struct net_addr *a, const struct net_addr *net)
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
net_nat_jail(int jid, const struct net_jail *j, bool *made)
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
		struct net_addr net;
		bool mine = j->vnet;
		char *ip;

		if (net_addr_parse(tok, strchr(tok, ':') ? AF_INET6 : AF_INET,
		    NULL, &net) == -1) {
			char *m = xstrdup(gerr_msg());

			gerr_set("gaol.conf: gaol_nat_networks: %s", m);
			free(m);
			goto out;
		}
		for (size_t i = 0; i < j->n4; i++)
			mine |= in_net(&j->a4[i], &net);
		for (size_t i = 0; i < j->n6; i++)
			mine |= in_net(&j->a6[i], &net);
		if (!mine)
			continue;
		ip = net_addr_ntop(&net);
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

		r = nft_apply(full);
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
	if (net_addr_parse(addr, strchr(addr, ':') ? AF_INET6 : AF_INET,
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
	char *ip = net_addr_ntop(&r->to), *s;

	s = xasprintf("%s %s %u %s %u", r->proto, r->ifname, r->port, ip,
	    r->to_port);
	free(ip);
	return s;
}

int
net_rdr_add(int jid, const struct net_rdr *rin)
{
	struct net_rdr r = *rin;
	char *ip, *s, *desc;
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
	ip = net_addr_ntop(&r.to);
	desc = net_rdr_format(&r);
	s = xasprintf("add rule " T " rdr_%d iifname \"%s\" meta nfproto %s "
	    "fib daddr type local %s dport %u dnat %s to %s%s%s:%u "
	    "comment \"rdr %s\"\n", jid, r.ifname, v6 ? "ipv6" : "ipv4",
	    r.proto, r.port, v6 ? "ip6" : "ip", v6 ? "[" : "", ip,
	    v6 ? "]" : "", r.to_port, desc);
	res = nft_apply(s);
	if (res == 0)
		res = forwarding_on(r.to.family);
	free(s);
	free(ip);
	free(desc);
	return res;
}

int
net_rdr_list(int jid, struct net_rdr **v, size_t *n)
{
	char chain[32], *out, *line, *save = NULL;
	const char *args[] = { "list", "chain", "inet", NET_NFT_TABLE, chain,
	    NULL };
	int r;

	*v = NULL;
	*n = 0;
	snprintf(chain, sizeof(chain), "rdr_%d", jid);
	if ((r = nft_list(args, &out)) <= 0)
		return r;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *c = strstr(line, "comment \"rdr "), proto[8], ifn[32],
		    addr[64], port[8], tport[8];
		struct net_rdr one;

		if (c == NULL || sscanf(c, "comment \"rdr %7s %31s %7s %63s %7[0-9]",
		    proto, ifn, port, addr, tport) != 5 ||
		    net_rdr_parse(proto, port, addr, tport, ifn, &one) == -1)
			continue;
		*v = xrealloc(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = one;
	}
	free(out);
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

	if (jail_ids(&ids, &n, &present) == -1)
		return -1;
	for (size_t i = 0; i < n; i++)
		have |= ids[i] == jid;
	free(ids);
	if (!have)
		return 0;
	s = xasprintf("flush chain " T " rdr_%d\n", jid);
	r = nft_apply(s);
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

	if (jail_ids(&ids, &n, &present) == -1)
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
	r = nft_apply(s);
	free(s);
	free(ids);
	if (r == 0 && left == 0)
		forwarding_restore();
	return r;
}
