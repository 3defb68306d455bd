#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "db/db.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/resources.h"

void health_get(struct request *req)
{
    int up = db_ping(req->env->db) == 0;
    json_object *body = json_object_new_object();
    json_object_object_add(body, "status", json_object_new_string(up ? "ok" : "unavailable"));
    json_object_object_add(body, "database", json_object_new_string(up ? "ok" : "unreachable"));
    response_json(req, up ? 200 : 503, body);
}
