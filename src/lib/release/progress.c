/*
 * A step's progress, told to the caller (release_opts.progress), which
 * decides whether and how to show it: the library never prints.  Told
 * at most once a permille, so that a caller drawing a bar is not asked
 * to redraw it for every block read.
 */
#include "release_int.h"

static void
tell(struct progress *p)
{
	if (p->o != NULL && p->o->progress != NULL)
		p->o->progress(&p->now, p->o->progress_arg);
}

void
progress_start(struct progress *p, const char *what, unsigned long long total,
    const struct release_opts *o)
{
	p->now = (struct release_progress){ .what = what, .total = total,
	    .stage = RP_RUNNING };
	p->o = o;
	p->last = 0;
	tell(p);
}

void
progress_update(struct progress *p, unsigned long long done)
{
	int permille;

	p->now.done = done;
	if (p->now.total != 0) {
		permille = done >= p->now.total ? 1000 :
		    (int)(done * 1000 / p->now.total);
		if (permille == p->last)
			return;
		p->last = permille;
	}
	tell(p);
}

void
progress_end(struct progress *p, bool ok)
{
	if (ok && p->now.total != 0)
		p->now.done = p->now.total;
	p->now.stage = ok ? RP_DONE : RP_FAILED;
	tell(p);
}
