/* Strict RFC 8259 parser producing json-c objects.
 *
 * json-c's tokener is lenient in ways that matter for an API (see json_in.h), so request
 * bodies and JWT segments go through this hand-written recursive-descent parser instead.
 * Recursion depth is bounded by max_depth (objects and arrays both count one level), and
 * max_depth itself is capped so a careless caller cannot ask for an unbounded stack.
 *
 * Every failure path releases the partially built tree with json_object_put() and leaves
 * *out NULL; *why gets a static reason string. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_in.h"
#include "core/text.h"

/* Hard ceiling on max_depth: deep enough for any real document, shallow enough that the
 * recursion (a few hundred bytes per level) and json-c's recursive json_object_put()
 * cannot exhaust a worker's stack. */
#define JSON_IN_HARD_DEPTH 1024

/* Number tokens up to this size are converted from a stack buffer. */
#define NUMBUF_SIZE 128

struct jparser {
    const unsigned char *s;
    size_t len;
    size_t pos;
    int max_depth;
    const char *why;
    /* scratch buffer for decoded strings, reused across strings */
    char *buf;
    size_t buf_len;
    size_t buf_cap;
};

static int parse_value(struct jparser *p, int depth, json_object **out);

static int fail(struct jparser *p, const char *why)
{
    if (p->why == NULL)
        p->why = why;
    return -1;
}

