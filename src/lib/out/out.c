/*
 * A small libxo: one description of the output, four renderings.
 * Only the parts of libxo that jls and gaol use are here: containers,
 * lists of instances, leaf lists, fields, titles and padding.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/util.h"
#include "out.h"

enum fkind { F_ROOT, F_CONTAINER, F_LIST, F_INSTANCE, F_LEAFLIST };

struct frame {
	enum fkind	 kind;
	char		*name;
	int		 count;		/* members or items written so far */
};

struct out {
	FILE		*fp;
	enum out_style	 style;
	unsigned	 flags;
	char		*version;
	struct frame	*st;
	size_t		 depth;		/* frames in use; st[0] is the root */
	size_t		 cap;
	int		 xdepth;	/* open XML elements */
	bool		 started;
	bool		 in_line;	/* HTML: a line div is open */
};

/* --- option parsing ------------------------------------------------ */

static int
spec_word(const char *w, enum out_style *style, unsigned *flags)
{
	static const char *noops[] = { "warn", "flush", "flush-line",
	    "no-locale", "color", "no-color", "keys", "info", "dtrt", NULL };

	if (strcmp(w, "text") == 0)
		*style = OUT_TEXT;
	else if (strcmp(w, "json") == 0)
		*style = OUT_JSON;
	else if (strcmp(w, "xml") == 0)
		*style = OUT_XML;
	else if (strcmp(w, "html") == 0)
		*style = OUT_HTML;
	else if (strcmp(w, "pretty") == 0)
		*flags |= OUT_PRETTY;
	else {
		/* Accepted so that scripts written for libxo still run. */
		for (int i = 0; noops[i] != NULL; i++)
			if (strcmp(w, noops[i]) == 0)
				return 0;
		gerr_set("unknown --libxo option \"%s\"", w);
		return -1;
	}
	return 0;
}

/* libxo's terse form, "--libxo:JP": one letter a style or modifier. */
static int
spec_letters(const char *s, enum out_style *style, unsigned *flags)
{
	for (; *s; s++) {
		switch (*s) {
		case 'T': *style = OUT_TEXT; break;
		case 'J': *style = OUT_JSON; break;
		case 'X': *style = OUT_XML; break;
		case 'H': *style = OUT_HTML; break;
		case 'P': *flags |= OUT_PRETTY; break;
		case 'W': case 'F': case 'k': case 'I': break;
		default:
			gerr_set("unknown --libxo flag '%c'", *s);
			return -1;
		}
	}
	return 0;
}

int
out_parse_spec(const char *spec, enum out_style *stylep, unsigned *flagsp)
{
	enum out_style style = *stylep;
	unsigned flags = *flagsp;
	char *copy = xstrdup(spec), *w, *save = NULL;
	int rc = 0;

	for (w = strtok_r(copy, ",", &save); w != NULL && rc == 0;
	    w = strtok_r(NULL, ",", &save))
		rc = spec_word(w, &style, &flags);
	free(copy);
	if (rc == 0) {
		*stylep = style;
		*flagsp = flags;
	}
	return rc;
}

/* How many argv words the option at argv[i] takes; 0 if not ours. */
static int
libxo_opt(int argc, char **argv, int i, enum out_style *style,
    unsigned *flags)
{
	const char *a = argv[i];

	if (strcmp(a, "--libxo") == 0) {
		if (i + 1 >= argc) {
			gerr_set("option --libxo requires an argument");
			return -1;
		}
		return out_parse_spec(argv[i + 1], style, flags) ? -1 : 2;
	}
	if (strncmp(a, "--libxo=", 8) == 0)
		return out_parse_spec(a + 8, style, flags) ? -1 : 1;
	if (strncmp(a, "--libxo:", 8) == 0)
		return spec_letters(a + 8, style, flags) ? -1 : 1;
	return 0;
}

