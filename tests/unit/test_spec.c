/* From resolved parameters to struct jail_spec: FreeBSD 14's defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/spec.h"

static int
spec_of(struct jail_spec *s, const char *const *args)
{
	struct jparams l = { 0 };
	int r;

	for (; *args != NULL; args++)
		assert_int_equal(jparams_parse_arg(&l, *args), 0);
	r = spec_from_params(s, &l);
	jparams_free(&l);
	return r;
}

static void
test_defaults(void **state)
{
	const char *args[] = { "name=web", "path=/j/web", NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, args), 0);
	assert_int_equal(s.jid, 0);
	assert_string_equal(s.name, "web");
	assert_string_equal(s.path, "/j/web");
	assert_null(s.hostname);
	assert_false(s.persist);
	assert_int_equal(s.securelevel, -1);
	assert_int_equal(s.devfs_ruleset, 0);
	assert_int_equal(s.enforce_statfs, 2);
	assert_int_equal(s.children_max, 0);
	assert_int_equal(s.stop_timeout, 10);
	assert_int_equal(s.exec_timeout, -1);
	assert_false(s.mount_devfs);
	assert_false(s.net.vnet);
	assert_false(s.host_inherit);
	assert_null(s.exec_system_jail_user);
	assert_int_equal(s.allow, ALLOW(ALLOW_SET_HOSTNAME) |
	    ALLOW(ALLOW_RESERVED_PORTS) | ALLOW(ALLOW_UNPRIV_DEBUG) |
	    ALLOW(ALLOW_SUSER));
	assert_non_null(jparams_find(&s.params, "path"));
	spec_free(&s);
}

static void
test_values(void **state)
{
	const char *args[] = { "jid=12", "path=/", "persist",
	    "host.hostname=h.example", "host.domainname=nis",
	    "host.hostuuid=12345678-9abc-def0-1234-56789abcdef0",
	    "securelevel=2", "mount.devfs", "mount.procfs",
	    "children.max=3", "allow.noset_hostname", "allow.mount",
	    "allow.mount.tmpfs", "allow.settime=1",
	    "exec.start=/bin/sh /etc/rc", "exec.start+=echo started",
	    "command=/bin/true", "exec.stop=/bin/sh /etc/rc.shutdown",
	    "exec.clean", "exec.jail_user=www", "exec.system_jail_user",
	    "exec.consolelog=/var/log/j.log", "exec.timeout=30",
	    "stop.timeout=5", "vnet", "vnet.interface=veth0b,veth1b",
	    "depend=db,cache", "mount.fstab=/etc/fstab.j",
	    "mount=tmpfs /tmp tmpfs rw 0 0", "host=inherit", NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, args), 0);
	assert_int_equal(s.jid, 12);
	assert_string_equal(s.name, "12");	/* the jid, as jail(8) */
	assert_true(s.persist);
	assert_string_equal(s.hostname, "h.example");
	assert_string_equal(s.domainname, "nis");
	assert_string_equal(s.hostuuid, "12345678-9abc-def0-1234-56789abcdef0");
	assert_int_equal(s.securelevel, 2);
	assert_true(s.mount_devfs);
	assert_true(s.mount_procfs);
	assert_int_equal(s.devfs_ruleset, 4);	/* mount.devfs, no ruleset */
	assert_int_equal(s.children_max, 3);
	assert_false(s.allow & ALLOW(ALLOW_SET_HOSTNAME));
	assert_true(s.allow & ALLOW(ALLOW_MOUNT));
	assert_true(s.allow & ALLOW(ALLOW_MOUNT_TMPFS));
	assert_true(s.allow & ALLOW(ALLOW_SETTIME));
	assert_false(s.allow & ALLOW(ALLOW_ADJTIME));
	assert_int_equal(s.hooks[HOOK_START].n, 2);
	assert_string_equal(s.hooks[HOOK_START].v[1], "echo started");
	assert_int_equal(s.hooks[HOOK_COMMAND].n, 1);
	assert_int_equal(s.hooks[HOOK_STOP].n, 1);
	assert_int_equal(s.hooks[HOOK_PRESTART].n, 0);
	assert_true(s.exec_clean);
	assert_string_equal(s.exec_jail_user, "www");
	assert_non_null(s.exec_system_jail_user);
	assert_string_equal(s.exec_consolelog, "/var/log/j.log");
	assert_int_equal(s.exec_timeout, 30);
	assert_int_equal(s.stop_timeout, 5);
	assert_true(s.net.vnet);
	assert_true(s.host_inherit);
	assert_int_equal(s.vnet_interface.n, 2);
	assert_int_equal(s.depend.n, 2);
	assert_int_equal(s.mount_fstab.n, 1);
	assert_int_equal(s.mount.n, 1);
	spec_free(&s);
}

