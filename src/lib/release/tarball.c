/*
 * Root filesystem tarballs: downloaded with libcurl, checked with
 * OpenSSL's SHA-256, extracted with libarchive (every compression it
 * knows, found by content), keeping numeric owners, modes (setuid
 * included), times, ACLs, xattrs and hard links, and refusing entries
 * that would land outside the release: "..", absolute paths (their "/"
 * is dropped first, as tar does) and paths through a symlink the
 * archive itself made (ARCHIVE_EXTRACT_SECURE_*).
 */
#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "release_int.h"

bool
tarball_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

void
digest_hex(const unsigned char *md, unsigned len, char *out)
{
	for (unsigned i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* Compare a finished digest with the expected one. */
static int
digest_check(EVP_MD_CTX *ctx, const char *want, const char *what)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char got[2 * EVP_MAX_MD_SIZE + 1];
	unsigned len = 0;

	EVP_DigestFinal_ex(ctx, md, &len);
	digest_hex(md, len, got);
	if (strcasecmp(got, want) != 0) {
		gerr_set("%s: sha256 mismatch: expected %s, got %s", what,
		    want, got);
		return -1;
	}
	return 0;
}

int
tarball_verify(const char *path, const char *sha256,
    const struct release_opts *o)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct progress pr;
	struct stat st;
	char buf[65536];
	unsigned long long done = 0;
	ssize_t n;
	int fd, r = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		gerr_set_errno("%s", path);
		goto out;
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	progress_start(&pr, "checking", (unsigned long long)st.st_size, o);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			progress_end(&pr, false);
			gerr_set_errno("%s", path);
			goto out;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
		progress_update(&pr, done += (unsigned long long)n);
	}
	progress_end(&pr, true);
	r = digest_check(ctx, sha256, path);
out:
	if (fd != -1)
		close(fd);
	EVP_MD_CTX_free(ctx);
	return r;
}

struct download {
	int		 fd;
	EVP_MD_CTX	*ctx;
	struct progress	 pr;
	int		 werrno;
};

static size_t
download_write(char *data, size_t size, size_t n, void *arg)
{
	struct download *d = arg;

	if (write_full(d->fd, data, size * n) == -1) {
		d->werrno = errno;
		return 0;
	}
	EVP_DigestUpdate(d->ctx, data, size * n);
	return size * n;
}

static int
download_progress(void *arg, curl_off_t total, curl_off_t now, curl_off_t ut,
    curl_off_t un)
{
	struct download *d = arg;

	(void)ut;
	(void)un;
	if (total > 0)
		d->pr.now.total = (unsigned long long)total;
	progress_update(&d->pr, (unsigned long long)now);
	return 0;
}

int
tarball_download(const char *url, const char *path,
    const struct release_opts *o)
{
	struct download d = { .ctx = EVP_MD_CTX_new() };
	char cerr[CURL_ERROR_SIZE] = "";
	CURL *c;
	CURLcode res;
	int r = -1;

	d.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (d.fd == -1) {
		gerr_set_errno("%s", path);
		EVP_MD_CTX_free(d.ctx);
		return -1;
	}
	EVP_DigestInit_ex(d.ctx, EVP_sha256(), NULL);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* A stalled transfer ends: under 1 byte/s for a minute. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, download_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, download_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "gaol-bootstrap");
	progress_start(&d.pr, "downloading", 0, o);
	res = curl_easy_perform(c);
	progress_end(&d.pr, res == CURLE_OK);
	if (res != CURLE_OK) {
		if (d.werrno != 0) {
			errno = d.werrno;
			gerr_set_errno("%s", path);
		} else {
			gerr_set("%s: %s", url, *cerr ? cerr : curl_easy_strerror(res));
		}
	} else if (close(d.fd) == -1) {
		d.fd = -1;
		gerr_set_errno("%s", path);
	} else {
		d.fd = -1;
		r = o->sha256 != NULL ? digest_check(d.ctx, o->sha256, url) : 0;
	}
	if (d.fd != -1)
		close(d.fd);
	curl_easy_cleanup(c);
	EVP_MD_CTX_free(d.ctx);
	return r;
}

/* Drop the leading "/" of absolute member names, as tar(1) does. */
static const char *
relative(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

static int
extract_entries(struct archive *a, struct archive *w, const char *path,
    struct progress *pr)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *name, *link;

		if (r < ARCHIVE_WARN) {
			gerr_set("%s: %s", path, archive_error_string(a));
			return -1;
		}
		name = relative(archive_entry_pathname(e));
		if (*name == '\0')
			continue;
		archive_entry_set_pathname(e, name);
		if ((link = archive_entry_hardlink(e)) != NULL)
			archive_entry_set_hardlink(e, relative(link));
		if (archive_write_header(w, e) < ARCHIVE_WARN) {
			gerr_set("%s: %s: %s", path, name,
			    archive_error_string(w));
			return -1;
		}
		if (archive_entry_size(e) > 0) {
			const void *buf;
			size_t len;
			la_int64_t off;

			while ((r = archive_read_data_block(a, &buf, &len,
			    &off)) != ARCHIVE_EOF) {
				if (r < ARCHIVE_WARN) {
					gerr_set("%s: %s", path,
					    archive_error_string(a));
					return -1;
				}
				if (archive_write_data_block(w, buf, len, off) <
				    ARCHIVE_WARN) {
					gerr_set("%s: %s: %s", path, name,
					    archive_error_string(w));
					return -1;
				}
			}
		}
		if (archive_write_finish_entry(w) < ARCHIVE_WARN) {
			gerr_set("%s: %s: %s", path, name,
			    archive_error_string(w));
			return -1;
		}
		progress_update(pr, (unsigned long long)archive_filter_bytes(a, -1));
	}
	return 0;
}

int
tarball_extract(const char *path, const char *dir,
    const struct release_opts *o)
{
	struct archive *a = archive_read_new(), *w = archive_write_disk_new();
	struct progress pr;
	struct stat st;
	int cwd = -1, r = -1;

	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_cpio(a);
	/* Numeric owners as they are in the archive (no name lookup): the
	 * release's own passwd, not the host's, gives them names. */
	archive_write_disk_set_options(w, ARCHIVE_EXTRACT_OWNER |
	    ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_ACL |
	    ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK |
	    ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
	if (stat(path, &st) == -1) {
		gerr_set_errno("%s", path);
		goto out;
	}
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		gerr_set("%s: %s", path, archive_error_string(a));
		goto out;
	}
	/* libarchive writes relative to the working directory. */
	if ((cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    chdir(dir) == -1) {
		gerr_set_errno("%s", dir);
		goto out;
	}
	progress_start(&pr, "extracting", (unsigned long long)st.st_size, o);
	r = extract_entries(a, w, path, &pr);
	if (r == 0 && archive_write_close(w) != ARCHIVE_OK) {
		gerr_set("%s: %s", path, archive_error_string(w));
		r = -1;
	}
	progress_end(&pr, r == 0);
out:
	if (cwd != -1) {
		if (fchdir(cwd) == -1 && r == 0) {
			gerr_set_errno("back to the working directory");
			r = -1;
		}
		close(cwd);
	}
	archive_read_free(a);
	archive_write_free(w);
	return r;
}
