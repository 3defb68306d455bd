#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/jwt.h"
#include "auth/jwt_cache.h"
#include "auth/ratelimit.h"
#include "auth/token_registry.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/json_in.h"
#include "core/log.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"

/* The same rule as nginx's request-id map (nginx/): 1..128 of [A-Za-z0-9._:-]. */
static int request_id_ok(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    for (; s[n]; n++) {
        unsigned char c = (unsigned char)s[n];
        if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':') || n >= 128)
            return 0;
    }
    return n > 0;
}

static const char *new_request_id(struct arena *a)
{
    unsigned char rnd[16];
    static const char hex[] = "0123456789abcdef";
    char *id = arena_alloc(a, 33);
    ids_random(rnd, sizeof(rnd));
    for (int i = 0; i < 16; i++) {
        id[2 * i] = hex[rnd[i] >> 4];
        id[2 * i + 1] = hex[rnd[i] & 15];
    }
    id[32] = '\0';
    return id;
}

/* "Bearer <token>": returns the token and its length, or NULL. */
static const char *bearer_token(const char *header, size_t *len)
{
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    const char *t = header + 7;
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    while (n > 0 && t[n - 1] == ' ')
        n--;
    if (n == 0)
        return NULL;
    *len = n;
    return t;
}

/* 1 when the caller may go on; otherwise the answer is already set. */
static int authenticate_or_reply(struct request *req, const struct raw_request *raw)
{
    struct app_env *env = req->env;
    struct jwt_claims claims;
    size_t len = 0;
    const char *token = bearer_token(raw->authorization, &len);
    int64_t real_now = clock_real_us();
    if (!token) {
        response_unauthorized(req);
        return 0;
    }
    /* Token validity always uses the real clock, never the sandbox clock. */
    enum jwt_verdict v =
        env->verified ? jwt_cache_verify(env->verified, env->keys, token, len,
                                         real_now / CLOCK_US_PER_SEC, &claims)
                      : jwt_verify(env->keys, token, len, real_now / CLOCK_US_PER_SEC, &claims);
    if (v != JWT_OK) {
        response_unauthorized(req);
        return 0;
    }
    switch (token_registry_check(env->tokens, env->db, &claims, real_now, &req->who)) {
    case TOKEN_OK:
        break;
    case TOKEN_REFUSED:
        response_unauthorized(req);
        return 0;
    case TOKEN_UNAVAILABLE:
        response_error(req, 503, "Service unavailable",
                       "The database is not reachable right now; retry shortly");
        return 0;
    }
    if (!(req->who.scopes & req->match.route->scopes)) {
        response_error(req, 403, "Forbidden",
                       "The token does not have the scope this request needs");
        return 0;
    }
    const struct config *cfg = env->cfg;
    long retry_after = 0;
    if (cfg->rate_limit_enabled && env->ratelimit &&
        !ratelimit_hit(env->ratelimit, req->who.jti, cfg->rate_limit_requests,
                       cfg->rate_limit_window_seconds, real_now / CLOCK_US_PER_SEC, &retry_after)) {
        char secs[32];
        xsnprintf(secs, sizeof(secs), "%ld", retry_after);
        response_error(req, 429, "Too many requests",
                       arena_printf(req->arena,
                                    "Rate limit of %ld requests per %ld seconds exceeded; "
                                    "retry after %ld seconds",
                                    cfg->rate_limit_requests, cfg->rate_limit_window_seconds,
                                    retry_after));
        response_header(req, "Retry-After", secs);
        return 0;
    }
    return 1;
}

static int content_type_is_json(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    const char *rest = ct + n;
    while (*rest == ' ')
        rest++;
    return *rest == '\0' || *rest == ';';
}

static void put_json(void *obj)
{
    json_object_put(obj);
}

