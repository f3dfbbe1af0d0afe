/*
 * config.json to jail parameters.  What a field becomes is listed in
 * docs/oci.md; the rule is: honour what a jail can do, map what it does
 * its own way (a mount to an fstab line, a resource to an rctl rule),
 * and refuse, naming the field, what would silently make a container
 * weaker than its config asks.  Fields that only make it stronger than
 * gaol's walls (capabilities to drop, a seccomp profile, an AppArmor
 * label) are noted and left to gaol's own, stricter, policy.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <jansson.h>

#include "oci.h"
#include "../rctl/rctl.h"

struct ctx {
	const char	*file;		/* for messages */
	const char	*root;		/* the jail's path */
	struct oci_config *c;
	bool		 devfs, procfs;
};

static int
bad(const struct ctx *x, const char *field, const char *why)
{
	gerr_set("%s: %s: %s", x->file, field, why);
	return -1;
}

static const char *
str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A JSON array of strings into a list; NULL is an empty list. */
static int
strings(const struct ctx *x, const char *field, json_t *a, struct strlist *out)
{
	size_t i;
	json_t *v;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return bad(x, field, "not an array");
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return bad(x, field, "not an array of strings");
		strlist_add(out, json_string_value(v));
	}
	return 0;
}

/*
 * process.rlimits whose rctl resource is the same per-process limit:
 * rctl rules, so that rctl -l shows them.  A limit above what the
 * runtime has itself is the runtime's own (raising a hard limit takes
 * the host's CAP_SYS_RESOURCE, which a jail never has).
 */
static void
rlimits_parse(const struct ctx *x, json_t *a)
{
	static const struct { const char *oci; int res; const char *rctl; }
	    map[] = {
		{ "RLIMIT_NOFILE", RLIMIT_NOFILE, "openfiles" },
		{ "RLIMIT_DATA", RLIMIT_DATA, "datasize" },
		{ "RLIMIT_STACK", RLIMIT_STACK, "stacksize" },
		{ "RLIMIT_CORE", RLIMIT_CORE, "coredumpsize" },
		{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK, "memorylocked" },
		{ "RLIMIT_AS", RLIMIT_AS, "vmemoryuse" },
	};
	struct rlimit own;
	long long want;
	size_t i, k;
	json_t *l;

	json_array_foreach(a, i, l) {
		const char *type = str_of(l, "type");
		json_t *hard = json_object_get(l, "hard");

		for (k = 0; type != NULL && k < sizeof(map) / sizeof(map[0]); k++)
			if (strcmp(type, map[k].oci) == 0)
				break;
		if (type == NULL || k == sizeof(map) / sizeof(map[0]) ||
		    !json_is_integer(hard) || json_integer_value(hard) < 0) {
			strlist_addn(&x->c->notes, xasprintf("process.rlimits: "
			    "%s: the jail's own", type ? type : "?"));
			continue;
		}
		want = (long long)json_integer_value(hard);
		if (getrlimit(map[k].res, &own) == 0 && own.rlim_max !=
		    RLIM_INFINITY && (rlim_t)want > own.rlim_max)
			want = (long long)own.rlim_max;
		strlist_addn(&x->c->rctl, xasprintf("%s:deny=%lld", map[k].rctl,
		    want));
	}
}

static bool
id_value(json_t *v, unsigned long long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 0xfffffffeLL)
		return false;
	*out = (unsigned long long)json_integer_value(v);
	return true;
}

/*
 * process.user: the uid and gid as they are, in the jail's passwd or
 * not, as runc takes them; additionalGids and umask too.  username
 * (the spec's, for Windows) names a user of the jail's passwd.
 */
