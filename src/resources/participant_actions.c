/* PUT /api/v3/participants/{id}/defer, /withdraw, /resume, /change-schedule (spec section 2).
 * Each request: check the body's shape (400), then in one transaction lock the teacher the
 * provider sees (404 otherwise), run the pure rule of domain/participant_rules (422 with every
 * error it reports), write the change, its audit event, updated_at and the teacher's lead
 * provider metadata, and answer 200 with the participant as GET /participants/{id} shows it. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_admin_data.h"
#include "db/db_audit.h"
#include "db/db_participant_actions.h"
#include "db/db_participants.h"
#include "db/db_teacher_metadata.h"
#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/v3.h"

enum action { ACT_DEFER, ACT_WITHDRAW, ACT_RESUME, ACT_CHANGE_SCHEDULE, ACT__MAX };
enum attr { A_COURSE, A_REASON, A_SCHEDULE, A_COHORT, A__MAX };

static const char *const attr_names[A__MAX] = {"course_identifier", "reason", "schedule_identifier",
                                               "cohort"};
#define BIT(a) (1u << (a))
/* The attributes each action permits (2.1); others are ignored. */
static const unsigned permitted[ACT__MAX] = {
    [ACT_DEFER] = BIT(A_COURSE) | BIT(A_REASON),
    [ACT_WITHDRAW] = BIT(A_COURSE) | BIT(A_REASON),
    [ACT_RESUME] = BIT(A_COURSE),
    [ACT_CHANGE_SCHEDULE] = BIT(A_COURSE) | BIT(A_SCHEDULE) | BIT(A_COHORT),
};
static const char *const events[ACT__MAX] = {"participant.deferred", "participant.withdrawn",
                                             "participant.resumed", "participant.schedule_changed"};

/* One action in progress. */
struct action_ctx {
    struct request *req;
    struct db *db;
    enum action act;
    const char *v[A__MAX]; /* attribute values as text; NULL absent or null */
    struct db_pa_teacher t;
    struct participant_period *pp;  /* t.periods[i].p, for the pure rules */
    const struct db_pa_period *cur; /* the provider's latest period of the role, or NULL */
    size_t cur_index;
    enum participant_role role;
    /* what the audit event records */
    int64_t audit_tp;
    const char *status_before, *status_after;
    json_object *details;
};

/* ---- body shape (2.1) ---- */

/* An attribute's text: strings as they are, numbers and booleans as their JSON text (a form
 * parameter would arrive as text too); null, objects and arrays count as absent. */
static const char *attr_text(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_string:
        return json_object_get_string(v);
    case json_type_int:
    case json_type_double:
    case json_type_boolean:
        return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
    default:
        return NULL;
    }
}

/* 0 when the body is {"data": {..., "attributes": {<at least one permitted key>}}}; else -1
 * (400). Fills c->v. */
static int parse_body(struct action_ctx *c)
{
    json_object *data, *attrs;
    if (!json_object_object_get_ex(c->req->json, "data", &data) ||
        !json_object_is_type(data, json_type_object) ||
        !json_object_object_get_ex(data, "attributes", &attrs) ||
        !json_object_is_type(attrs, json_type_object))
        return -1;
    int found = 0;
    for (int i = 0; i < A__MAX; i++) {
        json_object *v;
        if (!(permitted[c->act] & BIT(i)) || !json_object_object_get_ex(attrs, attr_names[i], &v))
            continue;
        if (v &&
            (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array)))
            continue; /* not a permitted scalar: dropped, as Rails' permit does */
        c->v[i] = v ? attr_text(v) : NULL;
        found++;
    }
    return found ? 0 : -1;
}

/* ---- helpers ---- */

static void send_errors(struct request *req, const struct participant_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        response_error_add(req, participant_error_title(e->e[i]),
                           participant_error_detail(e->e[i]));
    response_errors_send(req, 422);
}

static const char *training_status(const struct participant_period *p)
{
    return participant_training_status_name(participant_training_status_of(p));
}

static json_object *from_to(json_object *from, json_object *to)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "from", from);
    json_object_object_add(o, "to", to);
    return o;
}

static json_object *day_json(int32_t d)
{
    return v3_date(d);
}

static void action_facts(const struct action_ctx *c, struct participant_action_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->today = c->req->today;
    f->course_identifier = c->v[A_COURSE];
    f->reason = c->v[A_REASON];
    f->has_period = c->cur != NULL;
    f->school_started_on = PARTICIPANT_NO_DAY;
    f->school_finished_on = PARTICIPANT_NO_DAY;
    if (c->cur) {
        f->period = c->cur->p;
        f->other_covers_today =
            participant_other_covers(c->pp, c->t.nperiods, c->cur_index, c->req->today);
        f->school_started_on = c->cur->school_started_on;
        f->school_finished_on = c->cur->school_finished_on;
    }
}

