/* Lead Provider API v3 declaration rules (spec section 4, decisions 3 and 13) as pure
 * functions: no I/O, no clock of their own, no allocation. The handler gathers the facts from
 * the database, the rules decide. Dates are int32 days since the epoch, instants int64
 * microseconds (core/clock.h). */
#ifndef ECF_DOMAIN_DECLARATION_RULES_H
#define ECF_DOMAIN_DECLARATION_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"

#define DECL_NO_DAY INT32_MIN
#define DECL_NO_US INT64_MIN
#define DECL_ERRORS_MAX 12
#define DECL_DETAIL_MAX 320

/* --- states (4.6) --- */

enum decl_state {
    DECL_SUBMITTED,
    DECL_ELIGIBLE,
    DECL_PAYABLE,
    DECL_PAID,
    DECL_VOIDED,
    DECL_AWAITING_CLAWBACK,
    DECL_CLAWED_BACK,
    DECL_STATE__MAX
};
const char *decl_state_name(enum decl_state s);            /* "awaiting-clawback", ... */
int decl_state_parse(const char *s, enum decl_state *out); /* 0 ok, -1 unknown */
/* 1 for submitted/eligible/payable/paid: the declaration still counts (duplicate rule,
 * idempotency, sequence, visibility of another provider's declaration). */
int decl_state_counting(enum decl_state s);
/* 1 when the payment was made (paid, awaiting-clawback, clawed-back): uplift_paid's half. */
int decl_state_paid(enum decl_state s);

/* --- RFC 3339 declaration_date (4.3 rule 12) --- */

/* YYYY-MM-DDTHH:MM:SS[(.|,)frac][Z|±HH[[:]MM]] ('T' and 'Z' in either case; no zone = UTC),
 * a real calendar date and time. 0 ok (*us set), -1 otherwise. */
int decl_date_parse(const char *s, int64_t *us);

/* --- evidence_held (4.4) --- */

/* 1 when evidence is required for (type, cohort flag). */
int decl_evidence_required(enum schedule_declaration t, int detailed);
/* 1 when the sent evidence is kept at all (pre-2025 started: discarded, stored null). */
int decl_evidence_kept(enum schedule_declaration t, int detailed);
/* 1 when `value` is an available evidence type for the role, type and cohort flag. */
int decl_evidence_allowed(enum participant_role role, enum schedule_declaration t, int detailed,
                          const char *value);

/* --- sequence (4.3 rule 20) --- */

struct decl_dated {
    enum schedule_declaration type;
    int64_t date_us;
};
/* 1 when `at` for type `t` is in sequence with the counting declarations ds[0..n) of the same
 * teacher and role: every earlier type dated <= at, every later type dated >= at. */
int decl_in_sequence(enum schedule_declaration t, int64_t at, const struct decl_dated *ds,
                     size_t n);

/* --- POST validation (4.3), in RECT's execution order with its skip conditions --- */

/* What the request sent (attributes as text; NULL = absent or null). Blank = NULL or only
 * white space. */
struct decl_request {
    const char *participant_id;
    const char *course_identifier;
    const char *declaration_type;
    const char *declaration_date;
    const char *evidence_held;
};

/* What the database said, for the facts the request names. */
struct decl_facts {
    int teacher_found; /* participant_id names a teacher (not merged away) */
    int registered;    /* the teacher has a training period (either role) with the caller */
    int has_period;    /* the caller's latest period of the requested role exists */
    int cohort;        /* that period's cohort */
    int mentor_funding_enabled;
    int detailed_evidence;    /* detailed_evidence_types_enabled of that cohort */
    int64_t withdrawn_at;     /* DECL_NO_US unless that period's training_status is withdrawn */
    int eligible_for_funding; /* {ect|mentor}_first_became_eligible_at set */
    int statement_available; /* an open statement of the caller for the cohort, deadline >= today */
    int frozen_year_today; /* cohort year of the role's period covering today when frozen, else 0 */
    int milestone_found;   /* the period's schedule has a milestone of the type */
    int32_t milestone_start; /* its start_date */
    int32_t milestone_end;   /* its milestone_date, DECL_NO_DAY when open */
    int duplicate;           /* a counting declaration of this teacher, role and type exists */
    const struct decl_dated *existing; /* the role's counting declarations (sequence rule) */
    size_t nexisting;
};

struct decl_error {
    const char *title; /* public name: participant_id, course_identifier, ... */
    char detail[DECL_DETAIL_MAX];
};
struct decl_errors {
    size_t n;
    struct decl_error e[DECL_ERRORS_MAX];
};

