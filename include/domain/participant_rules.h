/* Lead Provider API v3 participant rules (spec sections 1, 2, 5 and 8.2) as pure functions:
 * no I/O, no clock of their own ("today" and "now" are parameters), no allocation (callers pass
 * arrays). Dates are int32 days since the epoch, instants int64 microseconds (core/clock.h). */
#ifndef ECF_DOMAIN_PARTICIPANT_RULES_H
#define ECF_DOMAIN_PARTICIPANT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/schedule_rules.h"

#define PARTICIPANT_NO_DAY INT32_MIN  /* an absent date (null, or open-ended for finished_on) */
#define PARTICIPANT_NO_US INT64_MIN   /* an absent instant */
#define PARTICIPANT_NONE ((size_t)-1) /* "no such element" for index results */
#define PARTICIPANT_ERRORS_MAX 4      /* most errors one action can report */

enum participant_role { PARTICIPANT_ECT, PARTICIPANT_MENTOR, PARTICIPANT_ROLE__MAX };

/* course_identifier (0.4): "ecf-induction" -> ECT, "ecf-mentor" -> mentor, exact match.
 * 0 ok, -1 for anything else including NULL. */
int participant_course_parse(const char *s, enum participant_role *out);
const char *participant_course_identifier(enum participant_role r); /* "ecf-induction"... */
const char *participant_type_name(enum participant_role r);         /* "ect" / "mentor" */

/* One training period as stored. */
struct participant_period {
    int64_t id; /* creation order; breaks started_on ties */
    enum participant_role role;
    int64_t school_period_id; /* the ECT or mentor at-school period it belongs to */
    int64_t lead_provider_id; /* lead provider of its school partnership; 0 when it has none
                                 (expression of interest only, or school-led) */
    int32_t started_on;
    int32_t finished_on;  /* PARTICIPANT_NO_DAY: open-ended */
    int64_t withdrawn_at; /* PARTICIPANT_NO_US: not withdrawn */
    int64_t deferred_at;  /* PARTICIPANT_NO_US: not deferred */
};

/* 1 when the period covers `day`: started_on <= day < finished_on (finished_on exclusive, so a
 * period finishing today no longer covers today). */
int participant_period_covers(const struct participant_period *p, int32_t day);

/* --- 1.2 visibility and the latest period with a lead provider --- */

/* Index of the latest training period of `role` whose school partnership belongs to `lp`:
 * greatest started_on, future ones included; PARTICIPANT_NONE when there is none. */
size_t participant_latest_period(const struct participant_period *ps, size_t n, int64_t lp,
                                 enum participant_role role);
/* 1 when `lp` sees the teacher: a latest ECT or a latest mentor period with `lp` exists. */
int participant_visible(const struct participant_period *ps, size_t n, int64_t lp);
/* 1 when another period in the same school period as ps[self] covers `today` (2.5). */
int participant_other_covers(const struct participant_period *ps, size_t n, size_t self,
                             int32_t today);
/* 1 when the teacher has a period of the same role, any lead provider, starting after ps[self]
 * (2.6 "due to start with another lead provider"). */
int participant_later_period_exists(const struct participant_period *ps, size_t n, size_t self);

/* --- 1.3 training_status, 1.4 participant_status --- */

enum participant_training_status {
    PARTICIPANT_TRAINING_ACTIVE,
    PARTICIPANT_TRAINING_DEFERRED,
    PARTICIPANT_TRAINING_WITHDRAWN,
    PARTICIPANT_TRAINING__MAX
};
/* active when neither timestamp is set, else the more recent of withdrawn_at / deferred_at. */
enum participant_training_status participant_training_status_of(const struct participant_period *p);
const char *participant_training_status_name(enum participant_training_status s);

enum participant_status {
    PARTICIPANT_JOINING,
    PARTICIPANT_ACTIVE,
    PARTICIPANT_LEAVING,
    PARTICIPANT_LEFT,
    PARTICIPANT_STATUS__MAX
};
/* The participant_status of the lead provider's latest period for a role (1.4), rules in the
 * spec's order. `completed_on` is the role's completion date (participant_completed_on()):
 * PARTICIPANT_NO_DAY when not completed. */
