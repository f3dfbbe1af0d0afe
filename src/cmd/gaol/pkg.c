/*
 * gaol pkg TARGET args...: the jail's own package tool (apt-get in a
 * Debian or Ubuntu jail, apk in an Alpine one) with args.
 * gaol update TARGET: refresh the package index and apply updates.
 * gaol upgrade TARGET: the same, letting packages come and go
 * (apt-get dist-upgrade, apk upgrade --available).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"
#include "conf/conf.h"
#include "jail/jail.h"
#include "state/registry.h"
#include "store/store.h"

enum tool { T_NONE, T_APT, T_APK };

/* Which package tool the running jail's root has. */
static int
jail_tool(const char *name, enum tool *tool)
{
	static const struct { const char *path; enum tool t; } tools[] = {
		{ "/usr/bin/apt-get", T_APT }, { "/sbin/apk", T_APK },
		{ "/usr/bin/apk", T_APK },
	};
	struct jrecord rec;
	const char *path;
	int rootfd, fd;

	*tool = T_NONE;
	if (registry_find(name, &rec) == -1) {
		gerr_set("%s: not running", name);
		return -1;
	}
	path = jparams_str(&rec.params, "path");
	rootfd = open(path ? path : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	jrecord_free(&rec);
	if (rootfd == -1) {
		gerr_set_errno("%s: %s", name, path ? path : "/");
		return -1;
	}
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]) &&
	    *tool == T_NONE; i++)
		if ((fd = root_open(rootfd, tools[i].path, O_PATH)) >= 0) {
			*tool = tools[i].t;
			close(fd);
		}
	close(rootfd);
	if (*tool == T_NONE) {
		struct sjail j;

		if (store_jail_load(name, &j) == 0 && j.release != NULL)
			gerr_set("%s: release %s has no package tool (neither "
			    "apt-get nor apk)", name, j.release);
		else
			gerr_set("%s: no package tool in the jail (neither "
			    "apt-get nor apk)", name);
		if (j.name != NULL)
			sjail_free(&j);
		return -1;
	}
	return 0;
}

/*
 * Run the tool with the words after its name; its status, or -1.  In a
 * login environment, as Bastille's jexec -l: the caller's TMPDIR, LANG
 * or proxy are the host's, not the jail's (a TMPDIR the jail lacks
 * breaks a package's maintainer scripts).  apt-get gets its
 * noninteractive frontend through env(1), which a login keeps.
 */
static int
tool_run(const char *name, enum tool t, const char *prog, char **words,
    int n)
{
	struct enter_opts eo = { .out_fd = -1, .login = true };
	char **argv = xcalloc((size_t)n + 4, sizeof(char *)), **a = argv;
	int s;

	if (t == T_APT) {
		*a++ = "env";
		*a++ = "DEBIAN_FRONTEND=noninteractive";
	}
	*a++ = t == T_APT ? "apt-get" : "apk";
	for (int i = 0; i < n; i++)
		*a++ = words[i];
	s = gaol_exec(name, prog, &eo, argv);
	free(argv);
	return s;
}

struct pkg_args {
	char	**words;
	int	  n;
	bool	  full;		/* upgrade rather than update */
	int	  status;
};

static int
pkg_one(const char *name, void *arg)
{
	struct pkg_args *pa = arg;
	enum tool t;
	int s;

	if (jail_tool(name, &t) == -1)
		return -1;
	if ((s = tool_run(name, t, "gaol pkg", pa->words, pa->n)) == -1)
		return -1;
	if (s != 0)
		pa->status = s;
	return 0;
}

static int
update_one(const char *name, void *arg)
{
	struct pkg_args *pa = arg;
	char *refresh[] = { "update" };
	char *apt[] = { "-y", pa->full ? "dist-upgrade" : "upgrade" };
	char *apk_up[] = { "upgrade" }, *apk_full[] = { "upgrade",
	    "--available" };
	enum tool t;
	int s;

	if (jail_tool(name, &t) == -1)
		return -1;
	s = tool_run(name, t, pa->full ? "gaol upgrade" : "gaol update",
	    refresh, 1);
	if (s == 0 && t == T_APT)
		s = tool_run(name, t, "gaol update", apt, 2);
	else if (s == 0)
		s = tool_run(name, t, "gaol update", pa->full ? apk_full :
		    apk_up, pa->full ? 2 : 1);
	if (s == -1)
		return -1;
	if (s != 0) {
		gerr_set("%s: %s failed (exit %d)", name, t == T_APT ?
		    "apt-get" : "apk", s);
		return -1;
	}
	return 0;
}

static int
run_pkg(int argc, char **argv)
{
	struct pkg_args pa = { 0 };
	int failed;

	while (verb_getopt(&verb_pkg, argc, argv, "") != -1)
		;
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage_error(&verb_pkg);
	pa.words = argv + 1;
	pa.n = argc - 1;
	failed = target_each(argv[0], 0, pkg_one, &pa);
	return pa.status != 0 ? pa.status : failed;
}

static int
run_update(const struct verb *v, bool full, int argc, char **argv)
{
	struct pkg_args pa = { .full = full };

	while (verb_getopt(v, argc, argv, "") != -1)
		;
	if (optind != argc - 1)
		usage_error(v);
	return target_each(argv[optind], 0, update_one, &pa);
}

static int
run_update_verb(int argc, char **argv)
{
	return run_update(&verb_update, false, argc, argv);
}

static int
run_upgrade_verb(int argc, char **argv)
{
	return run_update(&verb_upgrade, true, argc, argv);
}

const struct verb verb_pkg = {
	.name = "pkg", .args = "target argument ...", .run = run_pkg,
	.help =
	    "Run the jail's own package tool with the arguments, in each\n"
	    "running jail of target: apt-get in a Debian or Ubuntu jail\n"
	    "(noninteractive), apk in an Alpine one, as root in a clean\n"
	    "login environment (jexec -l).  A jail whose release\n"
	    "has neither (busybox) is an error that names the release.\n"
	    "  gaol pkg web install -y nginx\n",
};

const struct verb verb_update = {
	.name = "update", .args = "target", .run = run_update_verb,
	.help =
	    "Apply the package updates of each running jail of target:\n"
	    "apt-get update and apt-get -y upgrade, or apk update and apk\n"
	    "upgrade.  (A release itself: gaol bootstrap RELEASE update.)\n",
};

const struct verb verb_upgrade = {
	.name = "upgrade", .args = "target", .run = run_upgrade_verb,
	.help =
	    "As update, letting packages be added and removed: apt-get\n"
	    "dist-upgrade, apk upgrade --available.\n",
};
