/*
 * The jail.conf(5) grammar, after FreeBSD's jailparse.y:
 *
 *	conf	:= { ';' | '.include' STRING [';'] | jail | param ';' }
 *	jail	:= NAME '{' { ';' | jail | param ';' } '}'
 *	param	:= NAME [ ('=' | '+=') ] [ value { ',' value } ]
 *
 * A block inside a block is the hierarchical jail "outer.inner", as in
 * FreeBSD 14; it takes nothing from the outer block's parameters.
 *
 * Parameters outside any block before the first block are the global
 * ones; jail(8) treats those that follow a block as a "*" block at that
 * place in the file, so they apply after the jails above them.
 */
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confint.h"

#define INCLUDE_DEPTH	16	/* a file that includes itself stops here */
#define BLOCK_DEPTH	16	/* blocks inside blocks: jails inside jails */
/* A chain of files each including the next twice must stop too. */
#define INCLUDE_FILES	10000
#define INCLUDE_BYTES	(64 * 1024 * 1024)

struct parser {
	struct lexer	 lx;
	struct token	 tok;
	struct jconf	*cf;
	const char	*dir;	/* the directory .include is relative to */
	int		 depth;
	int		 nest;	/* blocks open around the current one */
};

static int
advance(struct parser *ps)
{
	free(ps->tok.text);
	return lex_next(&ps->lx, &ps->tok);
}

static int
syntax_error(struct parser *ps)
{
	gerr_set("%s line %d: syntax error", ps->lx.file, ps->tok.line);
	return -1;
}

/* The list that top-level parameters go to at this point of the file. */
static struct jparams *
toplevel(struct jconf *cf)
{
	struct jconf_jail *j;

	if (cf->njails == 0)
		return &cf->global;
	j = &cf->jails[cf->njails - 1];
	if (strcmp(j->name, "*") != 0) {
		cf->jails = xrealloc(cf->jails, cf->njails + 1, sizeof(*j));
		j = &cf->jails[cf->njails++];
		memset(j, 0, sizeof(*j));
		j->name = xstrdup("*");
	}
	return &j->params;
}

/* A parameter's name: a plain word, or "$var" for a variable. */
static char *
param_name(const struct token *nt, bool *negp)
{
	const char *t = nt->text;

	*negp = false;
	if (nt->onevar)
		return xasprintf("$%.*s", (int)strlen(t) - 2, t + 1);
	if (strchr(t, VAR_BEGIN) != NULL || *t == '\0')
		return NULL;
	return param_canon(t, negp);
}

static int
param_values(struct parser *ps, struct jparam *p)
{
	for (;;) {
		if (ps->tok.type != T_WORD)
			return syntax_error(ps);
		strlist_add(&p->val, ps->tok.text);
		if (advance(ps) == -1)
			return -1;
		if (ps->tok.type != ',')
			return 0;
		if (advance(ps) == -1)
			return -1;
	}
}

/* Take the current token as a statement's first word. */
static void
take(struct parser *ps, struct token *save)
{
	*save = ps->tok;
	ps->tok.text = NULL;
}

/* The rest of a "name ... ;" statement, its name already read. */
static int
param(struct parser *ps, struct token *nt, struct jparams *into)
{
	struct jparam p = { 0 };
	bool neg;
	int r = -1;

	p.line = nt->line;
	p.file = xstrdup(ps->lx.file);
	if ((p.name = param_name(nt, &neg)) == NULL) {
		gerr_set("%s line %d: syntax error", ps->lx.file, nt->line);
		goto out;
	}
	if (ps->tok.type == '=' || ps->tok.type == T_PLEQ) {
		p.append = ps->tok.type == T_PLEQ;
		if (advance(ps) == -1 || param_values(ps, &p) == -1)
			goto out;
	} else if (ps->tok.type == T_WORD) {
		if (param_values(ps, &p) == -1)
			goto out;
	} else
		p.bare = true;
	if (ps->tok.type != ';') {
		syntax_error(ps);
		goto out;
	}
	if (neg)
		jparam_negate(&p);
	jparams_apply(into, &p);
	r = advance(ps);
out:
	jparam_clear(&p);
	free(nt->text);
	return r;
}

static bool
block_name_ok(const struct token *nt)
{
	return !nt->onevar && strchr(nt->text, VAR_BEGIN) == NULL &&
	    nt->text[0] != '\0';
}

