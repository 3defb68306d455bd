/* Admin API: chapters for the Mentor Status Service. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_mentors.h"
#include "http/dispatch.h"
#include "http/fields.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/resources.h"

#define CHAPTER_ID_CHARS 8

static json_object *render(const struct chapter_row *c)
{
    char ts[CLOCK_TS_LEN];
    clock_format_ts(c->created_at_us, ts);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(c->chapter_id));
    json_object_object_add(o, "name", json_object_new_string(c->name));
    json_object_object_add(o, "created_at", json_object_new_string(ts));
    return o;
}

static const struct field_spec chapter_fields[] = {{"name", FIELD_STRING, FIELD_REQUIRED, NULL}};

void admin_chapters_create(struct request *req)
{
    struct field_value v[1];
    char id[sizeof("chpt_") + CHAPTER_ID_CHARS];
    fields_parse(req, req->json, chapter_fields, 1, v);
    if (v[0].s && (v[0].len == 0 || v[0].len > 200))
        response_error_add(req, "name", "name must be 1 to 200 characters");
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    struct chapter_row c = {id, v[0].s, req->now_us};
    int rc = DB_DUPLICATE;
    for (int attempt = 0; attempt < 3 && rc == DB_DUPLICATE; attempt++) {
        ids_prefixed_random("chpt_", CHAPTER_ID_CHARS, id);
        rc = db_chapter_insert(req->env->db, &c);
    }
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    response_json(req, 201, render(&c));
}

void admin_chapters_list(struct request *req)
{
    struct chapter_row *rows;
    size_t n;
    int rc = db_chapter_list(req->env->db, req->arena, &rows, &n);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        json_object_array_add(data, render(&rows[i]));
    json_object *body = json_object_new_object();
    json_object_object_add(body, "data", data);
    response_json(req, 200, body);
}
