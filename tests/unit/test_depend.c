/*
 * depend: the order jail.conf's jails start in (conf's jplan_add) and
 * the order running jails stop in (the jail core's jail_stop_order).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "jail/jail.h"

/* Load text as a jail.conf, from a file gone once it is read. */
static void
load(struct jconf *cf, const char *text)
{
	char path[] = "/tmp/test_depend.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0600), 0);
	assert_int_equal(jconf_load(cf, path, NULL), 0);
	unlink(path);
}

static char *
joined(const struct strlist *l)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < l->n; i++) {
		char *t = xasprintf("%s%s%s", s, i ? " " : "", l->v[i]);

		free(s);
		s = t;
	}
	return s;
}

static void
expect_order(const struct strlist *l, const char *want)
{
	char *got = joined(l);

	assert_string_equal(got, want);
	free(got);
}

/* What a jail depends on starts first, a parent before its child. */
static void
test_start_order(void **state)
{
	struct jconf cf;
	struct jplan pl = { 0 };

	(void)state;
	load(&cf, "path = /;\n"
	    "web { depend = db, cache; }\n"
	    "db { depend = net; }\n"
	    "cache { }\n"
	    "net { }\n"
	    "web.child { }\n");
	if (jplan_add(&pl, &cf, "web.child") == -1)
		fail_msg("%s", gerr_msg());
	expect_order(&pl.order, "net db cache web web.child");
	/* Added once, however often it is asked for. */
	assert_int_equal(jplan_add(&pl, &cf, "db"), 0);
	expect_order(&pl.order, "net db cache web web.child");
	assert_non_null(jplan_jail(&pl, "db")->params.v);
	assert_string_equal(jparams_str(&jplan_jail(&pl, "db")->params,
	    "depend"), "net");
	/* What each waits for, as gaol start's waves read it: depend, parent. */
	expect_order(&jplan_jail(&pl, "web")->deps, "db cache");
	expect_order(&jplan_jail(&pl, "web.child")->deps, "web");
	expect_order(&jplan_jail(&pl, "net")->deps, "");
	jplan_free(&pl);
	jconf_free(&cf);
}

static void
test_start_errors(void **state)
{
	struct jconf cf;
	struct jplan pl = { 0 };

	(void)state;
	load(&cf, "path = /;\n"
	    "a { depend = b; }\n"
	    "b { depend = a; }\n"
	    "c { depend = nowhere; }\n");
	assert_int_equal(jplan_add(&pl, &cf, "a"), -1);
	assert_string_equal(gerr_msg(), "a: dependency loop");
	assert_int_equal(jplan_add(&pl, &cf, "c"), -1);
	assert_string_equal(gerr_msg(),
	    "c: depends on undefined jail \"nowhere\"");
	jplan_free(&pl);
	jconf_free(&cf);
}

static void
record(struct jrecord *r, int jid, const char *name, const char *depend)
{
	memset(r, 0, sizeof(*r));
	r->jid = jid;
	r->name = xstrdup(name);
	r->state = JS_ALIVE;
	if (depend != NULL)
		jparams_set(&r->params, "depend", depend, false, NULL, 0);
}

/* Dependents (by depend, or as children) stop first; loops in order. */
static void
test_stop_order(void **state)
{
	struct jrecord recs[6];
	struct strlist t = { 0 };

	(void)state;
	record(&recs[0], 1, "db", NULL);
	record(&recs[1], 2, "web", "db");
	record(&recs[2], 3, "db.backup", NULL);
	record(&recs[3], 4, "other", NULL);
	record(&recs[4], 5, "x", "y");
	record(&recs[5], 6, "y", "x");
	strlist_add(&t, "db");
	jail_stop_order(recs, 6, &t);
	expect_order(&t, "web db.backup db");
	strlist_clear(&t);
	strlist_add(&t, "other");
	jail_stop_order(recs, 6, &t);
	expect_order(&t, "other");
	strlist_clear(&t);
	strlist_add(&t, "x");
	jail_stop_order(recs, 6, &t);
	expect_order(&t, "x y");
	strlist_clear(&t);
	for (size_t i = 0; i < 6; i++)
		jrecord_free(&recs[i]);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_order),
		cmocka_unit_test(test_start_errors),
		cmocka_unit_test(test_stop_order),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
