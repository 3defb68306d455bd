#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Finds `s` in a name table. 0 ok (sets *index), -1 otherwise. */
static int name_index(const char *const *names, size_t n, const char *s, size_t *index)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i])) {
            *index = i;
            return 0;
        }
    return -1;
}

/* Choice: "missing" follows Rails presence: absent, empty or only whitespace. */
static int is_blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!strchr(" \t\n\r\f\v", *s))
            return 0;
    return 1;
}

static const char *const course_names[PARTICIPANT_ROLE__MAX] = {"ecf-induction", "ecf-mentor"};
static const char *const type_names[PARTICIPANT_ROLE__MAX] = {"ect", "mentor"};

int participant_course_parse(const char *s, enum participant_role *out)
{
    size_t i;
    if (name_index(course_names, COUNT(course_names), s, &i))
        return -1;
    *out = (enum participant_role)i;
    return 0;
}

const char *participant_course_identifier(enum participant_role r)
{
    return (unsigned)r < PARTICIPANT_ROLE__MAX ? course_names[r] : NULL;
}

const char *participant_type_name(enum participant_role r)
{
    return (unsigned)r < PARTICIPANT_ROLE__MAX ? type_names[r] : NULL;
}

int participant_period_covers(const struct participant_period *p, int32_t day)
{
    return p->started_on <= day && (p->finished_on == PARTICIPANT_NO_DAY || p->finished_on > day);
}

/* --- 1.2 --- */

/* Choice: among periods with the same started_on, the one created last (greatest id) is the
 * latest. */
static int later_than(const struct participant_period *a, const struct participant_period *b)
{
    return a->started_on > b->started_on || (a->started_on == b->started_on && a->id > b->id);
}

size_t participant_latest_period(const struct participant_period *ps, size_t n, int64_t lp,
                                 enum participant_role role)
{
    size_t best = PARTICIPANT_NONE;
    if (lp == 0)
        return best;
    for (size_t i = 0; i < n; i++) {
        if (ps[i].role != role || ps[i].lead_provider_id != lp)
            continue;
        if (best == PARTICIPANT_NONE || later_than(&ps[i], &ps[best]))
            best = i;
    }
    return best;
}

int participant_visible(const struct participant_period *ps, size_t n, int64_t lp)
{
    return participant_latest_period(ps, n, lp, PARTICIPANT_ECT) != PARTICIPANT_NONE ||
           participant_latest_period(ps, n, lp, PARTICIPANT_MENTOR) != PARTICIPANT_NONE;
}

int participant_other_covers(const struct participant_period *ps, size_t n, size_t self,
                             int32_t today)
{
    for (size_t i = 0; i < n; i++)
        if (i != self && ps[i].role == ps[self].role &&
            ps[i].school_period_id == ps[self].school_period_id &&
            participant_period_covers(&ps[i], today))
            return 1;
    return 0;
}

int participant_later_period_exists(const struct participant_period *ps, size_t n, size_t self)
{
    for (size_t i = 0; i < n; i++)
        if (i != self && ps[i].role == ps[self].role && ps[i].started_on > ps[self].started_on)
            return 1;
    return 0;
}

/* --- 1.3, 1.4 --- */

static const char *const training_status_names[PARTICIPANT_TRAINING__MAX] = {"active", "deferred",
                                                                             "withdrawn"};
static const char *const status_names[PARTICIPANT_STATUS__MAX] = {"joining", "active", "leaving",
                                                                  "left"};

enum participant_training_status participant_training_status_of(const struct participant_period *p)
{
    int w = p->withdrawn_at != PARTICIPANT_NO_US, d = p->deferred_at != PARTICIPANT_NO_US;
    if (!w && !d)
        return PARTICIPANT_TRAINING_ACTIVE;
    /* Choice: equal timestamps count as withdrawn (the stronger state). */
    if (w && (!d || p->withdrawn_at >= p->deferred_at))
        return PARTICIPANT_TRAINING_WITHDRAWN;
    return PARTICIPANT_TRAINING_DEFERRED;
}

const char *participant_training_status_name(enum participant_training_status s)
{
    return (unsigned)s < PARTICIPANT_TRAINING__MAX ? training_status_names[s] : NULL;
}

static enum participant_status by_finish(int32_t finished_on, int32_t today)
{
    return finished_on != PARTICIPANT_NO_DAY && finished_on > today ? PARTICIPANT_LEAVING
                                                                    : PARTICIPANT_LEFT;
}

