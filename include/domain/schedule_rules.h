/* Lead Provider API v3 schedule rules (spec sections 3.1-3.5) as pure functions: no I/O, no
 * clock of their own. Dates are int32 days since the epoch, instants int64 microseconds (see
 * core/clock.h). Callers pass the cohorts, schedules and milestones they loaded as arrays. */
#ifndef ECF_DOMAIN_SCHEDULE_RULES_H
#define ECF_DOMAIN_SCHEDULE_RULES_H

#include <stddef.h>
#include <stdint.h>

#define SCHEDULE_NO_DAY INT32_MIN      /* an absent date */
#define SCHEDULE_NO_US INT64_MIN       /* an absent instant */
#define SCHEDULE_SUCCESSOR_COHORT 2024 /* target of the extended reassignment (3.3 step 2) */

enum schedule_type {
    SCHEDULE_STANDARD,
    SCHEDULE_EXTENDED,
    SCHEDULE_REDUCED,
    SCHEDULE_REPLACEMENT,
    SCHEDULE_TYPE__MAX
};

enum schedule_month { SCHEDULE_SEPTEMBER, SCHEDULE_JANUARY, SCHEDULE_APRIL, SCHEDULE_MONTH__MAX };

/* The 12 identifiers of 3.1, type-major: id = type * SCHEDULE_MONTH__MAX + month. */
enum schedule_id {
    SCHEDULE_STANDARD_SEPTEMBER,
    SCHEDULE_STANDARD_JANUARY,
    SCHEDULE_STANDARD_APRIL,
    SCHEDULE_EXTENDED_SEPTEMBER,
    SCHEDULE_EXTENDED_JANUARY,
    SCHEDULE_EXTENDED_APRIL,
    SCHEDULE_REDUCED_SEPTEMBER,
    SCHEDULE_REDUCED_JANUARY,
    SCHEDULE_REDUCED_APRIL,
    SCHEDULE_REPLACEMENT_SEPTEMBER,
    SCHEDULE_REPLACEMENT_JANUARY,
    SCHEDULE_REPLACEMENT_APRIL,
    SCHEDULE_ID__MAX
};

/* Declaration types in their sequence order (4.3 rule 20). */
enum schedule_declaration {
    SCHEDULE_DECL_STARTED,
    SCHEDULE_DECL_RETAINED_1,
    SCHEDULE_DECL_RETAINED_2,
    SCHEDULE_DECL_RETAINED_3,
    SCHEDULE_DECL_RETAINED_4,
    SCHEDULE_DECL_COMPLETED,
    SCHEDULE_DECL_EXTENDED_1,
    SCHEDULE_DECL_EXTENDED_2,
    SCHEDULE_DECL_EXTENDED_3,
    SCHEDULE_DECL__MAX
};

/* A cohort (contract period) and the flags of 3.5. */
struct schedule_cohort {
    int year;
    int64_t payments_frozen_at; /* SCHEDULE_NO_US when never frozen */
    int mentor_funding_enabled;
    int detailed_evidence_types_enabled;
    int uplift_fees_enabled;
};

/* One schedule row: an identifier in a cohort. */
struct schedule_def {
    int cohort;
    enum schedule_id id;
};

/* One milestone row (3.4). */
struct schedule_milestone {
    int cohort;
    enum schedule_id schedule;
    enum schedule_declaration type;
    int32_t start_date;     /* inclusive, from 00:00:00Z */
    int32_t milestone_date; /* inclusive to its end; SCHEDULE_NO_DAY = no upper bound */
};

/* Identifier text, e.g. "ecf-standard-september"; NULL for an out-of-range id. */
const char *schedule_identifier(enum schedule_id id);
/* Exact match of one of the 12 identifiers. 0 ok (sets *out), -1 otherwise (NULL included). */
int schedule_parse(const char *s, enum schedule_id *out);
enum schedule_id schedule_make(enum schedule_type type, enum schedule_month month);
enum schedule_type schedule_type_of(enum schedule_id id);
enum schedule_month schedule_month_of(enum schedule_id id);

/* Declaration type text, e.g. "retained-1"; NULL when out of range. */
const char *schedule_declaration_name(enum schedule_declaration t);
/* Exact match of one of the 9 types. 0 ok, -1 otherwise (NULL included). */
int schedule_declaration_parse(const char *s, enum schedule_declaration *out);

/* Year of the contract period (1 June - 31 May) containing `day`. */
int schedule_cohort_year_of(int32_t day);
/* Default month of a schedule starting on `day` (3.3): June-October september, November-February
 * january, March-May april. */
enum schedule_month schedule_month_for(int32_t day);
/* The cohort with that year, or NULL. */
const struct schedule_cohort *schedule_cohort_find(const struct schedule_cohort *cs, size_t n,
                                                   int year);
