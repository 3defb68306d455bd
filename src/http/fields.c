#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "http/fields.h"
#include "http/request.h"
#include "http/response.h"

static const char *type_detail(struct request *req, const struct field_spec *f)
{
    switch (f->type) {
    case FIELD_STRING:
        return arena_printf(req->arena, "%s must be a string", f->name);
    case FIELD_DATE:
        return arena_printf(req->arena, "%s must be a date in the format YYYY-MM-DD", f->name);
    case FIELD_INT:
        return arena_printf(req->arena, "%s must be an integer", f->name);
    case FIELD_BOOL:
        return arena_printf(req->arena, "%s must be true or false", f->name);
    case FIELD_STRING_ARRAY:
        return arena_printf(req->arena, "%s must be an array of strings", f->name);
    }
    return "invalid";
}

static int take(struct request *req, const struct field_spec *f, json_object *v,
                struct field_value *out)
{
    out->present = 1;
    if (json_object_is_type(v, json_type_null)) {
        if (!(f->flags & FIELD_NULLABLE)) {
            response_error_add(req, f->name,
                               arena_printf(req->arena, "%s must not be null", f->name));
            return 1;
        }
        out->is_null = 1;
        return 0;
    }
    switch (f->type) {
    case FIELD_STRING:
    case FIELD_DATE:
        if (!json_object_is_type(v, json_type_string))
            break;
        out->s = json_object_get_string(v);
        out->len = (size_t)json_object_get_string_len(v);
        if (memchr(out->s, '\0', out->len)) {
            response_error_add(req, f->name,
                               arena_printf(req->arena, "%s must not contain NUL", f->name));
            return 1;
        }
        if (f->type == FIELD_DATE && clock_parse_date(out->s, &out->day) != 0)
            break;
        return 0;
    case FIELD_INT:
        if (!json_object_is_type(v, json_type_int))
            break;
        out->i = json_object_get_int64(v);
        return 0;
    case FIELD_BOOL:
        if (!json_object_is_type(v, json_type_boolean))
            break;
        out->b = json_object_get_boolean(v);
        return 0;
    case FIELD_STRING_ARRAY: {
        if (!json_object_is_type(v, json_type_array))
            break;
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
                goto bad;
        out->array = v;
        return 0;
    }
    }
bad:
    response_error_add(req, f->name, type_detail(req, f));
    return 1;
}

int fields_parse(struct request *req, json_object *obj, const struct field_spec *specs, size_t n,
                 struct field_value *out)
{
    int problems = 0;
    memset(out, 0, n * sizeof(*out));
    json_object_object_foreach(obj, key, val)
    {
        size_t i;
        for (i = 0; i < n; i++)
            if (!strcmp(specs[i].name, key))
                break;
        if (i == n) {
            response_error_add(req, key,
                               arena_printf(req->arena, "%s is not a permitted field", key));
            problems++;
            continue;
        }
        if (specs[i].flags & FIELD_FORBIDDEN) {
            response_error_add(req, key,
                               specs[i].forbidden_detail
                                   ? specs[i].forbidden_detail
                                   : arena_printf(req->arena, "%s cannot be set here", key));
            problems++;
            continue;
        }
        problems += take(req, &specs[i], val, &out[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if ((specs[i].flags & FIELD_REQUIRED) && !out[i].present) {
            response_error_add(req, specs[i].name,
                               arena_printf(req->arena, "%s is required", specs[i].name));
            problems++;
        }
    }
    return problems;
}
