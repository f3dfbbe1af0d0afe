/*
 * A container's own state: ROOT/ID/state.json (ours, not the spec's
 * state JSON), and ROOT/ID/exec.fifo while it is created but not
 * started.  Its status is never stored: it is read from what runs.
 *
 *	jail alive, fifo there, holder alive	created
 *	holder alive, fifo gone			running (paused: frozen)
 *	holder gone				stopped
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "oci.h"
#include "../state/registry.h"

const char *const oci_status_names[] = { "creating", "created", "running",
	"paused", "stopped" };

static char *root_dir;

void
oci_set_root(const char *r)
{
	free(root_dir);
	root_dir = r != NULL ? xstrdup(r) : NULL;
}

const char *
oci_root(void)
{
	return root_dir != NULL ? root_dir : "/run/gaol-oci";
}

/*
 * ROOT/gaol-oci.conf: where the jails live (GAOL_SYSCONFDIR, _DATADIR,
 * _RUNDIR, _LOGDIR, GAOL_CGROUP) for a runtime whose engine gives it an
 * environment of its own: podman runs start, kill and delete with PATH
 * and XDG_RUNTIME_DIR only.  NAME=value lines, '#' comments; a
 * variable set in the environment wins.  It redirects the registry, so
 * it is read only when root owns it and no one else may write it.
 */
int
oci_load_dirs(void)
{
	static const char *const names[] = { "GAOL_SYSCONFDIR",
	    "GAOL_DATADIR", "GAOL_RUNDIR", "GAOL_LOGDIR", "GAOL_CGROUP", NULL };
	char *file = xasprintf("%s/gaol-oci.conf", oci_root()), *text;
	char *save = NULL;
	struct stat st;
	int n = 0, r = 0;

	if (stat(file, &st) == -1) {
		free(file);
		return 0;
	}
	if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
		gerr_set("%s: not root's, or writable by others: not read", file);
		free(file);
		return -1;
	}
	text = read_file(file, NULL);
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(l, '=');
		int k;

		n++;
		if (l[0] == '#' || l[strspn(l, " \t")] == '\0')
			continue;
		if (eq != NULL)
			*eq = '\0';
		for (k = 0; names[k] != NULL && strcmp(l, names[k]) != 0; k++)
			;
		if (eq == NULL || names[k] == NULL) {
			gerr_set("%s: line %d: not one of GAOL_SYSCONFDIR, "
			    "GAOL_DATADIR, GAOL_RUNDIR, GAOL_LOGDIR, GAOL_CGROUP "
			    "with a value", file, n);
			r = -1;
			break;
		}
		(void)setenv(l, eq + 1, 0);
	}
	free(text);
	free(file);
	return r;
}

bool
oci_id_valid(const char *id)
{
	if (id == NULL || id[0] == '\0' || id[0] == '.' || id[0] == '-' ||
	    strlen(id) > 1024)
		return false;
	for (const char *p = id; *p != '\0'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '-' &&
		    *p != '.')
			return false;
	return true;
}

static char *
state_file(const char *dir)
{
	return xasprintf("%s/state.json", dir);
}

/* Whether the holder runs and still waits for `start`. */
static enum oci_status
status_of(const struct oci_state *s)
{
	char *fifo = xasprintf("%s/exec.fifo", s->dir);
	bool waiting = access(fifo, F_OK) == 0;

	free(fifo);
	if (s->pid <= 0)
		return OCI_CREATING;
	if (!proc_running(s->pid, s->pid_start))
		return OCI_STOPPED;
	if (waiting)
		return OCI_CREATED;
	fifo = xasprintf("%s/paused", s->dir);
	waiting = access(fifo, F_OK) == 0;
	free(fifo);
	return waiting ? OCI_PAUSED : OCI_RUNNING;
}