int
out_args(int argc, char **argv, enum out_style *style, unsigned *flags)
{
	int i = 1, n;

	while (i < argc && strcmp(argv[i], "--") != 0) {
		if ((n = libxo_opt(argc, argv, i, style, flags)) < 0)
			return -1;
		if (n == 0) {
			i++;
			continue;
		}
		memmove(argv + i, argv + i + n,
		    (size_t)(argc - i - n + 1) * sizeof(*argv));
		argc -= n;
	}
	return argc;
}

/* --- escaping ------------------------------------------------------ */

static void
put_json_str(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			putc(c, fp);
	}
	putc('"', fp);
}

static void
put_xml_str(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&apos;", fp); break;
		default: putc(*s, fp); break;
		}
	}
}

/* A decimal integer as JSON writes one: no leading zeros, no hex. */
static bool
looks_numeric(const char *s)
{
	const char *d = s[0] == '-' ? s + 1 : s;
	long long v;

	if (parse_int(s, &v) != 0 || *d < '0' || *d > '9')
		return false;
	return strcmp(d, "0") == 0 || *d != '0';
}

static bool
truthy(const char *s)
{
	bool b;

	return s != NULL && parse_bool(s, &b) && b;
}

/* --- the frame stack ----------------------------------------------- */

static struct frame *
top(struct out *o)
{
	return &o->st[o->depth - 1];
}

static void
push(struct out *o, enum fkind kind, const char *name)
{
	if (o->depth == o->cap) {
		o->cap *= 2;
		o->st = xrealloc(o->st, o->cap, sizeof(*o->st));
	}
	o->st[o->depth++] = (struct frame){ kind, xstrdup(name), 0 };
}

static struct frame
pop(struct out *o)
{
	struct frame f = *top(o);

	if (o->depth > 1)
		o->depth--;
	return f;
}

static void
indent(struct out *o, int levels)
{
	for (int i = 0; i < levels; i++)
		fputs("  ", o->fp);
}

/* --- JSON ---------------------------------------------------------- */

static void json_member(struct out *, const char *, bool);

static void
json_start(struct out *o)
{
	if (o->started)
		return;
	o->started = true;
	putc('{', o->fp);
	if (o->version != NULL) {
		json_member(o, "__version", true);
		put_json_str(o->fp, o->version);
	}
}

/*
 * Separate from the previous member and write "name": when name is not
 * NULL (array items have none).  libxo writes fields tight ("jid":1)
 * and containers loose ("jail-information": {); so do we.
 */
static void
json_member(struct out *o, const char *name, bool loose)
{
	struct frame *f;

	json_start(o);
	f = top(o);
	if (f->count++ > 0)
		fputs(loose && !(o->flags & OUT_PRETTY) ? ", " : ",", o->fp);
	if (o->flags & OUT_PRETTY) {
		putc('\n', o->fp);
		indent(o, (int)o->depth);
	}
	if (name != NULL) {
		put_json_str(o->fp, name);
		fputs(loose || (o->flags & OUT_PRETTY) ? ": " : ":", o->fp);
	}
}

static void
json_close(struct out *o)
{
	struct frame f = pop(o);
	bool array = f.kind == F_LIST || f.kind == F_LEAFLIST;

	if ((o->flags & OUT_PRETTY) && f.count > 0) {
		putc('\n', o->fp);
		indent(o, (int)o->depth);
	}
	putc(array ? ']' : '}', o->fp);
	free(f.name);
}

static void
json_value(struct out *o, const char *v, unsigned flags)
{
	if ((flags & OF_BOOL))
		fputs(truthy(v) ? "true" : "false", o->fp);
	else if ((flags & OF_NUM) && looks_numeric(v))
		fputs(v, o->fp);
	else
		put_json_str(o->fp, v);
}

/* --- XML ----------------------------------------------------------- */

static void
xml_open_tag(struct out *o, const char *name)
{
	if (o->flags & OUT_PRETTY) {
		if (o->started)
			putc('\n', o->fp);
		indent(o, o->xdepth);
	}
	fprintf(o->fp, "<%s", name);
	if (!o->started && o->version != NULL)
		fprintf(o->fp, " __version=\"%s\"", o->version);
	putc('>', o->fp);
	o->started = true;
	o->xdepth++;
}