static void
test_ruleset_given(void **state)
{
	const char *args[] = { "name=a", "mount.devfs", "devfs_ruleset=5",
	    NULL };
	const char *noname[] = { "path=/", NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, args), 0);
	assert_int_equal(s.devfs_ruleset, 5);
	spec_free(&s);
	assert_int_equal(spec_of(&s, noname), 0);
	assert_null(s.name);			/* named by its jid later */
	spec_free(&s);
}

static void
test_errors(void **state)
{
	const char *numeric[] = { "name=42", "jid=7", NULL };
	const char *nofamily[] = { "name=web", "ip4=inherit",
	    "ip4.addr=192.0.2.1", NULL };
	const char *twice[] = { "name=web", "ip6.addr=2001:db8::1,2001:db8::1",
	    NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, numeric), -1);
	assert_string_equal(gerr_msg(),
	    "42: name cannot be numeric (unless it is the jid)");
	assert_int_equal(spec_of(&s, nofamily), -1);
	assert_string_equal(gerr_msg(),
	    "web: ip4.addr: only with ip4=new (ip4 is inherit)");
	assert_int_equal(spec_of(&s, twice), -1);
	assert_string_equal(gerr_msg(),
	    "web: ip6.addr: 2001:db8::1 is listed twice");
}

/*
 * Values are checked once, by the table (jconf_resolve, jail -m), before
 * a list becomes a spec or a record: the spec only reads them.
 */
static void
test_read_not_checked(void **state)
{
	const char *badint[] = { "name=web", "children.max=lots", NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, badint), 0);
	assert_int_equal(s.children_max, 0);	/* the table's default */
	spec_free(&s);
}

/* The network part is read once, into the spec. */
static void
test_network(void **state)
{
	const char *args[] = { "name=web", "interface=lo",
	    "ip4.addr=192.0.2.1/24,eth9|192.0.2.2", "ip6=inherit",
	    "allow.noreserved_ports", NULL };
	const char *none[] = { "name=web", NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, args), 0);
	assert_false(s.net.vnet);
	assert_int_equal(s.net.mode4, JAILSYS_NEW);	/* from the addresses */
	assert_int_equal(s.net.mode6, JAILSYS_INHERIT);
	assert_int_equal(s.net.n4, 2);
	assert_int_equal(s.net.n6, 0);
	assert_int_equal(s.net.a4[0].prefix, 24);
	assert_string_equal(s.net.a4[0].ifname, "lo");
	assert_string_equal(s.net.a4[1].ifname, "eth9");
	assert_int_equal(s.net.a4[1].prefix, 32);
	assert_false(s.net.reserved_ports);
	assert_true(s.net.saddrsel4);
	spec_free(&s);
	assert_int_equal(spec_of(&s, none), 0);
	assert_int_equal(s.net.mode4, JAILSYS_DISABLE);
	assert_int_equal(s.net.mode6, JAILSYS_DISABLE);
	assert_int_equal(s.net.n4 + s.net.n6, 0);
	spec_free(&s);
}

/*
 * A running jail's spec (jail -r, jail -m) takes the record's parsed
 * addresses: the ip4.addr text is not read again (here it could not
 * be); what jail -m may change is read from the list.
 */
