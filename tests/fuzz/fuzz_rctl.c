/*
 * rctl(8) rules and filters: a rule parses, formats (both ways) and
 * parses back the same; a filter parses and matches the rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "rctl/rctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *s, *h;
	struct rrule r, again, f;
	bool rule = rrule_parse(text, &r, false) == 0;

	if (rule) {
		s = rrule_format(&r, false);
		h = rrule_format(&r, true);
		if (rrule_parse(s, &again, false) == -1 || !rrule_same(&r, &again))
			abort();
		rrule_free(&again);
		free(s);
		free(h);
	}
	if (rrule_parse(text, &f, true) == 0) {
		if (rule && !rrule_matches(&f, &r))
			abort();
		rrule_free(&f);
	}
	if (rule)
		rrule_free(&r);
	free(text);
	return 0;
}
