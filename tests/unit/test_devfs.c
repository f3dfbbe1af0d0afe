/* devfs.rules(5) parsing and ruleset evaluation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "unit.h"

#include "isolate/devfs.h"
#include "util/util.h"

static struct devfs_rules rules;

static int
vis(int num, const char *name, mode_t kind, unsigned maj, unsigned min)
{
	struct devfs_node n = { name, kind, makedev(maj, min) };

	return devfs_visible(&rules, num, &n);
}

static int
setup(void **state)
{
	(void)state;
	memset(&rules, 0, sizeof(rules));
	rules.path = xstrdup("/etc/devfs.rules");
	return devfs_rules_parse(&rules, devfs_builtin_rules, "(built-in)");
}

static int
teardown(void **state)
{
	(void)state;
	devfs_rules_free(&rules);
	return 0;
}

static void
test_builtin_jail(void **state)
{
	(void)state;
	assert_int_equal(vis(4, "null", S_IFCHR, 1, 3), 1);
	assert_int_equal(vis(4, "urandom", S_IFCHR, 1, 9), 1);
	assert_int_equal(vis(4, "pts/0", S_IFCHR, 136, 0), 1);
	assert_int_equal(vis(4, "fuse", S_IFCHR, 10, 229), 1);
	assert_int_equal(vis(4, "mem", S_IFCHR, 1, 1), 0);
	assert_int_equal(vis(4, "vda", S_IFBLK, 254, 0), 0);
	/* BSD pty globs are not carried over: ttyS0 is a serial port. */
	assert_int_equal(vis(4, "ttyS0", S_IFCHR, 4, 64), 0);
	assert_int_equal(vis(5, "pf", S_IFCHR, 10, 1), 1);
	assert_int_equal(vis(1, "null", S_IFCHR, 1, 3), 0);
	assert_int_equal(vis(2, "null", S_IFCHR, 1, 3), 1);
}

static void
test_ruleset_zero_and_unknown(void **state)
{
	(void)state;
	assert_int_equal(vis(0, "vda", S_IFBLK, 254, 0), 1);
	assert_int_equal(vis(10, "null", S_IFCHR, 1, 3), -1);
	assert_string_equal(gerr_msg(),
	    "devfs_ruleset 10: no such ruleset in /etc/devfs.rules");
	assert_int_equal(devfs_ruleset_check(&rules, 4), 0);
}

static void
test_custom_file(void **state)
{
	const char *text =
	    "# a custom set\n"
	    "[devfsrules_jail_custom=10]\n"
	    "add include $devfsrules_hide_all\n"
	    "add include $devfsrules_unhide_basic\n"
	    "add path 'dri/*' unhide mode 0660 group video\n"
	    "add path \"net/tun\" unhide   # comment\n"
	    "add type disk hide\n"
	    "\n"
	    "[override=4]\n"
	    "add hide\n";

	(void)state;
	assert_int_equal(devfs_rules_parse(&rules, text, "f"), 0);
	assert_int_equal(vis(10, "dri/card0", S_IFCHR, 226, 0), 1);
	assert_int_equal(vis(10, "dri", S_IFDIR, 0, 0), 0);
	assert_int_equal(vis(10, "net/tun", S_IFCHR, 10, 200), 1);
	assert_int_equal(vis(10, "zero", S_IFCHR, 1, 5), 1);
	assert_int_equal(vis(10, "ptmx", S_IFCHR, 5, 2), 0);
	/* A later [name=4] replaces the built-in ruleset 4. */
	assert_int_equal(vis(4, "null", S_IFCHR, 1, 3), 0);
}

static void
test_rule_numbers(void **state)
{
	const char *text =
	    "[order=20]\n"
	    "add 200 path null unhide\n"
	    "add 100 hide\n";

	(void)state;
	assert_int_equal(devfs_rules_parse(&rules, text, "f"), 0);
	/* Rule 100 (hide) runs before rule 200 (unhide). */
	assert_int_equal(vis(20, "null", S_IFCHR, 1, 3), 1);
	assert_int_equal(vis(20, "zero", S_IFCHR, 1, 5), 0);
}

static void
expect_error(const char *text, const char *msg)
{
	assert_int_equal(devfs_rules_parse(&rules, text, "/etc/devfs.rules"),
	    -1);
	assert_string_equal(gerr_msg(), msg);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("add hide\n",
	    "/etc/devfs.rules line 1: rule outside a [name=number] ruleset");
	expect_error("[a=30]\n\nadd path x frob\n",
	    "/etc/devfs.rules line 3: frob: unknown keyword");
	expect_error("[a=30]\nadd path 'x unhide\n",
	    "/etc/devfs.rules line 2: unterminated ' quote");
	expect_error("[a=x]\n", "/etc/devfs.rules line 1: x: not a ruleset number");
	expect_error("[a=0]\n",
	    "/etc/devfs.rules line 1: ruleset 0 is reserved (no rules)");
	expect_error("[a=30]\nadd path x mode 999\n",
	    "/etc/devfs.rules line 2: mode 999: not an octal file mode");
	expect_error("[a=30]\nadd path x\n",
	    "/etc/devfs.rules line 2: rule has no action");
	expect_error("[a=30]\nadd type floppy hide\n",
	    "/etc/devfs.rules line 2: type floppy: expected disk, mem, tape or tty");
	expect_error("[a=30]\ndel path x\n",
	    "/etc/devfs.rules line 2: del: expected \"add\"");
}

static void
test_include_missing_and_loop(void **state)
{
	const char *text =
	    "[a=40]\nadd include $nosuch\n"
	    "[b=41]\nadd include $c\n"
	    "[c=42]\nadd include $b\n";

	(void)state;
	assert_int_equal(devfs_rules_parse(&rules, text, "f"), 0);
	assert_int_equal(vis(40, "null", S_IFCHR, 1, 3), -1);
	assert_string_equal(gerr_msg(),
	    "f line 2: include $nosuch: no such ruleset");
	assert_int_equal(vis(41, "null", S_IFCHR, 1, 3), -1);
	assert_non_null(strstr(gerr_msg(), "loop"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builtin_jail, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ruleset_zero_and_unknown,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_custom_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rule_numbers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include_missing_and_loop,
		    setup, teardown),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
