/*
 * Registry records: decode; what decodes encodes to a record that
 * decodes to the same encoding.  The input is tried as it is and with
 * a right end line, so that the fuzzer gets past the checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
one(const char *text)
{
	struct jrecord rec, again;
	char *once, *twice;

	if (record_decode(text, &rec) == 0) {
		once = record_encode(&rec);
		if (record_decode(once, &again) == -1)
			abort();
		twice = record_encode(&again);
		if (strcmp(once, twice) != 0)
			abort();
		free(once);
		free(twice);
		jrecord_free(&again);
		jrecord_free(&rec);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *sealed;

	one(text);
	sealed = record_seal(text);
	one(sealed);
	free(sealed);
	free(text);
	return 0;
}
