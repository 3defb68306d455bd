/* Admin data API (/api/admin/v1): teachers, school periods, training periods, mentorships,
 * induction periods and merges. Every change of a teacher is one transaction that locks the
 * teacher row, makes the change, moves the API updated_at where spec 1.5 says
 * (db_teacher_touch) and rebuilds the teacher's lead provider metadata. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_admin_data.h"
#include "db/db_teacher_metadata.h"
#include "domain/schedule_rules.h"
#include "http/dispatch.h"
#include "http/fields.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/admin_data.h"
#include "resources/admin_statements.h"

#define TRN_TAKEN "A participant with this TRN already exists"

static json_object *nullable_string(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* A nullable date field: DB_NO_DAY when absent or null. */
static int32_t day_or_none(const struct field_value *v)
{
    return v->present && !v->is_null ? v->day : DB_NO_DAY;
}

static void dates_ordered(struct request *req, int32_t started, const struct field_value *fin)
{
    if (fin->present && !fin->is_null && fin->s && started != DB_NO_DAY && fin->day < started)
        response_error_add(req, "finished_on", "finished_on must not be before started_on");
}

/* ------------------------------------------------------------------ teachers */

static json_object *render_teacher(const struct ad_teacher *t)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(t->api_id));
    json_object_object_add(o, "full_name", json_object_new_string(t->full_name));
    json_object_object_add(o, "trn", nullable_string(t->trn));
    json_object_object_add(o, "ect_training_record_id", ad_json_uuid(t->ect_training_record_id));
    json_object_object_add(o, "mentor_training_record_id",
                           ad_json_uuid(t->mentor_training_record_id));
    json_object_object_add(o, "created_at", ad_json_ts(t->created_at_us));
    json_object_object_add(o, "updated_at", ad_json_ts(t->updated_at_us));
    json_object_object_add(o, "trs_induction_start_date",
                           ad_json_date(t->trs_induction_start_date));
    json_object_object_add(o, "trs_induction_completed_date",
                           ad_json_date(t->trs_induction_completed_date));
    json_object_object_add(o, "ect_became_ineligible_on",
                           ad_json_date(t->ect_became_ineligible_on));
    return o;
}

/* Create takes the first two; update all (the TRS facts of migration 009 too). */
enum { TE_NAME, TE_TRN, TE_TRS_START, TE_TRS_COMPLETED, TE_ECT_INELIGIBLE, TE__MAX };
#define TE_CREATE__MAX TE_TRS_START
static const struct field_spec teacher_create_fields[TE_CREATE__MAX] = {
    {"full_name", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"trn", FIELD_STRING, FIELD_NULLABLE, NULL},
};
static const struct field_spec teacher_update_fields[TE__MAX] = {
    {"full_name", FIELD_STRING, 0, NULL},
    {"trn", FIELD_STRING, FIELD_NULLABLE, NULL},
    {"trs_induction_start_date", FIELD_DATE, FIELD_NULLABLE, NULL},
    {"trs_induction_completed_date", FIELD_DATE, FIELD_NULLABLE, NULL},
    {"ect_became_ineligible_on", FIELD_DATE, FIELD_NULLABLE, NULL},
};

static void check_teacher(struct request *req, const struct field_value *v)
{
    ad_text_field(req, &v[TE_NAME], "full_name", 200);
    if (v[TE_TRN].s && !ad_digits(v[TE_TRN].s, 7))
        response_error_add(req, "trn", "trn must be 7 digits");
}

