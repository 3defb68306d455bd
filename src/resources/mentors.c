/* Mentor Status Service v1: parse, call the rule in domain/mentor_rules, persist
 * through db_mentors, render. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_mentors.h"
#include "domain/mentor_rules.h"
#include "http/dispatch.h"
#include "http/fields.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/resources.h"

#define MENTOR_ID_PREFIX "mntr_"
#define MENTOR_ID_CHARS 10
#define LIST_DEFAULT_LIMIT 20
#define LIST_MAX_LIMIT 100
#define LIST_MAX_PAGE 1000000000L /* documented in openapi.yaml */

/* ---- rendering ---- */

static json_object *date_or_null(const struct mentor_status *s)
{
    return s->has_expiry ? response_json_date(s->expiry_day, INT32_MIN) : NULL;
}

static const char *pause_reason_seen(const struct mentor_row *m, const struct mentor_view *v)
{
    if (!v->paused)
        return NULL;
    return v->auto_paused ? MENTOR_AUTO_PAUSE_REASON : m->pause_reason;
}

static json_object *render_list_item(const struct mentor_row *m, int32_t today)
{
    struct mentor_view v = mentor_view_on(&m->status, today);
    const char *reason = pause_reason_seen(m, &v);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mentor_id", json_object_new_string(m->mentor_id));
    json_object_object_add(o, "full_name", json_object_new_string(m->full_name));
    json_object_object_add(o, "chapter_id", json_object_new_string(m->chapter_id));
    json_object_object_add(o, "status", json_object_new_string(v.paused ? "paused" : "active"));
    json_object_object_add(o, "paused_at", v.paused ? response_json_ts(v.paused_at_us, 0) : NULL);
    json_object_object_add(o, "pause_reason", reason ? json_object_new_string(reason) : NULL);
    json_object_object_add(o, "is_eligible_for_assignment", json_object_new_boolean(v.eligible));
    return o;
}

static json_object *render_full(const struct mentor_row *m, int32_t today)
{
    struct mentor_view v = mentor_view_on(&m->status, today);
    const char *reason = pause_reason_seen(m, &v);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mentor_id", json_object_new_string(m->mentor_id));
    json_object_object_add(o, "full_name", json_object_new_string(m->full_name));
    json_object_object_add(o, "chapter_id", json_object_new_string(m->chapter_id));
    json_object_object_add(o, "email", json_object_new_string(m->email));
    json_object_object_add(o, "status", json_object_new_string(v.paused ? "paused" : "active"));
    json_object_object_add(o, "is_eligible_for_assignment", json_object_new_boolean(v.eligible));
    json_object_object_add(o, "paused_at", v.paused ? response_json_ts(v.paused_at_us, 0) : NULL);
    json_object_object_add(o, "pause_reason", reason ? json_object_new_string(reason) : NULL);
    json_object_object_add(o, "reactivated_at", response_json_ts(m->reactivated_at_us, 0));
    json_object_object_add(o, "certification_expiry", date_or_null(&m->status));
    json_object_object_add(o, "created_at", response_json_ts(m->created_at_us, 0));
    json_object_object_add(o, "updated_at", response_json_ts(m->updated_at_us, 0));
    return o;
}

/* ---- shared steps ---- */

/* The {id} path parameter when it has the shape of a mentor id; else answers 404. */
static const char *mentor_id_or_reply(struct request *req)
{
    const char *id = route_param(&req->match, "id");
    if (!id || !ids_is_prefixed(id, MENTOR_ID_PREFIX, MENTOR_ID_CHARS, MENTOR_ID_CHARS)) {
        response_not_found(req);
        return NULL;
    }
    return id;
}

static void record_event(struct mentor_event *e, const struct request *req, int64_t pk,
                         const char *event, const char *initiated_by)
{
    memset(e, 0, sizeof(*e));
    e->mentor_pk = pk;
    e->event = event;
    e->initiated_by = initiated_by;
    e->token_jti = req->who.jti[0] ? req->who.jti : NULL;
    e->request_id = req->request_id;
    e->at_us = req->now_us;
}

