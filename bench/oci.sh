#!/bin/sh
# sh bench/oci.sh [BUILD_DIR]: gaol-oci against runc (issue 12), as ratios
# from one run side by side.  Not a test: it prints figures.
#
#   podman run --rm IMAGE true        podman with --runtime gaol-oci / runc
#   create + start + delete           the runtime alone on one bundle
#                                     (`run` then `delete`, /bin/true)
#
#   BENCH_RUNS   timed runs per command (default 20)
#
# podman with runc needs runc to set the container's rlimits with
# prlimit(2); where that is refused (EPERM) the line says so.
#
# Everything runs in a private mount and network namespace; podman's
# storage is in a temporary directory, /run is a tmpfs there; runc's
# cgroups go beneath ours (its cgroupsPath), gaol's beneath GAOL_CGROUP.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
RUNS=${BENCH_RUNS:-20}

. "$top/scripts/privatens.subr"
in_private_ns bench-oci "$build" "$0" "$build"
private_env bench-oci
. "$top/tests/lib/gaol_test.subr"		# gaol_cgroup_bases, _destroy
OCI=$build/src/cmd/gaol-oci
RUNC=$(command -v runc || true)
[ -n "$RUNC" ] || echo "bench: runc is not installed (apt-get install runc): gaol-oci alone"
mount -t tmpfs -o mode=755 tmpfs /run
# Run state where both runtimes keep it by default, on a tmpfs: gaol's
# registry (/run/gaol), gaol-oci's and runc's roots.  A registry on the
# temporary directory's disk made every record write a journalled
# rename of 10 to 20 ms on a loaded machine.
GAOL_RUNDIR=/run/gaol
export GAOL_RUNDIR
mkdir -p /run/gaol
# podman runs the runtime without our environment: the private GAOL_*
# directories reach gaol-oci through the file in its default root.
mkdir -m 700 /run/gaol-oci
for v in GAOL_SYSCONFDIR GAOL_DATADIR GAOL_RUNDIR GAOL_LOGDIR GAOL_CGROUP; do
	eval "echo $v=\$$v"
done > /run/gaol-oci/gaol-oci.conf
# podman keeps a blob cache in /var/lib/containers whatever its --root:
# ours goes with the namespace.
mount -t tmpfs -o mode=755 tmpfs /var/lib

# runc's cgroups: one path that lies beneath our own cgroup in every
# hierarchy (the deepest of our paths, when the others are its prefixes).
self=$(sed 's/^[^:]*:[^:]*://' /proc/self/cgroup | awk '{ if (length($0) > length(m)) m = $0 } END { print m }')
CGP=${self%/}/gaol-bench-oci-$$
cleanup()
{
	for c in $("$OCI" --root /run/gaol-oci list -q 2>/dev/null); do
		"$OCI" --root /run/gaol-oci delete -f "$c" >/dev/null 2>&1
	done
	[ -n "$RUNC" ] && for c in $("$RUNC" --root /run/runc list -q 2>/dev/null); do
		"$RUNC" --root /run/runc delete -f "$c" >/dev/null 2>&1
	done
	[ -n "${P:-}" ] && $P rm -f -a >/dev/null 2>&1
	for j in $(jls jid 2>/dev/null); do jail -r "$j" >/dev/null 2>&1; done
	for m in $(awk '$5 ~ /^\/sys\/fs\/cgroup\// && $0 ~ / - cgroup2? / { print $5 }' /proc/self/mountinfo); do
		[ -d "$m$CGP" ] && gaol_cgroup_destroy "$m$CGP"
	done
	for b in $(gaol_cgroup_bases); do gaol_cgroup_destroy "$b/${GAOL_CGROUP#./}"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=$tmp/results
: > "$results"
# measure KEY LABEL CMD: mean wall time (us) of a shell command line.
measure()
{
	sh -c "$3" >/dev/null 2>"$tmp/err" || { echo "  $2: FAILED: $(tail -n 3 "$tmp/err")"; return 1; }
	t0=$(date +%s%N)
	i=0
	while [ $i -lt "$RUNS" ]; do sh -c "$3" >/dev/null 2>&1; i=$((i + 1)); done
	t1=$(date +%s%N)
	us=$(( (t1 - t0) / 1000 / RUNS ))
	echo "$1 $us" >> "$results"
	printf '  %-48s %8.2f ms\n' "$2" "$(awk -v u="$us" 'BEGIN { print u / 1000 }')"
}
get() { awk -v k="$1" '$1 == k { v = $2 } END { print v }' "$results"; }
ratio()
{
	a=$(get "$1") b=$(get "$2")
	[ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt 0 ] || { echo n/a; return; }
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }'
}

