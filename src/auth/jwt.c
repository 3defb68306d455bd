/* JWT verification and minting over libjwt 1.10.
 *
 * libjwt 1.10 only checks a signature, and only when handed a non-empty key: it does not
 * pin the algorithm and validates no claim. So verification here is layered:
 *   1. size and shape (three base64url segments) are checked before libjwt sees the token;
 *   2. the header is decoded with our strict JSON parser and its "alg" must name the
 *      configured algorithm, before and independently of any signature check
 *      ("none", HS512 with the right secret, or HS256 keyed with an RSA public key all
 *      fail here);
 *   3. the payload is decoded with the same strict parser (duplicate claims, bad UTF-8 and
 *      the like are refused), then libjwt checks the signature with the configured key,
 *      and the algorithm it used is compared once more;
 *   4. every claim is checked by hand on our own parse of the payload, where JSON types
 *      are exact (an "exp" given as a string is not an integer). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <json-c/json.h>

#include "auth/jwt.h"
#include "core/json_in.h"

/* Depth allowed inside a token's header and payload; our claims are all top level. */
#define JWT_JSON_DEPTH 8

static const struct {
    const char *name;
    unsigned bit;
} scope_table[] = {
    {"lead_provider", SCOPE_LEAD_PROVIDER},
    {"mentors:read", SCOPE_MENTORS_READ},
    {"mentors:write", SCOPE_MENTORS_WRITE},
    {"admin", SCOPE_ADMIN},
};

#define SCOPE_COUNT (sizeof(scope_table) / sizeof(scope_table[0]))
#define SCOPE_ALL (SCOPE_LEAD_PROVIDER | SCOPE_MENTORS_READ | SCOPE_MENTORS_WRITE | SCOPE_ADMIN)

static const char *const verdict_names[] = {
    [JWT_OK] = "ok",
    [JWT_TOO_LONG] = "too_long",
    [JWT_MALFORMED] = "malformed",
    [JWT_BAD_SIGNATURE] = "bad_signature",
    [JWT_WRONG_ALG] = "wrong_alg",
    [JWT_MISSING_CLAIM] = "missing_claim",
    [JWT_BAD_ISSUER] = "bad_issuer",
    [JWT_BAD_AUDIENCE] = "bad_audience",
    [JWT_EXPIRED] = "expired",
    [JWT_NOT_YET_VALID] = "not_yet_valid",
    [JWT_BAD_SCOPE] = "bad_scope",
};

_Static_assert(sizeof(verdict_names) / sizeof(verdict_names[0]) == JWT_VERDICT__MAX,
               "verdict_names must name every verdict");

int jwt_alg_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    if (strcmp(name, "HS256") == 0)
        return JWT_ALG_HS256;
    if (strcmp(name, "RS256") == 0)
        return JWT_ALG_RS256;
    if (strcmp(name, "ES256") == 0)
        return JWT_ALG_ES256;
    return -1;
}

static int alg_supported(int alg)
{
    return alg == JWT_ALG_HS256 || alg == JWT_ALG_RS256 || alg == JWT_ALG_ES256;
}

/* Scope list of exactly n bytes: names separated by one or more spaces. */
static int scopes_parse_n(const char *s, size_t n, unsigned *bits)
{
    unsigned acc = 0;
    size_t i = 0;

    while (i < n) {
        size_t start, len, k;

        while (i < n && s[i] == ' ')
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && s[i] != ' ')
            i++;
        len = i - start;
        for (k = 0; k < SCOPE_COUNT; k++) {
            if (strlen(scope_table[k].name) == len &&
                memcmp(scope_table[k].name, s + start, len) == 0)
                break;
        }
        if (k == SCOPE_COUNT)
            return -1;
        acc |= scope_table[k].bit;
    }
    if (acc == 0)
        return -1;
    *bits = acc;
    return 0;
}

int jwt_scopes_parse(const char *list, unsigned *bits)
{
    if (list == NULL || bits == NULL)
        return -1;
    return scopes_parse_n(list, strlen(list), bits);
}

