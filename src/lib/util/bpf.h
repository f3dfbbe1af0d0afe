/* Loading cgroup BPF programs, for device policy and inherited IP. */
#ifndef GAOL_BPF_H
#define GAOL_BPF_H

#include <stddef.h>
#include <linux/bpf.h>

/*
 * Load the program and attach it to the cgroup directory cgfd, after any
 * program already there (BPF_F_ALLOW_MULTI: a parent's keeps running).
 * The attachment holds the program.  On failure the message gives the
 * last line of the verifier's log; what names the program in it.
 */
int	bpf_cgroup_attach(int cgfd, enum bpf_prog_type, enum bpf_attach_type,
	    const struct bpf_insn *, size_t n, const char *what);

/* The verifier's reason in its log: the last line that is not a statistic. */
const char *bpf_verifier_reason(char *log);

#endif
