#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "auth/ratelimit.h"
#include "core/arena.h"

/* One slot per key: the key hash and a packed (window number << 32 | count), each
 * updated with compare-and-swap. */
struct slot {
    uint64_t key;
    uint64_t state;
};

struct ratelimit {
    size_t nslots;
    struct slot *slots; /* shared mapping */
};

static uint64_t hash64(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h ? h : 1; /* 0 marks an empty slot */
}

struct ratelimit *ratelimit_new(size_t nslots)
{
    struct ratelimit *rl = xcalloc(1, sizeof(*rl));
    rl->nslots = nslots;
    rl->slots = mmap(NULL, nslots * sizeof(struct slot), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rl->slots == MAP_FAILED) {
        free(rl);
        return NULL;
    }
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    munmap(rl->slots, rl->nslots * sizeof(struct slot));
    free(rl);
}

static struct slot *find_slot(struct ratelimit *rl, uint64_t key)
{
    size_t start = (size_t)(key % rl->nslots);
    for (size_t i = 0; i < rl->nslots; i++) {
        struct slot *s = &rl->slots[(start + i) % rl->nslots];
        uint64_t k = __atomic_load_n(&s->key, __ATOMIC_ACQUIRE);
        if (k == key)
            return s;
        if (k == 0) {
            uint64_t expected = 0;
            if (__atomic_compare_exchange_n(&s->key, &expected, key, 0, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE) ||
                expected == key)
                return s;
        }
    }
    return NULL; /* table full: more live tokens than slots */
}

int ratelimit_hit(struct ratelimit *rl, const char *key, long limit, long window_s, int64_t now_s,
                  long *retry_after)
{
    struct slot *s = find_slot(rl, hash64(key));
    if (!s)
        return 1; /* fail open rather than refuse every new token */
    uint64_t window = (uint64_t)(now_s / window_s);
    uint64_t old = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    for (;;) {
        uint64_t w = old >> 32, count = old & 0xffffffffu;
        if (w != window)
            count = 0;
        if (count >= (uint64_t)limit) {
            *retry_after = (long)((int64_t)(window + 1) * window_s - now_s);
            if (*retry_after < 1)
                *retry_after = 1;
            return 0;
        }
        uint64_t next = window << 32 | (count + 1);
        if (__atomic_compare_exchange_n(&s->state, &old, next, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return 1;
    }
}
