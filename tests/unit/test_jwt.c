/* Unit tests for JWT verification and minting.
 *
 * Tokens with arbitrary headers and payloads are forged here with a small HMAC-SHA256
 * (the test links only what libecf needs, not libcrypto); HS512 tokens and the
 * algorithm-confusion token are minted with libjwt itself; RSA and EC key pairs come from
 * the openssl command line in a private temporary directory (those cases are skipped if
 * openssl is unavailable). Time is a fixed "now": jwt_verify is pure. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* popen, mkdtemp */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jwt.h>

#include "auth/jwt.h"
#include "tap.h"

#define NOW INT64_C(1760000000)
#define SECRET "0123456789abcdef0123456789abcdef-test-secret"
#define ISSUER "https://ecf.example.test"
#define AUDIENCE "ecf-api"
#define OMIT "\x01" /* claim value meaning "leave this claim out" */

/* ---- SHA-256 and HMAC (FIPS 180-4, RFC 2104), enough to sign test tokens ---- */

struct sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t used;
};

static const uint32_t sha_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(struct sha256 *s, const unsigned char *p)
{
    uint32_t w[64], a, b, c, d, e, f, g, h;
    int i;

    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (i = 16; i < 64; i++)
        w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 7] +
               (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
    a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (i = 0; i < 64; i++) {
        uint32_t t1 =
            h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
    s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

static void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof(iv));
    s->total = 0;
    s->used = 0;
}

static void sha256_update(struct sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;

    s->total += n;
    while (n > 0) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used == 64) {
            sha256_block(s, s->block);
            s->used = 0;
        }
    }
}

static void sha256_final(struct sha256 *s, unsigned char out[32])
{
    uint64_t bits = s->total * 8;
    unsigned char pad = 0x80, len[8];
    int i;

    sha256_update(s, &pad, 1);
    pad = 0;
    while (s->used != 56)
        sha256_update(s, &pad, 1);
    for (i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, len, 8);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(s->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)s->h[i];
    }
}

static void hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                        unsigned char out[32])
{
    unsigned char k[64], ipad[64], opad[64], inner[32];
    struct sha256 s;
    int i;

    memset(k, 0, sizeof(k));
    if (klen > 64) {
        sha256_init(&s);
        sha256_update(&s, key, klen);
        sha256_final(&s, k);
    } else {
        memcpy(k, key, klen);
    }
    for (i = 0; i < 64; i++) {
        ipad[i] = k[i] ^ 0x36;
        opad[i] = k[i] ^ 0x5c;
    }
    sha256_init(&s);
    sha256_update(&s, ipad, 64);
    sha256_update(&s, msg, mlen);
    sha256_final(&s, inner);
    sha256_init(&s);
    sha256_update(&s, opad, 64);
    sha256_update(&s, inner, 32);
    sha256_final(&s, out);
}

/* ---- base64url and token assembly ---- */

/* Appends the unpadded base64url encoding of data to out (which has room). */
static size_t b64url(const void *data, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const unsigned char *p = data;
    size_t i, o = 0;

    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = tab[(v >> 6) & 63];
        out[o++] = tab[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = tab[(v >> 6) & 63];
    }
    out[o] = '\0';
    return o;
}

enum sigmode { SIG_HMAC, SIG_EMPTY, SIG_BOGUS };

/* header.payload.signature from raw JSON texts (lengths given, so NULs are possible),
 * signed with HMAC-SHA256 under key. Returns malloc'd text. */
static char *forge_n(const char *hdr, size_t hlen, const char *pl, size_t plen, const void *key,
                     size_t klen, enum sigmode mode)
{
    size_t cap = (hlen + plen) * 4 / 3 + 128, n;
    char *t = malloc(cap);
    unsigned char mac[32];

    if (t == NULL)
        return NULL;
    n = b64url(hdr, hlen, t);
    t[n++] = '.';
    n += b64url(pl, plen, t + n);
    switch (mode) {
    case SIG_HMAC:
        hmac_sha256(key, klen, t, n, mac);
        t[n++] = '.';
        b64url(mac, sizeof(mac), t + n);
        break;
    case SIG_EMPTY:
        t[n++] = '.';
        t[n] = '\0';
        break;
    case SIG_BOGUS:
        memset(mac, 0x5a, sizeof(mac));
        t[n++] = '.';
        b64url(mac, sizeof(mac), t + n);
        break;
    }
    return t;
}

static char *forge(const char *hdr, const char *pl, enum sigmode mode)
{
    return forge_n(hdr, strlen(hdr), pl, strlen(pl), SECRET, strlen(SECRET), mode);
}

#define HS256_HDR "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

/* A payload (in a static buffer that the next call overwrites): each field is raw JSON
 * text for that claim, NULL for the default, OMIT to
 * leave the claim out. nbf defaults to absent; extra is appended raw (", ..." form). */
struct claimset {
    const char *iss, *aud, *sub, *jti, *scope, *iat, *exp, *nbf, *extra;
};

static int append(char *buf, size_t size, size_t *pos, const char *name, const char *value)
{
    int w;

    if (value == NULL || strcmp(value, OMIT) == 0)
        return 0;
    w = snprintf(buf + *pos, size - *pos, "%s\"%s\":%s", *pos > 1 ? "," : "", name, value);
    if (w < 0 || (size_t)w >= size - *pos)
        return -1;
    *pos += (size_t)w;
    return 0;
}

