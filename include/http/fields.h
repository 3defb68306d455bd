/* Table-driven validation of a JSON object body: handlers see only fields that passed.
 * Problems become 422 entries (title = field name) on the request's response. */
#ifndef ECF_HTTP_FIELDS_H
#define ECF_HTTP_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

struct request;

enum field_type { FIELD_STRING, FIELD_DATE, FIELD_INT, FIELD_BOOL, FIELD_STRING_ARRAY };

enum field_flags {
    FIELD_REQUIRED = 1 << 0,
    FIELD_NULLABLE = 1 << 1,
    FIELD_FORBIDDEN = 1 << 2, /* known but not settable here: detail explains */
};

struct field_spec {
    const char *name;
    enum field_type type;
    unsigned flags;
    const char *forbidden_detail; /* for FIELD_FORBIDDEN */
};

struct field_value {
    int present;
    int is_null;
    const char *s; /* FIELD_STRING, FIELD_DATE text */
    size_t len;
    int32_t day;        /* FIELD_DATE */
    int64_t i;          /* FIELD_INT */
    int b;              /* FIELD_BOOL */
    json_object *array; /* FIELD_STRING_ARRAY (borrowed) */
};

/* Checks obj against specs[0..n); fills out[i] for specs[i]. Unknown keys, forbidden
 * keys, wrong types, nulls where not allowed and missing required fields each add one
 * 422 entry. Returns the number of problems added. */
int fields_parse(struct request *req, json_object *obj, const struct field_spec *specs, size_t n,
                 struct field_value *out);

#endif
