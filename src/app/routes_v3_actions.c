/* Routes of the Lead Provider API v3 participant actions (spec section 2). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"
#include "auth/jwt.h"
#include "resources/v3.h"

#define LP SCOPE_LEAD_PROVIDER
#define JSON ROUTE_JSON_BODY

const struct route v3_actions_routes[] = {
    {HTTP_PUT, "/api/v3/participants/{id}/defer", LP, JSON, participant_actions_defer,
     "v3.participants.defer"},
    {HTTP_PUT, "/api/v3/participants/{id}/withdraw", LP, JSON, participant_actions_withdraw,
     "v3.participants.withdraw"},
    {HTTP_PUT, "/api/v3/participants/{id}/resume", LP, JSON, participant_actions_resume,
     "v3.participants.resume"},
    {HTTP_PUT, "/api/v3/participants/{id}/change-schedule", LP, JSON,
     participant_actions_change_schedule, "v3.participants.change_schedule"},
};

const size_t v3_actions_nroutes = sizeof(v3_actions_routes) / sizeof(v3_actions_routes[0]);
