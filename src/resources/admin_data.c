/* Admin data API (/api/admin/v1): delivery partners, schools, cohorts, partnerships,
 * statements. Thin handlers: validate (fields table), check references, persist through
 * db_ad_*, render with json-c. People and periods are in admin_data_people.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_admin_data.h"
#include "http/dispatch.h"
#include "http/fields.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/admin_data.h"

/* ------------------------------------------------------------------ shared helpers */

json_object *ad_json_uuid(const uint8_t id[16])
{
    char buf[UUID_TEXT_LEN];
    ids_uuid_format(id, buf);
    return json_object_new_string(buf);
}

json_object *ad_json_date(int32_t day)
{
    return response_json_date(day, DB_NO_DAY);
}

json_object *ad_json_ts(int64_t us)
{
    return response_json_ts(us, 0);
}

void ad_uuid_field(struct request *req, const struct field_value *v, const char *name,
                   uint8_t out[16])
{
    if (v->s && ids_uuid_parse(v->s, out))
        response_error_add(req, name, arena_printf(req->arena, "%s must be a UUID", name));
}

void ad_text_field(struct request *req, const struct field_value *v, const char *name, size_t max)
{
    if (v->s && (v->len == 0 || v->len > max))
        response_error_add(req, name,
                           arena_printf(req->arena, "%s must be 1 to %zu characters", name, max));
}

int ad_digits(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int ad_send_422(struct request *req)
{
    if (!response_has_errors(req))
        return 0;
    response_errors_send(req, 422);
    return 1;
}

int ad_path_uuid(struct request *req, const char *name, uint8_t out[16])
{
    const char *s = route_param(&req->match, name);
    if (!s || ids_uuid_parse(s, out)) {
        response_not_found(req);
        return -1;
    }
    return 0;
}

void ad_fail(struct request *req, int rc, const char *conflict_title, const char *conflict_detail)
{
    db_rollback(req->env->db);
    if (rc == DB_NOT_FOUND)
        response_not_found(req);
    else if (rc == DB_DUPLICATE && conflict_title)
        response_error(req, 409, conflict_title, conflict_detail);
    else
        response_db_failure(req, rc);
}

int ad_commit(struct request *req)
{
    int rc = db_commit(req->env->db);
    if (rc) {
        db_rollback(req->env->db);
        response_db_failure(req, rc);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ delivery partners */

static const struct field_spec name_fields[] = {{"name", FIELD_STRING, FIELD_REQUIRED, NULL}};

void admin_data_delivery_partners_create(struct request *req)
{
    struct field_value v[1];
    fields_parse(req, req->json, name_fields, 1, v);
    ad_text_field(req, &v[0], "name", 200);
    if (ad_send_422(req))
        return;
    struct ad_delivery_partner dp = {.name = v[0].s, .created_at_us = req->now_us};
    ids_uuid_v4(dp.id);
    int rc = db_ad_delivery_partner_insert(req->env->db, &dp);
    if (rc == DB_DUPLICATE) {
        response_error(req, 409, "name", "A delivery partner with this name already exists");
        return;
    }
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(dp.id));
    json_object_object_add(o, "name", json_object_new_string(dp.name));
    json_object_object_add(o, "created_at", ad_json_ts(dp.created_at_us));
    response_json(req, 201, o);
}

/* ------------------------------------------------------------------ schools */

enum { SC_URN, SC_NAME, SC_PUPIL, SC_SPARSITY, SC__MAX };
static const struct field_spec school_fields[SC__MAX] = {
    {"urn", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"name", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"pupil_premium_uplift", FIELD_BOOL, 0, NULL},
    {"sparsity_uplift", FIELD_BOOL, 0, NULL},
};

void admin_data_schools_create(struct request *req)
{
    struct field_value v[SC__MAX];
    fields_parse(req, req->json, school_fields, SC__MAX, v);
    if (v[SC_URN].s && !ad_digits(v[SC_URN].s, 6))
        response_error_add(req, "urn", "urn must be 6 digits");
    ad_text_field(req, &v[SC_NAME], "name", 200);
    if (ad_send_422(req))
        return;
    struct ad_school s = {.urn = v[SC_URN].s,
                          .name = v[SC_NAME].s,
                          .pupil_premium_uplift = v[SC_PUPIL].present && v[SC_PUPIL].b,
                          .sparsity_uplift = v[SC_SPARSITY].present && v[SC_SPARSITY].b,
                          .created_at_us = req->now_us};
    ids_uuid_v4(s.api_id);
    int rc = db_ad_school_insert(req->env->db, &s);
    if (rc == DB_DUPLICATE) {
        response_error(req, 409, "urn", "A school with this URN already exists");
        return;
    }
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(s.api_id));
    json_object_object_add(o, "urn", json_object_new_string(s.urn));
    json_object_object_add(o, "name", json_object_new_string(s.name));
    json_object_object_add(o, "pupil_premium_uplift",
                           json_object_new_boolean(s.pupil_premium_uplift));
    json_object_object_add(o, "sparsity_uplift", json_object_new_boolean(s.sparsity_uplift));
    json_object_object_add(o, "created_at", ad_json_ts(s.created_at_us));
    response_json(req, 201, o);
}

/* ------------------------------------------------------------------ cohorts */

enum { CO_FROZEN, CO_MENTOR_FUNDING, CO_DETAILED, CO_UPLIFT, CO__MAX };
static const struct field_spec cohort_fields[CO__MAX] = {
    {"payments_frozen_at", FIELD_STRING, FIELD_NULLABLE, NULL},
    {"mentor_funding_enabled", FIELD_BOOL, 0, NULL},
    {"detailed_evidence_types_enabled", FIELD_BOOL, 0, NULL},
    {"uplift_fees_enabled", FIELD_BOOL, 0, NULL},
};

static json_object *render_cohort(const struct ad_cohort *c)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "year", json_object_new_int(c->year));
    json_object_object_add(o, "started_on", ad_json_date(c->started_on));
    json_object_object_add(o, "finished_on", ad_json_date(c->finished_on));
    json_object_object_add(o, "payments_frozen_at", ad_json_ts(c->payments_frozen_at_us));
    json_object_object_add(o, "mentor_funding_enabled",
                           json_object_new_boolean(c->mentor_funding_enabled));
    json_object_object_add(o, "detailed_evidence_types_enabled",
                           json_object_new_boolean(c->detailed_evidence_types_enabled));
    json_object_object_add(o, "uplift_fees_enabled",
                           json_object_new_boolean(c->uplift_fees_enabled));
    return o;
}

