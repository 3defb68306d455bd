/* Section 6 list parameters: see include/http/pagination.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <limits.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "http/pagination.h"
#include "http/query.h"
#include "http/request.h"
#include "http/response.h"

#define BAD_PAGE                                                                                   \
    "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number"
#define BAD_UPDATED_SINCE "The filter '#/updated_since' must be a valid ISO 8601 date"

/* Ruby's String#to_i: leading blanks, an optional sign, then digits up to the first other
 * character; no digits gives 0. Saturates instead of overflowing. */
static long ruby_to_i(const char *s)
{
    long v = 0;
    int neg = 0;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
        s++;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (LONG_MAX - 9) / 10)
            v = LONG_MAX / 10; /* saturate: stays "big" */
        else
            v = v * 10 + (*s - '0');
        if (*(s + 1) == '_' && *(s + 2) >= '0' && *(s + 2) <= '9')
            s++; /* Ruby accepts single underscores between digits */
    }
    return neg ? -v : v;
}

const char *pagination_filter(const struct request *req, const char *name)
{
    char key[64];
    xsnprintf(key, sizeof(key), "filter[%s]", name);
    return query_get(&req->query, key);
}

/* Ruby's \s. */
static int ruby_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* n digits at *s (advanced); -1 when one is not a digit. */
static int digits(const char **s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    return v;
}

/* What Ruby's Time.iso8601 (Time.xmlschema) reads:
 *   \s* YYYY-MM-DD [ T hh:mm:ss [.frac] ] [ Z | +hh | +hhmm | +hh:mm ] \s*   ('T'/'Z' any case)
 * with no zone meaning the server's zone (UTC). Ruby's Time.utc carries an out-of-month day
 * (02-31) or second 60 into the next month/minute; so does this. Years outside 1000..9999
 * are refused (the stored timestamps' range). 0 ok, -1 bad. */
static int parse_ruby_iso8601(const char *s, int64_t *us)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac_us = 0, off = 0;
    while (ruby_space(*s))
        s++;
    if ((y = digits(&s, 4)) < 1000 || *s++ != '-' || (mo = digits(&s, 2)) < 1 || mo > 12 ||
        *s++ != '-' || (d = digits(&s, 2)) < 1 || d > 31)
        return -1;
    if (*s == 'T' || *s == 't') {
        s++;
        if ((h = digits(&s, 2)) < 0 || h > 24 || *s++ != ':' || (mi = digits(&s, 2)) < 0 ||
            mi > 59 || *s++ != ':' || (sec = digits(&s, 2)) < 0 || sec > 60 ||
            (h == 24 && (mi || sec)))
            return -1;
        if (*s == '.') {
            int scale = 100000, n = 0;
            for (s++; *s >= '0' && *s <= '9'; s++, n++) {
                frac_us += (*s - '0') * scale;
                scale /= 10;
            }
            if (!n)
                return -1;
        }
    }
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om = 0;
        if ((oh = digits(&s, 2)) < 0 || oh > 23)
            return -1;
        if (*s == ':' || (*s >= '0' && *s <= '9')) {
            if (*s == ':')
                s++;
            if ((om = digits(&s, 2)) < 0 || om > 59)
                return -1;
        }
        off = sign * (oh * 3600 + om * 60);
    }
    while (ruby_space(*s))
        s++;
    if (*s)
        return -1;
    int64_t days = (int64_t)clock_days_from_civil(y, mo, 1) + d - 1;
    int64_t secs = days * 86400 + (int64_t)h * 3600 + mi * 60 + sec - off;
    *us = secs * CLOCK_US_PER_SEC + frac_us;
    return 0;
}

/* updated_since: decoded once more (so "+" becomes a space, as in RECT), then read as Ruby's
 * Time.iso8601 does. */
static int parse_updated_since(struct request *req, const char *raw, int64_t *us)
{
    char *v;
    if (query_decode(req->arena, raw, strlen(raw), 1, &v))
        return -1;
    return parse_ruby_iso8601(v, us);
}

/* RECT's Orderable: every item whose attribute is known, in turn ("created_at, updated_at"
 * is the ORDER BY). An attribute named again changes nothing (its first item already ordered
 * it), so at most two keys remain: out->sort, then out->then (PAGINATION_SORT__MAX: none). */