/* Body checks for routes that take a JSON object. 1 = go on. */
static int json_body_or_reply(struct request *req, const struct raw_request *raw)
{
    const struct config *cfg = req->env->cfg;
    if (!content_type_is_json(raw->content_type)) {
        response_error(req, 415, "Unsupported media type", "Content-Type must be application/json");
        return 0;
    }
    json_object *obj = NULL;
    if (json_parse_strict(raw->body ? raw->body : "", raw->body ? raw->body_len : 0,
                          JSON_IN_DEFAULT_DEPTH, &obj, NULL) != 0) {
        response_bad_json(req);
        return 0;
    }
    arena_on_reset(req->arena, put_json, obj);
    if (!json_object_is_type(obj, json_type_object)) {
        response_bad_json(req);
        return 0;
    }
    (void)cfg;
    req->json = obj;
    return 1;
}

static void handle(struct request *req, const struct raw_request *raw)
{
    struct app_env *env = req->env;
    switch (router_match(env->routes, env->nroutes, req->method, req->path, &req->match)) {
    case ROUTE_NOT_FOUND:
        response_not_found(req);
        return;
    case ROUTE_METHOD_NOT_ALLOWED:
        response_error(
            req, 405, "Method not allowed",
            arena_printf(req->arena, "%s is not allowed on this path", req->method_text));
        return;
    case ROUTE_FOUND:
        break;
    }
    const struct route *route = req->match.route;
    if (!(route->flags & ROUTE_PUBLIC) && !authenticate_or_reply(req, raw))
        return;
    if (query_parse(req->arena, raw->query, &req->query)) {
        response_error(req, 400, "Bad request", "The query string is malformed");
        return;
    }
    if (env->cfg->sandbox_clock && raw->server_date && *raw->server_date) {
        int64_t t;
        if (clock_parse_rfc3339(raw->server_date, &t)) {
            response_error(req, 400, "Bad request",
                           "X-With-Server-Date must be an RFC 3339 date-time");
            return;
        }
        req->now_us = t;
        req->today = clock_day_of(t);
    }
    if (raw->body_too_large) {
        response_error(req, 413, "Payload too large",
                       arena_printf(req->arena, "The request body is larger than %zu bytes",
                                    env->cfg->body_limit));
        return;
    }
    if ((route->flags & ROUTE_JSON_BODY) && !json_body_or_reply(req, raw))
        return;
    route->handler(req);
    if (req->res->status == 0)
        response_error(req, 500, "Internal server error", "The request could not be completed");
}

const char *dispatch(struct app_env *env, struct arena *arena, const struct raw_request *raw,
                     size_t *out_len)
{
    struct response res;
    struct request req;
    memset(&res, 0, sizeof(res));
    memset(&req, 0, sizeof(req));
    int64_t started = clock_real_us();
    req.arena = arena;
    req.env = env;
    req.res = &res;
    req.now_us = started;
    req.today = clock_day_of(started);
    req.request_id = request_id_ok(raw->request_id) ? arena_strdup(arena, raw->request_id)
                                                    : new_request_id(arena);
    req.method_text = raw->method ? raw->method : "";
    req.method = http_method_parse(raw->method);
    req.path = raw->path ? raw->path : "/";
    req.content_type = raw->content_type;
    req.body = raw->body;
    req.body_len = raw->body_len;

    handle(&req, raw);

    const char *out = response_serialize(&req, out_len);
    if (res.body)
        json_object_put(res.body);
    if (env->cfg->log_requests) {
        json_object *line = json_object_new_object();
        json_object_object_add(line, "request_id", json_object_new_string(req.request_id));
        json_object_object_add(line, "method", json_object_new_string(req.method_text));
        json_object_object_add(line, "path", json_object_new_string(req.path));
        json_object_object_add(line, "status", json_object_new_int(res.status));
        json_object_object_add(line, "duration_us",
                               json_object_new_int64(clock_real_us() - started));
        json_object_object_add(line, "jti",
                               req.who.jti[0] ? json_object_new_string(req.who.jti) : NULL);
        if (req.match.route)
            json_object_object_add(line, "route", json_object_new_string(req.match.route->name));
        log_json(line);
    }
    return out;
}
