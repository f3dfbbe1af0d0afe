/* The small helpers everything else stands on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit.h"

#include "util/util.h"
#include "util/dl.h"

static void
clean_is(const char *in, const char *want)
{
	char *got = path_clean(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_path_clean(void **state)
{
	(void)state;
	clean_is("/", "/");
	clean_is("//a//b/", "/a/b");
	clean_is("/a/./b/../c", "/a/c");
	clean_is("/a/b/..", "/a");
	clean_is("/..", "/");
	clean_is("/a/../../..", "/");
}

static void
test_path_within(void **state)
{
	(void)state;
	assert_true(path_within("/j/x/../y", "/j/"));
	assert_true(path_within("/j", "/j//"));
	assert_false(path_within("/j/../etc/passwd", "/j"));
	assert_false(path_within("/jx/log", "/j"));
	assert_true(path_within("/anything", "/"));
}

static void
test_strlist(void **state)
{
	struct strlist l = { 0 };
	char *s;

	(void)state;
	strlist_add(&l, "a");
	strlist_add(&l, "b");
	assert_true(strlist_has(&l, "b"));
	assert_false(strlist_has(&l, "c"));
	assert_null(l.v[l.n]);
	s = strlist_join(&l, ",");
	assert_string_equal(s, "a,b");
	free(s);
	strlist_clear(&l);
	assert_int_equal(l.n, 0);
}

static void
test_parse(void **state)
{
	long long v;
	bool b;

	(void)state;
	assert_int_equal(parse_int("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int("4x", &v), -1);
	assert_int_equal(parse_int("", &v), -1);
	assert_true(parse_bool("YES", &b) && b);
	assert_true(parse_bool("off", &b) && !b);
	assert_false(parse_bool("maybe", &b));
}

/* A library that is not there, or lacks a symbol: a message, nothing kept. */
static void
test_dl_open(void **state)
{
	static size_t (*sym_strlen)(const char *);
	static void *sym_no_such_function;
	const struct dl_sym ok[] = { DL_SYM(strlen) };
	const struct dl_sym bad[] = { DL_SYM(strlen),
	    DL_SYM(no_such_function) };

	(void)state;
	assert_int_equal(dl_open("libgaol-none.so.0", "a test", ok, 1), -1);
	assert_non_null(strstr(gerr_msg(), "libgaol-none.so.0 (for a test): "));
	assert_int_equal(dl_open("libc.so.6", "a test", bad, 2), -1);
	assert_string_equal(gerr_msg(),
	    "libc.so.6 (for a test): no no_such_function");
	assert_null(sym_strlen);
	assert_int_equal(dl_open("libc.so.6", "a test", ok, 1), 0);
	assert_int_equal(sym_strlen("four"), 4);
	/* Once open, again is at once. */
	assert_int_equal(dl_open("libc.so.6", "a test", ok, 1), 0);
}

static void
test_humanize(void **state)
{
	char buf[32];

	(void)state;
	humanize(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	humanize(8388608, buf, sizeof(buf));
	assert_string_equal(buf, "8M");
	humanize(213, buf, sizeof(buf));
	assert_string_equal(buf, "213");
	humanize(524288000, buf, sizeof(buf));
	assert_string_equal(buf, "500M");
}

static void
test_gerr(void **state)
{
	char *e;

	(void)state;
	gerr_set("syntax error");
	gerr_prefix("%s line %d: ", "jail.conf", 3);
	assert_string_equal(gerr_msg(), "jail.conf line 3: syntax error");
	e = gerr_save();
	gerr_set("cleanup failed too");
	gerr_restore(e);
	assert_string_equal(gerr_msg(), "jail.conf line 3: syntax error");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_clean),
		cmocka_unit_test(test_path_within),
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_dl_open),
		cmocka_unit_test(test_humanize),
		cmocka_unit_test(test_gerr),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
