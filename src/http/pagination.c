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

/* updated_since: decoded once more (so "+" becomes a space, as in RECT), then an RFC 3339
 * date-time or a plain date (midnight UTC). */
static int parse_updated_since(struct request *req, const char *raw, int64_t *us)
{
    char *v;
    int32_t day;
    if (query_decode(req->arena, raw, strlen(raw), 1, &v))
        return -1;
    if (clock_parse_rfc3339(v, us) == 0)
        return 0;
    if (clock_parse_date(v, &day) == 0) {
        *us = clock_day_start_us(day);
        return 0;
    }
    return -1;
}

static enum pagination_sort parse_sort(struct arena *a, const char *s)
{
    char *copy = arena_strdup(a, s), *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        int desc = 0;
        /* "+" arrives as a space after form decoding. */
        while (*item == ' ')
            item++;
        if (*item == '+' || *item == '-')
            desc = *item++ == '-';
        if (!strcmp(item, "created_at"))
            return desc ? PAGINATION_CREATED_DESC : PAGINATION_CREATED_ASC;
        if (!strcmp(item, "updated_at"))
            return desc ? PAGINATION_UPDATED_DESC : PAGINATION_UPDATED_ASC;
    }
    return PAGINATION_CREATED_ASC;
}

int pagination_parse_or_reply(struct request *req, int with_sort, struct pagination *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < req->query.count; i++) {
        if (!strcmp(req->query.params[i].key, "filter")) {
            response_error(req, 400, "Bad parameter", "Filter must be a hash");
            return -1;
        }
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
    out->sort = with_sort && sort ? parse_sort(req->arena, sort) : PAGINATION_CREATED_ASC;
    return 0;
}
