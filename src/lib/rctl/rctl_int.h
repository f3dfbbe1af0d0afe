/* Shared between the files of src/lib/rctl; not part of the API. */
#ifndef GAOL_RCTL_INT_H
#define GAOL_RCTL_INT_H

#include "rctl.h"
#include "../util/util.h"

const struct cgroup_dir *rctl_cgdir(const struct rjail *,
	    const char *ctl, const char *res);
bool	 rctl_cgfile_exists(const struct cgroup_dir *, const char *file);
int	 rctl_block_devices(struct strlist *);	/* "maj:min" of whole disks */
/* Not a CLONE_* namespace flag: see rctl_in_jail. */
#define	RCTL_NS_MOUNTS_OWNER	0x1
int	 rctl_in_jail(const struct rjail *, int nsflags,
	    int (*fn)(int fd, void *), void *arg, char **outp);
/* Cumulative bytes and operations read and written: [rb, wb, rio, wio]. */
int	 rctl_io_totals(const struct rjail *, int64_t tot[4]);

void	 rctl_log_error(const struct rjail *, const char *);
bool	 rctl_jail_has_devpts(const struct rjail *);
/* Put the pseudoterminals rule in effect (not done while starting). */
int	 rctl_apply_pty(const struct rjail *, const struct rruleset *);

#endif
