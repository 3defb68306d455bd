/* GET /api/v3/participants and /api/v3/participants/{id} (spec 1.2-1.5, 6): parse the
 * filters, read the page through db_participants, derive every enrolment field with
 * domain/participant_rules, render. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_participants.h"
#include "domain/participant_rules.h"
#include "http/dispatch.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/v3.h"

#define COHORT_MAX_DIGITS 6

/* ---- rendering ---- */

static const char *mentor_id_of(struct arena *a, const struct db_participant *t,
                                const struct db_participant_enrolment *e, int32_t today)
{
    struct participant_mentorship *ms = arena_calloc(a, t->nmentorships + 1, sizeof(*ms));
    for (size_t i = 0; i < t->nmentorships; i++)
        ms[i] = t->mentorships[i].m;
    size_t k = participant_mentor_pick(ms, t->nmentorships, e->period.school_period_id, today);
    return k == PARTICIPANT_NONE ? NULL : t->mentorships[ms[k].mentor_id].mentor_api_id;
}

/* {reason, date} with the reason in its dashed API form (stored dashed; an underscored legacy
 * value is mapped). */
static json_object *action_detail(const char *api_reason, int64_t at)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "reason", v3_str(api_reason));
    json_object_object_add(o, "date", v3_ts(at));
    return o;
}

static const char *withdrawal_reason(const char *stored)
{
    enum participant_withdrawal_reason r;
    if (!participant_withdrawal_reason_parse(stored, &r) ||
        !participant_withdrawal_reason_from_stored(stored, &r))
        return participant_withdrawal_reason_name(r);
    return "other";
}

static const char *deferral_reason(const char *stored)
{
    enum participant_deferral_reason r;
    if (!participant_deferral_reason_parse(stored, &r) ||
        !participant_deferral_reason_from_stored(stored, &r))
        return participant_deferral_reason_name(r);
    return "other";
}

static json_object *render_enrolment(struct arena *a, const struct db_participant *t,
                                     enum participant_role role, int32_t today)
{
    const struct db_participant_enrolment *e = &t->enrolment[role];
    struct participant_enrolment_fields f;
    char cohort[16];
    participant_enrolment_fields_of(&t->facts, t->inductions, t->ninductions, role, &f);
    int32_t completed = participant_completed_on(&t->facts, t->inductions, t->ninductions, role);
    enum participant_training_status ts = participant_training_status_of(&e->period);
    enum participant_status ps = participant_status_of(&e->period, completed, today);
    const char *mentor = role == PARTICIPANT_ECT ? mentor_id_of(a, t, e, today) : NULL;
    xsnprintf(cohort, sizeof(cohort), "%d", e->cohort);

    json_object *o = json_object_new_object();
    json_object_object_add(o, "training_record_id",
                           json_object_new_string(t->training_record_id[role]));
    json_object_object_add(o, "email", json_object_new_string(e->email));
    json_object_object_add(o, "mentor_id", v3_str(mentor));
    json_object_object_add(o, "school_urn", json_object_new_string(e->school_urn));
    json_object_object_add(o, "participant_type",
                           json_object_new_string(participant_type_name(role)));
    json_object_object_add(o, "cohort", json_object_new_string(cohort));
    json_object_object_add(o, "training_status",
                           json_object_new_string(participant_training_status_name(ts)));
    json_object_object_add(o, "participant_status",
                           json_object_new_string(participant_status_name(ps)));
    json_object_object_add(
        o, "eligible_for_funding",
        f.eligible_for_funding == PARTICIPANT_NULL
            ? NULL
            : json_object_new_boolean(f.eligible_for_funding == PARTICIPANT_TRUE));
    json_object_object_add(
        o, "pupil_premium_uplift",
        json_object_new_boolean(e->uplift_fees_enabled && e->pupil_premium_uplift));
    json_object_object_add(o, "sparsity_uplift",
                           json_object_new_boolean(e->uplift_fees_enabled && e->sparsity_uplift));
    json_object_object_add(o, "schedule_identifier",
                           json_object_new_string(e->schedule_identifier));
    json_object_object_add(o, "delivery_partner_id",
                           json_object_new_string(e->delivery_partner_id));
    json_object_object_add(
        o, "withdrawal",
        ts == PARTICIPANT_TRAINING_WITHDRAWN
            ? action_detail(withdrawal_reason(e->withdrawal_reason), e->period.withdrawn_at)
            : NULL);
    json_object_object_add(
        o, "deferral",
        ts == PARTICIPANT_TRAINING_DEFERRED
            ? action_detail(deferral_reason(e->deferral_reason), e->period.deferred_at)
            : NULL);
    json_object_object_add(o, "created_at", v3_ts(e->created_at_us));
    json_object_object_add(o, "induction_end_date", v3_date(f.induction_end_date));
    json_object_object_add(o, "most_recent_induction_period_end_date",
                           v3_date(f.most_recent_induction_period_end_date));
    json_object_object_add(o, "overall_induction_start_date",
                           v3_date(f.overall_induction_start_date));
    json_object_object_add(o, "mentor_funding_end_date", v3_date(f.mentor_funding_end_date));
    json_object_object_add(o, "cohort_changed_after_payments_frozen",
                           json_object_new_boolean(f.cohort_changed_after_payments_frozen));
    json_object_object_add(o, "mentor_ineligible_for_funding_reason",
                           v3_str(participant_mentor_reason_name(f.mentor_ineligible_reason)));
    json_object_object_add(o, "working_pattern",
                           role == PARTICIPANT_ECT ? v3_str(e->working_pattern) : NULL);
    return o;
}