void admin_data_cohorts_put(struct request *req)
{
    const char *ys = route_param(&req->match, "year");
    if (!ad_digits(ys, 4)) {
        response_not_found(req);
        return;
    }
    int year = (ys[0] - '0') * 1000 + (ys[1] - '0') * 100 + (ys[2] - '0') * 10 + (ys[3] - '0');
    struct field_value v[CO__MAX];
    int64_t frozen = 0;
    fields_parse(req, req->json, cohort_fields, CO__MAX, v);
    if (v[CO_FROZEN].s && clock_parse_rfc3339(v[CO_FROZEN].s, &frozen))
        response_error_add(req, "payments_frozen_at",
                           "payments_frozen_at must be an RFC 3339 date-time or null");
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_cohort c;
    int created = 0, rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    rc = db_ad_cohort_get(db, year, &c);
    if (rc == DB_NOT_FOUND) {
        int latest = 0;
        if ((rc = db_ad_cohort_max_year(db, &latest)) != DB_OK)
            goto fail;
        if (year != latest + 1) {
            db_rollback(db);
            response_error(req, 422, "year",
                           arena_printf(req->arena,
                                        "Only the cohort after the latest one (%d) can be "
                                        "created: %d",
                                        latest, latest + 1));
            return;
        }
        /* A new cohort starts from the latest cohort's flags, never frozen. */
        if ((rc = db_ad_cohort_get(db, latest, &c)) != DB_OK)
            goto fail;
        c.year = year;
        c.started_on = clock_days_from_civil(year, 6, 1);
        c.finished_on = clock_days_from_civil(year + 1, 5, 31);
        c.payments_frozen_at_us = 0;
        created = 1;
    } else if (rc) {
        goto fail;
    }
    if (v[CO_FROZEN].present)
        c.payments_frozen_at_us = v[CO_FROZEN].is_null ? 0 : frozen;
    if (v[CO_MENTOR_FUNDING].present)
        c.mentor_funding_enabled = v[CO_MENTOR_FUNDING].b;
    if (v[CO_DETAILED].present)
        c.detailed_evidence_types_enabled = v[CO_DETAILED].b;
    if (v[CO_UPLIFT].present)
        c.uplift_fees_enabled = v[CO_UPLIFT].b;
    rc = created ? db_ad_cohort_create(db, &c) : db_ad_cohort_update(db, &c);
    if (rc)
        goto fail;
    if (ad_commit(req))
        return;
    response_json(req, created ? 201 : 200, render_cohort(&c));
    return;
fail:
    ad_fail(req, rc, "year", "This cohort was created by another request");
}

