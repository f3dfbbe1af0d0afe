/*
 * gaol template TARGET TEMPLATE [--arg NAME=VALUE ...]: Bastille's
 * templates.  A template is a directory holding a Bastillefile, one step
 * a line, each a keyword and its arguments.  Most keywords are gaol's
 * own verbs run on the jail (PKG is `gaol pkg TARGET install -y ...`),
 * so a template does exactly what the verb does; the rest (ARG, CP,
 * OVERLAY, INCLUDE, LINE_IN_FILE, RENDER) are template-only and live
 * here.  Each step is shown as it starts; the first that fails stops the
 * template, naming its file and line.  docs/design/templates.md.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gaol.h"
#include "jail/jail.h"
#include "store/store.h"

#define TEMPLATE_DEPTH	8	/* INCLUDE nesting; deeper is a loop */

/* NAME=VALUE pairs; a later set of a name replaces the earlier. */
struct targs {
	struct strlist	names;
	struct strlist	values;
};

/* -q: the steps run without being shown. */
static bool quiet;

struct tpl {
	const char	*jail;
	char		*root;		/* the running jail's path */
	int		 depth;
};

static void
targs_set(struct targs *a, const char *name, const char *value)
{
	for (size_t i = 0; i < a->names.n; i++)
		if (strcmp(a->names.v[i], name) == 0) {
			free(a->values.v[i]);
			a->values.v[i] = xstrdup(value);
			return;
		}
	strlist_add(&a->names, name);
	strlist_add(&a->values, value);
}

static const char *
targs_get(const struct targs *a, const char *name)
{
	for (size_t i = 0; i < a->names.n; i++)
		if (strcmp(a->names.v[i], name) == 0)
			return a->values.v[i];
	return NULL;
}

static void
targs_clear(struct targs *a)
{
	strlist_clear(&a->names);
	strlist_clear(&a->values);
}

