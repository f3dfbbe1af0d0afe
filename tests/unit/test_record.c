/* Registry records: what is written reads back; damage is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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

/*
 * "net" and "address": the addresses as create parsed them, read back
 * as they are; the ip4.addr text is not parsed again (here it could
 * not be).  A record from before the lines has its list's parsed.
 */
static void
test_net_lines(void **state)
{
	static const char *const damaged[] = {
		"net\t2\t0\naddress\t\t192.0.2.5\t32\n",	/* too few */
		"address\t\t192.0.2.5\t32\n",			/* no net */
		"net\t1\t0\naddress\t\t192.0.2.500\t32\n",
		"net\t1\t0\naddress\t\t192.0.2.5\t33\n",
		"net\t1\t0\naddress\t\t192.0.2.5\n",
		"net\t0\t0\nnet\t0\t0\n",			/* twice */
	};
	unsigned char v4[4] = { 192, 0, 2, 5 }, v6[16] = { 0x20, 0x01, 0x0d,
	    0xb8, [15] = 1 };
	struct jrecord rec = { 0 }, back;
	struct jaddr a;
	char *text, *again, *old;

	(void)state;
	rec.jid = 4;
	rec.name = xstrdup("w");
	jparams_set(&rec.params, "ip4.addr", "not parsed again", false,
	    NULL, 0);
	jparams_set(&rec.params, "ip6.saddrsel", "false", false, NULL, 0);
	jaddr_set(&a, AF_INET, v4, 24, "eth0");
	jnet_add(&rec.net, &a);
	jaddr_set(&a, AF_INET6, v6, 64, NULL);
	jnet_add(&rec.net, &a);
	text = record_encode(&rec);
	assert_non_null(strstr(text, "\nnet\t1\t1\n"
	    "address\teth0\t192.0.2.5\t24\naddress\t\t2001:db8::1\t64\n"));
	assert_int_equal(record_decode(text, &back), 0);
	assert_int_equal(back.net.n4, 1);
	assert_int_equal(back.net.n6, 1);
	assert_true(jaddr_equal(&back.net.a4[0], &rec.net.a4[0]));
	assert_string_equal(back.net.a4[0].ifname, "eth0");
	assert_int_equal(back.net.a4[0].prefix, 24);
	assert_true(jaddr_equal(&back.net.a6[0], &rec.net.a6[0]));
	assert_string_equal(back.net.a6[0].ifname, "");
	/* the rest is read from the list when wanted: what jail -m may
	   change among it */
	jnet_read_flags(&back.net, &back.params);
	assert_int_equal(back.net.mode4, JAILSYS_NEW);
	assert_int_equal(back.net.mode6, JAILSYS_NEW);
	assert_true(back.net.saddrsel4);
	assert_false(back.net.saddrsel6);
	again = record_encode(&back);
	assert_string_equal(text, again);
	free(again);
	free(text);
	jrecord_free(&back);
	jrecord_free(&rec);

	old = sealed("jid\t3\nname\tw\nstate\talive\n"
	    "param\tip4.addr\tlo|192.0.2.7/24\n");
	assert_int_equal(record_decode(old, &back), 0);
	assert_int_equal(back.net.n4, 1);
	assert_string_equal(back.net.a4[0].ifname, "lo");
	jrecord_free(&back);
	free(old);
	old = sealed("jid\t3\nname\tw\nstate\talive\n"
	    "param\tip4.addr\tnonsense\n");
	assert_int_equal(record_decode(old, &back), -1);
	free(old);

	for (size_t i = 0; i < sizeof(damaged) / sizeof(*damaged); i++) {
		char *body = xasprintf("jid\t3\nname\tw\nstate\talive\n%s",
		    damaged[i]);

		text = sealed(body);
		assert_int_equal(record_decode(text, &back), -1);
		free(text);
		free(body);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_escapes_names),
		cmocka_unit_test(test_unknown_lines_kept),
		cmocka_unit_test(test_damage_refused),
		cmocka_unit_test(test_spawn_line),
		cmocka_unit_test(test_net_lines),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