static char *payload(const struct claimset *c)
{
    static char buf[16384];
    char iat[32], exp[32];
    size_t pos = 1;
    int w1, w2;

    w1 = snprintf(iat, sizeof(iat), "%lld", (long long)(NOW - 10));
    w2 = snprintf(exp, sizeof(exp), "%lld", (long long)(NOW + 3600));
    if (w1 < 0 || (size_t)w1 >= sizeof(iat) || w2 < 0 || (size_t)w2 >= sizeof(exp))
        return NULL;
    buf[0] = '{';
    buf[1] = '\0';
    if (append(buf, sizeof(buf), &pos, "iss", c->iss ? c->iss : "\"" ISSUER "\"") < 0 ||
        append(buf, sizeof(buf), &pos, "aud", c->aud ? c->aud : "\"" AUDIENCE "\"") < 0 ||
        append(buf, sizeof(buf), &pos, "sub", c->sub ? c->sub : "\"lp-0001\"") < 0 ||
        append(buf, sizeof(buf), &pos, "jti", c->jti ? c->jti : "\"jti-0001\"") < 0 ||
        append(buf, sizeof(buf), &pos, "scope", c->scope ? c->scope : "\"lead_provider\"") < 0 ||
        append(buf, sizeof(buf), &pos, "iat", c->iat ? c->iat : iat) < 0 ||
        append(buf, sizeof(buf), &pos, "exp", c->exp ? c->exp : exp) < 0 ||
        append(buf, sizeof(buf), &pos, "nbf", c->nbf) < 0)
        return NULL;
    if (c->extra != NULL) {
        int w = snprintf(buf + pos, sizeof(buf) - pos, "%s", c->extra);
        if (w < 0 || (size_t)w >= sizeof(buf) - pos)
            return NULL;
        pos += (size_t)w;
    }
    if (pos + 2 > sizeof(buf))
        return NULL;
    buf[pos++] = '}';
    buf[pos] = '\0';
    return buf;
}

static struct jwt_keys hs_keys;

static void init_hs_keys(struct jwt_keys *k, const char *secret)
{
    memset(k, 0, sizeof(*k));
    k->alg = JWT_ALG_HS256;
    k->verify_key = (unsigned char *)secret;
    k->verify_key_len = strlen(secret);
    k->sign_key = (unsigned char *)secret;
    k->sign_key_len = strlen(secret);
    memcpy(k->issuer, ISSUER, sizeof(ISSUER));
    memcpy(k->audience, AUDIENCE, sizeof(AUDIENCE));
}

static enum jwt_verdict verify_at(const struct jwt_keys *k, const char *tok, int64_t now)
{
    struct jwt_claims c;
    if (tok == NULL)
        return JWT_VERDICT__MAX;
    return jwt_verify(k, tok, strlen(tok), now, &c);
}

/* Expectation meaning "refused, whichever verdict": for payloads our strict parser
 * accepts but libjwt's own JSON parser (jansson) refuses, so that jwt_decode fails and
 * the verdict is JWT_BAD_SIGNATURE today; what matters is that they never pass. */
#define REFUSED JWT_VERDICT__MAX

/* Verifies tok (freed here) against the HS256 keys and checks the verdict. */
static void expect_tok(char *tok, enum jwt_verdict want, const char *name)
{
    enum jwt_verdict got = verify_at(&hs_keys, tok, NOW);
    int pass = want == REFUSED ? got != JWT_OK && got != REFUSED : got == want;

    ok(tok != NULL && pass, "%s: %s (got %s)", name,
       want == REFUSED ? "refused" : jwt_verdict_name(want), jwt_verdict_name(got));
    free(tok);
}

/* Forges a token from a claim set with the standard header and a good HMAC. */
static void expect_claims(const struct claimset *c, enum jwt_verdict want, const char *name)
{
    const char *pl = payload(c);
    expect_tok(pl ? forge(HS256_HDR, pl, SIG_HMAC) : NULL, want, name);
}

/* Mints with libjwt directly: alg and key of our choosing, grants from JSON. */
static char *libjwt_mint(jwt_alg_t alg, const void *key, size_t klen, const char *grants)
{
    jwt_t *j = NULL;
    char *s = NULL, *out = NULL;

    if (jwt_new(&j) != 0)
        return NULL;
    if (jwt_set_alg(j, alg, key, (int)klen) == 0 && jwt_add_grants_json(j, grants) == 0)
        s = jwt_encode_str(j);
    jwt_free(j);
    if (s != NULL) {
        size_t n = strlen(s);
        out = malloc(n + 1);
        if (out != NULL)
            memcpy(out, s, n + 1);
        free(s);
    }
    return out;
}

static struct jwt_claims std_claims(void)
{
    struct jwt_claims c;

    memset(&c, 0, sizeof(c));
    memcpy(c.sub, "11111111-2222-3333-4444-555555555555", 37);
    memcpy(c.jti, "0f0e0d0c-0b0a-0908-0706-050403020100", 37);
    c.scopes = SCOPE_LEAD_PROVIDER | SCOPE_MENTORS_READ;
    c.iat = NOW - 5;
    c.exp = NOW + 3600;
    return c;
}

/* ---- tests ---- */

static void test_sha256(void)
{
    static const unsigned char abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
                                          0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                                          0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
                                          0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    /* RFC 4231 test case 2 */
    static const unsigned char rfc4231[32] = {0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e,
                                              0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
                                              0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83,
                                              0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
    struct sha256 s;
    unsigned char out[32];

    sha256_init(&s);
    sha256_update(&s, "abc", 3);
    sha256_final(&s, out);
    ok(memcmp(out, abc, 32) == 0, "test helper: SHA-256(\"abc\")");
    hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, out);
    ok(memcmp(out, rfc4231, 32) == 0, "test helper: HMAC-SHA256 RFC 4231 case 2");
}

static void test_names(void)
{
    int v, distinct = 1, named = 1;

    ok(jwt_alg_from_name("HS256") == JWT_ALG_HS256, "alg HS256");
    ok(jwt_alg_from_name("RS256") == JWT_ALG_RS256, "alg RS256");
    ok(jwt_alg_from_name("ES256") == JWT_ALG_ES256, "alg ES256");
    ok(jwt_alg_from_name("HS512") == -1, "alg HS512 unsupported");
    ok(jwt_alg_from_name("none") == -1, "alg none unsupported");
    ok(jwt_alg_from_name("hs256") == -1, "alg names are case-sensitive");
    ok(jwt_alg_from_name("") == -1, "empty alg name");
    ok(jwt_alg_from_name(NULL) == -1, "NULL alg name");

    for (v = 0; v < JWT_VERDICT__MAX; v++) {
        const char *n = jwt_verdict_name((enum jwt_verdict)v);
        int w;
        if (n == NULL || n[0] == '\0' || strcmp(n, "unknown") == 0)
            named = 0;
        for (w = 0; w < v && n; w++)
            if (strcmp(n, jwt_verdict_name((enum jwt_verdict)w)) == 0)
                distinct = 0;
    }
    ok(named && distinct, "every verdict has its own name");
    ok(strcmp(jwt_verdict_name(JWT_OK), "ok") == 0, "JWT_OK is named ok");
    ok(strcmp(jwt_verdict_name(JWT_VERDICT__MAX), "unknown") == 0, "out of range verdict");
}