void admin_data_teachers_create(struct request *req)
{
    struct field_value v[TE__MAX];
    fields_parse(req, req->json, teacher_create_fields, TE_CREATE__MAX, v);
    check_teacher(req, v);
    if (ad_send_422(req))
        return;
    struct ad_teacher t = {.full_name = v[TE_NAME].s,
                           .trn = v[TE_TRN].s,
                           .created_at_us = req->now_us,
                           .trs_induction_start_date = DB_NO_DAY,
                           .trs_induction_completed_date = DB_NO_DAY,
                           .ect_became_ineligible_on = DB_NO_DAY};
    ids_uuid_v4(t.api_id);
    ids_uuid_v4(t.ect_training_record_id);
    ids_uuid_v4(t.mentor_training_record_id);
    int rc = db_ad_teacher_insert(req->env->db, &t);
    if (rc == DB_DUPLICATE) {
        response_error(req, 409, "trn", TRN_TAKEN);
        return;
    }
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    response_json(req, 201, render_teacher(&t));
}

/* Begins, finds the teacher by api id and locks it. 0 ok; else answered. */
static int begin_with_teacher(struct request *req, const uint8_t api_id[16], struct ad_teacher *t)
{
    struct db *db = req->env->db;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return -1;
    }
    if ((rc = db_ad_teacher_get_by_api(db, api_id, req->arena, t)) ||
        (rc = db_ad_teacher_lock(db, t->pk))) {
        ad_fail(req, rc, NULL, NULL);
        return -1;
    }
    return 0;
}

void admin_data_teachers_update(struct request *req)
{
    uint8_t id[16];
    struct field_value v[TE__MAX];
    struct ad_teacher t;
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, teacher_update_fields, TE__MAX, v);
    check_teacher(req, v);
    if (ad_send_422(req))
        return;
    if (begin_with_teacher(req, id, &t))
        return;
    struct db *db = req->env->db;
    const char *name = v[TE_NAME].present ? v[TE_NAME].s : t.full_name;
    const char *trn = v[TE_TRN].present ? v[TE_TRN].s : t.trn;
    int changed = strcmp(name, t.full_name) != 0 || (trn == NULL) != (t.trn == NULL) ||
                  (trn && strcmp(trn, t.trn) != 0);
    int32_t trs_start =
        v[TE_TRS_START].present ? day_or_none(&v[TE_TRS_START]) : t.trs_induction_start_date;
    int32_t trs_done = v[TE_TRS_COMPLETED].present ? day_or_none(&v[TE_TRS_COMPLETED])
                                                   : t.trs_induction_completed_date;
    int32_t ineligible = v[TE_ECT_INELIGIBLE].present ? day_or_none(&v[TE_ECT_INELIGIBLE])
                                                      : t.ect_became_ineligible_on;
    int trs_changed = trs_start != t.trs_induction_start_date ||
                      trs_done != t.trs_induction_completed_date ||
                      ineligible != t.ect_became_ineligible_on;
    int rc = DB_OK;
    /* Name and TRN are 1.5 updated_at facts, and unfunded-mentor facts; the TRS induction
     * dates and the ECT's eligibility are 1.5 updated_at facts only. */
    if (changed && (rc = db_ad_teacher_update(db, t.pk, name, trn)))
        goto fail;
    if (trs_changed && (rc = db_ad_teacher_set_trs(db, t.pk, trs_start, trs_done, ineligible)))
        goto fail;
    if ((changed || trs_changed) && ((rc = db_teacher_touch(db, t.pk, req->now_us, changed)) ||
                                     (rc = db_teacher_metadata_rebuild(db, t.pk, req->now_us))))
        goto fail;
    if ((rc = db_ad_teacher_get(db, t.pk, req->arena, &t)))
        goto fail;
    if (ad_commit(req))
        return;
    response_json(req, 200, render_teacher(&t));
    return;
fail:
    ad_fail(req, rc, "trn", TRN_TAKEN);
}

/* ------------------------------------------------------------------ merge */

