/* /api/v3/participant-declarations (spec section 4, decisions 3 and 13): parse, gather the
 * facts, let domain/declaration_rules decide, persist in one transaction, render.
 *
 * Concurrency: a POST and a void lock the teacher row first (FOR UPDATE), then read the
 * teacher's counting declarations with a locking read, so declarations of one teacher are
 * made one at a time and an identical second POST sees the first one committed (and answers
 * it, decision 3). The unique key uq_declarations_counting is the backstop: a duplicate-key
 * error (or a deadlock) rolls everything back and the request runs again from the start. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_audit.h"
#include "db/db_declarations.h"
#include "db/db_statements.h"
#include "db/db_teacher_metadata.h"
#include "domain/declaration_rules.h"
#include "domain/participant_rules.h"
#include "http/dispatch.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/declarations.h"
#include "resources/v3.h"

#define ATTEMPTS 4
#define TYPE "participant-declaration"
#define MENTOR_COMPLETED "completed_declaration_received"

/* ------------------------------------------------------------------ rendering */

static json_object *uuid_or_null(const char *s)
{
    return s[0] ? json_object_new_string(s) : NULL;
}

static json_object *render(const struct db_declaration *d)
{
    json_object *a = json_object_new_object();
    json_object_object_add(a, "participant_id", json_object_new_string(d->participant_id));
    json_object_object_add(a, "declaration_type", v3_str(d->type));
    json_object_object_add(a, "declaration_date", v3_ts(d->date_us));
    json_object_object_add(a, "course_identifier", v3_str(d->course));
    json_object_object_add(a, "state", json_object_new_string(decl_state_name(d->state)));
    json_object_object_add(a, "updated_at", v3_ts(d->updated_at_us));
    json_object_object_add(a, "created_at", v3_ts(d->created_at_us));
    json_object_object_add(a, "delivery_partner_id", uuid_or_null(d->delivery_partner_id));
    /* RECT's serializer: a voided declaration shows no statement. */
    json_object_object_add(a, "statement_id",
                           d->state == DECL_VOIDED ? NULL : uuid_or_null(d->statement_id));
    json_object_object_add(a, "clawback_statement_id", uuid_or_null(d->clawback_statement_id));
    json_object_object_add(a, "ineligible_for_funding_reason", NULL);
    json_object_object_add(a, "mentor_id", uuid_or_null(d->mentor_id));
    json_object_object_add(
        a, "uplift_paid",
        json_object_new_boolean(decl_state_paid(d->state) && (d->pp || d->sparsity)));
    json_object_object_add(a, "evidence_held", v3_str(d->evidence));
    json_object_object_add(a, "lead_provider_name", v3_str(d->lead_provider_name));
    return v3_resource(d->api_id, TYPE, a);
}

static void reply_one(struct request *req, int64_t id)
{
    struct db_declaration d;
    int rc = db_decl_get(req->env->db, id, req->arena, &d);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    v3_reply(req, render(&d));
}

/* ------------------------------------------------------------------ POST */

/* data.attributes of the body; NULL (after answering 400) when the structure is wrong or no
 * permitted attribute is there (RECT's ParameterMissing). */
static const char *const permitted[] = {"participant_id", "declaration_type", "declaration_date",
                                        "course_identifier", "evidence_held"};

static json_object *attributes_or_reply(struct request *req)
{
    json_object *data, *attrs;
    if (!json_object_object_get_ex(req->json, "data", &data) ||
        !json_object_is_type(data, json_type_object) ||
        !json_object_object_get_ex(data, "attributes", &attrs) ||
        !json_object_is_type(attrs, json_type_object))
        goto bad;
    for (size_t i = 0; i < sizeof(permitted) / sizeof(permitted[0]); i++)
        if (json_object_object_get_ex(attrs, permitted[i], NULL))
            return attrs;
bad:
    response_bad_json(req);
    return NULL;
}

/* An attribute as text: NULL when absent or null; the JSON text of a non-string value or of a
 * string holding a NUL (\u0000), so that such a value never matches anything. */