enum participant_status participant_status_of(const struct participant_period *p,
                                              int32_t completed_on, int32_t today);
const char *participant_status_name(enum participant_status s);

/* --- 1.5 enrolment fields --- */

enum participant_mentor_reason {
    PARTICIPANT_MENTOR_COMPLETED_DECLARATION_RECEIVED,
    PARTICIPANT_MENTOR_COMPLETED_DURING_EARLY_ROLL_OUT,
    PARTICIPANT_MENTOR_STARTED_NOT_COMPLETED,
    PARTICIPANT_MENTOR_REASON__MAX /* also "none" */
};
/* Output form, underscored as in the contract; NULL for __MAX. */
const char *participant_mentor_reason_name(enum participant_mentor_reason r);
/* 0 ok, -1 unknown or NULL. */
int participant_mentor_reason_parse(const char *s, enum participant_mentor_reason *out);

/* Teacher-level facts the enrolment fields come from. */
struct participant_teacher {
    int64_t ect_eligible_at;      /* ect_first_became_eligible_for_training_at, or NO_US */
    int32_t ect_ineligible_on;    /* ect_became_ineligible_for_funding_on, or NO_DAY */
    int64_t mentor_eligible_at;   /* mentor_first_became_eligible_for_training_at, or NO_US */
    int32_t mentor_ineligible_on; /* or NO_DAY */
    enum participant_mentor_reason mentor_ineligible_reason; /* __MAX when none */
    int32_t trs_induction_start;                             /* or NO_DAY */
    int32_t trs_induction_completed;                         /* or NO_DAY */
    int ect_payments_frozen_year;                            /* 0 when none */
    int mentor_payments_frozen_year;                         /* 0 when none */
};

struct participant_induction_period {
    int32_t started_on;
    int32_t finished_on; /* NO_DAY while ongoing */
    int has_outcome;     /* pass/fail recorded */
};

enum participant_tribool { PARTICIPANT_NULL = -1, PARTICIPANT_FALSE = 0, PARTICIPANT_TRUE = 1 };

/* eligible_for_funding for a role: TRUE when the first-became-eligible date (UTC date of the
 * instant) is the earlier of the two dates or the only one, FALSE when the became-ineligible
 * date is earlier or the only one, NULL when neither exists. */
enum participant_tribool participant_eligible_for_funding(const struct participant_teacher *t,
                                                          enum participant_role role);
/* induction_end_date: finished_on of the latest finished induction period with an outcome, else
 * the TRS completion date, else NO_DAY. */
int32_t participant_induction_end_date(const struct participant_induction_period *ips, size_t n,
                                       int32_t trs_completed);
/* overall_induction_start_date: started_on of the earliest induction period, else the TRS start
 * date, else NO_DAY. */
int32_t participant_induction_start_date(const struct participant_induction_period *ips, size_t n,
                                         int32_t trs_start);
/* most_recent_induction_period_end_date: finished_on of the induction period with the greatest
 * started_on; NO_DAY when there is none or it is ongoing. */
int32_t participant_last_induction_end_date(const struct participant_induction_period *ips,
                                            size_t n);
/* Completion date of a role, as 1.4 rule 2 and 2.6 use it: the ECT's induction_end_date, the
 * mentor's mentor_became_ineligible_for_funding_on; NO_DAY when not completed. */
int32_t participant_completed_on(const struct participant_teacher *t,
                                 const struct participant_induction_period *ips, size_t n,
                                 enum participant_role role);

/* The fields of one enrolment that come from the teacher, with decision 10 applied: what does
 * not apply to the role is absent (NO_DAY / __MAX). */
