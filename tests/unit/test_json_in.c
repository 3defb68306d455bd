/* Unit tests for the strict JSON parser: named valid and invalid cases, then checks on
 * the values it builds. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_in.h"
#include "tap.h"

struct jcase {
    const char *name;
    const char *in;
    size_t len;
    int valid;
};

/* L(x): a string literal with its exact length, embedded NULs included */
#define L(x) x, sizeof(x) - 1

static const struct jcase cases[] = {
    /* valid */
    {"empty object", L("{}"), 1},
    {"empty array", L("[]"), 1},
    {"simple object", L("{\"a\":1,\"b\":\"x\"}"), 1},
    {"object with whitespace", L(" \t\r\n{ \"a\" : [ 1 , 2 ] }\n "), 1},
    {"nested", L("{\"a\":{\"b\":[{\"c\":null},[true,false]]}}"), 1},
    {"array of scalars", L("[1,-1,0,-0,1.5,-1.5e-3,1E+2,2e2,\"s\",true,false,null]"), 1},
    {"top-level integer", L("42"), 1},
    {"top-level string", L("\"x\""), 1},
    {"top-level true", L("true"), 1},
    {"top-level null", L("null"), 1},
    {"top-level negative zero", L("-0"), 1},
    {"escapes", L("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), 1},
    {"unicode escape BMP", L("\"\\u00e9\\u20AC\""), 1},
    {"unicode escape surrogate pair", L("\"\\ud83d\\ude00\""), 1},
    {"unicode escape \\u0000", L("\"a\\u0000b\""), 1},
    {"raw UTF-8 2/3/4 byte", L("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""), 1},
    {"raw UTF-8 max code point", L("\"\xf4\x8f\xbf\xbf\""), 1},
    {"raw UTF-8 U+FFFF", L("\"\xef\xbf\xbf\""), 1},
    {"big int", L("9223372036854775807"), 1},
    {"min int", L("-9223372036854775808"), 1},
    {"int beyond int64", L("9223372036854775808"), 1},
    {"huge int still finite", L("123456789012345678901234567890"), 1},
    {"exponent", L("1e308"), 1},
    {"underflow to zero", L("1e-400"), 1},
    {"same key in sibling objects", L("[{\"a\":1},{\"a\":2}]"), 1},
    {"keys differing in case", L("{\"a\":1,\"A\":2}"), 1},
    {"empty key", L("{\"\":1}"), 1},
    {"long number token",
     L("0.000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000000000001"),
     1},

    /* invalid: structure */
    {"empty input", L(""), 0},
    {"whitespace only", L(" \n\t\r "), 0},
    {"trailing garbage", L("{\"a\":1} x"), 0},
    {"two values", L("1 2"), 0},
    {"two objects", L("{}{}"), 0},
    {"trailing comma in object", L("{\"a\":1,}"), 0},
    {"trailing comma in array", L("[1,]"), 0},
    {"leading comma in array", L("[,1]"), 0},
    {"double comma", L("[1,,2]"), 0},
    {"missing comma", L("[1 2]"), 0},
    {"missing colon", L("{\"a\" 1}"), 0},
    {"missing value", L("{\"a\":}"), 0},
    {"unquoted key", L("{a:1}"), 0},
    {"non-string key", L("{1:1}"), 0},
    {"single quotes", L("{'a':1}"), 0},
    {"single-quoted string", L("'a'"), 0},
    {"block comment", L("/*c*/1"), 0},
    {"line comment", L("1 // c"), 0},
    {"hash comment", L("# c\n1"), 0},
    {"unterminated object", L("{\"a\":1"), 0},
    {"unterminated array", L("[1"), 0},
    {"unterminated string", L("\"abc"), 0},
    {"mismatched brackets", L("[1}"), 0},
    {"lone close", L("]"), 0},
    {"byte order mark", L("\xef\xbb\xbf{}"), 0},
    {"form feed is not whitespace", L("\f1"), 0},
    {"raw NUL after value", L("1\0"), 0},
    {"raw NUL before value", L("\0001"), 0}, /* octal escape: NUL, then '1' */
    {"raw NUL in object", L("{\"a\":1,\0}"), 0},

    /* invalid: literals and numbers */
    {"NaN", L("NaN"), 0},
    {"Infinity", L("Infinity"), 0},
    {"-Infinity", L("-Infinity"), 0},
    {"nan in array", L("[nan]"), 0},
    {"True capitalised", L("True"), 0},
    {"truncated literal", L("tru"), 0},
    {"literal with suffix", L("nullx"), 0},
    {"undefined", L("undefined"), 0},
    {"leading zero", L("01"), 0},
    {"negative leading zero", L("-01"), 0},
    {"leading plus", L("+1"), 0},
    {"leading dot", L(".5"), 0},
    {"trailing dot", L("1."), 0},
    {"dot before exponent", L("1.e5"), 0},
    {"empty exponent", L("1e"), 0},
    {"signed empty exponent", L("1e+"), 0},
    {"lone minus", L("-"), 0},
    {"minus space digit", L("- 1"), 0},
    {"hex number", L("0x10"), 0},
    {"overflowing double", L("1e400"), 0},
    {"overflowing negative double", L("-1e400"), 0},
    {"overflowing integer literal",
     L("1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
     0},

    /* invalid: strings */
    {"raw tab in string", L("\"a\tb\""), 0},
    {"raw newline in string", L("\"a\nb\""), 0},
    {"raw 0x1f in string", L("\"\x1f\""), 0},
    {"raw NUL in string", L("\"a\0b\""), 0},
    {"invalid escape \\x", L("\"\\x41\""), 0},
    {"invalid escape \\a", L("\"\\a\""), 0},
    {"invalid escape \\'", L("\"\\'\""), 0},
    {"short \\u escape", L("\"\\u12\""), 0},
    {"non-hex \\u escape", L("\"\\u12g4\""), 0},
    {"escaped NUL as backslash-0", L("\"\\0\""), 0},
    {"lone high surrogate", L("\"\\ud800\""), 0},
    {"lone low surrogate", L("\"\\udc00\""), 0},
    {"reversed surrogate pair", L("\"\\udc00\\ud800\""), 0},
    {"high surrogate then BMP escape", L("\"\\ud800\\u0041\""), 0},
    {"high surrogate then raw char", L("\"\\ud800x\""), 0},
    {"two high surrogates", L("\"\\ud800\\ud800\""), 0},
    {"overlong slash C0 AF", L("\"\xc0\xaf\""), 0},
    {"overlong C1 BF", L("\"\xc1\xbf\""), 0},
    {"overlong E0 80 AF", L("\"\xe0\x80\xaf\""), 0},
    {"overlong F0 80 80 AF", L("\"\xf0\x80\x80\xaf\""), 0},
    {"UTF-8 surrogate ED A0 80", L("\"\xed\xa0\x80\""), 0},
    {"UTF-8 surrogate ED BF BF", L("\"\xed\xbf\xbf\""), 0},
    {"above U+10FFFF F4 90 80 80", L("\"\xf4\x90\x80\x80\""), 0},
    {"F5 lead byte", L("\"\xf5\x80\x80\x80\""), 0},
    {"FF byte", L("\"\xff\""), 0},
    {"lone continuation byte", L("\"\x80\""), 0},
    {"truncated E2 82", L("\"\xe2\x82\""), 0},
    {"truncated at end of input", L("\"\xe2\x82"), 0},
    {"bad continuation", L("\"\xc3\x28\""), 0},
    {"invalid UTF-8 in key", L("{\"\xc0\xaf\":1}"), 0},
    {"invalid UTF-8 outside string", L("\xc3\xa9"), 0},

    /* invalid: keys */
    {"duplicate key", L("{\"a\":1,\"a\":2}"), 0},
    {"duplicate key different values", L("{\"a\":\"x\",\"b\":1,\"a\":[1]}"), 0},
    {"nested duplicate key", L("{\"o\":{\"k\":1,\"k\":1}}"), 0},
    {"duplicate key in array element", L("[{\"k\":1},{\"k\":1,\"k\":2}]"), 0},
    {"duplicate key via escape", L("{\"a\":1,\"\\u0061\":2}"), 0},
    {"duplicate null values", L("{\"a\":null,\"a\":null}"), 0},
    {"NUL in key", L("{\"a\\u0000b\":1}"), 0},
};

static void run_table(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct jcase *c = &cases[i];
        json_object *o = (json_object *)&o; /* poison: must be overwritten */
        const char *why = NULL;
        int rc = json_parse_strict(c->in, c->len, JSON_IN_DEFAULT_DEPTH, &o, &why);

        if (c->valid) {
            ok(rc == 0 && why == NULL, "valid: %s%s%s", c->name, rc ? " -- " : "",
               rc ? (why ? why : "?") : "");
        } else {
            ok(rc == -1 && o == NULL && why != NULL && why[0] != '\0', "invalid: %s (%s)", c->name,
               why ? why : "no reason");
        }
        if (rc == 0)
            json_object_put(o);
    }
}

/* n nested containers: arrays when obj is 0, else objects {"k":...}, alternating when 2 */
static char *nest(int n, int kind)
{
    size_t cap = (size_t)n * 8 + 8, pos = 0;
    char *s = malloc(cap);
    int i;

    if (s == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        int obj = kind == 1 || (kind == 2 && i % 2);
        if (obj) {
            memcpy(s + pos, "{\"k\":", 5);
            pos += 5;
        } else {
            s[pos++] = '[';
        }
    }
    s[pos++] = '1';
    for (i = n - 1; i >= 0; i--) {
        int obj = kind == 1 || (kind == 2 && i % 2);
        s[pos++] = obj ? '}' : ']';
    }
    s[pos] = '\0';
    return s;
}

static int parses(const char *s, size_t len, int depth)
{
    json_object *o = NULL;
    int rc = json_parse_strict(s, len, depth, &o, NULL);

    json_object_put(o);
    return rc == 0;
}

static void test_depth(void)
{
    static const char *const kinds[] = {"arrays", "objects", "mixed"};
    int kind;
    char *s;

    for (kind = 0; kind < 3; kind++) {
        s = nest(32, kind);
        ok(s && parses(s, strlen(s), 32), "depth 32 of %s accepted with max 32", kinds[kind]);
        free(s);
        s = nest(33, kind);
        ok(s && !parses(s, strlen(s), 32), "depth 33 of %s rejected with max 32", kinds[kind]);
        free(s);
    }
    s = nest(100000, 0);
    ok(s && !parses(s, strlen(s), JSON_IN_DEFAULT_DEPTH),
       "100000 nested arrays rejected without deep recursion");
    ok(s && !parses(s, strlen(s), INT32_MAX), "huge max_depth is capped");
    free(s);
    ok(parses(L("1"), 0), "scalar with max_depth 0 accepted");
    ok(!parses(L("[]"), 0), "array with max_depth 0 rejected");
    ok(!parses(L("1"), -1), "negative max_depth rejected");
    ok(parses(L("[[]]"), 2), "depth counts empty containers: 2 of 2");
    ok(!parses(L("[[]]"), 1), "depth counts empty containers: 2 of 1");
}

static void test_values(void)
{
    json_object *o = NULL, *v;
    const char *why = "x";
    int rc;

    rc = json_parse_strict(L("42"), JSON_IN_DEFAULT_DEPTH, &o, &why);
    ok(rc == 0 && json_object_is_type(o, json_type_int) && json_object_get_int64(o) == 42,
       "42 is int64 42");
    ok(why == NULL, "why is NULL on success");
    json_object_put(o);

    rc = json_parse_strict(L("-9223372036854775808"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_int) && json_object_get_int64(o) == INT64_MIN,
       "INT64_MIN kept exactly");
    json_object_put(o);

    rc = json_parse_strict(L("9223372036854775807"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_int) && json_object_get_int64(o) == INT64_MAX,
       "INT64_MAX kept exactly");
    json_object_put(o);

    rc = json_parse_strict(L("9223372036854775808"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_double) &&
           json_object_get_double(o) == 9223372036854775808.0,
       "INT64_MAX+1 becomes a double");
    json_object_put(o);

    rc = json_parse_strict(L("-1.5e3"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_double) && json_object_get_double(o) == -1500.0,
       "-1.5e3 is double -1500");
    json_object_put(o);

    rc = json_parse_strict(L("1E2"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_double) && json_object_get_double(o) == 100.0,
       "1E2 is a double even though integral");
    json_object_put(o);

    rc = json_parse_strict(L("-0"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_int) && json_object_get_int64(o) == 0,
       "-0 is int 0");
    json_object_put(o);

    rc = json_parse_strict(L("\"a\\u0000b\""), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_string) && json_object_get_string_len(o) == 3 &&
           memcmp(json_object_get_string(o), "a\0b", 3) == 0,
       "\\u0000 kept: length 3");
    json_object_put(o);

    rc = json_parse_strict(L("\"\\ud83d\\ude00\\u00e9\\u20ac\""), 32, &o, NULL);
    ok(rc == 0 && json_object_get_string_len(o) == 9 &&
           memcmp(json_object_get_string(o), "\xf0\x9f\x98\x80\xc3\xa9\xe2\x82\xac", 9) == 0,
       "surrogate pair and BMP escapes decode to UTF-8");
    json_object_put(o);

    rc = json_parse_strict(L("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), 32, &o, NULL);
    ok(rc == 0 && json_object_get_string_len(o) == 8 &&
           memcmp(json_object_get_string(o), "\"\\/\b\f\n\r\t", 8) == 0,
       "simple escapes decode");
    json_object_put(o);

    rc = json_parse_strict(L("null"), 32, &o, NULL);
    ok(rc == 0 && o == NULL, "top-level null succeeds with a NULL object");

    rc =
        json_parse_strict(L("{\"a\":[1,\"two\",true,null,{\"b\":2.5}],\"c\":false}"), 32, &o, NULL);
    ok(rc == 0 && json_object_is_type(o, json_type_object) && json_object_object_length(o) == 2,
       "object with two members");
    ok(rc == 0 && json_object_object_get_ex(o, "a", &v) &&
           json_object_is_type(v, json_type_array) && json_object_array_length(v) == 5,
       "member a is a 5-element array");
    ok(rc == 0 && json_object_object_get_ex(o, "a", &v) &&
           json_object_is_type(json_object_array_get_idx(v, 1), json_type_string) &&
           strcmp(json_object_get_string(json_object_array_get_idx(v, 1)), "two") == 0,
       "a[1] is \"two\"");
    ok(rc == 0 && json_object_object_get_ex(o, "a", &v) && json_object_array_get_idx(v, 3) == NULL,
       "a[3] is null");
    ok(rc == 0 && json_object_object_get_ex(o, "a", &v) &&
           json_object_get_boolean(json_object_array_get_idx(v, 2)) == 1 &&
           json_object_is_type(json_object_array_get_idx(v, 2), json_type_boolean),
       "a[2] is true");
    ok(rc == 0 && json_object_object_get_ex(o, "c", &v) &&
           json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v) == 0,
       "c is false");
    json_object_put(o);

    /* not NUL-terminated: parses exactly len bytes */
    rc = json_parse_strict("[1]garbage", 3, 32, &o, NULL);
    ok(rc == 0 && json_object_array_length(o) == 1, "parses exactly len bytes");
    json_object_put(o);
    rc = json_parse_strict("123", 2, 32, &o, NULL);
    ok(rc == 0 && json_object_get_int64(o) == 12, "number ends at len");
    json_object_put(o);

    o = (json_object *)&o;
    why = NULL;
    rc = json_parse_strict(L("{\"a\":1,\"a\":2}"), 32, &o, &why);
    ok(rc == -1 && o == NULL && why && strstr(why, "duplicate"), "duplicate key reason: %s",
       why ? why : "(none)");
    rc = json_parse_strict(NULL, 0, 32, &o, &why);
    ok(rc == -1 && o == NULL && why != NULL, "NULL buffer with zero length is empty input");
    rc = json_parse_strict(NULL, 5, 32, &o, &why);
    ok(rc == -1 && o == NULL && why != NULL, "NULL buffer with a length is refused");
    rc = json_parse_strict(L("1"), 32, &o, NULL);
    ok(rc == 0, "why may be NULL");
    json_object_put(o);
    ok(json_parse_strict(L("1"), 32, NULL, &why) == -1, "out may not be NULL");
}

/* A large valid document and a failure deep inside one, for the sanitizers' sake. */
static void test_cleanup(void)
{
    size_t n = 20000, i, pos = 0;
    char *s = malloc(n * 32 + 16);
    json_object *o = NULL;
    int rc;

    if (s == NULL) {
        ok(0, "malloc");
        return;
    }
    s[pos++] = '{';
    for (i = 0; i < n; i++) {
        int w = snprintf(s + pos, 32, "%s\"k%zu\":[%zu]", i ? "," : "", i, i);
        if (w < 0 || w >= 32) {
            ok(0, "snprintf");
            free(s);
            return;
        }
        pos += (size_t)w;
    }
    s[pos++] = '}';
    rc = json_parse_strict(s, pos, 32, &o, NULL);
    ok(rc == 0 && json_object_object_length(o) == (int)n, "object with %zu members", n);
    json_object_put(o);

    /* same document with a duplicate at the very end: everything built must be freed */
    memcpy(s + pos - 1, ",\"k0\":1}", 8);
    rc = json_parse_strict(s, pos + 7, 32, &o, NULL);
    ok(rc == -1 && o == NULL, "late duplicate key rejected after building a large tree");
    free(s);

    rc = json_parse_strict(L("[[\"a\",{\"b\":[1,2,{\"c\":\"\\ud800\"}]}]]"), 32, &o, NULL);
    ok(rc == -1 && o == NULL, "failure deep inside nested containers");
}

int main(void)
{
    run_table();
    test_depth();
    test_values();
    test_cleanup();
    return tap_done();
}
