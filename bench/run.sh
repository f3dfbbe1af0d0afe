#!/bin/sh
# sh bench/run.sh [BUILD_DIR]: the benchmarks of issue 2, section 8.  Not a
# test: it prints figures and ratios against the targets.  See README.md.
#
#   BENCH_RUNS   timed runs per command (default 50)
#   BENCH_JAILS  jails for the jls scaling figure (default 1000)
#   BENCH_IDLE   idle jails for the memory figure (default 20)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
RUNS=${BENCH_RUNS:-50}
NJAILS=${BENCH_JAILS:-1000}
NIDLE=${BENCH_IDLE:-20}

. "$top/scripts/privatens.subr"
. "$top/bench/bench.subr"			# measure, get, ratio, need_hyperfine
need_hyperfine bench
in_private_ns bench "$build" "$0" "$build"

# ---------------------------------------------------------------- setup
private_env
. "$top/tests/lib/gaol_test.subr"		# gaol_cgroup_bases, _destroy
ROOT=$tmp/root
sh "$top/share/mkroot-busybox" "$ROOT" || exit 1
results=$tmp/results
: > "$results"
lxcpids=

# make_jails PREFIX FIRST LAST: persistent jails PREFIXFIRST..PREFIXLAST.
make_jails()
{
	i=$2
	while [ "$i" -le "$3" ]; do
		jail -c name=$1$i persist path="$ROOT" >/dev/null 2>&1 ||
		    { echo "  jail -c $1$i failed"; break; }
		i=$((i + 1))
	done
}

cleanup()
{
	for j in $(jls jid 2>/dev/null); do
		jail -r "$j" >/dev/null 2>&1 || jail -R "$j" >/dev/null 2>&1
	done
	if [ -n "${LXCP:-}" ]; then
		lxc-stop -P "$LXCP" -n benchattach -k >/dev/null 2>&1
		# LXC leaves an empty lxc.pivot (and may leave lxc.monitor.* /
		# lxc.payload.*) cgroups beneath ours: remove those it made.
		for b in $(gaol_cgroup_bases); do
			for d in "$b"/lxc.*; do
				[ -d "$d" ] || continue
				grep -qxF "$d" "$tmp/lxc.before" 2>/dev/null ||
				    gaol_cgroup_destroy "$d"
			done
		done
	fi
	for b in $(gaol_cgroup_bases); do
		gaol_cgroup_destroy "$b/${GAOL_CGROUP#./}"
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# verdict RATIO OP LIMIT
verdict()
{
	[ "$1" = n/a ] && { echo "(not measured)"; return; }
	awk -v r="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? r <= l : (op == "<") ? r < l : r >= l
		print ok ? "ok" : "MISSED" }'
}

# An LXC container over the same root, in its own lxcpath, its cgroups
# beneath ours (lxc.cgroup.relative).
lxc_setup()
{
	command -v lxc-execute >/dev/null 2>&1 ||
	    { echo "lxc-execute is not installed (apt-get install lxc)" > "$tmp/lxcwhy"; return 1; }
	LXCP=$tmp/lxc
	mkdir -p "$LXCP"
	for b in $(gaol_cgroup_bases); do
		for d in "$b"/lxc.*; do [ -d "$d" ] && echo "$d"; done
	done > "$tmp/lxc.before"
	for n in benchexec benchattach; do
		mkdir -p "$LXCP/$n"
		cat > "$LXCP/$n/config" <<EOF
lxc.uts.name = $n
lxc.rootfs.path = dir:$ROOT
lxc.net.0.type = empty
lxc.mount.auto = proc:mixed sys:ro
lxc.autodev = 1
lxc.cgroup.relative = 1
lxc.apparmor.profile = unconfined
lxc.log.level = ERROR
lxc.log.file = $LXCP/$n.log
lxc.init.cmd = /bin/sleep 100000
EOF
	done
	return 0
}

echo "gaol benchmarks: $RUNS runs each, root $ROOT"
uname -sr
echo

# ---------------------------------------------------------------- ephemeral
echo "== ephemeral: start a jail, run /bin/true, tear down"
measure eph_jail "jail -c path=ROOT command=/bin/true" \
    jail -c path="$ROOT" command=/bin/true
measure eph_unshare "unshare -fpmiu --mount-proc chroot" \
    unshare -fpmiu --mount-proc chroot "$ROOT" /bin/true
if command -v bwrap >/dev/null 2>&1; then
	measure eph_bwrap "bwrap --unshare-all" \
	    bwrap --bind "$ROOT" / --proc /proc --dev /dev --unshare-all /bin/true
else
	echo "  bwrap: not installed (apt-get install bubblewrap); skipped"
fi
if lxc_setup; then
	if lxc-execute -P "$LXCP" -n benchexec -- /bin/true >"$tmp/lxc.out" 2>&1; then
		measure eph_lxc "lxc-execute" \
		    lxc-execute -P "$LXCP" -n benchexec -- /bin/true
	else
		echo "  lxc-execute: cannot run here, skipped: $(tail -n 2 "$tmp/lxc.out" | tr '\n' ' ')"
	fi
else
	echo "  lxc-execute: skipped: $(cat "$tmp/lxcwhy")"
fi
echo

# ---------------------------------------------------------------- jexec
echo "== entering a running jail: run /bin/true inside"
jail -c name=bench persist path="$ROOT" mount.devfs mount.procfs >/dev/null ||
    echo "  jail -c bench failed"