struct participant_enrolment_fields {
    enum participant_tribool eligible_for_funding;
    int32_t induction_end_date;                              /* ECT only */
    int32_t most_recent_induction_period_end_date;           /* ECT only */
    int32_t overall_induction_start_date;                    /* ECT only */
    int32_t mentor_funding_end_date;                         /* mentor only */
    enum participant_mentor_reason mentor_ineligible_reason; /* mentor only */
    int cohort_changed_after_payments_frozen; /* {ect|mentor}_payments_frozen_year set */
};
void participant_enrolment_fields_of(const struct participant_teacher *t,
                                     const struct participant_induction_period *ips, size_t n,
                                     enum participant_role role,
                                     struct participant_enrolment_fields *out);

/* An ECT's mentorship. */
struct participant_mentorship {
    int64_t school_period_id; /* the ECT at-school period */
    int64_t mentor_id;        /* the mentor teacher (caller's key) */
    int32_t started_on;
    int32_t finished_on; /* NO_DAY while ongoing */
};
/* mentor_id choice (1.5, 5): index of the earliest-starting current-or-future mentorship in
 * school period `school_period_id`; current = covers today, future = starts after today.
 * PARTICIPANT_NONE when there is none. */
size_t participant_mentor_pick(const struct participant_mentorship *ms, size_t n,
                               int64_t school_period_id, int32_t today);

/* --- 2 participant actions --- */

enum participant_deferral_reason {
    PARTICIPANT_DEFERRAL_BEREAVEMENT,
    PARTICIPANT_DEFERRAL_LONG_TERM_SICKNESS,
    PARTICIPANT_DEFERRAL_PARENTAL_LEAVE,
    PARTICIPANT_DEFERRAL_CAREER_BREAK,
    PARTICIPANT_DEFERRAL_OTHER,
    PARTICIPANT_DEFERRAL__MAX
};
enum participant_withdrawal_reason {
    PARTICIPANT_WITHDRAWAL_LEFT_TEACHING_PROFESSION,
    PARTICIPANT_WITHDRAWAL_MOVED_SCHOOL,
    PARTICIPANT_WITHDRAWAL_MENTOR_NO_LONGER_BEING_MENTOR,
    PARTICIPANT_WITHDRAWAL_SWITCHED_TO_SCHOOL_LED,
    PARTICIPANT_WITHDRAWAL_CHANGED_LEAD_PROVIDER,
    PARTICIPANT_WITHDRAWAL_OTHER,
    PARTICIPANT_WITHDRAWAL__MAX
};
/* API form (dashed) in and out; stored form (underscored) for the database. Parsers take the
 * exact text and return 0 ok, -1 otherwise (NULL included). Names are NULL for __MAX. */
int participant_deferral_reason_parse(const char *dashed, enum participant_deferral_reason *out);
int participant_deferral_reason_from_stored(const char *s, enum participant_deferral_reason *out);
const char *participant_deferral_reason_name(enum participant_deferral_reason r);
const char *participant_deferral_reason_stored(enum participant_deferral_reason r);
int participant_withdrawal_reason_parse(const char *dashed,
                                        enum participant_withdrawal_reason *out);
int participant_withdrawal_reason_from_stored(const char *s,
                                              enum participant_withdrawal_reason *out);
const char *participant_withdrawal_reason_name(enum participant_withdrawal_reason r);
const char *participant_withdrawal_reason_stored(enum participant_withdrawal_reason r);

