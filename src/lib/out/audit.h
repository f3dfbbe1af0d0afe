/*
 * The audit log of commands run inside jails (DESIGN.md: "every jexec
 * is logged").  Each entry is two lines in $GAOL_LOGDIR/LOG sharing one
 * id: "start" before the command runs, so a jexec killed with -9 still
 * leaves a trace, and "end" with the exit status after it finishes.
 *
 *   2026-05-01T12:00:00Z id=18c2f0a1b2c3-4242 event=start prog=jexec
 *       uid=0 user=root jid=1 jail=web as=- cmd=/bin/sh -c 'ls /'
 *   2026-05-01T12:00:01Z id=18c2f0a1b2c3-4242 event=end prog=jexec
 *       uid=0 user=root jid=1 jail=web as=- status=0
 *
 * (one line each).  Values are quoted as sh(1) would read them; cmd=
 * is always last and holds the command words, each quoted, or "-" for
 * the user's login shell.
 */
#ifndef GAOL_AUDIT_H
#define GAOL_AUDIT_H

struct audit {
	const char	*log;	/* file under $GAOL_LOGDIR, e.g. "jexec.log" */
	const char	*prog;	/* who enters: "jexec", "gaol console" */
	int		 jid;
	const char	*jname;
	const char	*as;	/* the user it runs as; NULL: jail root */
	char *const	*argv;	/* NULL: the user's shell */
	char		 id[48];	/* set by audit_begin */
};

/* Both return -1 with the message set when the line was not written. */
int	audit_begin(struct audit *);
int	audit_end(const struct audit *, int status);

#endif
