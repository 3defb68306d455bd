/* Output statement transitions, the declaration moves they make and funding eligibility
 * (see statement_rules.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "domain/statement_rules.h"

static const char *const state_names[STATEMENT_STATE__MAX] = {
    [STATEMENT_OPEN] = "open", [STATEMENT_PAYABLE] = "payable", [STATEMENT_PAID] = "paid"};

const char *statement_state_name(enum statement_state s)
{
    return (unsigned)s < STATEMENT_STATE__MAX ? state_names[s] : NULL;
}

int statement_state_parse(const char *s, enum statement_state *out)
{
    if (!s)
        return -1;
    for (unsigned i = 0; i < STATEMENT_STATE__MAX; i++)
        if (strcmp(s, state_names[i]) == 0) {
            *out = (enum statement_state)i;
            return 0;
        }
    return -1;
}

int statement_transition(enum statement_state from, enum statement_state to, const char **why)
{
    if (from == STATEMENT_OPEN && to == STATEMENT_PAYABLE)
        return 0;
    if (from == STATEMENT_PAYABLE && to == STATEMENT_PAID)
        return 0;
    if (from == to)
        *why = from == STATEMENT_OPEN      ? "The statement is already open"
               : from == STATEMENT_PAYABLE ? "The statement is already payable"
                                           : "The statement is already paid";
    else if (from == STATEMENT_PAID)
        *why = "A paid statement cannot change state";
    else if (to == STATEMENT_OPEN)
        *why = "A statement cannot be reopened";
    else
        *why = "An open statement must be marked payable before it is paid";
    return -1;
}

size_t statement_declaration_moves(enum statement_state to,
                                   struct statement_declaration_move out[STATEMENT_MAX_MOVES])
{
    switch (to) {
    case STATEMENT_PAYABLE:
        out[0] = (struct statement_declaration_move){STATEMENT_LINK_PAYMENT, "eligible", "payable"};
        return 1;
    case STATEMENT_PAID:
        out[0] = (struct statement_declaration_move){STATEMENT_LINK_PAYMENT, "payable", "paid"};
        out[1] = (struct statement_declaration_move){STATEMENT_LINK_CLAWBACK, "awaiting-clawback",
                                                     "clawed-back"};
        return 2;
    default:
        return 0;
    }
}

int statement_range_covers(const struct statement_day_range *r, int32_t day)
{
    return r->started_on <= day && (r->finished_on == STATEMENT_NO_DAY || day < r->finished_on);
}

enum statement_funding statement_funding_check(const struct statement_funding_facts *f,
                                               enum statement_role role, int32_t today)
{
    if (role == STATEMENT_ROLE_MENTOR) {
        if (f->mentor_ineligible)
            return STATEMENT_FUNDING_NONE;
        if (f->mentor_eligible)
            return STATEMENT_FUNDING_ALREADY;
        return f->has_mentor_training_period ? STATEMENT_FUNDING_BECOMES : STATEMENT_FUNDING_NONE;
    }
    if (f->ect_eligible)
        return STATEMENT_FUNDING_ALREADY;
    if (!f->has_ect_school_period)
        return STATEMENT_FUNDING_NONE;
    for (size_t i = 0; i < f->ninductions; i++)
        if (statement_range_covers(&f->inductions[i], today))
            return STATEMENT_FUNDING_BECOMES;
    return STATEMENT_FUNDING_NONE;
}

const char *statement_role_course(enum statement_role role)
{
    return role == STATEMENT_ROLE_MENTOR ? "ecf-mentor" : "ecf-induction";
}
