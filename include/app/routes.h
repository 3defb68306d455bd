/* The route table: every endpoint the service answers, with its scope. */
#ifndef ECF_APP_ROUTES_H
#define ECF_APP_ROUTES_H

#include <stddef.h>

#include "http/router.h"

/* The core table (health, mentors, tokens, chapters). */
extern const struct route app_routes[];
extern const size_t app_nroutes;

/* Tables of the other modules, each beside its handlers' module. */
extern const struct route admin_data_routes[];
extern const size_t admin_data_nroutes;
extern const struct route v3_routes[];
extern const size_t v3_nroutes;
extern const struct route admin_statements_routes[];
extern const size_t admin_statements_nroutes;
extern const struct route v3_actions_routes[];
extern const size_t v3_actions_nroutes;
extern const struct route v3_declarations_routes[];
extern const size_t v3_declarations_nroutes;

/* Every route, in one table built once per process (core first). */
const struct route *app_routes_all(size_t *n);

#endif
