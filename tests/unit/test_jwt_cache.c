/* The verified-token memo: hits repeat the time checks, misses verify in full. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <jwt.h>
#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"
#include "auth/jwt_cache.h"
#include "tap.h"

int main(void)
{
    unsigned char secret[] = "0123456789abcdef0123456789abcdef-test-secret";
    struct jwt_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.alg = JWT_ALG_HS256;
    keys.verify_key = keys.sign_key = secret;
    keys.verify_key_len = keys.sign_key_len = sizeof(secret) - 1;
    strcpy(keys.issuer, "ecf-api");
    strcpy(keys.audience, "ecf-api-clients");

    const int64_t now = 1800000000;
    struct jwt_claims in, out;
    memset(&in, 0, sizeof(in));
    strcpy(in.jti, "11111111-2222-4333-8444-555555555555");
    strcpy(in.sub, "admin:test");
    in.scopes = SCOPE_ADMIN;
    in.iat = now;
    in.exp = now + 3600;
    char *tok = jwt_issue(&keys, &in);
    ok(tok != NULL, "token minted");
    size_t len = strlen(tok);

    struct jwt_cache *c = jwt_cache_new();
    ok(jwt_cache_verify(c, &keys, tok, len, now, &out) == JWT_OK && !strcmp(out.jti, in.jti),
       "first use verifies in full");
    memset(&out, 0, sizeof(out));
    ok(jwt_cache_verify(c, &keys, tok, len, now + 10, &out) == JWT_OK &&
           !strcmp(out.sub, "admin:test") && out.scopes == SCOPE_ADMIN,
       "second use is answered from the memo with the same claims");
    ok(jwt_cache_verify(c, &keys, tok, len, now + 3600 + 61, &out) == JWT_EXPIRED,
       "a memoised token still expires");
    ok(jwt_cache_verify(c, &keys, tok, len, now - 120, &out) == JWT_NOT_YET_VALID,
       "a memoised token is still not valid before iat");

    char *tampered = strdup(tok);
    char *dot = strchr(tampered, '.');
    dot[2] = dot[2] == 'A' ? 'B' : 'A';
    ok(jwt_cache_verify(c, &keys, tampered, len, now, &out) != JWT_OK,
       "different bytes are verified, not matched");
    ok(jwt_cache_verify(c, &keys, tok, len - 1, now, &out) != JWT_OK,
       "a prefix of a memoised token is not accepted");

    unsigned char other[] = "another-secret-another-secret-another-secret";
    struct jwt_keys wrong = keys;
    wrong.verify_key = wrong.sign_key = other;
    wrong.verify_key_len = wrong.sign_key_len = sizeof(other) - 1;
    char *forged = jwt_issue(&wrong, &in);
    ok(jwt_cache_verify(c, &keys, forged, strlen(forged), now, &out) == JWT_BAD_SIGNATURE,
       "a token signed with another key is refused");
    ok(jwt_cache_verify(c, &keys, forged, strlen(forged), now, &out) == JWT_BAD_SIGNATURE,
       "and refused again: failures are never memoised");
    free(forged);
    free(tampered);
    free(tok);
    jwt_cache_free(c);
    return tap_done();
}
