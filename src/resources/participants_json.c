/* Rendering helpers shared by the Lead Provider API v3 read-side handlers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/clock.h"
#include "core/ids.h"
#include "domain/participant_rules.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/v3.h"

json_object *v3_ts(int64_t us)
{
    return response_json_ts(us, PARTICIPANT_NO_US);
}

json_object *v3_date(int32_t day)
{
    return response_json_date(day, PARTICIPANT_NO_DAY);
}

json_object *v3_str(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

json_object *v3_resource(const char *id, const char *type, json_object *attributes)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(id));
    json_object_object_add(o, "type", json_object_new_string(type));
    json_object_object_add(o, "attributes", attributes);
    return o;
}

void v3_reply(struct request *req, json_object *data)
{
    json_object *body = json_object_new_object();
    json_object_object_add(body, "data", data);
    response_json(req, 200, body);
}

int v3_uuid_param_or_reply(struct request *req, uint8_t out[16])
{
    const char *id = route_param(&req->match, "id");
    if (!id || ids_uuid_parse(id, out)) {
        response_not_found(req);
        return -1;
    }
    return 0;
}
