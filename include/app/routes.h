/* The route table: every endpoint the service answers, with its scope. */
#ifndef ECF_APP_ROUTES_H
#define ECF_APP_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route app_routes[];
extern const size_t app_nroutes;

#endif
