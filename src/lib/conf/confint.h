/*
 * Private to src/lib/conf: the lexer's tokens, the marks that keep a
 * variable reference apart from literal text until a jail's parameters
 * are known, and the helpers the parser and resolver share.
 */
#ifndef GAOL_CONFINT_H
#define GAOL_CONFINT_H

#include "conf.h"

/*
 * A "$name" or "${name}" read where expansion applies (unquoted or in
 * double quotes) is stored as VAR_BEGIN name VAR_END; expansion happens
 * per jail, after wildcard and global parameters are merged, because
 * "$name" in a "*" block means each jail's own name.  The lexer refuses
 * these two bytes as literal text, so they cannot be forged.
 */
#define VAR_BEGIN	'\001'
#define VAR_END		'\002'

/* A growable byte string. */
struct cbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};
void	 cbuf_addc(struct cbuf *, char);
void	 cbuf_addn(struct cbuf *, const char *, size_t);
char	*cbuf_take(struct cbuf *);	/* NUL-terminated; resets the buffer */

enum {
	T_EOF = 256,
	T_WORD,		/* a string, made of adjacent pieces */
	T_PLEQ,		/* += */
};

struct token {
	int	 type;	/* T_* or one of , ; = { } or a stray character */
	char	*text;	/* T_WORD: value with variable marks */
	bool	 quoted;	/* some piece was quoted or escaped */
	bool	 onevar;	/* the whole word is one $var, unquoted */
	int	 line;
};

struct lexer {
	const char	*file;
	const char	*p;
	int		 line;
};

void	lex_init(struct lexer *, const char *file, const char *text);
int	lex_next(struct lexer *, struct token *);	/* -1: message set */

/* Parse one file into cf (recursing into .include). */
int	conf_parse_file(struct jconf *, const char *path, int depth);

/* Apply one statement to a list: "=" replaces, "+=" appends. */
void	jparams_apply(struct jparams *, const struct jparam *);
void	jparam_clear(struct jparam *);

/* Canonical name: "allow.nomount" -> "allow.mount"; *negp says it was. */
char	*param_canon(const char *name, bool *negp);
/* "noX" read as X: a bare flag becomes 0, a boolean value is inverted. */
void	jparam_negate(struct jparam *);

/* Expand every variable mark in the list; message names param and var. */
int	conf_expand(struct jparams *);

#endif
