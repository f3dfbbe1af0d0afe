/*
 * From a jail's resolved parameter list to the typed spec that create,
 * isolate, net and the jail's init act on.  Values were checked by the
 * table (jconf_resolve, jparam_check) before the list came here, or
 * before a record was written from it; here they are only read, with
 * FreeBSD 14's defaults for what is unset.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec.h"

const struct allow_name allow_names[] = {
	{ "allow.set_hostname",		ALLOW_SET_HOSTNAME },
	{ "allow.sysvipc",		ALLOW_SYSVIPC },
	{ "allow.raw_sockets",		ALLOW_RAW_SOCKETS },
	{ "allow.chflags",		ALLOW_CHFLAGS },
	{ "allow.mount",		ALLOW_MOUNT },
	{ "allow.mount.devfs",		ALLOW_MOUNT_DEVFS },
	{ "allow.mount.nullfs",		ALLOW_MOUNT_NULLFS },
	{ "allow.mount.procfs",		ALLOW_MOUNT_PROCFS },
	{ "allow.mount.tmpfs",		ALLOW_MOUNT_TMPFS },
	{ "allow.quotas",		ALLOW_QUOTAS },
	{ "allow.socket_af",		ALLOW_SOCKET_AF },
	{ "allow.mlock",		ALLOW_MLOCK },
	{ "allow.reserved_ports",	ALLOW_RESERVED_PORTS },
	{ "allow.read_msgbuf",		ALLOW_READ_MSGBUF },
	{ "allow.unprivileged_proc_debug", ALLOW_UNPRIV_DEBUG },
	{ "allow.suser",		ALLOW_SUSER },
	{ "allow.settime",		ALLOW_SETTIME },
	{ "allow.adjtime",		ALLOW_ADJTIME },
};

const char *const hook_names[] = {
	[HOOK_PREPARE] = "exec.prepare",
	[HOOK_PRESTART] = "exec.prestart",
	[HOOK_CREATED] = "exec.created",
	[HOOK_START] = "exec.start",
	[HOOK_COMMAND] = "command",
	[HOOK_POSTSTART] = "exec.poststart",
	[HOOK_PRESTOP] = "exec.prestop",
	[HOOK_STOP] = "exec.stop",
	[HOOK_POSTSTOP] = "exec.poststop",
	[HOOK_RELEASE] = "exec.release",
};

bool
hook_in_jail(enum hook h)
{
	return h == HOOK_START || h == HOOK_COMMAND || h == HOOK_STOP;
}

static char *
str_or_null(const struct jparams *l, const char *name)
{
	const char *s = jparams_str(l, name);

	return s != NULL ? xstrdup(s) : NULL;
}

/* The value, else the table's default. */
static char *
str_or_default(const struct jparams *l, const char *name)
{
	const char *s = jparams_str(l, name);

	if (s == NULL)
		s = param_default(l, name);
	return xstrdup(s != NULL ? s : "");
}

static void
list(const struct jparams *l, const char *name, struct strlist *out)
{
	struct jparam *p = jparams_find(l, name);

	if (p != NULL)
		strlist_copy(out, &p->val);
}

static uint64_t
allow_bits(const struct jparams *l)
{
	uint64_t bits = 0;

	for (int i = 0; i < ALLOW_NBITS; i++)
		if (jparams_bool(l, allow_names[i].name))
			bits |= ALLOW(allow_names[i].bit);
	return bits;
}

/* gaol.capabilities, checked already: its bits. */
static void
caps_of(const struct jparams *l, bool *set, uint64_t *bits)
{
	const struct jparam *p = jparams_find(l, "gaol.capabilities");

	*bits = 0;
	if ((*set = p != NULL))
		(void)cap_set_parse(&p->val, bits, "gaol.capabilities");
}

/* FreeBSD: "name cannot be numeric (unless it is the jid)". */
static int
check_name(const struct jail_spec *s)
{
	long long n;

	if (s->name == NULL || parse_int(s->name, &n) == -1 || n == s->jid)
		return 0;
	gerr_set("%s: name cannot be numeric (unless it is the jid)", s->name);
	return -1;
}

static void
fill_exec(struct jail_spec *s, const struct jparams *l)
{
	for (int h = 0; h < HOOK_NHOOKS; h++)
		list(l, hook_names[h], &s->hooks[h]);
	s->exec_clean = jparams_bool(l, "exec.clean");
	s->exec_jail_user = str_or_null(l, "exec.jail_user");
	s->exec_system_user = str_or_null(l, "exec.system_user");
	if (jparams_bool(l, "exec.system_jail_user"))
		s->exec_system_jail_user = xstrdup("true");
	s->exec_consolelog = str_or_null(l, "exec.consolelog");
	s->exec_timeout = jparams_find(l, "exec.timeout") != NULL ?
	    (int)jparams_int(l, "exec.timeout") : -1;
	s->stop_timeout = (int)jparams_int(l, "stop.timeout");
}

