/*
 * The OCI runtime: a container is a jail.  config.json of runtime spec
 * 1.x becomes jail parameters (config.c); a container's own state lives
 * in a directory under the runtime's root (state.c); the lifecycle
 * create -> start -> stopped -> delete is run over the jail library
 * (run.c).  docs/design/oci-runtime.md says why it is shaped so.
 */
#ifndef GAOL_OCI_H
#define GAOL_OCI_H

#include <stdbool.h>
#include <sys/types.h>
#include "../conf/conf.h"
#include "../jail/jail.h"

#define OCI_VERSION	"1.0.2"

/* The hooks of the runtime spec, in the order they run. */
enum oci_hook_kind {
	OCI_PRESTART,
	OCI_CREATE_RUNTIME,
	OCI_CREATE_CONTAINER,
	OCI_START_CONTAINER,
	OCI_POSTSTART,
	OCI_POSTSTOP,
	OCI_NHOOKS
};

struct oci_hook {
	char		*path;
	struct strlist	 args;	/* argv, argv[0] included */
	struct strlist	 env;
	int		 timeout;	/* seconds, 0: none */
};

struct oci_process {
	struct strlist	 args;
	struct strlist	 env;
	char		*cwd;
	char		*user;		/* username (a name of the jail's passwd) */
	bool		 has_ids;	/* process.user: uid, gid, groups, umask */
	struct enter_ids ids;
	gid_t		*groups;	/* ids.groups */
	bool		 has_caps;	/* process.capabilities */
	struct cap_sets	 caps;
	bool		 no_new_privs;	/* process.noNewPrivileges */
	bool		 terminal;
};

struct oci_config {
	char		*bundle;	/* absolute */
	struct oci_process proc;
	struct jparams	 params;	/* the jail's parameters */
	struct strlist	 rctl;		/* "memoryuse:deny=64M", ... */
	char		*netns;		/* a network namespace to join */
	struct oci_hook	*hooks[OCI_NHOOKS];
	size_t		 nhooks[OCI_NHOOKS];
	struct strlist	 annotations;	/* "key=value" */
	struct strlist	 notes;		/* fields not honoured, for the log */
	char		*seccomp;	/* linux.seccomp as gaol.seccomp's text */
};

/*
 * Read BUNDLE/config.json for container ID; every field is honoured,
 * mapped or refused as docs/oci.md says.  A refused or malformed field
 * is an error naming the file and the field.
 */
int	oci_config_load(const char *bundle, const char *id, struct oci_config *);
void	oci_config_free(struct oci_config *);
/* A process object (exec --process FILE). */
int	oci_process_load(const char *file, struct oci_process *);
void	oci_process_free(struct oci_process *);

/* What `state` says and what the lifecycle decides on. */
enum oci_status { OCI_CREATING, OCI_CREATED, OCI_RUNNING, OCI_PAUSED,
	OCI_STOPPED };
extern const char *const oci_status_names[];

struct oci_state {
	char		*id;
	char		*bundle;
	char		*dir;		/* ROOT/ID */
	char		*jail;		/* the jail's name (ID, or PARENT.ID) */
	pid_t		 pid;		/* the holder: see run.c */
	unsigned long long pid_start;
	char		*created;	/* RFC 3339 */
	struct strlist	 annotations;
	enum oci_status	 status;	/* computed by oci_state_load */
};

/* The runtime's root (--root); made on first use. */
void	oci_set_root(const char *);
const char *oci_root(void);
/* ROOT/gaol-oci.conf's GAOL_* directories into the environment. */
int	oci_load_dirs(void);

int	oci_state_load(const char *id, struct oci_state *);
int	oci_state_save(const struct oci_state *);
void	oci_state_free(struct oci_state *);
/* The state JSON of the runtime spec, newline-terminated. */
char	*oci_state_json(const struct oci_state *);
/* The ids under the root, sorted. */
int	oci_list(struct strlist *);
/* Whether an id is one we take: [A-Za-z0-9][A-Za-z0-9_.-]*, not "." */
bool	oci_id_valid(const char *);

/* The lifecycle (run.c).  Each returns 0 or -1 with the message set. */
struct oci_create_opts {
	const char	*bundle;
	const char	*pid_file;
	const char	*console_socket;
	bool		 run;		/* `run`: start at once and wait */
	bool		 detach;	/* `run -d` */
};
/* create (and run); *statusp gets run's exit status. */
int	oci_create(const char *id, const struct oci_create_opts *, int *statusp);
int	oci_start(const char *id);
int	oci_kill(const char *id, int sig, bool all);
int	oci_delete(const char *id, bool force);
int	oci_pause(const char *id, bool pause);
/* Host pids of the jail's processes. */
int	oci_pids(const char *id, pid_t **, size_t *);

struct oci_exec_opts {
	const struct oci_process *proc;
	const char	*pid_file;
	const char	*console_socket;
	bool		 detach;
	/* No process object of its own: noNewPrivileges is the config's
	 * (as runc's exec takes the container's process for the rest). */
	bool		 config_no_new_privs;
};
int	oci_exec(const char *id, const struct oci_exec_opts *, int *statusp);

/* Run one hook with the state JSON on its stdin. */
int	oci_hook_run(const struct oci_hook *, const char *state_json);
int	oci_hooks_run(const struct oci_config *, enum oci_hook_kind,
	    const struct oci_state *, bool stop_on_error);

#endif
