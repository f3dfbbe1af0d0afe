/*
 * Small helpers shared by every part of gaol: allocation that cannot
 * fail, growable string lists, the library's error message, and the
 * overridable directories of DESIGN.md.
 */
#ifndef GAOL_UTIL_H
#define GAOL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define GAOL_PRINTF(a, b) __attribute__((format(printf, a, b)))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) GAOL_PRINTF(1, 2);
/* open_memstream(3), which fails only when memory is short. */
FILE	*xopen_memstream(char **, size_t *);

/*
 * Released when the variable goes out of scope, whichever way the
 * function leaves: the compiler's cleanup attribute, as systemd and crun
 * use it, for long functions with many ways out.
 *	char *path AUTO_FREE = NULL;
 * errno is kept across the release.
 */
void	 freep(void *);			/* free(*(void **)p) */
#define AUTO_FREE	__attribute__((cleanup(freep)))
void	 closep(int *);			/* close(*p) unless it is -1 */
#define AUTO_CLOSE	__attribute__((cleanup(closep)))

/* An ordered list of owned strings. */
struct strlist {
	char	**v;
	size_t	  n;
	size_t	  cap;
};
void	 strlist_add(struct strlist *, const char *);
void	 strlist_addn(struct strlist *, char *);	/* takes ownership */
void	 strlist_clear(struct strlist *);
void	 strlist_copy(struct strlist *, const struct strlist *);
bool	 strlist_has(const struct strlist *, const char *);
char	*strlist_join(const struct strlist *, const char *);

/*
 * Library functions report failure by returning -1 (or NULL) after
 * setting one message, which the front end prints after its own name,
 * as in "jail: webserver: not found".  errno is preserved.
 */
void	 gerr_set(const char *, ...) GAOL_PRINTF(1, 2);
void	 gerr_setv(const char *, va_list);
void	 gerr_set_errno(const char *, ...) GAOL_PRINTF(1, 2);	/* appends ": strerror" */
const char *gerr_msg(void);
/*
 * The error's context, put in front of its message as written:
 * gerr_prefix("%s line %d: ", file, line) makes "syntax error" say
 * where.  The one way to add a jail, file or line to a message.
 */
void	 gerr_prefix(const char *, ...) GAOL_PRINTF(1, 2);
/*
 * Cleanup that may fail itself, run without losing the error being
 * reported: char *e = gerr_save(); undo...; gerr_restore(e);
 */
char	*gerr_save(void);
void	 gerr_restore(char *);		/* sets it again, and frees it */

/*
 * What the library has to say besides the error it returns: a warning
 * (by default on stderr after the program's name, err(3)'s warnx) or a
 * note (a line on stdout, jail(8)'s "web: created").  The library never
 * prints itself; a front end that wants them elsewhere says where.
 */
enum greport { GREPORT_WARN, GREPORT_NOTE };
typedef void (*greport_fn)(enum greport, const char *msg);
void	 greport_set(greport_fn);
void	 gwarn(const char *, ...) GAOL_PRINTF(1, 2);
void	 gnote(const char *, ...) GAOL_PRINTF(1, 2);

/* The directories of DESIGN.md, each overridable by its GAOL_* variable. */
const char *gaol_sysconfdir(void);
const char *gaol_datadir(void);
const char *gaol_rundir(void);
const char *gaol_logdir(void);
const char *gaol_cgroup(void);

/* Files. */
int	 mkdir_p(const char *, mode_t);
char	*read_file(const char *, size_t *);	/* NUL-terminated, NULL on error */
char	*read_fd(int fd, const char *name, size_t *);	/* to EOF; name for messages */
/* Read path now; read_file in this process (and its forks) answers from
 * that copy, so the file need not be reachable any more. */
void	 file_keep(const char *);
int	 write_file_atomic(const char *, const char *, size_t, mode_t);
/*
 * The same in the directory dirfd, never through a symlink (the
 * temporary file is made with O_EXCL|O_NOFOLLOW and renamed over name,
 * replacing a symlink there), with mode and owner (-1: unchanged).
 */
int	 write_file_at(int dirfd, const char *name, const char *, size_t,
	    mode_t, uid_t, gid_t);
int	 write_str(const char *, const char *);	/* for /proc and cgroup files */
int	 write_full(int fd, const char *, size_t);	/* through EINTR and short writes */
/* Whether this process sees a procfs at /proc: a jail without
 * mount.procfs has none, and its tools must do without. */
bool	 proc_mounted(void);
/*
 * Open PATH inside the directory rootfd as if rootfd were "/" (openat2
 * RESOLVE_IN_ROOT): no "..", absolute or relative symlink leads out.
 * root_mkdirs makes what is missing of a directory path the same way
 * and returns an O_PATH descriptor of it.  -1 with errno, no message.
 */
int	 root_open(int rootfd, const char *path, int flags);
int	 root_mkdirs(int rootfd, const char *path);
/* An absolute path with "//", "." and ".." folded away, by its text alone. */
char	*path_clean(const char *);
/* Whether path lies at or below dir (both cleaned). */
bool	 path_within(const char *path, const char *dir);

/*
 * Run argv (searched in PATH) with stdin from in_fd and stdout to
 * out_fd (-1: inherited) and wait.  Returns the exit status, 128+signal,
 * or -1 when it could not run (message set).  (run.c)
 */
int	 run_argv(char *const argv[], int in_fd, int out_fd);

/* Integers as FreeBSD's jail(8) reads them. */
int	 parse_int(const char *, long long *);
bool	 parse_bool(const char *, bool *);
/* A number as FreeBSD's humanize_number(3) prints it: 5 columns. */
void	 humanize(int64_t, char *buf, size_t);

#endif
