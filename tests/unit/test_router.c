/* Router matching: literal segments, {params}, methods, trailing slashes, limits. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "http/router.h"
#include "tap.h"

static void h_list(struct request *r)
{
    (void)r;
}
static void h_get(struct request *r)
{
    (void)r;
}
static void h_transfers(struct request *r)
{
    (void)r;
}
static void h_pause(struct request *r)
{
    (void)r;
}
static void h_two(struct request *r)
{
    (void)r;
}

static const struct route routes[] = {
    {HTTP_GET, "/healthz", 0, ROUTE_PUBLIC, h_list, "health"},
    {HTTP_GET, "/api/v1/mentors", 1, 0, h_list, "list"},
    {HTTP_POST, "/api/v1/mentors", 1, 0, h_list, "create"},
    {HTTP_GET, "/api/v3/participants/transfers", 1, 0, h_transfers, "transfers"},
    {HTTP_GET, "/api/v1/mentors/{id}", 1, 0, h_get, "get"},
    {HTTP_POST, "/api/v1/mentors/{id}/pause", 1, 0, h_pause, "pause"},
    {HTTP_GET, "/api/v3/participants/{id}", 1, 0, h_get, "participant"},
    {HTTP_GET, "/a/{x}/b/{y}", 1, 0, h_two, "two"},
};
#define N (sizeof(routes) / sizeof(routes[0]))

int main(void)
{
    struct route_match m;

    ok(router_match(routes, N, HTTP_GET, "/healthz", &m) == ROUTE_FOUND &&
           m.route->handler == h_list,
       "literal route matches");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentors", &m) == ROUTE_FOUND &&
           !strcmp(m.route->name, "list"),
       "GET list");
    ok(router_match(routes, N, HTTP_POST, "/api/v1/mentors", &m) == ROUTE_FOUND &&
           !strcmp(m.route->name, "create"),
       "same path, other method picks the other route");
    ok(router_match(routes, N, HTTP_DELETE, "/api/v1/mentors", &m) == ROUTE_METHOD_NOT_ALLOWED,
       "known path with unknown method is 405");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentors/mntr_0123456789", &m) == ROUTE_FOUND &&
           m.route->handler == h_get && !strcmp(route_param(&m, "id"), "mntr_0123456789"),
       "param extracted");
    ok(router_match(routes, N, HTTP_POST, "/api/v1/mentors/abc/pause", &m) == ROUTE_FOUND &&
           m.route->handler == h_pause && !strcmp(route_param(&m, "id"), "abc"),
       "param in the middle");
    ok(router_match(routes, N, HTTP_GET, "/api/v3/participants/transfers", &m) == ROUTE_FOUND &&
           m.route->handler == h_transfers,
       "literal listed first wins over {id}");
    ok(router_match(routes, N, HTTP_GET, "/api/v3/participants/xyz", &m) == ROUTE_FOUND &&
           m.route->handler == h_get,
       "other values go to {id}");
    ok(router_match(routes, N, HTTP_GET, "/a/1/b/2", &m) == ROUTE_FOUND &&
           !strcmp(route_param(&m, "x"), "1") && !strcmp(route_param(&m, "y"), "2") &&
           route_param(&m, "z") == NULL,
       "two params, unknown name is NULL");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentors/", &m) == ROUTE_FOUND &&
           !strcmp(m.route->name, "list"),
       "one trailing slash is tolerated");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentors//x", &m) == ROUTE_NOT_FOUND,
       "empty segment does not match");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentor", &m) == ROUTE_NOT_FOUND,
       "prefix of a segment does not match");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentorsX", &m) == ROUTE_NOT_FOUND,
       "longer segment does not match");
    ok(router_match(routes, N, HTTP_GET, "/api/v1/mentors/a/b", &m) == ROUTE_NOT_FOUND,
       "extra segments do not match");
    ok(router_match(routes, N, HTTP_GET, "api/v1/mentors", &m) == ROUTE_NOT_FOUND,
       "relative path rejected");
    ok(router_match(routes, N, HTTP_GET, "", &m) == ROUTE_NOT_FOUND, "empty path rejected");
    char longseg[300];
    memset(longseg, 'a', sizeof(longseg));
    memcpy(longseg, "/api/v1/mentors/", 16);
    longseg[sizeof(longseg) - 1] = '\0';
    ok(router_match(routes, N, HTTP_GET, longseg, &m) == ROUTE_NOT_FOUND,
       "a parameter longer than its buffer does not match");
    ok(router_match(routes, N, HTTP_GET, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n", &m) == ROUTE_NOT_FOUND,
       "too many segments rejected");
    ok(http_method_parse("GET") == HTTP_GET && http_method_parse("PUT") == HTTP_PUT &&
           http_method_parse("get") == HTTP_OTHER && http_method_parse(NULL) == HTTP_OTHER,
       "method parsing is exact");
    return tap_done();
}
