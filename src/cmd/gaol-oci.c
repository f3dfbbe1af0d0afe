/*
 * gaol-oci: the OCI runtime command line, as runc speaks it, over the
 * jail library (src/lib/oci).  Engines (podman, containerd, CRI-O) call
 * it as they call runc; a container is a jail named by its id.
 */
#include <err.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "oci/oci.h"

static FILE *logf_;		/* --log */
static bool log_json;		/* --log-format json */
static const char *command = "";

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: gaol-oci [--root DIR] [--log FILE] [--log-format text|json]\n"
"                [--systemd-cgroup] COMMAND [OPTIONS] ...\n"
"commands:\n"
"  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] ID\n"
"  start ID\n"
"  run [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] [-d] ID\n"
"  state ID\n"
"  kill [--all] ID [SIGNAL]\n"
"  delete [--force] ID\n"
"  exec [--process FILE] [--tty] [--console-socket SOCK] [--detach]\n"
"       [--pid-file FILE] [--cwd DIR] [--env K=V] [--user UID]\n"
"       [--no-new-privs] ID [ARG ...]\n"
"  list [--format table|json] [--quiet]\n"
"  ps [--format table|json] ID\n"
"  pause ID | resume ID\n"
"  features\n"
"  spec [--bundle DIR]\n");
	exit(status);
}

/* An error in runc's manner: stderr, and the --log file as engines read it. */
static void __attribute__((noreturn))
fail(int status, const char *msg)
{
	fprintf(stderr, "gaol-oci: %s%s%s\n", command, *command ? ": " : "",
	    msg);
	if (logf_ != NULL) {
		if (log_json) {
			json_t *j = json_pack("{s:s, s:s}", "level", "error",
			    "msg", msg);
			char tbuf[64];
			time_t t = time(NULL);

			strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ",
			    gmtime(&t));
			json_object_set_new(j, "time", json_string(tbuf));
			json_dumpf(j, logf_, JSON_COMPACT);
			fputc('\n', logf_);
			json_decref(j);
		} else
			fprintf(logf_, "error: %s\n", msg);
		fclose(logf_);
	}
	exit(status);
}

static void __attribute__((noreturn))
fail_lib(void)
{
	fail(1, gerr_msg());
}

static const char *
one_id(int argc, char **argv)
{
	if (argc - optind != 1)
		usage(1);
	return argv[optind];
}

static int
parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end == '\0' && n > 0 && n < NSIG)
		return (int)n;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev != NULL && strcasecmp(abbrev, s) == 0)
			return i;
	}
	return -1;
}

/* create and run share their options. */
static int
cmd_create(int argc, char **argv, bool run)
{
	static const struct option lo[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "detach", no_argument, NULL, 'd' },
		{ "no-pivot", no_argument, NULL, 'N' },
		{ "no-new-keyring", no_argument, NULL, 'N' },
		{ "preserve-fds", required_argument, NULL, 'N' },
		{ "keep", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_create_opts o = { .run = run };
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "+b:dh", lo, NULL)) != -1)
		switch (ch) {
		case 'b': o.bundle = optarg; break;
		case 'p': o.pid_file = optarg; break;
		case 'c': o.console_socket = optarg; break;
		case 'd': o.detach = true; break;
		case 'N': break;
		case 'h': usage(0);
		default: usage(1);
		}
	if (!run && o.detach)
		usage(1);
	if (oci_create(one_id(argc, argv), &o, &status) == -1)
		fail_lib();
	return status;
}

static int
cmd_simple(int argc, char **argv, int (*fn)(const char *))
{
	if (getopt_long(argc, argv, "+h", (struct option[]){ { 0 } }, NULL)
	    != -1)
		usage(1);
	if (fn(one_id(argc, argv)) == -1)
		fail_lib();
	return 0;
}

static int
do_state(const char *id)
{
	struct oci_state st;
	char *json;

	if (oci_state_load(id, &st) == -1)
		return -1;
	json = oci_state_json(&st);
	fputs(json, stdout);
	free(json);
	oci_state_free(&st);
	return 0;
}

static int
do_pause(const char *id)
{
	return oci_pause(id, true);
}

static int
do_resume(const char *id)
{
	return oci_pause(id, false);
}

static int
cmd_kill(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false;
	int ch, sig = SIGTERM;

	while ((ch = getopt_long(argc, argv, "+a", lo, NULL)) != -1)
		if (ch == 'a')
			all = true;
		else
			usage(1);
	if (argc - optind < 1 || argc - optind > 2)
		usage(1);
	if (argc - optind == 2 && (sig = parse_signal(argv[optind + 1])) == -1)
		fail(1, "unknown signal");
	if (oci_kill(argv[optind], sig, all) == -1)
		fail_lib();
	return 0;
}

static int
cmd_delete(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	bool force = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "+f", lo, NULL)) != -1)
		if (ch == 'f')
			force = true;
		else
			usage(1);
	if (oci_delete(one_id(argc, argv), force) == -1)
		fail_lib();
	return 0;
}