/* Inside a transaction: locks the mentor and makes a pending automatic pause durable,
 * so that "seen paused stays paused" holds across later profile changes. Returns
 * DB_OK, DB_NOT_FOUND or a db error. */
static int lock_mentor(struct request *req, const char *id, struct mentor_row *m)
{
    struct db *db = req->env->db;
    int rc = db_mentor_get(db, id, 1, req->arena, m);
    if (rc)
        return rc;
    if (!mentor_apply_auto_pause(&m->status, req->today))
        return DB_OK;
    return db_mentor_record_auto_pause(db, m, req->now_us, req->who.jti[0] ? req->who.jti : NULL,
                                       req->request_id);
}

/* Ends a failed transaction and answers for rc. */
static void fail_tx(struct request *req, int rc)
{
    db_rollback(req->env->db);
    response_db_error(req, rc);
}

static int commit_or_reply(struct request *req)
{
    int rc = db_commit(req->env->db);
    if (rc) {
        response_db_failure(req, rc);
        return 0;
    }
    return 1;
}

/* ---- GET /api/v1/mentors ---- */

static int list_param_or_reply(struct request *req, const char *name, long max, long dflt,
                               long *out)
{
    const char *v = query_get(&req->query, name);
    *out = dflt;
    if (!v)
        return 1;
    if (query_parse_long(v, 1, max, out)) {
        response_error(req, 400, "Bad request",
                       arena_printf(req->arena,
                                    "The '%s' parameter must be an integer from 1 to %ld", name,
                                    max));
        return 0;
    }
    return 1;
}

void mentors_list(struct request *req)
{
    struct mentor_filter f = {MENTOR_FILTER_ANY, NULL, req->today};
    long page, limit;
    if (!list_param_or_reply(req, "page", LIST_MAX_PAGE, 1, &page) ||
        !list_param_or_reply(req, "limit", LIST_MAX_LIMIT, LIST_DEFAULT_LIMIT, &limit))
        return;
    const char *status = query_get(&req->query, "status");
    if (status) {
        if (!strcmp(status, "active")) {
            f.status = MENTOR_FILTER_ACTIVE;
        } else if (!strcmp(status, "paused")) {
            f.status = MENTOR_FILTER_PAUSED;
        } else {
            response_error(req, 400, "Bad request",
                           "The 'status' parameter must be one of: active, paused");
            return;
        }
    }
    const char *chapter = query_get(&req->query, "chapter_id");
    if (chapter) {
        if (!ids_is_prefixed(chapter, "chpt_", 1, 26)) {
            response_error(req, 400, "Bad request",
                           "The 'chapter_id' parameter must be a chapter id (chpt_...)");
            return;
        }
        f.chapter_id = chapter;
    }
    struct mentor_row *rows = NULL;
    size_t n = 0;
    int64_t total = 0;
    struct db *db = req->env->db;
    int rc = db_mentor_list(db, &f, limit, (page - 1) * limit, req->arena, &rows, &n);
    if (!rc)
        rc = db_mentor_count(db, &f, req->arena, &total);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *data = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(data, render_list_item(&rows[i], req->today));
    json_object *pagination = json_object_new_object();
    json_object_object_add(pagination, "page", json_object_new_int64(page));
    json_object_object_add(pagination, "limit", json_object_new_int64(limit));
    json_object_object_add(pagination, "total", json_object_new_int64(total));
    json_object *body = json_object_new_object();
    json_object_object_add(body, "data", data);
    json_object_object_add(body, "pagination", pagination);
    response_json(req, 200, body);
}

/* ---- GET /api/v1/mentors/{id} and /eligibility ---- */

void mentors_get(struct request *req)
{
    struct mentor_row m;
    const char *id = mentor_id_or_reply(req);
    if (!id)
        return;
    int rc = db_mentor_get(req->env->db, id, 0, req->arena, &m);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    response_json(req, 200, render_full(&m, req->today));
}

