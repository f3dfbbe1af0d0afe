#!/bin/sh
# cache-debootstrap.sh BUILD: a Debian release made once by `gaol
# bootstrap bookworm --include nginx-light` and updated by `gaol
# bootstrap bookworm update`, kept as a tarball in /var/cache/gaol-test
# for release_test:debian (make check-debootstrap).  Needs the Debian
# mirror and a few minutes; runs in a private mount namespace with
# private GAOL_* directories.
set -eu
build=$(cd "${1:-build}" && pwd)
cache=${GAOL_TEST_CACHE:-/var/cache/gaol-test}
out=$cache/bookworm.tar.zst
[ -s "$out" ] && { echo "cache-debootstrap: $out is there"; exit 0; }
mkdir -p "$cache"
tmp=$(mktemp -d /tmp/gaol-debootstrap.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
GAOL_DATADIR=$tmp/lib GAOL_SYSCONFDIR=$tmp/etc GAOL_RUNDIR=$tmp/run \
GAOL_LOGDIR=$tmp/log GAOL_CGROUP=./gaol-debootstrap-$$ \
PATH=$build/src/cmd:$PATH \
unshare --mount --propagation private -- sh -euc '
	gaol bootstrap -q bookworm --include nginx-light
	gaol bootstrap bookworm update
	tar --xattrs --xattrs-include="*" --numeric-owner -C "$GAOL_DATADIR/releases/bookworm" \
	    --zstd -cf "$1.part" .
' sh "$out"
mv "$out.part" "$out"
echo "cache-debootstrap: $out made"
