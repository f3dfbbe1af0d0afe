/*
 * devfs.rules(5): "[name=number]" opens a ruleset, and each following
 * "add [rulenum] conditions actions" line is a rule, as devfs(8) takes
 * it; "$name" names another ruleset.  Conditions: path 'glob', type
 * disk|mem|tape|tty.  Actions: hide, unhide, include $name, mode, user,
 * group.  A node starts visible; every matching rule, in rule-number
 * order, decides again.  Ruleset 0 has no rules: everything is visible.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "../util/util.h"
#include "devfs.h"

/*
 * FreeBSD's etc/defaults/devfs.rules with Linux's device names: the BSD
 * pty names (ptyp*, ttyp*...) are left out because on Linux the same
 * globs (ttyS*) are serial ports; /dev/full and /dev/tty are unhidden
 * with the basic and login sets because Linux programs expect them;
 * crypto, zfs and pf keep their rules and match what exists here.
 */
const char devfs_builtin_rules[] =
    "[devfsrules_hide_all=1]\n"
    "add hide\n"
    "\n"
    "[devfsrules_unhide_basic=2]\n"
    "add path null unhide\n"
    "add path zero unhide\n"
    "add path full unhide\n"
    "add path crypto unhide\n"
    "add path random unhide\n"
    "add path urandom unhide\n"
    "\n"
    "[devfsrules_unhide_login=3]\n"
    "add path tty unhide\n"
    "add path ptmx unhide\n"
    "add path pts unhide\n"
    "add path 'pts/*' unhide\n"
    "add path fd unhide\n"
    "add path 'fd/*' unhide\n"
    "add path stdin unhide\n"
    "add path stdout unhide\n"
    "add path stderr unhide\n"
    "\n"
    "[devfsrules_jail=4]\n"
    "add include $devfsrules_hide_all\n"
    "add include $devfsrules_unhide_basic\n"
    "add include $devfsrules_unhide_login\n"
    "add path fuse unhide\n"
    "add path zfs unhide\n"
    "\n"
    "[devfsrules_jail_vnet=5]\n"
    "add include $devfsrules_hide_all\n"
    "add include $devfsrules_unhide_basic\n"
    "add include $devfsrules_unhide_login\n"
    "add include $devfsrules_jail\n"
    "add path pf unhide\n";

#define BUILTIN_FILE	"(built-in rules)"
#define MAXWORDS	32
#define MAXDEPTH	16
/*
 * Rules looked at for one node: rulesets that each include the last
 * several times would otherwise multiply to billions.
 */
#define EVAL_BUDGET	10000

struct pctx {
	struct devfs_rules	*rules;
	struct devfs_ruleset	*cur;
	const char		*file;
	int			 line;
};

static void
rule_free(struct devfs_rule *r)
{
	free(r->pattern);
	free(r->include);
	free(r->user);
	free(r->group);
	free(r->file);
}

static void
ruleset_clear(struct devfs_ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rule_free(&rs->rules[i]);
	free(rs->rules);
	rs->rules = NULL;
	rs->n = 0;
}

void
devfs_rules_free(struct devfs_rules *l)
{
	for (size_t i = 0; i < l->n; i++) {
		ruleset_clear(&l->v[i]);
		free(l->v[i].name);
	}
	free(l->v);
	free(l->path);
	memset(l, 0, sizeof(*l));
}

static struct devfs_ruleset *
find_num(const struct devfs_rules *l, int num)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].num == num)
			return &l->v[i];
	return NULL;
}

static struct devfs_ruleset *
find_name(const struct devfs_rules *l, const char *name)
{
	/* The latest definition of a name wins, as with numbers. */
	for (size_t i = l->n; i > 0; i--)
		if (strcmp(l->v[i - 1].name, name) == 0)
			return &l->v[i - 1];
	return NULL;
}

static int
perr(const struct pctx *c, const char *fmt, const char *arg)
{
	char *m = xasprintf(fmt, arg);

	gerr_set("%s line %d: %s", c->file, c->line, m);
	free(m);
	return -1;
}

/* Split a line into words; quotes group, '#' outside quotes ends it. */
static int
split(const struct pctx *c, char *s, char **w, int *nw)
{
	*nw = 0;
	for (;;) {
		char *out;
		bool done;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (*nw == MAXWORDS)
			return perr(c, "%stoo many words", "");
		w[(*nw)++] = out = s;
		while (*s != '\0' && !isspace((unsigned char)*s) && *s != '#') {
			if (*s == '\'' || *s == '"') {
				char q = *s++;

				while (*s != '\0' && *s != q)
					*out++ = *s++;
				if (*s != q)
					return perr(c, "unterminated %s quote",
					    q == '\'' ? "'" : "\"");
				s++;
			} else
				*out++ = *s++;
		}
		done = *s == '\0' || *s == '#';	/* a comment ends it */
		if (!done)
			s++;
		*out = '\0';
		if (done)
			return 0;
	}
}

