/* Declaration rules (spec section 4); see declaration_rules.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/arena.h"
#include "domain/declaration_rules.h"

static const char *const state_names[DECL_STATE__MAX] = {
    [DECL_SUBMITTED] = "submitted",     [DECL_ELIGIBLE] = "eligible",
    [DECL_PAYABLE] = "payable",         [DECL_PAID] = "paid",
    [DECL_VOIDED] = "voided",           [DECL_AWAITING_CLAWBACK] = "awaiting-clawback",
    [DECL_CLAWED_BACK] = "clawed-back",
};

const char *decl_state_name(enum decl_state s)
{
    return (unsigned)s < DECL_STATE__MAX ? state_names[s] : NULL;
}

int decl_state_parse(const char *s, enum decl_state *out)
{
    if (!s)
        return -1;
    for (int i = 0; i < DECL_STATE__MAX; i++)
        if (!strcmp(s, state_names[i])) {
            *out = (enum decl_state)i;
            return 0;
        }
    return -1;
}

int decl_state_counting(enum decl_state s)
{
    return s == DECL_SUBMITTED || s == DECL_ELIGIBLE || s == DECL_PAYABLE || s == DECL_PAID;
}

int decl_state_paid(enum decl_state s)
{
    return s == DECL_PAID || s == DECL_AWAITING_CLAWBACK || s == DECL_CLAWED_BACK;
}

/* ------------------------------------------------------------------ dates */

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int decl_date_parse(const char *s, int64_t *us)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 1;
    int64_t frac = 0;
    if (!s || strlen(s) < 19)
        return -1;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
        return -1;
    const char *p = s + 19;
    if (*p == '.' || *p == ',') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        int64_t scale = 100000;
        while (isdigit((unsigned char)*p)) {
            frac += scale * (*p - '0');
            scale /= 10;
            p++;
        }
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        p++;
        if (digits(p, 2, &oh))
            return -1;
        p += 2;
        if (*p == ':')
            p++;
        if (*p) {
            if (digits(p, 2, &om))
                return -1;
            p += 2;
        }
    }
    if (*p || mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 59 || oh > 23 || om > 59)
        return -1;
    int32_t day = clock_days_from_civil(y, mo, d);
    int cy, cm, cd;
    clock_civil_from_days(day, &cy, &cm, &cd);
    if (cy != y || cm != mo || cd != d || y < 1000)
        return -1;
    int64_t secs = (int64_t)day * 86400 + h * 3600 + mi * 60 + se - sign * (oh * 3600 + om * 60);
    *us = secs * CLOCK_US_PER_SEC + frac;
    return 0;
}

/* ------------------------------------------------------------------ evidence */

static const char *const simple_evidence[] = {"training-event-attended",
                                              "self-study-material-completed", "other", NULL};
static const char *const detailed_general[] = {"training-event-attended",
                                               "self-study-material-completed",
                                               "materials-engaged-with-offline", "other", NULL};
static const char *const detailed_engagement[] = {
    "75-percent-engagement-met", "75-percent-engagement-met-reduced-induction", NULL};
static const char *const detailed_ect_completed[] = {"75-percent-engagement-met",
                                                     "75-percent-engagement-met-reduced-induction",
                                                     "one-term-induction", NULL};
static const char *const nothing[] = {NULL};

static int in_list(const char *const *list, const char *v)
{
    for (; *list; list++)
        if (!strcmp(*list, v))
            return 1;
    return 0;
}

static const char *const *detailed_list(enum participant_role role, enum schedule_declaration t)
{
    if (role == PARTICIPANT_MENTOR) {
        if (t == SCHEDULE_DECL_STARTED)
            return detailed_general;
        if (t == SCHEDULE_DECL_COMPLETED)
            return detailed_engagement;
        return nothing;
    }
    if (t == SCHEDULE_DECL_RETAINED_2)
        return detailed_engagement;
    if (t == SCHEDULE_DECL_COMPLETED)
        return detailed_ect_completed;
    return detailed_general;
}

int decl_evidence_required(enum schedule_declaration t, int detailed)
{
    return t != SCHEDULE_DECL_STARTED || detailed;
}

int decl_evidence_kept(enum schedule_declaration t, int detailed)
{
    return detailed || decl_evidence_required(t, detailed);
}

int decl_evidence_allowed(enum participant_role role, enum schedule_declaration t, int detailed,
                          const char *value)
{
    if (!value)
        return 0;
    return in_list(detailed ? detailed_list(role, t) : simple_evidence, value);
}

