#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "app/routes.h"
#include "core/arena.h"
#include "auth/jwt.h"
#include "resources/resources.h"

#define R SCOPE_MENTORS_READ
#define W SCOPE_MENTORS_WRITE
#define A SCOPE_ADMIN
#define JSON ROUTE_JSON_BODY

/* Literal segments before {params} where both could match the same path. */
const struct route app_routes[] = {
    {HTTP_GET, "/healthz", 0, ROUTE_PUBLIC, health_get, "health"},

    {HTTP_GET, "/api/v1/mentors", R, 0, mentors_list, "mentors.list"},
    {HTTP_POST, "/api/v1/mentors", W, JSON, mentors_create, "mentors.create"},
    {HTTP_GET, "/api/v1/mentors/{id}", R, 0, mentors_get, "mentors.get"},
    {HTTP_PUT, "/api/v1/mentors/{id}", W, JSON, mentors_update, "mentors.update"},
    {HTTP_DELETE, "/api/v1/mentors/{id}", W, 0, mentors_delete, "mentors.delete"},
    {HTTP_POST, "/api/v1/mentors/{id}/pause", W, JSON, mentors_pause, "mentors.pause"},
    {HTTP_POST, "/api/v1/mentors/{id}/reactivate", W, JSON, mentors_reactivate,
     "mentors.reactivate"},
    {HTTP_GET, "/api/v1/mentors/{id}/eligibility", R, 0, mentors_eligibility,
     "mentors.eligibility"},

    {HTTP_POST, "/api/admin/v1/tokens", A, JSON, admin_tokens_create, "admin.tokens.create"},
    {HTTP_GET, "/api/admin/v1/tokens", A, 0, admin_tokens_list, "admin.tokens.list"},
    {HTTP_DELETE, "/api/admin/v1/tokens/{jti}", A, 0, admin_tokens_revoke, "admin.tokens.revoke"},
    {HTTP_POST, "/api/admin/v1/lead-providers", A, JSON, admin_lead_providers_create,
     "admin.lead_providers.create"},
    {HTTP_POST, "/api/admin/v1/chapters", A, JSON, admin_chapters_create, "admin.chapters.create"},
    {HTTP_GET, "/api/admin/v1/chapters", A, 0, admin_chapters_list, "admin.chapters.list"},
};

const size_t app_nroutes = sizeof(app_routes) / sizeof(app_routes[0]);

const struct route *app_routes_all(size_t *n)
{
    static struct route *all;
    static size_t count;
    if (!all) {
        const struct {
            const struct route *routes;
            size_t n;
        } parts[] = {{app_routes, app_nroutes},
                     {admin_data_routes, admin_data_nroutes},
                     {v3_routes, v3_nroutes},
                     {admin_statements_routes, admin_statements_nroutes},
                     {v3_actions_routes, v3_actions_nroutes},
                     {v3_declarations_routes, v3_declarations_nroutes}};
        size_t total = 0, o = 0;
        for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
            total += parts[i].n;
        all = xcalloc(total, sizeof(*all));
        for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
            memcpy(all + o, parts[i].routes, parts[i].n * sizeof(*all));
            o += parts[i].n;
        }
        count = total;
    }
    *n = count;
    return all;
}