/*
 * The typed fields read from PF_LIVE parameters: at creation, and over
 * the init's spec for each process entering the jail (spec_take_live).
 * A typed field read from a new PF_LIVE parameter is read here.
 */
static void
fill_live(struct jail_spec *s, const struct jparams *l)
{
	s->securelevel = (int)jparams_int(l, "securelevel");
	s->allow = allow_bits(l);
	caps_of(l, &s->caps_set, &s->caps);
}

static void
fill(struct jail_spec *s, const struct jparams *l)
{
	const char *v;

	s->jid = (int)jparams_int(l, "jid");
	s->name = str_or_null(l, "name");
	if (s->name == NULL && s->jid > 0)
		s->name = xasprintf("%d", s->jid);
	/* FreeBSD: a jail without a path shares its creator's root */
	s->path = str_or_default(l, "path");
	s->hostname = str_or_null(l, "host.hostname");
	s->domainname = str_or_null(l, "host.domainname");
	s->hostuuid = str_or_null(l, "host.hostuuid");
	s->persist = jparams_bool(l, "persist");
	fill_live(s, l);
	s->mount_devfs = jparams_bool(l, "mount.devfs");
	s->mount_procfs = jparams_bool(l, "mount.procfs");
	s->devfs_ruleset = (int)jparams_int(l, "devfs_ruleset");
	s->enforce_statfs = (int)jparams_int(l, "enforce_statfs");
	s->children_max = (int)jparams_int(l, "children.max");
	list(l, "mount.fstab", &s->mount_fstab);
	list(l, "mount", &s->mount);
	fill_exec(s, l);
	s->host_inherit = jparams_jailsys(l, "host") == JAILSYS_INHERIT;
	if ((v = jparams_str(l, "gaol.idmap")) != NULL)
		s->idmap = strcmp(v, "identity") == 0 ? IDMAP_IDENTITY :
		    IDMAP_PRIVATE;
	list(l, "vnet.interface", &s->vnet_interface);
	list(l, "depend", &s->depend);
}

/* net NULL: the addresses are parsed from the list. */
static int
spec_read(struct jail_spec *s, const struct jparams *l, const struct jnet *net)
{
	memset(s, 0, sizeof(*s));
	jparams_copy(&s->params, l);
	fill(s, &s->params);
	spec_set_label(s, NULL);
	if (check_name(s) == -1)
		goto fail;
	if (net != NULL) {
		jnet_copy(&s->net, net);
		jnet_read_flags(&s->net, l);
	} else if (jnet_from_params(&s->net, l) == -1) {
		jparams_blame(l);
		goto fail;
	}
	return 0;
fail:
	spec_free(s);
	return -1;
}

int
spec_from_params(struct jail_spec *s, const struct jparams *l)
{
	return spec_read(s, l, NULL);
}

int
spec_from_record(struct jail_spec *s, const struct jparams *l,
    const struct jnet *net)
{
	return spec_read(s, l, net);
}

static bool
is_live(const char *name)
{
	const struct paramdef *d = param_lookup(name);

	return d != NULL && (d->flags & PF_LIVE);
}

void
spec_live(struct jail_live *live, const struct jparams *l)
{
	memset(live, 0, sizeof(*live));
	for (size_t i = 0; i < l->n; i++)
		if (is_live(l->v[i].name))
			jparams_setl(&live->params, l->v[i].name, &l->v[i].val,
			    NULL, 0);
}

void
spec_live_free(struct jail_live *live)
{
	jparams_free(&live->params);
}

void
spec_take_live(struct jail_spec *s, const struct jail_live *live)
{
	for (size_t i = 0; i < live->params.n; i++)
		if (is_live(live->params.v[i].name))
			jparams_setl(&s->params, live->params.v[i].name,
			    &live->params.v[i].val, NULL, 0);
	fill_live(s, &s->params);
}

void
spec_set_label(struct jail_spec *s, const char *label)
{
	free(s->label);
	free(s->who);
	s->label = label != NULL ? xstrdup(label) : NULL;
	s->who = label != NULL ? xasprintf("%s: ", label) : xstrdup("");
}

void
spec_free(struct jail_spec *s)
{
	free(s->name);
	free(s->label);
	free(s->who);
	free(s->path);
	free(s->hostname);
	free(s->domainname);
	free(s->hostuuid);
	strlist_clear(&s->mount_fstab);
	strlist_clear(&s->mount);
	for (int h = 0; h < HOOK_NHOOKS; h++)
		strlist_clear(&s->hooks[h]);
	free(s->exec_jail_user);
	free(s->exec_system_user);
	free(s->exec_system_jail_user);
	free(s->exec_consolelog);
	jnet_free(&s->net);
	strlist_clear(&s->vnet_interface);
	strlist_clear(&s->depend);
	jparams_free(&s->params);
	memset(s, 0, sizeof(*s));
}
