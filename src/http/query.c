#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/text.h"
#include "http/query.h"

int query_decode(struct arena *a, const char *s, size_t len, int plus_is_space, char **out)
{
    char *d = arena_alloc(a, len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi, lo;
            if (i + 2 >= len)
                return -1;
            hi = text_hex_value(s[i + 1]);
            lo = text_hex_value(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            d[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            d[o++] = ' ';
        } else {
            d[o++] = s[i];
        }
    }
    d[o] = '\0';
    if (!text_utf8_valid((const unsigned char *)d, o))
        return -1;
    *out = d;
    return 0;
}

int query_parse(struct arena *a, const char *qs, struct query *out)
{
    out->count = 0;
    out->params = NULL;
    if (!qs || !*qs)
        return 0;
    size_t cap = 1;
    for (const char *p = qs; *p; p++)
        if (*p == '&')
            cap++;
    out->params = arena_alloc(a, cap * sizeof(*out->params));
    const char *p = qs;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 0) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            char *key, *value;
            if (query_decode(a, p, klen, 1, &key))
                return -1;
            if (eq) {
                if (query_decode(a, eq + 1, len - klen - 1, 1, &value))
                    return -1;
            } else {
                value = arena_strdup(a, "");
            }
            out->params[out->count].key = key;
            out->params[out->count].value = value;
            out->count++;
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    return 0;
}

const char *query_get(const struct query *q, const char *key)
{
    const char *found = NULL;
    for (size_t i = 0; i < q->count; i++)
        if (!strcmp(q->params[i].key, key))
            found = q->params[i].value;
    return found;
}

int query_has_prefix(const struct query *q, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < q->count; i++)
        if (!strncmp(q->params[i].key, prefix, n))
            return 1;
    return 0;
}

int query_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s)
        return -1;
    const char *p = s;
    if (*p == '-')
        p++;
    if (!*p)
        return -1;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}