int jwt_scopes_format(unsigned bits, char *out, size_t outlen)
{
    size_t pos = 0, k;

    if (out == NULL || outlen == 0)
        return -1;
    out[0] = '\0';
    if ((bits & ~(unsigned)SCOPE_ALL) != 0)
        return -1;
    for (k = 0; k < SCOPE_COUNT; k++) {
        size_t n, sep;

        if (!(bits & scope_table[k].bit))
            continue;
        n = strlen(scope_table[k].name);
        sep = pos > 0 ? 1 : 0;
        if (outlen - pos <= sep + n) /* room for separator, name and the NUL */
            goto toolong;
        if (sep)
            out[pos++] = ' ';
        memcpy(out + pos, scope_table[k].name, n);
        pos += n;
    }
    out[pos] = '\0';
    return 0;
toolong:
    out[0] = '\0';
    return -1;
}

const char *jwt_verdict_name(enum jwt_verdict v)
{
    if ((unsigned)v >= JWT_VERDICT__MAX)
        return "unknown";
    return verdict_names[v];
}

/* ---- base64url (RFC 4648 section 5, unpadded, as JWS compact serialization uses) ---- */

static int b64url_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

/* A segment is acceptable if it uses only the base64url alphabet without padding, has a
 * possible length, and is the canonical encoding (unused trailing bits are zero), so that
 * each decoded value has exactly one accepted spelling. */
static int b64url_check(const char *s, size_t n)
{
    size_t i;
    int last = 0;

    if (n % 4 == 1)
        return -1;
    for (i = 0; i < n; i++) {
        last = b64url_val((unsigned char)s[i]);
        if (last < 0)
            return -1;
    }
    if (n % 4 == 2 && (last & 0x0F) != 0)
        return -1;
    if (n % 4 == 3 && (last & 0x03) != 0)
        return -1;
    return 0;
}

/* Decodes a segment that passed b64url_check; out must hold n * 3 / 4 + 1 bytes. */
static size_t b64url_decode(const char *s, size_t n, unsigned char *out)
{
    size_t i, o = 0;
    uint32_t acc = 0;
    int bits = 0;

    for (i = 0; i < n; i++) {
        acc = (acc << 6) | (uint32_t)b64url_val((unsigned char)s[i]);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)((acc >> bits) & 0xFF);
        }
    }
    return o;
}

