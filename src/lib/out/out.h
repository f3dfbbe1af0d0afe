/*
 * Structured output in the manner of FreeBSD's libxo, for what jls and
 * gaol need: records of named fields written as text, JSON, XML or
 * HTML, chosen by "--libxo STYLE[,MODIFIER...]" on the command line.
 *
 * A program describes its output once: containers, lists, instances
 * and fields, plus titles and padding that only text and HTML show.
 * Text puts values in printf-like columns; the encodings (JSON, XML)
 * put every field under its name and ignore the layout.
 */
#ifndef GAOL_OUT_H
#define GAOL_OUT_H

#include <stdbool.h>
#include <stdio.h>

enum out_style {
	OUT_TEXT,
	OUT_JSON,
	OUT_XML,
	OUT_HTML,
};

#define OUT_PRETTY	0x01	/* indent JSON and XML, one item a line */

/* Field flags. */
#define OF_NUM		0x01	/* a number in JSON when it looks like one */
#define OF_BOOL		0x02	/* true/false in JSON, from "1"/"true"... */
#define OF_DISPLAY	0x04	/* text and HTML only */
#define OF_ENCODE	0x08	/* JSON and XML only */

struct out;

/* "json", "xml,pretty", "text"...; -1 with the message set. */
int	out_parse_spec(const char *, enum out_style *, unsigned *);

/*
 * Take "--libxo STYLE", "--libxo=STYLE" and "--libxo:STYLE" out of
 * argv, wherever they stand before a "--".  Returns the new argc, or
 * -1 with the message set.  *stylep and *flagsp are left alone when no
 * such option is there.
 */
int	out_args(int, char **, enum out_style *, unsigned *);

struct out	*out_new(FILE *, enum out_style, unsigned);
enum out_style	 out_style(const struct out *);
bool		 out_is_text(const struct out *);	/* text or HTML */
void		 out_set_version(struct out *, const char *);

void	out_open_container(struct out *, const char *);
void	out_close_container(struct out *);
void	out_open_list(struct out *, const char *);
void	out_close_list(struct out *);
void	out_open_instance(struct out *, const char *);
void	out_close_instance(struct out *);
void	out_open_leaflist(struct out *, const char *);
void	out_leaf(struct out *, const char *);
void	out_close_leaflist(struct out *);

/*
 * A named value.  Text shows it as printf's "%*.*s" would, with width
 * (negative: left-aligned, 0: natural) and prec (< 0: whole value).
 */
void	out_field(struct out *, const char *name, const char *value,
	    int width, int prec, unsigned flags);
void	out_field_int(struct out *, const char *name, long long, int width);

/* Column titles, padding and literal text: text and HTML only. */
void	out_title(struct out *, const char *, int width);
void	out_pad(struct out *, const char *);
void	out_eol(struct out *);

/* Close whatever is open, end the document, flush; then free. */
int	out_finish(struct out *);
void	out_free(struct out *);

/*
 * A program's usage: to stderr and exit 1 on a usage error, or with the
 * option summary to stdout and exit 0 for --help.
 */
void	out_usage(const char *usage, const char *help, bool full)
	    __attribute__((noreturn));

/* A word as sh(1) reads it back: bare when safe, else single-quoted. */
char	*out_shquote(const char *);

#endif