static void
test_from_record(void **state)
{
	const char *args[] = { "name=web", "ip4.addr=no such address",
	    "ip4.saddrsel=0", NULL };
	unsigned char v4[4] = { 192, 0, 2, 9 };
	struct jparams l = { 0 };
	struct jnet net = { 0 };
	struct jaddr a;
	struct jail_spec s;

	(void)state;
	for (const char *const *p = args; *p != NULL; p++)
		assert_int_equal(jparams_parse_arg(&l, *p), 0);
	assert_int_equal(spec_from_params(&s, &l), -1);
	jaddr_set(&a, AF_INET, v4, 32, "lo");
	jnet_add(&net, &a);
	net.saddrsel4 = true;		/* stale: the list says 0 */
	assert_int_equal(spec_from_record(&s, &l, &net), 0);
	assert_int_equal(s.net.n4, 1);
	assert_true(jaddr_equal(&s.net.a4[0], &a));
	assert_string_equal(s.net.a4[0].ifname, "lo");
	assert_int_equal(s.net.mode4, JAILSYS_NEW);
	assert_false(s.net.saddrsel4);
	assert_string_equal(s.name, "web");
	spec_free(&s);
	jnet_free(&net);
	jparams_free(&l);
}

/* What a new process of a running jail takes from jail -m's changes. */
static void
test_live(void **state)
{
	const char *made[] = { "name=web", "allow.mount", "allow.mount.tmpfs",
	    NULL };
	const char *changed[] = { "securelevel=2", "allow.nosuser",
	    "allow.mlock", "allow.nomount", "allow.mount.notmpfs",
	    "enforce_statfs=0", "gaol.capabilities=CAP_CHOWN,CAP_KILL", NULL };
	struct jparams l = { 0 };
	struct jail_live live;
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, made), 0);
	for (const char *const *a = changed; *a != NULL; a++)
		assert_int_equal(jparams_parse_arg(&l, *a), 0);
	spec_live(&live, &l);
	/* what jail -m cannot change is not sent, nor what no process reads */
	assert_int_equal(live.params.n, 4);
	assert_null(jparams_find(&live.params, "allow.mount"));
	assert_null(jparams_find(&live.params, "enforce_statfs"));
	spec_take_live(&s, &live);
	assert_int_equal(s.securelevel, 2);
	assert_false(s.allow & ALLOW(ALLOW_SUSER));
	assert_true(s.allow & ALLOW(ALLOW_MLOCK));
	assert_string_equal(jparams_str(&s.params, "gaol.capabilities"),
	    "CAP_CHOWN,CAP_KILL");
	assert_true(s.caps_set);
	assert_int_equal(s.caps, 0x21);	/* typed: chown 0, kill 5 */
	/* a request naming what is fixed at creation changes nothing:
	   a sealed jail stays sealed, an unsealed one unsealed */
	spec_live_free(&live);
	jparams_setl(&live.params, "allow.mount", NULL, NULL, 0);
	jparams_set(&live.params, "allow.mount.tmpfs", "0", false, NULL, 0);
	jparams_set(&live.params, "children.max", "5", false, NULL, 0);
	spec_take_live(&s, &live);
	assert_true(s.allow & ALLOW(ALLOW_MOUNT));
	assert_true(s.allow & ALLOW(ALLOW_MOUNT_TMPFS));
	assert_int_equal(s.children_max, 0);
	assert_null(jparams_find(&s.params, "children.max"));
	spec_live_free(&live);
	spec_free(&s);
	assert_int_equal(spec_from_params(&s, &l), 0);
	assert_true(s.caps_set);
	assert_int_equal(s.caps, 0x21);
	assert_string_equal(cap_name(5), "kill");
	assert_int_equal(jparam_check(jparams_find(&l, "gaol.capabilities")), 0);
	assert_int_equal(jparams_parse_arg(&l, "gaol.capabilities=net_raw,"
	    "cap_nosuch"), 0);
	assert_int_equal(jparam_check(jparams_find(&l, "gaol.capabilities")),
	    -1);
	assert_string_equal(gerr_msg(),
	    "gaol.capabilities: cap_nosuch: not a capability");
	spec_free(&s);
	jparams_free(&l);
}

/* A value of the parameter's type that is not its default. */
static const char *
other_value(const struct paramdef *d)
{
	static char buf[32];

	switch (d->type) {
	case PT_BOOL:
		return d->def != NULL && strcmp(d->def, "true") == 0 ?
		    "false" : "true";
	case PT_INT:
		snprintf(buf, sizeof(buf), "%lld", d->max > 0 ? d->max : 1);
		return buf;
	case PT_JAILSYS:
		return d->def != NULL && strcmp(d->def, "new") == 0 ?
		    "disable" : "new";
	case PT_UUID:
		return "0c5e4a9e-0000-4000-8000-000000000001";
	default:
		return "CAP_CHOWN";
	}
}

