/*
 * What every backend shares: names and paths, gaol.meta, the jail's
 * jail.conf and its jail.conf.d include, staging so that a failed or
 * killed create leaves no partial jail, snapshots by tag, export's
 * header, properties.  The backends do only what differs.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "../rcconf/rcconf.h"
#include "store_int.h"

static const struct store_ops *const backends[] = {
	&store_dir, &store_overlay, &store_btrfs,
};

const char *const store_props[] = {
	"quota", "reservation", "compression", "ip", "release", "backend", "thin",
	NULL,
};

const struct store_ops *
store_ops_find(const char *name)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	gerr_set("gaol_backend: unknown backend \"%s\" (dir, overlay, btrfs)",
	    name);
	return NULL;
}

static char *
jails_dir(void)
{
	return xasprintf("%s/jails", gaol_datadir());
}

const char *
store_backend_name(void)
{
	static char name[32];
	char *path = xasprintf("%s/gaol/gaol.conf", gaol_sysconfdir());
	char *conf = rcconf_file_get(path, "gaol_backend");

	free(path);

	if (conf != NULL && *conf != '\0') {
		const struct store_ops *ops = store_ops_find(conf);

		free(conf);
		if (ops == NULL)
			return NULL;
		return ops->name;
	}
	free(conf);
	/* Not set: what the file system under $GAOL_DATADIR offers. */
	snprintf(name, sizeof(name), "%s",
	    store_btrfs.usable(gaol_datadir()) ? "btrfs" : "dir");
	return name;
}

int
store_check_name(const char *what, const char *name)
{
	size_t n = strlen(name), digits = strspn(name, "0123456789");

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") != n) {
		gerr_set("%s: invalid %s name (letters, digits, '.', '_', '-')",
		    name, what);
		return -1;
	}
	if (digits == n && strcmp(what, "jail") == 0) {
		gerr_set("%s: a jail name may not be a number (it would be "
		    "taken for a jid)", name);
		return -1;
	}
	return 0;
}

char *
store_release_path(const char *name)
{
	return xasprintf("%s/releases/%s", gaol_datadir(), name);
}

static bool
is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
store_release_new(const char *name)
{
	const char *be = store_backend_name();
	const struct store_ops *ops;
	char *dir, *path;
	int r = -1;

	if (store_check_name("release", name) == -1 || be == NULL ||
	    (ops = store_ops_find(be)) == NULL)
		return -1;
	dir = xasprintf("%s/releases", gaol_datadir());
	path = store_release_path(name);
	if (exists(path))
		gerr_set("%s: release already exists", name);
	else if (mkdir_p(dir, 0755) == 0)
		r = (ops->release_new ? ops : &store_dir)->release_new(path);
	free(dir);
	free(path);
	return r;
}

void
store_release_users(const char *name, struct strlist *out)
{
	struct strlist names = { 0 };

	store_jail_names(&names);
	for (size_t i = 0; i < names.n; i++) {
		struct sjail j;

		if (store_jail_load(names.v[i], &j) == -1)
			continue;
		if (j.thin && j.release != NULL && strcmp(j.release, name) == 0)
			strlist_add(out, j.name);
		sjail_free(&j);
	}
	strlist_clear(&names);
}

int
store_release_destroy(const char *name)
{
	struct strlist users = { 0 };
	char *path, *list;
	int r;

	if (store_check_name("release", name) == -1)
		return -1;
	path = store_release_path(name);
	if (!is_dir(path)) {
		gerr_set("%s: no such release", name);
		free(path);
		return -1;
	}
	store_release_users(name, &users);
	if (users.n > 0) {
		list = strlist_join(&users, " ");
		gerr_set("%s: release in use by %s", name, list);
		free(list);
		strlist_clear(&users);
		free(path);
		return -1;
	}
	/* The btrfs backend knows a subvolume; any backend removes a dir. */
	if (store_btrfs.usable(path))
		r = store_btrfs.release_destroy(path);
	else
		r = tree_remove(path);
	free(path);
	return r;
}

/* ---- the jail's own files ---- */

static void
sjail_paths(struct sjail *j, const char *dir)
{
	free(j->dir);
	free(j->root);
	j->dir = xstrdup(dir);
	j->root = xasprintf("%s/root", dir);
}

void
sjail_free(struct sjail *j)
{
	free(j->name);
	free(j->dir);
	free(j->root);
	free(j->release);
	free(j->backend);
	free(j->ip);
	free(j->bridge);
	free(j->bridge_member);
	memset(j, 0, sizeof(*j));
}

static char *
meta_path(const struct sjail *j)
{
	return xasprintf("%s/gaol.meta", j->dir);
}

char *
meta_get(const struct sjail *j, const char *key)
{
	char *p = meta_path(j), *v = rcconf_file_get(p, key);

	free(p);
	return v;
}