enum participant_status participant_status_of(const struct participant_period *p,
                                              int32_t completed_on, int32_t today)
{
    /* Rule 1. Choice: withdrawn or deferred without a finished_on (not produced by the API,
     * which always sets it) is "left": the training has stopped. */
    if (participant_training_status_of(p) != PARTICIPANT_TRAINING_ACTIVE)
        return by_finish(p->finished_on, today);
    /* Rule 2: completed on or before the period's end, or the period is unfinished. */
    if (completed_on != PARTICIPANT_NO_DAY &&
        (p->finished_on == PARTICIPANT_NO_DAY || completed_on <= p->finished_on))
        return PARTICIPANT_ACTIVE;
    /* Rule 3: finished_on == today is already "left". */
    if (p->finished_on != PARTICIPANT_NO_DAY)
        return by_finish(p->finished_on, today);
    if (p->started_on > today)
        return PARTICIPANT_JOINING;
    return PARTICIPANT_ACTIVE;
}

const char *participant_status_name(enum participant_status s)
{
    return (unsigned)s < PARTICIPANT_STATUS__MAX ? status_names[s] : NULL;
}

/* --- 1.5 --- */

static const char *const mentor_reason_names[PARTICIPANT_MENTOR_REASON__MAX] = {
    "completed_declaration_received", "completed_during_early_roll_out", "started_not_completed"};

const char *participant_mentor_reason_name(enum participant_mentor_reason r)
{
    return (unsigned)r < PARTICIPANT_MENTOR_REASON__MAX ? mentor_reason_names[r] : NULL;
}

int participant_mentor_reason_parse(const char *s, enum participant_mentor_reason *out)
{
    size_t i;
    if (name_index(mentor_reason_names, COUNT(mentor_reason_names), s, &i))
        return -1;
    *out = (enum participant_mentor_reason)i;
    return 0;
}

enum participant_tribool participant_eligible_for_funding(const struct participant_teacher *t,
                                                          enum participant_role role)
{
    int64_t at = role == PARTICIPANT_ECT ? t->ect_eligible_at : t->mentor_eligible_at;
    int32_t off = role == PARTICIPANT_ECT ? t->ect_ineligible_on : t->mentor_ineligible_on;
    if (at == PARTICIPANT_NO_US)
        return off == PARTICIPANT_NO_DAY ? PARTICIPANT_NULL : PARTICIPANT_FALSE;
    if (off == PARTICIPANT_NO_DAY)
        return PARTICIPANT_TRUE;
    /* Choice: on the same day the eligible date counts as the earlier one (true). It stays
     * true after a later became-ineligible date: the guidance says it never reverts. */
    return clock_day_of(at) <= off ? PARTICIPANT_TRUE : PARTICIPANT_FALSE;
}

int32_t participant_induction_end_date(const struct participant_induction_period *ips, size_t n,
                                       int32_t trs_completed)
{
    int32_t end = PARTICIPANT_NO_DAY;
    /* Choice: "latest" finished induction period = greatest finished_on; a finished_on still in
     * the future counts as finished (finished = finished_on set). */
    for (size_t i = 0; i < n; i++)
        if (ips[i].has_outcome && ips[i].finished_on != PARTICIPANT_NO_DAY &&
            ips[i].finished_on > end)
            end = ips[i].finished_on;
    return end != PARTICIPANT_NO_DAY ? end : trs_completed;
}

int32_t participant_induction_start_date(const struct participant_induction_period *ips, size_t n,
                                         int32_t trs_start)
{
    if (n == 0)
        return trs_start;
    int32_t start = ips[0].started_on;
    for (size_t i = 1; i < n; i++)
        if (ips[i].started_on < start)
            start = ips[i].started_on;
    return start;
}

int32_t participant_last_induction_end_date(const struct participant_induction_period *ips,
                                            size_t n)
{
    /* Choice: the spec names this field without a rule. It is the finished_on of the most
     * recently started induction period (any outcome), null while that period is ongoing; no
     * TRS fallback. */
    size_t last = PARTICIPANT_NONE;
    for (size_t i = 0; i < n; i++)
        if (last == PARTICIPANT_NONE || ips[i].started_on > ips[last].started_on)
            last = i;
    return last == PARTICIPANT_NONE ? PARTICIPANT_NO_DAY : ips[last].finished_on;
}

int32_t participant_completed_on(const struct participant_teacher *t,
                                 const struct participant_induction_period *ips, size_t n,
                                 enum participant_role role)
{
    /* Choice: an ECT's completion is induction_end_date (1.5, TRS fallback included), the same
     * field 1.4 rule 2 uses and seed 002 names ("has an induction_end_date"), also for the
     * change-schedule "completed" check. */
    if (role == PARTICIPANT_ECT)
        return participant_induction_end_date(ips, n, t->trs_induction_completed);
    return t->mentor_ineligible_on;
}

