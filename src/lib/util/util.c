#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void
oom(void)
{
	fputs("out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	p = realloc(p, n * sz != 0 ? n * sz : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		oom();
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		oom();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

void
freep(void *p)
{
	int saved = errno;

	free(*(void **)p);
	errno = saved;
}

void
closep(int *fd)
{
	int saved = errno;

	if (*fd >= 0)
		close(*fd);
	errno = saved;
}

FILE *
xopen_memstream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (f == NULL)
		oom();
	return f;
}

static __thread char errbuf[2048];

void
gerr_setv(const char *fmt, va_list ap)
{
	int saved = errno;

	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	errno = saved;
}

void
gerr_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gerr_setv(fmt, ap);
	va_end(ap);
}

void
gerr_set_errno(const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	gerr_setv(fmt, ap);
	va_end(ap);
	len = strlen(errbuf);
	snprintf(errbuf + len, sizeof(errbuf) - len, ": %s", strerror(saved));
	errno = saved;
}

const char *
gerr_msg(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

static void
report_std(enum greport level, const char *msg)
{
	if (level == GREPORT_WARN) {
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
		return;
	}
	printf("%s\n", msg);
	fflush(stdout);
}

static greport_fn reporter = report_std;

void
greport_set(greport_fn fn)
{
	reporter = fn != NULL ? fn : report_std;
}

static void
report(enum greport level, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		oom();
	reporter(level, msg);
	free(msg);
}

void
gwarn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(GREPORT_WARN, fmt, ap);
	va_end(ap);
}

void
gnote(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(GREPORT_NOTE, fmt, ap);
	va_end(ap);
}

void
gerr_prefix(const char *fmt, ...)
{
	char *msg = gerr_save(), *pre;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&pre, fmt, ap) < 0)
		oom();
	va_end(ap);
	gerr_set("%s%s", pre, msg);
	free(pre);
	free(msg);
}

char *
gerr_save(void)
{
	return xstrdup(gerr_msg());
}

void
gerr_restore(char *saved)
{
	gerr_set("%s", saved);
	free(saved);
}

int
parse_int(const char *s, long long *out)
{
	char *end;
	long long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

void
humanize(int64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	if (v < 0) {
		snprintf(buf, len, "%" PRId64, v);
		return;
	}
	/* Exact multiples keep their unit: 2G in, 2G out. */
	while (v >= 1024 && v % 1024 == 0 && u < 5) {
		v /= 1024;
		u++;
	}
	if (v < 10000) {
		if (u < 0)
			snprintf(buf, len, "%" PRId64, v);
		else
			snprintf(buf, len, "%" PRId64 "%c", v, units[u]);
		return;
	}
	/* Otherwise as humanize_number(3) does: at most 4 digits. */
	{
		double d = (double)v;

		while (d >= 1000 && u < 5) {
			d /= 1024;
			u++;
		}
		if (d < 10)
			snprintf(buf, len, "%.1f%c", d, units[u]);
		else
			snprintf(buf, len, "%.0f%c", d, units[u]);
	}
}

bool
parse_bool(const char *s, bool *out)
{
	static const char *yes[] = { "1", "true", "yes", "on", NULL };
	static const char *no[] = { "0", "false", "no", "off", NULL };

	for (int i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return *out = true, true;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return *out = false, true;
	return false;
}
