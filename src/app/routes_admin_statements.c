/* Routes of the admin API's output statements (/api/admin/v1/statements). POST /statements
 * is in routes_admin_data.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"
#include "auth/jwt.h"
#include "resources/admin_statements.h"

#define A SCOPE_ADMIN
#define JSON ROUTE_JSON_BODY
#define BASE "/api/admin/v1"

const struct route admin_statements_routes[] = {
    {HTTP_GET, BASE "/statements", A, 0, admin_statements_list, "admin.statements.list"},
    {HTTP_GET, BASE "/statements/{id}", A, 0, admin_statements_get, "admin.statements.get"},
    {HTTP_PUT, BASE "/statements/{id}", A, JSON, admin_statements_update,
     "admin.statements.update"},
};

const size_t admin_statements_nroutes =
    sizeof(admin_statements_routes) / sizeof(admin_statements_routes[0]);