enum { MG_FROM, MG_TO, MG__MAX };
static const struct field_spec merge_fields[MG__MAX] = {
    {"from_participant_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"to_participant_id", FIELD_STRING, FIELD_REQUIRED, NULL},
};

void admin_data_teachers_merge(struct request *req)
{
    struct field_value v[MG__MAX];
    uint8_t from_id[16], to_id[16];
    fields_parse(req, req->json, merge_fields, MG__MAX, v);
    ad_uuid_field(req, &v[MG_FROM], "from_participant_id", from_id);
    ad_uuid_field(req, &v[MG_TO], "to_participant_id", to_id);
    if (!response_has_errors(req) && memcmp(from_id, to_id, 16) == 0)
        response_error_add(req, "to_participant_id",
                           "to_participant_id must differ from from_participant_id");
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_teacher from, to;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_teacher_get_by_api(db, from_id, req->arena, &from)) ||
        (rc = db_ad_teacher_get_by_api(db, to_id, req->arena, &to)))
        goto fail;
    /* Lock in key order so two merges of the same pair cannot deadlock. */
    if ((rc = db_ad_teacher_lock(db, from.pk < to.pk ? from.pk : to.pk)) ||
        (rc = db_ad_teacher_lock(db, from.pk < to.pk ? to.pk : from.pk)))
        goto fail;
    if ((rc = db_ad_teacher_merge(db, &from, &to, req->now_us, req->who.jti, NULL,
                                  req->request_id)) ||
        (rc = db_teacher_touch(db, to.pk, req->now_us, 1)) ||
        (rc = db_teacher_metadata_rebuild(db, to.pk, req->now_us)))
        goto fail;
    if (ad_commit(req))
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "from_participant_id", ad_json_uuid(from.api_id));
    json_object_object_add(o, "to_participant_id", ad_json_uuid(to.api_id));
    json_object_object_add(o, "changed_at", ad_json_ts(req->now_us));
    response_json(req, 200, o);
    return;
fail:
    ad_fail(req, rc, "from_participant_id",
            "Both participants have a declaration that still counts for the same course and "
            "declaration type; void one first");
}

/* ------------------------------------------------------------------ school periods */

static json_object *render_school_period(const struct ad_school_period *sp)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(sp->api_id));
    json_object_object_add(o, "participant_id", ad_json_uuid(sp->teacher_api_id));
    json_object_object_add(o, "role", json_object_new_string(sp->role));
    json_object_object_add(o, "school_urn", json_object_new_string(sp->school_urn));
    json_object_object_add(o, "email", json_object_new_string(sp->email));
    json_object_object_add(o, "started_on", ad_json_date(sp->started_on));
    json_object_object_add(o, "finished_on", ad_json_date(sp->finished_on));
    json_object_object_add(o, "working_pattern", nullable_string(sp->working_pattern));
    json_object_object_add(o, "created_at", ad_json_ts(sp->created_at_us));
    return o;
}

static void check_email(struct request *req, const struct field_value *v)
{
    if (v->s && (v->len < 3 || v->len > 254 || !strchr(v->s, '@')))
        response_error_add(req, "email",
                           "email must be an email address of at most 254 characters");
}

enum { SP_ROLE, SP_URN, SP_EMAIL, SP_STARTED, SP_FINISHED, SP_PATTERN, SP__MAX };
static const struct field_spec school_period_fields[SP__MAX] = {
    {"role", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"school_urn", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"email", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"started_on", FIELD_DATE, FIELD_REQUIRED, NULL},
    {"finished_on", FIELD_DATE, FIELD_NULLABLE, NULL},
    {"working_pattern", FIELD_STRING, FIELD_NULLABLE, NULL},
};