static const char *attr_text(struct request *req, json_object *attrs, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(attrs, name, &v) || !v)
        return NULL;
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        if (strlen(s) == (size_t)json_object_get_string_len(v))
            return arena_strdup(req->arena, s);
    }
    return arena_strdup(req->arena, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static void sha256(const char *s, uint8_t out[32])
{
    unsigned len = 0;
    if (!EVP_Digest(s, strlen(s), out, &len, EVP_sha256(), NULL) || len != 32)
        abort(); /* no digest: nothing sensible to store */
}

struct create {
    struct request *req;
    struct decl_request rq;
    struct decl_parsed p;
    enum participant_role role; /* the requested one, mentor when unknown (as RECT) */
    uint8_t sent_sha[32];
    int has_sha;
    struct db_decl_teacher t;
    struct db_decl_period *ps;
    size_t nps;
    size_t latest; /* the caller's latest period of the role, PARTICIPANT_NONE */
    struct db_decl_counting *cs;
    size_t ncs;
    struct decl_dated *dated;
    int64_t statement_id;
    int64_t mentorship_id; /* the ECT's closest mentorship, read with the milestone */
    int has_mentorship;    /* mentorship_id was read */
    struct decl_facts f;
};

/* Audit of one declaration change. */
static int audit(struct request *req, const char *event, int64_t teacher_pk, int64_t tp_id,
                 int64_t decl_id, int64_t statement_id, const char *before, const char *after)
{
    char details[96];
    xsnprintf(details, sizeof(details), "{\"statement_id\":%lld}", (long long)statement_id);
    struct audit_event e = {
        .occurred_at_us = req->now_us,
        .event = event,
        .token_jti = req->who.jti,
        .request_id = req->request_id,
        .teacher_id = teacher_pk,
        .training_period_id = tp_id,
        .declaration_id = decl_id,
        .statement_id = statement_id,
        .status_before = before,
        .status_after = after,
        .details = statement_id ? details : NULL,
    };
    return db_audit_insert(req->env->db, &e);
}

/* Mentor completion (4.5, 4.7) after a mentor `completed` declaration was created or stopped
 * counting: the teacher's funding end date follows the latest counting completed declaration;
 * the caller's latest mentor period is finished (creation) or continued (void). */
static int mentor_completion(struct request *req, const struct db_decl_teacher *t,
                             const struct db_decl_period *ps, size_t nps, int32_t decl_day)
{
    struct db *db = req->env->db;
    struct participant_period *pp = arena_calloc(req->arena, nps + 1, sizeof(*pp));
    for (size_t i = 0; i < nps; i++)
        pp[i] = ps[i].period;
    size_t li = participant_latest_period(pp, nps, 1, PARTICIPANT_MENTOR);
    struct decl_mentor_facts f = {
        .latest_completed_on = DECL_NO_DAY,
        .ineligible_on = t->mentor_ineligible_on,
        .reason_is_completed =
            t->mentor_ineligible_reason && !strcmp(t->mentor_ineligible_reason, MENTOR_COMPLETED),
        .has_period = li != PARTICIPANT_NONE,
        .period_started_on = li != PARTICIPANT_NONE ? pp[li].started_on : DECL_NO_DAY,
        .period_finished_on = li != PARTICIPANT_NONE ? pp[li].finished_on : DECL_NO_DAY,
        .school_period_finished_on =
            li != PARTICIPANT_NONE ? ps[li].school_period_finished_on : DECL_NO_DAY,
        .declaration_day = decl_day,
        .today = req->today,
    };
    struct decl_mentor_plan plan;
    int rc = db_decl_latest_completed_mentor(db, t->pk, &f.latest_completed_on);
    if (rc && rc != DB_NOT_FOUND)
        return rc;
    if (!decl_mentor_completion(&f, &plan))
        return DB_OK;
    if ((plan.set_funding && (rc = db_decl_set_mentor_funding(
                                  db, t->pk, plan.ineligible_on,
                                  plan.ineligible_on == DECL_NO_DAY ? NULL : MENTOR_COMPLETED))) ||
        (plan.finish_period &&
         (rc = db_decl_finish_period(db, pp[li].id, plan.finish_on, req->now_us))) ||
        (plan.new_period &&
         (rc = db_decl_copy_period(db, pp[li].id, plan.new_start, plan.new_end, req->now_us))) ||
        (rc = db_teacher_touch(db, (uint64_t)t->pk, req->now_us, 0)) ||
        (rc = db_teacher_metadata_rebuild(db, (uint64_t)t->pk, req->now_us)))
        return rc;
    struct audit_event e = {.occurred_at_us = req->now_us,
                            .event = "teacher.mentor_completion_changed",
                            .token_jti = req->who.jti,
                            .request_id = req->request_id,
                            .teacher_id = t->pk};
    return db_audit_insert(db, &e);
}

/* Facts of the teacher for the rules; DB errors returned. */
static int gather(struct create *c)
{
    struct request *req = c->req;
    struct db *db = req->env->db;
    struct decl_facts *f = &c->f;
    uint8_t pid[16];
    int rc;

    memset(f, 0, sizeof(*f));
    f->withdrawn_at = DECL_NO_US;
    f->milestone_end = DECL_NO_DAY;
    c->latest = PARTICIPANT_NONE;
    c->ncs = 0;
    if (!c->rq.participant_id || ids_uuid_parse(c->rq.participant_id, pid))
        return DB_OK;
    rc = db_decl_teacher_lock(db, pid, req->arena, &c->t);
    if (rc == DB_NOT_FOUND)
        return DB_OK;
    if (rc)
        return rc;
    f->teacher_found = 1;
    if ((rc = db_decl_periods(db, c->t.pk, req->who.lead_provider_id, req->arena, &c->ps, &c->nps)))
        return rc;
    struct participant_period *pp = arena_calloc(req->arena, c->nps + 1, sizeof(*pp));
    for (size_t i = 0; i < c->nps; i++)
        pp[i] = c->ps[i].period;
    f->registered =
        participant_latest_period(pp, c->nps, 1, PARTICIPANT_ECT) != PARTICIPANT_NONE ||
        participant_latest_period(pp, c->nps, 1, PARTICIPANT_MENTOR) != PARTICIPANT_NONE;
    c->latest = participant_latest_period(pp, c->nps, 1, c->role);
    /* 17: the role's provider-led period covering today (the latest such) in a frozen cohort. */
    size_t cover = PARTICIPANT_NONE;
    for (size_t i = 0; i < c->nps; i++)
        if (pp[i].role == c->role && pp[i].lead_provider_id &&
            participant_period_covers(&pp[i], req->today))
            cover = i;
    if (cover != PARTICIPANT_NONE && c->ps[cover].payments_frozen_at != DECL_NO_US &&
        c->ps[cover].payments_frozen_at <= req->now_us)
        f->frozen_year_today = c->ps[cover].cohort;
    f->eligible_for_funding = c->role == PARTICIPANT_ECT ? c->t.ect_eligible : c->t.mentor_eligible;

    /* The role's counting declarations, whoever made them (8, 20, decision 3). */
    if ((rc = db_decl_counting_list(db, c->t.pk, participant_course_identifier(c->role),
                                    req->who.lead_provider_id, req->arena, &c->cs, &c->ncs)))
        return rc;
    c->dated = arena_calloc(req->arena, c->ncs + 1, sizeof(*c->dated));
    for (size_t i = 0; i < c->ncs; i++) {
        c->dated[i].type = c->cs[i].type;
        c->dated[i].date_us = c->cs[i].date_us;
        if (c->p.has_type && c->cs[i].type == c->p.type)
            f->duplicate = 1;
    }
    f->existing = c->dated;
    f->nexisting = c->ncs;

    if (c->latest == PARTICIPANT_NONE)
        return DB_OK;
    const struct db_decl_period *lp = &c->ps[c->latest];
    f->has_period = 1;
    f->cohort = lp->cohort;
    f->mentor_funding_enabled = lp->mentor_funding_enabled;
    f->detailed_evidence = lp->detailed_evidence;
    if (participant_training_status_of(&lp->period) == PARTICIPANT_TRAINING_WITHDRAWN)
        f->withdrawn_at = lp->period.withdrawn_at;
    c->has_mentorship = 0;
    if (c->p.has_type && c->p.has_date) {
        /* The closest mentorship persist() needs comes in the same round trip. */
        int64_t sp = c->role == PARTICIPANT_ECT ? lp->period.school_period_id : 0;
        rc = db_decl_milestone_mentorship(db, lp->schedule_id, schedule_declaration_name(c->p.type),
                                          sp, clock_day_of(c->p.date_us), &f->milestone_start,
                                          &f->milestone_end, &c->mentorship_id);
        if (rc && rc != DB_NOT_FOUND)
            return rc;
        f->milestone_found = rc == DB_OK;
        c->has_mentorship = 1;
    } else if (c->p.has_type) {
        rc = db_decl_milestone(db, lp->schedule_id, schedule_declaration_name(c->p.type),
                               &f->milestone_start, &f->milestone_end);
        if (rc && rc != DB_NOT_FOUND)
            return rc;
        f->milestone_found = rc == DB_OK;
    }
    c->statement_id = 0;
    if (f->eligible_for_funding) {
        rc = db_statement_next_open(db, req->who.lead_provider_id, lp->cohort, req->today,
                                    &c->statement_id);
        if (rc && rc != DB_NOT_FOUND)
            return rc;
        f->statement_available = rc == DB_OK;
    }
    return DB_OK;
}

/* The earlier identical declaration of decision 3, or 0. */
static int64_t exact_copy(const struct create *c)
{
    if (!c->f.teacher_found || !c->p.has_role || !c->p.has_type || !c->p.has_date)
        return 0;
    for (size_t i = 0; i < c->ncs; i++)
        if (c->cs[i].type == c->p.type &&
            decl_exact_copy(c->cs[i].own, c->cs[i].date_us, c->p.date_us,
                            c->cs[i].has_sha ? c->cs[i].sha : NULL,
                            c->has_sha ? c->sent_sha : NULL))
            return c->cs[i].id;
    return 0;
}

/* Creates the declaration and its effects (4.5); DB errors returned. */
static int persist(struct create *c, int64_t *id)
{
    struct request *req = c->req;
    struct db *db = req->env->db;
    const struct db_decl_period *lp = &c->ps[c->latest];
    enum decl_state state = decl_initial_state(c->f.eligible_for_funding);
    int kept = decl_evidence_kept(c->p.type, lp->detailed_evidence);
    int pp, sparsity;
    int64_t mentorship = 0;
    int rc;
    int32_t decl_day = clock_day_of(c->p.date_us);

    decl_uplifts(c->p.type, lp->uplift_fees_enabled, lp->school_pp, lp->school_sparsity, &pp,
                 &sparsity);
    if (c->role == PARTICIPANT_ECT) {
        if (c->has_mentorship)
            mentorship = c->mentorship_id;
        else if ((rc = db_decl_closest_mentorship(db, lp->period.school_period_id, decl_day,
                                                  &mentorship)))
            return rc;
    }
    struct db_decl_new d = {
        .teacher_pk = c->t.pk,
        .training_period_id = lp->period.id,
        .lead_provider_id = req->who.lead_provider_id,
        .cohort = lp->cohort,
        .course = participant_course_identifier(c->role),
        .type = schedule_declaration_name(c->p.type),
        .date_us = c->p.date_us,
        .evidence = kept ? c->rq.evidence_held : NULL,
        .sent_sha = c->has_sha ? c->sent_sha : NULL,
        .state = decl_state_name(state),
        .statement_id = state == DECL_SUBMITTED ? 0 : c->statement_id,
        .pp = pp,
        .sparsity = sparsity,
        .mentorship_id = mentorship,
        .delivery_partner_id = lp->delivery_partner_id,
        .now_us = req->now_us,
    };
    /* teacher_lead_providers has a row per provider the teacher has a provider-led period
     * with (db_teacher_metadata.h): without a period of another provider there is no row to
     * flag. */
    int others = 0;
    for (size_t i = 0; i < c->nps; i++)
        others |= c->ps[i].period.lead_provider_id == 2;
    if ((rc = db_decl_insert(db, &d, id)) ||
        (others && (rc = db_decl_flag_other_providers(db, c->t.pk, req->who.lead_provider_id))) ||
        (rc = audit(req, "declaration.created", c->t.pk, lp->period.id, *id, d.statement_id, NULL,
                    d.state)))
        return rc;
    if (c->role == PARTICIPANT_MENTOR && c->p.type == SCHEDULE_DECL_COMPLETED)
        rc = mentor_completion(req, &c->t, c->ps, c->nps, decl_day);
    return rc;
}

void declarations_create(struct request *req)
{
    struct db *db = req->env->db;
    json_object *attrs = attributes_or_reply(req);
    if (!attrs)
        return;
    struct create c;
    memset(&c, 0, sizeof(c));
    c.req = req;
    c.rq.participant_id = attr_text(req, attrs, "participant_id");
    c.rq.course_identifier = attr_text(req, attrs, "course_identifier");
    c.rq.declaration_type = attr_text(req, attrs, "declaration_type");
    c.rq.declaration_date = attr_text(req, attrs, "declaration_date");
    c.rq.evidence_held = attr_text(req, attrs, "evidence_held");
    decl_request_parse(&c.rq, &c.p);
    c.role = c.p.has_role ? c.p.role : PARTICIPANT_MENTOR;
    if (c.rq.evidence_held) {
        sha256(c.rq.evidence_held, c.sent_sha);
        c.has_sha = 1;
    }

    int rc = DB_OK;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        int64_t id = 0;
        struct decl_errors errs;
        if ((rc = db_begin(db)))
            break;
        if ((rc = gather(&c)))
            goto retry;
        if ((id = exact_copy(&c))) {
            db_rollback(db); /* nothing was written */
            reply_one(req, id);
            return;
        }
        decl_validate(&c.rq, &c.p, &c.f, req->now_us, &errs);
        if (errs.n) {
            db_rollback(db);
            for (size_t i = 0; i < errs.n; i++)
                response_error_add(req, errs.e[i].title, errs.e[i].detail);
            response_errors_send(req, 422);
            return;
        }
        if ((rc = persist(&c, &id)) || (rc = db_commit(db)))
            goto retry;
        reply_one(req, id);
        return;
    retry:
        db_rollback(db);
        if (rc != DB_DUPLICATE && rc != DB_RETRY)
            break;
    }
    response_db_failure(req, rc);
}

