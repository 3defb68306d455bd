/* The token registry: every token's jti is recorded in MySQL; each worker caches what
 * it learnt for at most token_cache_seconds, which bounds how long a revoked token
 * keeps working. last_used_at is written at most once a minute per token. */
#ifndef ECF_AUTH_TOKEN_REGISTRY_H
#define ECF_AUTH_TOKEN_REGISTRY_H

#include <stdint.h>

#include "auth/jwt.h"

struct db;

/* Who is calling: filled from a verified token that the registry accepted. */
struct principal {
    char jti[64];
    char sub[128];
    unsigned scopes;
    int is_admin;
    uint8_t lead_provider_id[16]; /* valid when !is_admin */
};

enum token_check { TOKEN_OK, TOKEN_REFUSED, TOKEN_UNAVAILABLE };

struct token_registry;

struct token_registry *token_registry_new(long cache_seconds);
void token_registry_free(struct token_registry *r);
/* Accepts the verified claims when the registry knows the jti for the same subject, not
 * revoked and not expired; fills who. TOKEN_UNAVAILABLE when the database cannot answer
 * and the cache has nothing fresh. */
enum token_check token_registry_check(struct token_registry *r, struct db *db,
                                      const struct jwt_claims *claims, int64_t now_us,
                                      struct principal *who);

#endif
