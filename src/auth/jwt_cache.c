#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "auth/jwt_cache.h"
#include "core/arena.h"

#define JWT_CACHE_SLOTS 256
#define JWT_CACHE_MAX_TOKEN 2048 /* longer tokens are verified every time */

struct entry {
    size_t len; /* 0 = empty */
    char token[JWT_CACHE_MAX_TOKEN];
    struct jwt_claims claims;
};

struct jwt_cache {
    struct entry slots[JWT_CACHE_SLOTS];
};

struct jwt_cache *jwt_cache_new(void)
{
    return xcalloc(1, sizeof(struct jwt_cache));
}

void jwt_cache_free(struct jwt_cache *c)
{
    free(c);
}

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

enum jwt_verdict jwt_cache_verify(struct jwt_cache *c, const struct jwt_keys *keys,
                                  const char *token, size_t len, int64_t now_s,
                                  struct jwt_claims *claims)
{
    struct entry *e = NULL;
    if (len > 0 && len <= JWT_CACHE_MAX_TOKEN) {
        e = &c->slots[hash(token, len) % JWT_CACHE_SLOTS];
        if (e->len == len && memcmp(e->token, token, len) == 0) {
            enum jwt_verdict v = jwt_check_times(&e->claims, now_s);
            if (v == JWT_OK)
                *claims = e->claims;
            return v;
        }
    }
    enum jwt_verdict v = jwt_verify(keys, token, len, now_s, claims);
    if (v == JWT_OK && e) {
        memcpy(e->token, token, len);
        e->len = len;
        e->claims = *claims;
    }
    return v;
}