/* What a new process's spec holds, in the order jail_spec has it. */
static void
assert_spec_same(const struct jail_spec *a, const struct jail_spec *b)
{
	char *ra = jparams_render(&a->params, true);
	char *rb = jparams_render(&b->params, true);

	assert_string_equal(ra, rb);
	free(ra);
	free(rb);
	assert_int_equal(a->securelevel, b->securelevel);
	assert_int_equal(a->devfs_ruleset, b->devfs_ruleset);
	assert_int_equal(a->enforce_statfs, b->enforce_statfs);
	assert_int_equal(a->children_max, b->children_max);
	assert_int_equal(a->allow, b->allow);
	assert_int_equal(a->caps_set, b->caps_set);
	assert_int_equal(a->caps, b->caps);
	assert_int_equal(a->persist, b->persist);
	assert_int_equal(a->idmap, b->idmap);
	assert_int_equal(a->host_inherit, b->host_inherit);
	assert_int_equal(a->net.vnet, b->net.vnet);
	assert_int_equal(a->net.mode4, b->net.mode4);
	assert_int_equal(a->net.mode6, b->net.mode6);
}

/*
 * The table and struct jail_live agree: every PF_LIVE parameter, and
 * nothing else, is sent; taken over the spec of a jail made without
 * it, it gives the spec of a jail made with it; none is fixed at
 * creation or jail(8)'s own.
 */
static void
test_live_table(void **state)
{
	const char *base[] = { "name=web", NULL };
	int nlive = 0;

	(void)state;
	for (const struct paramdef *d = paramdefs; d->name != NULL; d++) {
		struct jparams l = { 0 };
		struct jail_live live;
		struct jail_spec made, with;

		if (d->flags & (PF_NOLINUX | PF_RDONLY))
			continue;
		assert_int_equal(jparams_parse_arg(&l, "name=web"), 0);
		jparams_set(&l, d->name, other_value(d), false, NULL, 0);
		spec_live(&live, &l);
		assert_int_equal(jparams_find(&live.params, d->name) != NULL,
		    (d->flags & PF_LIVE) != 0);
		assert_int_equal(live.params.n, (d->flags & PF_LIVE) ? 1 : 0);
		if (d->flags & PF_LIVE) {
			nlive++;
			assert_false(d->flags & (PF_CREATE | PF_CONFONLY));
			assert_int_equal(spec_of(&made, base), 0);
			assert_int_equal(spec_from_params(&with, &l), 0);
			spec_take_live(&made, &live);
			assert_spec_same(&made, &with);
			spec_free(&with);
		} else {
			/* sent by hand, it is not taken */
			struct jail_spec plain;

			jparams_setl(&live.params, d->name,
			    &jparams_find(&l, d->name)->val, NULL, 0);
			assert_int_equal(spec_of(&made, base), 0);
			assert_int_equal(spec_of(&plain, base), 0);
			spec_take_live(&made, &live);
			assert_spec_same(&made, &plain);
			spec_free(&plain);
		}
		spec_free(&made);
		spec_live_free(&live);
		jparams_free(&l);
	}
	/* securelevel, the allow.* jail -m may change, gaol.capabilities */
	assert_int_equal(nlive, 1 + ALLOW_NBITS - 5 + 1);
}

static void
test_tables(void **state)
{
	(void)state;
	for (int i = 0; i < ALLOW_NBITS; i++) {
		const struct paramdef *d = param_lookup(allow_names[i].name);

		assert_non_null(d);
		assert_int_equal((int)allow_names[i].bit, i);
		assert_int_equal(d->type, PT_BOOL);
	}
	for (int h = 0; h < HOOK_NHOOKS; h++)
		assert_non_null(param_lookup(hook_names[h]));
	assert_true(hook_in_jail(HOOK_START));
	assert_true(hook_in_jail(HOOK_COMMAND));
	assert_true(hook_in_jail(HOOK_STOP));
	assert_false(hook_in_jail(HOOK_PRESTART));
	assert_false(hook_in_jail(HOOK_POSTSTOP));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_ruleset_given),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_read_not_checked),
		cmocka_unit_test(test_network),
		cmocka_unit_test(test_from_record),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_live_table),
		cmocka_unit_test(test_tables),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
