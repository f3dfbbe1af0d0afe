/*
 * Command-line parameters: the input is NUL-separated arguments, as
 * jail -c name=x path=/ ... receives them, resolved as a jail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1), *end = text + size;
	struct jparams cmd = { 0 }, out;
	struct jconf cf = { 0 };
	int bad = 0;

	memcpy(text, data, size);
	text[size] = '\0';
	for (char *a = text; a < end; a += strlen(a) + 1)
		if (jparams_parse_arg(&cmd, a) == -1)
			bad = 1;
	if (!bad && jconf_resolve(&cf, NULL, &cmd, &out) == 0) {
		char *s = jparams_render(&out, true);

		free(s);
		jparams_free(&out);
	}
	jparams_free(&cmd);
	free(text);
	return 0;
}