static int
jail_block(struct parser *ps, char *name, int line)
{
	struct jconf *cf = ps->cf;
	struct jconf_jail *j;
	size_t idx = cf->njails;

	/* Not "the last one wins": one of the two would be ignored unseen. */
	for (size_t i = 0; strchr(name, '*') == NULL && i < cf->njails; i++)
		if (strcmp(cf->jails[i].name, name) == 0) {
			gerr_set("%s line %d: jail \"%s\" is already defined "
			    "(%s line %d)", ps->lx.file, line, name,
			    cf->jails[i].file, cf->jails[i].line);
			free(name);
			return -1;
		}
	cf->jails = xrealloc(cf->jails, cf->njails + 1, sizeof(*j));
	j = &cf->jails[cf->njails++];
	memset(j, 0, sizeof(*j));
	j->name = name;
	j->file = xstrdup(ps->lx.file);
	j->line = line;
	if (advance(ps) == -1)		/* past '{' */
		return -1;
	while (ps->tok.type != '}') {
		if (ps->tok.type == ';') {
			if (advance(ps) == -1)
				return -1;
		} else if (ps->tok.type == T_WORD) {
			struct token nt;

			take(ps, &nt);
			/* jails[] may move as an include grows it: index */
			if (advance(ps) == -1) {
				free(nt.text);
				return -1;
			}
			if (ps->tok.type == '{') {
				char *child;

				if (!block_name_ok(&nt)) {
					free(nt.text);
					return syntax_error(ps);
				}
				child = xasprintf("%s.%s", cf->jails[idx].name,
				    nt.text);
				free(nt.text);
				if (ps->nest >= BLOCK_DEPTH) {
					free(child);
					gerr_set("%s line %d: blocks nested too "
					    "deeply", ps->lx.file, nt.line);
					return -1;
				}
				ps->nest++;
				if (jail_block(ps, child, nt.line) == -1)
					return -1;
				ps->nest--;
				continue;
			}
			if (param(ps, &nt, &cf->jails[idx].params) == -1)
				return -1;
		} else
			return syntax_error(ps);
	}
	return advance(ps);
}

static int
include_one(struct parser *ps, const char *path)
{
	if (ps->depth >= INCLUDE_DEPTH) {
		gerr_set("%s line %d: %s: too many nested includes",
		    ps->lx.file, ps->tok.line, path);
		return -1;
	}
	if (ps->cf->files.n >= INCLUDE_FILES ||
	    ps->cf->bytes_read >= INCLUDE_BYTES) {
		gerr_set("%s line %d: %s: more than %d files or %d MiB "
		    "included in all", ps->lx.file, ps->tok.line, path,
		    INCLUDE_FILES, INCLUDE_BYTES >> 20);
		return -1;
	}
	return conf_parse_file(ps->cf, path, ps->depth + 1);
}

/*
 * .include "file" or "pattern": a file that is not there is an error, a
 * pattern may match nothing (jail(8)'s rule).
 */
static int
include(struct parser *ps)
{
	char *pat;
	glob_t g;
	int r = 0, gr;

	if (advance(ps) == -1)
		return -1;
	if (ps->tok.type != T_WORD || strchr(ps->tok.text, VAR_BEGIN) != NULL)
		return syntax_error(ps);
	pat = ps->tok.text[0] == '/' || ps->dir == NULL ?
	    xstrdup(ps->tok.text) : xasprintf("%s/%s", ps->dir, ps->tok.text);
	if (strpbrk(pat, "*?[") == NULL) {
		r = include_one(ps, pat);
		free(pat);
		if (r == -1 || advance(ps) == -1)
			return -1;
		return ps->tok.type == ';' ? advance(ps) : 0;
	}
	gr = glob(pat, 0, NULL, &g);
	if (gr != 0 && gr != GLOB_NOMATCH) {
		gerr_set("%s line %d: %s: cannot expand", ps->lx.file,
		    ps->tok.line, pat);
		free(pat);
		return -1;
	}
	for (size_t i = 0; gr == 0 && r == 0 && i < g.gl_pathc; i++)
		r = include_one(ps, g.gl_pathv[i]);
	if (gr == 0)
		globfree(&g);
	free(pat);
	if (r == -1 || advance(ps) == -1)
		return -1;
	if (ps->tok.type == ';')
		return advance(ps);
	return 0;
}

static int
statement(struct parser *ps)
{
	struct token nt;

	if (ps->tok.type == ';')
		return advance(ps);
	if (ps->tok.type != T_WORD)
		return syntax_error(ps);
	if (!ps->tok.quoted && strcmp(ps->tok.text, ".include") == 0)
		return include(ps);
	take(ps, &nt);
	if (advance(ps) == -1) {
		free(nt.text);
		return -1;
	}
	if (ps->tok.type != '{')
		return param(ps, &nt, toplevel(ps->cf));
	if (!block_name_ok(&nt)) {
		free(nt.text);
		return syntax_error(ps);
	}
	return jail_block(ps, nt.text, nt.line);
}

static int
parse_text(struct jconf *cf, const char *path, const char *text, int depth)
{
	struct parser ps = { .cf = cf, .depth = depth };
	char *copy = xstrdup(path);
	int r = 0;

	/*
	 * A relative .include is taken from the including file's directory;
	 * from standard input or a file named without one, as written.
	 */
	ps.dir = (strcmp(path, "STDIN") == 0 && depth == 0) ||
	    strchr(path, '/') == NULL ? NULL : dirname(copy);
	lex_init(&ps.lx, path, text);
	if (lex_next(&ps.lx, &ps.tok) == -1)
		r = -1;
	while (r == 0 && ps.tok.type != T_EOF)
		r = statement(&ps);
	free(ps.tok.text);
	free(copy);
	return r;
}

/* "-" is standard input, named "STDIN" in messages as jail(8) does. */
int
conf_parse_file(struct jconf *cf, const char *path, int depth)
{
	bool in = depth == 0 && strcmp(path, "-") == 0;
	size_t len;
	char *text;
	int r;

	if (in)
		text = read_fd(STDIN_FILENO, "STDIN", &len);
	else
		text = read_file(path, &len);
	if (text == NULL)
		return -1;
	cf->bytes_read += len;
	if (in)
		path = "STDIN";
	strlist_add(&cf->files, path);
	r = parse_text(cf, path, text, depth);
	free(text);
	return r;
}