static bool
arg_name_ok(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* "NAME=VALUE" into a; -1 (message set) when NAME is not a name. */
static int
targs_parse(struct targs *a, const char *s)
{
	const char *eq = strchr(s, '=');
	char *name;

	if (eq == NULL || !arg_name_ok(s, (size_t)(eq - s))) {
		gerr_set("%s: not NAME=VALUE", s);
		return -1;
	}
	name = xstrndup(s, (size_t)(eq - s));
	targs_set(a, name, eq + 1);
	free(name);
	return 0;
}

/* Every ${NAME} of a known NAME replaced; others are left for sh. */
static char *
expand(const char *s, const struct targs *a)
{
	size_t cap = strlen(s) + 1, len = 0;
	char *out = xmalloc(cap);

	while (*s != '\0') {
		const char *close, *v = NULL;

		if (s[0] == '$' && s[1] == '{' &&
		    (close = strchr(s + 2, '}')) != NULL) {
			char *name = xstrndup(s + 2, (size_t)(close - s - 2));

			v = targs_get(a, name);
			free(name);
			if (v != NULL) {
				size_t n = strlen(v);

				if (len + n + 1 > cap)
					out = xrealloc(out, cap = len + n + 1 +
					    strlen(close), 1);
				memcpy(out + len, v, n);
				len += n;
				s = close + 1;
				continue;
			}
		}
		if (len + 2 > cap)
			out = xrealloc(out, cap *= 2, 1);
		out[len++] = *s++;
	}
	out[len] = '\0';
	return out;
}

/*
 * Split a line into words as sh would without expanding anything:
 * blanks separate, '...' and "..." group, a backslash escapes.
 */
static int
split_words(const char *s, struct strlist *out)
{
	while (*s != '\0') {
		char *w, quote = 0;
		size_t n = 0;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		w = xmalloc(strlen(s) + 1);
		for (; *s != '\0' && (quote || !isspace((unsigned char)*s));
		    s++) {
			if (quote && *s == quote)
				quote = 0;
			else if (!quote && (*s == '\'' || *s == '"'))
				quote = *s;
			else if (*s == '\\' && quote != '\'' && s[1] != '\0')
				w[n++] = *++s;
			else
				w[n++] = *s;
		}
		w[n] = '\0';
		if (quote) {
			free(w);
			gerr_set("unterminated %c quote", quote);
			return -1;
		}
		strlist_addn(out, w);
	}
	return 0;
}

/* Run gaol VERB JAIL ARGS... and say how it ended (-1 with message). */
static int
verb_on_jail(const struct tpl *t, const char *verb, const char *const *pre,
    const struct strlist *args)
{
	const struct verb *v = verb_find(verb);
	struct strlist av = { 0 };
	int st;

	if (v == NULL) {
		gerr_set("this gaol has no %s verb", verb);
		return -1;
	}
	strlist_add(&av, verb);
	strlist_add(&av, t->jail);
	for (; pre != NULL && *pre != NULL; pre++)
		strlist_add(&av, *pre);
	for (size_t i = 0; args != NULL && i < args->n; i++)
		strlist_add(&av, args->v[i]);
	st = verb_call(v, (int)av.n, av.v);
	strlist_clear(&av);
	if (st != 0) {
		gerr_set("gaol %s exited %d", verb, st);
		return -1;
	}
	return 0;
}

static int tpl_apply(struct tpl *, const char *dir, struct targs *);

/*
 * Where a template is: a directory given by path (absolute, or starting
 * with ./ or ../), a git URL cloned into the templates directory (pulled
 * again when it is there), or the name of one in the templates directory.
 */
static char *
template_dir(const char *spec)
{
	bool git = strstr(spec, "://") != NULL || strncmp(spec, "git@", 4) == 0
	    || (strlen(spec) > 4 && strcmp(spec + strlen(spec) - 4, ".git") == 0
	    && spec[0] != '/' && spec[0] != '.');
	char *dir, *base, *gitdir;
	const char *slash;
	size_t n;
	int st;

	if (!git && (spec[0] == '/' || strncmp(spec, "./", 2) == 0 ||
	    strncmp(spec, "../", 3) == 0))
		return xstrdup(spec);
	if (!git) {
		if (strstr(spec, "..") != NULL) {
			gerr_set("%s: invalid template name", spec);
			return NULL;
		}
		return xasprintf("%s/templates/%s", gaol_datadir(), spec);
	}
	/* The repository's name, without a trailing / or .git. */
	n = strlen(spec);
	while (n > 0 && spec[n - 1] == '/')
		n--;
	if (n > 4 && strncmp(spec + n - 4, ".git", 4) == 0)
		n -= 4;
	slash = spec + n;
	while (slash > spec && slash[-1] != '/' && slash[-1] != ':')
		slash--;
	base = xstrndup(slash, (size_t)(spec + n - slash));
	if (store_check_name("template", base) == -1) {
		free(base);
		return NULL;
	}
	dir = xasprintf("%s/templates/%s", gaol_datadir(), base);
	free(base);
	gitdir = xasprintf("%s/.git", dir);
	if (access(gitdir, F_OK) == 0) {
		char *const pull[] = { "git", "-C", dir, "pull", "-q",
		    "--ff-only", NULL };

		st = run_argv(pull, -1, -1);
	} else {
		char *tdir = xasprintf("%s/templates", gaol_datadir());
		char *const clone[] = { "git", "clone", "-q", "--depth", "1",
		    "--", (char *)spec, dir, NULL };

		st = mkdir_p(tdir, 0755) == -1 ? -1 : run_argv(clone, -1, -1);
		free(tdir);
	}
	free(gitdir);
	if (st != 0) {
		if (st > 0)
			gerr_set("%s: git exited %d", spec, st);
		free(dir);
		return NULL;
	}
	return dir;
}

/* The jail's root, open as a directory (-1 with message). */
static int
jail_root_fd(const struct tpl *t)
{
	int fd = open(t->root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1)
		gerr_set_errno("%s: %s", t->jail, t->root);
	return fd;
}

/* LINE_IN_FILE line... path: the line appended unless the file has it. */
static int
line_in_file(const struct tpl *t, const struct strlist *w)
{
	const char *path = w->v[w->n - 1];
	struct strlist words = { 0 };
	char *line, *text = NULL, *dirpart, *base;
	int rootfd, fd = -1, r = -1;
	size_t len = 0;

	for (size_t i = 0; i + 1 < w->n; i++)
		strlist_add(&words, w->v[i]);
	line = strlist_join(&words, " ");
	strlist_clear(&words);
	if ((rootfd = jail_root_fd(t)) == -1)
		goto out;
	if ((fd = root_open(rootfd, path, O_RDONLY)) >= 0)
		text = read_fd(fd, path, &len);
	else if (errno == ENOENT)
		text = xstrdup("");
	else
		gerr_set_errno("%s: %s", t->jail, path);
	if (text == NULL)
		goto out;
	for (char *p = text; p != NULL && *p != '\0';) {
		char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

		if (n == strlen(line) && strncmp(p, line, n) == 0) {
			printf("%s: already there\n", path);
			r = 0;
			goto out;
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
	{
		char *nt = xasprintf("%s%s%s\n", text,
		    len > 0 && text[len - 1] != '\n' ? "\n" : "", line);
		struct stat st = { .st_mode = 0644 };
		int dfd;

		dirpart = xstrdup(path);
		base = strrchr(dirpart, '/');
		if (base != NULL)
			*base++ = '\0';
		else
			base = dirpart;
		dfd = root_open(rootfd, base == dirpart ? "." :
		    (*dirpart != '\0' ? dirpart : "/"), O_PATH | O_DIRECTORY);
		if (fd >= 0)
			fstat(fd, &st);
		if (dfd == -1)
			gerr_set_errno("%s: %s", t->jail, path);
		else if (write_file_at(dfd, base, nt, strlen(nt),
		    st.st_mode & 07777, fd >= 0 ? st.st_uid : (uid_t)-1,
		    fd >= 0 ? st.st_gid : (gid_t)-1) == 0)
			r = 0;
		if (dfd >= 0)
			close(dfd);
		free(dirpart);
		free(nt);
	}
out:
	if (fd >= 0)
		close(fd);
	if (rootfd >= 0)
		close(rootfd);
	free(text);
	free(line);
	return r;
}

/* RENDER: ${ARG}s replaced in one file (dirfd/name), in place. */
static int
render_file(int dirfd, const char *name, const char *shown,
    const struct targs *a)
{
	struct stat st;
	char *text, *out;
	int fd, r = 0;

	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;	/* a symlink or a special file: not ours */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	if ((text = read_fd(fd, shown, NULL)) == NULL) {
		close(fd);
		return -1;
	}
	close(fd);
	out = expand(text, a);
	if (strcmp(out, text) != 0) {
		r = write_file_at(dirfd, name, out, strlen(out),
		    st.st_mode & 07777, st.st_uid, st.st_gid);
		if (r == 0)
			printf("rendered %s\n", shown);
	}
	free(out);
	free(text);
	return r;
}

/* RENDER of a directory: every regular file beneath, links not followed. */
static int
render_tree(int dirfd, const char *shown, const struct targs *a)
{
	DIR *d;
	struct dirent *e;
	int r = 0, fd = dup(dirfd);

	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		gerr_set_errno("%s", shown);
		return -1;
	}
	while (r == 0 && (e = readdir(d)) != NULL) {
		char *path;
		int sub;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", shown, e->d_name);
		sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			r = render_tree(sub, path, a);
			close(sub);
		} else
			r = render_file(dirfd, e->d_name, path, a);
		free(path);
	}
	closedir(d);
	return r;
}

static int
render(const struct tpl *t, const char *path, const struct targs *a)
{
	int rootfd, fd, r = -1;
	struct stat st;

	if ((rootfd = jail_root_fd(t)) == -1)
		return -1;
	fd = root_open(rootfd, path, O_RDONLY | O_NOFOLLOW);
	if (fd == -1 || fstat(fd, &st) == -1)
		gerr_set_errno("%s: %s", t->jail, path);
	else if (S_ISDIR(st.st_mode))
		r = render_tree(fd, path, a);
	else {
		char *dir = xstrdup(path), *base = strrchr(dir, '/');
		int dfd;

		if (base != NULL)
			*base++ = '\0';
		dfd = root_open(rootfd, base == NULL ? "." :
		    (*dir != '\0' ? dir : "/"), O_PATH | O_DIRECTORY);
		if (dfd == -1)
			gerr_set_errno("%s: %s", t->jail, path);
		else {
			r = render_file(dfd, base == NULL ? path : base, path,
			    a);
			close(dfd);
		}
		free(dir);
	}
	if (fd >= 0)
		close(fd);
	close(rootfd);
	return r;
}

/* CP SRC [DEST]: the template's SRC (or a host path) into the jail. */
static int
copy_in(const struct tpl *t, const char *dir, const char *src,
    const char *dest)
{
	char *from = src[0] == '/' ? xstrdup(src) :
	    xasprintf("%s/%s", dir, src);
	struct strlist args = { 0 };
	int r;

	if (access(from, F_OK) == -1) {
		gerr_set_errno("%s", from);
		free(from);
		return -1;
	}
	strlist_add(&args, from);
	strlist_add(&args, dest);
	r = verb_on_jail(t, "cp", NULL, &args);
	strlist_clear(&args);
	free(from);
	return r;
}

/* ARG NAME[=default], ARG+ NAME (mandatory): the value from --arg wins. */
static int
declare_arg(bool mandatory, const struct strlist *w, struct targs *a,
    const struct targs *given)
{
	for (size_t i = 0; i < w->n; i++) {
		const char *eq = strchr(w->v[i], '=');
		size_t n = eq != NULL ? (size_t)(eq - w->v[i]) :
		    strlen(w->v[i]);
		char *name = xstrndup(w->v[i], n);

		if (!arg_name_ok(name, n)) {
			gerr_set("%s: not an ARG name", w->v[i]);
			free(name);
			return -1;
		}
		if (targs_get(given, name) != NULL)
			targs_set(a, name, targs_get(given, name));
		else if (eq != NULL)
			targs_set(a, name, eq + 1);
		else if (mandatory) {
			gerr_set("ARG+ %s: no value given (--arg %s=VALUE)",
			    name, name);
			free(name);
			return -1;
		} else if (targs_get(a, name) == NULL) {
			fprintf(stderr, "gaol: template: warning: ARG %s has "
			    "no value\n", name);
			targs_set(a, name, "");
		}
		free(name);
	}
	return 0;
}

/* What the keywords take: how many words, at least and at most. */
static const struct keyword {
	const char	*name;
	size_t		 min, max;
} keywords[] = {
	{ "ARG", 1, 64 }, { "ARG+", 1, 64 }, { "CMD", 0, 0 },
	{ "CP", 1, 2 }, { "INCLUDE", 1, 64 }, { "LIMITS", 2, 2 },
	{ "LINE_IN_FILE", 2, 64 }, { "MOUNT", 2, 6 }, { "OVERLAY", 1, 64 },
	{ "PKG", 1, 256 }, { "RDR", 1, 16 }, { "RENDER", 1, 1 },
	{ "RESTART", 0, 0 }, { "SERVICE", 1, 16 }, { "SYSRC", 1, 64 },
	{ "TAGS", 1, 64 },
};

/* One step: -1 with the message set. */
static int
step(struct tpl *t, const char *dir, const char *kw, const char *rest,
    struct targs *a, const struct targs *given)
{
	struct strlist w = { 0 };
	int r = -1;

	/* CMD's line goes to sh as it is; the others are split into words. */
	if (strcmp(kw, "CMD") != 0 && split_words(rest, &w) == -1)
		return -1;
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(kw, keywords[i].name) == 0 && (w.n <
		    keywords[i].min || (keywords[i].max > 0 &&
		    w.n > keywords[i].max))) {
			gerr_set("wrong number of arguments");
			goto out;
		}
	if (strcmp(kw, "CMD") == 0 && *rest == '\0') {
		gerr_set("no command");
		goto out;
	}
	if (strcmp(kw, "ARG") == 0 || strcmp(kw, "ARG+") == 0)
		r = declare_arg(kw[3] == '+', &w, a, given);
	else if (strcmp(kw, "CMD") == 0) {
		const char *sh[] = { "/bin/sh", "-c", rest, NULL };

		r = verb_on_jail(t, "cmd", sh, NULL);
	} else if (strcmp(kw, "CP") == 0)
		r = copy_in(t, dir, w.v[0], w.n == 2 ? w.v[1] : "/");
	else if (strcmp(kw, "OVERLAY") == 0) {
		r = 0;
		for (size_t i = 0; r == 0 && i < w.n; i++)
			r = copy_in(t, dir, w.v[i], "/");
	} else if (strcmp(kw, "INCLUDE") == 0) {
		struct targs sub = { 0 };
		char *subdir;

		strlist_copy(&sub.names, &a->names);
		strlist_copy(&sub.values, &a->values);
		for (size_t i = 1; i < w.n; i++) {
			const char *v = w.v[i];

			if (strcmp(v, "--arg") == 0 && i + 1 < w.n)
				v = w.v[++i];
			else if (strncmp(v, "--arg=", 6) == 0)
				v += 6;
			else {
				gerr_set("INCLUDE: %s: not --arg NAME=VALUE", v);
				targs_clear(&sub);
				goto out;
			}
			if (targs_parse(&sub, v) == -1) {
				targs_clear(&sub);
				goto out;
			}
		}
		if ((subdir = template_dir(w.v[0])) != NULL) {
			if (w.v[0][0] != '/' && strstr(w.v[0], "://") == NULL &&
			    access(subdir, F_OK) == -1) {
				/* A path beside this template's. */
				free(subdir);
				subdir = xasprintf("%s/%s", dir, w.v[0]);
			}
			r = tpl_apply(t, subdir, &sub);
			free(subdir);
		}
		targs_clear(&sub);
	} else if (strcmp(kw, "LIMITS") == 0)
		r = verb_on_jail(t, "limits", NULL, &w);
	else if (strcmp(kw, "LINE_IN_FILE") == 0)
		r = line_in_file(t, &w);
	else if (strcmp(kw, "MOUNT") == 0) {
		/* fstab's trailing "0 0" means nothing to gaol mount. */
		while (w.n > 4 && (strcmp(w.v[w.n - 1], "0") == 0 ||
		    strcmp(w.v[w.n - 1], "1") == 0))
			free(w.v[--w.n]);
		r = verb_on_jail(t, "mount", NULL, &w);
	} else if (strcmp(kw, "PKG") == 0) {
		const char *install[] = { "install", "-y", NULL };

		r = verb_on_jail(t, "pkg", install, &w);
	} else if (strcmp(kw, "RDR") == 0)
		r = verb_on_jail(t, "rdr", NULL, &w);
	else if (strcmp(kw, "RENDER") == 0)
		r = render(t, w.v[0], a);
	else if (strcmp(kw, "RESTART") == 0)
		r = verb_on_jail(t, "restart", NULL, NULL);
	else if (strcmp(kw, "SERVICE") == 0)
		r = verb_on_jail(t, "service", NULL, &w);
	else if (strcmp(kw, "SYSRC") == 0)
		r = verb_on_jail(t, "sysrc", NULL, &w);
	else if (strcmp(kw, "TAGS") == 0) {
		const char *add[] = { "add", NULL };

		r = verb_on_jail(t, "tags", add, &w);
	} else {
		/* As in Bastille, any other verb: NETWORK add eth1 ... */
		char *verb = xstrdup(kw);

		for (char *p = verb; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		if (verb_find(verb) == NULL || strcmp(verb, "template") == 0)
			gerr_set("unknown keyword");
		else
			r = verb_on_jail(t, verb, NULL, &w);
		free(verb);
	}
out:
	strlist_clear(&w);
	return r;
}

/* The jail's own values, there in every template. */
static void
builtin_args(const struct jrecord *rec, struct targs *a)
{
	const struct jnet *nj = &rec->net;

	targs_set(a, "JAIL_NAME", rec->name);
	/* The first address of each family, bare (the record's, parsed). */
	for (int i = 0; i < 2; i++) {
		const struct jaddr *ip = i == 0 ? (nj->n4 > 0 ? nj->a4 : NULL) :
		    (nj->n6 > 0 ? nj->a6 : NULL);
		char *v = ip != NULL ? jaddr_ntop(ip) : xstrdup("");

		targs_set(a, i == 0 ? "JAIL_IP" : "JAIL_IP6", v);
		free(v);
	}
}

static int
tpl_apply(struct tpl *t, const char *dir, struct targs *given)
{
	char *file, *text, *line, *save = NULL;
	struct targs a = { 0 };
	struct stat st;
	int lineno = 0, r = 0;

	if (++t->depth > TEMPLATE_DEPTH) {
		gerr_set("%s: templates included %d deep: a loop?", dir,
		    TEMPLATE_DEPTH);
		t->depth--;
		return -1;
	}
	file = stat(dir, &st) == 0 && S_ISREG(st.st_mode) ? xstrdup(dir) :
	    xasprintf("%s/Bastillefile", dir);
	if ((text = read_file(file, NULL)) == NULL) {
		gerr_set_errno("%s", file);
		free(file);
		t->depth--;
		return -1;
	}
	{
		/* The directory paths in the Bastillefile are relative to. */
		char *slash = strrchr(file, '/');

		dir = slash != NULL ? xstrndup(file, (size_t)(slash - file)) :
		    xstrdup(".");
	}
	strlist_copy(&a.names, &given->names);
	strlist_copy(&a.values, &given->values);
	for (line = strtok_r(text, "\n", &save); line != NULL && r == 0;
	    line = strtok_r(NULL, "\n", &save)) {
		char *kw, *rest, *x;
		size_t n;

		/* strtok_r skips empty lines: count them from the text. */
		lineno = 1;
		for (const char *p = text; p < line; p++)
			lineno += *p == '\n' || *p == '\0';
		while (isspace((unsigned char)*line))
			line++;
		n = strlen(line);
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		x = expand(line, &a);
		n = strcspn(x, " \t");
		kw = xstrndup(x, n);
		rest = x + n + strspn(x + n, " \t");
		for (char *p = kw; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		if (!quiet) {
			printf("[%s] %s:%d: %s\n", t->jail, file, lineno, x);
			fflush(stdout);
		}
		if (step(t, dir, kw, rest, &a, given) == -1) {
			gerr_prefix("%s:%d: %s: ", file, lineno, kw);
			r = -1;
		}
		free(kw);
		free(x);
	}
	targs_clear(&a);
	free(text);
	free(file);
	free((char *)dir);
	t->depth--;
	return r;
}

/* The template at dir on one running jail; -1 when it failed (said). */
static int
apply_to(const char *name, const char *dir, const struct targs *given)
{
	struct targs all = { 0 };
	struct tpl t = { 0 };
	struct jrecord rec;
	int r = 0;

	if (registry_find(name, &rec) == -1) {
		fprintf(stderr, "gaol: template: %s: not running (a template "
		    "is applied to a running jail)\n", name);
		return -1;
	}
	t.jail = xstrdup(rec.name);
	t.root = xstrdup(jparams_str(&rec.params, "path") != NULL ?
	    jparams_str(&rec.params, "path") : "/");
	/* Built-ins first, so an --arg JAIL_IP=... still wins. */
	builtin_args(&rec, &all);
	jrecord_free(&rec);
	for (size_t i = 0; i < given->names.n; i++)
		targs_set(&all, given->names.v[i], given->values.v[i]);
	if (tpl_apply(&t, dir, &all) == -1) {
		fprintf(stderr, "gaol: template: %s: %s\n", t.jail,
		    gerr_msg());
		r = -1;
	} else
		printf("[%s] template applied\n", t.jail);
	targs_clear(&all);
	free((char *)t.jail);
	free(t.root);
	return r;
}

static int
run_template(int argc, char **argv)
{
	struct strlist jails = { 0 };
	struct targs given = { 0 };
	char *dir;
	int c, r = 0;

	while ((c = verb_getopt(&verb_template, argc, argv, "qA:")) != -1)
		if (c == 'q')
			quiet = true;
		else if (c == 'A' && targs_parse(&given, optarg) == -1) {
			fprintf(stderr, "gaol: template: --arg %s\n",
			    gerr_msg());
			return 1;
		}
	argc -= optind;
	argv += optind;
	/* --arg may also follow the operands, as Bastille writes it. */
	for (int i = 2; i < argc; i++) {
		const char *v = argv[i];

		if (strcmp(v, "--arg") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(v, "--arg=", 6) == 0)
			v += 6;
		else
			usage_error(&verb_template);
		if (targs_parse(&given, v) == -1) {
			fprintf(stderr, "gaol: template: --arg %s\n",
			    gerr_msg());
			return 1;
		}
	}
	if (argc < 2)
		usage_error(&verb_template);
	/* The template is fetched once, then applied to each jail. */
	if ((dir = template_dir(argv[1])) == NULL) {
		fprintf(stderr, "gaol: template: %s\n", gerr_msg());
		targs_clear(&given);
		return 1;
	}
	target_or_fail(argv[0], TARGET_CONF, &jails);
	for (size_t i = 0; i < jails.n; i++)
		if (apply_to(jails.v[i], dir, &given) == -1)
			r = 1;
	strlist_clear(&jails);
	free(dir);
	targs_clear(&given);
	return r;
}

const struct verb verb_template = {
	.name = "template",
	.args = "[-q] target template [--arg name=value ...]",
	.run = run_template, .enters = true,
	.help =
	    "Apply a template (a directory with a Bastillefile) to each running\n"
	    "jail of target (a name, ALL, tags).  template is a path (/abs,\n"
	    "./rel), a git URL (cloned into DATADIR/templates/NAME, pulled\n"
	    "when there) or the name of one in DATADIR/templates.  Each step\n"
	    "is shown as it runs (not with -q); the first that fails stops\n"
	    "the template with its file and line.  Keywords:\n"
	    "  ARG NAME[=default]  ARG+ NAME (mandatory)  ${NAME} anywhere;\n"
	    "      JAIL_NAME, JAIL_IP, JAIL_IP6 are set\n"
	    "  CMD line            sh -c line in the jail (gaol cmd)\n"
	    "  CP src [dest]       template's src (or /host/path) to dest, /\n"
	    "  OVERLAY src ...     each src to / (as CP src /)\n"
	    "  INCLUDE tpl [--arg N=V ...]   another template, same args\n"
	    "  LIMITS res value    gaol limits     MOUNT fstab-line  gaol mount\n"
	    "  LINE_IN_FILE line path        append line unless present\n"
	    "  PKG name ...        gaol pkg TARGET install -y name ...\n"
	    "  RDR proto host jail gaol rdr        RENDER path  ${ARG}s in it\n"
	    "  RESTART             gaol restart    SERVICE name action\n"
	    "  SYSRC name=value    gaol sysrc      TAGS tag ...  gaol tags add\n"
	    "  any other verb      NETWORK add eth1 is gaol network TARGET ...\n"
	    "  --arg name=value    set an ARG (may be repeated)\n",
};
