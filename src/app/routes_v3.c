/* Routes of the Lead Provider API v3 (/api/v3). Literal segments before {params} where both
 * could match the same path. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"
#include "auth/jwt.h"
#include "resources/v3.h"

#define LP SCOPE_LEAD_PROVIDER

const struct route v3_routes[] = {
    {HTTP_GET, "/api/v3/participants", LP, 0, participants_list, "v3.participants.list"},
    {HTTP_GET, "/api/v3/participants/transfers", LP, 0, transfers_list, "v3.transfers.list"},
    {HTTP_GET, "/api/v3/participants/{id}", LP, 0, participants_get, "v3.participants.get"},
    {HTTP_GET, "/api/v3/participants/{id}/transfers", LP, 0, transfers_get, "v3.transfers.get"},
    {HTTP_GET, "/api/v3/unfunded-mentors", LP, 0, unfunded_mentors_list,
     "v3.unfunded_mentors.list"},
    {HTTP_GET, "/api/v3/unfunded-mentors/{id}", LP, 0, unfunded_mentors_get,
     "v3.unfunded_mentors.get"},
};

const size_t v3_nroutes = sizeof(v3_routes) / sizeof(v3_routes[0]);
