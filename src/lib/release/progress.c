/*
 * The progress bar of a download or an extraction: drawn on stderr only
 * when it is a terminal and -q was not given, so logs and pipes stay
 * clean.
 */
#include <stdio.h>
#include <unistd.h>

#include "release_int.h"

void
progress_start(struct progress *p, const char *what, unsigned long long total,
    bool quiet)
{
	p->what = what;
	p->total = total;
	p->on = !quiet && isatty(STDERR_FILENO);
	p->last = -1;
	progress_update(p, 0);
}

void
progress_update(struct progress *p, unsigned long long done)
{
	char d[16], t[16];
	int permille, width = 30, fill;

	if (!p->on)
		return;
	humanize((int64_t)done, d, sizeof(d));
	if (p->total == 0) {
		fprintf(stderr, "\r%s: %s", p->what, d);
		return;
	}
	permille = done >= p->total ? 1000 : (int)(done * 1000 / p->total);
	if (permille == p->last)
		return;
	p->last = permille;
	humanize((int64_t)p->total, t, sizeof(t));
	fill = permille * width / 1000;
	fprintf(stderr, "\r%s: [%.*s%*s] %3d%% %s/%s", p->what, fill,
	    "##############################", width - fill, "",
	    permille / 10, d, t);
}

void
progress_end(struct progress *p, bool ok)
{
	if (!p->on)
		return;
	if (ok && p->total != 0) {
		p->last = -1;
		progress_update(p, p->total);
	}
	fputs(ok ? "\n" : " failed\n", stderr);
}
