/*
 * Inherited IP on a shared stack: load the cgroup BPF programs of
 * inherit.bpf.c (built by clang -target bpf, embedded by bpftool's
 * skeleton) for one jail and attach them to its cgroup2 directory.  The
 * jail's settings go in the object's read-only data, its addresses in
 * its maps, before the load; each program attached then holds its maps,
 * and all of it goes with the cgroup.  docs/design/inherit-bpf.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "net.h"
#include "inherit.h"
#include "../util/bpf.h"
#include "../util/dl.h"

/*
 * libbpf is opened when a jail is made (util/dl.h), not loaded by every
 * front end at each start.  The skeleton's calls go through the same
 * pointers.
 */
#define BPF_SYMS(X)							\
	X(bpf_object__open_skeleton) X(bpf_object__load_skeleton)	\
	X(bpf_object__attach_skeleton) X(bpf_object__detach_skeleton)	\
	X(bpf_object__destroy_skeleton) X(bpf_object__next_program)	\
	X(bpf_map__set_max_entries) X(bpf_map__update_elem)		\
	X(bpf_map__fd) X(bpf_map_lookup_elem) X(bpf_map_update_elem)	\
	X(bpf_map_delete_elem)						\
	X(bpf_program__set_autoload) X(bpf_program__autoload)		\
	X(bpf_program__fd) X(bpf_program__name)				\
	X(bpf_program__expected_attach_type) X(bpf_prog_attach)		\
	X(libbpf_set_print)
#define DECLARE(f)	static typeof(f) *sym_##f;
BPF_SYMS(DECLARE)
#undef DECLARE

static int
libbpf(void)
{
	static const struct dl_sym syms[] = {
#define ENTRY(f)	DL_SYM(f),
		BPF_SYMS(ENTRY)
#undef ENTRY
	};

	return dl_open("libbpf.so.1", "inherited IP", syms,
	    sizeof(syms) / sizeof(syms[0]));
}

/* From here on, each name is its pointer (the skeleton's included). */
#define bpf_object__open_skeleton	sym_bpf_object__open_skeleton
#define bpf_object__load_skeleton	sym_bpf_object__load_skeleton
#define bpf_object__attach_skeleton	sym_bpf_object__attach_skeleton
#define bpf_object__detach_skeleton	sym_bpf_object__detach_skeleton
#define bpf_object__destroy_skeleton	sym_bpf_object__destroy_skeleton
#define bpf_object__next_program	sym_bpf_object__next_program
#define bpf_map__set_max_entries	sym_bpf_map__set_max_entries
#define bpf_map__update_elem		sym_bpf_map__update_elem
#define bpf_map__fd			sym_bpf_map__fd
#define bpf_map_lookup_elem		sym_bpf_map_lookup_elem
#define bpf_map_update_elem		sym_bpf_map_update_elem
#define bpf_map_delete_elem		sym_bpf_map_delete_elem
#define bpf_program__set_autoload	sym_bpf_program__set_autoload
#define bpf_program__autoload		sym_bpf_program__autoload
#define bpf_program__fd			sym_bpf_program__fd
#define bpf_program__name		sym_bpf_program__name
#define bpf_program__expected_attach_type sym_bpf_program__expected_attach_type
#define bpf_prog_attach			sym_bpf_prog_attach
#define libbpf_set_print		sym_libbpf_set_print

#include "inherit.skel.h"

_Static_assert(JAILSYS_DISABLE == INHERIT_DISABLE &&
    JAILSYS_NEW == INHERIT_NEW && JAILSYS_INHERIT == INHERIT_INHERIT,
    "inherit.h's modes are the jailsys values");

/* The address (or one word of it) as the u32 a load from memory gives. */
static __u32
word(const unsigned char *a, int i)
{
	__u32 w;

	memcpy(&w, a + 4 * i, 4);
	return w;
}

/* Word i of a prefix's mask; none for no prefix or a host's. */
static __u32
mask_word(int prefix, int full, int i)
{
	unsigned char m[16] = { 0 };

	if (prefix == 0 || prefix == full)
		return 0;
	for (int b = 0; b < prefix && b < 128; b++)
		m[b / 8] |= (unsigned char)(0x80 >> (b % 8));
	return word(m, i);
}

static bool
has_loopback(const struct jaddr *a, size_t n)
{
	static const unsigned char lo6[16] = { [15] = 1 };

	for (size_t i = 0; i < n; i++)
		if ((a[i].family == AF_INET && a[i].addr[0] == 127) ||
		    (a[i].family == AF_INET6 && memcmp(a[i].addr, lo6, 16) == 0))
			return true;
	return false;
}

