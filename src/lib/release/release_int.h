/* Shared between the files of src/lib/release only. */
#ifndef GAOL_RELEASE_INT_H
#define GAOL_RELEASE_INT_H

#include <stdio.h>
#include "release.h"

/* manage.c: run a tool; quiet sends its output to /dev/null. */
int	 release_run(char *const argv[], bool quiet);

/* tarball.c */
bool	 tarball_is_url(const char *);
/*
 * Download URL into the file path (created), checking sha256 when given
 * (lowercase hex); -1 with the message set.
 */
int	 tarball_download(const char *url, const char *path,
	    const struct release_opts *);
/* A digest of len bytes as 2*len hex digits and a NUL, into out. */
void	 digest_hex(const unsigned char *md, unsigned len, char *out);
/* Check a local file's sha256; -1 with "checksum mismatch" set. */
int	 tarball_verify(const char *path, const char *sha256,
	    const struct release_opts *);
/* Extract a tarball into the existing empty directory dir. */
int	 tarball_extract(const char *path, const char *dir,
	    const struct release_opts *);

/* progress.c: a step's progress, to the caller's opts->progress. */
struct progress {
	struct release_progress	 now;
	const struct release_opts *o;
	int			 last;	/* last permille told */
};
void	 progress_start(struct progress *, const char *what,
	    unsigned long long total, const struct release_opts *);
void	 progress_update(struct progress *, unsigned long long done);
void	 progress_end(struct progress *, bool ok);

#endif