static int
user_parse(const struct ctx *x, json_t *user, struct oci_process *pr)
{
	json_t *extra = json_object_get(user, "additionalGids"), *v;
	unsigned long long id;
	size_t i;

	if (!json_is_object(user))
		return bad(x, "process.user", "not an object");
	if (str_of(user, "username") != NULL) {
		pr->user = xstrdup(str_of(user, "username"));
		return 0;
	}
	pr->has_ids = true;
	pr->ids.umask = -1;
	if (json_object_get(user, "uid") != NULL) {
		if (!id_value(json_object_get(user, "uid"), &id))
			return bad(x, "process.user.uid", "not a uid");
		pr->ids.uid = (uid_t)id;
	}
	if (json_object_get(user, "gid") != NULL) {
		if (!id_value(json_object_get(user, "gid"), &id))
			return bad(x, "process.user.gid", "not a gid");
		pr->ids.gid = (gid_t)id;
	}
	if ((v = json_object_get(user, "umask")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 0777)
			return bad(x, "process.user.umask", "not a umask");
		pr->ids.umask = (int)json_integer_value(v);
	}
	if (extra != NULL && !json_is_array(extra))
		return bad(x, "process.user.additionalGids", "not an array");
	pr->groups = xcalloc(json_array_size(extra) + 1, sizeof(gid_t));
	json_array_foreach(extra, i, v) {
		if (!id_value(v, &id))
			return bad(x, "process.user.additionalGids", "not a gid");
		pr->groups[pr->ids.ngroups++] = (gid_t)id;
	}
	pr->ids.groups = pr->groups;
	return 0;
}

/*
 * process.capabilities: each set by name.  A name this runtime does not
 * know is left out, as runc does: a set only ever loses by it.
 */
static int
caps_parse(const struct ctx *x, json_t *c, struct oci_process *pr)
{
	static const char *const names[] = { "bounding", "effective",
	    "permitted", "inheritable", "ambient" };
	uint64_t *sets[] = { &pr->caps.bounding, &pr->caps.effective,
	    &pr->caps.permitted, &pr->caps.inheritable, &pr->caps.ambient };
	struct strlist known = { 0 };

	if (!json_is_object(c))
		return bad(x, "process.capabilities", "not an object");
	for (int k = 0; k < 5; k++) {
		struct strlist l = { 0 };
		char field[64];

		snprintf(field, sizeof(field), "process.capabilities.%s",
		    names[k]);
		if (strings(x, field, json_object_get(c, names[k]), &l) == -1) {
			strlist_clear(&l);
			strlist_clear(&known);
			return -1;
		}
		for (size_t i = 0; i < l.n; i++) {
			int cap = cap_by_name(l.v[i]);

			if (cap < 0 || cap >= 64) {
				if (x->c != NULL)
					strlist_addn(&x->c->notes, xasprintf(
					    "%s: %s: unknown, left out", field,
					    l.v[i]));
				continue;
			}
			*sets[k] |= UINT64_C(1) << cap;
			if (k == 0)
				strlist_add(&known, l.v[i]);
		}
		strlist_clear(&l);
	}
	pr->has_caps = true;
	/* The bounding set is the jail's: jexec and exec stay within it. */
	if (x->c != NULL) {
		if (known.n == 0)
			strlist_add(&known, "");
		jparams_setl(&x->c->params, "gaol.capabilities", &known, NULL, 0);
	}
	strlist_clear(&known);
	return 0;
}

static int
process_parse(const struct ctx *x, json_t *p, struct oci_process *pr)
{
	json_t *user, *v;

	if (!json_is_object(p))
		return bad(x, "process", "not an object");
	if (strings(x, "process.args", json_object_get(p, "args"),
	    &pr->args) == -1 || strings(x, "process.env",
	    json_object_get(p, "env"), &pr->env) == -1)
		return -1;
	if (pr->args.n == 0)
		return bad(x, "process.args", "empty");
	pr->cwd = xstrdup(str_of(p, "cwd") ? str_of(p, "cwd") : "/");
	if (pr->cwd[0] != '/')
		return bad(x, "process.cwd", "not an absolute path");
	pr->terminal = json_is_true(json_object_get(p, "terminal"));
	pr->no_new_privs = json_is_true(json_object_get(p, "noNewPrivileges"));
	if (x->c != NULL && json_is_array(json_object_get(p, "rlimits")))
		rlimits_parse(x, json_object_get(p, "rlimits"));
	if ((user = json_object_get(p, "user")) != NULL &&
	    user_parse(x, user, pr) == -1)
		return -1;
	if ((v = json_object_get(p, "capabilities")) != NULL &&
	    caps_parse(x, v, pr) == -1)
		return -1;
	/* An AppArmor profile or SELinux label confines further than the
	 * jail does; gaol has neither, and the jail's own walls stand. */
	if ((v = json_object_get(p, "apparmorProfile")) != NULL &&
	    json_string_length(v) > 0 && x->c != NULL)
		strlist_add(&x->c->notes, "process.apparmorProfile ignored");
	if ((v = json_object_get(p, "selinuxLabel")) != NULL &&
	    json_string_length(v) > 0 && x->c != NULL)
		strlist_add(&x->c->notes, "process.selinuxLabel ignored");
	return 0;
}