void participant_enrolment_fields_of(const struct participant_teacher *t,
                                     const struct participant_induction_period *ips, size_t n,
                                     enum participant_role role,
                                     struct participant_enrolment_fields *out)
{
    int ect = role == PARTICIPANT_ECT;
    out->eligible_for_funding = participant_eligible_for_funding(t, role);
    out->induction_end_date =
        ect ? participant_induction_end_date(ips, n, t->trs_induction_completed)
            : PARTICIPANT_NO_DAY;
    out->most_recent_induction_period_end_date =
        ect ? participant_last_induction_end_date(ips, n) : PARTICIPANT_NO_DAY;
    out->overall_induction_start_date =
        ect ? participant_induction_start_date(ips, n, t->trs_induction_start) : PARTICIPANT_NO_DAY;
    out->mentor_funding_end_date = ect ? PARTICIPANT_NO_DAY : t->mentor_ineligible_on;
    out->mentor_ineligible_reason =
        ect ? PARTICIPANT_MENTOR_REASON__MAX : t->mentor_ineligible_reason;
    out->cohort_changed_after_payments_frozen =
        (ect ? t->ect_payments_frozen_year : t->mentor_payments_frozen_year) != 0;
}

size_t participant_mentor_pick(const struct participant_mentorship *ms, size_t n,
                               int64_t school_period_id, int32_t today)
{
    size_t best = PARTICIPANT_NONE;
    for (size_t i = 0; i < n; i++) {
        if (ms[i].school_period_id != school_period_id)
            continue;
        /* Choice: current = covers today with finished_on exclusive (as periods elsewhere: a
         * mentorship ending today is over); future = starts after today. */
        int current = ms[i].started_on <= today &&
                      (ms[i].finished_on == PARTICIPANT_NO_DAY || ms[i].finished_on > today);
        if (!current && ms[i].started_on <= today)
            continue;
        if (best == PARTICIPANT_NONE || ms[i].started_on < ms[best].started_on)
            best = i;
    }
    return best;
}

/* --- 2: reasons --- */

static const char *const deferral_dashed[PARTICIPANT_DEFERRAL__MAX] = {
    "bereavement", "long-term-sickness", "parental-leave", "career-break", "other"};
static const char *const deferral_stored[PARTICIPANT_DEFERRAL__MAX] = {
    "bereavement", "long_term_sickness", "parental_leave", "career_break", "other"};
static const char *const withdrawal_dashed[PARTICIPANT_WITHDRAWAL__MAX] = {
    "left-teaching-profession", "moved-school",          "mentor-no-longer-being-mentor",
    "switched-to-school-led",   "changed-lead-provider", "other"};
static const char *const withdrawal_stored[PARTICIPANT_WITHDRAWAL__MAX] = {
    "left_teaching_profession", "moved_school",          "mentor_no_longer_being_mentor",
    "switched_to_school_led",   "changed_lead_provider", "other"};

int participant_deferral_reason_parse(const char *dashed, enum participant_deferral_reason *out)
{
    size_t i;
    if (name_index(deferral_dashed, COUNT(deferral_dashed), dashed, &i))
        return -1;
    *out = (enum participant_deferral_reason)i;
    return 0;
}

int participant_deferral_reason_from_stored(const char *s, enum participant_deferral_reason *out)
{
    size_t i;
    if (name_index(deferral_stored, COUNT(deferral_stored), s, &i))
        return -1;
    *out = (enum participant_deferral_reason)i;
    return 0;
}

const char *participant_deferral_reason_name(enum participant_deferral_reason r)
{
    return (unsigned)r < PARTICIPANT_DEFERRAL__MAX ? deferral_dashed[r] : NULL;
}

const char *participant_deferral_reason_stored(enum participant_deferral_reason r)
{
    return (unsigned)r < PARTICIPANT_DEFERRAL__MAX ? deferral_stored[r] : NULL;
}

int participant_withdrawal_reason_parse(const char *dashed, enum participant_withdrawal_reason *out)
{
    size_t i;
    if (name_index(withdrawal_dashed, COUNT(withdrawal_dashed), dashed, &i))
        return -1;
    *out = (enum participant_withdrawal_reason)i;
    return 0;
}

int participant_withdrawal_reason_from_stored(const char *s,
                                              enum participant_withdrawal_reason *out)
{
    size_t i;
    if (name_index(withdrawal_stored, COUNT(withdrawal_stored), s, &i))
        return -1;
    *out = (enum participant_withdrawal_reason)i;
    return 0;
}

const char *participant_withdrawal_reason_name(enum participant_withdrawal_reason r)
{
    return (unsigned)r < PARTICIPANT_WITHDRAWAL__MAX ? withdrawal_dashed[r] : NULL;
}

