/* Routes of the admin data API (/api/admin/v1: schools, partnerships, teachers, ...). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"

const struct route admin_data_routes[1];
const size_t admin_data_nroutes = 0;
