/*
 * Liveness without asking /proc: $GAOL_RUNDIR/inits holds a 32-bit word
 * a jid, and a jail's init holds its word as a robust futex
 * (set_robust_list(2)): the word carries the holder's thread id, and
 * when that thread ends, however it ends (SIGKILL included), the kernel
 * sets FUTEX_OWNER_DIED in it.  So one read of the file says of every
 * jail whether its init still runs, where asking /proc costs three
 * system calls a jail (docs/design/registry-and-recovery.md).
 *
 * The word is only believed when it says "held": one that says anything
 * else (never held, its holder gone, a record from before the file)
 * sends the reader to /proc, which has the last word.  Its creator
 * clears the word before the init exists, and a jid is given again only
 * once its record, and so its init, is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "slots.h"

static char *
slots_path(void)
{
	return xasprintf("%s/inits", gaol_rundir());
}

/* The creator's mapping of the page with the new jail's word. */
static void *slot_page;
static size_t slot_off;

int
registry_slot_prepare(int jid)
{
	char *path = slots_path();
	long page = sysconf(_SC_PAGESIZE);
	off_t at = (off_t)jid * (off_t)sizeof(uint32_t);
	off_t base = at / page * page;
	struct stat st;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (fd == -1)
		return -1;
	/* Grown, never shrunk: creators do not hold the lock here. */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_size < base + page &&
	    posix_fallocate(fd, base, page) != 0)) {
		close(fd);
		return -1;
	}
	slot_page = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, base);
	close(fd);
	if (slot_page == MAP_FAILED) {
		slot_page = NULL;
		return -1;
	}
	slot_off = (size_t)(at - base);
	__atomic_store_n((uint32_t *)((char *)slot_page + slot_off), 0,
	    __ATOMIC_SEQ_CST);
	return 0;
}

void
registry_slot_release(void)
{
	if (slot_page != NULL)
		munmap(slot_page, (size_t)sysconf(_SC_PAGESIZE));
	slot_page = NULL;
}

/*
 * The kernel walks this list when the thread ends.  Its one entry is
 * the word in the creator's mapping, which the init inherited.
 */
static struct robust_list_head head;
static struct robust_list entry;

void
registry_slot_hold(void)
{
	uint32_t *word;

	if (slot_page == NULL)
		return;
	word = (uint32_t *)((char *)slot_page + slot_off);
	head.list.next = &head.list;
	head.futex_offset = (long)((char *)word - (char *)&entry);
	/* Pending until held: a death in between marks the word too. */
	head.list_op_pending = &entry;
	if (syscall(SYS_set_robust_list, &head, sizeof(head)) == -1)
		return;
	__atomic_store_n(word, (uint32_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	entry.next = &head.list;
	head.list.next = &entry;
	head.list_op_pending = NULL;
}

int
slots_open(struct slots *s)
{
	char *path = slots_path();
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	free(path);
	memset(s, 0, sizeof(*s));
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (s->words = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED,
	    fd, 0)) == MAP_FAILED) {
		s->words = NULL;
		close(fd);
		return -1;
	}
	close(fd);
	s->size = (size_t)st.st_size;
	return 0;
}

bool
slot_held(const struct slots *s, int jid)
{
	uint32_t w;

	if (s->words == NULL || jid <= 0 ||
	    ((size_t)jid + 1) * sizeof(uint32_t) > s->size)
		return false;
	w = __atomic_load_n(&s->words[jid], __ATOMIC_SEQ_CST);
	return (w & FUTEX_TID_MASK) != 0 && !(w & FUTEX_OWNER_DIED);
}

void
slots_close(struct slots *s)
{
	if (s->words != NULL)
		munmap((void *)s->words, s->size);
	memset(s, 0, sizeof(*s));
}
