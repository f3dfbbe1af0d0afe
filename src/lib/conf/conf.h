/*
 * jail.conf(5): the file grammar, the parameter table and the merging of
 * global, wildcard, per-jail and command-line parameters into the final
 * list one jail is made from.
 */
#ifndef GAOL_CONF_H
#define GAOL_CONF_H

#include <stdbool.h>
#include "../util/util.h"

/* How a parameter's value is read and checked. */
enum ptype {
	PT_STRING,	/* one string */
	PT_INT,		/* one integer */
	PT_BOOL,	/* flag: "name", "noname", name=0/1/true/false */
	PT_LIST,	/* comma list of strings; += appends */
	PT_JAILSYS,	/* "new", "inherit" or "disable" (ip4, ip6, vnet, host) */
	PT_UUID,	/* host.hostuuid */
	PT_CMDLIST,	/* list whose items may hold commas (exec.*, mount):
			   a command-line value is one item, never split */
};

#define PF_RDONLY	0x01	/* reported by jls, never set (children.cur) */
#define PF_CONFONLY	0x02	/* jail(8)'s own (exec.*, mount.*): jls -s omits */
#define PF_NOLINUX	0x08	/* FreeBSD only: refused with paramdef.why */
#define PF_CREATE	0x40	/* set at creation only: jail -m refuses it */
#define PF_LIVE		0x80	/* read by each process that enters the jail,
				   which takes jail -m's changes: jexec sends
				   it (struct jail_live, conf/spec.h) */

struct paramdef {
	const char	*name;
	enum ptype	 type;
	unsigned	 flags;
	const char	*def;	/* FreeBSD 14's default, NULL when none */
	const char	*why;	/* for PF_NOLINUX: the reason it is refused */
	/* PT_INT: the values allowed; PT_STRING: max is the longest value
	   (Linux's limit).  Both 0: no limit. */
	long long	 min, max;
};

/*
 * The parameter table, the one place a parameter's type, default and
 * mutability are written (docs/design/parameter-model.md); NULL-named
 * sentinel.
 */
extern const struct paramdef paramdefs[];
const struct paramdef *param_lookup(const char *name);

struct jparams;
/* The default of name in list l (devfs_ruleset follows mount.devfs). */
const char	*param_default(const struct jparams *l, const char *name);

/* The one reader of each value type (the checks use them too). */
bool		 param_parse_bool(const char *, bool *);
enum { JAILSYS_DISABLE, JAILSYS_NEW, JAILSYS_INHERIT };
int		 param_parse_jailsys(const char *);	/* -1: not one */
const char	*param_jailsys_name(int);

/* One parameter as written: values already split on commas for lists. */
struct jparam {
	char		*name;	/* canonical: "noX" is stored as X with value "0" */
	struct strlist	 val;	/* empty for a bare flag */
	bool		 bare;	/* written without a value */
	bool		 append;	/* written with "+=" */
	char		*joined;	/* jparams_str's cache */
	char		*file;	/* where it was set, for messages */
	int		 line;	/* 0 for the command line */
};

/* An ordered parameter list; a later set of the same name replaces. */
struct jparams {
	struct jparam	*v;
	size_t		 n;
	size_t		 cap;
};

void		 jparams_set(struct jparams *, const char *name, const char *value,
		    bool append, const char *file, int line);
void		 jparams_setl(struct jparams *, const char *name,
		    const struct strlist *values, const char *file, int line);
void		 jparams_unset(struct jparams *, const char *name);
struct jparam	*jparams_find(const struct jparams *, const char *name);
const char	*jparams_str(const struct jparams *, const char *name);	/* joined by "," ; NULL if unset */
/* The value, or the table's default when unset (false, 0 when none). */
bool		 jparams_bool(const struct jparams *, const char *name);
long long	 jparams_int(const struct jparams *, const char *name);
/* JAILSYS_*: the value, else the default (disable when none). */
int		 jparams_jailsys(const struct jparams *, const char *name);
void		 jparams_copy(struct jparams *dst, const struct jparams *src);
void		 jparams_free(struct jparams *);

