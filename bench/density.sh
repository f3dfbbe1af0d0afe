#!/bin/sh
# sh bench/density.sh [BUILD_DIR]: issue 9's density figures.  Not a test:
# it grows one population of idle persistent jails through the numbers of
# BENCH_DENSITY and, at each, times jls, jexec and the creation of the
# next jails, and reads the host's memory; ratios against N = 1 and the
# first hundred jails come from this one run.  See README.md.
#
#   BENCH_DENSITY     jail counts, ascending (default "1 100 1000")
#   BENCH_RUNS        timed runs of jls and jexec at each count (default 20)
#   BENCH_NEXT        jails created (and timed) past each count (default 10)
#   BENCH_IDMAP       gaol.idmap of the jails (default: the host's, or
#                     identity when a count passes the 4094 ranges of host
#                     ids that private has, docs/design/uid-ranges.md)
#   BENCH_RESERVE_MB  MemAvailable to leave the host (default 4096): a count
#                     the memory measured so far says would not fit is
#                     skipped, and the run says so; so is one that would
#                     leave fewer than 8192 free pids
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
COUNTS=${BENCH_DENSITY:-1 100 1000}
RUNS=${BENCH_RUNS:-20}
NEXT=${BENCH_NEXT:-10}
RESERVE_KB=$(( ${BENCH_RESERVE_MB:-4096} * 1024 ))
IDMAP=${BENCH_IDMAP:-}
for N in $COUNTS; do
	[ -z "${BENCH_IDMAP:-}" ] && [ "$N" -gt 4094 ] && IDMAP=identity
done

. "$top/scripts/privatens.subr"
. "$top/bench/bench.subr"			# measure, get, ratio, need_hyperfine
need_hyperfine density
in_private_ns density "$build" "$0" "$build"

private_env
. "$top/tests/lib/gaol_test.subr"		# gaol_cgroup_bases
ROOT=$tmp/root
sh "$top/share/mkroot-busybox" "$ROOT" >/dev/null || exit 1
results=$tmp/results
: > "$results"

# Every jail goes, with -R for one that -r could not remove; what is
# still left is said (in_private_ns removes it too, and its cgroups).
remove_all()
{
	t0=$(date +%s)
	n=0
	for j in $(jls jid 2>/dev/null); do
		jail -r "$j" >/dev/null 2>&1 || jail -R "$j" >/dev/null 2>&1
		n=$((n + 1))
	done
	for j in $(jls -d jid 2>/dev/null); do jail -R "$j" >/dev/null 2>&1; done
	left=$(jls -d jid 2>/dev/null | grep -c .)
	echo "  removed $n jails in $(( $(date +%s) - t0 )) s; $left left"
}
trap remove_all EXIT
trap 'exit 130' INT TERM

# meminfo FIELD: kB.
meminfo() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }
slab() { echo $(( $(meminfo SReclaimable) + $(meminfo SUnreclaim) )); }

# grow TO: persistent jails d(N+1)..dTO; their mean creation time (us)
# into $results as KEY (when given).
n=0
grow()
{
	from=$n
	g0=$(date +%s%N)
	while [ "$n" -lt "$1" ]; do
		jail -c name=d$((n + 1)) persist path="$ROOT" \
		    ${IDMAP:+gaol.idmap=$IDMAP} >/dev/null 2>"$tmp/err" ||
		    { echo "  jail -c d$((n + 1)) failed: $(cat "$tmp/err")"; return 1; }
		n=$((n + 1))
	done
	g1=$(date +%s%N)
	[ -n "${2:-}" ] && [ "$n" -gt "$from" ] &&
	    echo "$2 $(( (g1 - g0) / 1000 / (n - from) ))" >> "$results"
	return 0
}

echo "gaol density: counts $COUNTS, $RUNS runs each, $NEXT jails timed past each"
uname -sr
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$IDMAP" ] && echo "jails made with gaol.idmap=$IDMAP"
echo

sleep 1
avail0=$(meminfo MemAvailable) slab0=$(slab)
# The first hundred: the figure every later creation is held against.
grow 100 create_first || exit 1
echo "  first 100 jails: $(awk -v u="$(get create_first)" 'BEGIN { printf "%.2f", u / 1000 }') ms a jail"
remove_all
sleep 1
n=0
avail0=$(meminfo MemAvailable) slab0=$(slab)

est_kb=1024				# a jail's memory, planning the next count
for N in $COUNTS; do
	need=$(( (N - n) * est_kb ))
	have=$(meminfo MemAvailable)
	if [ $((have - need)) -lt "$RESERVE_KB" ]; then
		echo "== N=$N: skipped: $((N - n)) more jails at $est_kb KiB each need $((need / 1024)) MiB; MemAvailable is $((have / 1024)) MiB and $((RESERVE_KB / 1024)) MiB must stay free"
		break
	fi
	# One host process (the init) a jail; other work needs pids too.
	pids_free=$(( $(cat /proc/sys/kernel/pid_max) -
	    $(cut -d' ' -f4 /proc/loadavg | cut -d/ -f2) ))
	if [ $((pids_free - (N - n))) -lt 8192 ]; then
		echo "== N=$N: skipped: $((N - n)) more inits would leave fewer than 8192 of the $pids_free free pids (kernel.pid_max)"
		break
	fi
	echo "== N=$N"
	t0=$(date +%s)
	grow "$N" || break
	echo "  made in $(( $(date +%s) - t0 )) s"
	sleep 1
	drop=$(( avail0 - $(meminfo MemAvailable) ))
	sdrop=$(( $(slab) - slab0 ))
	per_kb=$(( drop / N ))
	echo "mem_$N $per_kb" >> "$results"
	echo "slab_$N $(( sdrop / N ))" >> "$results"
	echo "  MemAvailable drop: $per_kb KiB a jail (slab $(( sdrop / N )) KiB)"
	# Below a hundred jails the drop is noise; never plan on less than 1 MiB.
	[ "$N" -ge 100 ] && [ "$per_kb" -gt "$est_kb" ] && est_kb=$per_kb
	measure "jls_$N" "jls" jls
	measure "jexec_$N" "jexec d1 /bin/true" jexec d1 /bin/true
	grow $((N + NEXT)) "create_$N" || break
	echo "  jail -c of the next $NEXT: $(awk -v u="$(get "create_$N")" 'BEGIN { printf "%.2f", u / 1000 }') ms a jail"
	n=$((N + NEXT))
done
echo

echo "== ratios (one run; the machine's load makes the absolute figures noisy)"
printf '  %-8s %10s %10s %16s %14s %10s\n' N "jls/N=1" "jexec/N=1" "create/first100" "KiB a jail" "slab KiB"
for N in $COUNTS; do
	[ -n "$(get "jls_$N")" ] || continue
	printf '  %-8s %10s %10s %16s %14s %10s\n' "$N" "$(ratio "jls_$N" jls_1)" \
	    "$(ratio "jexec_$N" jexec_1)" "$(ratio "create_$N" create_first)" \
	    "$(get "mem_$N")" "$(get "slab_$N")"
done
echo "  (KiB a jail: MemAvailable drop over N, kernel objects included;"
echo "   at small N it is within the noise of the other work on the machine)"
echo
echo "== removing"