void admin_data_school_periods_create(struct request *req)
{
    uint8_t id[16];
    struct field_value v[SP__MAX];
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, school_period_fields, SP__MAX, v);
    const char *role = v[SP_ROLE].s;
    if (role && strcmp(role, "ect") != 0 && strcmp(role, "mentor") != 0) {
        response_error_add(req, "role", "role must be ect or mentor");
        role = NULL;
    }
    if (v[SP_URN].s && !ad_digits(v[SP_URN].s, 6))
        response_error_add(req, "school_urn", "school_urn must be 6 digits");
    check_email(req, &v[SP_EMAIL]);
    dates_ordered(req, v[SP_STARTED].s ? v[SP_STARTED].day : DB_NO_DAY, &v[SP_FINISHED]);
    const char *wp = v[SP_PATTERN].s;
    if (wp && strcmp(wp, "full_time") != 0 && strcmp(wp, "part_time") != 0)
        response_error_add(req, "working_pattern",
                           "working_pattern must be full_time or part_time");
    else if (wp && role && strcmp(role, "ect") != 0)
        response_error_add(req, "working_pattern", "working_pattern is for ECTs only");
    if (ad_send_422(req))
        return;
    struct ad_teacher t;
    struct ad_school s;
    if (begin_with_teacher(req, id, &t))
        return;
    struct db *db = req->env->db;
    struct ad_school_period sp = {.teacher_pk = t.pk,
                                  .role = role,
                                  .email = v[SP_EMAIL].s,
                                  .started_on = v[SP_STARTED].day,
                                  .finished_on = day_or_none(&v[SP_FINISHED]),
                                  .working_pattern = wp};
    ids_uuid_v4(sp.api_id);
    int rc;
    if ((rc = db_ad_school_get_by_urn(db, v[SP_URN].s, req->arena, &s)))
        goto fail;
    sp.school_pk = s.pk;
    /* A new school period alone changes no 1.5 field but an ECT's eligibility (an ECT school
     * period while an induction period runs: admin_statements_funding_eligibility below
     * stamps it and moves updated_at); the rebuild keeps the transfer flag. */
    if ((rc = db_ad_school_period_insert(db, &sp, req->now_us)) ||
        (rc = db_teacher_metadata_rebuild(db, t.pk, req->now_us)) ||
        (rc = db_ad_school_period_get(db, sp.pk, req->arena, &sp)))
        goto fail;
    /* Spec 4.6: an ECT school period can complete funding eligibility. */
    if (strcmp(role, "ect") == 0 &&
        admin_statements_funding_eligibility(req, t.pk, STATEMENT_ROLE_ECT))
        return;
    if (ad_commit(req))
        return;
    response_json(req, 201, render_school_period(&sp));
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}

enum { SU_EMAIL, SU_FINISHED, SU__MAX };
static const struct field_spec school_period_update_fields[SU__MAX] = {
    {"email", FIELD_STRING, 0, NULL},
    {"finished_on", FIELD_DATE, FIELD_NULLABLE, NULL},
};

void admin_data_school_periods_update(struct request *req)
{
    uint8_t id[16];
    struct field_value v[SU__MAX];
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, school_period_update_fields, SU__MAX, v);
    check_email(req, &v[SU_EMAIL]);
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_school_period sp;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_school_period_get_by_api(db, id, req->arena, &sp)) ||
        (rc = db_ad_teacher_lock(db, sp.teacher_pk)))
        goto fail;
    dates_ordered(req, sp.started_on, &v[SU_FINISHED]);
    if (response_has_errors(req)) {
        db_rollback(db);
        response_errors_send(req, 422);
        return;
    }
    const char *email = v[SU_EMAIL].present ? v[SU_EMAIL].s : sp.email;
    int32_t finished = v[SU_FINISHED].present ? day_or_none(&v[SU_FINISHED]) : sp.finished_on;
    int email_changed = strcmp(email, sp.email) != 0;
    if (email_changed || finished != sp.finished_on) {
        int mentor = strcmp(sp.role, "mentor") == 0;
        if ((rc = db_ad_school_period_update(db, sp.pk, email, finished, req->now_us)))
            goto fail;
        /* The email on a school period is a 1.5 updated_at fact (and an unfunded-mentor
         * one); its dates are not, but they decide transfers (metadata). */
        if (email_changed && (rc = db_teacher_touch(db, sp.teacher_pk, req->now_us, mentor)))
            goto fail;
        if ((rc = db_teacher_metadata_rebuild(db, sp.teacher_pk, req->now_us)))
            goto fail;
    }
    if ((rc = db_ad_school_period_get(db, sp.pk, req->arena, &sp)))
        goto fail;
    if (ad_commit(req))
        return;
    response_json(req, 200, render_school_period(&sp));
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}