int
meta_set(const struct sjail *j, const char *key, const char *value)
{
	char *p = meta_path(j);
	struct rcconf rc;
	int r = -1;

	if (rcconf_load(&rc, p) == 0) {
		if (value != NULL)
			rcconf_set(&rc, key, value);
		else
			(void)rcconf_unset(&rc, key);
		r = rcconf_save(&rc, p);
		rcconf_free(&rc);
	}
	free(p);
	return r;
}

static int
meta_write(const struct sjail *j)
{
	char *p = meta_path(j), *text;
	int r;

	text = xasprintf("# gaol's record of this jail; `gaol config` "
	    "changes it.\nname=\"%s\"\nrelease=\"%s\"\nbackend=\"%s\"\n"
	    "thin=\"%s\"\n%s%s%s", j->name, j->release ? j->release : "",
	    j->backend, j->thin ? "yes" : "no", j->ip ? "ip=\"" : "",
	    j->ip ? j->ip : "", j->ip ? "\"\n" : "");
	r = write_file_atomic(p, text, strlen(text), 0644);
	free(text);
	free(p);
	if (r == 0 && j->bridge != NULL)
		r = meta_set(j, "vnet_bridge", j->bridge);
	if (r == 0 && j->bridge_member != NULL)
		r = meta_set(j, "vnet_member", j->bridge_member);
	return r;
}

/* A meta value, NULL when unset or empty. */
static char *
meta_get_set(const struct sjail *j, const char *key)
{
	char *v = meta_get(j, key);

	if (v != NULL && *v == '\0') {
		free(v);
		v = NULL;
	}
	return v;
}

/* gaol.meta's vnetN_what, NULL when unset. */
static char *
vnet_meta(const struct sjail *j, int n, const char *what)
{
	char *key = xasprintf("vnet%d_%s", n, what), *v = meta_get_set(j, key);

	free(key);
	return v;
}

int
store_jail_load(const char *name, struct sjail *j)
{
	char *jd, *dir, *thin;

	memset(j, 0, sizeof(*j));
	if (store_check_name("jail", name) == -1)
		return -1;
	jd = jails_dir();
	dir = xasprintf("%s/%s", jd, name);
	free(jd);
	sjail_paths(j, dir);
	free(dir);
	j->name = xstrdup(name);
	if ((j->backend = meta_get(j, "backend")) == NULL) {
		gerr_set("%s: no such jail", name);
		sjail_free(j);
		return -1;
	}
	j->release = meta_get(j, "release");
	if (j->release != NULL && *j->release == '\0') {
		free(j->release);
		j->release = NULL;
	}
	j->ip = meta_get(j, "ip");
	j->bridge = meta_get_set(j, "vnet_bridge");
	j->bridge_member = meta_get_set(j, "vnet_member");
	thin = meta_get(j, "thin");
	j->thin = thin != NULL && strcmp(thin, "yes") == 0;
	free(thin);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
list_subdirs(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = out->n;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		/* Some file systems do not fill d_type. */
		if (e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode)))
			strlist_add(out, e->d_name);
	}
	closedir(d);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof(char *), cmp_str);
}

void
store_release_names(struct strlist *out)
{
	char *dir = xasprintf("%s/releases", gaol_datadir());

	list_subdirs(dir, out);
	free(dir);
}

void
store_jail_names(struct strlist *out)
{
	char *jd = jails_dir();

	list_subdirs(jd, out);
	free(jd);
}

static char *
include_path(const char *name)
{
	return xasprintf("%s/jail.conf.d/%s.conf", gaol_sysconfdir(), name);
}

const struct store_ops *
jail_ops(const struct sjail *j)
{
	return store_ops_find(j->backend);
}

/* Whether an address item ("iface|addr/len" or "addr") is IPv6. */
bool
store_addr_is_v6(const char *item)
{
	const char *bar = strchr(item, '|');

	return strchr(bar != NULL ? bar + 1 : item, ':') != NULL;
}