static void skip_ws(struct jparser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int buf_reserve(struct jparser *p, size_t extra)
{
    size_t need, cap;
    char *nb;

    if (extra > SIZE_MAX - p->buf_len)
        return fail(p, "out of memory");
    need = p->buf_len + extra;
    if (need <= p->buf_cap)
        return 0;
    cap = p->buf_cap ? p->buf_cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    nb = realloc(p->buf, cap);
    if (nb == NULL)
        return fail(p, "out of memory");
    p->buf = nb;
    p->buf_cap = cap;
    return 0;
}

static int buf_put(struct jparser *p, const void *src, size_t n)
{
    if (buf_reserve(p, n) < 0)
        return -1;
    memcpy(p->buf + p->buf_len, src, n);
    p->buf_len += n;
    return 0;
}

/* Appends code point cp (a Unicode scalar value, surrogates excluded) as UTF-8. */
static int buf_put_utf8(struct jparser *p, uint32_t cp)
{
    unsigned char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_put(p, u, n);
}

/* Reads the four hex digits of a \u escape at p->pos (just after the 'u'). */
static int read_hex4(struct jparser *p, uint32_t *v)
{
    uint32_t r = 0;
    size_t i;

    if (p->len - p->pos < 4)
        return fail(p, "truncated \\u escape");
    for (i = 0; i < 4; i++) {
        int h = text_hex_value(p->s[p->pos + i]);
        if (h < 0)
            return fail(p, "invalid \\u escape");
        r = (r << 4) | (uint32_t)h;
    }
    p->pos += 4;
    *v = r;
    return 0;
}

/* Parses a string token at p->pos (which is the opening quote) into p->buf/p->buf_len.
 * The decoded bytes may contain NUL (from \u0000); p->buf is NUL-terminated after them. */
static int parse_string_raw(struct jparser *p)
{
    p->buf_len = 0;
    p->pos++; /* opening quote */
    for (;;) {
        size_t start = p->pos;
        unsigned char c;

        /* copy the run of plain ASCII in one go */
        while (p->pos < p->len) {
            c = p->s[p->pos];
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
                break;
            p->pos++;
        }
        if (p->pos > start && buf_put(p, p->s + start, p->pos - start) < 0)
            return -1;
        if (p->pos >= p->len)
            return fail(p, "unterminated string");

        c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20)
            return fail(p, c == 0 ? "NUL byte in string" : "control character in string");
        if (c >= 0x80) {
            size_t n = text_utf8_seq_len(p->s + p->pos, p->len - p->pos);
            if (n == 0)
                return fail(p, "invalid UTF-8 in string");
            if (buf_put(p, p->s + p->pos, n) < 0)
                return -1;
            p->pos += n;
            continue;
        }

        /* backslash escape */
        p->pos++;
        if (p->pos >= p->len)
            return fail(p, "unterminated string");
        c = p->s[p->pos++];
        switch (c) {
        case '"':
        case '\\':
        case '/':
            if (buf_put(p, &c, 1) < 0)
                return -1;
            break;
        case 'b':
            c = '\b';
            if (buf_put(p, &c, 1) < 0)
                return -1;
            break;
        case 'f':
            c = '\f';
            if (buf_put(p, &c, 1) < 0)
                return -1;
            break;
        case 'n':
            c = '\n';
            if (buf_put(p, &c, 1) < 0)
                return -1;
            break;
        case 'r':
            c = '\r';
            if (buf_put(p, &c, 1) < 0)
                return -1;
            break;
        case 't':
            c = '\t';
            if (buf_put(p, &c, 1) < 0)
                return -1;
            break;
        case 'u': {
            uint32_t cp = 0, lo = 0;

            if (read_hex4(p, &cp) < 0)
                return -1;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(p, "lone low surrogate escape");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* a high surrogate must be followed at once by an escaped low one */
                if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
                    return fail(p, "lone high surrogate escape");
                p->pos += 2;
                if (read_hex4(p, &lo) < 0)
                    return -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(p, "lone high surrogate escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (buf_put_utf8(p, cp) < 0)
                return -1;
            break;
        }
        default:
            return fail(p, "invalid escape in string");
        }
    }
    if (buf_reserve(p, 1) < 0)
        return -1;
    p->buf[p->buf_len] = '\0';
    return 0;
}

static int parse_string(struct jparser *p, json_object **out)
{
    json_object *o;

    if (parse_string_raw(p) < 0)
        return -1;
    if (p->buf_len > INT_MAX)
        return fail(p, "string too long");
    o = json_object_new_string_len(p->buf, (int)p->buf_len);
    if (o == NULL)
        return fail(p, "out of memory");
    *out = o;
    return 0;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ) */
static int parse_number(struct jparser *p, json_object **out)
{
    size_t start = p->pos, n;
    int is_int = 1;
    char stackbuf[NUMBUF_SIZE];
    char *num = stackbuf, *end;
    json_object *o = NULL;
    int rc = -1;

    if (p->pos < p->len && p->s[p->pos] == '-')
        p->pos++;
    if (p->pos >= p->len || !is_digit(p->s[p->pos]))
        return fail(p, "invalid number");
    if (p->s[p->pos] == '0') {
        p->pos++;
        if (p->pos < p->len && is_digit(p->s[p->pos]))
            return fail(p, "leading zero in number");
    } else {
        while (p->pos < p->len && is_digit(p->s[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && p->s[p->pos] == '.') {
        is_int = 0;
        p->pos++;
        if (p->pos >= p->len || !is_digit(p->s[p->pos]))
            return fail(p, "digit expected after decimal point");
        while (p->pos < p->len && is_digit(p->s[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        is_int = 0;
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (p->pos >= p->len || !is_digit(p->s[p->pos]))
            return fail(p, "digit expected in exponent");
        while (p->pos < p->len && is_digit(p->s[p->pos]))
            p->pos++;
    }

    /* strtoll/strtod need a NUL-terminated copy of exactly the token */
    n = p->pos - start;
    if (n >= sizeof(stackbuf)) {
        num = malloc(n + 1);
        if (num == NULL)
            return fail(p, "out of memory");
    }
    memcpy(num, p->s + start, n);
    num[n] = '\0';

    if (is_int) {
        long long v;

        errno = 0;
        v = strtoll(num, &end, 10);
        if (errno == 0 && end == num + n) {
            o = json_object_new_int64((int64_t)v);
            if (o == NULL) {
                fail(p, "out of memory");
                goto out;
            }
            goto done;
        }
        /* beyond int64: fall through to a double */
    }
    {
        double d;

        errno = 0;
        d = strtod(num, &end);
        /* end short of the token means a non-C LC_NUMERIC locale: refuse, never guess */
        if (end != num + n) {
            fail(p, "unconvertible number");
            goto out;
        }
        if (!isfinite(d)) {
            fail(p, "number out of range");
            goto out;
        }
        o = json_object_new_double(d);
        if (o == NULL) {
            fail(p, "out of memory");
            goto out;
        }
    }
done:
    *out = o;
    rc = 0;
out:
    if (num != stackbuf)
        free(num);
    return rc;
}

static int parse_literal(struct jparser *p, const char *word, json_object **out)
{
    size_t n = strlen(word);
    json_object *o;

    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, "invalid literal");
    p->pos += n;
    if (word[0] == 'n') {
        /* json-c represents null as a NULL object pointer */
        *out = NULL;
        return 0;
    }
    o = json_object_new_boolean(word[0] == 't');
    if (o == NULL)
        return fail(p, "out of memory");
    *out = o;
    return 0;
}

static int parse_array(struct jparser *p, int depth, json_object **out)
{
    json_object *arr, *elem = NULL;

    if (depth > p->max_depth)
        return fail(p, "nesting too deep");
    arr = json_object_new_array();
    if (arr == NULL)
        return fail(p, "out of memory");
    p->pos++; /* '[' */
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        goto done;
    }
    for (;;) {
        skip_ws(p);
        if (parse_value(p, depth, &elem) < 0)
            goto err;
        if (json_object_array_add(arr, elem) != 0) {
            json_object_put(elem);
            fail(p, "out of memory");
            goto err;
        }
        elem = NULL;
        skip_ws(p);
        if (p->pos >= p->len) {
            fail(p, "unterminated array");
            goto err;
        }
        if (p->s[p->pos] == ',') {
            p->pos++;
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ']') {
                fail(p, "trailing comma in array");
                goto err;
            }
            continue;
        }
        if (p->s[p->pos] == ']') {
            p->pos++;
            break;
        }
        fail(p, "expected ',' or ']' in array");
        goto err;
    }
done:
    *out = arr;
    return 0;
err:
    json_object_put(arr);
    return -1;
}

static int parse_object(struct jparser *p, int depth, json_object **out)
{
    json_object *obj, *val = NULL;
    char *key = NULL;

    if (depth > p->max_depth)
        return fail(p, "nesting too deep");
    obj = json_object_new_object();
    if (obj == NULL)
        return fail(p, "out of memory");
    p->pos++; /* '{' */
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        goto done;
    }
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len) {
            fail(p, "unterminated object");
            goto err;
        }
        if (p->s[p->pos] != '"') {
            fail(p, p->s[p->pos] == '}' ? "trailing comma in object"
                                        : "expected string key in object");
            goto err;
        }
        if (parse_string_raw(p) < 0)
            goto err;
        /* json-c keys are C strings: a key with an embedded NUL would be stored
         * truncated and could silently collide with another key, so refuse it. */
        if (memchr(p->buf, '\0', p->buf_len) != NULL) {
            fail(p, "NUL in object key");
            goto err;
        }
        /* keys are NUL-free, so this lookup compares the decoded keys bytewise */
        if (json_object_object_get_ex(obj, p->buf, NULL)) {
            fail(p, "duplicate object key");
            goto err;
        }
        key = malloc(p->buf_len + 1);
        if (key == NULL) {
            fail(p, "out of memory");
            goto err;
        }
        memcpy(key, p->buf, p->buf_len + 1);
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ':') {
            fail(p, "expected ':' in object");
            goto err;
        }
        p->pos++;
        skip_ws(p);
        if (parse_value(p, depth, &val) < 0)
            goto err;
        if (json_object_object_add(obj, key, val) != 0) {
            fail(p, "out of memory");
            goto err;
        }
        val = NULL; /* the object owns the value now */
        free(key);  /* json-c copied the key */
        key = NULL;
        skip_ws(p);
        if (p->pos >= p->len) {
            fail(p, "unterminated object");
            goto err;
        }
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] == '}') {
            p->pos++;
            break;
        }
        fail(p, "expected ',' or '}' in object");
        goto err;
    }