static void test_scopes(void)
{
    static const char *const bad[] = {
        "",        "   ",      "root",   "admin root", "Admin", "admin\t", "lead_provider,admin",
        "mentors", "mentors:", "admin\n"};
    unsigned bits = 0, b;
    char out[64];
    size_t i;
    int all_round_trip = 1;

    ok(jwt_scopes_parse("lead_provider", &bits) == 0 && bits == SCOPE_LEAD_PROVIDER,
       "scope parse: lead_provider");
    ok(jwt_scopes_parse("mentors:read mentors:write", &bits) == 0 &&
           bits == (SCOPE_MENTORS_READ | SCOPE_MENTORS_WRITE),
       "scope parse: two scopes");
    ok(jwt_scopes_parse("admin   mentors:read", &bits) == 0 &&
           bits == (SCOPE_ADMIN | SCOPE_MENTORS_READ),
       "scope parse: several spaces between names");
    ok(jwt_scopes_parse(" admin ", &bits) == 0 && bits == SCOPE_ADMIN,
       "scope parse: outer spaces ignored");
    ok(jwt_scopes_parse("admin admin", &bits) == 0 && bits == SCOPE_ADMIN,
       "scope parse: repeated name");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char shown[32];
        size_t k;
        for (k = 0; bad[i][k] && k + 1 < sizeof(shown); k++)
            shown[k] = bad[i][k] < 0x20 ? '?' : bad[i][k]; /* keep the TAP line whole */
        shown[k] = '\0';
        bits = 12345;
        ok(jwt_scopes_parse(bad[i], &bits) == -1 && bits == 12345,
           "scope parse rejects \"%s\" and leaves bits alone", shown);
    }
    ok(jwt_scopes_parse(NULL, &bits) == -1, "scope parse: NULL list");

    ok(jwt_scopes_format(SCOPE_ADMIN | SCOPE_LEAD_PROVIDER | SCOPE_MENTORS_WRITE |
                             SCOPE_MENTORS_READ,
                         out, sizeof(out)) == 0 &&
           strcmp(out, "lead_provider mentors:read mentors:write admin") == 0,
       "scope format: canonical order");
    ok(jwt_scopes_format(SCOPE_NONE, out, sizeof(out)) == 0 && out[0] == '\0',
       "scope format: none is empty");
    ok(jwt_scopes_format(1u << 4, out, sizeof(out)) == -1, "scope format: unknown bit");
    ok(jwt_scopes_format(SCOPE_ADMIN, out, 5) == -1 && out[0] == '\0',
       "scope format: too small buffer");
    ok(jwt_scopes_format(SCOPE_ADMIN, out, 6) == 0 && strcmp(out, "admin") == 0,
       "scope format: exact fit");
    ok(jwt_scopes_format(SCOPE_ADMIN | SCOPE_MENTORS_READ, out, 18) == -1,
       "scope format: one byte short with two names");
    ok(jwt_scopes_format(SCOPE_ADMIN | SCOPE_MENTORS_READ, out, 19) == 0 &&
           strcmp(out, "mentors:read admin") == 0,
       "scope format: exact fit with two names");
    ok(jwt_scopes_format(SCOPE_ADMIN, NULL, 0) == -1, "scope format: no buffer");
    for (b = 1; b < 16; b++) {
        unsigned back = 0;
        if (jwt_scopes_format(b, out, sizeof(out)) != 0 || jwt_scopes_parse(out, &back) != 0 ||
            back != b)
            all_round_trip = 0;
    }
    ok(all_round_trip, "scope format/parse round-trip for all 15 combinations");
}

static void test_issue_verify(void)
{
    struct jwt_claims in = std_claims(), out, before;
    struct jwt_keys k = hs_keys;
    char *tok;
    enum jwt_verdict v;

    tok = jwt_issue(&hs_keys, &in);
    ok(tok != NULL, "jwt_issue mints an HS256 token");
    memset(&out, 0, sizeof(out));
    v = tok ? jwt_verify(&hs_keys, tok, strlen(tok), NOW, &out) : JWT_VERDICT__MAX;
    ok(v == JWT_OK, "minted token verifies (%s)", jwt_verdict_name(v));
    ok(strcmp(out.sub, in.sub) == 0 && strcmp(out.jti, in.jti) == 0, "sub and jti round-trip");
    ok(out.scopes == in.scopes && out.iat == in.iat && out.exp == in.exp && out.nbf == 0,
       "scopes, iat, exp round-trip; nbf 0 when absent");
    ok(tok && jwt_verify(&hs_keys, tok, strlen(tok), NOW, NULL) == JWT_OK,
       "claims output may be NULL");

    /* not NUL-terminated: exactly len bytes are read */
    if (tok != NULL) {
        size_t n = strlen(tok);
        char *big = malloc(n + 8);
        if (big != NULL) {
            memcpy(big, tok, n);
            memcpy(big + n, "garbage", 8);
            ok(jwt_verify(&hs_keys, big, n, NOW, NULL) == JWT_OK,
               "token inside a larger buffer: only len bytes read");
            ok(jwt_verify(&hs_keys, big, n + 7, NOW, NULL) != JWT_OK,
               "token with trailing bytes rejected");
            big[n] = '\n';
            ok(jwt_verify(&hs_keys, big, n + 1, NOW, NULL) == JWT_MALFORMED,
               "token with trailing newline is malformed");
            big[n] = '\0';
            ok(jwt_verify(&hs_keys, big, n + 1, NOW, NULL) == JWT_MALFORMED,
               "token with trailing NUL is malformed");
            free(big);
        }
    }

    /* claims untouched on failure */
    memset(&before, 0xA5, sizeof(before));
    out = before;
    ok(tok && jwt_verify(&hs_keys, tok, strlen(tok), in.exp + 61, &out) == JWT_EXPIRED &&
           memcmp(&out, &before, sizeof(out)) == 0,
       "claims not written on failure");
    free(tok);

    in.nbf = NOW - 1;
    tok = jwt_issue(&hs_keys, &in);
    memset(&out, 0, sizeof(out));
    ok(tok && jwt_verify(&hs_keys, tok, strlen(tok), NOW, &out) == JWT_OK && out.nbf == NOW - 1,
       "nbf minted and returned");
    free(tok);

    in = std_claims();
    in.scopes = SCOPE_ADMIN;
    memcpy(in.sub, "admin:alice", 12);
    tok = jwt_issue(&hs_keys, &in);
    ok(tok && jwt_verify(&hs_keys, tok, strlen(tok), NOW, &out) == JWT_OK &&
           out.scopes == SCOPE_ADMIN && strcmp(out.sub, "admin:alice") == 0,
       "admin token");
    free(tok);

    /* jwt_issue refusals */
    in = std_claims();
    k.sign_key = NULL;
    ok(jwt_issue(&k, &in) == NULL, "jwt_issue: no signing key -> NULL");
    k = hs_keys;
    k.sign_key_len = 0;
    ok(jwt_issue(&k, &in) == NULL, "jwt_issue: empty signing key -> NULL");
    in.scopes = 0;
    ok(jwt_issue(&hs_keys, &in) == NULL, "jwt_issue: no scope -> NULL");
    in.scopes = 1u << 7;
    ok(jwt_issue(&hs_keys, &in) == NULL, "jwt_issue: unknown scope bit -> NULL");
    in = std_claims();
    in.sub[0] = '\0';
    ok(jwt_issue(&hs_keys, &in) == NULL, "jwt_issue: empty sub -> NULL");
    in = std_claims();
    memset(in.jti, 'j', sizeof(in.jti));
    ok(jwt_issue(&hs_keys, &in) == NULL, "jwt_issue: unterminated jti -> NULL");
    ok(jwt_issue(NULL, &in) == NULL && jwt_issue(&hs_keys, NULL) == NULL,
       "jwt_issue: NULL arguments");
}

