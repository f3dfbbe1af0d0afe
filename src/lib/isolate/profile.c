/*
 * gaol.seccomp: a seccomp profile of the jail's own, loaded in every
 * process of the jail on top of gaol's filter (seccomp_restrict).
 * Filters stack and the kernel takes the strictest answer of all, so a
 * profile can only take calls away: never weaker than gaol's policy.
 * This is how the OCI runtime honours linux.seccomp (gaol-oci writes the
 * config's profile in this form), and jail.conf may name one too.
 *
 * The file, a directive a line ('#' starts a comment):
 *
 *	default ACTION			what a call no rule names gets
 *	arch NAME			x86_64, x86, x32, aarch64, ...
 *	flag log | spec_allow
 *	ACTION SYSCALL [ARG OP VALUE [VALUE2]] ...
 *
 * ACTION is allow, errno N, kill (the thread), kill_process, trap,
 * trace N or log; OP is ne, lt, le, eq, ge, gt or masked_eq (VALUE is
 * the mask, VALUE2 the value), on argument ARG (0 to 5).  A syscall this
 * architecture does not know is skipped, and so is a rule whose action
 * is the default, as runc does.
 *
 * The profile is compiled once, in the creator before the init is
 * cloned (from the host's file, which the jail may not reach), and each
 * process of the jail, a fork of the init, loads that program.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../util/util.h"
#include "isolate.h"
#include "isolate_int.h"

static struct {
	char			*file;
	struct sock_fprog	 prog;
} profile;

struct line {
	const char	*file;
	int		 n;
};

static int
bad(const struct line *l, const char *what, const char *word)
{
	gerr_set("gaol.seccomp: %s:%d: %s%s%s", l->file, l->n, what,
	    word ? ": " : "", word ? word : "");
	return -1;
}

static int
number(const struct line *l, const char *w, uint64_t *v)
{
	char *end;

	if (w == NULL)
		return bad(l, "a number is missing", NULL);
	errno = 0;
	*v = strtoull(w, &end, 0);
	if (errno != 0 || *end != '\0' || *w == '-')
		return bad(l, "not a number", w);
	return 0;
}

/* ACTION at words[*i] (and its number); *i moves past it. */
static int
action(const struct line *l, char **w, size_t n, size_t *i, uint32_t *act)
{
	const char *a = *i < n ? w[*i] : NULL;
	uint64_t v = 0;

	if (a == NULL)
		return bad(l, "an action is missing", NULL);
	(*i)++;
	if (strcmp(a, "allow") == 0)
		*act = SCMP_ACT_ALLOW;
	else if (strcmp(a, "kill") == 0)
		*act = SCMP_ACT_KILL_THREAD;
	else if (strcmp(a, "kill_process") == 0)
		*act = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(a, "trap") == 0)
		*act = SCMP_ACT_TRAP;
	else if (strcmp(a, "log") == 0)
		*act = SCMP_ACT_LOG;
	else if (strcmp(a, "errno") == 0 || strcmp(a, "trace") == 0) {
		if (number(l, *i < n ? w[(*i)++] : NULL, &v) == -1)
			return -1;
		if (v > 0xffff)
			return bad(l, "out of range", w[*i - 1]);
		*act = a[0] == 'e' ? SCMP_ACT_ERRNO((uint32_t)v) :
		    SCMP_ACT_TRACE((uint32_t)v);
	} else
		return bad(l, "not an action", a);
	return 0;
}