/* 1 when payments_frozen_at is set and not after `now` (3.5). */
int schedule_cohort_frozen(const struct schedule_cohort *c, int64_t now);
/* 1 when the cohort with that year exists and is frozen at `now`. */
int schedule_cohort_year_frozen(const struct schedule_cohort *cs, size_t n, int year, int64_t now);
/* 1 when the schedule `id` exists in `cohort`. */
int schedule_exists(const struct schedule_def *ss, size_t n, int cohort, enum schedule_id id);

/* Who may be on what (3.2): ECTs never on replacement, mentors never on reduced. */
int schedule_allowed_for_role(enum schedule_id id, int mentor);
/* Bit (1u << type) set for each declaration type a schedule of that type has milestones for
 * (3.2): 6 types for standard, reduced and replacement, 9 for extended. For building data. */
unsigned schedule_type_declarations(enum schedule_type type);
/* 1 when the schedule `id` of `cohort` has a milestone of type `t` (3.2): the only test of
 * whether a declaration type is allowed on a schedule. */
int schedule_allows(const struct schedule_milestone *ms, size_t n, int cohort, enum schedule_id id,
                    enum schedule_declaration t);
/* Mentors in a mentor_funding_enabled cohort may only declare started and completed (3.2, 4.3
 * rule 13). 1 when allowed; c == NULL counts as not enabled. */
int schedule_mentor_declaration_allowed(const struct schedule_cohort *c,
                                        enum schedule_declaration t);

enum schedule_window {
    SCHEDULE_WINDOW_OK,
    SCHEDULE_WINDOW_BEFORE_START,    /* before start_date 00:00:00Z */
    SCHEDULE_WINDOW_AFTER_MILESTONE, /* after the end of milestone_date */
    SCHEDULE_WINDOW_NO_MILESTONE,    /* the schedule has no milestone of that type */
    SCHEDULE_WINDOW__MAX
};
/* Checks a declaration instant against the milestone of (cohort, id, t) (3.4):
 * start_date 00:00 <= at, and at < end of milestone_date when that is set. */
enum schedule_window schedule_window_check(const struct schedule_milestone *ms, size_t n,
                                           int cohort, enum schedule_id id,
                                           enum schedule_declaration t, int64_t declaration_at);
/* One existing declaration, for re-validation against another schedule. */
struct schedule_declared {
    enum schedule_declaration type;
    int64_t declaration_at;
};
/* 1 when moving declarations ds[0..nd) to schedule `id` of `cohort` makes one invalid (2.6, the
 * "same day" check): its date falls outside that schedule's milestone window for its type. A
 * type the schedule has no milestone for is not a window error (RECT validates a window only
 * where a milestone exists). */
int schedule_declarations_invalid(const struct schedule_milestone *ms, size_t n, int cohort,
                                  enum schedule_id id, const struct schedule_declared *ds,
                                  size_t nd);
/* The client-visible 422 title and detail (4.3 rules 10, 11, 19); NULL for SCHEDULE_WINDOW_OK. */
const char *schedule_window_title(enum schedule_window w);
const char *schedule_window_detail(enum schedule_window w);

/* Facts for the replacement type of 3.3 step 5 (all booleans). */
struct schedule_replacement_facts {
    int mentor;                     /* the new period is a mentor's */
    int mentee_provider_led;        /* the mentee's training is provider-led */
    int mentor_funding_ineligible;  /* the mentor is already funding-ineligible */
    int mentee_declared_with_other; /* the mentee has a non-voided declaration dated inside a
                                       mentorship with a different (earlier) mentor */
};
/* 1 when a replacement schedule type applies (3.3 step 5). */
int schedule_replacement_applies(const struct schedule_replacement_facts *f);

/* What 3.3 needs to pick a default schedule for a new provider-led training period. */
struct schedule_assign_facts {
    int32_t start_date;
    int32_t today;
    int64_t now;             /* for the frozen test */
    int registration_cohort; /* cohort supplied by the registration flow; 0 when none */
    int mentor;              /* 1 for a mentor period, 0 for an ECT period */
    int has_previous;        /* the teacher has an earlier provider-led period in this role */
    int previous_cohort;     /* its cohort */
    enum schedule_id previous_schedule; /* its schedule */
    int replacement;                    /* schedule_replacement_applies() */
};

struct schedule_assignment {
    int cohort;
    enum schedule_id id;
    int step; /* which step of 3.3 decided: 2 extended, 3 reuse, 4 same identifier, 5 built */
};

enum schedule_result {
    SCHEDULE_OK,
    SCHEDULE_NOT_FOUND /* the chosen schedule does not exist (ScheduleNotFound) */
};
/* Default schedule of a new provider-led training period (3.3), from the cohorts and schedules
 * that exist. On SCHEDULE_OK *out is set; on SCHEDULE_NOT_FOUND *out names what was looked for. */
enum schedule_result schedule_assign_default(const struct schedule_assign_facts *f,
                                             const struct schedule_cohort *cs, size_t ncs,
                                             const struct schedule_def *ss, size_t nss,
                                             struct schedule_assignment *out);

#endif
