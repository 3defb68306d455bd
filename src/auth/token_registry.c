#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "auth/token_registry.h"
#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_tokens.h"

#define REGISTRY_SLOTS 1024 /* direct-mapped by jti hash; a collision only costs a lookup */
#define TOUCH_INTERVAL_US (60 * CLOCK_US_PER_SEC)

struct cache_entry {
    char jti[64];
    int64_t checked_us; /* 0 = empty */
    int accepted;
    int64_t expires_at_us;
    int64_t touched_us;
    struct principal who;
};

struct token_registry {
    int64_t ttl_us;
    struct arena *scratch;
    struct cache_entry slots[REGISTRY_SLOTS];
};

struct token_registry *token_registry_new(long cache_seconds)
{
    struct token_registry *r = xcalloc(1, sizeof(*r));
    r->ttl_us = cache_seconds * CLOCK_US_PER_SEC;
    r->scratch = arena_new(4096);
    return r;
}

void token_registry_free(struct token_registry *r)
{
    if (!r)
        return;
    arena_free(r->scratch);
    free(r);
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* Loads the registry row and decides; the claims were already verified. */
static enum token_check load(struct token_registry *r, struct db *db,
                             const struct jwt_claims *claims, int64_t now_us, struct cache_entry *e)
{
    struct token_row row;
    arena_reset(r->scratch);
    int rc = db_token_get(db, claims->jti, r->scratch, &row);
    if (rc != DB_OK && rc != DB_NOT_FOUND)
        return TOKEN_UNAVAILABLE;
    memset(e, 0, sizeof(*e));
    xsnprintf(e->jti, sizeof(e->jti), "%s", claims->jti);
    e->checked_us = now_us;
    e->accepted = 0;
    if (rc == DB_NOT_FOUND || row.revoked_at_us != 0 || strcmp(row.subject, claims->sub) != 0)
        return TOKEN_REFUSED;
    unsigned registered;
    if (jwt_scopes_parse(row.scopes, &registered) != 0)
        return TOKEN_REFUSED;
    e->accepted = 1;
    e->expires_at_us = row.expires_at_us;
    e->touched_us = row.last_used_at_us;
    xsnprintf(e->who.jti, sizeof(e->who.jti), "%s", claims->jti);
    xsnprintf(e->who.sub, sizeof(e->who.sub), "%s", claims->sub);
    /* The registry is the authority: a token cannot claim more than was issued. */
    e->who.scopes = claims->scopes & registered;
    e->who.is_admin = row.admin_name != NULL;
    if (row.has_lead_provider)
        memcpy(e->who.lead_provider_id, row.lead_provider_id, 16);
    return TOKEN_OK;
}

enum token_check token_registry_check(struct token_registry *r, struct db *db,
                                      const struct jwt_claims *claims, int64_t now_us,
                                      struct principal *who)
{
    struct cache_entry *e = &r->slots[fnv1a(claims->jti) % REGISTRY_SLOTS];
    int fresh = e->checked_us != 0 && strcmp(e->jti, claims->jti) == 0 &&
                now_us - e->checked_us < r->ttl_us && now_us >= e->checked_us;
    if (!fresh) {
        enum token_check c = load(r, db, claims, now_us, e);
        if (c != TOKEN_OK)
            return c;
    }
    if (!e->accepted || strcmp(e->who.sub, claims->sub) != 0)
        return TOKEN_REFUSED;
    if (e->expires_at_us && now_us > e->expires_at_us + JWT_LEEWAY_SECONDS * CLOCK_US_PER_SEC)
        return TOKEN_REFUSED;
    if (now_us - e->touched_us >= TOUCH_INTERVAL_US) {
        /* The UPDATE itself skips rows touched in the last minute by another worker. */
        if (db_token_touch(db, claims->jti, now_us) == DB_OK)
            e->touched_us = now_us;
    }
    *who = e->who;
    who->scopes &= claims->scopes;
    return TOKEN_OK;
}