/* ------------------------------------------------------------------ sequence */

int decl_in_sequence(enum schedule_declaration t, int64_t at, const struct decl_dated *ds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ds[i].type < t && at < ds[i].date_us)
            return 0;
        if (ds[i].type > t && at > ds[i].date_us)
            return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ validation */

/* Attributes errors are recorded against (RECT's names, mapped to the public ones). */
enum attr { A_PID, A_COURSE, A_DATE, A_TYPE, A_EVIDENCE, A_COHORT, A__MAX };
static const char *const attr_titles[A__MAX] = {
    [A_PID] = "participant_id",    [A_COURSE] = "course_identifier", [A_DATE] = "declaration_date",
    [A_TYPE] = "declaration_type", [A_EVIDENCE] = "evidence_held",   [A_COHORT] = "cohort",
};

struct run {
    struct decl_errors *errs;
    int has[A__MAX];
};

static void add(struct run *r, enum attr a, const char *detail)
{
    struct decl_errors *e = r->errs;
    for (size_t i = 0; i < e->n; i++) /* one entry per message within an attribute */
        if (e->e[i].title == attr_titles[a] && !strcmp(e->e[i].detail, detail))
            return;
    if (e->n == DECL_ERRORS_MAX)
        return;
    e->e[e->n].title = attr_titles[a];
    xsnprintf(e->e[e->n].detail, sizeof(e->e[e->n].detail), "%s", detail);
    e->n++;
    r->has[a] = 1;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static int any(const struct run *r)
{
    return r->errs->n > 0;
}

void decl_request_parse(const struct decl_request *r, struct decl_parsed *out)
{
    memset(out, 0, sizeof(*out));
    out->has_role = participant_course_parse(r->course_identifier, &out->role) == 0;
    out->has_type = schedule_declaration_parse(r->declaration_type, &out->type) == 0;
    out->has_date = decl_date_parse(r->declaration_date, &out->date_us) == 0;
}

#define NOT_RECOGNISED                                                                             \
    "Your update cannot be made as the '#/participant_id' is not recognised. Check participant "   \
    "details and try again."
#define COHORT_ENDED                                                                               \
    "cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss " \
    "this with us"

static void check_evidence(struct run *r, const struct decl_request *rq,
                           const struct decl_parsed *p, const struct decl_facts *f)
{
    if (r->has[A_EVIDENCE] || r->has[A_DATE] || !f->has_period)
        return;
    /* Evidence that is not kept (pre-2025 started) is neither required nor validated. */
    int kept = p->has_type && decl_evidence_kept(p->type, f->detailed_evidence);
    const char *ev = kept ? rq->evidence_held : NULL;
    if (p->has_type && decl_evidence_required(p->type, f->detailed_evidence) && blank(ev))
        add(r, A_EVIDENCE, "Enter a '#/evidence_held' value for this participant.");
    if (r->has[A_EVIDENCE] || blank(ev))
        return;
    if (f->detailed_evidence) {
        if (!r->has[A_TYPE] && !decl_evidence_allowed(p->role, p->type, 1, ev))
            add(r, A_EVIDENCE, "Enter an available '#/evidence_held' type for this participant.");
    } else if (!blank(rq->declaration_type) && !in_list(simple_evidence, ev)) {
        add(r, A_EVIDENCE, "Enter an available '#/evidence_held' type for this participant.");
    }
}

void decl_validate(const struct decl_request *rq, const struct decl_parsed *p,
                   const struct decl_facts *f, int64_t now_us, struct decl_errors *errs)
{
    struct run r;
    char buf[DECL_DETAIL_MAX];
    memset(&r, 0, sizeof(r));
    memset(errs, 0, sizeof(*errs));
    r.errs = errs;

    /* 1, 2 */
    if (blank(rq->participant_id))
        add(&r, A_PID, "Enter a '#/participant_id'.");
    if (!r.has[A_PID] && !r.has[A_COURSE] && !f->teacher_found)
        add(&r, A_PID, NOT_RECOGNISED);
    /* 3, 4 */
    if (!any(&r) && !p->has_role)
        add(&r, A_COURSE, "Enter a '#/course_identifier'.");
    if (!any(&r) && blank(rq->declaration_date))
        add(&r, A_DATE, "Enter a '#/declaration_date'.");
    /* 5 */
    if (!r.has[A_COURSE] && !r.has[A_PID] && !r.has[A_TYPE] && !r.has[A_DATE] && !f->has_period &&
        f->registered)
        add(&r, A_COURSE,
            "The entered '#/course_identifier' is not recognised for the given participant. "
            "Check details and try again.");
    /* 6, 7 */
    if (!any(&r) && blank(rq->declaration_type))
        add(&r, A_TYPE, "Enter a '#/declaration_type'.");
    if (!any(&r) && !blank(rq->declaration_type) && !p->has_type)
        add(&r, A_TYPE, "Enter a valid declaration type.");
    /* 8 */
    if (!r.has[A_TYPE] && !r.has[A_DATE] && f->has_period && f->duplicate)
        add(&r, A_TYPE,
            "A declaration has already been submitted that will be, or has been, paid for this "
            "event.");
    /* 9 */
    if (!r.has[A_DATE] && !r.has[A_TYPE] && !r.has[A_PID] && !r.has[A_COURSE] && p->has_date &&
        p->date_us > now_us)
        add(&r, A_DATE,
            "The '#/declaration_date' value cannot be a future date. Check the date and try "
            "again.");
    /* 10, 11 */
    if (!r.has[A_DATE] && !r.has[A_TYPE] && !r.has[A_COHORT] && f->has_period &&
        f->milestone_found && p->has_date) {
        if (p->date_us < clock_day_start_us(f->milestone_start))
            add(&r, A_DATE,
                "Declaration date must be on or after the milestone start date for the same "
                "declaration type.");
        if (f->milestone_end != DECL_NO_DAY &&
            clock_day_start_us(f->milestone_end + 1) <= p->date_us)
            add(&r, A_DATE,
                "Declaration date must be on or before the milestone date for the same "
                "declaration type.");
    }
    /* 12 */
    if (!r.has[A_DATE] && !blank(rq->declaration_date) && !p->has_date)
        add(&r, A_DATE, "Enter a valid RCF3339 '#/declaration_date'.");
    /* 13 */
    if (!r.has[A_TYPE] && !r.has[A_COHORT] &&
        !(p->has_type &&
          (p->type == SCHEDULE_DECL_STARTED || p->type == SCHEDULE_DECL_COMPLETED)) &&
        f->has_period && p->has_role && p->role == PARTICIPANT_MENTOR && f->mentor_funding_enabled)
        add(&r, A_TYPE,
            "You cannot send retained or extended declarations for participants who began their "
            "mentor training after June 2025. Resubmit this declaration with either a started or "
            "completed declaration.");
    /* 14, 15 */
    if (!any(&r))
        check_evidence(&r, rq, p, f);
    /* 16 */
    if (!r.has[A_PID] && f->has_period && f->withdrawn_at != DECL_NO_US && p->has_date &&
        f->withdrawn_at <= p->date_us) {
        char ts[CLOCK_TS_LEN];
        clock_format_ts(f->withdrawn_at, ts);
        xsnprintf(buf, sizeof(buf),
                  "This participant withdrew from this course on %s. Enter a '#/declaration_date' "
                  "that's on or before the withdrawal date.",
                  ts);
        add(&r, A_PID, buf);
    }
    /* 17 */
    if (!r.has[A_COHORT] && f->teacher_found && f->frozen_year_today) {
        xsnprintf(buf, sizeof(buf), "You cannot submit declarations for the %d " COHORT_ENDED ".",
                  f->frozen_year_today);
        add(&r, A_COHORT, buf);
    }
    /* 18 */
    if (!r.has[A_TYPE] && !r.has[A_COHORT] && f->has_period && f->eligible_for_funding &&
        !f->statement_available) {
        xsnprintf(buf, sizeof(buf),
                  "You cannot submit or void declarations for the %d " COHORT_ENDED ".", f->cohort);
        add(&r, A_COHORT, buf);
    }
    /* 19 */
    if (!r.has[A_DATE] && !r.has[A_TYPE] && !r.has[A_PID] && !r.has[A_COURSE] && !r.has[A_COHORT] &&
        f->has_period && !f->milestone_found)
        add(&r, A_TYPE, "The property '#/declaration_type' does not exist for this schedule.");
    /* 20 */
    if (!r.has[A_DATE] && !r.has[A_TYPE] && p->has_date && p->has_type && f->has_period &&
        f->cohort >= 2025 && !decl_in_sequence(p->type, p->date_us, f->existing, f->nexisting))
        add(&r, A_DATE,
            "This '#/declaration_date' is invalid. Check that it is in sequence with existing "
            "declaration dates for this participant.");
    /* 21 */
    if (!r.has[A_PID] && !f->registered)
        add(&r, A_PID, NOT_RECOGNISED);
}

int decl_exact_copy(int same_provider, int64_t existing_date_us, int64_t request_date_us,
                    const uint8_t *existing_sha, const uint8_t *request_sha)
{
    if (!same_provider || existing_date_us != request_date_us)
        return 0;
    if (!existing_sha || !request_sha)
        return !existing_sha && !request_sha;
    return memcmp(existing_sha, request_sha, 32) == 0;
}

/* ------------------------------------------------------------------ effects */

enum decl_state decl_initial_state(int eligible_for_funding)
{
    return eligible_for_funding ? DECL_ELIGIBLE : DECL_SUBMITTED;
}

void decl_uplifts(enum schedule_declaration t, int uplift_fees_enabled, int school_pp,
                  int school_sparsity, int *pp, int *sparsity)
{
    int on = t == SCHEDULE_DECL_STARTED && uplift_fees_enabled;
    *pp = on && school_pp;
    *sparsity = on && school_sparsity;
}

int32_t decl_mentor_finish_on(int32_t declaration_day, int32_t started_on)
{
    return declaration_day > started_on ? declaration_day : started_on + 1;
}

int decl_mentor_period_open(int32_t finished_on, int32_t today)
{
    return finished_on == DECL_NO_DAY || finished_on > today;
}

int decl_mentor_completion(const struct decl_mentor_facts *f, struct decl_mentor_plan *out)
{
    memset(out, 0, sizeof(*out));
    out->ineligible_on = DECL_NO_DAY;
    out->new_end = DECL_NO_DAY;
    if (f->latest_completed_on != DECL_NO_DAY) {
        out->ineligible_on = f->latest_completed_on;
        out->set_funding = f->ineligible_on != f->latest_completed_on || !f->reason_is_completed;
        if (f->has_period && decl_mentor_period_open(f->period_finished_on, f->today)) {
            out->finish_period = 1;
            out->finish_on = decl_mentor_finish_on(f->declaration_day, f->period_started_on);
        }
    } else {
        out->set_funding = f->ineligible_on != DECL_NO_DAY;
        if (f->has_period && !decl_mentor_period_open(f->period_finished_on, f->today)) {
            out->new_start = f->period_finished_on + 1;
            out->new_end = f->school_period_finished_on;
            out->new_period = out->new_end == DECL_NO_DAY || out->new_end >= out->new_start;
        }
    }
    return out->set_funding || out->finish_period || out->new_period;
}

/* ------------------------------------------------------------------ void */

enum decl_void_outcome decl_void_decide(enum decl_state s, int clawback_statement_available)
{
    if (s == DECL_PAID)
        return clawback_statement_available ? DECL_VOID_TO_CLAWBACK : DECL_VOID_NO_STATEMENT;
    if (s == DECL_AWAITING_CLAWBACK || s == DECL_CLAWED_BACK)
        return DECL_VOID_ALREADY_REFUNDED;
    if (s == DECL_VOIDED)
        return DECL_VOID_ALREADY_VOIDED;
    return DECL_VOID_TO_VOIDED;
}

const char *decl_void_detail(enum decl_void_outcome o, int cohort, char out[DECL_DETAIL_MAX])
{
    switch (o) {
    case DECL_VOID_ALREADY_VOIDED:
        xsnprintf(out, DECL_DETAIL_MAX, "%s", "The declaration has already been voided.");
        return out;
    case DECL_VOID_ALREADY_REFUNDED:
        xsnprintf(out, DECL_DETAIL_MAX, "%s", "The declaration will or has been refunded");
        return out;
    case DECL_VOID_NO_STATEMENT:
        xsnprintf(out, DECL_DETAIL_MAX,
                  "You cannot submit or void declarations for the %d " COHORT_ENDED, cohort);
        return out;
    default:
        return NULL;
    }
}

/* ------------------------------------------------------------------ visibility */

int decl_visible(int own, int counting, int x_has_latest, int32_t x_finished_on,
                 int32_t declaration_day)
{
    if (own)
        return 1;
    if (!counting || !x_has_latest)
        return 0;
    return x_finished_on == DECL_NO_DAY || declaration_day <= x_finished_on;
}
