#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/tokens.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_tokens.h"

int tokens_load_keys(const struct config *cfg, int need_signing, struct jwt_keys *keys, char *err,
                     size_t errlen)
{
    memset(keys, 0, sizeof(*keys));
    keys->alg = jwt_alg_from_name(cfg->jwt_algorithm);
    if (keys->alg < 0) {
        snprintf(err, errlen, "unsupported jwt_algorithm '%s' (HS256, RS256, ES256)",
                 cfg->jwt_algorithm);
        return -1;
    }
    int symmetric = keys->alg == JWT_ALG_HS256;
    size_t len = 0;
    /* An HMAC secret is used as bytes, so keep it exactly; PEM keys tolerate newlines. */
    keys->verify_key =
        (unsigned char *)config_read_secret(cfg->jwt_key_file, &len, symmetric, err, errlen);
    if (!keys->verify_key)
        return -1;
    keys->verify_key_len = len;
    if (symmetric && len < 32) {
        snprintf(err, errlen, "the HS256 secret in %s must be at least 32 bytes",
                 cfg->jwt_key_file);
        goto fail;
    }
    if (symmetric) {
        keys->sign_key = xmalloc(len + 1);
        memcpy(keys->sign_key, keys->verify_key, len + 1);
        keys->sign_key_len = len;
    } else if (need_signing) {
        keys->sign_key =
            (unsigned char *)config_read_secret(cfg->jwt_signing_key_file, &len, 0, err, errlen);
        if (!keys->sign_key)
            goto fail;
        keys->sign_key_len = len;
    }
    if (xsnprintf(keys->issuer, sizeof(keys->issuer), "%s", cfg->jwt_issuer) == 0 ||
        xsnprintf(keys->audience, sizeof(keys->audience), "%s", cfg->jwt_audience) == 0) {
        snprintf(err, errlen, "jwt_issuer and jwt_audience must not be empty");
        goto fail;
    }
    return 0;
fail:
    tokens_free_keys(keys);
    return -1;
}

void tokens_free_keys(struct jwt_keys *keys)
{
    if (keys->verify_key) {
        explicit_bzero(keys->verify_key, keys->verify_key_len);
        free(keys->verify_key);
    }
    if (keys->sign_key) {
        explicit_bzero(keys->sign_key, keys->sign_key_len);
        free(keys->sign_key);
    }
    memset(keys, 0, sizeof(*keys));
}

int tokens_parse_lifetime(const char *s, int64_t *seconds)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    long long n = strtoll(s, &end, 10);
    int64_t unit;
    switch (*end) {
    case 's':
        unit = 1;
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    default:
        return -1;
    }
    if (end[1] != '\0' || n < 1 || n > 3650LL * 86400 / unit)
        return -1;
    *seconds = n * unit;
    return 0;
}

static int admin_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 100)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '@'))
            return 0;
    }
    return 1;
}

enum token_issue_result tokens_issue(struct db *db, const struct jwt_keys *keys,
                                     const struct token_request *tr, int64_t now_us,
                                     struct arena *a, struct issued_token *out, int *db_rc)
{
    struct token_row row;
    struct jwt_claims claims;
    uint8_t jti[16];
    char scopes[128];
    memset(out, 0, sizeof(*out));
    memset(&row, 0, sizeof(row));
    memset(&claims, 0, sizeof(claims));
    *db_rc = DB_OK;

    if (tr->admin_name) {
        if (!admin_name_ok(tr->admin_name))
            return TOKEN_BAD_ADMIN_NAME;
        xsnprintf(out->owner, sizeof(out->owner), "admin:%s", tr->admin_name);
        row.admin_name = tr->admin_name;
        out->scopes = tr->scopes ? tr->scopes : SCOPE_ADMIN;
    } else {
        struct lead_provider_row lp;
        int rc = db_lead_provider_find(db, tr->lead_provider ? tr->lead_provider : "", a, &lp);
        if (rc == DB_NOT_FOUND)
            return TOKEN_UNKNOWN_LEAD_PROVIDER;
        if (rc) {
            *db_rc = rc;
            return TOKEN_DB_FAILED;
        }
        ids_uuid_format(lp.id, out->owner);
        row.has_lead_provider = 1;
        memcpy(row.lead_provider_id, lp.id, 16);
        out->scopes = tr->scopes ? tr->scopes : SCOPE_LEAD_PROVIDER;
    }
    if (jwt_scopes_format(out->scopes, scopes, sizeof(scopes)))
        return TOKEN_CANNOT_SIGN;
    ids_uuid_v4(jti);
    ids_uuid_format(jti, out->jti);
    int64_t lifetime = tr->lifetime_s ? tr->lifetime_s : TOKEN_DEFAULT_LIFETIME_S;
    int64_t now_s = now_us / CLOCK_US_PER_SEC;
    out->expires_at_us = (now_s + lifetime) * CLOCK_US_PER_SEC;

    xsnprintf(claims.jti, sizeof(claims.jti), "%s", out->jti);
    xsnprintf(claims.sub, sizeof(claims.sub), "%s", out->owner);
    claims.scopes = out->scopes;
    claims.iat = now_s;
    claims.exp = now_s + lifetime;
    char *jwt = jwt_issue(keys, &claims);
    if (!jwt)
        return TOKEN_CANNOT_SIGN;
    out->token = arena_strdup(a, jwt);
    free(jwt);

    row.jti = out->jti;
    row.subject = out->owner;
    row.scopes = scopes;
    row.description = tr->description;
    row.created_at_us = now_s * CLOCK_US_PER_SEC;
    row.expires_at_us = out->expires_at_us;
    int rc = db_token_insert(db, &row);
    if (rc) {
        *db_rc = rc;
        return TOKEN_DB_FAILED;
    }
    return TOKEN_ISSUED;
}