/* Every client-visible 422 error of section 2 (mapped names). */
enum participant_error {
    PARTICIPANT_OK,
    PARTICIPANT_ERR_COURSE_MISSING,        /* Enter a '#/course_identifier'. */
    PARTICIPANT_ERR_COURSE_NOT_RECOGNISED, /* valid course, no latest period of that type */
    PARTICIPANT_ERR_REASON_MISSING,
    PARTICIPANT_ERR_REASON_INVALID,
    PARTICIPANT_ERR_ALREADY_DEFERRED,
    PARTICIPANT_ERR_ALREADY_WITHDRAWN,
    PARTICIPANT_ERR_DEFER_NOT_STARTED,
    PARTICIPANT_ERR_WITHDRAW_NOT_STARTED,
    PARTICIPANT_ERR_CHANGED_TODAY, /* You cannot defer or withdraw this participant today... */
    PARTICIPANT_ERR_ECT_NOT_MENTOR,
    PARTICIPANT_ERR_ALREADY_ACTIVE,
    PARTICIPANT_ERR_ACTIVE_WITH_OTHER,
    PARTICIPANT_ERR_RESUME_SAME_DAY,
    PARTICIPANT_ERR_LEFT_SCHOOL,
    PARTICIPANT_ERR_SCHEDULE_INVALID, /* must be present and correspond to a valid schedule */
    PARTICIPANT_ERR_SCHEDULE_UNKNOWN, /* Enter a valid schedule identifier. */
    PARTICIPANT_ERR_SCHEDULE_SAME,
    PARTICIPANT_ERR_SCHEDULE_ECT_REPLACEMENT,
    PARTICIPANT_ERR_SCHEDULE_MENTOR_REDUCED,
    PARTICIPANT_ERR_SCHEDULE_INVALIDATES,
    PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP,
    PARTICIPANT_ERR_COHORT_FROZEN,
    PARTICIPANT_ERR_COMPLETED,
    PARTICIPANT_ERR_NOT_TRAINING, /* 'left' participant_status */
    PARTICIPANT_ERR_WITHDRAWN,    /* Cannot perform actions on a withdrawn participant */
    PARTICIPANT_ERR_FUTURE_PROVIDER,
    PARTICIPANT_ERROR__MAX
};
/* The 422 entry for an error: title (attribute) and detail; NULL for PARTICIPANT_OK. */
const char *participant_error_title(enum participant_error e);
const char *participant_error_detail(enum participant_error e);

/* Errors of one action, in the order the client sees them. */
struct participant_errors {
    size_t n;
    enum participant_error e[PARTICIPANT_ERRORS_MAX];
};

/* Facts for defer, withdraw and resume. Strings are the request's values (NUL-terminated,
 * NULL when absent). `period` is the lead provider's latest training period of the role named
 * by course_identifier; has_period is 0 when there is none (or the course is not valid). */
struct participant_action_facts {
    int32_t today;
    const char *course_identifier;
    const char *reason; /* defer and withdraw */
    int has_period;
    struct participant_period period;
    /* resume only */
    int other_covers_today;     /* participant_other_covers() */
    int32_t school_started_on;  /* started_on of the period's school period; NO_DAY: unknown
                                   (treated as started) */
    int32_t school_finished_on; /* finished_on of the period's school period; NO_DAY ongoing */
};

/* Each check fills *out with every error in the client's order (shared course_identifier
 * checks first, then the action's, in the spec's table order) and returns the first one, or
 * PARTICIPANT_OK. */
enum participant_error participant_check_defer(const struct participant_action_facts *f,
                                               struct participant_errors *out);
enum participant_error participant_check_withdraw(const struct participant_action_facts *f,
                                                  struct participant_errors *out);
enum participant_error participant_check_resume(const struct participant_action_facts *f,
                                                struct participant_errors *out);

/* finished_on of a period that defer or withdraw stops today (2.3, 2.4): the earlier of its own
 * finished_on and today. */
int32_t participant_stop_finished_on(const struct participant_period *p, int32_t today);

/* Facts for change-schedule (2.6). */
struct participant_change_schedule_facts {
    int32_t today;
    int64_t now;
    const char *course_identifier;
    const char *schedule_identifier;
    const char *cohort; /* string year as sent; NULL when absent */
    int has_period;
    struct participant_period period;
    int current_cohort;
    enum schedule_id current_schedule;
    int32_t completed_on;       /* participant_completed_on() for the role */
    int payments_frozen_year;   /* {ect|mentor}_payments_frozen_year; 0 when none */
    int partnership_in_target;  /* this LP has an active contract and a school partnership at the
                                   same school in the target cohort */
    int later_period_exists;    /* participant_later_period_exists() */
    int declarations_invalid;   /* re-validating the period's declarations against the target
                                   schedule makes one invalid (schedule_declarations_invalid) */
    int32_t school_finished_on; /* finished_on of the period's school period; NO_DAY ongoing */
    const struct schedule_cohort *cohorts;
    size_t n_cohorts;
    const struct schedule_def *schedules;
    size_t n_schedules;
};

