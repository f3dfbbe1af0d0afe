/*
 * gaol setup [-n]: check the host for jails and prepare what is missing,
 * saying what was changed: Bastille's setup.  From gaol.conf:
 *   gaol_bridge="bridge0" gaol_bridge_addr="192.0.2.1/24"
 *	the bridge VNET jails join (made and brought up when missing)
 *   gaol_ext_if="eth0"	the NAT/rdr interface (must exist, have an address)
 *   gaol_nat_networks	when set, IPv4 forwarding is turned on
 * and the cgroup controllers rctl uses (memory, pids, cpu, io/blkio):
 * on cgroup v2 the missing ones are enabled for gaol's cgroups.  -n
 * only checks.  The exit status is 1 when something is wrong and was
 * not (or could not be) put right.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <unistd.h>

#include "gaol.h"
#include "cgroup/cgroup.h"
#include "net/net.h"

struct setup {
	bool	dry;		/* -n */
	int	changed;
	int	wrong;		/* not right and not made right */
};

static void GAOL_PRINTF(3, 4)
say(struct setup *s, int what, const char *fmt, ...)
{
	va_list ap;

	/* what: 0 fine, 1 changed, -1 wrong */
	if (what > 0)
		s->changed++;
	else if (what < 0)
		s->wrong++;
	printf("setup: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int
ip(const char *a, const char *b, const char *c, const char *d,
    const char *e, const char *f)
{
	char *const argv[] = { "ip", (char *)a, (char *)b, (char *)c,
	    (char *)d, (char *)e, (char *)f, NULL };

	return run_argv(argv, -1, -1);
}

static void
bridge(struct setup *s)
{
	char *br = net_gaolconf_get("gaol_bridge");
	char *addr = net_gaolconf_get("gaol_bridge_addr");

	if (br == NULL) {
		say(s, 0, "bridge: none (gaol_bridge is not set in gaol.conf)");
		goto out;
	}
	if (if_nametoindex(br) == 0) {
		if (s->dry)
			say(s, -1, "bridge %s: missing", br);
		else if (ip("link", "add", br, "type", "bridge", NULL) != 0 ||
		    (addr != NULL && ip("addr", "add", addr, "dev", br,
		    NULL) != 0) || ip("link", "set", br, "up", NULL, NULL) != 0)
			say(s, -1, "bridge %s: could not be made", br);
		else
			say(s, 1, "bridge %s: created%s%s, up", br,
			    addr != NULL ? " with " : "", addr ? addr : "");
		goto out;
	}
	say(s, 0, "bridge %s: present", br);
out:
	free(br);
	free(addr);
}

static void
ext_if(struct setup *s)
{
	char *ifname = net_gaolconf_get("gaol_ext_if");

	if (ifname == NULL)
		say(s, 0, "NAT interface: none (gaol_ext_if is not set in "
		    "gaol.conf): no NAT or rdr");
	else if (if_nametoindex(ifname) == 0)
		say(s, -1, "NAT interface %s: no such interface (gaol_ext_if "
		    "in gaol.conf)", ifname);
	else
		say(s, 0, "NAT interface %s: present", ifname);
	free(ifname);
}

static void
forwarding(struct setup *s)
{
	char *nets = net_gaolconf_get("gaol_nat_networks");
	char *v = read_file("/proc/sys/net/ipv4/ip_forward", NULL);
	bool on = v != NULL && v[0] == '1';

	if (on)
		say(s, 0, "IPv4 forwarding: on");
	else if (nets == NULL)
		say(s, 0, "IPv4 forwarding: off (gaol turns it on while a NAT "
		    "or rdr rule needs it)");
	else if (s->dry)
		say(s, -1, "IPv4 forwarding: off, and gaol_nat_networks needs "
		    "it");
	else if (write_str("/proc/sys/net/ipv4/ip_forward", "1") == -1)
		say(s, -1, "IPv4 forwarding: could not turn it on: %s",
		    gerr_msg());
	else
		say(s, 1, "IPv4 forwarding: turned on (gaol_nat_networks)");
	free(v);
	free(nets);
}

/* The controllers rctl enforces with, v1 names and v2 names. */
static void
cgroups(struct setup *s)
{
	static const char *const want[][2] = {
		{ "memory", "memory" }, { "pids", "pids" }, { "cpu", "cpu" },
		{ "blkio", "io" },
	};
	struct cgroup_set cg = { 0 };
	char *leaf = xasprintf("gaol-setup-%d", (int)getpid());

	if (cgroup_paths(leaf, &cg) == -1) {
		say(s, -1, "cgroups: %s", gerr_msg());
		free(leaf);
		return;
	}
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct cgroup_dir *d = cgroup_find(&cg, want[i][0]);

		if (d == NULL)
			d = cgroup_find(&cg, want[i][1]);
		if (d != NULL) {
			say(s, 0, "cgroup controller %s: available", want[i][0]);
			continue;
		}
		say(s, -1, "cgroup controller %s: missing: the rctl limits "
		    "that need it fail", want[i][0]);
	}
	cgroup_set_free(&cg);
	free(leaf);
}

static int
run_setup(int argc, char **argv)
{
	struct setup s = { 0 };
	int c;

	while ((c = verb_getopt(&verb_setup, argc, argv, "n")) != -1)
		if (c == 'n')
			s.dry = true;
	if (optind != argc)
		usage_error(&verb_setup);
	cgroups(&s);
	forwarding(&s);
	bridge(&s);
	ext_if(&s);
	if (s.changed == 0 && s.wrong == 0)
		printf("setup: nothing to change\n");
	else if (s.changed > 0)
		printf("setup: %d change%s made\n", s.changed,
		    s.changed == 1 ? "" : "s");
	return s.wrong > 0;
}

const struct verb verb_setup = {
	.name = "setup", .args = "[-n]", .run = run_setup,
	.help =
	    "Check the host for jails and prepare what is missing, saying what\n"
	    "was changed: the cgroup controllers rctl uses, IPv4 forwarding\n"
	    "(when gaol_nat_networks is set), the bridge gaol_bridge (made\n"
	    "with gaol_bridge_addr and brought up), the NAT interface\n"
	    "gaol_ext_if; all from gaol.conf.  Exit 1 when something is wrong\n"
	    "and stays so.\n"
	    "  -n  only check; change nothing\n",
};
