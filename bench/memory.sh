#!/bin/sh
# sh bench/memory.sh [BUILD_DIR]: where an idle jail's host memory goes.
# Not a test: it makes BENCH_MEM_N idle persistent jails in a private
# namespace (like density.sh), and reports per jail the growth of the
# kernel's counters (/proc/meminfo), of each slab cache (/proc/slabinfo),
# of the cgroups in each hierarchy (/proc/cgroups), and the init's own
# memory (PSS), then removes them and says what did not come back.
# See README.md, "Memory of an idle jail".
#
#   BENCH_MEM_N       jails (default 200)
#   BENCH_MEM_PARAMS  extra parameters of every jail (default none), e.g.
#                     "gaol.idmap=identity" or "children.max=1"
#   BENCH_MEM_TOP     slab caches listed (default 14)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
N=${BENCH_MEM_N:-200}
PARAMS=${BENCH_MEM_PARAMS:-}
TOP=${BENCH_MEM_TOP:-14}

. "$top/scripts/privatens.subr"
in_private_ns memory "$build" "$0" "$build"

private_env
ROOT=$tmp/root
sh "$top/share/mkroot-busybox" "$ROOT" >/dev/null || exit 1

remove_all()
{
	for j in $(jls jid 2>/dev/null); do
		jail -r "$j" >/dev/null 2>&1 || jail -R "$j" >/dev/null 2>&1
	done
}
trap remove_all EXIT
trap 'exit 130' INT TERM

# snap NAME: meminfo, slabinfo (cache bytes) and cgroup counts.
snap()
{
	awk '{ sub(":", "", $1); print "mem", $1, $2 }' /proc/meminfo > "$tmp/$1"
	awk 'NR > 2 { print "slab", $1, $3 * $4 }' /proc/slabinfo >> "$tmp/$1"
	awk '!/^#/ { print "cg", $1 "@" $2, $3 }' /proc/cgroups >> "$tmp/$1"
	echo "cg unified $(find /sys/fs/cgroup/unified -type d 2>/dev/null | wc -l)" >> "$tmp/$1"
}

# delta A B KIND: "name per-jail" for every key of KIND, B - A over N.
delta()
{
	awk -v kind="$3" -v n="$N" '
	    FNR == NR { if ($1 == kind) a[$2] = $3; next }
	    $1 == kind { printf "%s %.1f\n", $2, ($3 - a[$2]) / n }' \
	    "$tmp/$1" "$tmp/$2"
}

echo "gaol memory: $N idle persistent jails${PARAMS:+ with $PARAMS}"
uname -sr
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
sync
sleep 1
snap before
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	jail -c name=m$i persist path="$ROOT" $PARAMS >/dev/null 2>"$tmp/err" ||
	    { echo "jail -c m$i failed: $(cat "$tmp/err")"; exit 1; }
done
sleep 2
snap after

echo
echo "== per jail, /proc/meminfo (KiB)"
delta before after mem | awk '$1 ~ /^(MemAvailable|MemFree|Slab|SReclaimable|SUnreclaim|Percpu|KernelStack|PageTables|AnonPages|Shmem|Mapped|VmallocUsed)$/ { printf "  %-14s %8.1f\n", $1, $2 }'
echo
echo "== per jail, slab caches (bytes, the $TOP that grew most)"
delta before after slab | sort -k2 -n -r | head -n "$TOP" |
    awk '{ printf "  %-28s %8.0f\n", $1, $2 }'
echo
echo "== per jail, cgroups by hierarchy (v1 controller@hierarchy id)"
delta before after cg | awk '$2 != 0 { printf "  %-20s %5.2f\n", $1, $2 }'
echo
echo "== the inits (KiB, mean over the jails)"
pids=$(cat /sys/fs/cgroup/unified/"${GAOL_CGROUP#./}"/jail-*/procs/cgroup.procs 2>/dev/null ||
    true)
[ -n "$pids" ] || pids=$(for d in /sys/fs/cgroup/pids/*/"${GAOL_CGROUP#./}"/jail-*/procs \
    /sys/fs/cgroup/pids/"${GAOL_CGROUP#./}"/jail-*/procs; do
	cat "$d/cgroup.procs" 2>/dev/null; done)
for p in $pids; do
	cat "/proc/$p/smaps_rollup" 2>/dev/null
	echo "Procs: 1"
	grep -h '^VmStk\|^VmPTE' "/proc/$p/status" 2>/dev/null
done | awk '{ s[$1] += $2 } END {
	n = s["Procs:"]; if (n == 0) n = 1
	printf "  processes %d; a jail: Rss %.1f  Pss %.1f  Pss_Anon %.1f  Pss_File %.1f  Private_Dirty %.1f  VmPTE %.1f\n",
	    s["Procs:"], s["Rss:"] / n, s["Pss:"] / n, s["Pss_Anon:"] / n, s["Pss_File:"] / n,
	    s["Private_Dirty:"] / n, s["VmPTE:"] / n }'
echo "  (one process a jail here; PSS shares the jail binary's pages)"

remove_all
trap - EXIT
sleep 2
snap removed
echo
echo "== left after removing them all (KiB a jail; what is not returned)"
delta before removed mem | awk '$1 ~ /^(MemAvailable|Slab|SUnreclaim|Percpu)$/ { printf "  %-14s %8.1f\n", $1, $2 }'