static void test_shape(void)
{
    char *big;
    const char *pl = payload(&(struct claimset){0});
    char *good = pl ? forge(HS256_HDR, pl, SIG_HMAC) : NULL;
    char *t;

    ok(verify_at(&hs_keys, good, NOW) == JWT_OK, "forged-with-test-HMAC token accepted");

    ok(jwt_verify(&hs_keys, NULL, 0, NOW, NULL) == JWT_MALFORMED, "no token");
    ok(jwt_verify(&hs_keys, NULL, 10, NOW, NULL) == JWT_MALFORMED, "NULL token with length");
    ok(jwt_verify(&hs_keys, "", 0, NOW, NULL) == JWT_MALFORMED, "empty token");
    ok(verify_at(&hs_keys, "garbage", NOW) == JWT_MALFORMED, "garbage");
    ok(verify_at(&hs_keys, "a.b.c", NOW) == JWT_MALFORMED, "impossible base64 lengths");
    ok(verify_at(&hs_keys, "..", NOW) == JWT_MALFORMED, "only dots");
    ok(verify_at(&hs_keys, "e30.e30", NOW) == JWT_MALFORMED, "two parts only");
    ok(verify_at(&hs_keys, "e30.e30.e30.e30", NOW) == JWT_MALFORMED, "four parts");
    ok(verify_at(&hs_keys, "Bearer e30.e30.e30", NOW) == JWT_MALFORMED, "space in token");
    ok(verify_at(&hs_keys, "e30=.e30.e30", NOW) == JWT_MALFORMED, "padding '=' refused");
    ok(verify_at(&hs_keys, "e3+.e30.e30", NOW) == JWT_MALFORMED, "standard base64 '+' refused");
    /* "e31" decodes like "e30" but has non-zero unused bits */
    ok(verify_at(&hs_keys, "e31.e30.e30", NOW) == JWT_MALFORMED, "non-canonical base64 refused");
    ok(verify_at(&hs_keys, ".e30.e30", NOW) == JWT_MALFORMED, "empty header");

    if (good != NULL) {
        size_t n = strlen(good);
        t = malloc(n + 2);
        if (t != NULL) {
            /* empty payload: header..signature */
            const char *dot = strchr(good, '.');
            size_t h = (size_t)(dot - good);
            memcpy(t, good, h + 1);
            memcpy(t + h + 1, strrchr(good, '.'), strlen(strrchr(good, '.')) + 1);
            ok(verify_at(&hs_keys, t, NOW) == JWT_MALFORMED, "empty payload");
            memcpy(t, good, n + 1);
            t[5] = '\0';
            ok(jwt_verify(&hs_keys, t, n, NOW, NULL) == JWT_MALFORMED, "embedded NUL byte");
            free(t);
        }
    }

    /* length limits: 8193 bytes is too long whatever it holds; 8192 is looked at */
    big = malloc(JWT_MAX_TOKEN_LEN + 2);
    if (big != NULL) {
        memset(big, 'A', JWT_MAX_TOKEN_LEN + 1);
        big[JWT_MAX_TOKEN_LEN + 1] = '\0';
        ok(jwt_verify(&hs_keys, big, JWT_MAX_TOKEN_LEN + 1, NOW, NULL) == JWT_TOO_LONG,
           "8193-byte token: too long");
        ok(jwt_verify(&hs_keys, big, JWT_MAX_TOKEN_LEN, NOW, NULL) == JWT_MALFORMED,
           "8192-byte garbage: malformed, not too long");
        free(big);
    }
    if (good != NULL) {
        /* a well-formed but padded-out valid token: 8193 bytes via a long extra claim */
        char extra[8400];
        struct claimset c = {0};
        int w = snprintf(extra, sizeof(extra), ",\"x\":\"%6000s\"", "");
        if (w > 0 && (size_t)w < sizeof(extra)) {
            c.extra = extra;
            pl = payload(&c);
            t = pl ? forge(HS256_HDR, pl, SIG_HMAC) : NULL;
            ok(t && strlen(t) > JWT_MAX_TOKEN_LEN && verify_at(&hs_keys, t, NOW) == JWT_TOO_LONG,
               "correctly signed token over 8 KiB: too long");
            free(t);
        }
    }
    free(good);
}

