#!/bin/sh
# /usr/sbin/policy-rc.d of a gaol release (invoke-rc.d(8)): a package
# installed into the release or a stopped jail from the host, through
# chroot or `gaol bootstrap RELEASE update`, must not start its service
# on the host's network.  Services may start only once the jail's own
# /etc/rc has run (it leaves /run/gaol-rc.booted, which rc.shutdown
# removes), that is inside a running jail.
# 101: action forbidden by policy; 104: allowed.
[ -e /run/gaol-rc.booted ] && [ -z "${GAOL_NO_SERVICES:-}" ] && exit 104
exit 101