static void
set(struct oci_config *c, const char *name, const char *value)
{
	jparams_set(&c->params, name, value, false, NULL, 0);
}

static void
add_mount_line(struct oci_config *c, const char *line)
{
	jparams_set(&c->params, "mount", line, true, NULL, 0);
}

/* Options fstab(5) lines of ours take: ro, and tmpfs's own. */
static char *
mount_opts(json_t *opts, bool tmpfs)
{
	struct strlist keep = { 0 };
	size_t i;
	json_t *v;
	char *s;
	bool ro = false;

	json_array_foreach(opts, i, v) {
		const char *o = json_string_value(v);

		if (o == NULL)
			continue;
		if (strcmp(o, "ro") == 0)
			ro = true;
		else if (tmpfs && (strncmp(o, "size=", 5) == 0 ||
		    strncmp(o, "mode=", 5) == 0 || strncmp(o, "uid=", 4) == 0 ||
		    strncmp(o, "gid=", 4) == 0))
			strlist_add(&keep, o);
	}
	strlist_add(&keep, ro ? "ro" : "rw");
	s = strlist_join(&keep, ",");
	strlist_clear(&keep);
	return s;
}

static bool
has_opt(json_t *opts, const char *want)
{
	size_t i;
	json_t *v;

	json_array_foreach(opts, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
			return true;
	return false;
}

/* fstab's octal escape for the blanks a path may hold. */
static char *
fstab_escape(const char *s)
{
	char *o = xmalloc(strlen(s) * 4 + 1), *p = o;

	for (; *s != '\0'; s++)
		if (*s == ' ' || *s == '\t' || *s == '\\')
			p += sprintf(p, "\\%03o", (unsigned char)*s);
		else
			*p++ = *s;
	*p = '\0';
	return o;
}

static int
one_mount(struct ctx *x, json_t *m, size_t idx)
{
	const char *dst = str_of(m, "destination"), *type = str_of(m, "type"),
	    *src = str_of(m, "source");
	json_t *opts = json_object_get(m, "options");
	char field[64], *edst, *esrc, *o, *line;
	bool bind;

	snprintf(field, sizeof(field), "mounts[%zu]", idx);
	if (dst == NULL || dst[0] != '/')
		return bad(x, field, "destination is not an absolute path");
	if (opts != NULL && !json_is_array(opts))
		return bad(x, field, "options is not an array");
	bind = (type != NULL && strcmp(type, "bind") == 0) ||
	    has_opt(opts, "bind") || has_opt(opts, "rbind");
	if (!bind && type == NULL)
		return bad(x, field, "no type");
	if (!bind && strcmp(type, "proc") == 0 && strcmp(dst, "/proc") == 0) {
		x->procfs = true;	/* with gaol's masks */
		return 0;
	}
	/* The jail's /dev: a tmpfs holding what ruleset 4 unhides, with its
	 * own devpts and shm; mqueue and cgroup are the jail's already. */
	if (!bind && (strcmp(dst, "/dev") == 0 || strcmp(dst, "/dev/pts") == 0)) {
		x->devfs = true;
		return 0;
	}
	if (!bind && (strcmp(type, "mqueue") == 0 || strcmp(type, "cgroup") == 0 ||
	    strcmp(type, "cgroup2") == 0)) {
		strlist_addn(&x->c->notes, xasprintf("%s: %s on %s: the jail's "
		    "own is used", field, type, dst));
		return 0;
	}
	edst = xasprintf("%s%s", x->root, dst);
	o = mount_opts(opts, !bind && strcmp(type, "tmpfs") == 0);
	if (bind) {
		if (src == NULL) {
			free(edst);
			free(o);
			return bad(x, field, "bind mount without a source");
		}
		esrc = fstab_escape(src);
		line = xasprintf("%s %s nullfs %s 0 0", esrc, edst, o);
		free(esrc);
	} else if (strcmp(type, "tmpfs") == 0)
		line = xasprintf("tmpfs %s tmpfs %s 0 0", edst, o);
	else if (strcmp(type, "sysfs") == 0)
		line = xasprintf("sysfs %s linsysfs ro 0 0", edst);
	else if (strcmp(type, "proc") == 0)
		line = xasprintf("proc %s procfs rw 0 0", edst);
	else {
		free(edst);
		free(o);
		gerr_set("%s: %s: type \"%s\" is not supported (bind, tmpfs, "
		    "proc, sysfs, devpts, mqueue, cgroup)", x->file, field, type);
		return -1;
	}
	add_mount_line(x->c, line);
	free(line);
	free(edst);
	free(o);
	return 0;
}

static int
mounts_parse(struct ctx *x, json_t *ms)
{
	size_t i;
	json_t *m;

	if (ms == NULL)
		return 0;
	if (!json_is_array(ms))
		return bad(x, "mounts", "not an array");
	json_array_foreach(ms, i, m)
		if (one_mount(x, m, i) == -1)
			return -1;
	return 0;
}

static int
hooks_parse(struct ctx *x, json_t *hs)
{
	static const char *const names[OCI_NHOOKS] = { "prestart",
	    "createRuntime", "createContainer", "startContainer", "poststart",
	    "poststop" };

	if (hs == NULL)
		return 0;
	for (int k = 0; k < OCI_NHOOKS; k++) {
		json_t *a = json_object_get(hs, names[k]), *h;
		size_t i;

		if (a == NULL)
			continue;
		if (!json_is_array(a))
			return bad(x, names[k], "not an array");
		x->c->hooks[k] = xcalloc(json_array_size(a) + 1,
		    sizeof(struct oci_hook));
		json_array_foreach(a, i, h) {
			struct oci_hook *hk = &x->c->hooks[k][i];

			if (str_of(h, "path") == NULL)
				return bad(x, names[k], "a hook without a path");
			hk->path = xstrdup(str_of(h, "path"));
			x->c->nhooks[k]++;
			if (strings(x, names[k], json_object_get(h, "args"),
			    &hk->args) == -1 || strings(x, names[k],
			    json_object_get(h, "env"), &hk->env) == -1)
				return -1;
			hk->timeout = (int)json_integer_value(
			    json_object_get(h, "timeout"));
		}
	}
	return 0;
}

static int
namespaces_parse(struct ctx *x, json_t *ns)
{
	size_t i;
	json_t *n;
	bool net = false;

	json_array_foreach(ns, i, n) {
		const char *type = str_of(n, "type"), *path = str_of(n, "path");

		if (type == NULL)
			return bad(x, "linux.namespaces", "an entry without a type");
		if (strcmp(type, "network") == 0) {
			net = true;
			if (path != NULL)
				x->c->netns = xstrdup(path);
		} else if (path != NULL && strcmp(type, "network") != 0) {
			/* Joining another's pid or mount namespace would be
			 * two containers in one jail: not a jail any more. */
			gerr_set("%s: linux.namespaces: joining a %s namespace "
			    "(%s) is not supported", x->file, type, path);
			return -1;
		}
	}
	/* No network entry: the host's stack, as runc does it. */
	if (net && x->c->netns == NULL)
		set(x->c, "vnet", "new");
	else {
		set(x->c, "ip4", "inherit");
		set(x->c, "ip6", "inherit");
	}
	return 0;
}

/* linux.resources: the same limits as rctl(8) sets, as rctl rules. */
static int
resources_parse(struct ctx *x, json_t *r)
{
	json_t *mem = json_object_get(r, "memory"), *pids = json_object_get(r,
	    "pids"), *cpu = json_object_get(r, "cpu");
	json_int_t v;

	if (mem != NULL && (v = json_integer_value(json_object_get(mem,
	    "limit"))) > 0)
		strlist_addn(&x->c->rctl, xasprintf("memoryuse:deny=%lld",
		    (long long)v));
	if (pids != NULL && (v = json_integer_value(json_object_get(pids,
	    "limit"))) > 0)
		strlist_addn(&x->c->rctl, xasprintf("maxproc:deny=%lld",
		    (long long)v));
	if (cpu != NULL) {
		json_int_t quota = json_integer_value(json_object_get(cpu, "quota"));
		json_int_t period = json_integer_value(json_object_get(cpu,
		    "period"));

		if (quota > 0)
			strlist_addn(&x->c->rctl, xasprintf("pcpu:deny=%lld",
			    (long long)(quota * 100 / (period > 0 ? period :
			    100000))));
	}
	if (json_object_get(r, "devices") != NULL)
		strlist_add(&x->c->notes, "linux.resources.devices: the jail's "
		    "devfs ruleset decides");
	return 0;
}

/* Paths of the container as a list parameter; gaol's own masks stay. */
static int
path_list(const struct ctx *x, const char *field, json_t *a, const char *param)
{
	struct strlist l = { 0 };

	if (strings(x, field, a, &l) == -1) {
		strlist_clear(&l);
		return -1;
	}
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i][0] != '/') {
			strlist_clear(&l);
			return bad(x, field, "not an absolute path");
		}
	if (l.n > 0)
		jparams_setl(&x->c->params, param, &l, NULL, 0);
	strlist_clear(&l);
	return 0;
}

