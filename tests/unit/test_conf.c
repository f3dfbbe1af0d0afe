/* jail.conf(5) grammar, merging, expansion and the parameter table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"

static char tmpdir[] = "/tmp/test_conf.XXXXXX";

static char *
put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, rel);
	char *dir = xstrdup(path);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(mkdir_p(dir, 0755), 0);
	assert_int_equal(write_file_atomic(path, text, strlen(text), 0644), 0);
	free(dir);
	return path;
}

/* Parse text as jail.conf and resolve one jail; -1 keeps the message. */
static int
resolve_text(const char *text, const char *name, const struct jparams *cmd,
    struct jparams *out)
{
	struct jconf cf;
	char *path = put("jail.conf", text);
	int r;

	r = jconf_load(&cf, path, NULL);
	if (r == 0)
		r = jconf_resolve(&cf, name, cmd, out);
	jconf_free(&cf);
	free(path);
	return r;
}

static void
expect_str(const struct jparams *l, const char *name, const char *want)
{
	const char *got = jparams_str(l, name);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
}

static void
expect_error(const char *text, const char *name, const char *msg)
{
	struct jparams out;

	assert_int_equal(resolve_text(text, name, NULL, &out), -1);
	assert_string_equal(gerr_msg(), msg);
}

static void
test_blocks_and_globals(void **state)
{
	struct jparams out;
	struct jconf cf;
	struct strlist names = { 0 };
	char *path;

	(void)state;
	assert_int_equal(resolve_text(
	    "path = /j/default;\n"
	    "persist;\n"
	    "web { path = /j/web; host.hostname = web.example; }\n"
	    "db { }\n", "web", NULL, &out), 0);
	expect_str(&out, "name", "web");
	expect_str(&out, "path", "/j/web");
	expect_str(&out, "host.hostname", "web.example");
	assert_true(jparams_bool(&out, "persist"));
	jparams_free(&out);

	path = put("jail.conf", "a { }\nb { }\na { }\n");
	assert_int_equal(jconf_load(&cf, path, NULL), -1);
	{
		char *want = xasprintf("%s line 3: jail \"a\" is already "
		    "defined (%s line 1)", path, path);

		assert_string_equal(gerr_msg(), want);
		free(want);
	}
	jconf_free(&cf);
	free(path);
	path = put("jail.conf", "a { } 7 { } * { } b.c { } * { }");
	assert_int_equal(jconf_load(&cf, path, NULL), 0);
	jconf_names(&cf, &names);
	assert_int_equal(names.n, 3);
	assert_string_equal(names.v[0], "a");
	assert_string_equal(names.v[1], "7");
	assert_string_equal(names.v[2], "b.c");
	assert_int_equal(jconf_resolve(&cf, "7", NULL, &out), 0);
	expect_str(&out, "jid", "7");
	expect_str(&out, "name", NULL);
	jparams_free(&out);
	strlist_clear(&names);
	jconf_free(&cf);
	free(path);
}

static void
test_booleans(void **state)
{
	struct jparams out;

	(void)state;
	assert_int_equal(resolve_text(
	    "j { persist; allow.nomount; allow.raw_sockets = true;\n"
	    "allow.chflags = 0; allow.nosysvipc = 0; exec.noclean;\n"
	    "mount.devfs = TRUE; allow.set_hostname = false; }",
	    "j", NULL, &out), 0);
	assert_true(jparams_bool(&out, "persist"));
	assert_false(jparams_bool(&out, "allow.mount"));
	assert_true(jparams_bool(&out, "allow.raw_sockets"));
	assert_false(jparams_bool(&out, "allow.chflags"));
	assert_true(jparams_bool(&out, "allow.sysvipc"));
	assert_false(jparams_bool(&out, "exec.clean"));
	assert_true(jparams_bool(&out, "mount.devfs"));
	assert_false(jparams_bool(&out, "allow.set_hostname"));
	assert_null(jparams_find(&out, "allow.nomount"));
	jparams_free(&out);
	expect_error("j { persist = maybe; }", "j",
	    "j: persist: unknown boolean value \"maybe\"");
}

