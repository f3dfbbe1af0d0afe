/*
 * Libraries that only some commands need, opened when first needed:
 * linking them would make every front end (jexec too) load them, and
 * their dependencies, at every start.  docs/design/nftables.md.
 */
#ifndef GAOL_DL_H
#define GAOL_DL_H

#include <stddef.h>

struct dl_sym {
	const char	 *name;
	void		**fn;		/* where its address goes */
};

/* One symbol of the table: DL_SYM(nft_ctx_new) fills sym_nft_ctx_new. */
#define DL_SYM(f)	{ #f, (void **)&sym_##f }

/*
 * Open soname (once: later calls return at once) and resolve every
 * symbol of syms.  On failure nothing is kept, and the message names
 * the library and what needs it: "libnftables.so.1 (for NAT and rdr):
 * ...".
 */
int	dl_open(const char *soname, const char *purpose,
	    const struct dl_sym *syms, size_t n);

#endif