/* ------------------------------------------------------------------ partnerships */

/* The cohort named by an integer field; DB_NOT_FOUND also for a year that cannot be one. */
static int cohort_get(struct db *db, int64_t year, struct ad_cohort *c)
{
    if (year < 2000 || year > 9999)
        return DB_NOT_FOUND;
    return db_ad_cohort_get(db, (int)year, c);
}

enum { PA_URN, PA_LP, PA_DP, PA_COHORT, PA__MAX };
static const struct field_spec partnership_fields[PA__MAX] = {
    {"school_urn", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"lead_provider_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"delivery_partner_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"cohort", FIELD_INT, FIELD_REQUIRED, NULL},
};

void admin_data_partnerships_create(struct request *req)
{
    struct field_value v[PA__MAX];
    struct ad_partnership p;
    memset(&p, 0, sizeof(p));
    fields_parse(req, req->json, partnership_fields, PA__MAX, v);
    if (v[PA_URN].s && !ad_digits(v[PA_URN].s, 6))
        response_error_add(req, "school_urn", "school_urn must be 6 digits");
    ad_uuid_field(req, &v[PA_LP], "lead_provider_id", p.lead_provider_id);
    ad_uuid_field(req, &v[PA_DP], "delivery_partner_id", p.delivery_partner_id);
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_school s;
    struct ad_cohort c;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_school_get_by_urn(db, v[PA_URN].s, req->arena, &s)) ||
        (rc = db_ad_lead_provider_exists(db, p.lead_provider_id)) ||
        (rc = db_ad_delivery_partner_exists(db, p.delivery_partner_id)) ||
        (rc = cohort_get(db, v[PA_COHORT].i, &c)))
        goto fail;
    ids_uuid_v4(p.api_id);
    p.school_pk = s.pk;
    p.school_urn = s.urn;
    p.cohort = c.year;
    if ((rc = db_ad_partnership_insert(db, &p, req->now_us)) != DB_OK)
        goto fail;
    if (ad_commit(req))
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(p.api_id));
    json_object_object_add(o, "school_urn", json_object_new_string(p.school_urn));
    json_object_object_add(o, "lead_provider_id", ad_json_uuid(p.lead_provider_id));
    json_object_object_add(o, "delivery_partner_id", ad_json_uuid(p.delivery_partner_id));
    json_object_object_add(o, "cohort", json_object_new_int(p.cohort));
    json_object_object_add(o, "created_at", ad_json_ts(p.created_at_us));
    response_json(req, 201, o);
    return;
fail:
    ad_fail(req, rc, "partnership",
            "This school already has this lead provider and delivery partner in this cohort");
}

/* ------------------------------------------------------------------ statements */

enum { ST_LP, ST_COHORT, ST_DEADLINE, ST_PAYMENT, ST__MAX };
static const struct field_spec statement_fields[ST__MAX] = {
    {"lead_provider_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"cohort", FIELD_INT, FIELD_REQUIRED, NULL},
    {"deadline_date", FIELD_DATE, FIELD_REQUIRED, NULL},
    {"payment_date", FIELD_DATE, FIELD_REQUIRED, NULL},
};

void admin_data_statements_create(struct request *req)
{
    struct field_value v[ST__MAX];
    struct ad_statement st;
    memset(&st, 0, sizeof(st));
    fields_parse(req, req->json, statement_fields, ST__MAX, v);
    ad_uuid_field(req, &v[ST_LP], "lead_provider_id", st.lead_provider_id);
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_cohort c;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_lead_provider_exists(db, st.lead_provider_id)) ||
        (rc = cohort_get(db, v[ST_COHORT].i, &c)))
        goto fail;
    ids_uuid_v4(st.api_id);
    st.cohort = c.year;
    st.deadline_date = v[ST_DEADLINE].day;
    st.payment_date = v[ST_PAYMENT].day;
    st.created_at_us = req->now_us;
    if ((rc = db_ad_statement_insert(db, &st)) != DB_OK)
        goto fail;
    if (ad_commit(req))
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(st.api_id));
    json_object_object_add(o, "lead_provider_id", ad_json_uuid(st.lead_provider_id));
    json_object_object_add(o, "cohort", json_object_new_int(st.cohort));
    json_object_object_add(o, "deadline_date", ad_json_date(st.deadline_date));
    json_object_object_add(o, "payment_date", ad_json_date(st.payment_date));
    json_object_object_add(o, "state", json_object_new_string(st.state));
    json_object_object_add(o, "created_at", ad_json_ts(st.created_at_us));
    response_json(req, 201, o);
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}
