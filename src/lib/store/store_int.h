/*
 * The storage backend interface: one struct of operations a backend,
 * one file a backend (dir.c, overlay.c, btrfs.c).  A zfs backend is one
 * more file and one more line in store.c's table.  Every operation
 * returns 0, or -1 with the message set.
 */
#ifndef GAOL_STORE_INT_H
#define GAOL_STORE_INT_H

#include "store.h"

struct store_ops {
	const char *name;
	/* Whether this backend can keep its data at path (detection). */
	bool	(*usable)(const char *path);
	/* An empty release root / removing one. */
	int	(*release_new)(const char *path);
	int	(*release_destroy)(const char *path);
	/*
	 * j->root from the release at relpath; j->thin says which kind.
	 * A backend without thin jails clears j->thin.
	 */
	int	(*jail_new)(struct sjail *j, const char *relpath);
	/* Remove what jail_new, snapshots and clone made under j->dir. */
	int	(*jail_destroy)(const struct sjail *j);
	/* Lines for the jail's jail.conf block (overlay's mount hooks). */
	void	(*jail_conf)(const struct sjail *j, FILE *);
	/* Make the root usable by gaol itself (mount it), and undo. */
	int	(*root_open)(const struct sjail *j);
	void	(*root_close)(const struct sjail *j);
	int	(*snap_new)(const struct sjail *j, const char *snap);
	int	(*snap_destroy)(const struct sjail *j, const char *snap);
	int	(*rollback)(const struct sjail *j, const char *snap);
	/* to->root (and its other parts) from from's current state. */
	int	(*clone)(const struct sjail *from, struct sjail *to);
	/* The native stream of the root ("btrfs", "tar"); NULL: tar. */
	const char *stream;
	int	(*send)(const struct sjail *j, int fd);
	int	(*receive)(struct sjail *j, int fd);
	/* An empty root for a tarball; NULL: mkdir. */
	int	(*root_new)(const char *path);
	int	(*set_quota)(const struct sjail *j, const char *size);
	/* Space kept for the jail alone (zfs's reservation); NULL: none. */
	int	(*set_reservation)(const struct sjail *j, const char *size);
	int	(*set_compression)(const struct sjail *j, const char *algo);
	/* A thin root made a full one of its own; NULL: it already is. */
	int	(*convert)(struct sjail *j);
};

extern const struct store_ops store_dir, store_overlay, store_btrfs;
const struct store_ops *store_ops_find(const char *name);

/* store.c's, for export.c. */
char	*meta_get(const struct sjail *, const char *key);
int	meta_set(const struct sjail *, const char *key, const char *value);
int	check_new(const char *name);
const struct store_ops *jail_ops(const struct sjail *);
typedef int (*fill_fn)(struct sjail *, const struct store_ops *, void *);
int	make_jail(struct sjail *, const struct store_ops *, fill_fn, void *);

/* Shared by backends (store.c, tree.c). */
/* Run a host tool; a non-zero exit is "what: tool failed (exit N)". */
int	tool_run(char *const argv[], int in, int out, const char *what);
int	tree_copy(const char *from, const char *to);	/* to need not exist */
int	tree_remove(const char *path);		/* rm -rf within $GAOL_DATADIR */
/*
 * Replace target by a copy of from, swapped in whole; copy and drop
 * are the backend's (tree_copy and tree_remove, or btrfs subvolumes').
 */
int	tree_replace(const char *target, const char *from,
	    int (*copy)(const char *, const char *), int (*drop)(const char *));
int	tar_send(const char *root, int fd);
int	tar_receive(const char *root, int fd);
/* Subdirectories of dir, sorted, without dot entries, added to out. */
void	list_subdirs(const char *dir, struct strlist *out);
char	*snap_path(const struct sjail *j, const char *tag);
int	dir_jail_new(struct sjail *j, const char *relpath);
int	dir_snap_new(const struct sjail *j, const char *snap);
int	dir_rollback(const struct sjail *j, const char *snap);
int	dir_clone(const struct sjail *from, struct sjail *to);

#endif
