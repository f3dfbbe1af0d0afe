/* From resolved parameters to struct jail_spec: FreeBSD 14's defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

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

/* What a new process of a running jail takes from jail -m's changes. */
static void
test_live(void **state)
{
	const char *args[] = { "name=web", "securelevel=2",
	    "allow.nosuser", "allow.mlock", NULL };
	struct jparams l = { 0 };
	struct jail_live live;
	struct jail_spec s;

	(void)state;
	for (const char *const *a = args; *a != NULL; a++)
		assert_int_equal(jparams_parse_arg(&l, *a), 0);
	spec_live(&live, &l);
	assert_int_equal(spec_from_params(&s, &l), 0);
	assert_int_equal(live.securelevel, 2);
	assert_int_equal(live.allow, s.allow);
	assert_false(live.allow & ALLOW(ALLOW_SUSER));
	assert_true(live.allow & ALLOW(ALLOW_MLOCK));
	/* what jail -m cannot change: allow.mount and allow.mount.* */
	assert_true(spec_allow_fixed() & ALLOW(ALLOW_MOUNT));
	assert_true(spec_allow_fixed() & ALLOW(ALLOW_MOUNT_TMPFS));
	assert_false(spec_allow_fixed() & ALLOW(ALLOW_SET_HOSTNAME));
	assert_false(spec_allow_fixed() & ALLOW(ALLOW_MLOCK));
	assert_false(live.caps_set);
	spec_live_free(&live);
	assert_int_equal(jparams_parse_arg(&l, "gaol.capabilities=CAP_CHOWN,"
	    "CAP_KILL"), 0);
	spec_live(&live, &l);
	assert_true(live.caps_set);
	/* typed once: bits by number (chown 0, kill 5) */
	assert_int_equal(live.caps, 0x21);
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
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_tables),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
