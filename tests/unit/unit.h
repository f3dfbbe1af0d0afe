/*
 * What every unit test program's main does: run its cases, or only the
 * one named by its argument.  meson runs each case as a test of its own
 * (tests/unit/meson.build), so that `meson test` reports every case; a
 * name that is no case fails rather than running nothing.
 */
#ifndef GAOL_UNIT_H
#define GAOL_UNIT_H

#include <stdio.h>
#include <string.h>

static inline int
unit_filter(int argc, char **argv, const struct CMUnitTest *t, size_t n)
{
	if (argc < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, argv[1]) == 0) {
			cmocka_set_test_filter(argv[1]);
			return 0;
		}
	fprintf(stderr, "%s: no case %s\n", argv[0], argv[1]);
	return -1;
}

#define unit_main(argc, argv, tests, setup, teardown)			\
	(unit_filter((argc), (argv), (tests),				\
	    sizeof(tests) / sizeof((tests)[0])) == -1 ? 1 :		\
	    cmocka_run_group_tests((tests), (setup), (teardown)))

#endif
