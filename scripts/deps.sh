#!/bin/sh
# Install what building and testing gaol needs, when it is missing.
# Debian 12 package names; run as root.
set -e
# podman, conmon, containerd and runc: the engines the gaol-oci tests drive
# (and runc for bench/oci.sh).
need=""
for p in meson ninja-build pkg-config gcc libc6-dev libseccomp-dev \
    libcmocka-dev kyua atf-sh busybox-static iproute2 nftables util-linux \
    procps libbtrfsutil-dev btrfs-progs btrfs-compsize zstd \
    libarchive-dev libcurl4-openssl-dev libssl-dev debootstrap attr \
    clang llvm libbpf-dev bpftool libnftables-dev libjansson-dev mandoc \
    podman conmon containerd runc; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
	    need="$need $p"
done
[ -z "$need" ] && exit 0
echo "installing:$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $need >/dev/null
