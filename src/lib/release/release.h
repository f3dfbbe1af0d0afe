/*
 * Releases: the root filesystems jails are made from (base.txz and
 * `bastille bootstrap` on FreeBSD).  Where they live and how they are
 * stored (a subvolume on btrfs) is src/lib/store's; this is where their
 * contents come from:
 *   busybox		built offline from the host's static busybox
 *   SUITE		a Debian or Ubuntu suite, through debootstrap(8)
 *   FILE or URL	a root filesystem tarball (tar or cpio, in xz, gzip,
 *			zstd, bzip2 or none), read with libarchive; http(s)
 *			through libcurl
 * A failure removes what was made; a killed bootstrap leaves a marker
 * (.NAME.part-PID) by which the next one removes the partial release.
 * Every release gets gaol's small rc (release_install_rc).
 * docs/design/releases.md.
 */
#ifndef GAOL_RELEASE_H
#define GAOL_RELEASE_H

#include <stdbool.h>
#include "../util/util.h"

/*
 * How far a long step is, for the caller to show (the library draws
 * nothing): what ("downloading", "checking", "extracting"), bytes done
 * of total (0: not known), and whether the step has ended.
 */
struct release_progress {
	const char		*what;
	unsigned long long	 done, total;
	enum { RP_RUNNING, RP_DONE, RP_FAILED } stage;
};

struct release_opts {
	bool		 quiet;		/* no progress, no tool output */
	/* Told as a step starts, as it moves (at most once a permille
	   when the total is known) and as it ends; NULL: nobody is. */
	void		(*progress)(const struct release_progress *, void *);
	void		*progress_arg;
	const char	*sha256;	/* expected digest of the tarball */
	const char	*include;	/* debootstrap: extra packages, a,b,c */
	const char	*mirror;	/* debootstrap: the mirror's URL */
};

/*
 * The name a source gets when none is given: "busybox", the suite, or
 * the tarball's file name without .tar.xz and the like.
 */
char	*release_default_name(const char *source);

/* Make release NAME from SOURCE.  -1 with the message set. */
int	 release_bootstrap(const char *source, const char *name,
	    const struct release_opts *);

/*
 * Apply the release's own package updates (apt-get in a Debian
 * release, a fresh busybox in a busybox one), in a jail made for it that
 * starts no service.
 */
int	 release_update(const char *name, const struct release_opts *);

/* The space a release's files take, as du(1) counts it. */
unsigned long long release_bytes(const char *name);

/* gaol's small rc (/etc/rc, rc.shutdown, rc.subr, rc.d, service,
 * policy-rc.d) into the root filesystem at path. */
int	 release_install_rc(const char *root);

/*
 * The release's manifest ($GAOL_DATADIR/manifests/NAME): every file's
 * type, mode, owner and sha256 (a symlink's target), written by
 * bootstrap and update (manifest.c).  verify compares the release with
 * it and adds one line a difference to report ("content: /bin/sh",
 * "missing: /etc/x", "new: /etc/y", "mode: ...", "owner: ..."); with no
 * manifest yet it writes one and sets *wrote.
 */
int	 release_manifest_write(const char *name);
void	 release_manifest_remove(const char *name);
int	 release_verify(const char *name, struct strlist *report, bool *wrote);

#endif