const char *participant_withdrawal_reason_stored(enum participant_withdrawal_reason r)
{
    return (unsigned)r < PARTICIPANT_WITHDRAWAL__MAX ? withdrawal_stored[r] : NULL;
}

/* --- 2: errors --- */

/* Choice: texts are the spec's, byte for byte (ASCII apostrophes in "participant's"). */
static const struct {
    const char *title, *detail;
} errors[PARTICIPANT_ERROR__MAX] = {
    [PARTICIPANT_ERR_COURSE_MISSING] = {"course_identifier", "Enter a '#/course_identifier'."},
    [PARTICIPANT_ERR_COURSE_NOT_RECOGNISED] = {"course_identifier",
                                               "The entered '#/course_identifier' is not "
                                               "recognised for the given participant. Check "
                                               "details and try again."},
    [PARTICIPANT_ERR_REASON_MISSING] = {"reason", "Enter a '#/reason'."},
    [PARTICIPANT_ERR_REASON_INVALID] = {"reason", "The entered '#/reason' is not recognised for "
                                                  "the given participant. Check details and try "
                                                  "again."},
    [PARTICIPANT_ERR_ALREADY_DEFERRED] = {"participant_id",
                                          "The '#/participant_id' is already deferred."},
    [PARTICIPANT_ERR_ALREADY_WITHDRAWN] = {"participant_id",
                                           "The '#/participant_id' is already withdrawn."},
    [PARTICIPANT_ERR_DEFER_NOT_STARTED] = {"participant_id",
                                           "You cannot defer #/participant_id. This is because "
                                           "they have not been training with you for at least "
                                           "one day."},
    [PARTICIPANT_ERR_WITHDRAW_NOT_STARTED] = {"participant_id",
                                              "You cannot withdraw #/participant_id. This is "
                                              "because they have not been training with you for "
                                              "at least one day."},
    [PARTICIPANT_ERR_CHANGED_TODAY] = {"participant_id",
                                       "You cannot defer or withdraw this participant today. You "
                                       "need to try again tomorrow as the training was recently "
                                       "changed for this participant."},
    [PARTICIPANT_ERR_ECT_NOT_MENTOR] = {"reason", "You cannot withdraw an ECT for this reason. "
                                                  "The ECT is not a mentor."},
    [PARTICIPANT_ERR_ALREADY_ACTIVE] = {"participant_id",
                                        "The '#/participant_id' is already active."},
    [PARTICIPANT_ERR_ACTIVE_WITH_OTHER] = {"participant_id",
                                           "This participant cannot be resumed because they are "
                                           "already active with another provider."},
    [PARTICIPANT_ERR_RESUME_SAME_DAY] = {"participant_id",
                                         "You cannot resume a participant on the same day they "
                                         "were withdrawn or deferred. Resume them tomorrow or "
                                         "later."},
    [PARTICIPANT_ERR_LEFT_SCHOOL] = {"participant_id",
                                     "The participant is no longer at the school. Please contact "
                                     "the induction tutor to resolve."},
    [PARTICIPANT_ERR_SCHEDULE_INVALID] = {"schedule_identifier",
                                          "The property '#/schedule_identifier' must be present "
                                          "and correspond to a valid schedule."},
    [PARTICIPANT_ERR_SCHEDULE_UNKNOWN] = {"schedule_identifier",
                                          "Enter a valid schedule identifier."},
    [PARTICIPANT_ERR_SCHEDULE_SAME] = {"schedule_identifier",
                                       "Selected schedule is already on the profile"},
    [PARTICIPANT_ERR_SCHEDULE_ECT_REPLACEMENT] = {"schedule_identifier",
                                                  "Selected schedule is not valid for the "
                                                  "course_identifier"},
    [PARTICIPANT_ERR_SCHEDULE_MENTOR_REDUCED] = {"schedule_identifier",
                                                 "Mentors cannot be placed on a reduced "
                                                 "schedule. Assign them to a different "
                                                 "schedule."},
    [PARTICIPANT_ERR_SCHEDULE_INVALIDATES] =
        {"schedule_identifier",
         "The change of schedule cannot be applied because a previous change of schedule and a "
         "declaration were made on the same day. Applying another change of schedule would "
         "invalidate existing declarations. Please contact DfE for assistance."},
    [PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP] = {"cohort",
                                               "You cannot change a participant to this "
                                               "contract_period as you do not have a partnership "
                                               "with the school for the contract_period. Contact "
                                               "the DfE for assistance."},
    [PARTICIPANT_ERR_COHORT_FROZEN] = {"cohort", "You cannot move a participant to a payments "
                                                 "frozen cohort unless they previously belonged "
                                                 "to that cohort."},
    [PARTICIPANT_ERR_COMPLETED] = {"participant_id",
                                   "You cannot change this participant's schedule as they have "
                                   "completed their training or induction."},
    [PARTICIPANT_ERR_NOT_TRAINING] = {"participant_id",
                                      "You cannot change this participant's schedule. This is "
                                      "because the participant has a 'left' participant_status, "
                                      "so they are not training with you currently."},
    [PARTICIPANT_ERR_WITHDRAWN] = {"participant_id",
                                   "Cannot perform actions on a withdrawn participant"},
    [PARTICIPANT_ERR_FUTURE_PROVIDER] = {"participant_id",
                                         "You cannot change this participant's schedule as they "
                                         "are due to start with another lead provider in the "
                                         "future."},
};

