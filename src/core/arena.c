#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct arena_hook {
    struct arena_hook *next;
    void (*fn)(void *);
    void *arg;
};

struct arena {
    struct arena_chunk *head; /* current chunk; older ones follow */
    size_t chunk_size;
    size_t total_used;
    struct arena_hook *hooks;
};

static void oom(void)
{
    /* Policy: a worker that cannot allocate dies; the master respawns it. */
    fputs("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n", stderr);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q)
        oom();
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

int xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size) {
        fputs("{\"level\":\"fatal\",\"msg\":\"xsnprintf truncation\"}\n", stderr);
        abort();
    }
    return n;
}

static struct arena_chunk *chunk_new(size_t size)
{
    struct arena_chunk *c = xmalloc(sizeof(*c) + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

struct arena *arena_new(size_t chunk_size)
{
    struct arena *a = xcalloc(1, sizeof(*a));
    a->chunk_size = chunk_size < 1024 ? 1024 : chunk_size;
    a->head = chunk_new(a->chunk_size);
    return a;
}

static void run_hooks(struct arena *a)
{
    while (a->hooks) {
        struct arena_hook *h = a->hooks;
        a->hooks = h->next;
        h->fn(h->arg);
    }
}

/* Chunks larger than this are given back at reset; smaller ones may be kept. */
#define ARENA_KEEP_MAX (4u * 1024 * 1024)

void arena_reset(struct arena *a)
{
    run_hooks(a);
    /* Keep the largest chunk (within ARENA_KEEP_MAX) so a worker serving large answers
     * does not allocate and free a big chunk on every request. */
    struct arena_chunk *keep = NULL;
    for (struct arena_chunk *c = a->head; c; c = c->next)
        if (c->size <= ARENA_KEEP_MAX && (!keep || c->size > keep->size))
            keep = c;
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        if (c != keep)
            free(c);
        c = next;
    }
    if (!keep)
        keep = chunk_new(a->chunk_size);
    keep->next = NULL;
    keep->used = 0;
    a->head = keep;
    a->total_used = 0;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    run_hooks(a);
    while (a->head) {
        struct arena_chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    struct arena_chunk *c = a->head;
    if (need < size)
        oom();
    if (c->size - c->used < need) {
        size_t csize = need > a->chunk_size ? need : a->chunk_size;
        c = chunk_new(csize);
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total_used += need;
    return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        oom();
    void *p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        oom();
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void arena_on_reset(struct arena *a, void (*fn)(void *), void *arg)
{
    struct arena_hook *h = arena_alloc(a, sizeof(*h));
    h->fn = fn;
    h->arg = arg;
    h->next = a->hooks;
    a->hooks = h;
}

size_t arena_used(const struct arena *a)
{
    return a->total_used;
}
