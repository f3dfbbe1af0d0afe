/* The release library tells its caller how far a step is; it draws nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "release/release_int.h"

struct seen {
	int			 calls;
	struct release_progress	 first, last;
	bool			 backwards;
};

static void
record(const struct release_progress *p, void *arg)
{
	struct seen *s = arg;

	if (s->calls++ == 0)
		s->first = *p;
	else if (p->done < s->last.done)
		s->backwards = true;
	s->last = *p;
}

static void
test_verify_reports(void **state)
{
	char path[] = "/tmp/test_release.XXXXXX";
	static char block[1 << 20];
	struct seen s = { 0 };
	struct release_opts o = { .progress = record, .progress_arg = &s };
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	memset(block, 'x', sizeof(block));
	for (int i = 0; i < 4; i++)
		assert_int_equal(write_full(fd, block, sizeof(block)), 0);
	close(fd);
	/* the digest is wrong on purpose: the steps are told either way */
	assert_int_equal(tarball_verify(path, "00000000000000000000000000000000"
	    "00000000000000000000000000000000", &o), -1);
	assert_string_equal(s.first.what, "checking");
	assert_int_equal(s.first.stage, RP_RUNNING);
	assert_int_equal(s.first.done, 0);
	assert_int_equal(s.first.total, 4 * sizeof(block));
	assert_int_equal(s.last.stage, RP_DONE);
	assert_int_equal(s.last.done, s.last.total);
	assert_false(s.backwards);
	assert_true(s.calls >= 3 && s.calls <= 1002);
	/* nobody to tell: the step runs the same */
	o.progress = NULL;
	assert_int_equal(tarball_verify(path, "00000000000000000000000000000000"
	    "00000000000000000000000000000000", &o), -1);
	unlink(path);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_reports),
	};

	return unit_main(argc, argv, tests, NULL, NULL);
}
