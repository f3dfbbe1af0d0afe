/*
 * devfs(5) rulesets in FreeBSD's devfs.rules(5) syntax, and the /dev a
 * ruleset gives a jail.  Used by the jail's /dev (devfs.c) and by the
 * kernel-side device policy (devcgroup.c), and tested on its own.
 */
#ifndef GAOL_DEVFS_H
#define GAOL_DEVFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum devfs_type { DT_ANY, DT_DISK, DT_MEM, DT_TAPE, DT_TTY };

struct devfs_rule {
	char		*pattern;	/* fnmatch(3) FNM_PATHNAME; NULL: any */
	enum devfs_type	 type;
	int		 action;	/* DA_* bits */
	char		*include;	/* "$name" or "N", looked up when used */
	int		 num;		/* rule number: rules run in its order */
	mode_t		 mode;
	char		*user;
	char		*group;
	char		*file;		/* where it was written */
	int		 line;
};
#define DA_HIDE		0x01
#define DA_UNHIDE	0x02
#define DA_INCLUDE	0x04
#define DA_MODE		0x08
#define DA_USER		0x10
#define DA_GROUP	0x20

struct devfs_ruleset {
	int			 num;
	char			*name;
	struct devfs_rule	*rules;
	size_t			 n;
};

struct devfs_rules {
	struct devfs_ruleset	*v;
	size_t			 n;
	char			*path;	/* the file, for messages */
};

/* One device as the rules see it: "null", "pts/0", "dri/card0". */
struct devfs_node {
	const char	*name;
	mode_t		 kind;		/* S_IFCHR, S_IFBLK, S_IFDIR, S_IFLNK */
	dev_t		 rdev;
};

/* FreeBSD's default rulesets 1-5, device names mapped to Linux. */
extern const char devfs_builtin_rules[];

/* Built-ins, then path (a missing file is fine).  Errors name file:line. */
int	devfs_rules_load(struct devfs_rules *, const char *path);
/* Add the rulesets in text (a later [name=N] replaces an earlier N). */
int	devfs_rules_parse(struct devfs_rules *, const char *text,
	    const char *file);
void	devfs_rules_free(struct devfs_rules *);

/* "devfs_ruleset 10: no such ruleset in /etc/devfs.rules" when absent. */
int	devfs_ruleset_check(const struct devfs_rules *, int num);
/* 1 visible, 0 hidden, -1 error.  Ruleset 0 shows everything. */
int	devfs_visible(const struct devfs_rules *, int num,
	    const struct devfs_node *);

/* The /dev a ruleset gives: what to bind, link or mount. */
enum devfs_kind { DN_BIND, DN_DIR, DN_LINK, DN_PTS };
struct devfs_entry {
	char		*name;		/* relative to /dev */
	enum devfs_kind	 kind;
	dev_t		 rdev;		/* DN_BIND */
	const char	*link;		/* DN_LINK */
};
struct devfs_plan {
	struct devfs_entry	*v;
	size_t			 n;
	bool			 all;	/* ruleset 0: every character device */
};

/* Evaluate ruleset num over the host's hostdev ("/dev"). */
int	devfs_plan_make(const struct devfs_rules *, int num,
	    const char *hostdev, struct devfs_plan *);
/* Load $GAOL_SYSCONFDIR/devfs.rules and make the plan for "/dev". */
int	devfs_plan_load(int num, struct devfs_plan *);
void	devfs_plan_free(struct devfs_plan *);

#endif
