#ifndef GAOL_SELFEXE_H
#define GAOL_SELFEXE_H

/*
 * Re-execute the running program from a read-only mount of its own
 * binary unless it already runs from one; call first thing in main() of
 * every program that enters a jail.  Returns -1 (message set) on failure.
 */
int	selfexe_protect(char **argv);

#endif