static void test_header(void)
{
    const char *std = payload(&(struct claimset){0});
    char pl[2048];
    char *t;

    /* own copy: payload() returns a buffer that its next call overwrites */
    if (std == NULL || strlen(std) >= sizeof(pl)) {
        ok(0, "payload");
        return;
    }
    memcpy(pl, std, strlen(std) + 1);
    /* alg none, in every spelling, is refused before any signature is considered */
    expect_tok(forge("{\"alg\":\"none\",\"typ\":\"JWT\"}", pl, SIG_EMPTY), JWT_WRONG_ALG,
               "alg none, empty signature");
    expect_tok(forge("{\"alg\":\"none\"}", pl, SIG_HMAC), JWT_WRONG_ALG,
               "alg none, with a valid HMAC signature");
    expect_tok(forge("{\"alg\":\"none\"}", pl, SIG_BOGUS), JWT_WRONG_ALG,
               "alg none, with a bogus signature");
    expect_tok(forge("{\"alg\":\"None\"}", pl, SIG_EMPTY), JWT_WRONG_ALG, "alg None");
    expect_tok(forge("{\"alg\":\"NONE\"}", pl, SIG_EMPTY), JWT_WRONG_ALG, "alg NONE");
    expect_tok(forge("{\"alg\":\"hs256\"}", pl, SIG_HMAC), JWT_WRONG_ALG, "alg hs256 lowercase");
    expect_tok(forge("{\"alg\":\"HS256\\u0000\"}", pl, SIG_HMAC), JWT_WRONG_ALG,
               "alg with embedded NUL");
    expect_tok(forge("{\"alg\":\"RS256\"}", pl, SIG_HMAC), JWT_WRONG_ALG,
               "alg RS256 to HS verifier");

    /* malformed headers */
    expect_tok(forge("{\"typ\":\"JWT\"}", pl, SIG_HMAC), JWT_MALFORMED, "header without alg");
    expect_tok(forge("{\"alg\":256}", pl, SIG_HMAC), JWT_MALFORMED, "alg not a string");
    expect_tok(forge("{\"alg\":null}", pl, SIG_HMAC), JWT_MALFORMED, "alg null");
    expect_tok(forge("[\"HS256\"]", pl, SIG_HMAC), JWT_MALFORMED, "header is an array");
    expect_tok(forge("\"HS256\"", pl, SIG_HMAC), JWT_MALFORMED, "header is a string");
    expect_tok(forge("{\"alg\":\"HS256\"", pl, SIG_HMAC), JWT_MALFORMED, "header not JSON");
    expect_tok(forge("{\"alg\":\"HS256\",}", pl, SIG_HMAC), JWT_MALFORMED,
               "header with trailing comma");
    expect_tok(forge("{\"alg\":\"HS256\",\"alg\":\"none\"}", pl, SIG_HMAC), JWT_MALFORMED,
               "header with duplicate alg");
    expect_tok(forge("{\"alg\":\"none\",\"alg\":\"HS256\"}", pl, SIG_HMAC), JWT_MALFORMED,
               "header with duplicate alg, pinned one last");
    expect_tok(forge("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", pl, SIG_HMAC), JWT_MALFORMED,
               "header with crit");
    expect_tok(forge("{\"alg\":\"HS256\",\"typ\":\"JOSE\"}", pl, SIG_HMAC), JWT_MALFORMED,
               "header typ JOSE");
    expect_tok(forge("{\"alg\":\"HS256\",\"typ\":1}", pl, SIG_HMAC), JWT_MALFORMED,
               "header typ not a string");
    expect_tok(forge("{\"alg\":\"HS256\",\"typ\":\"jwt\"}", pl, SIG_HMAC), JWT_OK,
               "header typ jwt (case-insensitive) accepted");
    expect_tok(forge("{\"alg\":\"HS256\"}", pl, SIG_HMAC), JWT_OK, "header without typ accepted");
    expect_tok(forge("{\"alg\":\"HS256\",\"kid\":\"k1\"}", pl, SIG_HMAC), JWT_OK,
               "header with kid accepted");

    /* signatures */
    expect_tok(forge(HS256_HDR, pl, SIG_EMPTY), JWT_BAD_SIGNATURE, "HS256 with empty signature");
    expect_tok(forge(HS256_HDR, pl, SIG_BOGUS), JWT_BAD_SIGNATURE, "HS256 with bogus signature");
    t = forge(HS256_HDR, pl, SIG_HMAC);
    if (t != NULL) {
        size_t i = (size_t)(strrchr(t, '.') - t) + 1;
        t[i] = t[i] == 'A' ? 'B' : 'A';
        expect_tok(t, JWT_BAD_SIGNATURE, "signature with one character changed");
    }
    {
        /* payload changed after signing: sub swapped, signature kept */
        char *orig = forge(HS256_HDR, pl, SIG_HMAC);
        struct claimset c = {.sub = "\"lp-0002\""};
        const char *pl2 = payload(&c);
        char *other = pl2 ? forge(HS256_HDR, pl2, SIG_HMAC) : NULL;
        if (orig && other) {
            /* splice: other's header.payload + orig's signature */
            char *sig = strrchr(orig, '.');
            char *end = strrchr(other, '.');
            size_t n = (size_t)(end - other);
            t = malloc(n + strlen(sig) + 1);
            if (t != NULL) {
                memcpy(t, other, n);
                memcpy(t + n, sig, strlen(sig) + 1);
            }
            expect_tok(t, JWT_BAD_SIGNATURE, "tampered payload keeps old signature");
        }
        free(orig);
        free(other);
    }
    {
        struct jwt_keys wrong;
        t = forge(HS256_HDR, pl, SIG_HMAC);
        init_hs_keys(&wrong, "another-secret-another-secret-xx");
        ok(t && verify_at(&wrong, t, NOW) == JWT_BAD_SIGNATURE, "wrong key: bad signature");
        free(t);
    }
    {
        /* HS512 with the right secret: libjwt alone would accept it */
        char grants[512];
        int w = snprintf(grants, sizeof(grants),
                         "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"lp-1\",\"jti\":\"j-1\","
                         "\"scope\":\"lead_provider\",\"iat\":%lld,\"exp\":%lld}",
                         ISSUER, AUDIENCE, (long long)NOW, (long long)(NOW + 600));
        if (w > 0 && (size_t)w < sizeof(grants)) {
            expect_tok(libjwt_mint(JWT_ALG_HS512, SECRET, strlen(SECRET), grants), JWT_WRONG_ALG,
                       "HS512 signed with the right secret");
            expect_tok(libjwt_mint(JWT_ALG_HS384, SECRET, strlen(SECRET), grants), JWT_WRONG_ALG,
                       "HS384 signed with the right secret");
            expect_tok(libjwt_mint(JWT_ALG_HS256, SECRET, strlen(SECRET), grants), JWT_OK,
                       "HS256 minted by libjwt directly accepted");
        } else {
            ok(0, "grants buffer");
        }
    }
    {
        /* keys that cannot verify anything: libjwt must not be reached with them */
        struct jwt_keys k = hs_keys;
        t = forge(HS256_HDR, pl, SIG_HMAC);
        k.verify_key = NULL;
        ok(t && verify_at(&k, t, NOW) == JWT_BAD_SIGNATURE, "no verify key: refused");
        k = hs_keys;
        k.verify_key_len = 0;
        ok(t && verify_at(&k, t, NOW) == JWT_BAD_SIGNATURE, "zero-length verify key: refused");
        k = hs_keys;
        k.alg = JWT_ALG_HS512;
        ok(t && verify_at(&k, t, NOW) == JWT_BAD_SIGNATURE, "unsupported configured alg: refused");
        k = hs_keys;
        k.issuer[0] = '\0';
        ok(t && verify_at(&k, t, NOW) == JWT_BAD_SIGNATURE, "no configured issuer: refused");
        ok(t && jwt_verify(NULL, t, strlen(t), NOW, NULL) == JWT_BAD_SIGNATURE, "NULL keys");
        free(t);
        k = hs_keys;
        k.verify_key_len = 0;
        t = forge("{\"alg\":\"none\"}", pl, SIG_EMPTY);
        ok(t && verify_at(&k, t, NOW) != JWT_OK, "alg none with empty key: refused");
        free(t);
    }
}

