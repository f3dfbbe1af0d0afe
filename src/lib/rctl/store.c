/*
 * Where rules live: rctl.conf(5) and $GAOL_RUNDIR/rctl/waiting (rules
 * added for a jail that was not running) for every start of a jail,
 * and $GAOL_RUNDIR/rctl/JID for the rules in effect on a running jail.
 *
 *	init	1234	98765		the jail instance (pid, start time)
 *	watcher	1240	98770		its watcher, when one runs
 *	rule	jail:web:memoryuse:deny=67108864
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/util.h"
#include "../state/registry.h"
#include "rctl.h"

char *
rctl_store_path(int jid)
{
	return xasprintf("%s/rctl/%d", gaol_rundir(), jid);
}

int
rctl_store_load(int jid, pid_t init, unsigned long long start,
    struct rstore *st)
{
	char *path = rctl_store_path(jid), *text, *save, *line;
	struct rstore got = { 0 };

	memset(st, 0, sizeof(*st));
	st->init = init;
	st->start = start;
	text = read_file(path, NULL);
	free(path);
	if (text == NULL)
		return errno == ENOENT ? 0 : -1;
	for (line = strtok_r(text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		struct rrule r;
		int pid;

		if (sscanf(line, "init\t%d\t%llu", &pid, &got.start) == 2)
			got.init = pid;
		else if (sscanf(line, "watcher\t%d\t%llu", &pid, &got.wstart) == 2)
			got.watcher = pid;
		else if (strncmp(line, "rule\t", 5) == 0 &&
		    rrule_parse(line + 5, &r, false) == 0) {
			rruleset_add(&got.rules, &r);
			rrule_free(&r);
		}
	}
	free(text);
	if (init == 0 || (got.init == init && got.start == start))
		*st = got;
	else
		rruleset_free(&got.rules);
	return 0;
}

/* One "rule\t..." line per rule, as both stores keep them. */
static void
write_rules(FILE *f, const struct rruleset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		char *s = rrule_format(&set->v[i], false);

		fprintf(f, "rule\t%s\n", s);
		free(s);
	}
}

int
rctl_store_save(int jid, const struct rstore *st)
{
	char *dir = xasprintf("%s/rctl", gaol_rundir());
	char *path = rctl_store_path(jid), *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (mkdir_p(dir, 0700) == -1) {
		gerr_set_errno("%s", dir);
		free(dir);
		free(path);
		return -1;
	}
	free(dir);
	f = xopen_memstream(&buf, &len);
	fprintf(f, "init\t%d\t%llu\n", (int)st->init, st->start);
	if (st->watcher > 0)
		fprintf(f, "watcher\t%d\t%llu\n", (int)st->watcher, st->wstart);
	write_rules(f, &st->rules);
	fclose(f);
	r = write_file_atomic(path, buf, len, 0600);
	free(buf);
	free(path);
	return r;
}

void
rctl_store_remove(int jid, pid_t init, unsigned long long start)
{
	char *path = rctl_store_path(jid), *text = read_file(path, NULL);
	int pid = 0;
	unsigned long long s = 0;

	/* Only the file of that instance (init 0: whichever it is). */
	if (text != NULL && (init == 0 ||
	    (sscanf(text, "init\t%d\t%llu", &pid, &s) == 2 &&
	    pid == init && s == start)))
		(void)unlink(path);
	free(text);
	free(path);
}

void
rctl_store_sweep(void)
{
	char *dir = xasprintf("%s/rctl", gaol_rundir());
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char *path, *text;
		int pid = 0, fd;
		unsigned long long start = 0;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		text = read_file(path, NULL);
		if (text != NULL &&
		    sscanf(text, "init\t%d\t%llu", &pid, &start) == 2) {
			if ((fd = proc_alive(pid, start)) >= 0)
				close(fd);
			else
				(void)unlink(path);
		}
		free(text);
		free(path);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
}

/* "jail:web:..." is web's: by the text, so that a bad rule is placed too. */
static bool
line_for(const char *line, const char *name, const char *jid)
{
	size_t n;

	if (strncmp(line, "jail:", 5) != 0)
		return false;
	line += 5;
	n = strcspn(line, ":");
	return (strlen(name) == n && strncmp(line, name, n) == 0) ||
	    (jid != NULL && strlen(jid) == n && strncmp(line, jid, n) == 0);
}