static void
test_append_levels(void **state)
{
	struct jparams out = { 0 }, cmd = { 0 };
	struct jparam *p;

	(void)state;
	assert_int_equal(jparams_parse_arg(&cmd, "ip4.addr+=192.0.2.4"), 0);
	assert_int_equal(resolve_text(
	    "ip4.addr = 192.0.2.1;\n"
	    "* { ip4.addr += 192.0.2.2; }\n"
	    "j { ip4.addr += 192.0.2.3; exec.start = a; exec.start += b; }\n",
	    "j", &cmd, &out), 0);
	expect_str(&out, "ip4.addr", "192.0.2.1,192.0.2.2,192.0.2.3,192.0.2.4");
	p = jparams_find(&out, "exec.start");
	assert_int_equal(p->val.n, 2);
	jparams_free(&out);
	jparams_free(&cmd);

	/* "=" at a later level replaces */
	assert_int_equal(jparams_parse_arg(&cmd, "ip4.addr=192.0.2.9"), 0);
	assert_int_equal(resolve_text("ip4.addr = 192.0.2.1; j { }", "j",
	    &cmd, &out), 0);
	expect_str(&out, "ip4.addr", "192.0.2.9");
	jparams_free(&out);
	jparams_free(&cmd);
}

static void
test_lists(void **state)
{
	struct jparams out;
	struct jparam *p;

	(void)state;
	assert_int_equal(resolve_text(
	    "j { ip4.addr = 192.0.2.1, \"lo|192.0.2.2/24\", 192.0.2.3;\n"
	    "    exec.start = \"/bin/sh /etc/rc\", 'echo a,b';\n"
	    "    mount += \"tmpfs /j/tmp tmpfs rw 0 0\"; }",
	    "j", NULL, &out), 0);
	p = jparams_find(&out, "ip4.addr");
	assert_int_equal(p->val.n, 3);
	assert_string_equal(p->val.v[1], "lo|192.0.2.2/24");
	p = jparams_find(&out, "exec.start");
	assert_int_equal(p->val.n, 2);
	assert_string_equal(p->val.v[1], "echo a,b");
	p = jparams_find(&out, "mount");
	assert_int_equal(p->val.n, 1);
	jparams_free(&out);
	expect_error("j { ip4.addr = 192.0.2.1, 300.1.1.1; }", "j",
	    "j: ip4.addr: not an IPv4 address: 300.1.1.1");
	expect_error("j { ip6.addr = 2001:db8::1/129; }", "j",
	    "j: ip6.addr: bad prefix length in 2001:db8::1/129");
}

static void
test_quoting(void **state)
{
	struct jparams out;

	(void)state;
	assert_int_equal(resolve_text(
	    "j {\n"
	    "  host.hostname = \"a\\tb\\x41\\101\\\"q\\\\\";\n"
	    "  exec.start = '$name stays, \\'quoted\\'';\n"
	    "  exec.stop = \"stop $name\";\n"
	    "  path = /j/\"$name\"'/x'y;\n"
	    "  meta = \"one\\\n"
	    "two\";\n"
	    "  env = \"multi\n"
	    "line\";\n"
	    "  exec.jail_user = a\\ b;\n"
	    "  exec.consolelog = \"cost: 5$\";\n"
	    "}", "j", NULL, &out), 0);
	expect_str(&out, "host.hostname", "a\tbAA\"q\\");
	expect_str(&out, "exec.start", "$name stays, 'quoted'");
	expect_str(&out, "exec.stop", "stop j");
	expect_str(&out, "path", "/j/j/xy");
	expect_str(&out, "meta", "onetwo");
	expect_str(&out, "env", "multi\nline");
	expect_str(&out, "exec.jail_user", "a b");
	expect_str(&out, "exec.consolelog", "cost: 5$");
	jparams_free(&out);
}