const char *participant_error_title(enum participant_error e)
{
    return (unsigned)e < PARTICIPANT_ERROR__MAX ? errors[e].title : NULL;
}

const char *participant_error_detail(enum participant_error e)
{
    return (unsigned)e < PARTICIPANT_ERROR__MAX ? errors[e].detail : NULL;
}

static void add(struct participant_errors *out, enum participant_error e)
{
    if (e != PARTICIPANT_OK && out->n < PARTICIPANT_ERRORS_MAX)
        out->e[out->n++] = e;
}

static enum participant_error first(const struct participant_errors *out)
{
    return out->n ? out->e[0] : PARTICIPANT_OK;
}

/* Shared checks (2.2). Returns 1 when the course is valid and names a period (sets *role).
 * Choice: shared course_identifier errors come first, then reason, then participant_id: the
 * shared validations are declared before the action's own. */
static int check_course(const char *course, int has_period, enum participant_role *role,
                        struct participant_errors *out)
{
    out->n = 0;
    if (participant_course_parse(course, role)) {
        add(out, PARTICIPANT_ERR_COURSE_MISSING);
        return 0;
    }
    if (!has_period) {
        add(out, PARTICIPANT_ERR_COURSE_NOT_RECOGNISED);
        return 0;
    }
    return 1;
}

/* reason checks of defer and withdraw: presence, then membership of the action's list. */
static enum participant_error reason_error(const char *reason, int valid)
{
    if (is_blank(reason))
        return PARTICIPANT_ERR_REASON_MISSING;
    return valid ? PARTICIPANT_OK : PARTICIPANT_ERR_REASON_INVALID;
}

static enum participant_error not_started_error(const struct participant_period *p, int32_t today,
                                                enum participant_error future)
{
    if (p->started_on > today)
        return future;
    if (p->started_on == today)
        return PARTICIPANT_ERR_CHANGED_TODAY;
    return PARTICIPANT_OK;
}

enum participant_error participant_check_defer(const struct participant_action_facts *f,
                                               struct participant_errors *out)
{
    enum participant_role role = PARTICIPANT_ROLE__MAX; /* set by check_course */
    enum participant_deferral_reason r;
    int period = check_course(f->course_identifier, f->has_period, &role, out);
    add(out, reason_error(f->reason, participant_deferral_reason_parse(f->reason, &r) == 0));
    if (!period)
        return first(out);
    enum participant_training_status ts = participant_training_status_of(&f->period);
    if (ts == PARTICIPANT_TRAINING_DEFERRED)
        add(out, PARTICIPANT_ERR_ALREADY_DEFERRED);
    else if (ts == PARTICIPANT_TRAINING_WITHDRAWN)
        add(out, PARTICIPANT_ERR_ALREADY_WITHDRAWN);
    else
        add(out, not_started_error(&f->period, f->today, PARTICIPANT_ERR_DEFER_NOT_STARTED));
    return first(out);
}

enum participant_error participant_check_withdraw(const struct participant_action_facts *f,
                                                  struct participant_errors *out)
{
    enum participant_role role = PARTICIPANT_ROLE__MAX; /* set by check_course */
    enum participant_withdrawal_reason r = PARTICIPANT_WITHDRAWAL__MAX;
    int period = check_course(f->course_identifier, f->has_period, &role, out);
    int valid = participant_withdrawal_reason_parse(f->reason, &r) == 0;
    add(out, reason_error(f->reason, valid));
    if (!period)
        return first(out);
    if (participant_training_status_of(&f->period) == PARTICIPANT_TRAINING_WITHDRAWN)
        add(out, PARTICIPANT_ERR_ALREADY_WITHDRAWN);
    else
        add(out, not_started_error(&f->period, f->today, PARTICIPANT_ERR_WITHDRAW_NOT_STARTED));
    if (out->n == 0 && role == PARTICIPANT_ECT &&
        r == PARTICIPANT_WITHDRAWAL_MENTOR_NO_LONGER_BEING_MENTOR)
        add(out, PARTICIPANT_ERR_ECT_NOT_MENTOR);
    return first(out);
}

