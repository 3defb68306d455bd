/* Output statements and the declaration states they drive (spec 4.6, decisions 7 and 13),
 * and funding eligibility (the 4.6 submitted -> eligible trigger). Pure: no database. */
#ifndef ECF_DOMAIN_STATEMENT_RULES_H
#define ECF_DOMAIN_STATEMENT_RULES_H

#include <stddef.h>
#include <stdint.h>

#define STATEMENT_NO_DAY INT32_MIN

enum statement_state { STATEMENT_OPEN, STATEMENT_PAYABLE, STATEMENT_PAID, STATEMENT_STATE__MAX };

/* "open", "payable", "paid"; NULL for an unknown value. */
const char *statement_state_name(enum statement_state s);
/* 0 and *out set for one of the three names; -1 otherwise. */
int statement_state_parse(const char *s, enum statement_state *out);

/* Whether an admin may move a statement from `from` to `to`: open -> payable and
 * payable -> paid only (at any date, decision 13). 0 when allowed; otherwise -1 with *why
 * set to the client-visible 422 detail (a static string). */
int statement_transition(enum statement_state from, enum statement_state to, const char **why);

/* How a declaration hangs on a statement: as its payment (statement_id) or as its clawback
 * (clawback_statement_id). */
enum statement_link { STATEMENT_LINK_PAYMENT, STATEMENT_LINK_CLAWBACK };

/* One declaration state change a statement change makes: declarations linked by `link`
 * in state `from` move to state `to` (API spellings, as stored). */
struct statement_declaration_move {
    enum statement_link link;
    const char *from;
    const char *to;
};

#define STATEMENT_MAX_MOVES 2

/* The moves of spec 4.6 when a statement reaches `to`: payable moves its eligible payment
 * declarations to payable; paid moves payable payment declarations to paid and
 * awaiting-clawback clawback declarations to clawed-back. Fills out[0..n) and returns n
 * (0 for open). */
size_t statement_declaration_moves(enum statement_state to,
                                   struct statement_declaration_move out[STATEMENT_MAX_MOVES]);

/* Funding eligibility (RECT SetECTFundingEligibility / SetMentorFundingEligibility). */
enum statement_role { STATEMENT_ROLE_ECT, STATEMENT_ROLE_MENTOR };

struct statement_day_range {
    int32_t started_on;
    int32_t finished_on; /* STATEMENT_NO_DAY when open-ended */
};

struct statement_funding_facts {
    int ect_eligible;      /* ect_first_became_eligible_at already set */
    int mentor_eligible;   /* mentor_first_became_eligible_at already set */
    int mentor_ineligible; /* mentor_became_ineligible_on (and reason) set */
    int has_ect_school_period;
    int has_mentor_training_period;
    const struct statement_day_range *inductions; /* the teacher's induction periods */
    size_t ninductions;
};

/* 1 when a range covers `day`: started_on <= day < finished_on (finished_on exclusive, as
 * for every period in this service). */
int statement_range_covers(const struct statement_day_range *r, int32_t day);

/* Funding eligibility of a teacher for `role` after an admin change:
 * - STATEMENT_FUNDING_BECOMES: not eligible yet, and now
 *   ECT: an induction period covers `today` and the teacher has an ECT school period;
 *   mentor: the teacher has a mentor training period and has not become ineligible.
 *   The caller stamps *_first_became_eligible_at and moves the role's submitted declarations.
 * - STATEMENT_FUNDING_ALREADY: eligible before (mentor: and not ineligible since). The caller
 *   still moves any submitted declaration of the role (normally none: a declaration made
 *   while eligible starts eligible; but another writer may have stamped the teacher earlier
 *   in the same transaction), so the order of the eligibility writers does not matter.
 * - STATEMENT_FUNDING_NONE: not eligible; nothing moves. */
enum statement_funding {
    STATEMENT_FUNDING_NONE,
    STATEMENT_FUNDING_ALREADY,
    STATEMENT_FUNDING_BECOMES
};
enum statement_funding statement_funding_check(const struct statement_funding_facts *f,
                                               enum statement_role role, int32_t today);

/* The declaration state funding eligibility moves, and to what: "submitted" -> "eligible"
 * (attached to the provider's next open statement). */
#define STATEMENT_FUNDING_FROM "submitted"
#define STATEMENT_FUNDING_TO "eligible"

/* "ecf-induction" / "ecf-mentor": the course_identifier of a role's declarations. */
const char *statement_role_course(enum statement_role role);

#endif