/* linux.seccomp's action names, as gaol.seccomp spells them. */
static int
seccomp_action(const struct ctx *x, const char *field, json_t *o,
    const char *key, const char *errkey, FILE *out)
{
	static const struct { const char *oci, *gaol; bool num; } acts[] = {
		{ "SCMP_ACT_ALLOW", "allow", false },
		{ "SCMP_ACT_ERRNO", "errno", true },
		{ "SCMP_ACT_KILL", "kill", false },
		{ "SCMP_ACT_KILL_THREAD", "kill", false },
		{ "SCMP_ACT_KILL_PROCESS", "kill_process", false },
		{ "SCMP_ACT_TRAP", "trap", false },
		{ "SCMP_ACT_TRACE", "trace", true },
		{ "SCMP_ACT_LOG", "log", false },
	};
	const char *a = str_of(o, key);
	json_t *e = json_object_get(o, errkey);

	if (a == NULL)
		return bad(x, field, "no action");
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		if (strcmp(a, acts[i].oci) != 0)
			continue;
		fputs(acts[i].gaol, out);
		/* EPERM unless the profile says, as runc answers. */
		if (acts[i].num)
			fprintf(out, " %lld", json_is_integer(e) ?
			    (long long)json_integer_value(e) : (long long)EPERM);
		return 0;
	}
	gerr_set("%s: %s: action %s is not supported", x->file, field, a);
	return -1;
}

