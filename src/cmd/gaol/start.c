/*
 * gaol start|stop|restart NAME: jail(8)'s own path through libgaol.  The
 * jail's block comes from jail.conf and jail.conf.d/NAME.conf (which
 * gaol create wrote), exactly as `jail -c NAME` reads it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaol.h"
#include "conf/conf.h"
#include "jail/jail.h"

int
jail_start_named(const char *name)
{
	struct strlist names = { 0 };
	struct jconf conf = { 0 };
	struct jparams params = { 0 };
	struct jail_spec spec;
	int jid, r = -1;

	if (registry_running(name)) {
		gerr_set("%s: already running", name);
		return -1;
	}
	strlist_add(&names, name);
	if (jconf_load(&conf, NULL, &names) == -1)
		goto out;
	if (!jconf_has_jail(&conf, name)) {
		gerr_set("%s: not found in jail.conf or jail.conf.d", name);
		goto out;
	}
	if (jconf_resolve(&conf, name, &(struct jparams){ 0 }, &params) == -1 ||
	    spec_from_params(&spec, &params) == -1)
		goto out;
	spec_set_label(&spec, name);	/* noted as jail(8) notes a block */
	r = jail_create(&spec, 0, &jid, NULL);
	spec_free(&spec);
out:
	jparams_free(&params);
	jconf_free(&conf);
	strlist_clear(&names);
	return r;
}

int
jail_stop_named(const char *name)
{
	struct jrecord rec;
	int r;

	if (registry_find(name, &rec) == -1)
		return -1;
	r = jail_remove(&rec, 0);
	jrecord_free(&rec);
	return r;
}

static int
one(const struct verb *v, int argc, char **argv, int (*act)(const char *))
{
	int failed = 0;

	while (verb_getopt(v, argc, argv, "") != -1)
		;
	if (optind >= argc)
		usage_error(v);
	for (int i = optind; i < argc; i++)
		if (act(argv[i]) == -1) {
			fprintf(stderr, "gaol: %s\n", gerr_msg());
			failed = 1;
		}
	return failed;
}

static int
restart(const char *name)
{
	if (registry_running(name) && jail_stop_named(name) == -1)
		return -1;
	return jail_start_named(name);
}

static int run_start(int argc, char **argv)
{
	return one(&verb_start, argc, argv, jail_start_named);
}

static int run_stop(int argc, char **argv)
{
	return one(&verb_stop, argc, argv, jail_stop_named);
}

static int run_restart(int argc, char **argv)
{
	return one(&verb_restart, argc, argv, restart);
}

const struct verb verb_start = {
	.name = "start", .args = "name ...", .run = run_start, .enters = true,
	.help = "Start jails as `jail -c name` does, from jail.conf and\n"
	    "jail.conf.d/name.conf.\n",
};

const struct verb verb_stop = {
	.name = "stop", .args = "name ...", .run = run_stop, .enters = true,
	.help = "Stop running jails as `jail -r name` does.\n",
};

const struct verb verb_restart = {
	.name = "restart", .args = "name ...", .run = run_restart,
	.enters = true,
	.help = "Stop the jails that run, then start them.\n",
};