/* Return values of the steps below: applied, rule errors already answered (422), or a db
 * error in *rc. */
enum step { STEP_DONE, STEP_REFUSED, STEP_DB_ERROR };

/* ---- defer and withdraw (2.3, 2.4) ---- */

static enum step stop(struct action_ctx *c, int *rc)
{
    struct participant_action_facts f;
    struct participant_errors e;
    action_facts(c, &f);
    int defer = c->act == ACT_DEFER;
    if ((defer ? participant_check_defer(&f, &e) : participant_check_withdraw(&f, &e)) !=
        PARTICIPANT_OK) {
        send_errors(c->req, &e);
        return STEP_REFUSED;
    }
    const char *reason;
    if (defer) {
        enum participant_deferral_reason r = PARTICIPANT_DEFERRAL_OTHER;
        (void)participant_deferral_reason_parse(c->v[A_REASON], &r);
        reason = participant_deferral_reason_name(r);
    } else {
        enum participant_withdrawal_reason r = PARTICIPANT_WITHDRAWAL_OTHER;
        (void)participant_withdrawal_reason_parse(c->v[A_REASON], &r);
        reason = participant_withdrawal_reason_name(r);
    }
    int32_t finished = participant_stop_finished_on(&c->cur->p, c->req->today);
    if ((*rc = db_pa_stop(c->db, c->cur->p.id, defer ? DB_PA_DEFER : DB_PA_WITHDRAW, reason,
                          c->req->now_us, finished, c->req->now_us)))
        return STEP_DB_ERROR;
    c->audit_tp = c->cur->p.id;
    c->status_before = training_status(&c->cur->p);
    c->status_after = defer ? "deferred" : "withdrawn";
    json_object_object_add(c->details, "reason", json_object_new_string(reason));
    json_object_object_add(c->details, "finished_on",
                           from_to(day_json(c->cur->p.finished_on), day_json(finished)));
    return STEP_DONE;
}

/* ---- resume (2.5) ---- */

static enum step resume(struct action_ctx *c, int *rc)
{
    struct participant_action_facts f;
    struct participant_errors e;
    action_facts(c, &f);
    if (participant_check_resume(&f, &e) != PARTICIPANT_OK) {
        send_errors(c->req, &e);
        return STEP_REFUSED;
    }
    /* A new period from today to the school period's end, same partnership and schedule; the
     * old one keeps its deferral or withdrawal. */
    struct ad_training_period tp;
    memset(&tp, 0, sizeof(tp));
    ids_uuid_v4(tp.api_id);
    tp.school_period_pk = (uint64_t)c->cur->p.school_period_id;
    tp.provider_led = 1;
    tp.partnership_pk = (uint64_t)c->cur->partnership_id;
    memcpy(tp.lead_provider_id, c->req->who.lead_provider_id, 16);
    tp.cohort = c->cur->cohort;
    tp.schedule_id = c->cur->schedule_id;
    tp.started_on = c->req->today;
    tp.finished_on = c->cur->school_finished_on;
    if ((*rc = db_ad_training_period_insert(c->db, &tp, c->req->now_us)))
        return STEP_DB_ERROR;
    c->audit_tp = (int64_t)tp.pk;
    c->status_before = training_status(&c->cur->p);
    c->status_after = "active";
    json_object_object_add(c->details, "previous_training_period_id",
                           json_object_new_int64(c->cur->p.id));
    json_object_object_add(c->details, "finished_on", day_json(tp.finished_on));
    return STEP_DONE;
}

/* ---- change-schedule (2.6) ---- */

static unsigned schedule_row_id(int cohort, enum schedule_id id)
{
    return (unsigned)(cohort * 100 + (int)id + 1);
}

/* Facts that need the database: the partnership for a cohort change and the declarations
 * re-validation. */