static json_object *render(struct arena *a, const struct db_participant *t, int32_t today)
{
    json_object *enrolments = json_object_new_array();
    for (int role = 0; role < PARTICIPANT_ROLE__MAX; role++)
        if (t->enrolment[role].present)
            json_object_array_add(enrolments,
                                  render_enrolment(a, t, (enum participant_role)role, today));
    json_object *changes = json_object_new_array();
    for (size_t i = 0; i < t->nchanges; i++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "from_participant_id",
                               json_object_new_string(t->changes[i].from));
        json_object_object_add(c, "to_participant_id", json_object_new_string(t->changes[i].to));
        json_object_object_add(c, "changed_at", v3_ts(t->changes[i].changed_at_us));
        json_object_array_add(changes, c);
    }
    json_object *attrs = json_object_new_object();
    json_object_object_add(attrs, "full_name", json_object_new_string(t->full_name));
    json_object_object_add(attrs, "teacher_reference_number", v3_str(t->trn));
    json_object_object_add(attrs, "updated_at", v3_ts(t->updated_at_us));
    json_object_object_add(attrs, "ecf_enrolments", enrolments);
    json_object_object_add(attrs, "participant_id_changes", changes);
    return v3_resource(t->api_id, "participant", attrs);
}

/* ---- filters ---- */

/* filter[cohort]: comma-separated years; tokens that are not all digits are dropped. Sets
 * *out to the normalised list ("2021,2022"), or NULL when the filter is absent or blank.
 * Returns 0, or -1 when every token was dropped (the answer is an empty list). */
static int cohorts_of(struct arena *a, const char *v, const char **out)
{
    *out = NULL;
    if (!v || !*v)
        return 0;
    char *buf = arena_alloc(a, strlen(v) + 1);
    size_t o = 0;
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        size_t digits = strspn(p, "0123456789");
        if (len > 0 && digits == len && len <= COHORT_MAX_DIGITS) {
            if (o)
                buf[o++] = ',';
            while (len > 1 && *p == '0') /* "02021" is 2021, as to_i reads it */
                p++, len--;
            memcpy(buf + o, p, len);
            o += len;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    buf[o] = '\0';
    if (!o)
        return -1;
    *out = buf;
    return 0;
}

/* filter[training_status]: NULL when absent or blank; -1 for any other value (empty list). */
static int training_status_of(const char *v, const char **out)
{
    *out = NULL;
    if (!v || !*v)
        return 0;
    for (int s = 0; s < PARTICIPANT_TRAINING__MAX; s++)
        if (!strcmp(v, participant_training_status_name((enum participant_training_status)s))) {
            *out = participant_training_status_name((enum participant_training_status)s);
            return 0;
        }
    return -1;
}

static void reply_page(struct request *req, const int64_t *ids, size_t n)
{
    struct db_participant *ts;
    int rc = db_participant_load(req->env->db, req->who.lead_provider_id, ids, n, req->arena, &ts);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        if (ts[i].id) /* a teacher removed between the two reads is skipped */
            json_object_array_add(data, render(req->arena, &ts[i], req->today));
    v3_reply(req, data);
}

void participants_list(struct request *req)
{
    struct pagination pg;
    struct db_participant_filter f;
    const char *from;
    uint8_t from_id[16];
    int64_t *ids;
    size_t n;
    int rc;

    if (pagination_parse_or_reply(req, 1, &pg))
        return;
    memset(&f, 0, sizeof(f));
    f.lead_provider_id = req->who.lead_provider_id;
    f.page = &pg;
    if (cohorts_of(req->arena, pagination_filter(req, "cohort"), &f.cohorts) ||
        training_status_of(pagination_filter(req, "training_status"), &f.training_status))
        goto empty;
    from = pagination_filter(req, "from_participant_id");
    if (from && *from) {
        if (ids_uuid_parse(from, from_id))
            goto empty;
        rc = db_participant_find_changed(req->env->db, req->who.lead_provider_id, from_id,
                                         &f.teacher_id);
        if (rc == DB_NOT_FOUND)
            goto empty;
        if (rc) {
            response_db_failure(req, rc);
            return;
        }
    }
    rc = db_participant_page(req->env->db, &f, req->arena, &ids, &n);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    reply_page(req, ids, n);
    return;
empty:
    v3_reply(req, json_object_new_array());
}

int participants_render_one(struct request *req, int64_t teacher_id, json_object **out)
{
    struct db_participant *t;
    int rc = db_participant_load(req->env->db, req->who.lead_provider_id, &teacher_id, 1,
                                 req->arena, &t);
    if (!rc && !t[0].id)
        rc = DB_NOT_FOUND;
    if (!rc)
        *out = render(req->arena, &t[0], req->today);
    return rc;
}

void participants_get(struct request *req)
{
    uint8_t id[16];
    int64_t teacher_id;
    json_object *o = NULL;
    if (v3_uuid_param_or_reply(req, id))
        return;
    int rc = db_participant_find(req->env->db, req->who.lead_provider_id, id, &teacher_id);
    if (!rc)
        rc = participants_render_one(req, teacher_id, &o);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    v3_reply(req, o);
}