/* Decodes one segment and parses it strictly; it must be a JSON object. */
static int segment_json(const char *s, size_t n, json_object **out)
{
    unsigned char *buf;
    size_t m;
    int rc;

    *out = NULL;
    buf = malloc(n / 4 * 3 + 3);
    if (buf == NULL)
        return -1;
    m = b64url_decode(s, n, buf);
    rc = json_parse_strict((const char *)buf, m, JWT_JSON_DEPTH, out, NULL);
    free(buf);
    if (rc != 0)
        return -1;
    if (!json_object_is_type(*out, json_type_object)) {
        json_object_put(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* ---- claims ---- */

/* Borrowed string member of obj; -1 if absent or not a string. */
static int member_string(json_object *obj, const char *name, const char **s, size_t *n)
{
    json_object *v;
    int len;

    if (!json_object_object_get_ex(obj, name, &v) || !json_object_is_type(v, json_type_string))
        return -1;
    len = json_object_get_string_len(v);
    if (len < 0)
        return -1;
    *s = json_object_get_string(v);
    *n = (size_t)len;
    return 0;
}

/* Integer member of obj; -1 if absent or not a JSON integer. */
static int member_int(json_object *obj, const char *name, int64_t *out)
{
    json_object *v;

    if (!json_object_object_get_ex(obj, name, &v) || !json_object_is_type(v, json_type_int))
        return -1;
    *out = json_object_get_int64(v);
    return 0;
}

static int bytes_equal_cstr(const char *s, size_t n, const char *c)
{
    return strlen(c) == n && memcmp(s, c, n) == 0;
}

/* Copies a text claim into a fixed field: non-empty, no NUL, and it must fit. */
static int copy_text(char *dst, size_t dstlen, const char *s, size_t n)
{
    if (n == 0 || n >= dstlen || memchr(s, '\0', n) != NULL)
        return -1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

static enum jwt_verdict check_audience(const struct jwt_keys *keys, json_object *pl)
{
    json_object *aud;
    size_t i, count;

    if (!json_object_object_get_ex(pl, "aud", &aud))
        return JWT_MISSING_CLAIM;
    if (json_object_is_type(aud, json_type_string)) {
        int n = json_object_get_string_len(aud);
        if (n < 0 || !bytes_equal_cstr(json_object_get_string(aud), (size_t)n, keys->audience))
            return JWT_BAD_AUDIENCE;
        return JWT_OK;
    }
    if (!json_object_is_type(aud, json_type_array))
        return JWT_MISSING_CLAIM;
    /* RFC 7519 4.1.3: an array of strings, one of which must identify us */
    count = json_object_array_length(aud);
    for (i = 0; i < count; i++) {
        json_object *e = json_object_array_get_idx(aud, i);
        int n;

        if (!json_object_is_type(e, json_type_string))
            return JWT_BAD_AUDIENCE;
        n = json_object_get_string_len(e);
        if (n >= 0 && bytes_equal_cstr(json_object_get_string(e), (size_t)n, keys->audience))
            return JWT_OK;
    }
    return JWT_BAD_AUDIENCE;
}

static enum jwt_verdict check_claims(const struct jwt_keys *keys, json_object *pl, int64_t now_s,
                                     struct jwt_claims *c)
{
    const char *s;
    size_t n;
    int64_t nbf;
    json_object *v;
    enum jwt_verdict verdict;

    memset(c, 0, sizeof(*c));

    /* absent or wrongly typed claims are JWT_MISSING_CLAIM; a present claim with a wrong
     * value gets its own verdict */
    if (member_string(pl, "iss", &s, &n) < 0)
        return JWT_MISSING_CLAIM;
    if (!bytes_equal_cstr(s, n, keys->issuer))
        return JWT_BAD_ISSUER;

    verdict = check_audience(keys, pl);
    if (verdict != JWT_OK)
        return verdict;

    if (member_string(pl, "sub", &s, &n) < 0 || copy_text(c->sub, sizeof(c->sub), s, n) < 0)
        return JWT_MISSING_CLAIM;
    if (member_string(pl, "jti", &s, &n) < 0 || copy_text(c->jti, sizeof(c->jti), s, n) < 0)
        return JWT_MISSING_CLAIM;

    if (member_string(pl, "scope", &s, &n) < 0)
        return JWT_MISSING_CLAIM;
    if (memchr(s, '\0', n) != NULL || scopes_parse_n(s, n, &c->scopes) < 0)
        return JWT_BAD_SCOPE;

    if (member_int(pl, "iat", &c->iat) < 0 || member_int(pl, "exp", &c->exp) < 0)
        return JWT_MISSING_CLAIM;
    c->nbf = 0;
    if (json_object_object_get_ex(pl, "nbf", &v)) {
        if (member_int(pl, "nbf", &nbf) < 0)
            return JWT_MISSING_CLAIM;
        c->nbf = nbf;
    }

    return jwt_check_times(c, now_s);
}

enum jwt_verdict jwt_check_times(const struct jwt_claims *c, int64_t now_s)
{
    /* with leeway; written so that no sum can overflow */
    if (c->exp <= INT64_MAX - JWT_LEEWAY_SECONDS && c->exp + JWT_LEEWAY_SECONDS < now_s)
        return JWT_EXPIRED;
    if (now_s <= INT64_MAX - JWT_LEEWAY_SECONDS) {
        if (c->iat > now_s + JWT_LEEWAY_SECONDS)
            return JWT_NOT_YET_VALID;
        if (c->nbf > now_s + JWT_LEEWAY_SECONDS)
            return JWT_NOT_YET_VALID;
    }
    return JWT_OK;
}

/* ---- verification ---- */

/* HMAC-SHA256 over signing_input equals the base64url signature, compared in constant time. */
static int hs256_matches(const struct jwt_keys *keys, const char *signing_input, size_t n,
                         const char *sig, size_t slen)
{
    unsigned char mac[EVP_MAX_MD_SIZE], given[66];
    unsigned int maclen = 0;
    if (slen > 86 || b64url_decode(sig, slen, given) != 32)
        return 0;
    if (!HMAC(EVP_sha256(), keys->verify_key, (int)keys->verify_key_len,
              (const unsigned char *)signing_input, n, mac, &maclen) ||
        maclen != 32)
        return 0;
    return CRYPTO_memcmp(mac, given, 32) == 0;
}

static int keys_usable(const struct jwt_keys *keys)
{
    return keys != NULL && alg_supported(keys->alg) && keys->verify_key != NULL &&
           keys->verify_key_len > 0 && keys->verify_key_len <= INT_MAX &&
           memchr(keys->issuer, '\0', sizeof(keys->issuer)) != NULL && keys->issuer[0] &&
           memchr(keys->audience, '\0', sizeof(keys->audience)) != NULL && keys->audience[0];
}

/* Header checks other than the signature: alg must be exactly the pinned name, typ (if
 * any) must say JWT as libjwt insists, and no critical extension is understood here. */
static enum jwt_verdict check_header(const struct jwt_keys *keys, json_object *hdr)
{
    const char *s, *want;
    size_t n;
    json_object *v;

    if (member_string(hdr, "alg", &s, &n) < 0)
        return JWT_MALFORMED;
    want = jwt_alg_str((jwt_alg_t)keys->alg);
    if (want == NULL || !bytes_equal_cstr(s, n, want))
        return JWT_WRONG_ALG;
    if (json_object_object_get_ex(hdr, "typ", &v)) {
        if (member_string(hdr, "typ", &s, &n) < 0 || n != 3 || (s[0] != 'J' && s[0] != 'j') ||
            (s[1] != 'W' && s[1] != 'w') || (s[2] != 'T' && s[2] != 't'))
            return JWT_MALFORMED;
    }
    if (json_object_object_get_ex(hdr, "crit", NULL))
        return JWT_MALFORMED;
    return JWT_OK;
}

enum jwt_verdict jwt_verify(const struct jwt_keys *keys, const char *token, size_t len,
                            int64_t now_s, struct jwt_claims *claims)
{
    enum jwt_verdict verdict;
    const char *dot1, *dot2;
    size_t hlen, plen, slen;
    json_object *hdr = NULL, *pl = NULL;
    char *tok = NULL;
    jwt_t *d = NULL;
    struct jwt_claims c;

    if (token == NULL || len == 0)
        return JWT_MALFORMED;
    if (len > JWT_MAX_TOKEN_LEN)
        return JWT_TOO_LONG;
    /* Without a usable key nothing can be verified. libjwt must never be called with a
     * NULL or empty key: it would then accept any token unverified. */
    if (!keys_usable(keys))
        return JWT_BAD_SIGNATURE;

    /* shape: header.payload.signature, exactly two dots */
    dot1 = memchr(token, '.', len);
    if (dot1 == NULL)
        return JWT_MALFORMED;
    dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token));
    if (dot2 == NULL || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)) != NULL)
        return JWT_MALFORMED;
    hlen = (size_t)(dot1 - token);
    plen = (size_t)(dot2 - dot1 - 1);
    slen = len - (size_t)(dot2 + 1 - token);
    if (hlen == 0 || plen == 0 || b64url_check(token, hlen) < 0 ||
        b64url_check(dot1 + 1, plen) < 0 || b64url_check(dot2 + 1, slen) < 0)
        return JWT_MALFORMED;

    /* the algorithm is pinned before any signature is looked at */
    if (segment_json(token, hlen, &hdr) < 0) {
        verdict = JWT_MALFORMED;
        goto out;
    }
    verdict = check_header(keys, hdr);
    if (verdict != JWT_OK)
        goto out;

    if (segment_json(dot1 + 1, plen, &pl) < 0) {
        verdict = JWT_MALFORMED;
        goto out;
    }
    if (slen == 0) {
        verdict = JWT_BAD_SIGNATURE;
        goto out;
    }

    /* HMAC signatures are compared here in constant time; libjwt 1.10 uses strcmp. */
    if (keys->alg == JWT_ALG_HS256 &&
        !hs256_matches(keys, token, (size_t)(dot2 - token), dot2 + 1, slen)) {
        verdict = JWT_BAD_SIGNATURE;
        goto out;
    }

    /* libjwt wants a NUL-terminated copy; the charset check above excludes NUL bytes */
    tok = malloc(len + 1);
    if (tok == NULL) {
        verdict = JWT_MALFORMED;
        goto out;
    }
    memcpy(tok, token, len);
    tok[len] = '\0';
    if (jwt_decode(&d, tok, keys->verify_key, (int)keys->verify_key_len) != 0 || d == NULL) {
        verdict = JWT_BAD_SIGNATURE;
        goto out;
    }
    if ((int)jwt_get_alg(d) != keys->alg) {
        verdict = JWT_WRONG_ALG;
        goto out;
    }

    verdict = check_claims(keys, pl, now_s, &c);
    if (verdict == JWT_OK && claims != NULL)
        *claims = c;
out:
    jwt_free(d);
    free(tok);
    json_object_put(pl);
    json_object_put(hdr);
    return verdict;
}

