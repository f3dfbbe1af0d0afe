/*
 * The jail.conf(5) lexer, following FreeBSD's jaillex.l: whitespace and
 * three comment styles separate tokens; adjacent pieces (bare atoms,
 * quoted strings, escapes, variables) with nothing between them form one
 * word, so path=/j/"$name"/root is a single value.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "confint.h"

void
cbuf_addc(struct cbuf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap, 1);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
cbuf_addn(struct cbuf *b, const char *s, size_t n)
{
	while (n-- > 0)
		cbuf_addc(b, *s++);
}

char *
cbuf_take(struct cbuf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
lex_init(struct lexer *lx, const char *file, const char *text)
{
	lx->file = file;
	lx->p = text;
	lx->line = 1;
}

static int
lex_error(struct lexer *lx, int line, const char *what)
{
	gerr_set("%s line %d: %s", lx->file, line, what);
	return -1;
}

/* The characters of an unquoted atom, as jaillex.l lists them. */
static bool
is_atom(int c)
{
	return isalnum(c) || (c != '\0' && strchr("_!%&()-.:<>?@[]^`|~", c)) ||
	    (c & 0x80);
}

static bool
is_var_start(int c)
{
	return isalpha(c) || c == '_';
}

static int
skip_blank(struct lexer *lx)
{
	const char *p = lx->p;

	for (;;) {
		if (*p == '\n')
			lx->line++;
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			int start = lx->line;
			const char *e = strstr(p + 2, "*/");

			if (e == NULL)
				return lex_error(lx, start, "unterminated comment");
			for (; p < e; p++)
				if (*p == '\n')
					lx->line++;
			p = e + 2;
		} else
			break;
	}
	lx->p = p;
	return 0;
}

static int
lit(struct lexer *lx, struct cbuf *b, char c)
{
	if (c == VAR_BEGIN || c == VAR_END || c == '\0')
		return lex_error(lx, lx->line, "invalid character");
	cbuf_addc(b, c);
	return 0;
}

static int
hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isxdigit(c))
		return tolower(c) - 'a' + 10;
	return -1;
}

/* One backslash escape, C style; lx->p is just past the backslash. */
static int
escape(struct lexer *lx, struct cbuf *b)
{
	static const char from[] = "abfnrtv", to[] = "\a\b\f\n\r\t\v";
	const char *p = lx->p, *q;
	int v, n;

	if (*p == '\0')
		return lit(lx, b, '\\');
	if (*p == '\n') {		/* line continuation */
		lx->line++;
		lx->p = p + 1;
		return 0;
	}
	if (*p >= '0' && *p <= '7') {
		for (v = 0, n = 0; n < 3 && *p >= '0' && *p <= '7'; n++)
			v = v * 8 + (*p++ - '0');
		lx->p = p;
		return lit(lx, b, (char)v);
	}
	if (*p == 'x') {
		for (p++, v = 0, n = 0; n < 2 && hexval(*p) >= 0; n++)
			v = v * 16 + hexval(*p++);
		lx->p = p;
		return lit(lx, b, (char)v);
	}
	q = strchr(from, *p);
	lx->p = p + 1;
	return lit(lx, b, q != NULL && *p != '\0' ? to[q - from] : *p);
}

/*
 * A variable: "$name" (letters, digits, underscore) or "${any.name}".
 * Returns 0 when lx->p does not start one, 1 after storing the mark.
 */
static int
variable(struct lexer *lx, struct cbuf *b, bool indq)
{
	const char *p = lx->p + 1;
	struct cbuf name = { 0 };

	if (is_var_start(*p)) {
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		cbuf_addc(b, VAR_BEGIN);
		cbuf_addn(b, lx->p + 1, (size_t)(p - lx->p - 1));
		cbuf_addc(b, VAR_END);
		lx->p = p;
		return 1;
	}
	if (*p != '{')
		return 0;
	for (lx->p = p + 1; *lx->p != '}'; ) {
		if (*lx->p == '\0' || *lx->p == '\n' || *lx->p == '{' ||
		    (indq && *lx->p == '"')) {
			free(name.s);
			return lex_error(lx, lx->line, "unterminated variable");
		}
		if (*lx->p == '\\') {
			lx->p++;
			if (escape(lx, &name) == -1) {
				free(name.s);
				return -1;
			}
		} else
			cbuf_addc(&name, *lx->p++);
	}
	lx->p++;
	cbuf_addc(b, VAR_BEGIN);
	if (name.s != NULL)
		cbuf_addn(b, name.s, name.len);
	cbuf_addc(b, VAR_END);
	free(name.s);
	return 1;
}

/* A quoted string; single quotes take escapes but never expand. */
static int
quoted(struct lexer *lx, struct cbuf *b)
{
	char q = *lx->p++;
	int start = lx->line, r;

	while (*lx->p != q) {
		if (*lx->p == '\0')
			return lex_error(lx, start, "unterminated string");
		if (*lx->p == '\\') {
			lx->p++;
			r = escape(lx, b);
		} else if (q == '"' && *lx->p == '$' &&
		    (r = variable(lx, b, true)) != 0) {
			/* r is 1, or -1 with the message set */
		} else {
			if (*lx->p == '\n')
				lx->line++;
			r = lit(lx, b, *lx->p++);
		}
		if (r == -1)
			return -1;
	}
	lx->p++;
	return 0;
}

/* One piece of a word; 0 when the word ends here. */
static int
piece(struct lexer *lx, struct cbuf *b, struct token *t, int *nvars)
{
	const char *p = lx->p;
	int r;

	if (*p == '\'' || *p == '"') {
		t->quoted = true;
		return quoted(lx, b) == -1 ? -1 : 1;
	}
	if (*p == '\\') {
		t->quoted = true;
		lx->p++;
		return escape(lx, b) == -1 ? -1 : 1;
	}
	if (*p == '$') {
		if ((r = variable(lx, b, false)) != 0) {
			(*nvars)++;
			return r;
		}
		lx->p++;
		return lit(lx, b, '$') == -1 ? -1 : 1;
	}
	if (is_atom((unsigned char)*p) || *p == '*' ||
	    (*p == '+' && p[1] != '=') ||
	    (*p == '/' && p[1] != '/' && p[1] != '*')) {
		lx->p++;
		return lit(lx, b, *p) == -1 ? -1 : 1;
	}
	return 0;
}

static int
word(struct lexer *lx, struct token *t)
{
	struct cbuf b = { 0 };
	int r, npieces = 0, nvars = 0;

	while ((r = piece(lx, &b, t, &nvars)) == 1)
		npieces++;
	if (r == -1) {
		free(b.s);
		return -1;
	}
	t->type = T_WORD;
	t->text = cbuf_take(&b);
	t->onevar = !t->quoted && nvars == 1 && npieces == 1;
	return 0;
}

int
lex_next(struct lexer *lx, struct token *t)
{
	char c;

	memset(t, 0, sizeof(*t));
	if (skip_blank(lx) == -1)
		return -1;
	t->line = lx->line;
	c = *lx->p;
	if (c == '\0') {
		t->type = T_EOF;
		return 0;
	}
	if (c == '+' && lx->p[1] == '=') {
		lx->p += 2;
		t->type = T_PLEQ;
		return 0;
	}
	if (strchr(",;={}", c) != NULL) {
		lx->p++;
		t->type = c;
		return 0;
	}
	if (word(lx, t) == -1)
		return -1;
	if (t->text[0] == '\0' && !t->quoted) {
		/* Nothing a word can start with: let the parser complain. */
		free(t->text);
		t->text = NULL;
		t->type = (unsigned char)*lx->p++;
	}
	return 0;
}
