/*
 * isolate_devices: the devfs ruleset enforced by the kernel, so that a
 * device node reached any other way (a bind mount, path=/, a node left in
 * the jail's tree) still cannot be opened.  A v1 devices hierarchy takes
 * "a" in devices.deny, then one devices.allow line per unhidden node; a
 * pure v2 host gets a BPF_PROG_TYPE_CGROUP_DEVICE program on the jail's
 * cgroup, built here instruction by instruction (no libbpf).  Which one
 * is read from the jail's cgroups, never assumed: v1 where the jail has
 * a devices cgroup (on a hybrid host, a jail with children.max: others
 * have no v1 cgroups of their own, docs/design/cgroup-layout.md), else
 * the program, which the kernel runs for the unified hierarchy's cgroup
 * before any v1 check.
 *
 * The policy is the ruleset's, whether or not mount.devfs is set (a jail
 * without its own /dev gets no more devices than one with it).  Ruleset 0
 * opens every character device; block devices stay closed, as in /dev.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../util/util.h"
#include "devfs.h"
#include "isolate.h"
#include "isolate_int.h"
#include "../util/bpf.h"

#define ANY	(-1)

struct devrule {
	int	major, minor;		/* ANY: every one (character only) */
};

struct devrules {
	struct devrule	*v;
	size_t		 n;
};

static void
rule_add(struct devrules *r, int major, int minor)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].major == major && r->v[i].minor == minor)
			return;
	r->v = xrealloc(r->v, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = (struct devrule){ major, minor };
}

/* Character devices the plan shows (pts and ptmx live in devpts). */
static void
rules_from_plan(const struct devfs_plan *p, struct devrules *r)
{
	if (p->all) {
		rule_add(r, ANY, ANY);
		return;
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct devfs_entry *e = &p->v[i];

		if (e->kind == DN_BIND)
			rule_add(r, (int)major(e->rdev), (int)minor(e->rdev));
		else if (e->kind == DN_PTS)
			for (int m = 136; m <= 143; m++)	/* pts slaves */
				rule_add(r, m, ANY);
		else if (e->kind == DN_LINK && strcmp(e->name, "ptmx") == 0)
			rule_add(r, 5, 2);
	}
}

static int
v1_apply(const char *dir, const struct devrules *r)
{
	char *deny = xasprintf("%s/devices.deny", dir);
	char *allow = xasprintf("%s/devices.allow", dir);
	int rc = write_str(deny, "a");

	for (size_t i = 0; rc == 0 && i < r->n; i++) {
		char maj[16] = "*", min[16] = "*", *line;

		if (r->v[i].major != ANY)
			snprintf(maj, sizeof(maj), "%d", r->v[i].major);
		if (r->v[i].minor != ANY)
			snprintf(min, sizeof(min), "%d", r->v[i].minor);
		line = xasprintf("c %s:%s rwm", maj, min);
		rc = write_str(allow, line);
		free(line);
	}
	free(deny);
	free(allow);
	return rc;
}

static struct bpf_insn
insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst & 0xf,
	    .src_reg = src & 0xf, .off = off, .imm = imm };
}

/*
 * r1 = struct bpf_cgroup_dev_ctx { access_type, major, minor };
 * r3 = type (access_type & 0xffff), r4 = major, r5 = minor.
 * Per rule: if type, major and minor match, return 1.  Finally return 0.
 */
static size_t
bpf_program(const struct devrules *r, struct bpf_insn *p)
{
	size_t n = 0;

	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 3, 1, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_AND | BPF_K, 3, 0, 0, 0xffff);
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0);
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0);
	for (size_t i = 0; i < r->n; i++) {
		int16_t skip = 2 + (r->v[i].major != ANY) +
		    (r->v[i].minor != ANY);

		p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 3, 0, skip--,
		    BPF_DEVCG_DEV_CHAR);
		if (r->v[i].major != ANY)
			p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 4, 0, skip--,
			    r->v[i].major);
		if (r->v[i].minor != ANY)
			p[n++] = insn(BPF_JMP | BPF_JNE | BPF_K, 5, 0, skip--,
			    r->v[i].minor);
		p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
		p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

static int
bpf_apply(const char *dir, const struct devrules *r)
{
	struct bpf_insn *prog = xcalloc(6 + 5 * r->n, sizeof(*prog));
	size_t n = (size_t)bpf_program(r, prog);
	int cg, rc;

	if ((cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", dir);
		free(prog);
		return -1;
	}
	rc = bpf_cgroup_attach(cg, BPF_PROG_TYPE_CGROUP_DEVICE,
	    BPF_CGROUP_DEVICE, prog, n, "device");
	close(cg);
	free(prog);
	return rc;
}

/* For the test program: apply to one directory, v1 or v2. */
int	devcg_apply(const char *dir, int version, int ruleset);

int
devcg_apply(const char *dir, int version, int ruleset)
{
	struct devfs_plan p;
	struct devrules r = { 0 };
	int rc;

	if (devfs_plan_load(ruleset, &p) == -1)
		return -1;
	rules_from_plan(&p, &r);
	devfs_plan_free(&p);
	rc = version == 1 ? v1_apply(dir, &r) : bpf_apply(dir, &r);
	free(r.v);
	return rc;
}

int
isolate_devices(const struct jail_spec *spec, const struct cgroup_set *cg)
{
	const struct cgroup_dir *d;
	int rs = isolate_ruleset(spec);

	/* A jail made in a jail has no cgroups of its own: its parent's
	 * device policy holds it (docs/design/nested-jails.md). */
	if (cg->n == 0)
		return 0;
	if ((d = cgroup_made(cg, "devices")) != NULL)
		return devcg_apply(d->path, 1, rs);
	if ((d = cgroup_find(cg, NULL)) != NULL)
		return devcg_apply(d->path, 2, rs);
	gerr_set("%s: no device controller: neither a v1 devices hierarchy "
	    "nor cgroup2", spec->name ? spec->name : "jail");
	return -1;
}