static void test_payload(void)
{
    char n61[32], n59[32], n60[32], f61[32], f60[32], f30[32], sub128[160], sub127[160], jti64[96],
        jti63[96];
    struct claimset c;
    int w;

#define FMT(buf, val)                                                                              \
    do {                                                                                           \
        w = snprintf(buf, sizeof(buf), "%lld", (long long)(val));                                  \
        if (w < 0 || (size_t)w >= sizeof(buf))                                                     \
            return;                                                                                \
    } while (0)
    FMT(n61, NOW - 61);
    FMT(n60, NOW - 60);
    FMT(n59, NOW - 59);
    FMT(f61, NOW + 61);
    FMT(f60, NOW + 60);
    FMT(f30, NOW + 30);
#undef FMT
    w = snprintf(sub128, sizeof(sub128), "\"%0128d\"", 0);
    if (w < 0 || (size_t)w >= sizeof(sub128))
        return;
    w = snprintf(sub127, sizeof(sub127), "\"%0127d\"", 0);
    if (w < 0 || (size_t)w >= sizeof(sub127))
        return;
    w = snprintf(jti64, sizeof(jti64), "\"%064d\"", 0);
    if (w < 0 || (size_t)w >= sizeof(jti64))
        return;
    w = snprintf(jti63, sizeof(jti63), "\"%063d\"", 0);
    if (w < 0 || (size_t)w >= sizeof(jti63))
        return;

#define CASE(want, name, ...)                                                                      \
    do {                                                                                           \
        c = (struct claimset){__VA_ARGS__};                                                        \
        expect_claims(&c, want, name);                                                             \
    } while (0)

    CASE(JWT_OK, "baseline claim set", .iss = NULL);

    /* time */
    CASE(JWT_EXPIRED, "exp = now-61 expired", .exp = n61, .iat = n61);
    CASE(JWT_OK, "exp = now-60 within leeway", .exp = n60, .iat = n61);
    CASE(JWT_OK, "exp = now-59 within leeway", .exp = n59, .iat = n61);
    CASE(JWT_NOT_YET_VALID, "iat = now+61 not yet valid", .iat = f61);
    CASE(JWT_OK, "iat = now+60 within leeway", .iat = f60);
    CASE(JWT_NOT_YET_VALID, "nbf = now+61 not yet valid", .nbf = f61);
    CASE(JWT_OK, "nbf = now+30 within leeway", .nbf = f30);
    CASE(JWT_OK, "nbf in the past", .nbf = n61);
    CASE(JWT_EXPIRED, "exp very negative", .exp = "-9223372036854775808");
    CASE(JWT_OK, "exp at INT64_MAX", .exp = "9223372036854775807");
    CASE(JWT_NOT_YET_VALID, "iat at INT64_MAX", .iat = "9223372036854775807");

    /* types */
    CASE(JWT_MISSING_CLAIM, "exp as a string", .exp = "\"1760003600\"");
    CASE(JWT_MISSING_CLAIM, "iat as a string", .iat = "\"1760000000\"");
    CASE(JWT_MISSING_CLAIM, "exp as a fraction", .exp = "1760003600.5");
    CASE(JWT_MISSING_CLAIM, "exp with exponent", .exp = "1.7600036e9");
    CASE(REFUSED, "exp beyond int64", .exp = "92233720368547758070");
    CASE(JWT_MISSING_CLAIM, "exp true", .exp = "true");
    CASE(JWT_MISSING_CLAIM, "exp null", .exp = "null");
    CASE(JWT_MISSING_CLAIM, "nbf as a string", .nbf = "\"0\"");
    CASE(JWT_MISSING_CLAIM, "iss not a string", .iss = "1");
    CASE(JWT_MISSING_CLAIM, "sub not a string", .sub = "42");
    CASE(JWT_MISSING_CLAIM, "scope as an array", .scope = "[\"lead_provider\"]");

    /* missing */
    CASE(JWT_MISSING_CLAIM, "missing iss", .iss = OMIT);
    CASE(JWT_MISSING_CLAIM, "missing aud", .aud = OMIT);
    CASE(JWT_MISSING_CLAIM, "missing sub", .sub = OMIT);
    CASE(JWT_MISSING_CLAIM, "missing jti", .jti = OMIT);
    CASE(JWT_MISSING_CLAIM, "missing scope", .scope = OMIT);
    CASE(JWT_MISSING_CLAIM, "missing iat", .iat = OMIT);
    CASE(JWT_MISSING_CLAIM, "missing exp", .exp = OMIT);

    /* issuer and audience */
    CASE(JWT_BAD_ISSUER, "wrong iss", .iss = "\"https://evil.example\"");
    CASE(JWT_BAD_ISSUER, "iss prefix of ours", .iss = "\"https://ecf.example.tes\"");
    CASE(JWT_BAD_ISSUER, "ours with suffix", .iss = "\"https://ecf.example.test/\"");
    CASE(REFUSED, "ours plus NUL", .iss = "\"https://ecf.example.test\\u0000x\"");
    CASE(JWT_BAD_AUDIENCE, "wrong aud", .aud = "\"other-api\"");
    CASE(REFUSED, "aud with NUL", .aud = "\"ecf-api\\u0000\"");
    CASE(JWT_OK, "aud array containing ours", .aud = "[\"other\",\"ecf-api\"]");
    CASE(JWT_OK, "aud array of one", .aud = "[\"ecf-api\"]");
    CASE(JWT_BAD_AUDIENCE, "aud array without ours", .aud = "[\"other\",\"ecf-api2\"]");
    CASE(JWT_BAD_AUDIENCE, "aud empty array", .aud = "[]");
    CASE(JWT_BAD_AUDIENCE, "aud array with a non-string", .aud = "[1,\"ecf-api\"]");
    CASE(JWT_MISSING_CLAIM, "aud as a number", .aud = "7");
    CASE(JWT_MISSING_CLAIM, "aud as an object", .aud = "{\"ecf-api\":true}");

    /* sub and jti */
    CASE(JWT_MISSING_CLAIM, "empty sub", .sub = "\"\"");
    CASE(JWT_MISSING_CLAIM, "sub of 128 chars", .sub = sub128);
    CASE(JWT_OK, "sub of 127 chars", .sub = sub127);
    CASE(REFUSED, "sub with NUL", .sub = "\"lp-1\\u0000admin\"");
    CASE(JWT_MISSING_CLAIM, "empty jti", .jti = "\"\"");
    CASE(JWT_MISSING_CLAIM, "jti of 64 chars", .jti = jti64);
    CASE(JWT_OK, "jti of 63 chars", .jti = jti63);
    CASE(JWT_OK, "sub with UTF-8", .sub = "\"admin:j\\u00f6rg\"");

    /* scope */
    CASE(JWT_BAD_SCOPE, "unknown scope", .scope = "\"lead_provider superuser\"");
    CASE(JWT_BAD_SCOPE, "empty scope", .scope = "\"\"");
    CASE(JWT_BAD_SCOPE, "scope of spaces", .scope = "\"   \"");
    CASE(REFUSED, "scope with NUL", .scope = "\"admin\\u0000\"");
    CASE(JWT_BAD_SCOPE, "scope comma separated", .scope = "\"admin,lead_provider\"");
    CASE(JWT_OK, "all scopes", .scope = "\"admin mentors:write mentors:read lead_provider\"");

    /* strictness of the payload JSON */
    CASE(JWT_MALFORMED, "duplicate sub", .extra = ",\"sub\":\"lp-0002\"");
    CASE(JWT_MALFORMED, "duplicate exp", .extra = ",\"exp\":9999999999");
    CASE(JWT_OK, "unknown extra claim ignored", .extra = ",\"x-extra\":{\"a\":[1,2]}");
#undef CASE

    expect_tok(forge(HS256_HDR, "[]", SIG_HMAC), JWT_MALFORMED, "payload is an array");
    expect_tok(forge(HS256_HDR, "{\"iss\":", SIG_HMAC), JWT_MALFORMED, "payload not JSON");
    expect_tok(forge(HS256_HDR, "{\"sub\":\"\xc0\xaf\"}", SIG_HMAC), JWT_MALFORMED,
               "payload with invalid UTF-8");
    expect_tok(forge_n(HS256_HDR, strlen(HS256_HDR), "{}\0", 3, SECRET, strlen(SECRET), SIG_HMAC),
               JWT_MALFORMED, "payload with raw NUL");
    {
        /* the parser allows \u0000 in strings; a sub holding one must never come out
         * as a shorter C string */
        struct jwt_claims out;
        const char *pl = payload(&(struct claimset){.sub = "\"lp-1\\u0000x\""});
        char *t = pl ? forge(HS256_HDR, pl, SIG_HMAC) : NULL;
        memset(&out, 0, sizeof(out));
        ok(t && jwt_verify(&hs_keys, t, strlen(t), NOW, &out) != JWT_OK && out.sub[0] == '\0',
           "NUL-split sub never reaches claims");
        free(t);
    }
}