void mentors_eligibility(struct request *req)
{
    struct mentor_row m;
    const char *codes[3];
    const char *id = mentor_id_or_reply(req);
    if (!id)
        return;
    int rc = db_mentor_get(req->env->db, id, 0, req->arena, &m);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    struct mentor_view v = mentor_view_on(&m.status, req->today);
    size_t nreasons = mentor_reason_codes(mentor_ineligibility(&m.status, req->today), codes);
    json_object *reasons = json_object_new_array();
    for (size_t i = 0; i < nreasons; i++)
        json_object_array_add(reasons, json_object_new_string(codes[i]));
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mentor_id", json_object_new_string(m.mentor_id));
    json_object_object_add(o, "is_eligible_for_assignment", json_object_new_boolean(v.eligible));
    json_object_object_add(o, "status", json_object_new_string(v.paused ? "paused" : "active"));
    json_object_object_add(o, "reasons_ineligible", reasons);
    response_json(req, 200, o);
}

/* ---- POST /api/v1/mentors and PUT /api/v1/mentors/{id} ---- */

#define DERIVED_DETAIL(f) f " cannot be set here; use pause or reactivate"

enum { F_FULL_NAME, F_EMAIL, F_CHAPTER_ID, F_CERT_EXPIRY, F_DERIVED_FIRST };

