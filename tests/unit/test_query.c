/* Query-string parsing, including deep-object keys and strict integers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "http/query.h"
#include "tap.h"

int main(void)
{
    struct arena *a = arena_new(4096);
    struct query q;
    long v;

    ok(query_parse(a, "", &q) == 0 && q.count == 0, "empty query");
    ok(query_parse(a, NULL, &q) == 0 && q.count == 0, "no query");
    ok(query_parse(a, "page=2&limit=50", &q) == 0 && q.count == 2 &&
           !strcmp(query_get(&q, "page"), "2") && !strcmp(query_get(&q, "limit"), "50"),
       "simple pairs");
    ok(query_parse(a, "filter%5Bcohort%5D=2024&page[per_page]=100", &q) == 0 &&
           !strcmp(query_get(&q, "filter[cohort]"), "2024") &&
           !strcmp(query_get(&q, "page[per_page]"), "100"),
       "deep-object keys, encoded and raw");
    ok(query_has_prefix(&q, "filter[") && !query_has_prefix(&q, "sort"), "prefix lookup");
    ok(query_parse(a, "name=a+b%20c&x=%2B", &q) == 0 && !strcmp(query_get(&q, "name"), "a b c") &&
           !strcmp(query_get(&q, "x"), "+"),
       "plus and percent decoding");
    ok(query_parse(a, "flag&k=", &q) == 0 && !strcmp(query_get(&q, "flag"), "") &&
           !strcmp(query_get(&q, "k"), ""),
       "keys without values");
    ok(query_parse(a, "a=1&&b=2&", &q) == 0 && q.count == 2, "empty pairs skipped");
    ok(query_parse(a, "a=1&a=2", &q) == 0 && !strcmp(query_get(&q, "a"), "2"), "last value wins");
    ok(query_get(&q, "missing") == NULL, "missing key is NULL");
    ok(query_parse(a, "a=%zz", &q) == -1, "bad escape rejected");
    ok(query_parse(a, "a=%2", &q) == -1, "truncated escape rejected");
    ok(query_parse(a, "a=%", &q) == -1, "lone percent rejected");
    ok(query_parse(a, "a=%00", &q) == -1, "NUL rejected");
    ok(query_parse(a, "a=%C3%28", &q) == -1, "invalid UTF-8 rejected");
    ok(query_parse(a, "a=%C0%AF", &q) == -1, "overlong UTF-8 rejected");
    ok(query_parse(a, "a=%ED%A0%80", &q) == -1, "surrogate rejected");
    ok(query_parse(a, "n=%C3%A9t%C3%A9", &q) == 0 &&
           !strcmp(query_get(&q, "n"), "\xc3\xa9t\xc3\xa9"),
       "valid UTF-8 kept");

    ok(query_parse_long("42", 1, 100, &v) == 0 && v == 42, "integer parsed");
    ok(query_parse_long("100", 1, 100, &v) == 0 && v == 100, "upper bound included");
    ok(query_parse_long("101", 1, 100, &v) == -1, "above max rejected");
    ok(query_parse_long("0", 1, 100, &v) == -1, "below min rejected");
    ok(query_parse_long("-1", 1, 100, &v) == -1, "negative rejected");
    ok(query_parse_long("abc", 1, 100, &v) == -1, "letters rejected");
    ok(query_parse_long("1.0", 1, 100, &v) == -1, "decimal rejected");
    ok(query_parse_long("+1", 1, 100, &v) == -1, "plus sign rejected");
    ok(query_parse_long(" 1", 1, 100, &v) == -1, "space rejected");
    ok(query_parse_long("", 1, 100, &v) == -1, "empty rejected");
    ok(query_parse_long("99999999999999999999999", 1, 100, &v) == -1, "overflow rejected");
    arena_free(a);
    return tap_done();
}
