/*
 * rc.conf(5)-style files: NAME=value lines as sh reads them, without
 * expansion.  The file is kept as its lines, so that a change rewrites
 * one line and leaves comments, order and everything else as it was
 * (what sysrc(8) promises).  Used by sysrc, gaol.conf and the release
 * tools.
 *
 * What a line may hold: blank, a '#' comment, or NAME=VALUE with VALUE
 * bare (up to a blank or '#'), "double-quoted" (\" \\ \$ \` escapes) or
 * 'single-quoted', optionally after "export " and followed by a comment.
 * Other lines (sh code) are kept and ignored.  The last assignment of a
 * name wins, as in sh.
 */
#ifndef GAOL_RCCONF_H
#define GAOL_RCCONF_H

#include <stdbool.h>
#include "../util/util.h"

struct rcconf {
	char		*path;		/* for messages */
	struct strlist	 lines;		/* without their newlines */
	bool		 changed;
};

/*
 * Read a file from fd (closed after), named display in messages; fd -1
 * with errno ENOENT reads as an empty file, so that the caller can pass
 * its open(2)'s result straight in.  -1 with the message set on errors.
 */
int	 rcconf_load_fd(struct rcconf *, int fd, const char *display);
int	 rcconf_load(struct rcconf *, const char *path);
void	 rcconf_free(struct rcconf *);

/* The value NAME has (the last assignment, malloc'd), or NULL when unset. */
char	*rcconf_get(const struct rcconf *, const char *name);
/* The names set, each once, sorted as sh's set(1) lists them. */
void	 rcconf_names(const struct rcconf *, struct strlist *);

/*
 * Set NAME: the last line assigning it is replaced, or NAME="value" is
 * appended.  Unset removes every assignment of NAME (false when there
 * was none).
 */
void	 rcconf_set(struct rcconf *, const char *name, const char *value);
bool	 rcconf_unset(struct rcconf *, const char *name);

/*
 * Write the lines back in place of the file NAME of the directory dirfd,
 * atomically (a temporary file in the same directory, renamed over it:
 * a symlink is replaced, never followed), keeping the old file's mode
 * and owner (0644 root for a new one).
 */
int	 rcconf_save_at(const struct rcconf *, int dirfd, const char *name);
int	 rcconf_save(const struct rcconf *, const char *path);

/* Whether NAME is a valid sh variable name. */
bool	 rcconf_name_ok(const char *);
/* One file's value of NAME (malloc'd), NULL when unset or unreadable. */
char	*rcconf_file_get(const char *path, const char *name);
/* Whether a value means yes, as rc.subr's checkyesno: YES TRUE ON 1. */
bool	 rcconf_yes(const char *);

#endif