static int
seccomp_args(const struct ctx *x, const char *field, json_t *args, FILE *out)
{
	static const struct { const char *oci, *gaol; } ops[] = {
		{ "SCMP_CMP_NE", "ne" }, { "SCMP_CMP_LT", "lt" },
		{ "SCMP_CMP_LE", "le" }, { "SCMP_CMP_EQ", "eq" },
		{ "SCMP_CMP_GE", "ge" }, { "SCMP_CMP_GT", "gt" },
		{ "SCMP_CMP_MASKED_EQ", "masked_eq" },
	};
	size_t i, k;
	json_t *a;

	json_array_foreach(args, i, a) {
		const char *op = str_of(a, "op");

		for (k = 0; op != NULL && k < sizeof(ops) / sizeof(ops[0]); k++)
			if (strcmp(op, ops[k].oci) == 0)
				break;
		if (op == NULL || k == sizeof(ops) / sizeof(ops[0]) ||
		    !json_is_integer(json_object_get(a, "index")))
			return bad(x, field, "an argument test without index "
			    "or with an unknown op");
		fprintf(out, " %lld %s %llu", (long long)json_integer_value(
		    json_object_get(a, "index")), ops[k].gaol,
		    (unsigned long long)json_integer_value(json_object_get(a,
		    "value")));
		if (strcmp(ops[k].gaol, "masked_eq") == 0)
			fprintf(out, " %llu", (unsigned long long)
			    json_integer_value(json_object_get(a, "valueTwo")));
	}
	return 0;
}

/*
 * linux.seccomp, as gaol.seccomp's profile: loaded over gaol's own
 * filter, so it only ever takes calls away (docs/design/oci-runtime.md).
 */