done:
    *out = obj;
    return 0;
err:
    json_object_put(val);
    free(key);
    json_object_put(obj);
    return -1;
}

/* depth is the number of containers already open around this value. */
static int parse_value(struct jparser *p, int depth, json_object **out)
{
    unsigned char c;

    *out = NULL;
    if (p->pos >= p->len)
        return fail(p, "unexpected end of input");
    c = p->s[p->pos];
    switch (c) {
    case '{':
        return parse_object(p, depth + 1, out);
    case '[':
        return parse_array(p, depth + 1, out);
    case '"':
        return parse_string(p, out);
    case 't':
        return parse_literal(p, "true", out);
    case 'f':
        return parse_literal(p, "false", out);
    case 'n':
        return parse_literal(p, "null", out);
    case '/':
        return fail(p, "comments are not allowed");
    case '\'':
        return fail(p, "single quotes are not allowed");
    case '\0':
        return fail(p, "NUL byte outside string");
    default:
        if (c == '-' || is_digit(c))
            return parse_number(p, out);
        return fail(p, "unexpected character");
    }
}

int json_parse_strict(const char *buf, size_t len, int max_depth, json_object **out,
                      const char **why)
{
    struct jparser p;
    json_object *root = NULL;
    int rc = -1;

    memset(&p, 0, sizeof(p));
    if (out == NULL) {
        p.why = "invalid arguments";
        goto out;
    }
    *out = NULL;
    if (buf == NULL && len > 0) {
        p.why = "invalid arguments";
        goto out;
    }
    if (max_depth < 0) {
        p.why = "invalid max_depth";
        goto out;
    }
    p.s = (const unsigned char *)buf;
    p.len = len;
    p.max_depth = max_depth > JSON_IN_HARD_DEPTH ? JSON_IN_HARD_DEPTH : max_depth;

    skip_ws(&p);
    if (p.pos >= p.len) {
        p.why = "empty input";
        goto out;
    }
    if (parse_value(&p, 0, &root) < 0)
        goto out;
    skip_ws(&p);
    if (p.pos != p.len) {
        fail(&p, "trailing characters after JSON value");
        json_object_put(root);
        root = NULL;
        goto out;
    }
    *out = root;
    rc = 0;
out:
    free(p.buf);
    if (why != NULL)
        *why = rc == 0 ? NULL : (p.why != NULL ? p.why : "invalid JSON");
    return rc;
}