static void
xml_close_tag(struct out *o, const char *name, bool inner)
{
	o->xdepth--;
	if ((o->flags & OUT_PRETTY) && inner) {
		putc('\n', o->fp);
		indent(o, o->xdepth);
	}
	fprintf(o->fp, "</%s>", name);
}

static void
xml_element(struct out *o, const char *name, const char *v)
{
	xml_open_tag(o, name);
	put_xml_str(o->fp, v);
	xml_close_tag(o, name, false);
}

/* --- HTML ---------------------------------------------------------- */

static void
html_div(struct out *o, const char *class, const char *tag, const char *text)
{
	if (!o->in_line) {
		fputs("<div class=\"line\">\n", o->fp);
		o->in_line = true;
	}
	fprintf(o->fp, "<div class=\"%s\"", class);
	if (tag != NULL) {
		fputs(" data-tag=\"", o->fp);
		put_xml_str(o->fp, tag);
		putc('"', o->fp);
	}
	putc('>', o->fp);
	put_xml_str(o->fp, text);
	fputs("</div>\n", o->fp);
}

/* --- the interface ------------------------------------------------- */

struct out *
out_new(FILE *fp, enum out_style style, unsigned flags)
{
	struct out *o = xcalloc(1, sizeof(*o));

	o->fp = fp;
	o->style = style;
	o->flags = flags;
	o->cap = 8;
	o->st = xcalloc(o->cap, sizeof(*o->st));
	o->st[0] = (struct frame){ F_ROOT, NULL, 0 };
	o->depth = 1;
	return o;
}

enum out_style
out_style(const struct out *o)
{
	return o->style;
}

bool
out_is_text(const struct out *o)
{
	return o->style == OUT_TEXT || o->style == OUT_HTML;
}

void
out_set_version(struct out *o, const char *v)
{
	free(o->version);
	o->version = xstrdup(v);
}

static void
open_named(struct out *o, enum fkind kind, const char *name)
{
	if (o->style == OUT_JSON) {
		json_member(o, name, true);
		putc(kind == F_CONTAINER ? '{' : '[', o->fp);
	} else if (o->style == OUT_XML && kind == F_CONTAINER)
		xml_open_tag(o, name);
	/* XML lists have no element of their own: their items do. */
	push(o, kind, name);
}

static void
close_named(struct out *o)
{
	struct frame f;

	if (o->depth <= 1)
		return;
	if (o->style == OUT_JSON) {
		json_close(o);
		return;
	}
	f = pop(o);
	if (o->style == OUT_XML && (f.kind == F_CONTAINER ||
	    f.kind == F_INSTANCE))
		xml_close_tag(o, f.name, true);
	free(f.name);
}

void out_open_container(struct out *o, const char *n) { open_named(o, F_CONTAINER, n); }
void out_open_list(struct out *o, const char *n) { open_named(o, F_LIST, n); }
void out_open_leaflist(struct out *o, const char *n) { open_named(o, F_LEAFLIST, n); }
void out_close_container(struct out *o) { close_named(o); }
void out_close_list(struct out *o) { close_named(o); }
void out_close_leaflist(struct out *o) { close_named(o); }
void out_close_instance(struct out *o) { close_named(o); }

void
out_open_instance(struct out *o, const char *name)
{
	if (o->style == OUT_JSON) {
		json_member(o, NULL, true);
		putc('{', o->fp);
	} else if (o->style == OUT_XML)
		xml_open_tag(o, name);
	push(o, F_INSTANCE, name);
}

void
out_leaf(struct out *o, const char *v)
{
	if (o->style == OUT_JSON) {
		json_member(o, NULL, false);
		put_json_str(o->fp, v);
	} else if (o->style == OUT_XML)
		xml_element(o, top(o)->name, v);
}

