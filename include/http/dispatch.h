/* The dispatcher: one place for every generic check (route, auth, scope, rate limit,
 * body size, content type, JSON strictness, sandbox clock) before a handler runs, and
 * one request log line after. It knows no resource: the route table comes from above. */
#ifndef ECF_HTTP_DISPATCH_H
#define ECF_HTTP_DISPATCH_H

#include <stddef.h>

#include "http/router.h"

struct arena;
struct config;
struct db;
struct jwt_keys;
struct jwt_cache;
struct token_registry;
struct ratelimit;
struct response;

/* Everything a handler may reach, one per worker process. */
struct app_env {
    const struct config *cfg;
    struct db *db;
    const struct jwt_keys *keys;
    struct jwt_cache *verified; /* memo of verified tokens, per worker */
    struct token_registry *tokens;
    struct ratelimit *ratelimit;
    const struct route *routes;
    size_t nroutes;
};

/* The request as the transport delivered it (strings may be NULL). */
struct raw_request {
    const char *method;
    const char *path;  /* decoded path, no query string */
    const char *query; /* raw query string */
    const char *content_type;
    const char *authorization;
    const char *request_id;
    const char *server_date; /* X-With-Server-Date */
    const char *body;
    size_t body_len;
    int body_too_large;
};

/* Runs one request; the serialized CGI answer (status line, headers, body) is returned
 * in arena memory. */
const char *dispatch(struct app_env *env, struct arena *arena, const struct raw_request *raw,
                     size_t *out_len);

#endif