/* param = "item", ... for the items of list of one family, if any. */
static void
addr_param(FILE *f, const char *param, const char *list, bool v6)
{
	char *copy = xstrdup(list), *save, *w;
	bool first = true;

	for (w = strtok_r(copy, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		if (store_addr_is_v6(w) != v6)
			continue;
		if (first)
			fprintf(f, "\t%s = ", param);
		else
			fputs(", ", f);
		fprintf(f, "\"%s\"", w);
		first = false;
	}
	if (!first)
		fputs(";\n", f);
	free(copy);
}

void
store_vnet_commands(const char *name, int n, const char *bridge,
    const char *member, struct strlist *pre, struct strlist *post)
{
	if (member != NULL) {
		strlist_addn(pre, xasprintf("ip link show %s >/dev/null 2>&1 "
		    "|| ip link add %s type bridge", bridge, bridge));
		strlist_addn(pre, xasprintf("ip link set %s master %s", member,
		    bridge));
		strlist_addn(pre, xasprintf("ip link set %s up", bridge));
	}
	strlist_addn(pre, xasprintf("ip link del e%da_%s 2>/dev/null; ip link "
	    "add e%da_%s type veth peer name e%db_%s", n, name, n, name, n,
	    name));
	strlist_addn(pre, xasprintf("ip link set e%da_%s master %s up", n,
	    name, bridge));
	/*
	 * A pair added to the running jail (gaol network) is not one the
	 * jail returns at its end: it went with the jail's stack.
	 */
	strlist_addn(post, xasprintf("! ip link show e%da_%s >/dev/null 2>&1 "
	    "|| ip link del e%da_%s", n, name, n, name));
}

/* The lines that make interface n on bridge at start, undo it at stop. */
static void
vnet_if_conf(FILE *f, const char *name, int n, const char *bridge,
    const char *member)
{
	struct strlist pre = { 0 }, post = { 0 };

	store_vnet_commands(name, n, bridge, member, &pre, &post);
	fprintf(f, "\tvnet.interface %s \"e%db_%s\";\n", n ? "+=" : "=",
	    n, name);
	for (size_t i = 0; i < pre.n; i++)
		fprintf(f, "\texec.prestart += \"%s\";\n", pre.v[i]);
	for (size_t i = 0; i < post.n; i++)
		fprintf(f, "\texec.poststop += \"%s\";\n", post.v[i]);
	strlist_clear(&pre);
	strlist_clear(&post);
}

/*
 * A vnet jail on a bridge, as Bastille's epairs: a veth pair made at
 * each start (one a crash left is removed first), e0a_NAME on the
 * bridge, e0b_NAME moved into the jail, gone again after it stops.
 * With a member, the bridge is made for that interface if missing.
 * gaol network adds e1, e2, ... alike (gaol.meta vnetN_bridge,
 * vnetN_member).
 */
static void
vnet_conf(const struct sjail *j, FILE *f)
{
	fprintf(f, "\tvnet;\n");
	vnet_if_conf(f, j->name, 0, j->bridge, j->bridge_member);
	for (int n = 1; n < STORE_VNET_MAX; n++) {
		char *br, *mem;

		if ((br = vnet_meta(j, n, "bridge")) == NULL)
			continue;
		mem = vnet_meta(j, n, "member");
		vnet_if_conf(f, j->name, n, br, mem);
		free(br);
		free(mem);
	}
}

/*
 * The jail's block, in the jail's directory, and the one-line
 * jail.conf.d file that includes it, so that jail(8), `service jail`
 * and gaol start all see the same jail.
 */
static int
write_jail_conf(const struct sjail *j)
{
	const struct store_ops *ops = jail_ops(j);
	char *path = xasprintf("%s/jail.conf", j->dir), *inc, *incdir, *buf;
	char *text = NULL, *rel = j->release ? store_release_path(j->release) :
	    NULL, *hook;
	/* A thin root is not mounted now: its rc is the release's. */
	char *rc = xasprintf("%s/etc/rc", j->thin && rel ? rel : j->root);
	size_t len = 0;
	FILE *f;
	int r;

	if (ops == NULL) {
		free(path);
		free(rc);
		return -1;
	}
	f = xopen_memstream(&text, &len);
	fprintf(f, "# %s: written by gaol(8); `gaol config %s set` changes "
	    "it.\n%s {\n", j->name, j->name, j->name);
	fprintf(f, "\tpath = \"%s\";\n", j->root);
	fprintf(f, "\thost.hostname = \"%s\";\n", j->name);
	if (j->bridge != NULL)
		vnet_conf(j, f);
	else if (j->ip != NULL) {
		addr_param(f, "ip4.addr", j->ip, false);
		addr_param(f, "ip6.addr", j->ip, true);
	}
	/* Linux's ps, service status and package tools read /proc. */
	fprintf(f, "\tmount.devfs;\n\tmount.procfs;\n");
	fprintf(f, "\tmount.fstab = \"%s/fstab\";\n", j->dir);
	if (ops->jail_conf != NULL)
		ops->jail_conf(j, f);
	free(rel);
	if (exists(rc)) {
		fprintf(f, "\texec.start = \"/bin/sh /etc/rc\";\n");
		fprintf(f, "\texec.stop = \"/bin/sh /etc/rc.shutdown\";\n");
	}
	/* What gaol puts back at each start (gaol rdr's forwards). */
	if ((hook = meta_get(j, "poststart")) != NULL && *hook != '\0')
		fprintf(f, "\texec.poststart += \"%s\";\n", hook);
	free(hook);
	/* What the rc and its services print: gaol logs shows it. */
	fprintf(f, "\texec.consolelog = \"%s/jail_%s_console.log\";\n",
	    gaol_logdir(), j->name);
	fprintf(f, "\texec.clean;\n\tpersist;\n}\n");
	fclose(f);
	r = write_file_atomic(path, text, len, 0644);
	free(text);
	free(rc);
	free(path);
	if (r == -1)
		return -1;
	incdir = xasprintf("%s/jail.conf.d", gaol_sysconfdir());
	inc = include_path(j->name);
	buf = xasprintf("# gaol(8): the jail %s lives in %s\n"
	    ".include \"%s/jail.conf\";\n", j->name, j->dir, j->dir);
	r = mkdir_p(incdir, 0755);
	if (r == 0)
		r = mkdir_p(gaol_logdir(), 0755);
	if (r == 0)
		r = write_file_atomic(inc, buf, strlen(buf), 0644);
	free(buf);
	free(inc);
	free(incdir);
	return r;
}

static int
write_fstab(const struct sjail *j)
{
	char *path = xasprintf("%s/fstab", j->dir), *text;
	int r;

	text = xasprintf("# %s's mounts (fstab(5); nullfs, tmpfs, procfs)\n",
	    j->name);
	r = write_file_atomic(path, text, strlen(text), 0644);
	free(text);
	free(path);
	return r;
}

/* Remove a jail directory (final or staging) whatever state it is in. */
static void
discard(const struct sjail *j, const struct store_ops *ops)
{
	if (ops->root_close != NULL)
		ops->root_close(j);
	(void)ops->jail_destroy(j);
	(void)tree_remove(j->dir);
}

/* A jail name not yet used by gaol nor by any jail.conf.d file. */
int
check_new(const char *name)
{
	char *jd, *dir, *inc;
	int r = 0;

	if (store_check_name("jail", name) == -1)
		return -1;
	jd = jails_dir();
	dir = xasprintf("%s/%s", jd, name);
	inc = include_path(name);
	if (exists(dir) || exists(inc)) {
		gerr_set("%s: already exists", name);
		r = -1;
	} else if (mkdir_p(jd, 0755) == -1)
		r = -1;
	free(inc);
	free(dir);
	free(jd);
	return r;
}


/*
 * Build a new jail in jails/.NAME.new, then move it in place and write
 * its config: a jail appears whole or not at all, and what a killed
 * gaol left in a staging directory goes on the next try.
 */
int
make_jail(struct sjail *j, const struct store_ops *ops, fill_fn fill,
    void *arg)
{
	char *jd = jails_dir();
	char *stage = xasprintf("%s/.%s.new", jd, j->name);
	char *final = xasprintf("%s/%s", jd, j->name);
	int r = -1;

	sjail_paths(j, stage);
	if (exists(stage))
		discard(j, ops);
	if (mkdir(stage, 0700) == -1) {
		gerr_set_errno("%s", stage);
		goto out;
	}
	if (fill(j, ops, arg) == -1 || write_fstab(j) == -1 ||
	    meta_write(j) == -1) {
		char *e = gerr_save();

		discard(j, ops);
		gerr_restore(e);
		goto out;
	}
	if (chmod(stage, 0755) == -1 || rename(stage, final) == -1) {
		gerr_set_errno("%s", final);
		discard(j, ops);
		goto out;
	}
	sjail_paths(j, final);
	if (write_jail_conf(j) == -1) {
		char *e = gerr_save(), *inc = include_path(j->name);

		discard(j, ops);
		unlink(inc);
		free(inc);
		gerr_restore(e);
		goto out;
	}
	r = 0;
out:
	free(final);
	free(stage);
	free(jd);
	return r;
}

static int
fill_from_release(struct sjail *j, const struct store_ops *ops, void *arg)
{
	return ops->jail_new(j, arg);
}

/* An empty jail: a root with nothing in it, made as a release's is. */
static int
fill_empty(struct sjail *j, const struct store_ops *ops, void *arg)
{
	(void)arg;
	j->thin = false;
	if (ops->root_new != NULL)
		return ops->root_new(j->root);
	if (mkdir(j->root, 0755) == -1) {
		gerr_set_errno("%s", j->root);
		return -1;
	}
	return 0;
}

/* Whether key is ifconfig_IF, ifconfig_IF_ipv6 or ifconfig_IF_aliasN. */
static bool
is_if_key(const char *key, const char *ifkey)
{
	size_t n = strlen(ifkey);

	return strncmp(key, ifkey, n) == 0 && (key[n] == '\0' ||
	    strcmp(key + n, "_ipv6") == 0 || (strncmp(key + n, "_alias", 6) ==
	    0 && key[n + 6] != '\0' && strspn(key + n + 6, "0123456789") ==
	    strlen(key + n + 6)));
}

/*
 * The addresses of list (NULL: none) as the jail's rc.conf gives them
 * to ifname, replacing what it had: the first IPv4 one in ifconfig_IF,
 * the first IPv6 one in ifconfig_IF_ipv6, the others in
 * ifconfig_IF_aliasN (rc.conf(5)'s names, which netif reads).
 */
static void
rc_addrs(struct rcconf *rc, const char *ifname, const char *list)
{
	char *ifkey = xasprintf("ifconfig_%s", ifname), *copy, *save, *w;
	struct strlist names = { 0 };
	bool v4 = false, v6 = false;
	int alias = 0;

	rcconf_names(rc, &names);
	for (size_t i = 0; i < names.n; i++)
		if (is_if_key(names.v[i], ifkey))
			(void)rcconf_unset(rc, names.v[i]);
	strlist_clear(&names);
	copy = xstrdup(list != NULL ? list : "");
	for (w = strtok_r(copy, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		bool six = store_addr_is_v6(w);
		char *key, *val = xasprintf("inet%s %s", six ? "6" : "", w);

		if (!six && !v4)
			key = xstrdup(ifkey);
		else if (six && !v6)
			key = xasprintf("%s_ipv6", ifkey);
		else
			key = xasprintf("%s_alias%d", ifkey, alias++);
		v4 |= !six;
		v6 |= six;
		rcconf_set(rc, key, val);
		free(key);
		free(val);
	}
	free(copy);
	free(ifkey);
}

/*
 * The addresses of a vnet jail's interface in its /etc/rc.conf
 * (rc_addrs), resolved inside its root.
 */
static int
jail_rc_addrs(const struct sjail *j, const struct store_ops *ops,
    const char *ifname, const char *list)
{
	struct rcconf rc;
	int rootfd = -1, etc = -1, r = -1;

	if (ops->root_open != NULL && ops->root_open(j) == -1)
		return -1;
	if ((rootfd = open(j->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (etc = root_mkdirs(rootfd, "/etc")) == -1)
		gerr_set_errno("%s/etc", j->root);
	else if (rcconf_load_fd(&rc, openat(etc, "rc.conf", O_RDONLY |
	    O_NOFOLLOW | O_CLOEXEC), "rc.conf") == 0) {
		rc_addrs(&rc, ifname, list);
		r = rcconf_save_at(&rc, etc, "rc.conf");
		rcconf_free(&rc);
	}
	if (etc >= 0)
		close(etc);
	if (rootfd >= 0)
		close(rootfd);
	if (ops->root_close != NULL)
		ops->root_close(j);
	return r;
}

int
store_jail_vnet_add(const char *name, const char *bridge,
    const char *member, const char *ip)
{
	const struct store_ops *ops;
	struct sjail j;
	char *br, *ifname = NULL, *key;
	int n = -1, free_n = -1;

	if (store_jail_load(name, &j) == -1)
		return -1;
	if (j.bridge == NULL) {
		gerr_set("%s: not a vnet jail", name);
		goto out;
	}
	if ((ops = jail_ops(&j)) == NULL)
		goto out;
	if (strcmp(j.bridge, bridge) == 0) {
		gerr_set("%s: already on %s (e0b_%s)", name, bridge, name);
		goto out;
	}
	for (int i = 1; i < STORE_VNET_MAX; i++) {
		if ((br = vnet_meta(&j, i, "bridge")) == NULL) {
			if (free_n == -1)
				free_n = i;
			continue;
		}
		if (strcmp(br, bridge) == 0) {
			gerr_set("%s: already on %s (e%db_%s)", name, bridge,
			    i, name);
			free(br);
			goto out;
		}
		free(br);
	}
	if (free_n == -1) {
		gerr_set("%s: %d interfaces already", name, STORE_VNET_MAX);
		goto out;
	}
	ifname = xasprintf("e%db_%s", free_n, name);
	key = xasprintf("vnet%d_bridge", free_n);
	if (meta_set(&j, key, bridge) == -1) {
		free(key);
		goto out;
	}
	free(key);
	key = xasprintf("vnet%d_member", free_n);
	if (meta_set(&j, key, member) == 0 && write_jail_conf(&j) == 0 &&
	    jail_rc_addrs(&j, ops, ifname, ip) == 0)
		n = free_n;
	free(key);
out:
	free(ifname);
	sjail_free(&j);
	return n;
}

int
store_jail_vnet_remove(const char *name, const char *bridge)
{
	const struct store_ops *ops;
	struct sjail j;
	char *br, *key, *ifname;
	int n = -1;

	if (store_jail_load(name, &j) == -1)
		return -1;
	for (int i = 1; i < STORE_VNET_MAX && n == -1; i++) {
		if ((br = vnet_meta(&j, i, "bridge")) != NULL &&
		    strcmp(br, bridge) == 0)
			n = i;
		free(br);
	}
	if (n == -1) {
		if (j.bridge != NULL && strcmp(j.bridge, bridge) == 0)
			gerr_set("%s: e0b_%s on %s is the jail's own (gaol "
			    "create's): not removed", name, name, bridge);
		else
			gerr_set("%s: no interface on %s", name, bridge);
		sjail_free(&j);
		return -1;
	}
	if ((ops = jail_ops(&j)) == NULL) {
		sjail_free(&j);
		return -1;
	}
	ifname = xasprintf("e%db_%s", n, name);
	key = xasprintf("vnet%d_bridge", n);
	if (meta_set(&j, key, NULL) == -1)
		n = -1;
	free(key);
	key = xasprintf("vnet%d_member", n);
	if (n != -1 && (meta_set(&j, key, NULL) == -1 ||
	    write_jail_conf(&j) == -1 || jail_rc_addrs(&j, ops, ifname,
	    NULL) == -1))
		n = -1;
	free(key);
	free(ifname);
	sjail_free(&j);
	return n;
}

int
store_jail_create(const char *name, const char *release, const char *ip,
    bool thick)
{
	return store_jail_create_net(name, release, ip, thick, NULL, NULL);
}

int
store_jail_create_net(const char *name, const char *release, const char *ip,
    bool thick, const char *bridge, const char *member)
{
	const char *be = store_backend_name();
	const struct store_ops *ops;
	struct sjail j = { 0 };
	char *rel = NULL;
	int r;

	if (be == NULL || (ops = store_ops_find(be)) == NULL ||
	    check_new(name) == -1 || (release != NULL &&
	    store_check_name("release", release) == -1))
		return -1;
	/* IFNAMSIZ: e0a_ and the name in 15 characters */
	if (bridge != NULL && strlen(name) > 11) {
		gerr_set("%s: a vnet jail's name is 11 characters at most "
		    "(its interfaces are e0a_NAME and e0b_NAME)", name);
		return -1;
	}
	if (release != NULL) {
		rel = store_release_path(release);
		if (!is_dir(rel)) {
			gerr_set("%s: no such release (gaol bootstrap %s)",
			    release, release);
			free(rel);
			return -1;
		}
	}
	j.name = xstrdup(name);
	j.release = release ? xstrdup(release) : NULL;
	j.backend = xstrdup(be);
	j.ip = ip ? xstrdup(ip) : NULL;
	j.bridge = bridge ? xstrdup(bridge) : NULL;
	j.bridge_member = member ? xstrdup(member) : NULL;
	j.thin = !thick && release != NULL;
	r = make_jail(&j, ops, release ? fill_from_release : fill_empty, rel);
	if (r == 0 && bridge != NULL && ip != NULL) {
		char *ifname = xasprintf("e0b_%s", name);

		if ((r = jail_rc_addrs(&j, ops, ifname, ip)) == -1) {
			char *msg = xstrdup(gerr_msg());

			(void)store_jail_destroy(name);
			gerr_set("%s", msg);
			free(msg);
		}
		free(ifname);
	}
	sjail_free(&j);
	free(rel);
	return r;
}

int
store_jail_poststart(const char *name, const char *cmd)
{
	struct sjail j;
	int r;

	if (cmd != NULL && strpbrk(cmd, "\"\\\n") != NULL) {
		gerr_set("%s: exec.poststart: no quotes, backslashes or "
		    "newlines: %s", name, cmd);
		return -1;
	}
	if (store_jail_load(name, &j) == -1)
		return -1;
	r = meta_set(&j, "poststart", cmd);
	if (r == 0)
		r = write_jail_conf(&j);
	sjail_free(&j);
	return r;
}

int
store_jail_rename(const char *from, const char *to)
{
	struct sjail j;
	char *jd, *dst, *inc;
	int r = -1;

	if (store_jail_load(from, &j) == -1)
		return -1;
	if (check_new(to) == -1) {
		sjail_free(&j);
		return -1;
	}
	jd = jails_dir();
	dst = xasprintf("%s/%s", jd, to);
	inc = include_path(from);
	if (rename(j.dir, dst) == -1) {
		gerr_set_errno("%s: %s", from, dst);
		goto out;
	}
	free(j.name);
	j.name = xstrdup(to);
	sjail_paths(&j, dst);
	if (meta_set(&j, "name", to) == -1 || write_jail_conf(&j) == -1) {
		char *msg = xstrdup(gerr_msg()), *back = xasprintf("%s/%s", jd,
		    from), *newinc = include_path(to);

		/* Put it back as it was, under its old name. */
		(void)unlink(newinc);
		if (rename(dst, back) == 0) {
			free(j.name);
			j.name = xstrdup(from);
			sjail_paths(&j, back);
			(void)meta_set(&j, "name", from);
			(void)write_jail_conf(&j);
		}
		gerr_set("%s", msg);
		free(newinc);
		free(back);
		free(msg);
		goto out;
	}
	(void)unlink(inc);
	r = 0;
out:
	free(inc);
	free(dst);
	free(jd);
	sjail_free(&j);
	return r;
}

int
store_jail_destroy(const char *name)
{
	const struct store_ops *ops;
	struct sjail j;
	char *inc;
	int r;

	if (store_jail_load(name, &j) == -1)
		return -1;
	if ((ops = jail_ops(&j)) == NULL) {
		sjail_free(&j);
		return -1;
	}
	if (ops->root_close != NULL)
		ops->root_close(&j);
	r = ops->jail_destroy(&j);
	if (r == 0)
		r = tree_remove(j.dir);
	if (r == 0) {
		inc = include_path(name);
		if (unlink(inc) == -1 && errno != ENOENT)
			r = -1, gerr_set_errno("%s", inc);
		free(inc);
	}
	sjail_free(&j);
	return r;
}

/* ---- snapshots ---- */

char *
snap_path(const struct sjail *j, const char *tag)
{
	return xasprintf("%s/snapshots/%s", j->dir, tag);
}

/* The jail and its ops, and the snapshot's path (must exist or not). */
static int
snap_open(const char *name, const char *tag, bool want, struct sjail *j,
    const struct store_ops **ops, char **snap)
{
	if (store_jail_load(name, j) == -1)
		return -1;
	if (store_check_name("snapshot", tag) == -1 ||
	    (*ops = jail_ops(j)) == NULL) {
		sjail_free(j);
		return -1;
	}
	*snap = snap_path(j, tag);
	if (exists(*snap) != want) {
		gerr_set(want ? "%s@%s: no such snapshot" :
		    "%s@%s: snapshot already exists", name, tag);
		free(*snap);
		sjail_free(j);
		return -1;
	}
	return 0;
}

int
store_snapshot(const char *name, const char *tag)
{
	const struct store_ops *ops;
	struct sjail j;
	char *snap, *dir, *stage;
	int r;

	if (snap_open(name, tag, false, &j, &ops, &snap) == -1)
		return -1;
	/*
	 * Made under a dot name and renamed: a snapshot is whole or absent
	 * (list skips dot names; a leftover goes on the next try).
	 */
	dir = xasprintf("%s/snapshots", j.dir);
	stage = xasprintf("%s/.%s.new", dir, tag);
	r = mkdir_p(dir, 0700);
	if (r == 0) {
		(void)ops->snap_destroy(&j, stage);
		r = ops->snap_new(&j, stage);
	}
	if (r == 0 && rename(stage, snap) == -1) {
		gerr_set_errno("%s", snap);
		r = -1;
	}
	if (r == -1) {
		char *e = gerr_save();

		(void)ops->snap_destroy(&j, stage);
		gerr_restore(e);
	}
	free(stage);
	free(dir);
	free(snap);
	sjail_free(&j);
	return r;
}

/* Open the jail's snapshot tag, which must exist, and act on it. */
static int
on_snapshot(const char *name, const char *tag,
    int (*act)(const struct sjail *, const struct store_ops *, const char *))
{
	const struct store_ops *ops;
	struct sjail j;
	char *snap;
	int r;

	if (snap_open(name, tag, true, &j, &ops, &snap) == -1)
		return -1;
	r = act(&j, ops, snap);
	free(snap);
	sjail_free(&j);
	return r;
}

static int
snap_destroy(const struct sjail *j, const struct store_ops *ops,
    const char *snap)
{
	return ops->snap_destroy(j, snap);
}

int
store_snapshot_destroy(const char *name, const char *tag)
{
	return on_snapshot(name, tag, snap_destroy);
}

void
store_snapshot_list(const char *name, struct strlist *out)
{
	struct sjail j;
	char *dir;

	if (store_jail_load(name, &j) == -1)
		return;
	dir = xasprintf("%s/snapshots", j.dir);
	list_subdirs(dir, out);
	free(dir);
	sjail_free(&j);
}

/* Quota lives on the root itself on some backends: put it back. */
static int
reapply(const struct sjail *j, const struct store_ops *ops)
{
	char *q = meta_get(j, "quota");
	int r = 0;

	if (q != NULL && ops->set_quota != NULL)
		r = ops->set_quota(j, q);
	free(q);
	return r;
}

static int
roll_back(const struct sjail *j, const struct store_ops *ops,
    const char *snap)
{
	int r;

	if (ops->root_close != NULL)
		ops->root_close(j);
	r = ops->rollback(j, snap);
	return r == 0 ? reapply(j, ops) : r;
}

int
store_rollback(const char *name, const char *tag)
{
	return on_snapshot(name, tag, roll_back);
}

/* ---- clone ---- */

static int
fill_from_jail(struct sjail *j, const struct store_ops *ops, void *arg)
{
	return ops->clone(arg, j);
}

/*
 * A thin jail made thick: its root becomes a full copy of the release
 * with its own changes, no longer sharing the release.  The backend
 * moves the data (overlay: the merged view copied; btrfs: nothing, a
 * thin root is already a subvolume of its own); then the jail is
 * recorded as thick and its jail.conf written again (no overlay mount).
 * A thin root's snapshots hold only what it changed: they must go first.
 */
int
store_convert(const char *name)
{
	struct strlist snaps = { 0 };
	const struct store_ops *ops;
	struct sjail j;
	int r = -1;

	if (store_jail_load(name, &j) == -1)
		return -1;
	if (!j.thin) {
		gerr_set("%s: already thick", name);
		goto out;
	}
	store_snapshot_list(name, &snaps);
	if (snaps.n > 0) {
		gerr_set("%s: has snapshots of its thin root (%s): destroy "
		    "them first", name, snaps.v[0]);
		goto out;
	}
	if ((ops = jail_ops(&j)) == NULL)
		goto out;
	if (ops->convert != NULL && ops->convert(&j) == -1)
		goto out;
	j.thin = false;
	if (meta_set(&j, "thin", "no") == -1 || write_jail_conf(&j) == -1)
		goto out;
	r = 0;
out:
	strlist_clear(&snaps);
	sjail_free(&j);
	return r;
}

int
store_clone(const char *from, const char *to, const char *ip)
{
	const struct store_ops *ops;
	struct sjail src, j = { 0 };
	char *comp;
	int r;

	if (store_jail_load(from, &src) == -1)
		return -1;
	if ((ops = jail_ops(&src)) == NULL || check_new(to) == -1) {
		sjail_free(&src);
		return -1;
	}
	j.name = xstrdup(to);
	j.release = src.release ? xstrdup(src.release) : NULL;
	j.backend = xstrdup(src.backend);
	j.ip = ip ? xstrdup(ip) : NULL;
	j.thin = src.thin;
	r = make_jail(&j, ops, fill_from_jail, &src);
	if (r == 0 && (comp = meta_get(&src, "compression")) != NULL) {
		r = meta_set(&j, "compression", comp);
		free(comp);
	}
	sjail_free(&j);
	sjail_free(&src);
	return r;
}

/* ---- properties ---- */

static bool
is_prop(const char *key)
{
	for (size_t i = 0; store_props[i] != NULL; i++)
		if (strcmp(store_props[i], key) == 0)
			return true;
	return false;
}

/* 10G, 512M, 1T, 4096: what btrfs qgroup limit and zfs take. */
static bool
valid_size(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && (s[n] == '\0' || (strchr("kKmMgGtT", s[n]) != NULL &&
	    s[n + 1] == '\0'));
}

int
store_prop_set(const char *name, const char *key, const char *value)
{
	const struct store_ops *ops;
	struct sjail j;
	int r = -1;

	if (store_jail_load(name, &j) == -1)
		return -1;
	if ((ops = jail_ops(&j)) == NULL)
		goto out;
	if (strcmp(key, "quota") == 0 || strcmp(key, "reservation") == 0) {
		int (*set)(const struct sjail *, const char *) =
		    key[0] == 'q' ? ops->set_quota : ops->set_reservation;

		if (strcmp(value, "none") != 0 && !valid_size(value))
			gerr_set("%s: %s: invalid size \"%s\" (like 10G, or "
			    "none)", name, key, value);
		else if (set == NULL)
			gerr_set("%s: %s: not supported on the %s backend",
			    name, key, ops->name);
		else if ((r = set(&j, value)) == 0)
			r = meta_set(&j, key,
			    strcmp(value, "none") ? value : NULL);
	} else if (strcmp(key, "compression") == 0) {
		if (strcmp(value, "zstd") && strcmp(value, "lzo") &&
		    strcmp(value, "zlib") && strcmp(value, "off"))
			gerr_set("%s: compression: invalid value \"%s\" "
			    "(zstd, lzo, zlib, off)", name, value);
		else if (ops->set_compression == NULL)
			gerr_set("%s: compression: not supported on the %s "
			    "backend", name, ops->name);
		else if ((r = ops->set_compression(&j, value)) == 0)
			r = meta_set(&j, "compression",
			    strcmp(value, "off") ? value : NULL);
	} else if (strcmp(key, "ip") == 0) {
		free(j.ip);
		j.ip = *value && strcmp(value, "none") ? xstrdup(value) : NULL;
		if ((r = meta_set(&j, "ip", j.ip)) == 0)
			r = write_jail_conf(&j);
	} else if (is_prop(key))
		gerr_set("%s: %s: read-only property", name, key);
	else
		gerr_set("%s: %s: unknown property (quota, reservation, "
		    "compression, ip)", name, key);
out:
	sjail_free(&j);
	return r;
}

char *
store_prop_get(const char *name, const char *key)
{
	struct sjail j;
	char *v = NULL;

	if (store_jail_load(name, &j) == -1)
		return NULL;
	if (!is_prop(key))
		gerr_set("%s: %s: unknown property (%s)", name, key,
		    "quota, reservation, compression, ip, release, backend, "
		    "thin");
	else if (strcmp(key, "thin") == 0)
		v = xstrdup(j.thin ? "yes" : "no");
	else if ((v = meta_get(&j, key)) == NULL)
		v = xstrdup(strcmp(key, "compression") == 0 ? "off" : "none");
	sjail_free(&j);
	return v;
}
