#!/bin/sh
# sh bench/store.sh [BUILD_DIR]: thin create and clone cost the same for a
# small and a large release (issue 10), against copying the release.  Not
# a test: it prints measured figures.
#
# Two releases, a busybox root plus 10 MB or 1 GB of incompressible files,
# on each backend that shares the release: btrfs (a file system on a loop
# device the bench makes) and overlay (a plain directory).  For each: the
# median wall time of `gaol create` (thin), `gaol clone` and `cp -a` of the
# release (and on btrfs `cp -a --reflink=never`, as cp reflinks there by
# default), and the space the thin jail and the clone take.
#
#   BENCH_RUNS   timed runs of each gaol command (default 5)
#   BENCH_BIG_MB size of the large release (default 1024)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
RUNS=${BENCH_RUNS:-5}
BIG=${BENCH_BIG_MB:-1024}

. "$top/scripts/privatens.subr"
in_private_ns bench-store "$build" "$0" "$build"
private_env
[ -x "$build/src/cmd/gaol" ] || { echo "bench: no $build/src/cmd/gaol"; exit 1; }

truncate -s $((BIG * 3 + 1024))M "$tmp/btrfs.img"
mkfs.btrfs -q "$tmp/btrfs.img" >/dev/null 2>&1 || exit 1
dev=$(losetup -f --show "$tmp/btrfs.img") || { echo "bench: no loop device"; exit 1; }
mkdir -p "$tmp/bt" && mount "$dev" "$tmp/bt" || { losetup -d "$dev"; exit 1; }
cleanup()
{
	umount "$tmp/bt" 2>/dev/null
	losetup -d "$dev" 2>/dev/null
}
trap cleanup EXIT INT TERM

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# timed CMD...: milliseconds one run takes
timed()
{
	_t0=$(now_ms)
	"$@" >/dev/null || echo "bench: failed: $*" >&2
	echo $(( $(now_ms) - _t0 ))
}

# make_release BACKEND NAME MB
make_release()
{
	if [ "$1" = btrfs ]; then
		btrfs -q subvolume create "$GAOL_DATADIR/releases/$2"
	fi
	sh "$top/share/mkroot-busybox" "$GAOL_DATADIR/releases/$2" >/dev/null
	mkdir -p "$GAOL_DATADIR/releases/$2/data"
	_n=$(( $3 / 10 )); [ "$_n" -ge 1 ] || _n=1
	_i=0
	while [ $_i -lt $_n ]; do
		head -c $(( $3 * 1048576 / _n )) /dev/urandom \
		    > "$GAOL_DATADIR/releases/$2/data/f$_i"
		_i=$((_i + 1))
	done
	sync
}

space_kib() { du -sk "$1" | awk '{ print $1 }'; }

bench_backend()
{
	be=$1
	mkdir -p "$GAOL_SYSCONFDIR/gaol"
	echo "gaol_backend=\"$be\"" > "$GAOL_SYSCONFDIR/gaol/gaol.conf"
	if [ "$be" = btrfs ]; then
		export GAOL_DATADIR=$tmp/bt/gaol
	else
		export GAOL_DATADIR=$tmp/ov/gaol
	fi
	mkdir -p "$GAOL_DATADIR/releases"
	for rel in small:10 big:$BIG; do
		name=${rel%%:*} mb=${rel#*:}
		make_release "$be" "$name" "$mb"
		i=0
		: > "$tmp/c" ; : > "$tmp/k"
		while [ $i -lt "$RUNS" ]; do
			timed gaol create --no-boot "$name$i" "$name" >> "$tmp/c"
			timed gaol clone "$name$i" "k$name$i" >> "$tmp/k"
			i=$((i + 1))
		done
		create=$(median < "$tmp/c") clone=$(median < "$tmp/k")
		cp1=$(timed cp -a "$GAOL_DATADIR/releases/$name" "$GAOL_DATADIR/copy")
		rm -rf "$GAOL_DATADIR/copy"
		cpn=-
		if [ "$be" = btrfs ]; then
			cpn=$(timed cp -a --reflink=never \
			    "$GAOL_DATADIR/releases/$name" "$tmp/bt/copy")
			rm -rf "$tmp/bt/copy"
		fi
		if [ "$be" = btrfs ]; then
			sp=$(btrfs filesystem du -s --raw "$GAOL_DATADIR/jails/k${name}0/root" |
			    awk 'NR == 2 { print int($2 / 1024) }')
		else
			sp=$(space_kib "$GAOL_DATADIR/jails/k${name}0")
		fi
		printf '%-8s %-6s %6s MB  create %5s ms  clone %5s ms  cp -a %6s ms  cp --reflink=never %6s ms  clone uses %s KiB\n' \
		    "$be" "$name" "$mb" "$create" "$clone" "$cp1" "$cpn" "$sp"
		i=0
		while [ $i -lt "$RUNS" ]; do
			gaol destroy "k$name$i"; gaol destroy "$name$i"
			i=$((i + 1))
		done
	done
}

echo "thin create and clone: median of $RUNS runs; cp -a: one run"
bench_backend btrfs
bench_backend overlay
