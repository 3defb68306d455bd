/* Query-string parsing: application/x-www-form-urlencoded pairs, percent-decoded, keys
 * kept whole so deep-object keys read as "filter[cohort]" / "page[per_page]". */
#ifndef ECF_HTTP_QUERY_H
#define ECF_HTTP_QUERY_H

#include <stddef.h>

struct arena;

struct query_param {
    const char *key;
    const char *value; /* "" for "?flag" */
};

struct query {
    size_t count;
    struct query_param *params;
};

/* 0 ok; -1 on malformed input (bad %-escape, NUL byte, invalid UTF-8). */
int query_parse(struct arena *a, const char *qs, struct query *out);
/* Last value for key, or NULL. */
const char *query_get(const struct query *q, const char *key);
/* 1 if any key starts with prefix (e.g. "filter[") or equals name. */
int query_has_prefix(const struct query *q, const char *prefix);
/* Decodes %XX and '+' into a new arena string; -1 on a bad escape. */
int query_decode(struct arena *a, const char *s, size_t len, int plus_is_space, char **out);
/* Strict positive/non-negative integer parse of the whole string ("+1", " 1", "1.0" fail). */
int query_parse_long(const char *s, long min, long max, long *out);

#endif
