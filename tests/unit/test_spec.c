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
	assert_false(s.vnet);
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
	assert_true(s.vnet);
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
	const char *badint[] = { "name=web", "children.max=lots", NULL };
	const char *nolinux[] = { "name=web", "allow.vmm", NULL };
	struct jail_spec s;

	(void)state;
	assert_int_equal(spec_of(&s, numeric), -1);
	assert_string_equal(gerr_msg(),
	    "42: name cannot be numeric (unless it is the jid)");
	assert_int_equal(spec_of(&s, badint), -1);
	assert_string_equal(gerr_msg(),
	    "web: children.max: non-integer value \"lots\"");
	assert_int_equal(spec_of(&s, nolinux), -1);
	assert_string_equal(gerr_msg(), "web: allow.vmm: not supported on "
	    "Linux: bhyve's vmm(4) does not exist on Linux");
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
		cmocka_unit_test(test_tables),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
