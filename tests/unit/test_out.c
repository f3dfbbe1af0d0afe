/* Unit tests of the output library and the audit log writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "unit.h"

#include "out/audit.h"
#include "out/out.h"
#include "util/util.h"

struct mem {
	char	*buf;
	size_t	 len;
	FILE	*fp;
};

static struct out *
mem_out(struct mem *m, enum out_style style, unsigned flags)
{
	m->fp = open_memstream(&m->buf, &m->len);
	assert_non_null(m->fp);
	return out_new(m->fp, style, flags);
}

static void
mem_done(struct mem *m, struct out *o)
{
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	fclose(m->fp);
}

/* One jail, the way jls's default view describes it. */
static void
emit_jail(struct out *o)
{
	out_set_version(o, "2");
	out_title(o, "JID", 6);
	out_pad(o, "  ");
	out_title(o, "Path", 0);
	out_eol(o);
	out_open_container(o, "jail-information");
	out_open_list(o, "jail");
	out_open_instance(o, "jail");
	out_field_int(o, "jid", 1, 6);
	out_pad(o, "  ");
	out_field(o, "path", "/j/a<b", 0, -1, 0);
	out_field(o, "persist", "true", 0, -1, OF_BOOL | OF_ENCODE);
	out_open_leaflist(o, "ip4.addr");
	out_leaf(o, "192.0.2.1");
	out_leaf(o, "192.0.2.2");
	out_close_leaflist(o);
	out_eol(o);
	out_close_instance(o);
	out_close_list(o);
	out_close_container(o);
}

static void
test_text(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_TEXT, 0);

	(void)state;
	emit_jail(o);
	mem_done(&m, o);
	assert_string_equal(m.buf, "   JID  Path\n     1  /j/a<b\n");
	free(m.buf);
}

static void
test_json(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_JSON, 0);

	(void)state;
	emit_jail(o);
	mem_done(&m, o);
	assert_string_equal(m.buf, "{\"__version\": \"2\", "
	    "\"jail-information\": {\"jail\": [{\"jid\":1,"
	    "\"path\":\"/j/a<b\",\"persist\":true, "
	    "\"ip4.addr\": [\"192.0.2.1\",\"192.0.2.2\"]}]}}\n");
	free(m.buf);
}

static void
test_json_pretty(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_JSON, OUT_PRETTY);

	(void)state;
	out_open_container(o, "a");
	out_field(o, "s", "x\"y\\z\n", 0, -1, 0);
	out_field(o, "n", "007", 0, -1, OF_NUM);
	out_field(o, "m", "-12", 0, -1, OF_NUM);
	out_field(o, "d", "shown only in text", 0, -1, OF_DISPLAY);
	out_close_container(o);
	mem_done(&m, o);
	assert_string_equal(m.buf, "{\n  \"a\": {\n"
	    "    \"s\": \"x\\\"y\\\\z\\n\",\n"
	    "    \"n\": \"007\",\n"
	    "    \"m\": -12\n  }\n}\n");
	free(m.buf);
}

static void
test_json_empty(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_JSON, 0);

	(void)state;
	out_set_version(o, "2");
	out_open_container(o, "jail-information");
	out_open_list(o, "jail");
	mem_done(&m, o);	/* out_finish closes what is open */
	assert_string_equal(m.buf, "{\"__version\": \"2\", "
	    "\"jail-information\": {\"jail\": []}}\n");
	free(m.buf);
}

static void
test_xml(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_XML, 0);

	(void)state;
	emit_jail(o);
	mem_done(&m, o);
	assert_string_equal(m.buf, "<jail-information __version=\"2\">"
	    "<jail><jid>1</jid><path>/j/a&lt;b</path>"
	    "<persist>true</persist>"
	    "<ip4.addr>192.0.2.1</ip4.addr><ip4.addr>192.0.2.2</ip4.addr>"
	    "</jail></jail-information>\n");
	free(m.buf);
}

static void
test_xml_pretty(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_XML, OUT_PRETTY);

	(void)state;
	out_open_container(o, "a");
	out_field(o, "b", "1", 0, -1, 0);
	out_close_container(o);
	mem_done(&m, o);
	assert_string_equal(m.buf, "<a>\n  <b>1</b>\n</a>\n");
	free(m.buf);
}

static void
test_html(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_HTML, 0);

	(void)state;
	out_title(o, "JID", 4);
	out_eol(o);
	out_field(o, "path", "/a&b", 0, -1, 0);
	out_field(o, "hidden", "x", 0, -1, OF_ENCODE);
	out_eol(o);
	mem_done(&m, o);
	assert_string_equal(m.buf,
	    "<div class=\"line\">\n<div class=\"title\"> JID</div>\n</div>\n"
	    "<div class=\"line\">\n"
	    "<div class=\"data\" data-tag=\"path\">/a&amp;b</div>\n</div>\n");
	free(m.buf);
}

