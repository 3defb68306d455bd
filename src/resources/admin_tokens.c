/* Admin API: tokens and lead providers. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "auth/jwt.h"
#include "auth/tokens.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_tokens.h"
#include "http/dispatch.h"
#include "http/fields.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/resources.h"

static json_object *scope_array(unsigned bits)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{SCOPE_LEAD_PROVIDER, "lead_provider"},
                 {SCOPE_MENTORS_READ, "mentors:read"},
                 {SCOPE_MENTORS_WRITE, "mentors:write"},
                 {SCOPE_ADMIN, "admin"}};
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (bits & names[i].bit)
            json_object_array_add(a, json_object_new_string(names[i].name));
    return a;
}

enum { T_LEAD_PROVIDER, T_ADMIN, T_SCOPES, T_EXPIRES_IN, T_DESCRIPTION, T__MAX };
static const struct field_spec token_fields[T__MAX] = {
    {"lead_provider_id", FIELD_STRING, 0, NULL},
    {"admin", FIELD_STRING, 0, NULL},
    {"scopes", FIELD_STRING_ARRAY, 0, NULL},
    {"expires_in", FIELD_STRING, 0, NULL},
    {"description", FIELD_STRING, FIELD_NULLABLE, NULL},
};

void admin_tokens_create(struct request *req)
{
    struct field_value v[T__MAX];
    struct token_request tr;
    memset(&tr, 0, sizeof(tr));
    fields_parse(req, req->json, token_fields, T__MAX, v);
    if (v[T_LEAD_PROVIDER].present == v[T_ADMIN].present)
        response_error_add(req, "lead_provider_id",
                           "Give exactly one of lead_provider_id or admin");
    if (v[T_LEAD_PROVIDER].s) {
        uint8_t id[16];
        if (ids_uuid_parse(v[T_LEAD_PROVIDER].s, id))
            response_error_add(req, "lead_provider_id", "lead_provider_id must be a UUID");
        tr.lead_provider = v[T_LEAD_PROVIDER].s;
    }
    tr.admin_name = v[T_ADMIN].s;
    if (v[T_SCOPES].array) {
        size_t n = json_object_array_length(v[T_SCOPES].array);
        for (size_t i = 0; i < n; i++) {
            unsigned bit;
            const char *name =
                json_object_get_string(json_object_array_get_idx(v[T_SCOPES].array, i));
            if (strchr(name, ' ') || jwt_scopes_parse(name, &bit))
                response_error_add(req, "scopes",
                                   arena_printf(req->arena, "Unknown scope '%s'", name));
            else
                tr.scopes |= bit;
        }
        if (n == 0)
            response_error_add(req, "scopes", "scopes must not be empty");
    }
    if (v[T_EXPIRES_IN].s && tokens_parse_lifetime(v[T_EXPIRES_IN].s, &tr.lifetime_s))
        response_error_add(req, "expires_in",
                           "expires_in must be a number followed by s, m, h or d (e.g. 90d)");
    if (v[T_DESCRIPTION].s && v[T_DESCRIPTION].len > 500)
        response_error_add(req, "description", "description must be at most 500 characters");
    tr.description = v[T_DESCRIPTION].s;
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    struct issued_token out;
    int db_rc;
    switch (tokens_issue(req->env->db, req->env->keys, &tr, clock_real_us(), req->arena, &out,
                         &db_rc)) {
    case TOKEN_ISSUED:
        break;
    case TOKEN_UNKNOWN_LEAD_PROVIDER:
        response_not_found(req);
        return;
    case TOKEN_BAD_ADMIN_NAME:
        response_error(req, 422, "admin", "admin must be 1 to 100 letters, digits or - _ . @");
        return;
    case TOKEN_CANNOT_SIGN:
        response_error(req, 500, "Internal server error", "The token could not be signed");
        return;
    case TOKEN_DB_FAILED:
        response_db_failure(req, db_rc);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "jti", json_object_new_string(out.jti));
    json_object_object_add(o, "token", json_object_new_string(out.token));
    json_object_object_add(o, "owner", json_object_new_string(out.owner));
    json_object_object_add(o, "scopes", scope_array(out.scopes));
    json_object_object_add(o, "expires_at", response_json_ts(out.expires_at_us, 0));
    response_json(req, 201, o);
}

void admin_tokens_list(struct request *req)
{
    struct token_row *rows;
    size_t n;
    int rc = db_token_list(req->env->db, req->arena, &rows, &n);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        unsigned bits = 0;
        jwt_scopes_parse(rows[i].scopes, &bits);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "jti", json_object_new_string(rows[i].jti));
        json_object_object_add(o, "owner", json_object_new_string(rows[i].subject));
        json_object_object_add(o, "scopes", scope_array(bits));
        json_object_object_add(o, "description",
                               rows[i].description ? json_object_new_string(rows[i].description)
                                                   : NULL);
        json_object_object_add(o, "created_at", response_json_ts(rows[i].created_at_us, 0));
        json_object_object_add(o, "expires_at", response_json_ts(rows[i].expires_at_us, 0));
        json_object_object_add(o, "revoked_at", response_json_ts(rows[i].revoked_at_us, 0));
        json_object_object_add(o, "last_used_at", response_json_ts(rows[i].last_used_at_us, 0));
        json_object_array_add(data, o);
    }
    json_object *body = json_object_new_object();
    json_object_object_add(body, "data", data);
    response_json(req, 200, body);
}

void admin_tokens_revoke(struct request *req)
{
    const char *jti = route_param(&req->match, "jti");
    int rc = db_token_revoke(req->env->db, jti, clock_real_us());
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    response_json(req, 204, NULL);
}

static const struct field_spec name_fields[] = {{"name", FIELD_STRING, FIELD_REQUIRED, NULL}};

void admin_lead_providers_create(struct request *req)
{
    struct field_value v[1];
    struct lead_provider_row lp;
    char id[UUID_TEXT_LEN];
    fields_parse(req, req->json, name_fields, 1, v);
    if (v[0].s && (v[0].len == 0 || v[0].len > 200))
        response_error_add(req, "name", "name must be 1 to 200 characters");
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    ids_uuid_v4(lp.id);
    lp.name = v[0].s;
    lp.created_at_us = req->now_us;
    int rc = db_lead_provider_insert(req->env->db, &lp);
    if (rc == DB_DUPLICATE) {
        response_error(req, 409, "name", "A lead provider with this name already exists");
        return;
    }
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    ids_uuid_format(lp.id, id);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(id));
    json_object_object_add(o, "name", json_object_new_string(lp.name));
    json_object_object_add(o, "created_at", response_json_ts(lp.created_at_us, 0));
    response_json(req, 201, o);
}