static void
test_expansion(void **state)
{
	struct jparams out;
	struct jparam *p;

	(void)state;
	assert_int_equal(resolve_text(
	    "$root = \"/var/jail\";\n"
	    "path = \"$root/$name\";\n"
	    "host.hostname = \"${name}.example.org\";\n"
	    "exec.consolelog = ${path}/console.log;\n"
	    "mount.fstab = \"/etc/fstab.${host.hostname}\";\n"
	    "depend = $deps;\n"
	    "web { $deps = db, cache; }\n", "web", NULL, &out), 0);
	expect_str(&out, "path", "/var/jail/web");
	expect_str(&out, "host.hostname", "web.example.org");
	expect_str(&out, "exec.consolelog", "/var/jail/web/console.log");
	expect_str(&out, "mount.fstab", "/etc/fstab.web.example.org");
	p = jparams_find(&out, "depend");
	assert_int_equal(p->val.n, 2);
	assert_null(jparams_find(&out, "$root"));
	assert_null(jparams_find(&out, "$deps"));
	jparams_free(&out);

	expect_error("web { path = \"/j/$nosuch\"; }", "web",
	    "web: path: variable \"nosuch\" not found");
	expect_error("web { path = \"/j/${host.hostname}\"; }", "web",
	    "web: path: variable \"host.hostname\" not found");
	expect_error("web { $a = $b; $b = $a; path = $a; }", "web",
	    "web: a: variable loop");
	expect_error("web { ip4.addr = 192.0.2.1, 192.0.2.2; "
	    "path = \"/j/${ip4.addr}\"; }", "web",
	    "web: path: array cannot be substituted inline");
}

static void
test_comments(void **state)
{
	struct jparams out;
	char *m;

	(void)state;
	assert_int_equal(resolve_text(
	    "# shell\n"
	    "// c++\n"
	    "/* c\n spanning */ j /* here */ { path = /j; # after\n"
	    "persist; // after\n"
	    "host.hostname = a#b; }\n"
	    "; }\n", "j", NULL, &out), 0);
	expect_str(&out, "path", "/j");
	expect_str(&out, "host.hostname", "a");
	assert_true(jparams_bool(&out, "persist"));
	jparams_free(&out);
	/* a comment inside a value ends it: that leaves a syntax error */
	m = xasprintf("%s/jail.conf line 4: syntax error", tmpdir);
	expect_error("j {\n path = /j;\n host.hostname = a#b\n}\n", "j", m);
	free(m);
}

/* The message for text written to jail.conf: "FILE line N: what". */
static void
expect_at(const char *text, int line, const char *what)
{
	char *m = xasprintf("%s/jail.conf line %d: %s", tmpdir, line, what);

	expect_error(text, "j", m);
	free(m);
}

/* jailparse.y: a block in a block is the jail "outer.inner". */
static void
test_nested_blocks(void **state)
{
	struct jparams out;
	struct jconf cf;
	struct strlist names = { 0 };
	char *path = put("nested.conf",
	    "p { host.hostname = outer; q { persist; r { } } path = /p; }\n");

	(void)state;
	assert_int_equal(jconf_load(&cf, path, NULL), 0);
	jconf_names(&cf, &names);
	assert_int_equal(names.n, 3);
	assert_string_equal(names.v[0], "p");
	assert_string_equal(names.v[1], "p.q");
	assert_string_equal(names.v[2], "p.q.r");
	/* the outer block's parameters are its own, the inner's too */
	assert_int_equal(jconf_resolve(&cf, "p", NULL, &out), 0);
	expect_str(&out, "path", "/p");
	assert_null(jparams_find(&out, "persist"));
	jparams_free(&out);
	assert_int_equal(jconf_resolve(&cf, "p.q", NULL, &out), 0);
	assert_null(jparams_find(&out, "host.hostname"));
	assert_true(jparams_bool(&out, "persist"));
	jparams_free(&out);
	strlist_clear(&names);
	jconf_free(&cf);
	free(path);
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	/* the error is seen at the '}' that should have been a ';' */
	expect_at("j {\n path = /j;\n persist\n}\n", 4, "syntax error");
	expect_at("a { }\nb { c { = } }\n", 2, "syntax error");
	expect_at("j {\n path = \"/j;\n}\n", 2, "unterminated string");
	expect_at("/* j { }\n\n", 1, "unterminated comment");
	expect_at("j { path = ${name;\n}", 1, "unterminated variable");
	expect_at("j { path = /j, ; }", 1, "syntax error");
}