static const struct field_spec create_fields[] = {
    {"full_name", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"email", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"chapter_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"certification_expiry", FIELD_DATE, FIELD_NULLABLE, NULL},
    {"status", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("status")},
    {"is_eligible_for_assignment", FIELD_BOOL, FIELD_FORBIDDEN,
     DERIVED_DETAIL("is_eligible_for_assignment")},
    {"paused_at", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("paused_at")},
    {"pause_reason", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("pause_reason")},
    {"reactivated_at", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("reactivated_at")},
    {"mentor_id", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("mentor_id")},
    {"created_at", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("created_at")},
    {"updated_at", FIELD_STRING, FIELD_FORBIDDEN, DERIVED_DETAIL("updated_at")},
};
#define NFIELDS (sizeof(create_fields) / sizeof(create_fields[0]))

/* The same fields, all optional, for PUT. */
static struct field_spec update_fields[NFIELDS];

static const struct field_spec *update_specs(void)
{
    if (!update_fields[0].name) {
        memcpy(update_fields, create_fields, sizeof(update_fields));
        for (size_t i = 0; i < F_DERIVED_FIRST; i++)
            update_fields[i].flags &= ~(unsigned)FIELD_REQUIRED;
    }
    return update_fields;
}

/* Validates the profile fields that are present; adds 422 entries; trimmed name out.
 * Returns DB_OK, or the status of a failed chapter lookup (nothing is answered yet). */
static int check_profile(struct request *req, const struct field_value *v, char **name)
{
    *name = NULL;
    if (v[F_FULL_NAME].present && !v[F_FULL_NAME].is_null && v[F_FULL_NAME].s) {
        size_t start, len;
        const char *why =
            mentor_check_full_name(v[F_FULL_NAME].s, v[F_FULL_NAME].len, &start, &len);
        if (why)
            response_error_add(req, "full_name", why);
        else
            *name = arena_strndup(req->arena, v[F_FULL_NAME].s + start, len);
    }
    if (v[F_EMAIL].present && v[F_EMAIL].s) {
        const char *why = mentor_check_email(v[F_EMAIL].s, v[F_EMAIL].len);
        if (why)
            response_error_add(req, "email", why);
    }
    if (v[F_CHAPTER_ID].present && v[F_CHAPTER_ID].s) {
        int exists = 0;
        if (!ids_is_prefixed(v[F_CHAPTER_ID].s, "chpt_", 1, 26)) {
            response_error_add(req, "chapter_id", "chapter_id must name a known chapter");
        } else {
            int rc = db_chapter_exists(req->env->db, v[F_CHAPTER_ID].s, req->arena, &exists);
            if (rc != DB_OK)
                return rc;
            if (!exists)
                response_error_add(req, "chapter_id", "chapter_id must name a known chapter");
        }
    }
    return DB_OK;
}

static void reply_duplicate_email(struct request *req)
{
    response_error(req, 409, "email", "A mentor with this email already exists");
}

void mentors_create(struct request *req)
{
    struct field_value v[NFIELDS];
    char *name;
    char mentor_id[sizeof(MENTOR_ID_PREFIX) + MENTOR_ID_CHARS];
    struct db *db = req->env->db;
    fields_parse(req, req->json, create_fields, NFIELDS, v);
    int checked = check_profile(req, v, &name);
    if (checked != DB_OK) {
        response_db_failure(req, checked);
        return;
    }
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    struct mentor_row m;
    memset(&m, 0, sizeof(m));
    m.mentor_id = mentor_id;
    m.full_name = name;
    m.email = v[F_EMAIL].s;
    m.chapter_id = v[F_CHAPTER_ID].s;
    m.status.has_expiry = v[F_CERT_EXPIRY].present && !v[F_CERT_EXPIRY].is_null;
    m.status.expiry_day = v[F_CERT_EXPIRY].day;
    m.created_at_us = m.updated_at_us = req->now_us;

    int rc = DB_ERROR;
    for (int attempt = 0; attempt < 3; attempt++) {
        ids_prefixed_random(MENTOR_ID_PREFIX, MENTOR_ID_CHARS, mentor_id);
        if ((rc = db_begin(db)) != DB_OK)
            break;
        rc = db_mentor_insert(db, &m);
        if (rc == DB_OK) {
            struct mentor_event e;
            record_event(&e, req, m.pk, "created", NULL);
            e.status_after = "active";
            rc = db_mentor_event_insert(db, &e);
        }
        if (rc == DB_OK)
            break;
        db_rollback(db);
        if (rc != DB_DUPLICATE)
            break;
        int taken = 0;
        rc = db_mentor_email_taken(db, m.email, req->arena, &taken);
        if (rc == DB_OK && taken) {
            reply_duplicate_email(req);
            return;
        }
        rc = DB_DUPLICATE; /* a mentor_id collision: draw another */
    }
    if (rc != DB_OK) {
        db_rollback(db);
        response_db_failure(req, rc);
        return;
    }
    if (!commit_or_reply(req))
        return;
    response_header(req, "Location", arena_printf(req->arena, "/api/v1/mentors/%s", mentor_id));
    response_json(req, 201, render_full(&m, req->today));
}

static void add_change(json_object *changes, const char *field, json_object *from, json_object *to)
{
    json_object *c = json_object_new_object();
    json_object_object_add(c, "from", from);
    json_object_object_add(c, "to", to);
    json_object_object_add(changes, field, c);
}

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

void mentors_update(struct request *req)
{
    struct field_value v[NFIELDS];
    char *name;
    struct mentor_row m;
    struct db *db = req->env->db;
    const char *id = mentor_id_or_reply(req);
    if (!id)
        return;
    fields_parse(req, req->json, update_specs(), NFIELDS, v);
    int checked = check_profile(req, v, &name);
    if (checked != DB_OK) {
        response_db_failure(req, checked);
        return;
    }
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = lock_mentor(req, id, &m)) != DB_OK) {
        fail_tx(req, rc);
        return;
    }
    json_object *changes = json_object_new_object();
    if (name && strcmp(name, m.full_name) != 0) {
        add_change(changes, "full_name", str_or_null(m.full_name), str_or_null(name));
        m.full_name = name;
    }
    if (v[F_EMAIL].present && strcmp(v[F_EMAIL].s, m.email) != 0) {
        add_change(changes, "email", str_or_null(m.email), str_or_null(v[F_EMAIL].s));
        m.email = v[F_EMAIL].s;
    }
    if (v[F_CHAPTER_ID].present && strcmp(v[F_CHAPTER_ID].s, m.chapter_id) != 0) {
        add_change(changes, "chapter_id", str_or_null(m.chapter_id),
                   str_or_null(v[F_CHAPTER_ID].s));
        m.chapter_id = v[F_CHAPTER_ID].s;
    }
    if (v[F_CERT_EXPIRY].present) {
        struct mentor_status next = m.status;
        next.has_expiry = !v[F_CERT_EXPIRY].is_null;
        next.expiry_day = v[F_CERT_EXPIRY].day;
        if (next.has_expiry != m.status.has_expiry ||
            (next.has_expiry && next.expiry_day != m.status.expiry_day)) {
            add_change(changes, "certification_expiry", date_or_null(&m.status),
                       date_or_null(&next));
            m.status = next;
        }
    }
    if (json_object_object_length(changes) > 0) {
        m.updated_at_us = req->now_us;
        rc = db_mentor_update(db, &m);
        if (rc == DB_OK) {
            struct mentor_event e;
            record_event(&e, req, m.pk, "updated", NULL);
            e.changes = arena_strdup(
                req->arena, json_object_to_json_string_ext(changes, JSON_C_TO_STRING_PLAIN));
            rc = db_mentor_event_insert(db, &e);
        }
    }
    json_object_put(changes);
    if (rc == DB_DUPLICATE) {
        db_rollback(db);
        reply_duplicate_email(req);
        return;
    }
    if (rc) {
        fail_tx(req, rc);
        return;
    }
    if (!commit_or_reply(req))
        return;
    response_json(req, 200, render_full(&m, req->today));
}

