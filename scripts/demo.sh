#!/bin/sh
# sh scripts/demo.sh BUILD_DIR: what `make demo` shows.  A busybox root in
# a plain directory, a persistent jail `demo` from a jail.conf, jls, jexec
# (the jail's own hostname, processes and root), then removal.  Runs in a
# private mount and network namespace with private GAOL_* directories, and
# removes everything it made.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$(pwd)/$build ;; esac

. "$top/scripts/privatens.subr"
in_private_ns demo "$build" "$0" "$build"
private_env

root=$GAOL_DATADIR/releases/busybox
conf=$GAOL_SYSCONFDIR/jail.conf

run()
{
	printf '# %s\n' "$*"
	"$@"
}

echo "== a busybox release in $root"
sh "$top/share/mkroot-busybox" "$root"
cat > "$conf" <<EOF
demo {
	host.hostname = "demo.jail";
	path = "$root";
	persist;
	mount.devfs;
	mount.procfs;
	exec.start = "/bin/sh /etc/rc";
	exec.stop = "/bin/sh /etc/rc.shutdown";
}
EOF
echo "== $conf"
cat "$conf"
echo "== the jail"
status=0
run jail -f "$conf" -c demo || status=1
if [ $status -eq 0 ]; then
	run jls || status=1
	run jexec demo hostname || status=1
	run jexec demo ps || status=1
	run jexec demo ls / || status=1
	run jail -f "$conf" -r demo || status=1
fi

# Whatever is still there goes when in_private_ns ends.
[ $status -eq 0 ] && echo "== done: the jail is gone, and so is everything the demo made"
exit $status