static void
test_table_errors(void **state)
{
	(void)state;
	expect_error("webserver { foo.bar = 1; }", "webserver",
	    "webserver: unknown parameter: foo.bar");
	expect_error("webserver { securelevel = x; }", "webserver",
	    "webserver: securelevel: non-integer value \"x\"");
	expect_error("webserver { enforce_statfs = 3; }", "webserver",
	    "webserver: enforce_statfs: value out of range \"3\" (0 to 2)");
	expect_error("webserver { exec.fib = 1; }", "webserver",
	    "webserver: exec.fib: not supported on Linux: Linux has no FIBs "
	    "(setfib); use vnet and policy routing");
	expect_error("webserver { children.cur = 1; }", "webserver",
	    "webserver: children.cur: read-only parameter");
	expect_error("webserver { sysvshm = inherit; }", "webserver",
	    "webserver: sysvshm: \"inherit\" is not supported on Linux: a jail "
	    "always has its own IPC namespace (\"new\")");
	expect_error("webserver { host.hostuuid = nope; }", "webserver",
	    "webserver: host.hostuuid: invalid UUID \"nope\"");
	expect_error("webserver { name = other; }", "webserver",
	    "webserver: cannot redefine parameter \"name\".");
}

static void
test_accepted_oddities(void **state)
{
	struct jparams out;

	(void)state;
	/* a FreeBSD-only flag turned off is what Linux does anyway */
	assert_int_equal(resolve_text("j { allow.mount.nozfs; sysvmsg = new; "
	    "vnet; osrelease = 14.1-RELEASE; web = x; }", "j", NULL, &out), -1);
	assert_string_equal(gerr_msg(), "j: unknown parameter: web");
	assert_int_equal(resolve_text("j { allow.mount.nozfs; sysvmsg = new; "
	    "vnet; osrelease = 14.1-RELEASE; name = j; }", "j", NULL, &out), 0);
	expect_str(&out, "vnet", "");
	jparams_free(&out);
}

static void
test_wildcards(void **state)
{
	struct jparams out;
	const char *conf =
	    "* { path = /j/first; }\n"
	    "web1 { path = /j/own; host.hostname = own; }\n"
	    "web* { host.hostname = webs; }\n"
	    "foo.* { persist; }\n"
	    "exec.clean;\n";

	(void)state;
	assert_int_equal(resolve_text(conf, "web1", NULL, &out), 0);
	expect_str(&out, "path", "/j/own");		/* wildcard above */
	expect_str(&out, "host.hostname", "webs");	/* wildcard below */
	assert_true(jparams_bool(&out, "exec.clean"));
	assert_false(jparams_bool(&out, "persist"));
	jparams_free(&out);
	assert_int_equal(resolve_text(conf, "foo.bar.baz", NULL, &out), 0);
	assert_true(jparams_bool(&out, "persist"));
	expect_str(&out, "host.hostname", NULL);
	jparams_free(&out);
	assert_int_equal(resolve_text(conf, "foo", NULL, &out), 0);
	assert_false(jparams_bool(&out, "persist"));
	jparams_free(&out);
}

