/* Admin API: output statements (GET list, GET one, PUT state) and the funding-eligibility
 * trigger. A state change is one transaction: lock the statement, check the transition
 * (statement_rules), move its declarations as spec 4.6 says, each with an audit event, then
 * the statement. POST /statements is in admin_data.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_statements.h"
#include "db/db_teacher_metadata.h"
#include "domain/statement_rules.h"
#include "http/dispatch.h"
#include "http/fields.h"
#include "http/query.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/admin_data.h"
#include "resources/admin_statements.h"

/* The same representation as POST /statements (admin_data.c). */
static json_object *render(const struct db_statement *st)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(st->api_id));
    json_object_object_add(o, "lead_provider_id", ad_json_uuid(st->lead_provider_id));
    json_object_object_add(o, "cohort", json_object_new_int(st->cohort));
    json_object_object_add(o, "deadline_date", ad_json_date(st->deadline_date));
    json_object_object_add(o, "payment_date", ad_json_date(st->payment_date));
    json_object_object_add(o, "state", json_object_new_string(statement_state_name(st->state)));
    json_object_object_add(o, "created_at", ad_json_ts(st->created_at_us));
    return o;
}

/* JSON text of a details object in the request's arena (the object is released). */
static const char *details_text(struct request *req, json_object *o)
{
    const char *s =
        arena_strdup(req->arena, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return s;
}

static struct audit_event audit_base(const struct request *req, const char *event)
{
    return (struct audit_event){.occurred_at_us = req->now_us,
                                .event = event,
                                .token_jti = req->who.jti[0] ? req->who.jti : NULL,
                                .actor = req->who.sub[0] ? req->who.sub : NULL,
                                .request_id = req->request_id};
}

/* ------------------------------------------------------------------ GET /statements */

static int bad_filter(struct request *req, const char *name, const char *what)
{
    response_error(req, 400, "Bad request",
                   arena_printf(req->arena, "The '%s' parameter must be %s", name, what));
    return -1;
}

/* The list filters; -1 when answered 400. A blank value means no filter. */
static int list_filter(struct request *req, struct db_statement_filter *f, uint8_t lp[16])
{
    f->lead_provider_id = NULL;
    f->cohort = 0;
    f->state = -1;
    const char *v = query_get(&req->query, "filter[lead_provider_id]");
    if (v && *v) {
        if (ids_uuid_parse(v, lp))
            return bad_filter(req, "filter[lead_provider_id]", "a lead provider UUID");
        f->lead_provider_id = lp;
    }
    v = query_get(&req->query, "filter[cohort]");
    if (v && *v) {
        long year;
        if (query_parse_long(v, 2020, 2100, &year))
            return bad_filter(req, "filter[cohort]", "a cohort year");
        f->cohort = (int)year;
    }
    v = query_get(&req->query, "filter[state]");
    if (v && *v) {
        enum statement_state s;
        if (statement_state_parse(v, &s))
            return bad_filter(req, "filter[state]", "one of: open, payable, paid");
        f->state = (int)s;
    }
    return 0;
}

void admin_statements_list(struct request *req)
{
    struct db_statement_filter f;
    uint8_t lp[16];
    struct db_statement *rows;
    size_t n;
    if (list_filter(req, &f, lp))
        return;
    int rc = db_statement_list(req->env->db, &f, req->arena, &rows, &n);
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

/* ------------------------------------------------------------------ GET /statements/{id} */

void admin_statements_get(struct request *req)
{
    uint8_t id[16];
    struct db_statement st;
    if (ad_path_uuid(req, "id", id))
        return;
    int rc = db_statement_get_by_api(req->env->db, id, 0, &st);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    response_json(req, 200, render(&st));
}

/* ------------------------------------------------------------------ PUT /statements/{id} */

static const struct field_spec update_fields[] = {
    {"state", FIELD_STRING, FIELD_REQUIRED, NULL},
};

/* Applies one spec 4.6 move to the statement's declarations; adds to *moved. */
static int apply_move(struct request *req, const struct db_statement *st,
                      const struct statement_declaration_move *m, size_t *moved)
{
    struct db *db = req->env->db;
    struct db_statement_declaration *ds;
    size_t n;
    int rc = db_statement_declarations_locked(db, st->pk, m->link, m->from, req->arena, &ds, &n);
    for (size_t i = 0; rc == DB_OK && i < n; i++) {
        if ((rc = db_statement_declaration_move(db, ds[i].pk, m->from, m->to, req->now_us)))
            break;
        json_object *d = json_object_new_object();
        json_object_object_add(d, "reason",
                               json_object_new_string(arena_printf(
                                   req->arena, "statement_%s", statement_state_name(st->state))));
        json_object_object_add(d, "statement_id", ad_json_uuid(st->api_id));
        struct audit_event e = audit_base(req, "declaration.state_changed");
        e.teacher_id = (int64_t)ds[i].teacher_pk;
        e.training_period_id = (int64_t)ds[i].training_period_pk;
        e.declaration_id = (int64_t)ds[i].pk;
        e.statement_id = (int64_t)st->pk;
        e.status_before = m->from;
        e.status_after = m->to;
        e.details = details_text(req, d);
        rc = db_audit_insert(db, &e);
        (*moved)++;
    }
    return rc;
}

void admin_statements_update(struct request *req)
{
    uint8_t id[16];
    struct field_value v[1];
    enum statement_state to = STATEMENT_OPEN;
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, update_fields, 1, v);
    if (v[0].s && (statement_state_parse(v[0].s, &to) || to == STATEMENT_OPEN))
        response_error_add(req, "state", "state must be payable or paid");
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct db_statement st;
    const char *why = NULL;
    size_t moved = 0;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_statement_get_by_api(db, id, 1, &st)))
        goto fail;
    if (statement_transition(st.state, to, &why)) {
        db_rollback(db);
        response_error(req, 422, "state", why);
        return;
    }
    enum statement_state from = st.state;
    st.state = to;
    struct statement_declaration_move moves[STATEMENT_MAX_MOVES];
    size_t nmoves = statement_declaration_moves(to, moves);
    for (size_t i = 0; i < nmoves; i++)
        if ((rc = apply_move(req, &st, &moves[i], &moved)))
            goto fail;
    if ((rc = db_statement_set_state(db, st.pk, to, req->now_us)))
        goto fail;
    json_object *d = json_object_new_object();
    json_object_object_add(d, "declarations_moved", json_object_new_int64((int64_t)moved));
    struct audit_event e = audit_base(req, "statement.state_changed");
    e.statement_id = (int64_t)st.pk;
    e.status_before = statement_state_name(from);
    e.status_after = statement_state_name(to);
    e.details = details_text(req, d);
    if ((rc = db_audit_insert(db, &e)))
        goto fail;
    if (ad_commit(req))
        return;
    response_json(req, 200, render(&st));
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}