/* Where a change-schedule would go. */
struct participant_schedule_target {
    int cohort;                /* the requested cohort when it names a known one, else the
                                  current cohort (0 when there is no period either) */
    int identifier_valid;      /* schedule_identifier is one of the 12 */
    enum schedule_id schedule; /* when identifier_valid */
    int schedule_exists;       /* that schedule exists in the target cohort */
};
void participant_change_schedule_target(const struct participant_change_schedule_facts *f,
                                        struct participant_schedule_target *out);
enum participant_error
participant_check_change_schedule(const struct participant_change_schedule_facts *f,
                                  struct participant_errors *out);

/* What a change-schedule that passed its checks does (2.6 "Effect", "Frozen bookkeeping"). */
struct participant_schedule_plan {
    int in_place;            /* update the period itself (started today or later, or a
                                completed ECT moving to a reduced schedule) */
    int32_t old_finished_on; /* !in_place: the current period's new finished_on (the earlier
                                of its own and yesterday) */
    int32_t new_finished_on; /* !in_place: the new period (starting today) finishes on the
                                earliest not-yet-past of the period's and the school period's
                                finished_on; NO_DAY open-ended */
    int cohort_changes;      /* the target cohort differs from the current one */
    int frozen_year_write;   /* 1 when {ect|mentor}_payments_frozen_year must be written */
    int frozen_year;         /* the value to write; 0 = NULL */
};
void participant_change_schedule_plan(const struct participant_change_schedule_facts *f,
                                      const struct participant_schedule_target *t,
                                      struct participant_schedule_plan *out);

/* --- 8.2 transfers --- */

enum participant_transfer_type {
    PARTICIPANT_TRANSFER_NEW_SCHOOL,
    PARTICIPANT_TRANSFER_NEW_PROVIDER,
    PARTICIPANT_TRANSFER_UNKNOWN,
    PARTICIPANT_TRANSFER_TYPE__MAX
};
enum participant_transfer_status {
    PARTICIPANT_TRANSFER_INCOMPLETE,
    PARTICIPANT_TRANSFER_COMPLETE,
    PARTICIPANT_TRANSFER_STATUS__MAX
};
const char *participant_transfer_type_name(enum participant_transfer_type t);
const char *participant_transfer_status_name(enum participant_transfer_status s);

/* A school period (ECT or mentor at a school) of one role. */
struct participant_school_period {
    int64_t id; /* matched against participant_period.school_period_id */
    int64_t school_id;
    int32_t started_on;
    int32_t finished_on; /* NO_DAY while ongoing */
};

struct participant_transfer {
    size_t leaving;          /* index of the school period left */
    size_t leaving_training; /* index of its latest training period */
    size_t joining;          /* index of the next school period, or PARTICIPANT_NONE */
    size_t joining_training; /* index of the next school period's earliest training period, or
                                PARTICIPANT_NONE */
    enum participant_transfer_type type;
    enum participant_transfer_status status;
    int32_t leaving_date; /* the school period's finished_on (decision 11), corrected to the
                             joining date when that is earlier (8.2: dates never overlap) */
    int32_t joining_date; /* the joining training period's started_on, else the next school
                             period's started_on; NO_DAY when there is no next school period */
};

/* Transfers of one role relevant to lead provider `lp` (8.2, decision 11). The status is
 * incomplete while the (corrected) leaving date or the joining date is after `today`. `sps`
 * must be sorted by started_on ascending; `tps` are the training periods of those school periods
 * (any lead provider, school-led included). `induction_completed` suppresses the transfer out of
 * the last school period (pass 0 for mentors). Writes at most `cap` transfers, in the order of the
 * leaving period's start, and returns how many it found (may exceed cap). */
size_t participant_transfers(const struct participant_school_period *sps, size_t nsp,
                             const struct participant_period *tps, size_t ntp, int64_t lp,
                             int induction_completed, int32_t today,
                             struct participant_transfer *out, size_t cap);

#endif