static void parse_sort(struct arena *a, const char *s, struct pagination *out)
{
    char *copy = arena_strdup(a, s), *save = NULL;
    int seen_created = 0, seen_updated = 0, n = 0;
    out->sort = PAGINATION_CREATED_ASC;
    out->then = PAGINATION_SORT__MAX;
    for (char *item = strtok_r(copy, ",", &save); item && n < 2;
         item = strtok_r(NULL, ",", &save)) {
        int desc = 0;
        enum pagination_sort k;
        /* "+" arrives as a space after form decoding. */
        while (*item == ' ')
            item++;
        if (*item == '+' || *item == '-')
            desc = *item++ == '-';
        if (!strcmp(item, "created_at") && !seen_created) {
            seen_created = 1;
            k = desc ? PAGINATION_CREATED_DESC : PAGINATION_CREATED_ASC;
        } else if (!strcmp(item, "updated_at") && !seen_updated) {
            seen_updated = 1;
            k = desc ? PAGINATION_UPDATED_DESC : PAGINATION_UPDATED_ASC;
        } else {
            continue;
        }
        if (n++ == 0)
            out->sort = k;
        else
            out->then = k;
    }
}

/* `filter` is not a hash: `filter=abc` (a string) or `filter[]=abc` (an array). */
static int filter_not_a_hash(const struct request *req)
{
    for (size_t i = 0; i < req->query.count; i++) {
        const char *k = req->query.params[i].key;
        if (!strcmp(k, "filter") || !strncmp(k, "filter[]", 8))
            return 1;
    }
    return 0;
}

int pagination_parse_or_reply(struct request *req, int with_sort, struct pagination *out)
{
    memset(out, 0, sizeof(*out));
    if (filter_not_a_hash(req)) {
        response_error(req, 400, "Bad parameter", "Filter must be a hash");
        return -1;
    }
    const char *p = query_get(&req->query, "page[page]");
    const char *pp = query_get(&req->query, "page[per_page]");
    long page = p ? ruby_to_i(p) : 1;
    long per_page = pp ? ruby_to_i(pp) : PAGINATION_DEFAULT_PER_PAGE;
    if (page < 1 || per_page < 1) {
        response_error(req, 400, "Bad request", BAD_PAGE);
        return -1;
    }
    if (per_page > PAGINATION_MAX_PER_PAGE)
        per_page = PAGINATION_MAX_PER_PAGE;
    out->page = page;
    out->per_page = per_page;
    out->offset =
        page - 1 > (INT64_MAX / 2) / per_page ? INT64_MAX / 2 : (int64_t)(page - 1) * per_page;
    const char *since = pagination_filter(req, "updated_since");
    if (since && *since) {
        if (parse_updated_since(req, since, &out->updated_since_us)) {
            response_error(req, 400, "Bad request", BAD_UPDATED_SINCE);
            return -1;
        }
        out->has_updated_since = 1;
    }
    const char *sort = query_get(&req->query, "sort");
    out->sort = PAGINATION_CREATED_ASC;
    out->then = PAGINATION_SORT__MAX;
    if (with_sort && sort)
        parse_sort(req->arena, sort, out);
    return 0;
}

/* Longer tokens cannot be a cohort year and are dropped like any other non-year. */
#define COHORT_MAX_DIGITS 6

int pagination_cohorts(const struct request *req, const char **out)
{
    const char *v = pagination_filter(req, "cohort");
    struct arena *a = req->arena;
    *out = NULL;
    if (!v || !*v)
        return 0;
    char *buf = arena_alloc(a, strlen(v) + 1);
    size_t o = 0;
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        size_t digits = strspn(p, "0123456789");
        if (len > 0 && digits == len && len <= COHORT_MAX_DIGITS) {
            if (o)
                buf[o++] = ',';
            while (len > 1 && *p == '0') /* "02021" is 2021, as to_i reads it */
                p++, len--;
            memcpy(buf + o, p, len);
            o += len;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    buf[o] = '\0';
    if (!o)
        return -1;
    *out = buf;
    return 0;
}
