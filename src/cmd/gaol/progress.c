/*
 * Progress of gaol's long steps on a terminal: the release library's
 * reports (bootstrap), and a watch on a stream's descriptor (export,
 * import), drawn the same way.  Nothing is drawn unless stderr is a
 * terminal, so logs and pipes stay clean.
 */
#include <sys/stat.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "gaol.h"
#include "release/release.h"

void
draw_progress(const struct release_progress *p, void *arg)
{
	enum { WIDTH = 30 };
	char d[16], t[16];
	int fill, permille;

	(void)arg;
	humanize((int64_t)p->done, d, sizeof(d));
	if (p->total == 0)
		fprintf(stderr, "\r%s: %s", p->what, d);
	else {
		permille = p->done >= p->total ? 1000 :
		    (int)(p->done * 1000 / p->total);
		fill = permille * WIDTH / 1000;
		humanize((int64_t)p->total, t, sizeof(t));
		fprintf(stderr, "\r%s: [%.*s%*s] %3d%% %s/%s", p->what, fill,
		    "##############################", WIDTH - fill, "",
		    permille / 10, d, t);
	}
	if (p->stage != RP_RUNNING)
		fputs(p->stage == RP_DONE ? "\n" : " failed\n", stderr);
}

/*
 * How far a stream has come, read from its descriptor: a file being
 * written has its size, a file being read its offset (shared with the
 * library and any child it hands the descriptor to).  A pipe tells
 * neither, so nothing is drawn for one.
 */
static bool
stream_done(const struct stream_watch *w, unsigned long long *done)
{
	struct stat st;
	off_t off;

	if (w->reading) {
		if ((off = lseek(w->fd, 0, SEEK_CUR)) == -1)
			return false;
		*done = (unsigned long long)off;
		return true;
	}
	if (fstat(w->fd, &st) == -1 || !S_ISREG(st.st_mode))
		return false;
	*done = (unsigned long long)st.st_size;
	return true;
}

static void *
watch_loop(void *arg)
{
	struct stream_watch *w = arg;
	struct release_progress p = { .what = w->what };
	struct timespec until;
	bool stop = false;

	pthread_mutex_lock(&w->lock);
	while (!stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		(void)pthread_cond_timedwait(&w->wake, &w->lock, &until);
		stop = w->stopping;
		if (!stream_done(w, &p.done))
			continue;
		p.total = w->total;
		if (stop)
			p.stage = w->ok ? RP_DONE : RP_FAILED;
		draw_progress(&p, NULL);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void
stream_watch_start(struct stream_watch *w, int fd, bool reading,
    const char *what, bool quiet)
{
	struct stat st;

	*w = (struct stream_watch){ .fd = fd, .reading = reading,
	    .what = what };
	if (quiet || !isatty(STDERR_FILENO) || isatty(fd))
		return;
	if (reading && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		w->total = (unsigned long long)st.st_size;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	w->running = pthread_create(&w->thread, NULL, watch_loop, w) == 0;
}

void
stream_watch_stop(struct stream_watch *w, bool ok)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	w->ok = ok;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	w->running = false;
}
