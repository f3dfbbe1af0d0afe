/*
 * gaol rdr TARGET tcp|udp host_port jail_port [-i iface] [-d address]
 * gaol rdr TARGET list | clear | apply
 *
 * Port forwards kept with the jail, DATADIR/jails/NAME/rdr.conf, one a
 * line in the verb's own words, and applied at every start of the jail
 * whoever starts it: while there are some, the jail's jail.conf runs
 * `/path/of/gaol rdr NAME apply` as exec.poststart.  A running jail gets a new
 * forward at once.  The rules themselves are gaol-rdr(8)'s, in
 * nftables, and go with the jail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "state/registry.h"
#include "net/jailnet.h"
#include "store/store.h"

static char *
rdr_path(const char *name)
{
	return xasprintf("%s/jails/%s/rdr.conf", gaol_datadir(), name);
}

/* Words of a forward: proto port jail_port [-i IF] [-d ADDR]. */
static int
rdr_parse(const char *name, char **w, int n, struct net_rdr *r)
{
	const char *ifname = NULL, *addr = NULL;

	if (n < 3) {
		gerr_set("%s: a forward needs tcp|udp host_port jail_port",
		    name);
		return -1;
	}
	for (int i = 3; i < n; i++) {
		if (strcmp(w[i], "-i") == 0 && i + 1 < n)
			ifname = w[++i];
		else if (strcmp(w[i], "-d") == 0 && i + 1 < n)
			addr = w[++i];
		else {
			gerr_set("%s: %s: unexpected in a forward", name, w[i]);
			return -1;
		}
	}
	if (net_rdr_parse(w[0], w[1], addr ? addr : "0.0.0.0", w[2], ifname,
	    r) == -1) {
		char *msg = xstrdup(gerr_msg());

		gerr_set("%s: %s", name, msg);
		free(msg);
		return -1;
	}
	if (addr == NULL)
		memset(&r->to, 0, sizeof(r->to));
	return 0;
}

/* The forwards kept for the jail, one a line. */
static void
rdr_lines(const char *name, struct strlist *lines)
{
	char *p = rdr_path(name);

	lines_load(p, lines);
	free(p);
}

/* Apply one kept line to the running jail. */
static int
rdr_apply_line(const char *name, const char *line)
{
	char *copy = xstrdup(line), *w[8], *save, *t;
	struct net_rdr r;
	int n = 0, res;

	for (t = strtok_r(copy, " \t", &save); t != NULL && n < 8;
	    t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	res = rdr_parse(name, w, n, &r);
	if (res == 0)
		res = jail_rdr_add(name, &r);
	free(copy);
	return res;
}

static int
rdr_apply(const char *name, void *arg)
{
	struct strlist lines = { 0 };
	int res = 0;

	(void)arg;
	rdr_lines(name, &lines);
	for (size_t i = 0; i < lines.n; i++)
		if (rdr_apply_line(name, lines.v[i]) == -1)
			res = -1;
	strlist_clear(&lines);
	return res;
}

static int
rdr_save(const char *name, const struct strlist *lines)
{
	char *p = rdr_path(name), *self, *hook, *env;
	int r = lines_save(p, NULL, lines);

	free(p);
	if (r == -1)
		return -1;
	/* While there are forwards, every start puts them back. */
	if (lines->n == 0)
		return store_jail_poststart(name, NULL);
	self = gaol_sibling("gaol");
	env = gaol_env_words();
	hook = xasprintf("%s%s rdr %s apply", env, self, name);
	free(env);
	r = store_jail_poststart(name, hook);
	free(hook);
	free(self);
	return r;
}

struct rdr_new {
	char	**w;
	int	  n;
};

static int
rdr_add(const char *name, void *arg)
{
	const struct rdr_new *rn = arg;
	struct strlist lines = { 0 }, words = { 0 };
	struct net_rdr r;
	struct sjail j;
	char *line;
	int res = -1;

	if (store_jail_load(name, &j) == -1)
		return -1;
	sjail_free(&j);
	if (rdr_parse(name, rn->w, rn->n, &r) == -1)
		return -1;
	for (int i = 0; i < rn->n; i++)
		strlist_add(&words, rn->w[i]);
	line = strlist_join(&words, " ");
	strlist_clear(&words);
	rdr_lines(name, &lines);
	if (strlist_has(&lines, line)) {
		gerr_set("%s: %s: already forwarded", name, line);
		goto out;
	}
	/* Live first: a forward the jail refuses is not kept. */
	if (registry_running(name) && jail_rdr_add(name, &r) == -1)
		goto out;
	strlist_add(&lines, line);
	res = rdr_save(name, &lines);
out:
	free(line);
	strlist_clear(&lines);
	return res;
}

static int
rdr_clear(const char *name, void *arg)
{
	struct strlist none = { 0 };

	(void)arg;
	if (registry_running(name) && jail_rdr_clear(name) == -1)
		return -1;
	return rdr_save(name, &none);
}

static int
rdr_list(const char *name, void *arg)
{
	struct strlist lines = { 0 };

	rdr_lines(name, &lines);
	for (size_t i = 0; i < lines.n; i++)
		printf("%s%s%s\n", *(bool *)arg ? name : "",
		    *(bool *)arg ? " " : "", lines.v[i]);
	strlist_clear(&lines);
	return 0;
}

static int
run_rdr(int argc, char **argv)
{
	struct strlist jails = { 0 };
	struct rdr_new rn;
	bool several;

	/* -i and -d belong to the forward: no getopt past the target. */
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0))
		(void)verb_getopt(&verb_rdr, argc, argv, "");
	if (argc < 3)
		usage_error(&verb_rdr);
	if (argc == 3 && strcmp(argv[2], "list") == 0) {
		target_or_fail(argv[1], 0, &jails);
		several = jails.n > 1;
		strlist_clear(&jails);
		return target_each(argv[1], 0, rdr_list, &several);
	}
	if (argc == 3 && strcmp(argv[2], "clear") == 0)
		return target_each(argv[1], 0, rdr_clear, NULL);
	if (argc == 3 && strcmp(argv[2], "apply") == 0)
		return target_each(argv[1], TARGET_ONE, rdr_apply, NULL);
	if (argc < 5 || (strcmp(argv[2], "tcp") != 0 &&
	    strcmp(argv[2], "udp") != 0))
		usage_error(&verb_rdr);
	rn.w = argv + 2;
	rn.n = argc - 2;
	return target_each(argv[1], 0, rdr_add, &rn);
}

const struct verb verb_rdr = {
	.name = "rdr", .args = "target tcp|udp host_port jail_port "
	    "[-i iface] [-d address] | target list | target clear",
	.run = run_rdr,
	.help =
	    "Forward a host port to the jail, as pf's rdr: connections to\n"
	    "host_port on iface (gaol_ext_if of gaol.conf) go to jail_port\n"
	    "on the jail's address (its first ip4.addr or ip6.addr, or -d).\n"
	    "Forwards are kept in DATADIR/jails/name/rdr.conf and applied at\n"
	    "every start of the jail, whoever starts it (the jail.conf runs\n"
	    "`gaol rdr name apply` as exec.poststart while there are some),\n"
	    "and at once to a running jail.  list prints them, clear drops\n"
	    "them all.\n",
};
