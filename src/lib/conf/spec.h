/*
 * A jail's parameters in typed form: what create, isolate, net and the
 * jail's init act on, read once from a checked list (jconf_resolve, or
 * a record's).  The jparams list stays alongside for jls and the
 * registry.
 */
#ifndef GAOL_SPEC_H
#define GAOL_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "conf.h"
#include "addr.h"

/* allow.* flags, one bit each (names in allow_names[]). */
enum allow_bit {
	ALLOW_SET_HOSTNAME,
	ALLOW_SYSVIPC,
	ALLOW_RAW_SOCKETS,
	ALLOW_CHFLAGS,
	ALLOW_MOUNT,
	ALLOW_MOUNT_DEVFS,
	ALLOW_MOUNT_NULLFS,
	ALLOW_MOUNT_PROCFS,
	ALLOW_MOUNT_TMPFS,
	ALLOW_QUOTAS,
	ALLOW_SOCKET_AF,
	ALLOW_MLOCK,
	ALLOW_RESERVED_PORTS,
	ALLOW_READ_MSGBUF,
	ALLOW_UNPRIV_DEBUG,
	ALLOW_SUSER,
	ALLOW_SETTIME,
	ALLOW_ADJTIME,
	ALLOW_NBITS
};
#define ALLOW(b)	(UINT64_C(1) << (b))

/* Default and mutability: the parameter table's (conf.h). */
struct allow_name {
	const char	*name;		/* "allow.set_hostname" */
	enum allow_bit	 bit;
};
extern const struct allow_name allow_names[];	/* ALLOW_NBITS entries */

/* exec.* hook lists, in the order jail(8) runs them. */
enum hook {
	HOOK_PREPARE,
	HOOK_PRESTART,
	HOOK_CREATED,
	HOOK_START,
	HOOK_COMMAND,
	HOOK_POSTSTART,
	HOOK_PRESTOP,
	HOOK_STOP,
	HOOK_POSTSTOP,
	HOOK_RELEASE,
	HOOK_NHOOKS
};
extern const char *const hook_names[];		/* "exec.prepare", ..., "command" */
bool hook_in_jail(enum hook);			/* start, command, stop */

/*
 * exec.timeout when not set, for exec.start and exec.stop: what the
 * jail's own rc scripts can make the host's jail(8) wait for.
 * FreeBSD waits forever; an explicit exec.timeout = 0 still does.
 */
#define EXEC_TIMEOUT_IN_JAIL	300

struct jail_spec {
	int		 jid;		/* 0: the next free (registry_alloc_jid) */
	char		*name;		/* NULL when neither name nor jid is
					   set: the jid, once allocated */
	char		*label;		/* what jail(8)'s notes and messages
					   call it: the block's name in
					   jail.conf; NULL for a command-line
					   jail, which they name by nothing */
	char		*who;		/* "label: ", or "": spec_set_label */
	char		*path;
	char		*hostname;	/* NULL: empty, as in FreeBSD (the
					   init clears the name the new UTS
					   namespace copied from the host) */
	char		*domainname;
	char		*hostuuid;
	bool		 persist;
	int		 securelevel;	/* -1: none */
	int		 devfs_ruleset;
	int		 enforce_statfs;
	int		 children_max;
	uint64_t	 allow;		/* ALLOW() bits */
	bool		 mount_devfs;
	bool		 mount_procfs;
	struct strlist	 mount_fstab;	/* fstab files */
	struct strlist	 mount;		/* fstab-format lines */
	struct strlist	 hooks[HOOK_NHOOKS];
	bool		 exec_clean;
	char		*exec_jail_user;
	char		*exec_system_user;
	char		*exec_system_jail_user;	/* a boolean in jail(8):
					   non-NULL ("true") when set */
	char		*exec_consolelog;
	int		 exec_timeout;	/* seconds, 0: none, -1: not set */
	int		 stop_timeout;	/* seconds */
	struct jnet	 net;		/* vnet, ip4, ip6, their addresses
					   (with ip_hostname's, once
					   jail_net_prepare has added them:
					   the record keeps them so) */
	bool		 host_inherit;	/* host=inherit: the host's UTS names */
	enum {
		IDMAP_DEFAULT,		/* gaol.idmap unset: create decides */
		IDMAP_PRIVATE,		/* a range of host ids of its own */
		IDMAP_IDENTITY,		/* the host's ids (or its parent's) */
	}		 idmap;
	unsigned long	 uid_base;	/* private: host id of its uid 0 */
	struct strlist	 vnet_interface;
	struct strlist	 depend;
	bool		 caps_set;	/* gaol.capabilities is set: the */
	uint64_t	 caps;		/* bounding set is gaol's cut to
					   these bits (by number) */
	struct jparams	 params;	/* everything, as resolved */
};

/*
 * The typed form of a list whose values the table has checked
 * (jconf_resolve, jparam_check, or a registry record, written from one):
 * values are read, not checked again.  What is unset takes the table's
 * default (param_default).  Fails, naming the jail, on what only the
 * parameters together say: a numeric name that is not the jid, an
 * address without its family, an address listed twice.
 */
int	spec_from_params(struct jail_spec *, const struct jparams *);
/*
 * The same for a running jail, from its registry record's list and the
 * addresses the record holds already parsed (struct jrecord's net):
 * no address is read from text again.
 */
int	spec_from_record(struct jail_spec *, const struct jparams *,
	    const struct jnet *);
void	spec_free(struct jail_spec *);

/* Name the jail in notes and messages (NULL: name it by nothing). */
void	spec_set_label(struct jail_spec *, const char *label);

/*
 * What jail -m can change that each new process of a running jail takes
 * when it starts: the table's PF_LIVE parameters (securelevel, allow.*
 * but allow.mount and allow.mount.*, gaol.capabilities), as the record
 * sets them.  jexec sends them (spec_live), the init's child lays them
 * over the spec the init was made with (spec_take_live).  The list is
 * the table's flag, not written here: a parameter marked PF_LIVE is
 * sent and taken, test_spec's test_live_table checks both ends.
 */
struct jail_live {
	struct jparams	 params;	/* PF_LIVE parameters only */
};
void	spec_live(struct jail_live *, const struct jparams *);
void	spec_live_free(struct jail_live *);
/*
 * Lay them over a spec: its list, and the typed fields read from them
 * (by the reader spec_from_params uses).  A parameter without PF_LIVE
 * is ignored, whatever a request says: what is fixed at creation stays
 * the spec's (a sealed jail stays sealed).
 */
void	spec_take_live(struct jail_spec *, const struct jail_live *);

/*
 * Capability names (caps.c), read once, where gaol.capabilities is
 * checked (jparam_check) and typed (spec_from_params, spec_live).
 * "CAP_NET_RAW" or "net_raw": its number, -1 if unknown; a number's
 * name ("net_raw"), NULL past the known ones; names into a set of bits,
 * -1 naming WHAT for an unknown one ("" is no capability).
 */
int	cap_by_name(const char *);
const char *cap_name(int);
int	cap_set_parse(const struct strlist *, uint64_t *, const char *what);

#endif