static void
test_include(void **state)
{
	struct jparams out;
	struct jconf cf;
	char *main_conf, *m;

	(void)state;
	free(put("inc/a.conf", "a { path = /j/a; }\n"));
	free(put("inc/b.conf", "b { path = /j/b; }\n"));
	free(put("inc/c.txt", "c { }\n"));
	free(put("inc/sub/d.conf", ".include \"../../persist.inc\";\n d { }"));
	free(put("persist.inc", "persist;"));
	main_conf = put("main.conf",
	    ".include \"inc/*.conf\";\n.include \"inc/sub/d.conf\"\n"
	    ".include \"nothing/*.conf\";\n");
	assert_int_equal(jconf_load(&cf, main_conf, NULL), 0);
	assert_int_equal(jconf_resolve(&cf, "b", NULL, &out), 0);
	expect_str(&out, "path", "/j/b");
	assert_true(jparams_bool(&out, "persist"));
	jparams_free(&out);
	assert_int_equal(cf.files.n, 5);
	jconf_free(&cf);

	free(put("bad.inc", "x {\n\n"));
	free(put("loop.conf", ".include \"bad.inc\";"));
	m = xasprintf("%s/bad.inc line 3: syntax error", tmpdir);
	free(main_conf);
	main_conf = xasprintf("%s/loop.conf", tmpdir);
	assert_int_equal(jconf_load(&cf, main_conf, NULL), -1);
	assert_string_equal(gerr_msg(), m);
	jconf_free(&cf);
	free(m);
	free(main_conf);

	main_conf = put("self.conf", ".include \"self.conf\";");
	assert_int_equal(jconf_load(&cf, main_conf, NULL), -1);
	assert_non_null(strstr(gerr_msg(), "too many nested includes"));
	jconf_free(&cf);
	free(main_conf);

	/* a file named without a pattern must be there (config.c) */
	main_conf = put("missing.conf", ".include \"not-there.conf\";");
	m = xasprintf("%s/not-there.conf: No such file or directory", tmpdir);
	assert_int_equal(jconf_load(&cf, main_conf, NULL), -1);
	assert_string_equal(gerr_msg(), m);
	jconf_free(&cf);
	free(m);
	free(main_conf);
}

static void
test_command_line_only(void **state)
{
	struct jparams cmd = { 0 }, out;

	(void)state;
	jparams_parse_arg(&cmd, "name=solo");
	jparams_parse_arg(&cmd, "path=/j/$name");	/* literal: the shell's */
	assert_int_equal(resolve_text("path = \"/j/$name\";\n"
	    "solo { persist; }", NULL, &cmd, &out), 0);
	expect_str(&out, "path", "/j/$name");
	assert_true(jparams_bool(&out, "persist"));
	jparams_free(&out);
	jparams_free(&cmd);
}

static void
test_conf_d(void **state)
{
	struct strlist names = { 0 };
	struct jparams out;
	struct jconf cf;
	char *etc = xasprintf("%s/etc", tmpdir), *m;

	(void)state;
	setenv("GAOL_SYSCONFDIR", etc, 1);
	/* no jail.conf at all: not an error */
	assert_int_equal(jconf_load(&cf, NULL, NULL), 0);
	assert_int_equal(cf.njails, 0);
	jconf_free(&cf);

	free(put("etc/jail.conf", "path = \"/j/$name\"; main { }\n"));
	free(put("etc/jail.conf.d/extra.conf", "extra { persist; }\n"));
	free(put("etc/jail.conf.d/main.conf", "main { path = /wrong; }\n"));
	strlist_add(&names, "main");
	strlist_add(&names, "extra");
	strlist_add(&names, "../etc/jail");
	assert_int_equal(jconf_load(&cf, NULL, &names), 0);
	assert_int_equal(jconf_resolve(&cf, "extra", NULL, &out), 0);
	expect_str(&out, "path", "/j/extra");
	assert_true(jparams_bool(&out, "persist"));
	jparams_free(&out);
	assert_int_equal(jconf_resolve(&cf, "main", NULL, &out), 0);
	expect_str(&out, "path", "/j/main");
	jparams_free(&out);
	jconf_free(&cf);
	strlist_clear(&names);

	/* -f file that is missing is an error */
	m = xasprintf("%s/none.conf", tmpdir);
	assert_int_equal(jconf_load(&cf, m, NULL), -1);
	assert_non_null(strstr(gerr_msg(), "none.conf: No such file"));
	jconf_free(&cf);
	free(m);
	unsetenv("GAOL_SYSCONFDIR");
	free(etc);
}