static int schedule_facts(struct action_ctx *c, struct participant_change_schedule_facts *f,
                          const struct participant_schedule_target *t, int64_t *partnership_id)
{
    int rc;
    const struct db_pa_period *cur = c->cur;
    *partnership_id = cur->partnership_id;
    f->partnership_in_target = 1;
    if (t->cohort != cur->cohort) {
        rc = db_pa_partnership_find(c->db, cur->school_id, c->req->who.lead_provider_id, t->cohort,
                                    cur->delivery_partner_id, partnership_id);
        if (rc == DB_NOT_FOUND)
            f->partnership_in_target = 0;
        else if (rc)
            return rc;
    }
    if (t->schedule_exists && cur->p.started_on >= c->req->today) {
        struct schedule_milestone *ms;
        struct schedule_declared *ds;
        size_t nms, nds;
        if ((rc = db_pa_milestones(c->db, schedule_row_id(t->cohort, t->schedule), t->cohort,
                                   t->schedule, c->req->arena, &ms, &nms)) ||
            (rc = db_pa_declarations(c->db, cur->p.id, c->req->arena, &ds, &nds)))
            return rc;
        f->declarations_invalid =
            schedule_declarations_invalid(ms, nms, t->cohort, t->schedule, ds, nds);
    }
    return DB_OK;
}

static enum step change_schedule(struct action_ctx *c, int *rc)
{
    struct participant_change_schedule_facts f;
    struct participant_schedule_target t;
    struct participant_errors e;
    struct schedule_cohort *cs;
    struct schedule_def *ss;
    size_t ncs, nss;
    int64_t partnership_id = 0;
    memset(&t, 0, sizeof(t));
    if ((*rc = db_ad_cohort_list(c->db, c->req->arena, &cs, &ncs)) ||
        (*rc = db_ad_schedule_list(c->db, c->req->arena, &ss, &nss)))
        return STEP_DB_ERROR;
    memset(&f, 0, sizeof(f));
    f.today = c->req->today;
    f.now = c->req->now_us;
    f.course_identifier = c->v[A_COURSE];
    f.schedule_identifier = c->v[A_SCHEDULE];
    f.cohort = c->v[A_COHORT];
    f.cohorts = cs;
    f.n_cohorts = ncs;
    f.schedules = ss;
    f.n_schedules = nss;
    f.completed_on = PARTICIPANT_NO_DAY;
    f.school_finished_on = PARTICIPANT_NO_DAY;
    f.current_schedule = SCHEDULE_ID__MAX;
    if (c->cur) {
        f.has_period = 1;
        f.period = c->cur->p;
        f.current_cohort = c->cur->cohort;
        f.current_schedule = c->cur->schedule;
        f.completed_on =
            participant_completed_on(&c->t.facts, c->t.inductions, c->t.ninductions, c->role);
        f.payments_frozen_year = c->role == PARTICIPANT_ECT
                                     ? c->t.facts.ect_payments_frozen_year
                                     : c->t.facts.mentor_payments_frozen_year;
        f.later_period_exists = participant_later_period_exists(c->pp, c->t.nperiods, c->cur_index);
        f.school_finished_on = c->cur->school_finished_on;
        participant_change_schedule_target(&f, &t);
        if ((*rc = schedule_facts(c, &f, &t, &partnership_id)))
            return STEP_DB_ERROR;
    }
    /* The rule reports an error whenever there is no period (!c->cur). */
    if (participant_check_change_schedule(&f, &e) != PARTICIPANT_OK || !c->cur) {
        send_errors(c->req, &e);
        return STEP_REFUSED;
    }
    struct participant_schedule_plan plan;
    participant_change_schedule_plan(&f, &t, &plan);
    unsigned sid = schedule_row_id(t.cohort, t.schedule);
    if (plan.frozen_year_write &&
        (*rc = db_pa_frozen_year(c->db, c->t.id, c->role, plan.frozen_year)))
        return STEP_DB_ERROR;
    if (plan.in_place) {
        if ((*rc = db_pa_reschedule(c->db, c->cur->p.id, partnership_id, t.cohort, sid,
                                    plan.cohort_changes, c->req->now_us)))
            return STEP_DB_ERROR;
        c->audit_tp = c->cur->p.id;
    } else {
        /* The current period ends yesterday; a new one starts today (declarations stay). */
        struct ad_training_period tp;
        memset(&tp, 0, sizeof(tp));
        ids_uuid_v4(tp.api_id);
        tp.school_period_pk = (uint64_t)c->cur->p.school_period_id;
        tp.provider_led = 1;
        tp.partnership_pk = (uint64_t)partnership_id;
        memcpy(tp.lead_provider_id, c->req->who.lead_provider_id, 16);
        tp.cohort = t.cohort;
        tp.schedule_id = sid;
        tp.started_on = c->req->today;
        tp.finished_on = plan.new_finished_on;
        if ((*rc = db_ad_training_period_finish(c->db, (uint64_t)c->cur->p.id, plan.old_finished_on,
                                                c->req->now_us)) ||
            (*rc = db_ad_training_period_insert(c->db, &tp, c->req->now_us)))
            return STEP_DB_ERROR;
        c->audit_tp = (int64_t)tp.pk;
        json_object_object_add(c->details, "previous_training_period_id",
                               json_object_new_int64(c->cur->p.id));
    }
    c->status_before = training_status(&c->cur->p);
    c->status_after = c->status_before;
    json_object_object_add(c->details, "schedule",
                           from_to(json_object_new_string(schedule_identifier(c->cur->schedule)),
                                   json_object_new_string(schedule_identifier(t.schedule))));
    json_object_object_add(
        c->details, "cohort",
        from_to(json_object_new_int(c->cur->cohort), json_object_new_int(t.cohort)));
    json_object_object_add(c->details, "in_place", json_object_new_boolean(plan.in_place));
    if (plan.frozen_year_write)
        json_object_object_add(c->details, "payments_frozen_year",
                               plan.frozen_year ? json_object_new_int(plan.frozen_year) : NULL);
    return STEP_DONE;
}

