/*
 * Users of a jail, read from the jail's own /etc/passwd and /etc/group.
 * getpwnam(3) is not used inside a jail: NSS would load modules from the
 * jail's /lib into a process that still holds the host's privileges.
 */
#ifndef GAOL_PASSWD_H
#define GAOL_PASSWD_H

#include <sys/types.h>

struct juser {
	char	*name;
	uid_t	 uid;
	gid_t	 gid;
	char	*home;
	char	*shell;
	gid_t	*groups;	/* supplementary, from /etc/group */
	size_t	 ngroups;
};

/* Look up name (or a numeric uid) in root's etc/passwd. */
int	juser_lookup(const char *root, const char *name, struct juser *);
void	juser_free(struct juser *);

#endif