/* ------------------------------------------------------------------ GET */

void declarations_get(struct request *req)
{
    uint8_t id[16];
    struct db_declaration d;
    int has = 0;
    int32_t finished = DECL_NO_DAY;
    if (v3_uuid_param_or_reply(req, id))
        return;
    int rc = db_decl_get_by_api(req->env->db, id, req->arena, &d);
    int own = !rc && !memcmp(d.lead_provider_id, req->who.lead_provider_id, 16);
    if (!rc && !own)
        rc = db_decl_viewer_period(req->env->db, d.teacher_pk, req->who.lead_provider_id, d.course,
                                   &has, &finished);
    if (!rc &&
        !decl_visible(own, decl_state_counting(d.state), has, finished, clock_day_of(d.date_us)))
        rc = DB_NOT_FOUND;
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    v3_reply(req, render(&d));
}

/* A comma-separated list of UUIDs as a JSON array of 32 hex digits; malformed ones dropped.
 * -1 when all were dropped; *out NULL when absent or blank. */
static int uuids_of(struct arena *a, const char *v, const char **out)
{
    *out = NULL;
    if (!v || !*v)
        return 0;
    size_t count = 1;
    for (const char *p = v; *p; p++)
        count += *p == ',';
    char *buf = arena_alloc(a, count * 35 + 3);
    size_t o = 0, kept = 0;
    buf[o++] = '[';
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        char tok[40];
        if (len < sizeof(tok)) {
            uint8_t id[16];
            memcpy(tok, p, len);
            tok[len] = '\0';
            if (!ids_uuid_parse(tok, id)) {
                if (kept++)
                    buf[o++] = ',';
                buf[o++] = '"';
                for (int i = 0; i < 16; i++) {
                    static const char hex[] = "0123456789abcdef";
                    buf[o++] = hex[id[i] >> 4];
                    buf[o++] = hex[id[i] & 15];
                }
                buf[o++] = '"';
            }
        }
        p += len;
        if (*p == ',')
            p++;
    }
    buf[o++] = ']';
    buf[o] = '\0';
    if (!kept)
        return -1;
    *out = buf;
    return 0;
}