/* ------------------------------------------------------------------ training periods */

static json_object *render_training_period(const struct ad_training_period *tp)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(tp->api_id));
    json_object_object_add(o, "school_period_id", ad_json_uuid(tp->school_period_api_id));
    json_object_object_add(o, "participant_id", ad_json_uuid(tp->teacher_api_id));
    json_object_object_add(o, "partnership_id",
                           tp->provider_led ? ad_json_uuid(tp->partnership_api_id) : NULL);
    json_object_object_add(o, "lead_provider_id",
                           tp->provider_led ? ad_json_uuid(tp->lead_provider_id) : NULL);
    json_object_object_add(o, "cohort", tp->provider_led ? json_object_new_int(tp->cohort) : NULL);
    json_object_object_add(o, "schedule_identifier",
                           nullable_string(tp->provider_led ? tp->schedule_identifier : NULL));
    json_object_object_add(o, "started_on", ad_json_date(tp->started_on));
    json_object_object_add(o, "finished_on", ad_json_date(tp->finished_on));
    json_object_object_add(o, "created_at", ad_json_ts(tp->created_at_us));
    return o;
}

enum { TP_PARTNERSHIP, TP_STARTED, TP_FINISHED, TP_SCHEDULE, TP__MAX };
static const struct field_spec training_period_fields[TP__MAX] = {
    {"partnership_id", FIELD_STRING, FIELD_NULLABLE, NULL},
    {"started_on", FIELD_DATE, FIELD_REQUIRED, NULL},
    {"finished_on", FIELD_DATE, FIELD_NULLABLE, NULL},
    {"schedule_identifier", FIELD_STRING, FIELD_NULLABLE, NULL},
};

/* The schedule of a new provider-led period: the one named (which must exist in the
 * partnership's cohort and suit the role, 3.2), else the 3.3 default. 0 ok; -1 with 422
 * entries added; a db_status (> 0 never) otherwise. */
static int pick_schedule(struct request *req, const struct ad_school_period *sp,
                         const struct ad_partnership *pa, const char *identifier,
                         struct ad_training_period *tp, int *db_rc)
{
    struct db *db = req->env->db;
    struct schedule_cohort *cs;
    struct schedule_def *ss;
    size_t ncs, nss;
    int mentor = strcmp(sp->role, "mentor") == 0;
    *db_rc = DB_OK;
    if ((*db_rc = db_ad_cohort_list(db, req->arena, &cs, &ncs)) ||
        (*db_rc = db_ad_schedule_list(db, req->arena, &ss, &nss)))
        return -1;
    enum schedule_id id;
    if (identifier) {
        if (schedule_parse(identifier, &id) || !schedule_exists(ss, nss, pa->cohort, id)) {
            response_error_add(req, "schedule_identifier",
                               arena_printf(req->arena,
                                            "schedule_identifier must be a schedule of cohort %d",
                                            pa->cohort));
            return -1;
        }
        if (!schedule_allowed_for_role(id, mentor)) {
            response_error_add(req, "schedule_identifier",
                               mentor ? "Mentors cannot be on a reduced schedule"
                                      : "ECTs cannot be on a replacement schedule");
            return -1;
        }
    } else {
        struct schedule_assign_facts f = {.start_date = tp->started_on,
                                          .today = req->today,
                                          .now = req->now_us,
                                          .registration_cohort = pa->cohort,
                                          .mentor = mentor};
        int prev_cohort = 0;
        unsigned prev_schedule = 0;
        if ((*db_rc =
                 db_ad_training_period_previous(db, sp->teacher_pk, sp->role, req->arena,
                                                &f.has_previous, &prev_cohort, &prev_schedule)))
            return -1;
        /* 3.3 step 5: a mentor taking over a mentee declared under an earlier mentor. */
        if (mentor && (*db_rc = db_ad_replacement_applies(db, sp->pk, &f.replacement)))
            return -1;
        if (f.has_previous) {
            f.previous_cohort = prev_cohort;
            f.previous_schedule = (enum schedule_id)(prev_schedule % 100 - 1);
        }
        struct schedule_assignment out;
        if (schedule_assign_default(&f, cs, ncs, ss, nss, &out) != SCHEDULE_OK) {
            response_error_add(req, "schedule_identifier",
                               arena_printf(req->arena,
                                            "No default schedule: %s does not exist in cohort %d",
                                            schedule_identifier(out.id), out.cohort));
            return -1;
        }
        if (out.cohort != pa->cohort) {
            response_error_add(req, "partnership_id",
                               arena_printf(req->arena,
                                            "The default schedule is %s in cohort %d (the "
                                            "previous cohort's payments are frozen): give a "
                                            "partnership in cohort %d",
                                            schedule_identifier(out.id), out.cohort, out.cohort));
            return -1;
        }
        id = out.id;
    }
    tp->schedule_id = (unsigned)(pa->cohort * 100 + (int)id + 1);
    return 0;
}

