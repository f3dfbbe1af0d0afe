#!/bin/sh
# sh bench/rctl.sh [BUILD_DIR]: what pcpu:deny and the I/O throttles do to
# real work in a jail (issue 3).  Not a test: it prints measured figures.
#
#   CPU: a busy shell loop in the jail; pcpu is the jail's CPU time per
#        wall second (cpuacct / cpu.stat over BENCH_SECS), without a rule
#        and with pcpu:deny=50.
#   I/O: dd with O_DIRECT in the jail to and from an ext4 file system on a
#        loop device the bench made, without a rule and with
#        writebps:throttle=2M and readbps:throttle=4M.
#
#   BENCH_SECS   seconds per CPU measurement (default 3)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
SECS=${BENCH_SECS:-3}

. "$top/scripts/privatens.subr"
in_private_ns bench-rctl "$build" "$0" "$build"
private_env
sh "$top/share/mkroot-busybox" "$tmp/root" >/dev/null || exit 1
truncate -s 256M "$tmp/disk.img"
dev=$(losetup -f --show "$tmp/disk.img") || { echo "bench: no loop device"; exit 1; }
mkfs.ext4 -q "$dev" && mkdir -p "$tmp/root/mnt" && mount "$dev" "$tmp/root/mnt" || {
	losetup -d "$dev"; exit 1; }
cleanup()
{
	jail -r bench >/dev/null 2>&1
	umount "$tmp/root/mnt" 2>/dev/null
	losetup -d "$dev" 2>/dev/null
}
trap cleanup EXIT INT TERM
jail -c name=bench persist path="$tmp/root" mount.devfs mount.procfs >/dev/null || exit 1

cputime_ns()	# the jail's CPU time from its cgroup
{
	for f in /sys/fs/cgroup/cpuacct/*/"${GAOL_CGROUP#./}"/jail-1/cpuacct.usage \
	    /sys/fs/cgroup/cpuacct/"${GAOL_CGROUP#./}"/jail-1/cpuacct.usage; do
		[ -r "$f" ] && { cat "$f"; return; }
	done
	for f in $(find /sys/fs/cgroup -path "*${GAOL_CGROUP#./}/jail-1/cpu.stat" 2>/dev/null); do
		awk '$1 == "usage_usec" { print $2 * 1000 }' "$f"; return
	done
}

cpu_run()	# prints the jail's %CPU of one core while a busy loop runs
{
	jexec bench timeout $((SECS + 1)) sh -c 'while :; do :; done' &
	loop=$!
	sleep 0.5
	a=$(cputime_ns); t0=$(date +%s%N)
	sleep "$SECS"
	b=$(cputime_ns); t1=$(date +%s%N)
	u=$(rctl -u jail:bench:pcpu)
	wait "$loop" 2>/dev/null
	echo "$(( (b - a) * 100 / (t1 - t0) )) ($u)"
}

dd_rate()	# KB/s of one 10 MiB dd in the jail; $1: write or read
{
	t0=$(date +%s%N)
	if [ "$1" = write ]; then
		jexec bench dd if=/dev/zero of=/mnt/f bs=64k count=160 oflag=direct 2>/dev/null
	else
		jexec bench dd if=/mnt/f of=/dev/null bs=64k count=160 iflag=direct 2>/dev/null
	fi
	t1=$(date +%s%N)
	echo "$(( 10485760 * 1000000 / (t1 - t0) )) KB/s ($(( (t1 - t0) / 1000000 )) ms)"
}

echo "== pcpu (one busy loop, % of one CPU over ${SECS}s; $(nproc) CPUs)"
echo "no rule:          $(cpu_run)"
rctl -a jail:bench:pcpu:deny=50
echo "pcpu:deny=50:     $(cpu_run)"
rctl -r jail:bench:pcpu
echo
echo "== I/O on $dev (ext4, O_DIRECT, 10 MiB)"
echo "write, no rule:             $(dd_rate write)"
echo "read, no rule:              $(dd_rate read)"
rctl -a jail:bench:writebps:throttle=2M jail:bench:readbps:throttle=4M
echo "write, writebps:throttle=2M: $(dd_rate write)"
echo "read, readbps:throttle=4M:   $(dd_rate read)"
rctl -r jail:bench:writebps jail:bench:readbps
rctl -a jail:bench:writeiops:throttle=50
echo "write, writeiops:throttle=50 (64 KiB ops => ~3.2 MB/s): $(dd_rate write)"