static void
test_parse_arg(void **state)
{
	struct jparams l = { 0 };
	struct jparam *p;

	(void)state;
	assert_int_equal(jparams_parse_arg(&l, "path=/j/x"), 0);
	assert_int_equal(jparams_parse_arg(&l, "persist"), 0);
	assert_int_equal(jparams_parse_arg(&l, "allow.nomount"), 0);
	assert_int_equal(jparams_parse_arg(&l, "exec.noclean=0"), 0);
	assert_int_equal(jparams_parse_arg(&l, "ip4.addr=192.0.2.1,192.0.2.2"), 0);
	assert_int_equal(jparams_parse_arg(&l, "exec.start=echo a,b"), 0);
	assert_int_equal(jparams_parse_arg(&l, "exec.start+=echo c"), 0);
	assert_int_equal(jparams_parse_arg(&l, "command=/bin/sh"), 0);
	assert_int_equal(jparams_parse_arg(&l, "=x"), -1);
	expect_str(&l, "path", "/j/x");
	assert_true(jparams_find(&l, "persist")->bare);
	assert_false(jparams_bool(&l, "allow.mount"));
	assert_true(jparams_bool(&l, "exec.clean"));
	assert_int_equal(jparams_find(&l, "ip4.addr")->val.n, 2);
	/* jail(8): a list named again grows; a scalar is replaced */
	assert_int_equal(jparams_parse_arg(&l, "ip4.addr=192.0.2.3"), 0);
	assert_int_equal(jparams_find(&l, "ip4.addr")->val.n, 3);
	assert_false(jparams_find(&l, "ip4.addr")->append);
	assert_int_equal(jparams_parse_arg(&l, "path=/j/x"), 0);
	expect_str(&l, "path", "/j/x");
	p = jparams_find(&l, "exec.start");
	assert_int_equal(p->val.n, 2);
	assert_string_equal(p->val.v[0], "echo a,b");
	assert_int_equal(jparams_int(&l, "securelevel"), -1);
	jparams_unset(&l, "path");
	assert_null(jparams_find(&l, "path"));
	jparams_free(&l);
}

/* Every reader takes defaults and value types from the table. */
static void
test_defaults(void **state)
{
	struct jparams l = { 0 };

	(void)state;
	assert_true(jparams_bool(&l, "allow.set_hostname"));
	assert_false(jparams_bool(&l, "allow.mount"));
	assert_true(jparams_bool(&l, "ip4.saddrsel"));
	assert_false(jparams_bool(&l, "no.such.flag"));
	assert_int_equal(jparams_int(&l, "securelevel"), -1);
	assert_int_equal(jparams_int(&l, "stop.timeout"), 10);
	assert_int_equal(jparams_int(&l, "devfs_ruleset"), 0);
	assert_int_equal(jparams_jailsys(&l, "ip4"), JAILSYS_DISABLE);
	assert_int_equal(jparams_jailsys(&l, "vnet"), JAILSYS_INHERIT);
	assert_int_equal(jparams_jailsys(&l, "host"), JAILSYS_NEW);
	/* jail(8): mount.devfs without a ruleset gets ruleset 4 */
	assert_int_equal(jparams_parse_arg(&l, "mount.devfs"), 0);
	assert_int_equal(jparams_int(&l, "devfs_ruleset"), 4);
	assert_string_equal(param_default(&l, "devfs_ruleset"), "4");
	assert_int_equal(jparams_parse_arg(&l, "vnet"), 0);
	assert_int_equal(jparams_jailsys(&l, "vnet"), JAILSYS_NEW);
	assert_int_equal(jparams_parse_arg(&l, "ip4=2"), 0);
	assert_int_equal(jparams_jailsys(&l, "ip4"), JAILSYS_INHERIT);
	assert_int_equal(param_parse_jailsys("Inherit"), JAILSYS_INHERIT);
	assert_int_equal(param_parse_jailsys("0"), JAILSYS_DISABLE);
	assert_int_equal(param_parse_jailsys("3"), -1);
	assert_int_equal(param_parse_jailsys("0x1"), -1);
	assert_string_equal(param_jailsys_name(JAILSYS_NEW), "new");
	jparams_free(&l);
}

static void
expect_quote(const char *in, const char *want)
{
	char *s = jparam_quote(in);

	assert_string_equal(s, want);
	free(s);
}