/* The parsed request, for the handler (valid when the corresponding field parsed). */
struct decl_parsed {
    int has_role;
    enum participant_role role;
    int has_type;
    enum schedule_declaration type;
    int has_date;
    int64_t date_us;
};
/* Parses what can be parsed (role, type, date) without judging. */
void decl_request_parse(const struct decl_request *r, struct decl_parsed *out);

/* Runs every rule of 4.3 in order; errs->n = 0 when the declaration may be created. */
void decl_validate(const struct decl_request *r, const struct decl_parsed *p,
                   const struct decl_facts *f, int64_t now_us, struct decl_errors *errs);

/* Decision 3: 1 when the request is an exact copy of a counting declaration of the same
 * provider: same declaration_date instant and the same evidence_held as sent (compared by
 * digest; both absent/null counts as equal). The caller has matched teacher, role and type. */
int decl_exact_copy(int same_provider, int64_t existing_date_us, int64_t request_date_us,
                    const uint8_t *existing_sha, const uint8_t *request_sha);

/* --- effects of creation (4.5) --- */

/* The state of a new declaration: eligible when the teacher is eligible for funding for the
 * role (it then needs the statement), else submitted. */
enum decl_state decl_initial_state(int eligible_for_funding);
/* Uplift flags: only for started in a cohort with uplift fees, copied from the school. */
void decl_uplifts(enum schedule_declaration t, int uplift_fees_enabled, int school_pp,
                  int school_sparsity, int *pp, int *sparsity);
/* Mentor completion: finished_on for the mentor's latest period (the declaration's day when
 * after started_on, else started_on + 1). */
int32_t decl_mentor_finish_on(int32_t declaration_day, int32_t started_on);
/* 1 when the latest period is still ongoing or finishes in the future (then it is finished). */
int decl_mentor_period_open(int32_t finished_on, int32_t today);

/* Mentor completion (4.5, 4.7), run after a mentor `completed` declaration was created or
 * stopped counting. */
struct decl_mentor_facts {
    int32_t latest_completed_on; /* day of the latest counting completed one, or NO_DAY */
    int32_t ineligible_on;       /* the teacher's mentor_became_ineligible_on, or NO_DAY */
    int reason_is_completed;     /* its reason is completed_declaration_received */
    int has_period;              /* the provider's latest mentor period exists */
    int32_t period_started_on;
    int32_t period_finished_on;        /* NO_DAY when open */
    int32_t school_period_finished_on; /* NO_DAY when open */
    int32_t declaration_day;           /* the declaration being processed */
    int32_t today;
};
struct decl_mentor_plan {
    int set_funding; /* write ineligible_on (NO_DAY = clear) with the reason or none */
    int32_t ineligible_on;
    int finish_period; /* finish the latest period on finish_on */
    int32_t finish_on;
    int new_period; /* a new period like the latest, new_start .. new_end (NO_DAY open) */
    int32_t new_start, new_end;
};
/* 1 when anything changes (then the teacher's updated_at moves). */
int decl_mentor_completion(const struct decl_mentor_facts *f, struct decl_mentor_plan *out);

/* --- void and clawback (4.7) --- */

enum decl_void_outcome {
    DECL_VOID_TO_VOIDED,        /* submitted/eligible/payable -> voided */
    DECL_VOID_TO_CLAWBACK,      /* paid -> awaiting-clawback (needs a statement) */
    DECL_VOID_ALREADY_VOIDED,   /* 422 */
    DECL_VOID_ALREADY_REFUNDED, /* 422: awaiting-clawback / clawed-back */
    DECL_VOID_NO_STATEMENT,     /* 422: paid, but no open statement for the clawback */
};
enum decl_void_outcome decl_void_decide(enum decl_state s, int clawback_statement_available);
/* The 422 detail of an outcome (title participant_declaration_id); `cohort` for
 * DECL_VOID_NO_STATEMENT. Writes into out; returns out, or NULL for a success outcome. */
const char *decl_void_detail(enum decl_void_outcome o, int cohort, char out[DECL_DETAIL_MAX]);

/* --- visibility (4.8) --- */

/* 1 when provider X sees a declaration: its own (`own`), or another provider's that still
 * counts while X has a latest period of the same role that is unfinished or finished on or
 * after the declaration's day. x_has_latest = 0 when X has no such period. */
int decl_visible(int own, int counting, int x_has_latest, int32_t x_finished_on,
                 int32_t declaration_day);

#endif
