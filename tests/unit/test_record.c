/* Registry records: what is written reads back; damage is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "state/record.h"

static void
test_round_trip_escapes_names(void **state)
{
	struct jrecord rec = { 0 }, back;
	char *text, *again;

	(void)state;
	rec.jid = 7;
	rec.name = xstrdup("we\tb");
	rec.state = JS_ALIVE;
	jrecord_add_intent(&rec, "cgroup", "/sys/fs/cgroup/x/jail-7");
	jparams_set(&rec.params, "odd\tname\nx", "v\\1", false, NULL, 0);
	text = record_encode(&rec);
	assert_int_equal(record_decode(text, &back), 0);
	assert_string_equal(back.name, "we\tb");
	assert_non_null(jparams_find(&back.params, "odd\tname\nx"));
	assert_string_equal(jparams_str(&back.params, "odd\tname\nx"), "v\\1");
	again = record_encode(&back);
	assert_string_equal(text, again);
	free(text);
	free(again);
	jrecord_free(&rec);
	jrecord_free(&back);
}

static char *
sealed(const char *body)
{
	return record_seal(body);
}

static void
test_unknown_lines_kept(void **state)
{
	char *text = sealed("jid\t3\nname\tw\nstate\talive\nfuture\ta\\tb\n");
	struct jrecord rec;
	char *out;

	(void)state;
	assert_int_equal(record_decode(text, &rec), 0);
	out = record_encode(&rec);
	assert_non_null(strstr(out, "\nfuture\ta\\tb\n"));
	free(out);
	free(text);
	jrecord_free(&rec);
}

static void
test_damage_refused(void **state)
{
	static const char *const bodies[] = {
		"jid\t3\nname\tw\nname\tx\nstate\talive\n",	/* twice */
		"jid\t3\nname\tw\nstate\talivf\n",		/* bad value */
		"jid\tx\nname\tw\nstate\talive\n",
		"jid\t3\nname\tw\n",				/* no state */
		"jid\t3\ninit\t1\nname\tw\nstate\talive\n",	/* init: 2 fields */
	};
	struct jrecord rec;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(bodies) / sizeof(*bodies); i++) {
		text = sealed(bodies[i]);
		assert_int_equal(record_decode(text, &rec), -1);
		free(text);
	}
	/* A good record with a byte changed, or cut short. */
	text = sealed("jid\t3\nname\tw\nstate\talive\n");
	assert_int_equal(record_decode(text, &rec), 0);
	jrecord_free(&rec);
	text[6] = 'v';
	assert_int_equal(record_decode(text, &rec), -1);
	text[20] = '\0';
	assert_int_equal(record_decode(text, &rec), -1);
	assert_int_equal(record_decode("", &rec), -1);
	free(text);
}

/*
 * "spawn": the request the jail's init reads.  A record from before the
 * line reads as 0 (jexec then sends the parameters as well); a bad one
 * is damage.
 */
static void
test_spawn_line(void **state)
{
	char *old = sealed("jid\t3\nname\tw\nstate\talive\n"
	    "param\tsecurelevel\t2\n");
	char *bad = sealed("jid\t3\nname\tw\nstate\talive\nspawn\tx\n");
	struct jrecord rec = { 0 }, back;
	char *text;

	(void)state;
	assert_int_equal(record_decode(old, &back), 0);
	assert_int_equal(back.spawn, 0);
	assert_string_equal(jparams_str(&back.params, "securelevel"), "2");
	text = record_encode(&back);
	assert_null(strstr(text, "spawn"));
	free(text);
	jrecord_free(&back);
	assert_int_equal(record_decode(bad, &back), -1);
	rec.jid = 4;
	rec.name = xstrdup("w");
	rec.spawn = 2;
	text = record_encode(&rec);
	assert_non_null(strstr(text, "\nspawn\t2\n"));
	assert_int_equal(record_decode(text, &back), 0);
	assert_int_equal(back.spawn, 2);
	jrecord_free(&back);
	jrecord_free(&rec);
	free(text);
	free(old);
	free(bad);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_escapes_names),
		cmocka_unit_test(test_unknown_lines_kept),
		cmocka_unit_test(test_damage_refused),
		cmocka_unit_test(test_spawn_line),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
