/*
 * jail.conf: the whole load (lexer, parser, .include) and, for every
 * jail it names, the resolution with variable expansion and checks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char dir[] = "/tmp/gaol-fuzz-conf.XXXXXX";
static char *path;

static void
remove_files(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jconf cf = { 0 };
	struct strlist names = { 0 };
	FILE *f;

	if (path == NULL) {
		if (mkdtemp(dir) == NULL)
			abort();
		path = xasprintf("%s/jail.conf", dir);
		atexit(remove_files);
	}
	/* An .include of a device or of /proc is the file system's business. */
	if (memmem(data, size, "/dev", 4) || memmem(data, size, "/proc", 5) ||
	    memmem(data, size, "/sys", 4))
		return 0;
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (jconf_load(&cf, path, NULL) == 0) {
		jconf_names(&cf, &names);
		for (size_t i = 0; i < names.n; i++) {
			struct jparams out;

			if (jconf_resolve(&cf, names.v[i], NULL, &out) == 0)
				jparams_free(&out);
		}
	}
	strlist_clear(&names);
	jconf_free(&cf);
	return 0;
}
