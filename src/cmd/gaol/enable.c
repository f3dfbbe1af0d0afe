/*
 * gaol enable|disable TARGET: start the jails at boot, or not, by
 * jail_enable and jail_list in SYSCONFDIR/rc.conf, the settings that
 * `service jail start` (and the gaol-jails systemd unit that runs it)
 * read, as `sysrc jail_enable=YES; sysrc jail_list+=NAME` would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "rcconf/rcconf.h"

static int
boot_list(const char *target, bool on)
{
	char *path = xasprintf("%s/rc.conf", gaol_sysconfdir());
	struct strlist jails = { 0 }, list = { 0 };
	struct rcconf rc;
	char *cur, *save, *w, *joined;
	int r = -1;

	target_or_fail(target, TARGET_CONF, &jails);
	if (rcconf_load(&rc, path) == -1)
		goto out;
	cur = rcconf_get(&rc, "jail_list");
	for (w = cur ? strtok_r(cur, " \t", &save) : NULL; w != NULL;
	    w = strtok_r(NULL, " \t", &save))
		if (on || !strlist_has(&jails, w))
			strlist_add(&list, w);
	free(cur);
	for (size_t i = 0; on && i < jails.n; i++)
		if (!strlist_has(&list, jails.v[i]))
			strlist_add(&list, jails.v[i]);
	joined = strlist_join(&list, " ");
	rcconf_set(&rc, "jail_list", joined);
	free(joined);
	if (on)
		rcconf_set(&rc, "jail_enable", "YES");
	r = rcconf_save(&rc, path);
	rcconf_free(&rc);
out:
	strlist_clear(&list);
	strlist_clear(&jails);
	free(path);
	return r;
}

static int
run_boot(const struct verb *v, bool on, int argc, char **argv)
{
	while (verb_getopt(v, argc, argv, "") != -1)
		;
	if (optind != argc - 1)
		usage_error(v);
	if (boot_list(argv[optind], on) == -1)
		lib_fail();
	return 0;
}

static int run_enable(int argc, char **argv)
{
	return run_boot(&verb_enable, true, argc, argv);
}

static int run_disable(int argc, char **argv)
{
	return run_boot(&verb_disable, false, argc, argv);
}

const struct verb verb_enable = {
	.name = "enable", .args = "target", .run = run_enable,
	.help =
	    "Start the jails at boot: add them to jail_list and set\n"
	    "jail_enable=YES in SYSCONFDIR/rc.conf, which `service jail start`\n"
	    "reads (the gaol-jails systemd unit, or /etc/init.d/jail on a host\n"
	    "without systemd).\n",
};

const struct verb verb_disable = {
	.name = "disable", .args = "target", .run = run_disable,
	.help =
	    "Take the jails out of jail_list in SYSCONFDIR/rc.conf;\n"
	    "jail_enable is left as it is.\n",
};