int
oci_state_load(const char *id, struct oci_state *s)
{
	json_error_t e;
	json_t *j, *a, *v;
	const char *k;
	char *file;

	memset(s, 0, sizeof(*s));
	if (!oci_id_valid(id)) {
		gerr_set("%s: not a valid container id", id);
		return -1;
	}
	s->dir = xasprintf("%s/%s", oci_root(), id);
	file = state_file(s->dir);
	j = json_load_file(file, 0, &e);
	free(file);
	if (j == NULL) {
		gerr_set("container \"%s\" does not exist", id);
		oci_state_free(s);
		return -1;
	}
	s->id = xstrdup(id);
	s->bundle = xstrdup(json_string_value(json_object_get(j, "bundle")) ?
	    json_string_value(json_object_get(j, "bundle")) : "");
	s->jail = xstrdup(json_string_value(json_object_get(j, "jail")) ?
	    json_string_value(json_object_get(j, "jail")) : id);
	s->created = xstrdup(json_string_value(json_object_get(j, "created")) ?
	    json_string_value(json_object_get(j, "created")) : "");
	s->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
	s->pid_start = (unsigned long long)json_integer_value(
	    json_object_get(j, "pid_start"));
	a = json_object_get(j, "annotations");
	json_object_foreach(a, k, v)
		strlist_addn(&s->annotations, xasprintf("%s=%s", k,
		    json_string_value(v) ? json_string_value(v) : ""));
	json_decref(j);
	s->status = status_of(s);
	return 0;
}

static json_t *
annotations_json(const struct strlist *l)
{
	json_t *a = json_object();

	for (size_t i = 0; i < l->n; i++) {
		const char *eq = strchr(l->v[i], '=');
		char *k = xstrndup(l->v[i], (size_t)(eq - l->v[i]));

		json_object_set_new(a, k, json_string(eq + 1));
		free(k);
	}
	return a;
}

int
oci_state_save(const struct oci_state *s)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}",
	    "id", s->id, "bundle", s->bundle, "jail", s->jail,
	    "created", s->created, "pid", (json_int_t)s->pid,
	    "pid_start", (json_int_t)s->pid_start);
	char *text, *file;
	int r;

	json_object_set_new(j, "annotations", annotations_json(&s->annotations));
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	file = state_file(s->dir);
	r = write_file_atomic(file, text, strlen(text), 0600);
	free(file);
	free(text);
	return r;
}

char *
oci_state_json(const struct oci_state *s)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "ociVersion",
	    OCI_VERSION, "id", s->id, "status", oci_status_names[s->status],
	    "bundle", s->bundle);
	char *text, *out;

	if (s->status == OCI_CREATED || s->status == OCI_RUNNING ||
	    s->status == OCI_PAUSED)
		json_object_set_new(j, "pid", json_integer(s->pid));
	else
		json_object_set_new(j, "pid", json_integer(0));
	json_object_set_new(j, "rootfs", json_string(""));
	json_object_set_new(j, "created", json_string(s->created));
	json_object_set_new(j, "owner", json_string(""));
	json_object_set_new(j, "annotations", annotations_json(&s->annotations));
	text = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	out = xasprintf("%s\n", text);
	free(text);
	return out;
}

void
oci_state_free(struct oci_state *s)
{
	free(s->id);
	free(s->bundle);
	free(s->dir);
	free(s->jail);
	free(s->created);
	strlist_clear(&s->annotations);
	memset(s, 0, sizeof(*s));
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
oci_list(struct strlist *ids)
{
	DIR *d = opendir(oci_root());
	struct dirent *de;

	if (d == NULL)
		return errno == ENOENT ? 0 : (gerr_set_errno("%s", oci_root()), -1);
	while ((de = readdir(d)) != NULL)
		if (oci_id_valid(de->d_name))
			strlist_add(ids, de->d_name);
	closedir(d);
	if (ids->n > 1)
		qsort(ids->v, ids->n, sizeof(char *), by_name);
	return 0;
}