void admin_data_training_periods_create(struct request *req)
{
    uint8_t id[16], partnership_id[16];
    struct field_value v[TP__MAX];
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, training_period_fields, TP__MAX, v);
    ad_uuid_field(req, &v[TP_PARTNERSHIP], "partnership_id", partnership_id);
    dates_ordered(req, v[TP_STARTED].s ? v[TP_STARTED].day : DB_NO_DAY, &v[TP_FINISHED]);
    int provider_led = v[TP_PARTNERSHIP].s != NULL;
    if (!provider_led && v[TP_SCHEDULE].s)
        response_error_add(req, "schedule_identifier",
                           "schedule_identifier needs a partnership_id (school-led training has "
                           "no schedule)");
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_school_period sp;
    struct ad_partnership pa;
    struct ad_training_period tp;
    memset(&tp, 0, sizeof(tp));
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_school_period_get_by_api(db, id, req->arena, &sp)) ||
        (rc = db_ad_teacher_lock(db, sp.teacher_pk)))
        goto fail;
    if (provider_led && (rc = db_ad_partnership_get_by_api(db, partnership_id, req->arena, &pa)))
        goto fail;
    ids_uuid_v4(tp.api_id);
    tp.school_period_pk = sp.pk;
    tp.started_on = v[TP_STARTED].day;
    tp.finished_on = day_or_none(&v[TP_FINISHED]);
    tp.provider_led = provider_led;
    if (provider_led) {
        if (pa.school_pk != sp.school_pk)
            response_error_add(req, "partnership_id",
                               "The partnership is not with the school of this school period");
        else if (pick_schedule(req, &sp, &pa, v[TP_SCHEDULE].s, &tp, &rc) && rc)
            goto fail;
        if (response_has_errors(req)) {
            db_rollback(db);
            response_errors_send(req, 422);
            return;
        }
        tp.partnership_pk = pa.pk;
        memcpy(tp.lead_provider_id, pa.lead_provider_id, 16);
        tp.cohort = pa.cohort;
    }
    /* A new training period is a 1.5 updated_at fact (dates, schedule, partnership). */
    if ((rc = db_ad_training_period_insert(db, &tp, req->now_us)) ||
        (rc = db_teacher_touch(db, sp.teacher_pk, req->now_us, 0)) ||
        (rc = db_teacher_metadata_rebuild(db, sp.teacher_pk, req->now_us)) ||
        (rc = db_ad_training_period_get(db, tp.pk, req->arena, &tp)))
        goto fail;
    /* Spec 4.6: a mentor training period can make a mentor funding-eligible. */
    if (strcmp(sp.role, "mentor") == 0 &&
        admin_statements_funding_eligibility(req, sp.teacher_pk, STATEMENT_ROLE_MENTOR))
        return;
    if (ad_commit(req))
        return;
    response_json(req, 201, render_training_period(&tp));
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}