static struct inherit_addr6
addr6(const unsigned char *a)
{
	struct inherit_addr6 r;

	memcpy(r.w, a, 16);
	return r;
}

/* The settings, before the load: the verifier drops what they rule out. */
static void
set_rodata(struct gaol_inherit *s, const struct jnet *j, __u64 nest_cg)
{
	struct gaol_inherit__rodata *ro = s->rodata;

	ro->nesting = nest_cg != 0;
	ro->jail_cg = nest_cg;

	ro->mode4 = j->mode4;
	ro->mode6 = j->mode6;
	ro->bind_ok = j->reserved_ports ? 3 : 1;
	ro->n4 = (__u32)j->n4;
	ro->n6 = (__u32)j->n6;
	ro->saddrsel4 = j->saddrsel4;
	ro->saddrsel6 = j->saddrsel6;
	ro->has_lo4 = has_loopback(j->a4, j->n4);
	ro->has_lo6 = has_loopback(j->a6, j->n6);
	ro->first4 = j->n4 > 0 ? word(j->a4[0].addr, 0) : 0;
	if (j->n6 > 0)
		ro->first6 = addr6(j->a6[0].addr);
}

static int
size_maps(struct gaol_inherit *s, const struct jnet *j)
{
	__u32 n4 = j->n4 > 0 ? (__u32)j->n4 : 1, n6 = j->n6 > 0 ? (__u32)j->n6 : 1;

	if (bpf_map__set_max_entries(s->maps.addrs4, n4) != 0 ||
	    bpf_map__set_max_entries(s->maps.nets4, n4) != 0 ||
	    bpf_map__set_max_entries(s->maps.addrs6, n6) != 0 ||
	    bpf_map__set_max_entries(s->maps.nets6, n6) != 0) {
		gerr_set("inherited-IP BPF maps: cannot size them for %zu "
		    "and %zu addresses", j->n4, j->n6);
		return -1;
	}
	return 0;
}

static int
fill_maps(struct gaol_inherit *s, const struct jnet *j)
{
	/* Key 0: the jail's own modes and counts, for a nested jail -c. */
	struct inherit_child self = { .mode4 = (__u32)j->mode4,
	    .mode6 = (__u32)j->mode6, .n4 = (__u32)j->n4, .n6 = (__u32)j->n6 };
	__u64 zero = 0;

	if (bpf_map__update_elem(s->maps.children, &zero, sizeof(zero), &self,
	    sizeof(self), BPF_ANY) != 0)
		goto fail;
	for (__u32 i = 0; i < j->n4; i++) {
		const unsigned char *a = j->a4[i].addr;
		struct inherit_net4 n = { word(a, 0),
		    mask_word(j->a4[i].prefix, 32, 0) };
		__u32 k = n.addr;

		if (bpf_map__update_elem(s->maps.addrs4, &k, sizeof(k), &i,
		    sizeof(i), BPF_ANY) != 0 ||
		    bpf_map__update_elem(s->maps.nets4, &i, sizeof(i), &n,
		    sizeof(n), BPF_ANY) != 0)
			goto fail;
	}
	for (__u32 i = 0; i < j->n6; i++) {
		struct inherit_net6 n = { addr6(j->a6[i].addr), { 0 } };

		for (int w = 0; w < 4; w++)
			n.mask[w] = mask_word(j->a6[i].prefix, 128, w);
		if (bpf_map__update_elem(s->maps.addrs6, &n.addr,
		    sizeof(n.addr), &i, sizeof(i), BPF_ANY) != 0 ||
		    bpf_map__update_elem(s->maps.nets6, &i, sizeof(i), &n,
		    sizeof(n), BPF_ANY) != 0)
			goto fail;
	}
	return 0;
fail:
	gerr_set_errno("inherited-IP BPF maps: store the jail's addresses");
	return -1;
}

/*
 * Which programs a jail needs.  IPv6 sockets also carry IPv4-mapped
 * addresses, so the IPv6 programs come with ip4 = new too; sendmsg4
 * comes with ip4 = disable, since the kernel sends a mapped address's
 * UDP through it.  ip4/ip6 = inherit keeps only the bind program, for
 * allow.reserved_ports.
 */