enum participant_error participant_check_resume(const struct participant_action_facts *f,
                                                struct participant_errors *out)
{
    enum participant_role role = PARTICIPANT_ROLE__MAX; /* set by check_course */
    if (!check_course(f->course_identifier, f->has_period, &role, out))
        return first(out);
    const struct participant_period *p = &f->period;
    if (participant_training_status_of(p) == PARTICIPANT_TRAINING_ACTIVE)
        add(out, PARTICIPANT_ERR_ALREADY_ACTIVE);
    else if (f->other_covers_today)
        add(out, PARTICIPANT_ERR_ACTIVE_WITH_OTHER);
    else if (p->finished_on == f->today)
        add(out, PARTICIPANT_ERR_RESUME_SAME_DAY);
    else if ((f->school_started_on != PARTICIPANT_NO_DAY && f->school_started_on > f->today) ||
             (f->school_finished_on != PARTICIPANT_NO_DAY && f->school_finished_on <= f->today))
        /* RECT: the school period must contain today (started, not finished). */
        add(out, PARTICIPANT_ERR_LEFT_SCHOOL);
    return first(out);
}

int32_t participant_stop_finished_on(const struct participant_period *p, int32_t today)
{
    return p->finished_on != PARTICIPANT_NO_DAY && p->finished_on < today ? p->finished_on : today;
}

/* --- 2.6 change-schedule --- */

/* Choice: a cohort names a contract period only as a plain decimal year ("2025"); any other
 * text matches none and falls back silently, like an unknown year. */
static int parse_year(const char *s, int *year)
{
    int y = 0;
    if (!s || !*s || strlen(s) > 4)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        y = y * 10 + (*s - '0');
    }
    *year = y;
    return 0;
}

void participant_change_schedule_target(const struct participant_change_schedule_facts *f,
                                        struct participant_schedule_target *out)
{
    int year;
    enum participant_role role = PARTICIPANT_ROLE__MAX; /* set by check_course */
    int period = participant_course_parse(f->course_identifier, &role) == 0 && f->has_period;
    if (!parse_year(f->cohort, &year) && schedule_cohort_find(f->cohorts, f->n_cohorts, year))
        out->cohort = year;
    else
        out->cohort = period ? f->current_cohort : 0;
    out->identifier_valid = schedule_parse(f->schedule_identifier, &out->schedule) == 0;
    if (!out->identifier_valid)
        out->schedule = SCHEDULE_ID__MAX;
    out->schedule_exists =
        out->identifier_valid && out->cohort != 0 &&
        schedule_exists(f->schedules, f->n_schedules, out->cohort, out->schedule);
}

/* Checks 4-7 of the schedule_identifier table; they need a training period. */
static enum participant_error
schedule_period_error(const struct participant_change_schedule_facts *f,
                      const struct participant_schedule_target *t, enum participant_role role)
{
    enum schedule_type type = schedule_type_of(t->schedule);
    /* Decision 12: the same identifier in another cohort is a cohort change. */
    if (t->schedule == f->current_schedule && t->cohort == f->current_cohort)
        return PARTICIPANT_ERR_SCHEDULE_SAME;
    if (role == PARTICIPANT_ECT && type == SCHEDULE_REPLACEMENT)
        return PARTICIPANT_ERR_SCHEDULE_ECT_REPLACEMENT;
    if (role == PARTICIPANT_MENTOR && type == SCHEDULE_REDUCED)
        return PARTICIPANT_ERR_SCHEDULE_MENTOR_REDUCED;
    if (f->period.started_on >= f->today && f->declarations_invalid)
        return PARTICIPANT_ERR_SCHEDULE_INVALIDATES;
    return PARTICIPANT_OK;
}

/* Choice: checks 1-3 run with or without a training period; checks 4-7 need one. */
static enum participant_error schedule_error(const struct participant_change_schedule_facts *f,
                                             const struct participant_schedule_target *t,
                                             int period, enum participant_role role)
{
    if (is_blank(f->schedule_identifier))
        return PARTICIPANT_ERR_SCHEDULE_INVALID;
    if (!t->identifier_valid)
        return PARTICIPANT_ERR_SCHEDULE_UNKNOWN;
    if (!t->schedule_exists)
        return PARTICIPANT_ERR_SCHEDULE_INVALID;
    return period ? schedule_period_error(f, t, role) : PARTICIPANT_OK;
}