/* ---- minting ---- */

/* A text field of a fixed array that jwt_verify would accept back. */
static int field_ok(const char *s, size_t size)
{
    return s[0] != '\0' && memchr(s, '\0', size) != NULL;
}

char *jwt_issue(const struct jwt_keys *keys, const struct jwt_claims *claims)
{
    jwt_t *j = NULL;
    char scopes[64];
    char *enc = NULL, *out = NULL;
    size_t n;

    if (keys == NULL || claims == NULL || keys->sign_key == NULL || keys->sign_key_len == 0 ||
        keys->sign_key_len > INT_MAX || !alg_supported(keys->alg))
        return NULL;
    if (!field_ok(keys->issuer, sizeof(keys->issuer)) ||
        !field_ok(keys->audience, sizeof(keys->audience)) ||
        !field_ok(claims->sub, sizeof(claims->sub)) || !field_ok(claims->jti, sizeof(claims->jti)))
        return NULL;
    if (claims->scopes == 0 || jwt_scopes_format(claims->scopes, scopes, sizeof(scopes)) < 0)
        return NULL;
#if INT64_MAX > LONG_MAX
    /* libjwt takes integer grants as long, narrower than int64_t on this platform */
    if (claims->iat < LONG_MIN || claims->iat > LONG_MAX || claims->exp < LONG_MIN ||
        claims->exp > LONG_MAX || claims->nbf < LONG_MIN || claims->nbf > LONG_MAX)
        return NULL;
#endif

    if (jwt_new(&j) != 0)
        return NULL;
    if (jwt_set_alg(j, (jwt_alg_t)keys->alg, keys->sign_key, (int)keys->sign_key_len) != 0)
        goto out;
    if (jwt_add_grant(j, "iss", keys->issuer) != 0 ||
        jwt_add_grant(j, "aud", keys->audience) != 0 || jwt_add_grant(j, "sub", claims->sub) != 0 ||
        jwt_add_grant(j, "jti", claims->jti) != 0 || jwt_add_grant(j, "scope", scopes) != 0 ||
        jwt_add_grant_int(j, "iat", (long)claims->iat) != 0 ||
        jwt_add_grant_int(j, "exp", (long)claims->exp) != 0)
        goto out;
    if (claims->nbf != 0 && jwt_add_grant_int(j, "nbf", (long)claims->nbf) != 0)
        goto out;
    enc = jwt_encode_str(j);
    if (enc == NULL)
        goto out;
    /* hand back memory of our own allocator, not libjwt's */
    n = strlen(enc);
    out = malloc(n + 1);
    if (out != NULL)
        memcpy(out, enc, n + 1);
out:
    free(enc);
    jwt_free(j);
    return out;
}
