/* Per-request memory: everything a request allocates lives in its arena and is
 * released in one arena_reset() when the request ends. Out-of-memory aborts the
 * process (a prefork worker is respawned by the master; see README "OOM policy"). */
#ifndef ECF_CORE_ARENA_H
#define ECF_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(size_t chunk_size);
void arena_free(struct arena *a);
/* Runs cleanup hooks (last registered first) and rewinds to empty, keeping the first chunk. */
void arena_reset(struct arena *a);

void *arena_alloc(struct arena *a, size_t size); /* 16-byte aligned, uninitialised */
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into arena memory; the result is never truncated. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Registers fn(arg) to run at the next reset/free. */
void arena_on_reset(struct arena *a, void (*fn)(void *), void *arg);

/* Bytes currently handed out (for tests and diagnostics). */
size_t arena_used(const struct arena *a);

/* Process-wide allocation helpers that abort on failure. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* snprintf that aborts instead of truncating (tmux's xsnprintf); returns the length. */
int xsnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