# One bundle both runtimes take.
B=$tmp/bundle
sh "$top/share/mkroot-busybox" "$B/rootfs" >/dev/null || exit 1
cat > "$B/config.json" <<EOF2
{
	"ociVersion": "1.0.2",
	"process": { "args": ["/bin/true"], "env": ["PATH=/bin:/sbin"], "cwd": "/",
		"user": { "uid": 0, "gid": 0 } },
	"root": { "path": "rootfs" },
	"hostname": "bench",
	"mounts": [
		{ "destination": "/proc", "type": "proc", "source": "proc" },
		{ "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		  "options": ["nosuid", "strictatime", "mode=755", "size=65536k"] }
	],
	"linux": {
		"cgroupsPath": "$CGP/runc",
		"namespaces": [ { "type": "pid" }, { "type": "mount" }, { "type": "ipc" },
			{ "type": "uts" }, { "type": "network" } ]
	}
}
EOF2

echo "gaol-oci against runc: $RUNS runs each"
uname -sr
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "create + start + delete (/bin/true), the runtime alone:"
measure oci_cycle "gaol-oci run; delete" "$OCI --root /run/gaol-oci run --bundle $B b && $OCI --root /run/gaol-oci delete b"
[ -n "$RUNC" ] && measure runc_cycle "runc run (deletes itself)" "$RUNC --root /run/runc run --bundle $B b"

echo
echo "podman run --rm IMAGE true:"
if command -v podman >/dev/null 2>&1; then
	w=$tmp/podman
	mkdir -p "$w"
	cat > "$w/storage.conf" <<EOF2
[storage]
driver = "vfs"
graphroot = "$w/storage"
runroot = "$w/runroot"
EOF2
	cat > "$w/containers.conf" <<EOF2
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$w/events.log"
tmp_dir = "$w/tmp"
volume_path = "$w/volumes"
static_dir = "$w/static"
[engine.runtimes]
gaol = ["$OCI"]
runc = ["${RUNC:-/nonexistent}"]
[network]
network_config_dir = "$w/net"
EOF2
	export CONTAINERS_STORAGE_CONF=$w/storage.conf CONTAINERS_CONF=$w/containers.conf
	P="podman --root $w/storage --runroot $w/runroot"
	tar -C "$B/rootfs" -cf "$tmp/bb.tar" . && $P import -q "$tmp/bb.tar" localhost/bb:1 >/dev/null
	R="run --rm --network none --cgroups=no-conmon --cgroup-parent=$CGP --ulimit nofile=$(ulimit -Sn):$(ulimit -Hn) --ulimit nproc=$(ulimit -Sp):$(ulimit -Hp)"
	measure pod_gaol "podman --runtime gaol-oci" "$P --runtime gaol $R localhost/bb:1 true"
	[ -n "$RUNC" ] && measure pod_runc "podman --runtime runc" "$P --runtime runc $R localhost/bb:1 true"
else
	echo "  podman is not installed (apt-get install podman)"
fi

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ratios (target: gaol-oci <= 0.5x runc):"
echo "  create+start+delete  gaol-oci / runc = $(ratio oci_cycle runc_cycle)"
echo "  podman run --rm      gaol-oci / runc = $(ratio pod_gaol pod_runc)"