static const struct field_spec training_period_update_fields[] = {
    {"finished_on", FIELD_DATE, FIELD_REQUIRED | FIELD_NULLABLE, NULL},
};

void admin_data_training_periods_update(struct request *req)
{
    uint8_t id[16];
    struct field_value v[1];
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, training_period_update_fields, 1, v);
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_training_period tp;
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_training_period_get_by_api(db, id, req->arena, &tp)) ||
        (rc = db_ad_teacher_lock(db, tp.teacher_pk)))
        goto fail;
    dates_ordered(req, tp.started_on, &v[0]);
    if (response_has_errors(req)) {
        db_rollback(db);
        response_errors_send(req, 422);
        return;
    }
    int32_t finished = day_or_none(&v[0]);
    if (finished != tp.finished_on &&
        ((rc = db_ad_training_period_finish(db, tp.pk, finished, req->now_us)) ||
         (rc = db_teacher_touch(db, tp.teacher_pk, req->now_us, 0)) ||
         (rc = db_teacher_metadata_rebuild(db, tp.teacher_pk, req->now_us))))
        goto fail;
    if ((rc = db_ad_training_period_get(db, tp.pk, req->arena, &tp)))
        goto fail;
    if (ad_commit(req))
        return;
    response_json(req, 200, render_training_period(&tp));
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}

/* ------------------------------------------------------------------ mentorships */

enum { MS_ECT, MS_MENTOR, MS_STARTED, MS_FINISHED, MS__MAX };
static const struct field_spec mentorship_fields[MS__MAX] = {
    {"ect_school_period_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"mentor_school_period_id", FIELD_STRING, FIELD_REQUIRED, NULL},
    {"started_on", FIELD_DATE, FIELD_REQUIRED, NULL},
    {"finished_on", FIELD_DATE, FIELD_NULLABLE, NULL},
};

void admin_data_mentorships_create(struct request *req)
{
    struct field_value v[MS__MAX];
    uint8_t ect_id[16], mentor_id[16];
    fields_parse(req, req->json, mentorship_fields, MS__MAX, v);
    ad_uuid_field(req, &v[MS_ECT], "ect_school_period_id", ect_id);
    ad_uuid_field(req, &v[MS_MENTOR], "mentor_school_period_id", mentor_id);
    dates_ordered(req, v[MS_STARTED].s ? v[MS_STARTED].day : DB_NO_DAY, &v[MS_FINISHED]);
    if (ad_send_422(req))
        return;
    struct db *db = req->env->db;
    struct ad_school_period ect, mentor;
    struct ad_mentorship m;
    memset(&m, 0, sizeof(m));
    int rc = db_begin(db);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_ad_school_period_get_by_api(db, ect_id, req->arena, &ect)) ||
        (rc = db_ad_school_period_get_by_api(db, mentor_id, req->arena, &mentor)))
        goto fail;
    if (strcmp(ect.role, "ect") != 0)
        response_error_add(req, "ect_school_period_id",
                           "ect_school_period_id must be an ECT school period");
    if (strcmp(mentor.role, "mentor") != 0)
        response_error_add(req, "mentor_school_period_id",
                           "mentor_school_period_id must be a mentor school period");
    else if (mentor.teacher_pk == ect.teacher_pk)
        response_error_add(req, "mentor_school_period_id",
                           "A participant cannot mentor themselves");
    if (response_has_errors(req)) {
        db_rollback(db);
        response_errors_send(req, 422);
        return;
    }
    ids_uuid_v4(m.api_id);
    m.ect_school_period_pk = ect.pk;
    m.mentor_school_period_pk = mentor.pk;
    m.started_on = v[MS_STARTED].day;
    m.finished_on = day_or_none(&v[MS_FINISHED]);
    int changed = 0;
    /* The ECT's assigned mentor (metadata) is a 1.5 updated_at fact: touch only when it
     * changed. */
    if ((rc = db_ad_teacher_lock(db, ect.teacher_pk)) ||
        (rc = db_ad_mentorship_insert(db, &m, req->now_us)) ||
        (rc = db_teacher_metadata_rebuild_ex(db, ect.teacher_pk, req->now_us, &changed)) ||
        (changed && (rc = db_teacher_touch(db, ect.teacher_pk, req->now_us, 0))) ||
        (rc = db_ad_mentorship_get(db, m.pk, req->arena, &m)))
        goto fail;
    if (ad_commit(req))
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(m.api_id));
    json_object_object_add(o, "ect_school_period_id", ad_json_uuid(m.ect_school_period_api_id));
    json_object_object_add(o, "mentor_school_period_id",
                           ad_json_uuid(m.mentor_school_period_api_id));
    json_object_object_add(o, "started_on", ad_json_date(m.started_on));
    json_object_object_add(o, "finished_on", ad_json_date(m.finished_on));
    json_object_object_add(o, "created_at", ad_json_ts(m.created_at_us));
    response_json(req, 201, o);
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}