/* ------------------------------------------------------------------ funding eligibility */

int admin_statements_funding_eligibility(struct request *req, uint64_t teacher_pk,
                                         enum statement_role role)
{
    struct db *db = req->env->db;
    struct statement_funding_facts f;
    struct db_statement_declaration *ds;
    size_t n = 0;
    int rc = db_statement_funding_facts(db, teacher_pk, req->arena, &f);
    if (rc)
        goto fail;
    enum statement_funding funding = statement_funding_check(&f, role, req->today);
    if (funding == STATEMENT_FUNDING_NONE)
        return 0;
    /* Eligibility is a 1.5 updated_at fact of the teacher, and eligible_for_funding is part
     * of the stored participant documents: rebuild them. */
    if (funding == STATEMENT_FUNDING_BECOMES &&
        ((rc = db_statement_set_first_eligible(db, teacher_pk, role, req->now_us)) ||
         (rc = db_teacher_touch(db, teacher_pk, req->now_us, 0)) ||
         (rc = db_teacher_metadata_rebuild(db, teacher_pk, req->now_us))))
        goto fail;
    if ((rc = db_statement_submitted_declarations(db, teacher_pk, role, req->arena, &ds, &n)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        int64_t statement_pk = 0;
        rc = db_statement_next_open(db, ds[i].lead_provider_id, ds[i].cohort, req->today,
                                    &statement_pk);
        if (rc == DB_NOT_FOUND) {
            char lp[UUID_TEXT_LEN], day[CLOCK_DATE_LEN];
            ids_uuid_format(ds[i].lead_provider_id, lp);
            clock_format_date(req->today, day);
            db_rollback(db);
            response_error(req, 409, "statement",
                           arena_printf(req->arena,
                                        "Lead provider %s has no open output statement for "
                                        "cohort %d with a deadline on or after %s: create one "
                                        "so that the participant's submitted declarations can "
                                        "become eligible",
                                        lp, ds[i].cohort, day));
            return -1;
        }
        if (rc || (rc = db_statement_declaration_attach(db, ds[i].pk, (uint64_t)statement_pk,
                                                        req->now_us)))
            goto fail;
        json_object *d = json_object_new_object();
        json_object_object_add(d, "reason", json_object_new_string("funding_eligible"));
        struct audit_event e = audit_base(req, "declaration.state_changed");
        e.teacher_id = (int64_t)teacher_pk;
        e.training_period_id = (int64_t)ds[i].training_period_pk;
        e.declaration_id = (int64_t)ds[i].pk;
        e.statement_id = statement_pk;
        e.status_before = STATEMENT_FUNDING_FROM;
        e.status_after = STATEMENT_FUNDING_TO;
        e.details = details_text(req, d);
        if ((rc = db_audit_insert(db, &e)))
            goto fail;
    }
    if (funding == STATEMENT_FUNDING_ALREADY)
        return 0;
    json_object *d = json_object_new_object();
    json_object_object_add(
        d, "role", json_object_new_string(role == STATEMENT_ROLE_MENTOR ? "mentor" : "ect"));
    json_object_object_add(d, "declarations_made_eligible", json_object_new_int64((int64_t)n));
    struct audit_event e = audit_base(req, "participant.funding_eligible");
    e.teacher_id = (int64_t)teacher_pk;
    e.details = details_text(req, d);
    if ((rc = db_audit_insert(db, &e)))
        goto fail;
    return 0;
fail:
    ad_fail(req, rc, NULL, NULL);
    return -1;
}