/* ---- the request ---- */

static int audit(struct action_ctx *c)
{
    struct audit_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.occurred_at_us = c->req->now_us;
    ev.event = events[c->act];
    ev.token_jti = c->req->who.jti;
    ev.request_id = c->req->request_id;
    ev.teacher_id = c->t.id;
    ev.training_period_id = c->audit_tp;
    ev.status_before = c->status_before;
    ev.status_after = c->status_after;
    ev.details = json_object_to_json_string_ext(c->details, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    return db_audit_insert(c->db, &ev);
}

static void put_json(void *obj)
{
    json_object_put(obj);
}

static void run(struct request *req, enum action act)
{
    struct action_ctx c;
    uint8_t id[16];
    struct db_participant_doc_row doc;
    int rc = DB_OK;
    memset(&c, 0, sizeof(c));
    c.req = req;
    c.db = req->env->db;
    c.act = act;
    if (parse_body(&c)) {
        response_bad_json(req);
        return;
    }
    if (v3_uuid_param_or_reply(req, id))
        return;
    c.details = json_object_new_object();
    arena_on_reset(req->arena, put_json, c.details);
    if ((rc = db_begin(c.db))) {
        response_db_failure(req, rc);
        return;
    }
    if ((rc = db_pa_lock_load(c.db, req->who.lead_provider_id, id, act == ACT_CHANGE_SCHEDULE,
                              req->arena, &c.t)))
        goto fail;
    c.pp = arena_calloc(req->arena, c.t.nperiods + 1, sizeof(*c.pp));
    for (size_t i = 0; i < c.t.nperiods; i++)
        c.pp[i] = c.t.periods[i].p;
    c.cur_index = PARTICIPANT_NONE;
    if (participant_course_parse(c.v[A_COURSE], &c.role) == 0) {
        c.cur_index = participant_latest_period(c.pp, c.t.nperiods, 1, c.role);
        json_object_object_add(c.details, "course_identifier",
                               json_object_new_string(participant_course_identifier(c.role)));
    }
    c.cur = c.cur_index == PARTICIPANT_NONE ? NULL : &c.t.periods[c.cur_index];

    enum step s;
    if (act == ACT_DEFER || act == ACT_WITHDRAW)
        s = stop(&c, &rc);
    else if (act == ACT_RESUME)
        s = resume(&c, &rc);
    else
        s = change_schedule(&c, &rc);
    if (s == STEP_REFUSED) {
        db_rollback(c.db);
        return;
    }
    if (s == STEP_DB_ERROR)
        goto fail;
    /* Every action changes a 1.5 updated_at fact of a training period. */
    if ((rc = db_teacher_touch(c.db, (uint64_t)c.t.id, req->now_us, 0)) ||
        (rc = db_teacher_metadata_rebuild(c.db, (uint64_t)c.t.id, req->now_us)) ||
        (rc = audit(&c)) || (rc = participants_doc_load(req, id, &doc)) || (rc = db_commit(c.db)))
        goto fail;
    participants_doc_reply(req, &doc);
    return;
fail:
    db_rollback(c.db);
    response_db_error(req, rc);
}

void participant_actions_defer(struct request *req)
{
    run(req, ACT_DEFER);
}

void participant_actions_withdraw(struct request *req)
{
    run(req, ACT_WITHDRAW);
}

void participant_actions_resume(struct request *req)
{
    run(req, ACT_RESUME);
}

void participant_actions_change_schedule(struct request *req)
{
    run(req, ACT_CHANGE_SCHEDULE);
}