static enum participant_error cohort_error(const struct participant_change_schedule_facts *f,
                                           const struct participant_schedule_target *t)
{
    if (t->cohort != f->current_cohort && !f->partnership_in_target)
        return PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP;
    /* Choice: as written, this also applies when the cohort does not change: a participant in
     * a frozen cohort who never left it cannot change schedule within it. */
    if (schedule_cohort_year_frozen(f->cohorts, f->n_cohorts, t->cohort, f->now) &&
        f->payments_frozen_year != t->cohort)
        return PARTICIPANT_ERR_COHORT_FROZEN;
    return PARTICIPANT_OK;
}

static enum participant_error status_error(const struct participant_change_schedule_facts *f,
                                           const struct participant_schedule_target *t,
                                           enum participant_role role)
{
    int to_reduced = t->identifier_valid && schedule_type_of(t->schedule) == SCHEDULE_REDUCED;
    if (f->completed_on != PARTICIPANT_NO_DAY && !(role == PARTICIPANT_ECT && to_reduced))
        return PARTICIPANT_ERR_COMPLETED;
    if (participant_status_of(&f->period, f->completed_on, f->today) == PARTICIPANT_LEFT)
        return PARTICIPANT_ERR_NOT_TRAINING;
    if (participant_training_status_of(&f->period) == PARTICIPANT_TRAINING_WITHDRAWN)
        return PARTICIPANT_ERR_WITHDRAWN;
    if (f->later_period_exists)
        return PARTICIPANT_ERR_FUTURE_PROVIDER;
    return PARTICIPANT_OK;
}

/* Choice: errors come grouped as the spec's tables: course_identifier, schedule_identifier,
 * cohort, participant_id; at most one per group. */
enum participant_error
participant_check_change_schedule(const struct participant_change_schedule_facts *f,
                                  struct participant_errors *out)
{
    enum participant_role role = PARTICIPANT_ROLE__MAX; /* set by check_course */
    struct participant_schedule_target t;
    int period = check_course(f->course_identifier, f->has_period, &role, out);
    participant_change_schedule_target(f, &t);
    add(out, schedule_error(f, &t, period, role));
    if (!period)
        return first(out);
    add(out, cohort_error(f, &t));
    add(out, status_error(f, &t, role));
    return first(out);
}

static int32_t earlier_day(int32_t a, int32_t b)
{
    if (a == PARTICIPANT_NO_DAY)
        return b;
    if (b == PARTICIPANT_NO_DAY)
        return a;
    return a < b ? a : b;
}

void participant_change_schedule_plan(const struct participant_change_schedule_facts *f,
                                      const struct participant_schedule_target *t,
                                      struct participant_schedule_plan *out)
{
    enum participant_role role = PARTICIPANT_ROLE__MAX;
    int ect = participant_course_parse(f->course_identifier, &role) == 0 && role == PARTICIPANT_ECT;
    int completed_ect_to_reduced = ect && f->completed_on != PARTICIPANT_NO_DAY &&
                                   t->identifier_valid &&
                                   schedule_type_of(t->schedule) == SCHEDULE_REDUCED;
    out->in_place = completed_ect_to_reduced || f->period.started_on >= f->today;
    out->old_finished_on = earlier_day(f->period.finished_on, f->today - 1);
    /* Choice: "not yet past" keeps a finished_on of today (the new period then starts and
     * finishes today, as RECT's reject(&:past?) does). */
    int32_t a = f->period.finished_on != PARTICIPANT_NO_DAY && f->period.finished_on >= f->today
                    ? f->period.finished_on
                    : PARTICIPANT_NO_DAY;
    int32_t b = f->school_finished_on != PARTICIPANT_NO_DAY && f->school_finished_on >= f->today
                    ? f->school_finished_on
                    : PARTICIPANT_NO_DAY;
    out->new_finished_on = earlier_day(a, b);
    out->cohort_changes = t->cohort != f->current_cohort;
    out->frozen_year_write = 0;
    out->frozen_year = 0;
    if (!out->cohort_changes)
        return;
    if (schedule_cohort_year_frozen(f->cohorts, f->n_cohorts, f->current_cohort, f->now)) {
        out->frozen_year_write = 1; /* leaving a frozen cohort: remember it */
        out->frozen_year = f->current_cohort;
    } else if (schedule_cohort_year_frozen(f->cohorts, f->n_cohorts, t->cohort, f->now)) {
        out->frozen_year_write = 1; /* back into the frozen cohort: forget it */
        out->frozen_year = 0;
    }
}

/* --- 8.2 transfers --- */

static const char *const transfer_type_names[PARTICIPANT_TRANSFER_TYPE__MAX] = {
    "new_school", "new_provider", "unknown"};
