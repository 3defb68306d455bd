/* Route matching: patterns are '/'-separated segments where "{name}" matches one
 * non-empty segment. The table is data supplied by the app layer. */
#ifndef ECF_HTTP_ROUTER_H
#define ECF_HTTP_ROUTER_H

#include <stddef.h>

struct request;

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_PATCH, HTTP_HEAD, HTTP_OTHER };

#define ROUTE_MAX_PARAMS 4
#define ROUTE_MAX_SEGMENTS 12

typedef void (*route_handler)(struct request *req);

enum route_flags {
    ROUTE_PUBLIC = 1 << 0,    /* no token needed */
    ROUTE_JSON_BODY = 1 << 1, /* expects a JSON object body */
};

struct route {
    enum http_method method;
    const char *pattern; /* e.g. "/api/v1/mentors/{id}/pause" */
    unsigned scopes;     /* any of these jwt_scope bits grants access */
    unsigned flags;
    route_handler handler;
    const char *name; /* operation name for logs */
};

struct route_match {
    const struct route *route;
    size_t nparams;
    const char *names[ROUTE_MAX_PARAMS];
    char values[ROUTE_MAX_PARAMS][128];
};

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_METHOD_NOT_ALLOWED };

enum http_method http_method_parse(const char *s);
/* Matches path (no query) against routes[0..n). On ROUTE_FOUND fills m. */
enum route_result router_match(const struct route *routes, size_t n, enum http_method method,
                               const char *path, struct route_match *m);
/* The value of a matched {name}, or NULL. */
const char *route_param(const struct route_match *m, const char *name);

#endif