static int
cmd_exec(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "tty", no_argument, NULL, 't' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "detach", no_argument, NULL, 'd' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "env", required_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "preserve-fds", required_argument, NULL, 'N' },
		{ "no-new-privs", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_process proc = { 0 };
	struct oci_exec_opts o = { .proc = &proc };
	const char *file = NULL, *cwd = NULL, *user = NULL;
	struct strlist env = { 0 };
	bool tty = false, nnp = false;
	int ch, status = 0;

	while ((ch = getopt_long(argc, argv, "+p:tde:u:", lo, NULL)) != -1)
		switch (ch) {
		case 'p': file = optarg; break;
		case 't': tty = true; break;
		case 'c': o.console_socket = optarg; break;
		case 'd': o.detach = true; break;
		case 'P': o.pid_file = optarg; break;
		case 'w': cwd = optarg; break;
		case 'e': strlist_add(&env, optarg); break;
		case 'u': user = optarg; break;
		case 'N': break;
		case 'n': nnp = true; break;
		default: usage(1);
		}
	if (argc - optind < 1 || (file == NULL && argc - optind < 2))
		usage(1);
	if (file != NULL && oci_process_load(file, &proc) == -1)
		fail_lib();
	for (int i = optind + 1; file == NULL && i < argc; i++)
		strlist_add(&proc.args, argv[i]);
	if (file == NULL) {
		strlist_add(&proc.env, "PATH=/usr/local/sbin:/usr/local/bin:"
		    "/usr/sbin:/usr/bin:/sbin:/bin");
		proc.cwd = xstrdup("/");
		proc.terminal = tty;
		o.config_no_new_privs = true;
	}
	if (nnp)
		proc.no_new_privs = true;
	for (size_t i = 0; i < env.n; i++)
		strlist_add(&proc.env, env.v[i]);
	if (cwd != NULL) {
		free(proc.cwd);
		proc.cwd = xstrdup(cwd);
	}
	if (user != NULL) {
		free(proc.user);
		proc.user = xstrndup(user, strcspn(user, ":"));
	}
	if (oci_exec(argv[optind], &o, &status) == -1)
		fail_lib();
	oci_process_free(&proc);
	strlist_clear(&env);
	return status;
}

static bool
format_json(int argc, char **argv, bool *quiet)
{
	static const struct option lo[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "+f:q", lo, NULL)) != -1)
		if (ch == 'f' && (strcmp(optarg, "json") == 0 ||
		    strcmp(optarg, "table") == 0))
			json = strcmp(optarg, "json") == 0;
		else if (ch == 'q' && quiet != NULL)
			*quiet = true;
		else
			usage(1);
	return json;
}

static int
cmd_list(int argc, char **argv)
{
	struct strlist ids = { 0 };
	bool quiet = false, json = format_json(argc, argv, &quiet);
	json_t *all = json_array();

	if (optind != argc)
		usage(1);
	if (oci_list(&ids) == -1)
		fail_lib();
	if (!json && !quiet)
		printf("%-12s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS",
		    "BUNDLE", "CREATED");
	for (size_t i = 0; i < ids.n; i++) {
		struct oci_state st;

		if (oci_state_load(ids.v[i], &st) == -1)
			continue;
		if (quiet)
			printf("%s\n", st.id);
		else if (json)
			json_array_append_new(all, json_pack("{s:s, s:i, s:s, "
			    "s:s, s:s}", "id", st.id, "pid", st.status ==
			    OCI_STOPPED ? 0 : (int)st.pid, "status",
			    oci_status_names[st.status], "bundle", st.bundle,
			    "created", st.created));
		else
			printf("%-12s %-8d %-10s %-40s %s\n", st.id, st.status ==
			    OCI_STOPPED ? 0 : (int)st.pid,
			    oci_status_names[st.status], st.bundle, st.created);
		oci_state_free(&st);
	}
	if (json) {
		json_dumpf(all, stdout, JSON_COMPACT);
		putchar('\n');
	}
	json_decref(all);
	strlist_clear(&ids);
	return 0;
}

static int
cmd_ps(int argc, char **argv)
{
	bool json = format_json(argc, argv, NULL);
	pid_t *pids;
	size_t n;
	char cmd[64];

	if (argc - optind < 1)
		usage(1);
	if (oci_pids(argv[optind], &pids, &n) == -1)
		fail_lib();
	if (json) {
		putchar('[');
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		puts("]");
	} else {
		/* ps(1) over the jail's processes, as runc does it. */
		char **av = xcalloc(n + 4 + (size_t)(argc - optind), sizeof(char *));
		size_t k = 0;
		char *list = NULL;

		av[k++] = "ps";
		for (int i = optind + 1; i < argc; i++)
			av[k++] = argv[i];
		if (n == 0) {
			free(av);
			free(pids);
			return 0;
		}
		for (size_t i = 0; i < n; i++) {
			char *next;

			snprintf(cmd, sizeof(cmd), "%d", (int)pids[i]);
			next = list ? xasprintf("%s,%s", list, cmd) : xstrdup(cmd);
			free(list);
			list = next;
		}
		av[k++] = "-p";
		av[k++] = list;
		fflush(stdout);
		execvp("ps", av);
		err(1, "ps");
	}
	free(pids);
	return 0;
}

