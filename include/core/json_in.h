/* Strict JSON intake (RFC 8259) producing json-c objects.
 * Rejects what json-c's own tokener lets through: trailing garbage, comments, single
 * quotes, trailing commas, NaN/Infinity, non-finite or out-of-range numbers, invalid
 * UTF-8 (incl. overlongs and surrogates), raw control characters in strings, lone
 * surrogate escapes, duplicate object keys, nesting deeper than max_depth, and
 * embedded NUL bytes outside \u0000 escapes. */
#ifndef ECF_CORE_JSON_IN_H
#define ECF_CORE_JSON_IN_H

#include <stddef.h>
#include <json-c/json.h>

/* Parses exactly len bytes. On success stores a new reference in *out (caller puts it)
 * and returns 0. On failure returns -1, *out is NULL and *why (if non-NULL) points to a
 * static human-readable reason. Integers that fit int64 become json_type_int; other
 * numbers become json_type_double (finite only).
 * A top-level `null` succeeds with *out == NULL (json-c's null), so test the return value,
 * not *out. Object keys containing \u0000 are refused (json-c keys are C strings). */
int json_parse_strict(const char *buf, size_t len, int max_depth, json_object **out,
                      const char **why);

#define JSON_IN_DEFAULT_DEPTH 32

#endif