/* ---- RSA / EC with keys from the openssl command line ---- */

static int run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    char sink[256];

    if (p == NULL)
        return -1;
    while (fread(sink, 1, sizeof(sink), p) > 0)
        ;
    return pclose(p) == 0 ? 0 : -1;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    size_t n;

    if (f == NULL)
        return NULL;
    buf = malloc(16384);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    n = fread(buf, 1, 16383, f);
    fclose(f);
    if (n == 0 || n == 16383) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Generates a key pair in dir: "openssl <gen> -out priv.pem <gen_tail>", then the public
 * key with "openssl <pub> -pubout". */
static int make_pair(const char *dir, const char *gen, const char *gen_tail, const char *pub,
                     unsigned char **priv_pem, size_t *priv_len, unsigned char **pub_pem,
                     size_t *pub_len)
{
    char cmd[1024], path[512];
    int w, rc = -1;

    *priv_pem = *pub_pem = NULL;
    w = snprintf(cmd, sizeof(cmd), "openssl %s -out '%s/priv.pem' %s 2>/dev/null", gen, dir,
                 gen_tail);
    if (w < 0 || (size_t)w >= sizeof(cmd) || run(cmd) < 0)
        goto out;
    w = snprintf(cmd, sizeof(cmd),
                 "openssl %s -in '%s/priv.pem' -pubout -out '%s/pub.pem' 2>/dev/null", pub, dir,
                 dir);
    if (w < 0 || (size_t)w >= sizeof(cmd) || run(cmd) < 0)
        goto out;
    w = snprintf(path, sizeof(path), "%s/priv.pem", dir);
    if (w < 0 || (size_t)w >= sizeof(path) || (*priv_pem = slurp(path, priv_len)) == NULL)
        goto out;
    w = snprintf(path, sizeof(path), "%s/pub.pem", dir);
    if (w < 0 || (size_t)w >= sizeof(path) || (*pub_pem = slurp(path, pub_len)) == NULL)
        goto out;
    rc = 0;
out:
    w = snprintf(path, sizeof(path), "%s/priv.pem", dir);
    if (w > 0 && (size_t)w < sizeof(path))
        unlink(path);
    w = snprintf(path, sizeof(path), "%s/pub.pem", dir);
    if (w > 0 && (size_t)w < sizeof(path))
        unlink(path);
    if (rc != 0) {
        free(*priv_pem);
        free(*pub_pem);
        *priv_pem = *pub_pem = NULL;
    }
    return rc;
}