static void
test_text_widths(void **state)
{
	struct mem m;
	struct out *o = mem_out(&m, OUT_TEXT, 0);

	(void)state;
	out_field(o, "a", "abcdef", -4, 3, 0);
	out_pad(o, "|");
	out_field(o, "b", "xy", 4, -1, 0);
	out_field(o, "c", NULL, 0, -1, 0);
	out_field(o, "e", "enc", 0, -1, OF_ENCODE);
	out_eol(o);
	mem_done(&m, o);
	assert_string_equal(m.buf, "abc |  xy\n");
	free(m.buf);
}

static void
test_parse_spec(void **state)
{
	enum out_style s = OUT_TEXT;
	unsigned f = 0;

	(void)state;
	assert_int_equal(out_parse_spec("json,pretty", &s, &f), 0);
	assert_int_equal(s, OUT_JSON);
	assert_int_equal(f, OUT_PRETTY);
	assert_int_equal(out_parse_spec("xml,warn", &s, &f), 0);
	assert_int_equal(s, OUT_XML);
	assert_int_equal(out_parse_spec("html", &s, &f), 0);
	assert_int_equal(s, OUT_HTML);
	assert_int_equal(out_parse_spec("text", &s, &f), 0);
	assert_int_equal(s, OUT_TEXT);
	assert_int_equal(out_parse_spec("yaml", &s, &f), -1);
	assert_string_equal(gerr_msg(), "unknown --libxo option \"yaml\"");
	assert_int_equal(s, OUT_TEXT);	/* unchanged on error */
}

static void
test_args(void **state)
{
	char *argv[] = { "jls", "--libxo", "json,pretty", "-v", "--libxo=xml",
	    "-j", "web", "--", "--libxo", NULL };
	char *argv2[] = { "jls", "--libxo:JP", NULL };
	char *argv3[] = { "jls", "-n", "--libxo", NULL };
	enum out_style s = OUT_TEXT;
	unsigned f = 0;
	int argc;

	(void)state;
	argc = out_args(9, argv, &s, &f);
	assert_int_equal(argc, 6);
	assert_int_equal(s, OUT_XML);
	assert_int_equal(f, OUT_PRETTY);
	assert_string_equal(argv[1], "-v");
	assert_string_equal(argv[2], "-j");
	assert_string_equal(argv[4], "--");
	assert_string_equal(argv[5], "--libxo");
	assert_null(argv[6]);

	s = OUT_TEXT;
	f = 0;
	assert_int_equal(out_args(2, argv2, &s, &f), 1);
	assert_int_equal(s, OUT_JSON);
	assert_int_equal(f, OUT_PRETTY);

	assert_int_equal(out_args(3, argv3, &s, &f), -1);
}

static void
test_shquote(void **state)
{
	char *q;

	(void)state;
	q = out_shquote("/bin/sh");
	assert_string_equal(q, "/bin/sh");
	free(q);
	q = out_shquote("a b");
	assert_string_equal(q, "'a b'");
	free(q);
	q = out_shquote("it's");
	assert_string_equal(q, "'it'\\''s'");
	free(q);
	q = out_shquote("");
	assert_string_equal(q, "''");
	free(q);
}

static void
test_audit(void **state)
{
	char dir[] = "/tmp/test_out.XXXXXX";
	char *argv[] = { "/bin/echo", "hello world", NULL };
	struct audit a = { .log = "jexec.log", .prog = "jexec", .jid = 3,
	    .jname = "web", .argv = argv };
	char *path, *text, *id, *nl;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("GAOL_LOGDIR", dir, 1);
	assert_int_equal(audit_begin(&a), 0);
	assert_int_equal(audit_end(&a, 7), 0);
	path = xasprintf("%s/jexec.log", dir);
	text = read_file(path, NULL);
	assert_non_null(text);

	/* Two lines, one id, the right events and fields. */
	nl = strchr(text, '\n');
	assert_non_null(nl);
	if (nl == NULL)		/* cmocka's asserts are not noreturn */
		return;
	assert_non_null(strstr(text, " event=start prog=jexec uid="));
	assert_non_null(strstr(text,
	    " jid=3 jail=web as=- cmd=/bin/echo 'hello world'\n"));
	assert_non_null(strstr(nl, " event=end prog=jexec "));
	assert_non_null(strstr(nl, " status=7\n"));
	assert_string_equal(nl + 1 + strlen(nl + 1) - 1, "\n");
	id = xasprintf(" id=%s ", a.id);
	assert_true(strstr(text, id) < nl);
	assert_non_null(strstr(nl, id));

	unlink(path);
	rmdir(dir);
	unsetenv("GAOL_LOGDIR");
	free(id);
	free(text);
	free(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_pretty),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_xml_pretty),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_text_widths),
		cmocka_unit_test(test_parse_spec),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_shquote),
		cmocka_unit_test(test_audit),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
