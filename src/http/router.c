#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "http/router.h"

enum http_method http_method_parse(const char *s)
{
    static const struct {
        const char *name;
        enum http_method m;
    } names[] = {{"GET", HTTP_GET},       {"POST", HTTP_POST},   {"PUT", HTTP_PUT},
                 {"DELETE", HTTP_DELETE}, {"PATCH", HTTP_PATCH}, {"HEAD", HTTP_HEAD}};
    if (!s)
        return HTTP_OTHER;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(s, names[i].name))
            return names[i].m;
    return HTTP_OTHER;
}

/* Splits a path into segments (pointers into buf). Returns the count, or -1 when the
 * path is not absolute, has an empty segment (other than a trailing slash) or too many. */
static int split(const char *path, char *buf, size_t buflen, const char **segs, size_t *lens)
{
    size_t n = strlen(path);
    if (n == 0 || path[0] != '/' || n >= buflen)
        return -1;
    memcpy(buf, path, n + 1);
    if (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    if (n == 1)
        return 0;
    int count = 0;
    char *p = buf + 1;
    for (;;) {
        char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0 || count == ROUTE_MAX_SEGMENTS)
            return -1;
        segs[count] = p;
        lens[count] = len;
        count++;
        if (!slash)
            break;
        *slash = '\0';
        p = slash + 1;
    }
    return count;
}

/* Does pattern match the split path? Fills params when m is given. */
static int match_one(const char *pattern, const char **segs, const size_t *lens, int nsegs,
                     struct route_match *m)
{
    const char *p = pattern;
    int i = 0;
    size_t np = 0;
    if (p[0] == '/' && p[1] == '\0')
        return nsegs == 0;
    while (*p == '/') {
        p++;
        const char *end = strchr(p, '/');
        size_t plen = end ? (size_t)(end - p) : strlen(p);
        if (i >= nsegs)
            return 0;
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (lens[i] >= sizeof(m->values[0]) || np >= ROUTE_MAX_PARAMS)
                return 0;
            if (m) {
                memcpy(m->values[np], segs[i], lens[i]);
                m->values[np][lens[i]] = '\0';
            }
            np++;
        } else if (plen != lens[i] || memcmp(p, segs[i], plen) != 0) {
            return 0;
        }
        i++;
        p += plen;
    }
    if (i != nsegs)
        return 0;
    if (m)
        m->nparams = np;
    return 1;
}

enum route_result router_match(const struct route *routes, size_t n, enum http_method method,
                               const char *path, struct route_match *m)
{
    char buf[2048];
    const char *segs[ROUTE_MAX_SEGMENTS];
    size_t lens[ROUTE_MAX_SEGMENTS];
    int nsegs = split(path, buf, sizeof(buf), segs, lens);
    int path_known = 0;
    memset(m, 0, sizeof(*m));
    if (nsegs < 0)
        return ROUTE_NOT_FOUND;
    for (size_t r = 0; r < n; r++) {
        if (!match_one(routes[r].pattern, segs, lens, nsegs, NULL))
            continue;
        path_known = 1;
        if (routes[r].method != method)
            continue;
        match_one(routes[r].pattern, segs, lens, nsegs, m);
        m->route = &routes[r];
        /* Parameter names, in order of appearance. */
        size_t k = 0;
        for (const char *p = routes[r].pattern; *p && k < m->nparams; p++) {
            if (*p == '{')
                m->names[k++] = p + 1;
        }
        return ROUTE_FOUND;
    }
    return path_known ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

const char *route_param(const struct route_match *m, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < m->nparams; i++)
        if (!strncmp(m->names[i], name, n) && m->names[i][n] == '}')
            return m->values[i];
    return NULL;
}