static void
test_quote_render(void **state)
{
	struct jparams l = { 0 };
	char *s;

	(void)state;
	expect_quote("plain/path-1.2", "plain/path-1.2");
	expect_quote("a \"b\" $c `d` \\e", "\"a \\\"b\\\" \\$c \\`d\\` \\\\e\"");
	expect_quote("", "\"\"");

	jparams_parse_arg(&l, "name=web");
	jparams_parse_arg(&l, "persist");
	jparams_parse_arg(&l, "allow.nomount");
	jparams_parse_arg(&l, "host.hostname=a b");
	jparams_parse_arg(&l, "ip4.addr=192.0.2.1,192.0.2.2");
	jparams_parse_arg(&l, "exec.start=x");
	s = jparams_render(&l, false);
	assert_string_equal(s, "name=web persist allow.nomount "
	    "host.hostname=\"a b\" ip4.addr=192.0.2.1,192.0.2.2");
	free(s);
	jparams_parse_arg(&l, "exec.start+=y z");
	s = jparams_render(&l, true);
	assert_non_null(strstr(s, "exec.start=x exec.start+=\"y z\""));
	free(s);
	jparams_free(&l);
}

static void
test_table(void **state)
{
	const struct paramdef *d;

	(void)state;
	assert_non_null(d = param_lookup("allow.suser"));
	assert_string_equal(d->def, "true");
	assert_non_null(d = param_lookup("stop.timeout"));
	assert_string_equal(d->def, "10");
	assert_non_null(d = param_lookup("allow.mount.zfs"));
	assert_true(d->flags & PF_NOLINUX);
	assert_non_null(d->why);
	assert_null(param_lookup("allow.nomount"));
	for (d = paramdefs; d->name != NULL; d++)
		if (d->flags & PF_NOLINUX)
			assert_non_null(d->why);
}

/* One value of one parameter through jparam_check. */
static int
check_one(const char *name, const char *value)
{
	struct jparams l = { 0 };
	int r;

	jparams_set(&l, name, value, false, NULL, 0);
	r = jparam_check(&l.v[0]);
	jparams_free(&l);
	return r;
}

/* The table's limit columns are what jparam_check holds values to. */
static void
test_table_limits(void **state)
{
	const struct paramdef *d;
	char buf[64];

	(void)state;
	for (d = paramdefs; d->name != NULL; d++) {
		if (d->flags & (PF_NOLINUX | PF_RDONLY) ||
		    (d->min == 0 && d->max == 0))
			continue;
		if (d->type == PT_INT) {
			snprintf(buf, sizeof(buf), "%lld", d->min);
			assert_int_equal(check_one(d->name, buf), 0);
			snprintf(buf, sizeof(buf), "%lld", d->max);
			assert_int_equal(check_one(d->name, buf), 0);
			snprintf(buf, sizeof(buf), "%lld", d->min - 1);
			assert_int_equal(check_one(d->name, buf), -1);
			assert_non_null(strstr(gerr_msg(), "out of range"));
			snprintf(buf, sizeof(buf), "%lld", d->max + 1);
			assert_int_equal(check_one(d->name, buf), -1);
		} else {
			char *s = xcalloc((size_t)d->max + 2, 1);

			assert_int_equal(d->type, PT_STRING);
			memset(s, 'a', (size_t)d->max);
			assert_int_equal(check_one(d->name, s), 0);
			s[d->max] = 'a';
			assert_int_equal(check_one(d->name, s), -1);
			assert_non_null(strstr(gerr_msg(), "too long"));
			free(s);
		}
	}
	assert_non_null(d = param_lookup("host.hostname"));
	assert_int_equal(d->max, 64);
	assert_non_null(d = param_lookup("securelevel"));
	assert_int_equal(d->min, -1);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int r;

	(void)state;
	r = system(cmd);
	free(cmd);
	return r == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_and_globals),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_append_levels),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_nested_blocks),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_table_errors),
		cmocka_unit_test(test_accepted_oddities),
		cmocka_unit_test(test_wildcards),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_conf_d),
		cmocka_unit_test(test_command_line_only),
		cmocka_unit_test(test_parse_arg),
		cmocka_unit_test(test_quote_render),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_limits),
		cmocka_unit_test(test_defaults),
	};

	return unit_main(argc, argv, tests, setup, teardown);
}