/* What this runtime does, in the shape runc's `features` has. */
static int
cmd_features(void)
{
	const char *text =
"{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" OCI_VERSION "\","
"\"hooks\":[\"prestart\",\"createRuntime\",\"createContainer\","
"\"startContainer\",\"poststart\",\"poststop\"],"
"\"mountOptions\":[\"ro\",\"rw\",\"bind\",\"rbind\",\"size\",\"mode\","
"\"uid\",\"gid\"],"
"\"linux\":{\"namespaces\":[\"user\",\"mount\",\"pid\",\"uts\",\"ipc\","
"\"cgroup\",\"network\"],\"cgroup\":{\"v1\":true,\"v2\":true,"
"\"systemd\":false,\"systemdUser\":false},"
"\"seccomp\":{\"enabled\":false},\"apparmor\":{\"enabled\":false},"
"\"selinux\":{\"enabled\":false}},"
"\"annotations\":{\"org.gaol.rctl\":\"rctl rules, comma-separated\","
"\"org.freebsd.jail.vnet\":\"new|inherit\","
"\"org.freebsd.parentJail\":\"parent jail name\","
"\"org.freebsd.jail.allow.NAME\":\"true|false\"}}";
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	json_dumpf(j, stdout, JSON_INDENT(4));
	putchar('\n');
	json_decref(j);
	return 0;
}

/* A starting config.json for a jail from a root in ./rootfs. */
static int
cmd_spec(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".";
	json_t *j;
	char *file;
	int ch;

	while ((ch = getopt_long(argc, argv, "+b:", lo, NULL)) != -1)
		if (ch == 'b')
			bundle = optarg;
		else
			usage(1);
	file = xasprintf("%s/config.json", bundle);
	if (access(file, F_OK) == 0)
		fail(1, "File config.json exists. Remove it first");
	j = json_pack("{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s},"
	    " s:{s:s, s:b}, s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}],"
	    " s:{s:[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}]}}",
	    "ociVersion", OCI_VERSION,
	    "process", "terminal", 1, "user", "uid", 0, "gid", 0,
	    "args", "sh", "env",
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	    "TERM=xterm", "cwd", "/",
	    "root", "path", "rootfs", "readonly", 0,
	    "hostname", "gaol",
	    "mounts", "destination", "/proc", "type", "proc", "source", "proc",
	    "destination", "/dev", "type", "tmpfs", "source", "tmpfs",
	    "linux", "namespaces", "type", "pid", "type", "ipc", "type", "uts",
	    "type", "mount", "type", "network");
	if (json_dump_file(j, file, JSON_INDENT(4)) == -1)
		fail(1, "cannot write config.json");
	json_decref(j);
	free(file);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'F' },
		{ "systemd-cgroup", no_argument, NULL, 's' },
		{ "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool systemd = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "+hv", lo, NULL)) != -1)
		switch (ch) {
		case 'r': oci_set_root(optarg); break;
		case 'l':
			if ((logf_ = fopen(optarg, "a")) == NULL)
				err(1, "%s", optarg);
			break;
		case 'F':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				errx(1, "--log-format: json or text");
			log_json = strcmp(optarg, "json") == 0;
			break;
		case 's': systemd = true; break;
		case 'D': break;
		case 'h': usage(0);
		case 'v':
			printf("gaol-oci version 0.1.0\nspec: %s\n", OCI_VERSION);
			return 0;
		default: usage(1);
		}
	if (optind >= argc)
		usage(1);
	command = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 1;
	if (systemd)
		fail(1, "--systemd-cgroup is not supported: a jail's cgroups "
		    "are gaol's own, beneath GAOL_CGROUP (use the cgroupfs "
		    "manager)");
	if (oci_load_dirs() == -1)
		fail_lib();
	if (strcmp(command, "create") == 0)
		return cmd_create(argc, argv, false);
	if (strcmp(command, "run") == 0)
		return cmd_create(argc, argv, true);
	if (strcmp(command, "start") == 0)
		return cmd_simple(argc, argv, oci_start);
	if (strcmp(command, "state") == 0)
		return cmd_simple(argc, argv, do_state);
	if (strcmp(command, "pause") == 0)
		return cmd_simple(argc, argv, do_pause);
	if (strcmp(command, "resume") == 0)
		return cmd_simple(argc, argv, do_resume);
	if (strcmp(command, "kill") == 0)
		return cmd_kill(argc, argv);
	if (strcmp(command, "delete") == 0)
		return cmd_delete(argc, argv);
	if (strcmp(command, "exec") == 0)
		return cmd_exec(argc, argv);
	if (strcmp(command, "list") == 0)
		return cmd_list(argc, argv);
	if (strcmp(command, "ps") == 0)
		return cmd_ps(argc, argv);
	if (strcmp(command, "features") == 0)
		return cmd_features();
	if (strcmp(command, "spec") == 0)
		return cmd_spec(argc, argv);
	warnx("%s: unknown command", command);
	usage(1);
}
