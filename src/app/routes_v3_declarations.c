/* Routes of the Lead Provider API v3 declarations (/api/v3/participant-declarations). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"
#include "auth/jwt.h"
#include "resources/declarations.h"

#define LP SCOPE_LEAD_PROVIDER

const struct route v3_declarations_routes[] = {
    {HTTP_GET, "/api/v3/participant-declarations", LP, 0, declarations_list,
     "v3.declarations.list"},
    {HTTP_POST, "/api/v3/participant-declarations", LP, ROUTE_JSON_BODY, declarations_create,
     "v3.declarations.create"},
    {HTTP_GET, "/api/v3/participant-declarations/{id}", LP, 0, declarations_get,
     "v3.declarations.get"},
    {HTTP_PUT, "/api/v3/participant-declarations/{id}/void", LP, 0, declarations_void,
     "v3.declarations.void"},
};

const size_t v3_declarations_nroutes =
    sizeof(v3_declarations_routes) / sizeof(v3_declarations_routes[0]);