static char *
padded(const char *v, int width, int prec)
{
	return xasprintf("%*.*s", width, prec < 0 ? INT_MAX : prec, v);
}

/*
 * printf's "%*.*s", without printf: jls writes four fields for each of
 * ten thousand jails.
 */
static void
put_padded(FILE *fp, const char *v, int width, int prec)
{
	static const char spaces[] = "                                ";
	size_t len = prec < 0 ? strlen(v) : strnlen(v, (size_t)prec);
	size_t w = (size_t)(width < 0 ? -(long)width : width), pad;

	pad = w > len ? w - len : 0;
	if (width > 0)
		for (size_t n; pad > 0; pad -= n)
			fwrite(spaces, 1, n = pad < 32 ? pad : 32, fp);
	fwrite(v, 1, len, fp);
	for (size_t n; pad > 0; pad -= n)
		fwrite(spaces, 1, n = pad < 32 ? pad : 32, fp);
}

void
out_field(struct out *o, const char *name, const char *v, int width,
    int prec, unsigned flags)
{
	char *p;

	if (v == NULL)
		v = "";
	if (o->style == OUT_JSON && !(flags & OF_DISPLAY)) {
		json_member(o, name, false);
		json_value(o, v, flags);
	} else if (o->style == OUT_XML && !(flags & OF_DISPLAY))
		xml_element(o, name, v);
	else if (o->style == OUT_TEXT && !(flags & OF_ENCODE))
		put_padded(o->fp, v, width, prec);
	else if (o->style == OUT_HTML && !(flags & OF_ENCODE)) {
		p = padded(v, width, prec);
		html_div(o, "data", name, p);
		free(p);
	}
}

void
out_field_int(struct out *o, const char *name, long long v, int width)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	out_field(o, name, buf, width, -1, OF_NUM);
}

void
out_title(struct out *o, const char *text, int width)
{
	char *p;

	if (o->style == OUT_TEXT)
		fprintf(o->fp, "%*s", width, text);
	else if (o->style == OUT_HTML) {
		p = padded(text, width, -1);
		html_div(o, "title", NULL, p);
		free(p);
	}
}

void
out_pad(struct out *o, const char *s)
{
	if (o->style == OUT_TEXT)
		fputs(s, o->fp);
	else if (o->style == OUT_HTML)
		html_div(o, "padding", NULL, s);
}

void
out_eol(struct out *o)
{
	if (o->style == OUT_TEXT)
		putc('\n', o->fp);
	else if (o->style == OUT_HTML) {
		if (!o->in_line)
			fputs("<div class=\"line\">\n", o->fp);
		fputs("</div>\n", o->fp);
		o->in_line = false;
	}
}

int
out_finish(struct out *o)
{
	while (o->depth > 1)
		close_named(o);
	if (o->style == OUT_JSON) {
		json_start(o);
		if (o->flags & OUT_PRETTY)
			putc('\n', o->fp);
		fputs("}\n", o->fp);
	} else if (o->style == OUT_XML && o->started)
		putc('\n', o->fp);
	else if (o->style == OUT_HTML && o->in_line)
		out_eol(o);
	return fflush(o->fp) == EOF ? -1 : 0;
}

void
out_free(struct out *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->depth; i++)
		free(o->st[i].name);
	free(o->st);
	free(o->version);
	free(o);
}

void
out_usage(const char *usage, const char *help, bool full)
{
	fputs(usage, full ? stdout : stderr);
	if (full)
		fputs(help, stdout);
	exit(full ? 0 : 1);
}

/* --- sh(1) quoting ------------------------------------------------- */

char *
out_shquote(const char *s)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_";
	char *q, *p;

	if (*s != '\0' && strspn(s, safe) == strlen(s))
		return xstrdup(s);
	/* Each ' becomes '\'' : close, escaped quote, reopen. */
	p = q = xmalloc(strlen(s) * 4 + 3);
	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'')
			p = stpcpy(p, "'\\''");
		else
			*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}
