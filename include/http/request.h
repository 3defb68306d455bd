/* One HTTP request as the dispatcher hands it to a handler. Everything hangs off the
 * request's arena and is released when the request ends. */
#ifndef ECF_HTTP_REQUEST_H
#define ECF_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "auth/token_registry.h"
#include "http/query.h"
#include "http/router.h"

struct arena;
struct db;
struct config;
struct response;
struct app_env;

struct request {
    struct arena *arena;
    struct app_env *env; /* db, config, keys: everything a handler may use */
    enum http_method method;
    const char *method_text;
    const char *path;
    const char *request_id;
    const char *content_type;
    struct query query;
    const char *body;
    size_t body_len;
    json_object *json; /* parsed body (an object) for ROUTE_JSON_BODY routes */
    struct route_match match;
    struct principal who; /* zeroed on public routes */
    int64_t now_us;       /* request time: the sandbox clock when enabled and sent */
    int32_t today;        /* days since epoch of now_us */
    struct response *res;
};

#endif
