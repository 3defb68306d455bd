/* List parameters shared by the Lead Provider API v3 list endpoints (spec section 6):
 * `filter` must be a hash, `page[page]`/`page[per_page]` (Ruby to_i, default 1/100, per_page
 * capped at 3000), `filter[updated_since]` (ISO 8601 after one extra URL-decode) and `sort`
 * (`[+|-]created_at` / `[+|-]updated_at`, comma-separated, each known item in turn). */
#ifndef ECF_HTTP_PAGINATION_H
#define ECF_HTTP_PAGINATION_H

#include <stdint.h>

struct request;

#define PAGINATION_DEFAULT_PER_PAGE 100
#define PAGINATION_MAX_PER_PAGE 3000

enum pagination_sort {
    PAGINATION_CREATED_ASC,
    PAGINATION_CREATED_DESC,
    PAGINATION_UPDATED_ASC,
    PAGINATION_UPDATED_DESC,
    PAGINATION_SORT__MAX
};

struct pagination {
    long page; /* from 1 */
    long per_page;
    int64_t offset;            /* (page - 1) * per_page, saturated at INT64_MAX / 2 */
    enum pagination_sort sort; /* the first key */
    enum pagination_sort then; /* the other attribute, breaking ties; __MAX: none */
    int has_updated_since;
    int64_t updated_since_us;
};

/* Parses the shared list parameters of req. On a bad value answers the section 6 400 and
 * returns -1; else fills out and returns 0. `with_sort` = 0 keeps the default order. */
int pagination_parse_or_reply(struct request *req, int with_sort, struct pagination *out);

/* The value of `filter[name]`, or NULL when absent. */
const char *pagination_filter(const struct request *req, const char *name);

/* filter[cohort]: comma-separated years; tokens that are not all digits are dropped. Sets
 * *out to the normalised list ("2021,2022", in the request's arena), or NULL when the filter
 * is absent or blank. Returns 0, or -1 when every token was dropped (the answer is an empty
 * list). */
int pagination_cohorts(const struct request *req, const char **out);

#endif