static void
choose_programs(struct gaol_inherit *s, const struct jnet *j, bool nesting)
{
	int m4 = j->mode4, m6 = j->mode6;
	bool v6prog = (m4 == JAILSYS_NEW || m6 == JAILSYS_NEW) && m6 != JAILSYS_INHERIT;
	const struct {
		struct bpf_program	*p;
		bool			 want;
	} v[] = {
		/* A nested jail may disable a family its parent has. */
		{ s->progs.gaol_create, m4 == JAILSYS_DISABLE ||
		    m6 == JAILSYS_DISABLE || nesting },
		{ s->progs.gaol_bind4, m4 != JAILSYS_DISABLE },
		{ s->progs.gaol_connect4, m4 == JAILSYS_NEW },
		{ s->progs.gaol_sendmsg4, m4 != JAILSYS_INHERIT },
		{ s->progs.gaol_bind6, m4 == JAILSYS_NEW || m6 != JAILSYS_DISABLE },
		{ s->progs.gaol_connect6, v6prog },
		{ s->progs.gaol_sendmsg6, v6prog },
		{ s->progs.gaol_ingress, m4 != JAILSYS_INHERIT || m6 != JAILSYS_INHERIT },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		bpf_program__set_autoload(v[i].p, v[i].want);
}

/* What libbpf says while loading: kept for the message, never printed. */
static char libbpf_said[16384];
static size_t libbpf_len;

static int
libbpf_say(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level != LIBBPF_WARN || libbpf_len >= sizeof(libbpf_said) - 1)
		return 0;
	n = vsnprintf(libbpf_said + libbpf_len,
	    sizeof(libbpf_said) - libbpf_len, fmt, ap);
	if (n > 0)
		libbpf_len += (size_t)n;
	if (libbpf_len >= sizeof(libbpf_said))
		libbpf_len = sizeof(libbpf_said) - 1;
	return 0;
}

/*
 * libbpf's first complaint ("libbpf: prog 'gaol_bind4': BPF program
 * load failed: Permission denied"), and the verifier's reason when the
 * log is there.
 */
static void
load_error(int err)
{
	char *first = libbpf_said, *log, *end;
	const char *why = "";

	if (strncmp(first, "libbpf: ", 8) == 0)
		first += 8;
	if ((log = strstr(first, "-- BEGIN PROG LOAD LOG --\n")) != NULL &&
	    (end = strstr(log, "-- END PROG LOAD LOG --")) != NULL) {
		*end = '\0';
		why = bpf_verifier_reason(log + 26);
	}
	first[strcspn(first, "\n")] = '\0';
	if (*first == '\0')
		gerr_set("load the inherited-IP BPF programs: %s",
		    strerror(err));
	else
		gerr_set("load the inherited-IP BPF programs: %s%s%s", first,
		    *why ? ": " : "", why);
}

static int
load(struct gaol_inherit *s)
{
	libbpf_print_fn_t old;
	int r;

	libbpf_len = 0;
	libbpf_said[0] = '\0';
	old = libbpf_set_print(libbpf_say);
	r = gaol_inherit__load(s);
	libbpf_set_print(old);
	if (r != 0) {
		load_error(-r);
		return -1;
	}
	return 0;
}

/* After any program already there (a parent's keeps running). */
static int
attach(struct gaol_inherit *s, int cg)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, s->obj) {
		if (!bpf_program__autoload(p))
			continue;
		if (bpf_prog_attach(bpf_program__fd(p), cg,
		    bpf_program__expected_attach_type(p),
		    BPF_F_ALLOW_MULTI) != 0) {
			gerr_set_errno("attach the %s BPF program",
			    bpf_program__name(p));
			return -1;
		}
	}
	return 0;
}

/* The cgroup2 id of a directory: its inode number (kernfs). */
static __u64
cgroup_id(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (__u64)st.st_ino : 0;
}

/* Copies of the maps a nested jail -c needs, before the skeleton goes. */
static int
keep_maps(struct gaol_inherit *s, int maps[NET_MAPS])
{
	const struct bpf_map *m[NET_MAPS] = { s->maps.children,
	    s->maps.addrs4, s->maps.addrs6 };

	for (int i = 0; i < NET_MAPS; i++)
		if ((maps[i] = fcntl(bpf_map__fd(m[i]), F_DUPFD_CLOEXEC,
		    3)) == -1) {
			gerr_set_errno("inherited-IP BPF maps: keep them for "
			    "nested jails");
			while (i-- > 0)
				close(maps[i]);
			return -1;
		}
	return 0;
}

