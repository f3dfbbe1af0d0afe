#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"
#include "bpf.h"

static int
sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

const char *
bpf_verifier_reason(char *log)
{
	size_t len = strlen(log);
	char *last;

	while (len > 0 && log[len - 1] == '\n')
		log[--len] = '\0';
	while ((last = strrchr(log, '\n')) != NULL &&
	    (strncmp(last + 1, "processed ", 10) == 0 ||
	    strncmp(last + 1, "verification time", 17) == 0 ||
	    strncmp(last + 1, "stack depth", 11) == 0))
		*last = '\0';
	last = strrchr(log, '\n');
	return last ? last + 1 : log;
}

int
bpf_cgroup_attach(int cgfd, enum bpf_prog_type type, enum bpf_attach_type at,
    const struct bpf_insn *insns, size_t n, const char *what)
{
	static char log[65536];
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = type;
	attr.expected_attach_type = at;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	log[0] = '\0';
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	snprintf(attr.prog_name, sizeof(attr.prog_name), "gaol_%s", what);
	if ((fd = sys_bpf(BPF_PROG_LOAD, &attr)) == -1) {
		int saved = errno;
		const char *why = bpf_verifier_reason(log);

		errno = saved;
		gerr_set("load the %s BPF program: %s%s%s", what,
		    strerror(saved), *why ? ": " : "", why);
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgfd;
	attr.attach_bpf_fd = (uint32_t)fd;
	attr.attach_type = at;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) == -1) {
		gerr_set_errno("attach the %s BPF program", what);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
