/* mount.fstab lines and mount parameters, as read before mounting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "isolate/isolate_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *line, *next;

	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		(void)fstab_check_line(line);
	}
	free(text);
	return 0;
}
