/*
 * gaol jcp SRCJAIL PATH TARGET PATH: a file or tree from one jail into
 * others; gaol rcp JAIL PATH HOSTPATH: from a jail to the host.  The
 * source is resolved inside its jail's root and copied as links, never
 * followed (copy_to_root), so a jail cannot hand over a host file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaol.h"

/* The source: its directory in the jail's root, and its last name. */
struct source {
	const char	*jail;
	char		*path;		/* cleaned, absolute */
	char		*base;
	int		 dir;		/* O_PATH, inside the root */
};

static int
source_open(struct source *s, const char *jail, const char *path)
{
	char *parent, *slash;
	int root;

	s->jail = jail;
	/* Cleaned as text: no ".." is left to climb out of the root. */
	parent = *path == '/' ? xstrdup(path) : xasprintf("/%s", path);
	s->path = path_clean(parent);
	free(parent);
	if (strcmp(s->path, "/") == 0) {
		gerr_set("%s: %s: name a file or directory in the jail", jail,
		    path);
		free(s->path);
		return -1;
	}
	slash = strrchr(s->path, '/');
	s->base = xstrdup(slash + 1);
	parent = xstrndup(s->path, (size_t)(slash - s->path));
	if ((root = jail_rootfd(jail)) == -1) {
		free(parent);
		free(s->path);
		free(s->base);
		return -1;
	}
	s->dir = root_open(root, *parent != '\0' ? parent : "/",
	    O_PATH | O_DIRECTORY);
	close(root);
	free(parent);
	if (s->dir == -1) {
		gerr_set_errno("%s: %s", jail, s->path);
		free(s->path);
		free(s->base);
		return -1;
	}
	return 0;
}

static void
source_close(struct source *s)
{
	close(s->dir);
	free(s->path);
	free(s->base);
}

struct jcp_args {
	struct source	*src;
	const char	*dst;
};

static int
jcp_one(const char *name, void *arg)
{
	const struct jcp_args *a = arg;
	int root, r;

	if ((root = jail_rootfd(name)) == -1)
		return -1;
	r = copy_to_root(a->src->dir, a->src->base, a->src->path, root,
	    a->dst);
	close(root);
	if (r == -1) {
		char *msg = xstrdup(gerr_msg());

		gerr_set("%s: %s", name, msg);
		free(msg);
	} else
		printf("%s:%s -> %s:%s\n", a->src->jail, a->src->path, name,
		    a->dst);
	return r;
}

static int
run_jcp(int argc, char **argv)
{
	struct source src;
	struct jcp_args a = { &src, NULL };
	int r;

	while (verb_getopt(&verb_jcp, argc, argv, "") != -1)
		;
	if (argc - optind != 4)
		usage_error(&verb_jcp);
	argv += optind;
	if (source_open(&src, argv[0], argv[1]) == -1)
		lib_fail();
	a.dst = argv[3];
	r = target_each(argv[2], 0, jcp_one, &a);
	source_close(&src);
	return r;
}

static int
run_rcp(int argc, char **argv)
{
	struct source src;
	char *dst, *cwd;
	int host, r;

	while (verb_getopt(&verb_rcp, argc, argv, "") != -1)
		;
	if (argc - optind != 3)
		usage_error(&verb_rcp);
	argv += optind;
	if (source_open(&src, argv[0], argv[1]) == -1)
		lib_fail();
	/* The host's tree is "/": a relative path is made absolute. */
	if (argv[2][0] == '/')
		dst = xstrdup(argv[2]);
	else {
		cwd = getcwd(NULL, 0);
		dst = xasprintf("%s/%s", cwd != NULL ? cwd : "", argv[2]);
		free(cwd);
	}
	if ((host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		gerr_set_errno("/");
	r = host == -1 ? -1 : copy_to_root(src.dir, src.base, src.path, host,
	    dst);
	if (host >= 0)
		close(host);
	if (r == 0)
		printf("%s:%s -> %s\n", src.jail, src.path, argv[2]);
	else
		fprintf(stderr, "gaol: %s: %s\n", src.jail, gerr_msg());
	free(dst);
	source_close(&src);
	return r == 0 ? 0 : 1;
}

const struct verb verb_jcp = {
	.name = "jcp", .args = "jail path target path", .run = run_jcp,
	.help =
	    "Copy a file or tree from one jail into each jail of target,\n"
	    "keeping modes, owners and times (gaol cp's rules for the\n"
	    "destination).  Both paths are resolved inside their jail's root;\n"
	    "symbolic links are copied as links, never followed.\n",
};

const struct verb verb_rcp = {
	.name = "rcp", .args = "jail path hostpath", .run = run_rcp,
	.help =
	    "Copy a file or tree from a jail to the host, keeping modes,\n"
	    "owners and times.  The jail's path is resolved inside its root;\n"
	    "symbolic links are copied as links, never followed.\n",
};