void declarations_list(struct request *req)
{
    struct pagination pg;
    struct db_decl_filter f;
    int64_t *ids;
    size_t n;
    if (pagination_parse_or_reply(req, 0, &pg))
        return;
    memset(&f, 0, sizeof(f));
    f.lead_provider_id = req->who.lead_provider_id;
    f.page = &pg;
    if (pagination_cohorts(req, &f.cohorts) ||
        uuids_of(req->arena, pagination_filter(req, "participant_id"), &f.participant_ids) ||
        uuids_of(req->arena, pagination_filter(req, "delivery_partner_id"),
                 &f.delivery_partner_ids)) {
        v3_reply(req, json_object_new_array());
        return;
    }
    struct db_declaration *ds = NULL;
    size_t nd = 0;
    int rc = db_decl_page(req->env->db, &f, req->arena, &ids, &n);
    if (!rc && n)
        rc = db_decl_load(req->env->db, ids, n, req->arena, &ds, &nd);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < nd; i++)
        json_object_array_add(data, render(&ds[i]));
    v3_reply(req, data);
}

/* ------------------------------------------------------------------ void */

/* One void attempt inside the caller's transaction (4.7). Answers 404/422 itself (returning
 * DB_OK with *answered set) or returns a DB error. */
static int void_once(struct request *req, const uint8_t api_id[16], int *answered, int64_t *out)
{
    struct db *db = req->env->db;
    int64_t id, teacher_pk, statement = 0;
    struct db_decl_teacher t;
    struct db_declaration d;
    char detail[DECL_DETAIL_MAX];
    int rc = db_decl_lock_own(db, api_id, req->who.lead_provider_id, &id, &teacher_pk);
    if (rc == DB_NOT_FOUND) {
        response_not_found(req);
        *answered = 1;
        return DB_OK;
    }
    if (rc || (rc = db_decl_teacher_lock_pk(db, teacher_pk, req->arena, &t)) ||
        (rc = db_decl_lock(db, id)) || (rc = db_decl_get(db, id, req->arena, &d)))
        return rc;
    int available = 0;
    if (d.state == DECL_PAID) {
        rc =
            db_statement_next_open(db, req->who.lead_provider_id, d.cohort, req->today, &statement);
        if (rc && rc != DB_NOT_FOUND)
            return rc;
        available = rc == DB_OK;
    }
    enum decl_void_outcome o = decl_void_decide(d.state, available);
    if (decl_void_detail(o, d.cohort, detail)) {
        response_error(req, 422, "participant_declaration_id", detail);
        *answered = 1;
        return DB_OK;
    }
    int clawback = o == DECL_VOID_TO_CLAWBACK;
    enum decl_state after = clawback ? DECL_AWAITING_CLAWBACK : DECL_VOIDED;
    if ((rc = db_decl_set_state(db, id, decl_state_name(after), clawback ? statement : 0,
                                req->now_us)) ||
        (rc = audit(req, clawback ? "declaration.clawback_requested" : "declaration.voided",
                    teacher_pk, d.training_period_id, id, clawback ? statement : d.statement_pk,
                    decl_state_name(d.state), decl_state_name(after))))
        return rc;
    if (d.course && !strcmp(d.course, "ecf-mentor") && d.type && !strcmp(d.type, "completed")) {
        struct db_decl_period *ps;
        size_t nps;
        if ((rc = db_decl_periods(db, teacher_pk, req->who.lead_provider_id, req->arena, &ps,
                                  &nps)) ||
            (rc = mentor_completion(req, &t, ps, nps, clock_day_of(d.date_us))))
            return rc;
    }
    *out = id;
    return DB_OK;
}

void declarations_void(struct request *req)
{
    struct db *db = req->env->db;
    uint8_t api_id[16];
    int rc = DB_OK;
    if (v3_uuid_param_or_reply(req, api_id))
        return;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        int answered = 0;
        int64_t id = 0;
        if ((rc = db_begin(db)))
            break;
        if ((rc = void_once(req, api_id, &answered, &id)))
            goto retry;
        if (answered) {
            db_rollback(db);
            return;
        }
        if ((rc = db_commit(db)))
            goto retry;
        reply_one(req, id);
        return;
    retry:
        db_rollback(db);
        if (rc != DB_RETRY)
            break;
    }
    response_db_failure(req, rc);
}
