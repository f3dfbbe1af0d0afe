/*
 * A VNET jail's network namespace outlives its init: a bind mount of
 * /proc/PID/ns/net under $GAOL_RUNDIR/netns keeps it, with the
 * interfaces moved into it, until gaol moves them back to the host and
 * drops the mount.  Without it, a jail that died by itself would take
 * its veth ends with it (the kernel destroys them with the namespace)
 * and send physical devices to the machine's initial namespace, not
 * necessarily the one they came from.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "net.h"

int
net_netns_pin(pid_t pid, const char *path)
{
	char src[64];
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		gerr_set_errno("%s", path);
		return -1;
	}
	close(fd);
	snprintf(src, sizeof(src), "/proc/%d/ns/net", (int)pid);
	if (mount(src, path, NULL, MS_BIND, NULL) == -1) {
		gerr_set_errno("bind %s on %s", src, path);
		unlink(path);
		return -1;
	}
	return 0;
}

int
net_netns_unpin(const char *path)
{
	if (umount2(path, MNT_DETACH) == -1 && errno != EINVAL &&
	    errno != ENOENT) {
		gerr_set_errno("unmount %s", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		gerr_set_errno("%s", path);
		return -1;
	}
	return 0;
}

/*
 * A restarted jail must be reachable at once: its neighbours' caches
 * still hold the MAC its interface had.  Bastille derives the MAC from
 * the jail's name for this; ours is FNV-1a 64 over the jail's name, the
 * interface's name and which end, with the locally administered bit set
 * and the multicast bit clear.
 */
void
net_vnet_mac(const char *jail, const char *ifname, bool peer,
    unsigned char mac[6])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[3] = { jail, ifname, peer ? "peer" : "jail" };

	for (int i = 0; i < 3; i++)
		for (const char *p = parts[i]; ; p++) {
			h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
			if (*p == '\0')
				break;
		}
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)(h >> (8 * i));
	mac[0] = (unsigned char)((mac[0] & 0xfc) | 0x02);
}

static int
write_sysctl(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd == -1)
		return errno == ENOENT ? 0 : -1;	/* no IPv6: fine */
	if (write(fd, "1", 1) != 1)
		r = -1;
	close(fd);
	return r;
}

/*
 * Gratuitous ARP and unsolicited neighbour advertisements whenever an
 * interface of ns comes up or changes its address, as FreeBSD's epair
 * does on link up: "all" for those there now, "default" for later ones.
 */
int
net_netns_announce(int ns)
{
	static const char *const knobs[] = {
		"/proc/sys/net/ipv4/conf/all/arp_notify",
		"/proc/sys/net/ipv4/conf/default/arp_notify",
		"/proc/sys/net/ipv6/conf/all/ndisc_notify",
		"/proc/sys/net/ipv6/conf/default/ndisc_notify",
	};
	int self, r = 0;

	if ((self = net_ns_enter(ns)) == -1)
		return -1;
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]) && r == 0; i++)
		if (write_sysctl(knobs[i]) == -1) {
			gerr_set_errno("%s", knobs[i]);
			r = -1;
		}
	net_ns_leave(self);
	return r;
}