/* One rctl.conf-format file's rules for the jail, added to set. */
static int
conf_file_load(const char *path, struct rruleset *set, const char *name,
    const char *jid)
{
	char *text = read_file(path, NULL), *p, *nl;
	int lineno = 0, r = 0;

	if (text == NULL) {
		r = errno == ENOENT ? 0 : -1;
		if (r == -1)
			gerr_set_errno("%s", path);
		return r;
	}
	for (p = text; p != NULL && *p; p = nl) {
		char *line = p, *hash;
		struct rrule rule;

		lineno++;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		line += strspn(line, " \t\r");
		line[strcspn(line, " \t\r")] = '\0';	/* rc.d: the first word */
		if (*line == '\0' || !line_for(line, name, jid))
			continue;
		if (rrule_parse(line, &rule, false) == -1) {
			gerr_prefix("%s:%d: malformed rule '%s': ", path,
			    lineno, line);
			r = -1;
			break;
		}
		rruleset_add(set, &rule);
		rrule_free(&rule);
	}
	free(text);
	return r;
}

/*
 * rctl.conf, then the parts in rctl.conf.d (NAME.conf, which gaol
 * limits keeps for each jail), in name order.
 */
int
rctl_conf_load(struct rruleset *set, const char *name, const char *jid)
{
	char *path = xasprintf("%s/rctl.conf", gaol_sysconfdir());
	char *dir = xasprintf("%s/rctl.conf.d", gaol_sysconfdir());
	struct dirent **ents = NULL;
	int n, r;

	memset(set, 0, sizeof(*set));
	r = conf_file_load(path, set, name, jid);
	free(path);
	n = scandir(dir, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(ents[i]->d_name);

		if (r == 0 && ents[i]->d_name[0] != '.' && len > 5 &&
		    strcmp(ents[i]->d_name + len - 5, ".conf") == 0) {
			path = xasprintf("%s/%s", dir, ents[i]->d_name);
			r = conf_file_load(path, set, name, jid);
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	free(dir);
	if (r == -1)
		rruleset_free(set);
	return r;
}

static char *
waiting_path(void)
{
	return xasprintf("%s/rctl/waiting", gaol_rundir());
}

int
rctl_waiting_load(struct rruleset *set)
{
	char *path = waiting_path(), *text = read_file(path, NULL), *save, *l;

	memset(set, 0, sizeof(*set));
	free(path);
	if (text == NULL)
		return errno == ENOENT ? 0 : -1;
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct rrule r;

		if (strncmp(l, "rule\t", 5) == 0 &&
		    rrule_parse(l + 5, &r, false) == 0) {
			rruleset_add(set, &r);
			rrule_free(&r);
		}
	}
	free(text);
	return 0;
}

int
rctl_waiting_save(const struct rruleset *set)
{
	char *dir = xasprintf("%s/rctl", gaol_rundir()), *path = waiting_path();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r = 0;

	if (set->n == 0) {
		if (unlink(path) == -1 && errno != ENOENT) {
			gerr_set_errno("%s", path);
			r = -1;
		}
	} else if (mkdir_p(dir, 0700) == -1) {
		gerr_set_errno("%s", dir);
		r = -1;
	} else {
		f = xopen_memstream(&buf, &len);
		write_rules(f, set);
		fclose(f);
		r = write_file_atomic(path, buf, len, 0600);
		free(buf);
	}
	free(dir);
	free(path);
	return r;
}

int
rjail_find(const char *arg, struct rjail *j)
{
	struct jrecord rec;

	memset(j, 0, sizeof(*j));
	if (registry_find(arg, &rec) == -1) {
		/* FreeBSD: jail "x" not found */
		gerr_set("jail \"%s\" not found", arg);
		return -1;
	}
	j->jid = rec.jid;
	j->name = xstrdup(rec.name);
	j->init = rec.init_pid;
	j->start = rec.init_start;
	if (jrecord_cgroups(&rec, &j->cg) == -1) {
		jrecord_free(&rec);
		rjail_free(j);
		return -1;
	}
	jrecord_free(&rec);
	return 0;
}

void
rjail_free(struct rjail *j)
{
	free(j->name);
	cgroup_set_free(&j->cg);
	memset(j, 0, sizeof(*j));
}
