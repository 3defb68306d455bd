/* JWT verification and minting over libjwt 1.10, which checks nothing itself: the
 * algorithm is pinned and every claim is checked here. */
#ifndef ECF_AUTH_JWT_H
#define ECF_AUTH_JWT_H

#include <stddef.h>
#include <stdint.h>

#define JWT_MAX_TOKEN_LEN 8192
#define JWT_LEEWAY_SECONDS 60

enum jwt_scope {
    SCOPE_NONE = 0,
    SCOPE_LEAD_PROVIDER = 1 << 0,
    SCOPE_MENTORS_READ = 1 << 1,
    SCOPE_MENTORS_WRITE = 1 << 2,
    SCOPE_ADMIN = 1 << 3,
};

struct jwt_keys {
    int alg;                   /* libjwt jwt_alg_t: JWT_ALG_HS256 / RS256 / ES256 */
    unsigned char *verify_key; /* secret (HS) or public key PEM (RS/ES) */
    size_t verify_key_len;
    unsigned char *sign_key; /* secret (HS) or private key PEM; NULL when we cannot mint */
    size_t sign_key_len;
    char issuer[128];
    char audience[128];
};

struct jwt_claims {
    char jti[64];
    char sub[128];
    unsigned scopes;  /* enum jwt_scope bits */
    int64_t iat, exp; /* seconds */
    int64_t nbf;      /* 0 when absent */
};

enum jwt_verdict {
    JWT_OK = 0,
    JWT_TOO_LONG,
    JWT_MALFORMED, /* not three parts, bad base64/JSON, decode failure */
    JWT_BAD_SIGNATURE,
    JWT_WRONG_ALG, /* header alg is not the pinned one (incl. none) */
    JWT_MISSING_CLAIM,
    JWT_BAD_ISSUER,
    JWT_BAD_AUDIENCE,
    JWT_EXPIRED,
    JWT_NOT_YET_VALID,
    JWT_BAD_SCOPE, /* scope claim has an unknown scope or none */
    JWT_VERDICT__MAX
};

/* Maps "HS256"/"RS256"/"ES256" to the libjwt constant; -1 if unsupported. */
int jwt_alg_from_name(const char *name);
/* Parses a space separated scope list; returns 0 and bits, or -1 on an unknown name or an
 * empty list (bits untouched then). Runs of spaces and outer spaces are tolerated. */
int jwt_scopes_parse(const char *list, unsigned *bits);
/* Writes the scope names space separated into out, in enum order; -1 if it does not fit
 * or bits has an unknown bit. No bits gives "". */
int jwt_scopes_format(unsigned bits, char *out, size_t outlen);
const char *jwt_verdict_name(enum jwt_verdict v);

/* Verifies token (len bytes, not necessarily NUL-terminated) at real time now_s. Pure:
 * no I/O. Fills claims on JWT_OK (claims may be NULL). The registry check (revocation) is
 * separate. Keys that cannot verify anything (no key, unsupported alg, empty issuer or
 * audience) give JWT_BAD_SIGNATURE. An absent or wrongly typed claim is JWT_MISSING_CLAIM.
 * A token libjwt cannot decode after our own checks passed is JWT_BAD_SIGNATURE (libjwt
 * reports bad signatures and its own parse failures alike). */
enum jwt_verdict jwt_verify(const struct jwt_keys *keys, const char *token, size_t len,
                            int64_t now_s, struct jwt_claims *claims);

/* The time checks alone (exp, iat, nbf with leeway), as jwt_verify applies them. */
enum jwt_verdict jwt_check_times(const struct jwt_claims *claims, int64_t now_s);

/* Mints a token with the given claims (iss/aud from keys). Returns a malloc'd string or
 * NULL (no signing key, or libjwt failure). */
char *jwt_issue(const struct jwt_keys *keys, const struct jwt_claims *claims);

#endif
