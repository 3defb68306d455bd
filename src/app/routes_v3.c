/* Routes of the Lead Provider API v3 (/api/v3). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"

const struct route v3_routes[1];
const size_t v3_nroutes = 0;