/* ---- DELETE /api/v1/mentors/{id} ---- */

void mentors_delete(struct request *req)
{
    struct mentor_row m;
    struct db *db = req->env->db;
    const char *id = mentor_id_or_reply(req);
    if (!id)
        return;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    rc = db_mentor_get(db, id, 1, req->arena, &m);
    if (rc == DB_OK)
        rc = db_mentor_delete(db, m.pk, req->now_us);
    if (rc == DB_OK) {
        struct mentor_event e;
        record_event(&e, req, m.pk, "deleted", NULL);
        e.status_before = mentor_view_on(&m.status, req->today).paused ? "paused" : "active";
        rc = db_mentor_event_insert(db, &e);
    }
    if (rc) {
        fail_tx(req, rc);
        return;
    }
    if (!commit_or_reply(req))
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mentor_id", json_object_new_string(m.mentor_id));
    json_object_object_add(o, "deleted", json_object_new_boolean(1));
    json_object_object_add(o, "deleted_at", response_json_ts(req->now_us, 0));
    response_json(req, 200, o);
}

/* ---- POST /pause and /reactivate ---- */

static const struct field_spec pause_fields[] = {
    {"reason", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"initiated_by", FIELD_STRING, FIELD_REQUIRED, NULL},
};

static const struct field_spec reactivate_fields[] = {
    {"initiated_by", FIELD_STRING, FIELD_REQUIRED, NULL},
};