static int
op_of(const char *w, enum scmp_compare *op)
{
	static const struct { const char *name; enum scmp_compare op; } ops[] = {
		{ "ne", SCMP_CMP_NE }, { "lt", SCMP_CMP_LT },
		{ "le", SCMP_CMP_LE }, { "eq", SCMP_CMP_EQ },
		{ "ge", SCMP_CMP_GE }, { "gt", SCMP_CMP_GT },
		{ "masked_eq", SCMP_CMP_MASKED_EQ },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(w, ops[i].name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

static int
add_rule(scmp_filter_ctx ctx, const struct line *l, uint32_t act,
    uint32_t def, int nr, const struct scmp_arg_cmp *c, unsigned nc)
{
	bool same_arg = false;
	int r = 0;

	if (act == def)
		return 0;
	for (unsigned a = 0; a < nc; a++)
		for (unsigned b = a + 1; b < nc; b++)
			if (c[a].arg == c[b].arg)
				same_arg = true;
	/* Two tests of one argument: libseccomp takes them one rule each
	 * (either matches), as runc adds them. */
	if (same_arg)
		for (unsigned a = 0; a < nc && r >= 0; a++)
			r = seccomp_rule_add_array(ctx, act, nr, 1, &c[a]);
	else
		r = seccomp_rule_add_array(ctx, act, nr, nc, c);
	if (r < 0) {
		gerr_set("gaol.seccomp: %s:%d: %s", l->file, l->n, strerror(-r));
		return -1;
	}
	return 0;
}

static int
rule(scmp_filter_ctx ctx, const struct line *l, char **w, size_t n,
    uint32_t def)
{
	struct scmp_arg_cmp c[6];
	unsigned nc = 0;
	uint32_t act;
	size_t i = 0;
	int nr;

	if (action(l, w, n, &i, &act) == -1)
		return -1;
	if (i >= n)
		return bad(l, "a system call is missing", NULL);
	nr = seccomp_syscall_resolve_name(w[i++]);
	while (i < n) {
		uint64_t arg, v1, v2 = 0;
		enum scmp_compare op;

		if (nc == 6)
			return bad(l, "more than six tests", NULL);
		if (number(l, w[i], &arg) == -1 || arg > 5)
			return bad(l, "not an argument (0 to 5)", w[i]);
		if (i + 2 >= n || op_of(w[i + 1], &op) == -1)
			return bad(l, "a test is ARG OP VALUE [VALUE2]", NULL);
		if (number(l, w[i + 2], &v1) == -1)
			return -1;
		i += 3;
		if (op == SCMP_CMP_MASKED_EQ &&
		    number(l, i < n ? w[i++] : NULL, &v2) == -1)
			return -1;
		c[nc++] = (struct scmp_arg_cmp){ (unsigned)arg, op, v1, v2 };
	}
	/* Not a call of this architecture: nothing to filter. */
	if (nr == __NR_SCMP_ERROR)
		return 0;
	return add_rule(ctx, l, act, def, nr, c, nc);
}

/* Split a line into words (blanks); comments go. */
static size_t
words(char *s, char **w, size_t max)
{
	size_t n = 0;
	char *save = NULL, *hash = strchr(s, '#');

	if (hash != NULL)
		*hash = '\0';
	for (char *t = strtok_r(s, " \t\r", &save); t != NULL && n < max;
	    t = strtok_r(NULL, " \t\r", &save))
		w[n++] = t;
	return n;
}

/* The default action: the first directive of the file. */
static int
default_action(const char *file, char *text, uint32_t *def)
{
	struct line l = { file, 0 };
	char *copy = xstrdup(text), *save = NULL, *w[24];
	int r = bad(&l, "no default action", NULL);

	for (char *s = strtok_r(copy, "\n", &save); s != NULL;
	    s = strtok_r(NULL, "\n", &save)) {
		size_t n = words(s, w, 24), i = 1;

		if (n > 0 && strcmp(w[0], "default") == 0) {
			r = action(&l, w, n, &i, def);
			break;
		}
	}
	free(copy);
	return r;
}

static int
directive(scmp_filter_ctx ctx, const struct line *l, char **w, size_t n,
    uint32_t def)
{
	int r;

	if (strcmp(w[0], "default") == 0)
		return 0;
	if (strcmp(w[0], "arch") == 0) {
		uint32_t arch = n == 2 ? seccomp_arch_resolve_name(w[1]) : 0;

		if (arch == 0)
			return bad(l, "not an architecture", n > 1 ? w[1] : NULL);
		r = seccomp_arch_add(ctx, arch);
		return r < 0 && r != -EEXIST ? bad(l, strerror(-r), w[1]) : 0;
	}
	if (strcmp(w[0], "flag") == 0) {
		enum scmp_filter_attr a;

		if (n == 2 && strcmp(w[1], "log") == 0)
			a = SCMP_FLTATR_CTL_LOG;
		else if (n == 2 && strcmp(w[1], "spec_allow") == 0)
			a = SCMP_FLTATR_CTL_SSB;
		else
			return bad(l, "not a flag", n > 1 ? w[1] : NULL);
		return seccomp_attr_set(ctx, a, 1) < 0 ?
		    bad(l, "flag not supported here", w[1]) : 0;
	}
	return rule(ctx, l, w, n, def);
}

static scmp_filter_ctx
build(const char *file, char *text)
{
	struct line l = { file, 0 };
	scmp_filter_ctx ctx;
	char *w[24];
	uint32_t def;

	if (default_action(file, text, &def) == -1)
		return NULL;
	if ((ctx = seccomp_init(def)) == NULL) {
		gerr_set("gaol.seccomp: cannot make a filter");
		return NULL;
	}
	/* Loaded as gaol's is: with CAP_SYS_ADMIN, without no_new_privs. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	for (char *s = text; s != NULL; ) {
		char *nl = strchr(s, '\n');
		size_t n;

		if (nl != NULL)
			*nl = '\0';
		l.n++;
		n = words(s, w, 24);
		if (n > 0 && directive(ctx, &l, w, n, def) == -1) {
			seccomp_release(ctx);
			return NULL;
		}
		s = nl != NULL ? nl + 1 : NULL;
	}
	return ctx;
}

int
seccomp_profile_compile(const char *file)
{
	scmp_filter_ctx ctx;
	char *text;

	if (profile.file != NULL && strcmp(profile.file, file) == 0)
		return 0;
	if ((text = read_file(file, NULL)) == NULL) {
		gerr_set_errno("gaol.seccomp: %s", file);
		return -1;
	}
	ctx = build(file, text);
	free(text);
	if (ctx == NULL)
		return -1;
	if (seccomp_export(ctx, &profile.prog) == -1) {
		gerr_prefix("gaol.seccomp: %s: ", file);
		return -1;
	}
	free(profile.file);
	profile.file = xstrdup(file);
	return 0;
}

int
seccomp_profile_load(const struct jail_spec *s)
{
	const char *file = jparams_str(&s->params, "gaol.seccomp");

	if (file == NULL || *file == '\0')
		return 0;
	/* Compiled by the creator; a jail never reads the host's file. */
	if (profile.file == NULL || strcmp(profile.file, file) != 0) {
		gerr_set("gaol.seccomp: %s: not compiled for this jail", file);
		return -1;
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
	    &profile.prog) == -1) {
		gerr_set_errno("gaol.seccomp: load the profile");
		return -1;
	}
	return 0;
}