static const char *const transfer_status_names[PARTICIPANT_TRANSFER_STATUS__MAX] = {"incomplete",
                                                                                    "complete"};

const char *participant_transfer_type_name(enum participant_transfer_type t)
{
    return (unsigned)t < PARTICIPANT_TRANSFER_TYPE__MAX ? transfer_type_names[t] : NULL;
}

const char *participant_transfer_status_name(enum participant_transfer_status s)
{
    return (unsigned)s < PARTICIPANT_TRANSFER_STATUS__MAX ? transfer_status_names[s] : NULL;
}

/* Latest (latest != 0) or earliest training period of a school period, or PARTICIPANT_NONE. */
static size_t period_in(const struct participant_period *tps, size_t ntp, int64_t sp, int latest)
{
    size_t best = PARTICIPANT_NONE;
    for (size_t i = 0; i < ntp; i++) {
        if (tps[i].school_period_id != sp)
            continue;
        if (best == PARTICIPANT_NONE ||
            (latest ? later_than(&tps[i], &tps[best]) : later_than(&tps[best], &tps[i])))
            best = i;
    }
    return best;
}

static void transfer_fill(struct participant_transfer *x,
                          const struct participant_school_period *sps,
                          const struct participant_period *tps, int32_t today)
{
    const struct participant_period *leave = &tps[x->leaving_training];
    const struct participant_period *join =
        x->joining_training == PARTICIPANT_NONE ? NULL : &tps[x->joining_training];
    int32_t finished_on = sps[x->leaving].finished_on;
    /* Choice: a school-led period's lead provider is "none", so school-led <-> provider-led
     * counts as a change of provider. */
    if (!join)
        x->type = PARTICIPANT_TRANSFER_UNKNOWN;
    else if (join->lead_provider_id != leave->lead_provider_id)
        x->type = PARTICIPANT_TRANSFER_NEW_PROVIDER;
    else
        x->type = PARTICIPANT_TRANSFER_NEW_SCHOOL;
    /* Choice: without a joining training period the joining date is the next school period's
     * start (the school is known, the provider is not). */
    x->joining_date = join                             ? join->started_on
                      : x->joining != PARTICIPANT_NONE ? sps[x->joining].started_on
                                                       : PARTICIPANT_NO_DAY;
    /* 8.2: overlapping dates are corrected so that leaving = joining; a natural gap stays. */
    x->leaving_date = x->joining_date != PARTICIPANT_NO_DAY && x->joining_date < finished_on
                          ? x->joining_date
                          : finished_on;
    /* Choice: the status follows the dates the client sees (the corrected ones), so a
     * transfer whose both dates have passed is complete. */
    x->status = x->leaving_date > today ||
                        (x->joining_date != PARTICIPANT_NO_DAY && x->joining_date > today)
                    ? PARTICIPANT_TRANSFER_INCOMPLETE
                    : PARTICIPANT_TRANSFER_COMPLETE;
}

size_t participant_transfers(const struct participant_school_period *sps, size_t nsp,
                             const struct participant_period *tps, size_t ntp, int64_t lp,
                             int induction_completed, int32_t today,
                             struct participant_transfer *out, size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < nsp; i++) {
        struct participant_transfer x = {0};
        if (sps[i].finished_on == PARTICIPANT_NO_DAY)
            continue;
        x.leaving = i;
        x.leaving_training = period_in(tps, ntp, sps[i].id, 1);
        if (x.leaving_training == PARTICIPANT_NONE ||
            tps[x.leaving_training].finished_on == PARTICIPANT_NO_DAY)
            continue;
        x.joining = i + 1 < nsp ? i + 1 : PARTICIPANT_NONE;
        if (x.joining != PARTICIPANT_NONE && sps[x.joining].school_id == sps[i].school_id)
            continue;
        /* Choice: the completed-induction exception is the ECT's (8.2 says "the ECT"); the
         * caller passes 0 for mentor school periods. */
        if (x.joining == PARTICIPANT_NONE && induction_completed)
            continue;
        x.joining_training = x.joining == PARTICIPANT_NONE
                                 ? PARTICIPANT_NONE
                                 : period_in(tps, ntp, sps[x.joining].id, 0);
        /* Choice: only school-partnership lead providers count (0 = none never matches). */
        if (lp == 0 || (tps[x.leaving_training].lead_provider_id != lp &&
                        (x.joining_training == PARTICIPANT_NONE ||
                         tps[x.joining_training].lead_provider_id != lp)))
            continue;
        transfer_fill(&x, sps, tps, today);
        if (count < cap)
            out[count] = x;
        count++;
    }
    return count;
}