int
net_bpf_attach(const struct jnet *j, const char *dir, int maps[NET_MAPS])
{
	struct gaol_inherit *s;
	int cg, r = -1;

	for (int i = 0; maps != NULL && i < NET_MAPS; i++)
		maps[i] = -1;
	if (j->vnet)
		return 0;
	if (libbpf() == -1)
		return -1;
	if ((cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		gerr_set_errno("%s", dir);
		return -1;
	}
	if ((s = gaol_inherit__open()) == NULL) {
		gerr_set_errno("open the inherited-IP BPF object");
		close(cg);
		return -1;
	}
	set_rodata(s, j, maps != NULL ? cgroup_id(cg) : 0);
	choose_programs(s, j, maps != NULL);
	if (size_maps(s, j) == 0 && load(s) == 0 && fill_maps(s, j) == 0 &&
	    attach(s, cg) == 0 && (maps == NULL || keep_maps(s, maps) == 0))
		r = 0;
	gaol_inherit__destroy(s);
	close(cg);
	return r;
}

/* Index of a in the parent's list (the addrs map), or -1: not the parent's. */
static long
parent_index(int map, const struct jaddr *a)
{
	__u32 i;
	int r;

	if (a->family == AF_INET) {
		__u32 k = word(a->addr, 0);

		r = bpf_map_lookup_elem(map, &k, &i);
	} else {
		struct inherit_addr6 k = addr6(a->addr);

		r = bpf_map_lookup_elem(map, &k, &i);
	}
	return r == 0 ? (long)i : -1;
}

/* One family of a nested jail's part: its mask, count and first index. */
static int
nested_family(const struct jaddr *v, size_t n, int map, __u64 *mask,
    __u32 *count, __u32 *first)
{
	*mask = 0;
	*count = (__u32)n;
	*first = 0;
	for (size_t k = 0; k < n; k++) {
		long i = parent_index(map, &v[k]);

		if (i < 0) {
			/* FreeBSD's kern_jail_set: not the parent's, EPERM. */
			errno = EPERM;
			gerr_set_errno("jail_set");
			return -1;
		}
		if (i >= INHERIT_MASK_BITS) {
			char *s = jaddr_ntop(&v[k]);

			gerr_set("%s: %s is the parent's address number %ld; "
			    "a jail inside a jail can take only the first %d",
			    v[k].family == AF_INET ? "ip4.addr" : "ip6.addr",
			    s, i + 1, INHERIT_MASK_BITS);
			free(s);
			return -1;
		}
		*mask |= 1ULL << i;
		if (k == 0)
			*first = (__u32)i;
	}
	return 0;
}

int
net_bpf_nested(const struct jnet *j, const int maps[NET_MAPS],
    unsigned long long cg)
{
	struct inherit_child parent, c = { 0 };
	__u64 zero = 0, key = cg;

	if (libbpf() == -1)
		return -1;
	if (bpf_map_lookup_elem(maps[NET_MAP_CHILDREN], &zero, &parent) != 0) {
		gerr_set_errno("the parent jail's address map");
		return -1;
	}
	/* A family the parent inherits whole: no part of it can be held. */
	if ((j->mode4 == JAILSYS_NEW && parent.mode4 == INHERIT_INHERIT) ||
	    (j->mode6 == JAILSYS_NEW && parent.mode6 == INHERIT_INHERIT)) {
		gerr_set("%s: the parent jail inherits the host's addresses; "
		    "a jail inside it can only inherit them too",
		    j->mode4 == JAILSYS_NEW && parent.mode4 == INHERIT_INHERIT ?
		    "ip4.addr" : "ip6.addr");
		return -1;
	}
	c.mode4 = (__u32)j->mode4;
	c.mode6 = (__u32)j->mode6;
	c.saddrsel4 = j->saddrsel4;
	c.saddrsel6 = j->saddrsel6;
	c.has_lo4 = c.has_lo6 = 1;	/* narrowed by the parent's */
	if (j->mode4 == JAILSYS_INHERIT)
		c.mask4 = ~0ULL, c.n4 = parent.n4;
	else if (nested_family(j->a4, j->n4, maps[NET_MAP_ADDRS4], &c.mask4,
	    &c.n4, &c.first4) == -1)
		return -1;
	if (j->mode6 == JAILSYS_INHERIT)
		c.mask6 = ~0ULL, c.n6 = parent.n6;
	else if (nested_family(j->a6, j->n6, maps[NET_MAP_ADDRS6], &c.mask6,
	    &c.n6, &c.first6) == -1)
		return -1;
	if (j->mode4 != JAILSYS_INHERIT)
		c.has_lo4 = has_loopback(j->a4, j->n4);
	if (j->mode6 != JAILSYS_INHERIT)
		c.has_lo6 = has_loopback(j->a6, j->n6);
	if (bpf_map_update_elem(maps[NET_MAP_CHILDREN], &key, &c, BPF_ANY)
	    != 0) {
		gerr_set_errno("the parent jail's address map: store the "
		    "nested jail's part");
		return -1;
	}
	return 0;
}

int
net_bpf_nested_forget(int children, unsigned long long cg)
{
	__u64 key = cg;

	if (libbpf() == -1)
		return -1;
	if (bpf_map_delete_elem(children, &key) != 0 && errno != ENOENT) {
		gerr_set_errno("the parent jail's address map: forget the "
		    "nested jail's part");
		return -1;
	}
	return 0;
}
