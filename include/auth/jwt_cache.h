/* Per-worker memo of verified tokens. Clients send the same token on every request; the
 * signature and claims of identical bytes verify identically, so only the time checks
 * (exp, iat, nbf) are repeated on a hit. */
#ifndef ECF_AUTH_JWT_CACHE_H
#define ECF_AUTH_JWT_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/jwt.h"

struct jwt_cache;

struct jwt_cache *jwt_cache_new(void);
void jwt_cache_free(struct jwt_cache *c);
/* jwt_verify with memoisation of successful verifications. */
enum jwt_verdict jwt_cache_verify(struct jwt_cache *c, const struct jwt_keys *keys,
                                  const char *token, size_t len, int64_t now_s,
                                  struct jwt_claims *claims);

#endif
