/* rctl rules: parsing, printing, filters, amounts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <cmocka.h>

#include "unit.h"

#include "rctl/rctl.h"
#include "util/util.h"

static void
roundtrip(const char *in, const char *out, bool human)
{
	struct rrule r;
	char *s;

	assert_int_equal(rrule_parse(in, &r, false), 0);
	s = rrule_format(&r, human);
	assert_string_equal(s, out);
	free(s);
	rrule_free(&r);
}

static void
test_parse_format(void **state)
{
	(void)state;
	roundtrip("jail:webserver:memoryuse:deny=2G",
	    "jail:webserver:memoryuse:deny=2147483648", false);
	roundtrip("jail:webserver:memoryuse:deny=2G",
	    "jail:webserver:memoryuse:deny=2G", true);
	roundtrip("j:web:pcpu:deny=50", "jail:web:pcpu:deny=50", false);
	roundtrip("jail:web:openfiles:deny=4096/process",
	    "jail:web:openfiles:deny=4096/process", false);
	roundtrip("jail:web:maxproc:deny=10/jail", "jail:web:maxproc:deny=10", false);
	roundtrip("jail:web:memoryuse:sigterm=1g", "jail:web:memoryuse:sigterm=1073741824", false);
	roundtrip("jail:web:readbps:throttle=1m", "jail:web:readbps:throttle=1M", true);
	roundtrip("jail:web:vmemoryuse:deny=1249902592", "jail:web:vmemoryuse:deny=1192M", true);
	roundtrip("jail:web:vmemoryuse:deny=1249902593", "jail:web:vmemoryuse:deny=1.2G", true);
}

static void
bad(const char *in, const char *msg)
{
	struct rrule r;

	assert_int_equal(rrule_parse(in, &r, false), -1);
	assert_non_null(strstr(gerr_msg(), msg));
}

static void
test_errors(void **state)
{
	(void)state;
	bad("jail:web:foo:deny=1", "unknown resource 'foo'");
	bad("jail:web:memoryuse:deny=1x", "invalid numeric value '1x'");
	bad("jail:web:memoryuse:deny=", "missing amount");
	bad("jail::memoryuse:deny=1", "missing subject id");
	bad("prison:web:memoryuse:deny=1", "unknown subject 'prison'");
	bad("jail:web:memoryuse:nope=1", "unknown action 'nope'");
	bad("jail", "missing subject");
	bad("jail:web:cputime:deny=1", "cputime cannot be denied");
	bad("jail:web:pcpu:throttle=1", "pcpu cannot be throttled");
	bad("jail:web:swapuse:deny=1/process", "per process");
	bad("jail:web:memoryuse:deny=1/galaxy", "unknown per 'galaxy'");
}

static void
test_filters(void **state)
{
	struct rrule f, r;

	(void)state;
	assert_int_equal(rrule_parse("jail:web:memoryuse:deny=1M", &r, false), 0);
	assert_int_equal(rrule_parse("jail:web", &f, true), 0);
	assert_true(rrule_matches(&f, &r));
	rrule_free(&f);
	assert_int_equal(rrule_parse("jail::pcpu", &f, true), 0);
	assert_false(rrule_matches(&f, &r));
	rrule_free(&f);
	assert_int_equal(rrule_parse(":", &f, true), 0);
	assert_true(rrule_matches(&f, &r));
	rrule_free(&f);
	assert_int_equal(rrule_parse("jail:web:memoryuse:deny", &f, true), 0);
	assert_true(rrule_matches(&f, &r));
	rrule_free(&f);
	assert_int_equal(rrule_parse("jail:other:", &f, true), 0);
	assert_false(rrule_matches(&f, &r));
	rrule_free(&f);
	rrule_free(&r);
}

static void
test_ruleset(void **state)
{
	struct rruleset s = { 0 };
	struct rrule r;

	(void)state;
	assert_int_equal(rrule_parse("jail:w:openfiles:deny=100", &r, false), 0);
	rruleset_add(&s, &r);
	rrule_free(&r);
	assert_int_equal(rrule_parse("jail:w:openfiles:deny=50/process", &r, false), 0);
	rruleset_add(&s, &r);
	rrule_free(&r);
	assert_int_equal(rrule_parse("jail:w:openfiles:log=10", &r, false), 0);
	rruleset_add(&s, &r);
	rrule_free(&r);
	/* The same rule again replaces the amount. */
	assert_int_equal(rrule_parse("jail:w:openfiles:deny=80", &r, false), 0);
	rruleset_add(&s, &r);
	rrule_free(&r);
	assert_int_equal(s.n, 3);
	assert_int_equal(rruleset_deny(&s, R_OPENFILES), 50);
	assert_int_equal(rruleset_deny(&s, R_MEMORYUSE), -1);
	rruleset_free(&s);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_ruleset),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