# The jail's init: pid 1 of the jail's pid namespace, seen from the host.
initpid=
for b in $(gaol_cgroup_bases); do
	for d in $(find "$b/${GAOL_CGROUP#./}" -type d 2>/dev/null); do
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
			[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status" 2>/dev/null)" = 1 ] &&
			    { initpid=$p; break 3; }
		done
	done
done
measure jexec "jexec bench /bin/true" jexec bench /bin/true
if [ -n "$initpid" ]; then
	measure nsenter "nsenter -a -t INITPID /bin/true" \
	    nsenter -a -t "$initpid" /bin/true
else
	echo "  nsenter: could not find the jail's init in its cgroup; skipped"
fi
if [ -n "${LXCP:-}" ] &&
    lxc-start -P "$LXCP" -n benchattach -d >"$tmp/lxcs.out" 2>&1 &&
    lxc-wait -P "$LXCP" -n benchattach -s RUNNING -t 10 >/dev/null 2>&1; then
	measure lxcattach "lxc-attach" \
	    lxc-attach -P "$LXCP" -n benchattach -- /bin/true
	lxc-stop -P "$LXCP" -n benchattach -k >/dev/null 2>&1
else
	echo "  lxc-attach: cannot start a container here, skipped: $(tail -n 2 "$tmp/lxcs.out" 2>/dev/null | tr '\n' ' ')"
fi
echo

# ---------------------------------------------------------------- memory
echo "== host memory per idle persistent jail ($NIDLE jails)"
memcg_usage()
{
	for b in $(gaol_cgroup_bases); do
		d=$b/${GAOL_CGROUP#./}
		[ -f "$d/memory.usage_in_bytes" ] && { cat "$d/memory.usage_in_bytes"; return; }
		[ -f "$d/memory.current" ] && { cat "$d/memory.current"; return; }
	done
	echo 0
}
jail -r bench >/dev/null 2>&1
m0=$(memcg_usage)
make_jails idle 1 "$NIDLE"
sleep 1
pss=0 nprocs=0
for b in $(gaol_cgroup_bases); do
	for d in $(find "$b/${GAOL_CGROUP#./}" -type d 2>/dev/null); do
		cat "$d/cgroup.procs" 2>/dev/null
	done
done | sort -un > "$tmp/idlepids"
for p in $(cat "$tmp/idlepids"); do
	kb=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
	[ -n "$kb" ] && { pss=$((pss + kb)); nprocs=$((nprocs + 1)); }
done
m1=$(memcg_usage)
n=$(jls jid 2>/dev/null | grep -c .)
if [ "$n" -gt 0 ]; then
	pss_per=$((pss / n))
	cg_per=$(( (m1 - m0) / 1024 / n ))
	echo "  $n jails, $nprocs processes on the host side"
	echo "  PSS of the jails' processes:  $pss_per KiB per jail"
	echo "  cgroup memory charged:        $cg_per KiB per jail"
	echo "mem_pss $pss_per" >> "$results"
	echo "mem_cg $cg_per" >> "$results"
fi
for j in $(jls jid 2>/dev/null); do jail -r "$j" >/dev/null 2>&1; done
echo

# ---------------------------------------------------------------- jls
echo "== jls with 1 and with $NJAILS persistent jails"
jail -c name=j1 persist path="$ROOT" >/dev/null || echo "  jail -c j1 failed"
measure jls1 "jls (1 jail)" jls
t0=$(date +%s)
make_jails j 2 "$NJAILS"
echo "  (made $(jls jid | grep -c .) jails in $(( $(date +%s) - t0 )) s)"
measure jlsN "jls ($NJAILS jails)" jls
t0=$(date +%s)
for j in $(jls jid); do jail -r "$j" >/dev/null 2>&1; done
echo "  (removed them in $(( $(date +%s) - t0 )) s)"
echo

# ---------------------------------------------------------------- ratios
echo "== against the targets of issue 2"
r=$(ratio eph_jail eph_unshare)
printf '  %-48s %6s  %s\n' "ephemeral jail / unshare   (target <= 1.5)" "$r" "$(verdict "$r" '<=' 1.5)"
r=$(ratio eph_jail eph_bwrap)
printf '  %-48s %6s  %s\n' "ephemeral jail / bwrap     (target < 1)" "$r" "$(verdict "$r" '<' 1)"
r=$(ratio eph_jail eph_lxc)
printf '  %-48s %6s\n' "ephemeral jail / lxc-execute" "$r"
r=$(ratio jexec nsenter)
printf '  %-48s %6s  %s\n' "jexec / nsenter            (target <= 1.5)" "$r" "$(verdict "$r" '<=' 1.5)"
r=$(ratio lxcattach jexec)
printf '  %-48s %6s  %s\n' "lxc-attach / jexec         (target >= 2)" "$r" "$(verdict "$r" '>=' 2)"
r=$(ratio jlsN jls1)
printf '  %-48s %6s  %s\n' "jls $NJAILS / jls 1         (target <= 20)" "$r" "$(verdict "$r" '<=' 20)"
for k in mem_pss mem_cg; do
	v=$(get $k)
	[ -n "$v" ] || continue
	r=$(awk -v v="$v" 'BEGIN { printf "%.2f", v / 1024 }')
	printf '  %-48s %6s  %s\n' "$k MiB per idle jail  (target <= 1)" "$r" "$(verdict "$r" '<=' 1)"
done
