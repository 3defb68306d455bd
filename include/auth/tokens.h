/* Issuing API tokens (used by ecfctl and the admin API) and loading the keys. */
#ifndef ECF_AUTH_TOKENS_H
#define ECF_AUTH_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "auth/jwt.h"

struct db;
struct arena;
struct config;

#define TOKEN_DEFAULT_LIFETIME_S (90LL * 86400)

/* Loads the verification key (and the signing key when need_signing) named by the
 * configuration, refusing files readable by others. 0 ok, -1 with err. */
int tokens_load_keys(const struct config *cfg, int need_signing, struct jwt_keys *keys, char *err,
                     size_t errlen);
void tokens_free_keys(struct jwt_keys *keys);

struct token_request {
    const char *lead_provider; /* UUID or exact name; NULL for an admin token */
    const char *admin_name;    /* NULL for a provider token */
    unsigned scopes;           /* 0 = default: lead_provider, or admin */
    int64_t lifetime_s;        /* 0 = TOKEN_DEFAULT_LIFETIME_S */
    const char *description;
};

struct issued_token {
    char jti[37];
    char *token; /* arena copy */
    char owner[128];
    unsigned scopes;
    int64_t expires_at_us;
};

enum token_issue_result {
    TOKEN_ISSUED = 0,
    TOKEN_UNKNOWN_LEAD_PROVIDER,
    TOKEN_BAD_ADMIN_NAME,
    TOKEN_CANNOT_SIGN,
    TOKEN_DB_FAILED,
};

/* Mints, then records the jti; the token text exists only in the answer. */
enum token_issue_result tokens_issue(struct db *db, const struct jwt_keys *keys,
                                     const struct token_request *tr, int64_t now_us,
                                     struct arena *a, struct issued_token *out, int *db_rc);

/* "90d", "12h", "30m", "45s" -> seconds (1 s .. 10 years). 0 ok, -1 bad. */
int tokens_parse_lifetime(const char *s, int64_t *seconds);

#endif