/*
 * Read "name=value", "name+=value", "name", "noname" from a command line
 * word.  A value is taken literally (the shell has expanded it); for a
 * PT_LIST parameter it is split on commas.  A list parameter named
 * again is added to, as jail(8) does (ip4.addr=a ip4.addr=b: two).
 */
int		 jparams_parse_arg(struct jparams *, const char *arg);

/*
 * The list as command-line words, the way jls -s prints it and jail -c
 * reads it back: name=value quoted by jparam_quote, a boolean as "name"
 * or "noname", a second item of a list as name+=value.  With all false,
 * jail(8)'s own parameters (PF_CONFONLY) and variables are left out.
 */
char		*jparams_render(const struct jparams *, bool all);

/* A jail block in a file. */
struct jconf_jail {
	char		*name;	/* may hold wildcards: "*", "web*" */
	struct jparams	 params;
	char		*file;
	int		 line;
};

struct jconf {
	struct jparams	  global;
	struct jconf_jail *jails;
	size_t		  njails;
	struct strlist	  files;	/* every file read, for messages */
	size_t		  bytes_read;	/* by all of them (parse.c's limit) */
};

/*
 * Read a config file with its .include files.  path NULL means
 * $GAOL_SYSCONFDIR/jail.conf, plus jail.conf.d/NAME.conf for each name in
 * names that jail.conf does not define (as jail(8) does).  A missing
 * default file is not an error; a missing -f file is.
 */
int	jconf_load(struct jconf *, const char *path, const struct strlist *names);
void	jconf_free(struct jconf *);

/* Whether a block has exactly this name (wildcard blocks never match). */
bool	jconf_has_jail(const struct jconf *, const char *name);

/* The names of the jails a config defines, in file order (no wildcards). */
void	jconf_names(const struct jconf *, struct strlist *);

/*
 * The parameters of one jail: global, then matching wildcard blocks,
 * then its own block, then the command line; "+=" appends across those
 * levels; $name and ${name} expanded; every name and value checked
 * against the table.  name may be NULL when only the command line
 * names the jail.  On error the message names file, line, parameter and
 * value.
 */
int	jconf_resolve(const struct jconf *, const char *name,
	    const struct jparams *cmdline, struct jparams *out);

/*
 * Check one parameter's value against the table (used by jail -m too).
 * The message names the parameter and the value, without the jail:
 * 'securelevel: non-integer value "x"', "unknown parameter: foo.bar".
 */
int	jparam_check(const struct jparam *);

/* jparam_check on every parameter; the message starts with the jail. */
int	jparams_check_all(const struct jparams *);

/* Prefix the current message with "NAME: " (or "JID: "); returns -1. */
int	jparams_blame(const struct jparams *);

/* Quote a value the way jls -s and jail.conf accept it back. */
char	*jparam_quote(const char *);

/* ---- depend (depend.c): the order jail.conf's jails start in ---- */
struct jplan_jail {
	char		*name;
	struct jparams	 params;	/* resolved */
	struct strlist	 deps;		/* what it starts after: depend, parent */
	bool		 done, visiting;
	bool		 failed;	/* the caller's: it, or what it needs, failed */
};

struct jplan {
	struct jplan_jail *v;
	size_t		   n;
	struct strlist	   order;	/* each name after those it depends on */
};

/* The plan's entry for name, added (empty) when it has none. */
struct jplan_jail *jplan_jail(struct jplan *, const char *name);
/*
 * Add name, resolved from conf, after what it depends on (its depend,
 * and its parent "p" of "p.q" when conf has it).  -1 with the message:
 * a dependency loop, an undefined jail in depend, a parameter that does
 * not resolve.
 */
int	jplan_add(struct jplan *, const struct jconf *, const char *name);
void	jplan_free(struct jplan *);

#endif
