/* devfs.rules(5): parse, then ask every ruleset about a few nodes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "util/util.h"
#include "isolate/devfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct devfs_node nodes[] = {
	{ "null", S_IFCHR, 0 },
	{ "pts/0", S_IFCHR, 0 },
	{ "sda", S_IFBLK, 0 },
	{ "fd", S_IFLNK, 0 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct devfs_rules l = { 0 };

	if (devfs_rules_parse(&l, text, "fuzz") == 0)
		for (size_t i = 0; i < l.n; i++)
			for (size_t k = 0; k < sizeof(nodes) / sizeof(*nodes); k++) {
				struct devfs_node n = nodes[k];

				n.rdev = k == 0 ? makedev(1, 3) : makedev(136, 0);
				(void)devfs_visible(&l, l.v[i].num, &n);
			}
	devfs_rules_free(&l);
	free(text);
	return 0;
}