/* ------------------------------------------------------------------ induction periods */

enum { IP_STARTED, IP_FINISHED, IP_OUTCOME, IP__MAX };
static const struct field_spec induction_fields[IP__MAX] = {
    {"started_on", FIELD_DATE, FIELD_REQUIRED, NULL},
    {"finished_on", FIELD_DATE, FIELD_NULLABLE, NULL},
    {"outcome", FIELD_STRING, FIELD_NULLABLE, NULL},
};

void admin_data_induction_periods_create(struct request *req)
{
    uint8_t id[16];
    struct field_value v[IP__MAX];
    if (ad_path_uuid(req, "id", id))
        return;
    fields_parse(req, req->json, induction_fields, IP__MAX, v);
    dates_ordered(req, v[IP_STARTED].s ? v[IP_STARTED].day : DB_NO_DAY, &v[IP_FINISHED]);
    const char *outcome = v[IP_OUTCOME].s;
    if (outcome && strcmp(outcome, "pass") != 0 && strcmp(outcome, "fail") != 0)
        response_error_add(req, "outcome", "outcome must be pass or fail");
    else if (outcome && day_or_none(&v[IP_FINISHED]) == DB_NO_DAY)
        response_error_add(req, "outcome", "An outcome needs finished_on");
    if (ad_send_422(req))
        return;
    struct ad_teacher t;
    if (begin_with_teacher(req, id, &t))
        return;
    struct db *db = req->env->db;
    struct ad_induction_period ip = {.teacher_pk = t.pk,
                                     .started_on = v[IP_STARTED].day,
                                     .finished_on = day_or_none(&v[IP_FINISHED]),
                                     .outcome = outcome};
    ids_uuid_v4(ip.api_id);
    int rc;
    /* Induction periods are a 1.5 updated_at fact (and may make an ECT eligible for funding,
     * below); completion also decides transfers. */
    if ((rc = db_ad_induction_period_insert(db, &ip, req->now_us)) ||
        (rc = db_teacher_touch(db, t.pk, req->now_us, 0)) ||
        (rc = db_teacher_metadata_rebuild(db, t.pk, req->now_us)))
        goto fail;
    /* Spec 4.6: an induction period covering today can complete funding eligibility. */
    if (admin_statements_funding_eligibility(req, t.pk, STATEMENT_ROLE_ECT))
        return;
    if (ad_commit(req))
        return;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", ad_json_uuid(ip.api_id));
    json_object_object_add(o, "participant_id", ad_json_uuid(t.api_id));
    json_object_object_add(o, "started_on", ad_json_date(ip.started_on));
    json_object_object_add(o, "finished_on", ad_json_date(ip.finished_on));
    json_object_object_add(o, "outcome", nullable_string(ip.outcome));
    json_object_object_add(o, "created_at", ad_json_ts(ip.created_at_us));
    response_json(req, 201, o);
    return;
fail:
    ad_fail(req, rc, NULL, NULL);
}