static int
header(struct pctx *c, char *s)
{
	char *end = strchr(s, ']'), *eq;
	struct devfs_ruleset *rs;
	long long num;

	if (end == NULL || end[1] != '\0')
		return perr(c, "%sexpected [name=number]", "");
	*end = '\0';
	if ((eq = strchr(s + 1, '=')) == NULL || eq == s + 1)
		return perr(c, "%sexpected [name=number]", "");
	*eq = '\0';
	if (parse_int(eq + 1, &num) == -1 || num < 0 || num > 65535)
		return perr(c, "%s: not a ruleset number", eq + 1);
	if (num == 0)
		return perr(c, "%sruleset 0 is reserved (no rules)", "");
	if ((rs = find_num(c->rules, (int)num)) != NULL) {
		ruleset_clear(rs);		/* as devfs(8) "delset" */
		free(rs->name);
	} else {
		c->rules->v = xrealloc(c->rules->v, c->rules->n + 1,
		    sizeof(*c->rules->v));
		rs = &c->rules->v[c->rules->n++];
		memset(rs, 0, sizeof(*rs));
		rs->num = (int)num;
	}
	rs->name = xstrdup(s + 1);
	c->cur = rs;
	return 0;
}

static int
parse_type(const struct pctx *c, const char *s, enum devfs_type *t)
{
	static const char *const names[] = { "", "disk", "mem", "tape", "tty" };

	for (int i = 1; i <= DT_TTY; i++)
		if (strcmp(s, names[i]) == 0) {
			*t = (enum devfs_type)i;
			return 0;
		}
	return perr(c, "type %s: expected disk, mem, tape or tty", s);
}

static int
parse_mode(const struct pctx *c, const char *s, mode_t *m)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || *s == '\0' || *end != '\0' || v > 07777)
		return perr(c, "mode %s: not an octal file mode", s);
	*m = (mode_t)v;
	return 0;
}

/* One "path|type|mode|user|group|include VALUE" pair, or a bare action. */
static int
keyword(const struct pctx *c, struct devfs_rule *r, char **w, int nw, int *i)
{
	const char *k = w[*i], *v = *i + 1 < nw ? w[*i + 1] : NULL;

	if (strcmp(k, "hide") == 0 || strcmp(k, "unhide") == 0) {
		r->action |= k[0] == 'h' ? DA_HIDE : DA_UNHIDE;
		return 0;
	}
	if (strcmp(k, "path") && strcmp(k, "type") && strcmp(k, "mode") &&
	    strcmp(k, "user") && strcmp(k, "group") && strcmp(k, "include"))
		return perr(c, "%s: unknown keyword", k);
	if (v == NULL)
		return perr(c, "%s: missing value", k);
	(*i)++;
	switch (k[0]) {
	case 'p':
		free(r->pattern);
		r->pattern = xstrdup(v);
		return 0;
	case 't':
		return parse_type(c, v, &r->type);
	case 'm':
		r->action |= DA_MODE;
		return parse_mode(c, v, &r->mode);
	case 'u':
		r->action |= DA_USER;
		free(r->user);
		r->user = xstrdup(v);
		return 0;
	case 'g':
		r->action |= DA_GROUP;
		free(r->group);
		r->group = xstrdup(v);
		return 0;
	default:
		r->action |= DA_INCLUDE;
		free(r->include);
		r->include = xstrdup(v);
		return 0;
	}
}

static void
rule_add(struct devfs_ruleset *rs, struct devfs_rule *r)
{
	size_t i;

	if (r->num == 0)
		r->num = rs->n > 0 ? rs->rules[rs->n - 1].num + 100 : 100;
	rs->rules = xrealloc(rs->rules, rs->n + 1, sizeof(*rs->rules));
	/* Keep rule-number order; equal numbers keep file order. */
	for (i = rs->n; i > 0 && rs->rules[i - 1].num > r->num; i--)
		rs->rules[i] = rs->rules[i - 1];
	rs->rules[i] = *r;
	rs->n++;
}

