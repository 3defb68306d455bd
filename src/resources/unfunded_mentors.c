/* GET /api/v3/unfunded-mentors and /api/v3/unfunded-mentors/{id} (spec 5): mentors of the
 * provider's ECTs (current or next mentorship, kept in teacher_lead_providers) who have no
 * training with the provider. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "db/db.h"
#include "db/db_participants.h"
#include "http/dispatch.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/v3.h"

static json_object *render(const struct db_unfunded_mentor *m)
{
    json_object *attrs = json_object_new_object();
    json_object_object_add(attrs, "full_name", json_object_new_string(m->full_name));
    /* Every unfunded mentor has the email of a mentor school period (NOT NULL column). */
    json_object_object_add(attrs, "email", json_object_new_string(m->email ? m->email : ""));
    json_object_object_add(attrs, "teacher_reference_number", v3_str(m->trn));
    json_object_object_add(attrs, "created_at", v3_ts(m->created_at_us));
    json_object_object_add(attrs, "updated_at", v3_ts(m->updated_at_us));
    return v3_resource(m->api_id, "unfunded-mentor", attrs);
}

void unfunded_mentors_list(struct request *req)
{
    struct pagination pg;
    struct db_unfunded_mentor *ms;
    size_t n;
    if (pagination_parse_or_reply(req, 1, &pg))
        return;
    int rc = db_participant_unfunded_list(req->env->db, req->who.lead_provider_id, &pg, req->arena,
                                          &ms, &n);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(data, render(&ms[i]));
    v3_reply(req, data);
}

void unfunded_mentors_get(struct request *req)
{
    uint8_t id[16];
    struct db_unfunded_mentor m;
    if (v3_uuid_param_or_reply(req, id))
        return;
    int rc =
        db_participant_unfunded_get(req->env->db, req->who.lead_provider_id, id, req->arena, &m);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    v3_reply(req, render(&m));
}
