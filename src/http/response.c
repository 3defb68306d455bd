#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "http/request.h"
#include "http/response.h"

#define JSON_CONTENT_TYPE "application/json; charset=utf-8"

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Unknown";
    }
}

json_object *response_json_ts(int64_t us, int64_t none)
{
    char buf[CLOCK_TS_LEN];
    if (us == none)
        return NULL;
    clock_format_ts(us, buf);
    return json_object_new_string(buf);
}

json_object *response_json_date(int32_t day, int32_t none)
{
    char buf[CLOCK_DATE_LEN];
    if (day == none)
        return NULL;
    clock_format_date(day, buf);
    return json_object_new_string(buf);
}

static void put_json(void *obj)
{
    json_object_put(obj);
}

void response_json(struct request *req, int status, json_object *body)
{
    struct response *res = req->res;
    if (res->body) {
        json_object_put(res->body);
        res->body = NULL;
    }
    res->status = status;
    res->body = body;
    res->content_type = body ? JSON_CONTENT_TYPE : NULL;
}

void response_json_text(struct request *req, int status, const char *body, size_t len)
{
    struct response *res = req->res;
    response_json(req, status, NULL);
    res->raw_body = body;
    res->raw_len = len;
    res->content_type = JSON_CONTENT_TYPE;
}

/* The worker's one text block, kept from request to request (a worker serves one at a
 * time): large answers are written into memory that is already mapped. */
static char *text_block;
static size_t text_block_size;

char *response_text_buffer(struct request *req, size_t cap)
{
    if (cap > SIZE_MAX - RESPONSE_HEADROOM - 1)
        abort(); /* cannot be: answers are built in memory */
    size_t need = RESPONSE_HEADROOM + cap + 1;
    if (need > text_block_size) {
        size_t size = need < 64 * 1024 ? 64 * 1024 : need + need / 4;
        text_block = xrealloc(text_block, size); /* keeps what this request wrote */
        text_block_size = size;
    }
    req->res->text_buffer = text_block + RESPONSE_HEADROOM;
    return req->res->text_buffer;
}

static json_object *error_entry(const char *title, const char *detail)
{
    json_object *e = json_object_new_object();
    json_object_object_add(e, "title", json_object_new_string(title));
    json_object_object_add(e, "detail", json_object_new_string(detail));
    return e;
}

void response_error_add(struct request *req, const char *title, const char *detail)
{
    struct response *res = req->res;
    if (!res->errors) {
        res->errors = json_object_new_array();
        arena_on_reset(req->arena, put_json, res->errors);
    }
    json_object_array_add(res->errors, error_entry(title, detail));
}

int response_has_errors(const struct request *req)
{
    return req->res->errors && json_object_array_length(req->res->errors) > 0;
}

void response_errors_send(struct request *req, int status)
{
    json_object *body = json_object_new_object();
    json_object_object_add(body, "errors", json_object_get(req->res->errors));
    response_json(req, status, body);
}

void response_error(struct request *req, int status, const char *title, const char *detail)
{
    json_object *arr = json_object_new_array();
    json_object_array_add(arr, error_entry(title, detail));
    json_object *body = json_object_new_object();
    json_object_object_add(body, "errors", arr);
    response_json(req, status, body);
}

void response_unauthorized(struct request *req)
{
    json_object *body = json_object_new_object();
    json_object_object_add(body, "error", json_object_new_string("HTTP Token: Access denied"));
    response_json(req, 401, body);
}

void response_not_found(struct request *req)
{
    response_error(req, 404, "Resource not found",
                   "Nothing could be found for the provided details");
}

void response_bad_json(struct request *req)
{
    response_error(req, 400, "Bad request",
                   "Correct json data structure required. See API docs for reference.");
}

void response_db_failure(struct request *req, int db_status)
{
    if (db_status == DB_UNAVAILABLE || db_status == DB_RETRY)
        response_error(req, 503, "Service unavailable",
                       "The database is not reachable right now; retry shortly");
    else
        response_error(req, 500, "Internal server error", "The request could not be completed");
}

void response_db_error(struct request *req, int db_status)
{
    if (db_status == DB_NOT_FOUND)
        response_not_found(req);
    else
        response_db_failure(req, db_status);
}

void response_header(struct request *req, const char *name, const char *value)
{
    struct response *res = req->res;
    if (res->nheaders == RESPONSE_MAX_HEADERS)
        return;
    res->header_names[res->nheaders] = arena_strdup(req->arena, name);
    res->header_values[res->nheaders] = arena_strdup(req->arena, value);
    res->nheaders++;
}

const char *response_serialize(struct request *req, size_t *len)
{
    struct response *res = req->res;
    const char *body = res->raw_body;
    size_t blen = res->raw_len;
    if (res->body) {
        body = json_object_to_json_string_length(
            res->body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &blen);
    }
    size_t hcap = 256 + strlen(req->request_id ? req->request_id : "");
    for (size_t i = 0; i < res->nheaders; i++)
        hcap += strlen(res->header_names[i]) + strlen(res->header_values[i]) + 4;
    /* A body in a response_text_buffer() gets its headers written in front of it. */
    int in_place = !res->body && body && body == res->text_buffer && hcap <= RESPONSE_HEADROOM;
    char *out = arena_alloc(req->arena, in_place ? hcap : hcap + blen + 1);
    size_t o = 0;
    o += (size_t)xsnprintf(out + o, hcap - o, "Status: %d %s\r\n", res->status,
                           http_reason(res->status));
    if (res->content_type)
        o += (size_t)xsnprintf(out + o, hcap - o, "Content-Type: %s\r\n", res->content_type);
    if (req->request_id)
        o += (size_t)xsnprintf(out + o, hcap - o, "X-Request-Id: %s\r\n", req->request_id);
    for (size_t i = 0; i < res->nheaders; i++)
        o += (size_t)xsnprintf(out + o, hcap - o, "%s: %s\r\n", res->header_names[i],
                               res->header_values[i]);
    if (o + 2 >= hcap)
        abort(); /* hcap is computed from the parts above: running out is a logic error */
    out[o++] = '\r';
    out[o++] = '\n';
    if (in_place) {
        char *start = res->text_buffer - o;
        memcpy(start, out, o);
        *len = o + blen; /* the buffer's owner keeps a NUL after the body */
        return start;
    }
    if (blen)
        memcpy(out + o, body, blen);
    o += blen;
    out[o] = '\0';
    *len = o;
    return out;
}