static int
seccomp_parse(const struct ctx *x, json_t *sc)
{
	char *text = NULL, field[64], *lower;
	size_t len = 0, i, k;
	FILE *out;
	json_t *v, *s, *n;
	int r = -1;

	if (!json_is_object(sc))
		return bad(x, "linux.seccomp", "not an object");
	if (str_of(sc, "listenerPath") != NULL)
		return bad(x, "linux.seccomp.listenerPath", "not supported");
	out = xopen_memstream(&text, &len);
	fputs("default ", out);
	if (seccomp_action(x, "linux.seccomp.defaultAction", sc,
	    "defaultAction", "defaultErrnoRet", out) == -1)
		goto out;
	fputc('\n', out);
	json_array_foreach(json_object_get(sc, "architectures"), i, v) {
		const char *a = json_string_value(v);

		if (a == NULL || strncmp(a, "SCMP_ARCH_", 10) != 0)
			continue;
		lower = xstrdup(a + 10);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		/* One this libseccomp does not know: gaol's filter kills
		 * every call of an architecture but the host's anyway. */
		if (seccomp_arch_resolve_name(lower) != 0)
			fprintf(out, "arch %s\n", lower);
		free(lower);
	}
	json_array_foreach(json_object_get(sc, "flags"), i, v) {
		const char *f = json_string_value(v);

		if (f != NULL && strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0)
			fputs("flag log\n", out);
		else if (f != NULL && strcmp(f,
		    "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			fputs("flag spec_allow\n", out);
	}
	json_array_foreach(json_object_get(sc, "syscalls"), i, s) {
		snprintf(field, sizeof(field), "linux.seccomp.syscalls[%zu]", i);
		json_array_foreach(json_object_get(s, "names"), k, n) {
			if (!json_is_string(n))
				continue;
			if (seccomp_action(x, field, s, "action", "errnoRet",
			    out) == -1)
				goto out;
			fprintf(out, " %s", json_string_value(n));
			if (seccomp_args(x, field, json_object_get(s, "args"),
			    out) == -1)
				goto out;
			fputc('\n', out);
		}
	}
	r = 0;
out:
	fclose(out);
	if (r == 0)
		x->c->seccomp = text;
	else
		free(text);
	return r;
}

static int
linux_parse(struct ctx *x, json_t *l)
{
	json_t *v;

	if (l == NULL) {
		set(x->c, "ip4", "inherit");
		set(x->c, "ip6", "inherit");
		return 0;
	}
	if (namespaces_parse(x, json_object_get(l, "namespaces")) == -1)
		return -1;
	if ((v = json_object_get(l, "resources")) != NULL &&
	    resources_parse(x, v) == -1)
		return -1;
	/* A mapping of its own is the engine's idea of the jail's ids:
	 * gaol gives each jail a private range (gaol.idmap) instead. */
	if (json_array_size(json_object_get(l, "uidMappings")) > 0)
		strlist_add(&x->c->notes, "linux.uidMappings: gaol's own range");
	if ((v = json_object_get(l, "seccomp")) != NULL && !json_is_null(v) &&
	    seccomp_parse(x, v) == -1)
		return -1;
	if (path_list(x, "linux.maskedPaths", json_object_get(l,
	    "maskedPaths"), "gaol.masked_paths") == -1 ||
	    path_list(x, "linux.readonlyPaths", json_object_get(l,
	    "readonlyPaths"), "gaol.readonly_paths") == -1)
		return -1;
	if ((v = json_object_get(l, "sysctl")) != NULL &&
	    json_object_size(v) > 0)
		return bad(x, "linux.sysctl", "not supported (a jail cannot set "
		    "the host's kernel parameters)");
	return 0;
}

/* The value of an annotation as a jail parameter's boolean. */
static const char *
bool_word(const char *v)
{
	bool b;

	if (strcmp(v, "required") == 0)
		return "1";
	return parse_bool(v, &b) ? (b ? "1" : "0") : NULL;
}

/*
 * FreeBSD's OCI runtime (ocijail) reads its jail knobs from
 * annotations: org.freebsd.jail.vnet (new|inherit),
 * org.freebsd.parentJail, and, with the patch its users carry,
 * org.freebsd.jail.allow.NAME=true|false.  org.gaol.rctl is gaol's own:
 * rctl rules without their subject, separated by commas.
 */
static int
annotations_parse(struct ctx *x, json_t *a, const char *id)
{
	const char *k;
	json_t *v;
	char *name = NULL;

	json_object_foreach(a, k, v) {
		const char *s = json_string_value(v);

		if (s == NULL)
			return bad(x, "annotations", "a value is not a string");
		strlist_addn(&x->c->annotations, xasprintf("%s=%s", k, s));
		if (strcmp(k, "org.freebsd.jail.vnet") == 0) {
			if (strcmp(s, "new") != 0 && strcmp(s, "inherit") != 0)
				return bad(x, k, "not \"new\" or \"inherit\"");
			if (strcmp(s, "new") == 0 && x->c->netns == NULL) {
				jparams_unset(&x->c->params, "ip4");
				jparams_unset(&x->c->params, "ip6");
				set(x->c, "vnet", "new");
			}
		} else if (strcmp(k, "org.freebsd.parentJail") == 0) {
			free(name);
			name = xasprintf("%s.%s", s, id);
		} else if (strncmp(k, "org.freebsd.jail.allow.", 23) == 0) {
			char *p = xasprintf("allow.%s", k + 23);
			const char *b = bool_word(s);

			if (b == NULL || param_lookup(p) == NULL) {
				gerr_set("%s: annotation %s: not a jail "
				    "parameter of gaol or not a boolean (%s)",
				    x->file, k, s);
				free(p);
				free(name);
				return -1;
			}
			set(x->c, p, b);
			free(p);
		} else if (strcmp(k, "org.gaol.rctl") == 0) {
			char *all = xstrdup(s), *save = NULL;

			for (char *r = strtok_r(all, ",", &save); r != NULL;
			    r = strtok_r(NULL, ",", &save))
				strlist_add(&x->c->rctl, r);
			free(all);
		}
	}
	if (name != NULL) {
		set(x->c, "name", name);
		free(name);
	}
	return 0;
}

/*
 * The runtime spec's FreeBSD section: freebsd.jail holds jail
 * parameters by their own names (host, ip4.addr, allow.*, ...): set
 * as they are, and checked by the same table as jail.conf's.
 */
static int
freebsd_parse(struct ctx *x, json_t *fb)
{
	json_t *j = json_object_get(fb, "jail"), *v;
	const char *k;

	if (j == NULL)
		return 0;
	if (!json_is_object(j))
		return bad(x, "freebsd.jail", "not an object");
	json_object_foreach(j, k, v) {
		char *val = NULL;

		if (json_is_string(v))
			val = xstrdup(json_string_value(v));
		else if (json_is_boolean(v))
			val = xstrdup(json_is_true(v) ? "1" : "0");
		else if (json_is_integer(v))
			val = xasprintf("%lld", (long long)json_integer_value(v));
		else if (json_is_object(v) && strcmp(k, "allow") == 0) {
			const char *ak;
			json_t *av;

			json_object_foreach(v, ak, av) {
				char *p = xasprintf("allow.%s", ak);

				set(x->c, p, json_is_true(av) ? "1" : "0");
				free(p);
			}
			continue;
		} else if (json_is_array(v)) {
			struct strlist l = { 0 };

			if (strings(x, k, v, &l) == -1)
				return -1;
			jparams_setl(&x->c->params, k, &l, NULL, 0);
			strlist_clear(&l);
			continue;
		}
		if (val == NULL)
			return bad(x, "freebsd.jail", "a value of an unknown kind");
		/* The jail's name and root are the container's. */
		if (strcmp(k, "parent") == 0) {
			char *n = xasprintf("%s.%s", val,
			    jparams_str(&x->c->params, "name"));

			set(x->c, "name", n);
			free(n);
		} else if (strcmp(k, "vnet") == 0 && strcmp(val, "new") == 0) {
			jparams_unset(&x->c->params, "ip4");
			jparams_unset(&x->c->params, "ip6");
			set(x->c, "vnet", "new");
		} else
			set(x->c, k, val);
		free(val);
	}
	return 0;
}

static int
root_parse(struct ctx *x, json_t *root, const char *bundle, char **pathp)
{
	const char *p = str_of(root, "path");

	if (p == NULL)
		return bad(x, "root.path", "missing");
	*pathp = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", bundle, p);
	if (json_is_true(json_object_get(root, "readonly")))
		set(x->c, "gaol.readonly", "1");
	return 0;
}

static int
config_from_json(struct ctx *x, json_t *j, const char *bundle, const char *id)
{
	struct oci_config *c = x->c;
	char *root = NULL;
	const char *host;
	int r = -1;

	if (root_parse(x, json_object_get(j, "root"), bundle, &root) == -1)
		return -1;
	x->root = root;
	set(c, "name", id);
	set(c, "path", root);
	set(c, "persist", "1");
	if ((host = str_of(j, "hostname")) != NULL && host[0] != '\0')
		set(c, "host.hostname", host);
	if (json_object_get(j, "process") != NULL &&
	    process_parse(x, json_object_get(j, "process"), &c->proc) == -1)
		goto out;
	if (mounts_parse(x, json_object_get(j, "mounts")) == -1 ||
	    hooks_parse(x, json_object_get(j, "hooks")) == -1 ||
	    linux_parse(x, json_object_get(j, "linux")) == -1 ||
	    annotations_parse(x, json_object_get(j, "annotations"), id) == -1 ||
	    freebsd_parse(x, json_object_get(j, "freebsd")) == -1)
		goto out;
	/* devfs_ruleset: 4 under mount.devfs, the table's default */
	if (x->devfs)
		set(c, "mount.devfs", "1");
	if (x->procfs)
		set(c, "mount.procfs", "1");
	r = 0;
out:
	free(root);
	return r;
}

static json_t *
load_json(const char *file)
{
	json_error_t e;
	json_t *j = json_load_file(file, 0, &e);

	if (j == NULL)
		gerr_set("%s:%d: %s", file, e.line, e.text);
	else if (!json_is_object(j)) {
		gerr_set("%s: not a JSON object", file);
		json_decref(j);
		j = NULL;
	}
	return j;
}

/* Every rule is checked as rctl -a would, before anything is made. */
static int
rctl_check(const struct ctx *x)
{
	for (size_t i = 0; i < x->c->rctl.n; i++) {
		char *full = xasprintf("jail:x:%s", x->c->rctl.v[i]);
		struct rrule r;
		int bad_rule = rrule_parse(full, &r, false);

		free(full);
		if (bad_rule == -1) {
			gerr_prefix("%s: rctl rule %s: ", x->file,
			    x->c->rctl.v[i]);
			return -1;
		}
		rrule_free(&r);
	}
	return 0;
}

int
oci_config_load(const char *bundle, const char *id, struct oci_config *c)
{
	char *file, *abs;
	struct ctx x = { .c = c };
	json_t *j;
	int r;

	memset(c, 0, sizeof(*c));
	if ((abs = realpath(bundle, NULL)) == NULL) {
		gerr_set_errno("%s", bundle);
		return -1;
	}
	c->bundle = abs;
	file = xasprintf("%s/config.json", abs);
	x.file = file;
	if ((j = load_json(file)) == NULL) {
		free(file);
		return -1;
	}
	r = config_from_json(&x, j, abs, id);
	if (r == 0)
		r = rctl_check(&x);
	if (r == 0 && jparams_check_all(&c->params) == -1) {
		gerr_prefix("%s: ", file);
		r = -1;
	}
	json_decref(j);
	free(file);
	return r;
}

int
oci_process_load(const char *file, struct oci_process *p)
{
	struct ctx x = { .file = file };
	json_t *j;
	int r;

	memset(p, 0, sizeof(*p));
	if ((j = load_json(file)) == NULL)
		return -1;
	r = process_parse(&x, j, p);
	json_decref(j);
	return r;
}

void
oci_process_free(struct oci_process *p)
{
	strlist_clear(&p->args);
	strlist_clear(&p->env);
	free(p->cwd);
	free(p->user);
	free(p->groups);
	memset(p, 0, sizeof(*p));
}

void
oci_config_free(struct oci_config *c)
{
	free(c->bundle);
	oci_process_free(&c->proc);
	jparams_free(&c->params);
	strlist_clear(&c->rctl);
	free(c->netns);
	for (int k = 0; k < OCI_NHOOKS; k++) {
		for (size_t i = 0; i < c->nhooks[k]; i++) {
			free(c->hooks[k][i].path);
			strlist_clear(&c->hooks[k][i].args);
			strlist_clear(&c->hooks[k][i].env);
		}
		free(c->hooks[k]);
	}
	strlist_clear(&c->annotations);
	strlist_clear(&c->notes);
	free(c->seccomp);
	memset(c, 0, sizeof(*c));
}
