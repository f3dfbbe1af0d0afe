/* src/lib/rcconf: rc.conf lines read as sh reads them, changed in place. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit.h"

#include "rcconf/rcconf.h"

static void
rc_from(struct rcconf *rc, const char *const *lines)
{
	memset(rc, 0, sizeof(*rc));
	rc->path = xstrdup("test");
	for (; *lines != NULL; lines++)
		strlist_add(&rc->lines, *lines);
}

static void
expect(const struct rcconf *rc, const char *name, const char *want)
{
	char *v = rcconf_get(rc, name);

	if (want == NULL)
		assert_null(v);
	else
		assert_string_equal(v, want);
	free(v);
}

static void
test_values(void **state)
{
	static const char *const lines[] = {
		"# comment",
		"a=bare # comment",
		"  b=\"double \\\"q\\\" \\$x\"",
		"c='single $x'",
		"export d=exported",
		"e=",
		"f=#notacomment",
		"g=\"x\"'y'z",
		"a=second",
		"if true; then h=1; fi",
		NULL,
	};
	struct rcconf rc;

	(void)state;
	rc_from(&rc, lines);
	expect(&rc, "a", "second");
	expect(&rc, "b", "double \"q\" $x");
	expect(&rc, "c", "single $x");
	expect(&rc, "d", "exported");
	expect(&rc, "e", "");
	expect(&rc, "f", "#notacomment");	/* as sh: # starts no comment mid-word */
	expect(&rc, "g", "xyz");
	expect(&rc, "h", NULL);
	expect(&rc, "nosuch", NULL);
	rcconf_free(&rc);
}

static void
test_edit(void **state)
{
	static const char *const lines[] = {
		"x=1", "# keep", "y=2", "x=3", NULL,
	};
	struct rcconf rc;
	struct strlist names = { 0 };
	char *text;

	(void)state;
	rc_from(&rc, lines);
	rcconf_set(&rc, "x", "a\"b");
	rcconf_set(&rc, "new", "v");
	text = strlist_join(&rc.lines, "|");
	assert_string_equal(text, "x=1|# keep|y=2|x=\"a\\\"b\"|new=\"v\"");
	free(text);
	expect(&rc, "x", "a\"b");
	rcconf_names(&rc, &names);
	text = strlist_join(&names, ",");
	assert_string_equal(text, "new,x,y");
	free(text);
	strlist_clear(&names);
	assert_true(rcconf_unset(&rc, "x"));
	assert_false(rcconf_unset(&rc, "x"));
	text = strlist_join(&rc.lines, "|");
	assert_string_equal(text, "# keep|y=2|new=\"v\"");
	free(text);
	rcconf_free(&rc);
}

static void
test_names(void **state)
{
	(void)state;
	assert_true(rcconf_name_ok("nginx_enable"));
	assert_true(rcconf_name_ok("_x9"));
	assert_false(rcconf_name_ok("9x"));
	assert_false(rcconf_name_ok("a-b"));
	assert_false(rcconf_name_ok(""));
	assert_true(rcconf_yes("YES"));
	assert_true(rcconf_yes("on"));
	assert_false(rcconf_yes("NO"));
	assert_false(rcconf_yes(NULL));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_names),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