static int
rule_line(struct pctx *c, char *s)
{
	char *w[MAXWORDS];
	struct devfs_rule r = { 0 };
	long long num;
	int nw, i = 1;

	if (split(c, s, w, &nw) == -1)
		return -1;
	if (nw == 0)
		return 0;
	if (strcmp(w[0], "add") != 0)
		return perr(c, "%s: expected \"add\"", w[0]);
	if (c->cur == NULL)
		return perr(c, "%srule outside a [name=number] ruleset", "");
	if (i < nw && isdigit((unsigned char)w[i][0])) {
		if (parse_int(w[i], &num) == -1 || num < 1 || num > 65535)
			return perr(c, "%s: not a rule number", w[i]);
		r.num = (int)num;
		i++;
	}
	for (; i < nw; i++)
		if (keyword(c, &r, w, nw, &i) == -1) {
			rule_free(&r);
			return -1;
		}
	if (r.action == 0) {
		rule_free(&r);
		return perr(c, "%srule has no action", "");
	}
	r.file = xstrdup(c->file);
	r.line = c->line;
	rule_add(c->cur, &r);
	return 0;
}

int
devfs_rules_parse(struct devfs_rules *l, const char *text, const char *file)
{
	struct pctx c = { .rules = l, .file = file };
	char *buf = xstrdup(text), *line = buf, *next;
	int r = 0;

	for (; line != NULL && r == 0; line = next) {
		char *s = line;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		c.line++;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '[')
			r = header(&c, s);
		else
			r = rule_line(&c, s);
	}
	free(buf);
	return r;
}

int
devfs_rules_load(struct devfs_rules *l, const char *path)
{
	char *text;

	memset(l, 0, sizeof(*l));
	l->path = xstrdup(path);
	if (devfs_rules_parse(l, devfs_builtin_rules, BUILTIN_FILE) == -1)
		return -1;
	if ((text = read_file(path, NULL)) == NULL)
		return errno == ENOENT ? 0 : -1;
	if (devfs_rules_parse(l, text, path) == -1) {
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

int
devfs_ruleset_check(const struct devfs_rules *l, int num)
{
	if (num == 0 || find_num(l, num) != NULL)
		return 0;
	gerr_set("devfs_ruleset %d: no such ruleset in %s", num,
	    l->path != NULL ? l->path : "devfs.rules");
	return -1;
}

static bool
type_match(enum devfs_type t, const struct devfs_node *n)
{
	unsigned maj = major(n->rdev);

	switch (t) {
	case DT_ANY:
		return true;
	case DT_DISK:
		return S_ISBLK(n->kind);
	case DT_MEM:
		return S_ISCHR(n->kind) && maj == 1;
	case DT_TAPE:
		return S_ISCHR(n->kind) && maj == 9;
	case DT_TTY:
		return S_ISCHR(n->kind) && (maj == 4 || maj == 5 ||
		    (maj >= 136 && maj <= 143));
	}
	return false;
}

static bool
rule_match(const struct devfs_rule *r, const struct devfs_node *n)
{
	if (r->pattern != NULL && fnmatch(r->pattern, n->name,
	    FNM_PATHNAME) != 0)
		return false;
	return type_match(r->type, n);
}

static const struct devfs_ruleset *
include_target(const struct devfs_rules *l, const struct devfs_rule *r)
{
	const struct devfs_ruleset *rs;
	long long num;

	if (r->include[0] == '$')
		rs = find_name(l, r->include + 1);
	else
		rs = parse_int(r->include, &num) == 0 ?
		    find_num(l, (int)num) : NULL;
	if (rs == NULL)
		gerr_set("%s line %d: include %s: no such ruleset", r->file,
		    r->line, r->include);
	return rs;
}

static int
eval(const struct devfs_rules *l, const struct devfs_ruleset *rs,
    const struct devfs_node *n, int *vis, int depth, long *budget)
{
	if (depth > MAXDEPTH) {
		gerr_set("devfs ruleset %s=%d: includes nest too deep (a loop?)",
		    rs->name, rs->num);
		return -1;
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct devfs_rule *r = &rs->rules[i];
		const struct devfs_ruleset *inc;

		if (--*budget < 0) {
			gerr_set("%s line %d: devfs ruleset %s=%d: its includes "
			    "come to more than %d rules", r->file, r->line,
			    rs->name, rs->num, EVAL_BUDGET);
			return -1;
		}
		if (!rule_match(r, n))
			continue;
		if (r->action & DA_HIDE)
			*vis = 0;
		if (r->action & DA_UNHIDE)
			*vis = 1;
		if (r->action & DA_INCLUDE) {
			if ((inc = include_target(l, r)) == NULL ||
			    eval(l, inc, n, vis, depth + 1, budget) == -1)
				return -1;
		}
	}
	return 0;
}

int
devfs_visible(const struct devfs_rules *l, int num, const struct devfs_node *n)
{
	const struct devfs_ruleset *rs;
	long budget = EVAL_BUDGET;
	int vis = 1;

	if (num == 0)
		return 1;
	if (devfs_ruleset_check(l, num) == -1 ||
	    (rs = find_num(l, num)) == NULL)
		return -1;
	return eval(l, rs, n, &vis, 0, &budget) == -1 ? -1 : vis;
}