static void skip(int count, const char *why)
{
    int i;
    for (i = 0; i < count; i++)
        ok(1, "# SKIP %s", why);
}

static void test_asymmetric(void)
{
    char dir[] = "/tmp/ecf-test-jwt.XXXXXX";
    unsigned char *rpriv = NULL, *rpub = NULL, *epriv = NULL, *epub = NULL;
    size_t rpriv_len = 0, rpub_len = 0, epriv_len = 0, epub_len = 0;
    struct jwt_keys rk, ek, api;
    struct jwt_claims in = std_claims(), out;
    char *tok;
    int have_rsa, have_ec;

    if (mkdtemp(dir) == NULL) {
        skip(14, "cannot create a temporary directory");
        return;
    }
    have_rsa = make_pair(dir, "genrsa", "2048", "rsa", &rpriv, &rpriv_len, &rpub, &rpub_len) == 0;
    have_ec = make_pair(dir, "ecparam -name prime256v1 -genkey -noout", "", "ec", &epriv,
                        &epriv_len, &epub, &epub_len) == 0;
    rmdir(dir);

    if (!have_rsa) {
        skip(10, "openssl genrsa unavailable");
    } else {
        memset(&rk, 0, sizeof(rk));
        rk.alg = JWT_ALG_RS256;
        rk.verify_key = rpub;
        rk.verify_key_len = rpub_len;
        rk.sign_key = rpriv;
        rk.sign_key_len = rpriv_len;
        memcpy(rk.issuer, ISSUER, sizeof(ISSUER));
        memcpy(rk.audience, AUDIENCE, sizeof(AUDIENCE));
        api = rk; /* the API holds only the public key */
        api.sign_key = NULL;
        api.sign_key_len = 0;

        tok = jwt_issue(&rk, &in);
        memset(&out, 0, sizeof(out));
        ok(tok != NULL, "RS256 token minted with the private key");
        ok(tok && jwt_verify(&api, tok, strlen(tok), NOW, &out) == JWT_OK &&
               strcmp(out.sub, in.sub) == 0,
           "RS256 token accepted with the public key");
        ok(tok && verify_at(&hs_keys, tok, NOW) == JWT_WRONG_ALG,
           "RS256 token to the HS256 verifier: wrong alg");
        if (tok) {
            char *sig = strrchr(tok, '.') + 1;
            *sig = *sig == 'A' ? 'B' : 'A';
        }
        ok(tok && verify_at(&api, tok, NOW) == JWT_BAD_SIGNATURE, "RS256 bad signature");
        free(tok);
        ok(jwt_issue(&api, &in) == NULL, "public-key-only keys cannot mint");

        /* algorithm confusion: HS256 keyed with the public key PEM */
        {
            struct jwt_keys forger = rk;
            forger.alg = JWT_ALG_HS256;
            forger.sign_key = rpub;
            forger.sign_key_len = rpub_len;
            char *hs = jwt_issue(&forger, &in);
            ok(hs != NULL, "HS256 token forged with the public key PEM as secret");
            ok(hs && verify_at(&api, hs, NOW) == JWT_WRONG_ALG,
               "forged HS256 token to the RS256 verifier: wrong alg");
            free(hs);
        }
        {
            const char *pl = payload(&(struct claimset){0});
            char *confused =
                pl ? forge_n(HS256_HDR, strlen(HS256_HDR), pl, strlen(pl), rpub, rpub_len, SIG_HMAC)
                   : NULL;
            ok(confused && verify_at(&api, confused, NOW) == JWT_WRONG_ALG,
               "hand-forged HS256 with public key PEM: wrong alg");
            free(confused);
            confused = pl ? forge("{\"alg\":\"none\"}", pl, SIG_EMPTY) : NULL;
            ok(confused && verify_at(&api, confused, NOW) == JWT_WRONG_ALG,
               "alg none to the RS256 verifier: wrong alg");
            free(confused);
        }
        {
            char *t2;
            in.exp = NOW - 61;
            t2 = jwt_issue(&rk, &in);
            ok(t2 && verify_at(&api, t2, NOW) == JWT_EXPIRED, "RS256 expired token");
            free(t2);
            in = std_claims();
        }
    }

    if (!have_ec) {
        skip(4, "openssl ecparam unavailable");
    } else {
        memset(&ek, 0, sizeof(ek));
        ek.alg = JWT_ALG_ES256;
        ek.verify_key = epub;
        ek.verify_key_len = epub_len;
        ek.sign_key = epriv;
        ek.sign_key_len = epriv_len;
        memcpy(ek.issuer, ISSUER, sizeof(ISSUER));
        memcpy(ek.audience, AUDIENCE, sizeof(AUDIENCE));
        api = ek;
        api.sign_key = NULL;
        api.sign_key_len = 0;
        tok = jwt_issue(&ek, &in);
        ok(tok != NULL, "ES256 token minted");
        ok(tok && verify_at(&api, tok, NOW) == JWT_OK, "ES256 token accepted");
        {
            /* RFC 7518 3.4: the signature is R || S, 64 bytes = 86 base64url chars */
            const char *sig = tok ? strrchr(tok, '.') + 1 : NULL;
            ok(sig && strlen(sig) == 86, "ES256 signature is raw R||S (64 bytes)");
        }
        ok(tok && verify_at(&hs_keys, tok, NOW) == JWT_WRONG_ALG,
           "ES256 token to the HS256 verifier: wrong alg");
        free(tok);
    }
    free(rpriv);
    free(rpub);
    free(epriv);
    free(epub);
}

int main(void)
{
    init_hs_keys(&hs_keys, SECRET);
    test_sha256();
    test_names();
    test_scopes();
    test_issue_verify();
    test_shape();
    test_header();
    test_payload();
    test_asymmetric();
    return tap_done();
}