void mentors_pause(struct request *req)
{
    struct field_value v[2];
    struct mentor_row m;
    struct db *db = req->env->db;
    const char *id = mentor_id_or_reply(req);
    if (!id)
        return;
    fields_parse(req, req->json, pause_fields, 2, v);
    const char *why;
    if (v[0].s && (why = mentor_check_reason(v[0].s, v[0].len)))
        response_error_add(req, "reason", why);
    if (v[1].s && (why = mentor_check_initiated_by(v[1].s, v[1].len)))
        response_error_add(req, "initiated_by", why);
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = lock_mentor(req, id, &m)) != DB_OK) {
        fail_tx(req, rc);
        return;
    }
    if (mentor_can_pause(&m.status, req->today) != MENTOR_TRANSITION_OK) {
        /* A pending automatic pause was just made durable: keep that. */
        if (!commit_or_reply(req))
            return;
        response_error(req, 409, "status", "Mentor is already paused");
        return;
    }
    m.status.paused = 1;
    m.status.paused_at_us = req->now_us;
    m.pause_reason = v[0].s;
    m.updated_at_us = req->now_us;
    rc = db_mentor_update_status(db, &m);
    if (rc == DB_OK) {
        struct mentor_event e;
        record_event(&e, req, m.pk, "paused", v[1].s);
        e.status_before = "active";
        e.status_after = "paused";
        json_object *c = json_object_new_object();
        json_object_object_add(c, "reason", json_object_new_string_len(v[0].s, (int)v[0].len));
        e.changes =
            arena_strdup(req->arena, json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN));
        json_object_put(c);
        rc = db_mentor_event_insert(db, &e);
    }
    if (rc) {
        fail_tx(req, rc);
        return;
    }
    if (!commit_or_reply(req))
        return;
    struct mentor_view view = mentor_view_on(&m.status, req->today);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mentor_id", json_object_new_string(m.mentor_id));
    json_object_object_add(o, "status", json_object_new_string("paused"));
    json_object_object_add(o, "paused_at", response_json_ts(m.status.paused_at_us, 0));
    json_object_object_add(o, "pause_reason", json_object_new_string(m.pause_reason));
    json_object_object_add(o, "is_eligible_for_assignment", json_object_new_boolean(view.eligible));
    response_json(req, 200, o);
}

void mentors_reactivate(struct request *req)
{
    struct field_value v[1];
    struct mentor_row m;
    char day[CLOCK_DATE_LEN];
    struct db *db = req->env->db;
    const char *id = mentor_id_or_reply(req);
    if (!id)
        return;
    fields_parse(req, req->json, reactivate_fields, 1, v);
    const char *why;
    if (v[0].s && (why = mentor_check_initiated_by(v[0].s, v[0].len)))
        response_error_add(req, "initiated_by", why);
    if (response_has_errors(req)) {
        response_errors_send(req, 422);
        return;
    }
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = lock_mentor(req, id, &m)) != DB_OK) {
        fail_tx(req, rc);
        return;
    }
    switch (mentor_can_reactivate(&m.status, req->today)) {
    case MENTOR_TRANSITION_OK:
        break;
    case MENTOR_NOT_PAUSED:
    case MENTOR_ALREADY_PAUSED:
        db_rollback(db);
        response_error(req, 409, "status", "Mentor is not paused");
        return;
    case MENTOR_CERTIFICATION_EXPIRED:
        if (!commit_or_reply(req)) /* keeps a just-recorded automatic pause */
            return;
        clock_format_date(m.status.expiry_day, day);
        response_error(req, 422, "certification_expiry",
                       arena_printf(req->arena,
                                    "Certification expired on %s; renew it before reactivating",
                                    day));
        return;
    }
    m.status.paused = 0;
    m.status.paused_at_us = 0;
    m.pause_reason = NULL;
    m.reactivated_at_us = req->now_us;
    m.updated_at_us = req->now_us;
    rc = db_mentor_update_status(db, &m);
    if (rc == DB_OK) {
        struct mentor_event e;
        record_event(&e, req, m.pk, "reactivated", v[0].s);
        e.status_before = "paused";
        e.status_after = "active";
        rc = db_mentor_event_insert(db, &e);
    }
    if (rc) {
        fail_tx(req, rc);
        return;
    }
    if (!commit_or_reply(req))
        return;
    struct mentor_view view = mentor_view_on(&m.status, req->today);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mentor_id", json_object_new_string(m.mentor_id));
    json_object_object_add(o, "status", json_object_new_string("active"));
    json_object_object_add(o, "reactivated_at", response_json_ts(m.reactivated_at_us, 0));
    json_object_object_add(o, "is_eligible_for_assignment", json_object_new_boolean(view.eligible));
    response_json(req, 200, o);
}
