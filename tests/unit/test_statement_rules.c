/* Output statement rules (spec 4.6, decisions 7 and 13) and funding eligibility, without a
 * database: one named TAP point per case. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "domain/statement_rules.h"
#include "tap.h"

#define NO_DAY STATEMENT_NO_DAY

static int32_t day(const char *s)
{
    int32_t d = 0;
    if (clock_parse_date(s, &d))
        return NO_DAY;
    return d;
}

static void test_states(void)
{
    enum statement_state s = STATEMENT_PAID;
    ok(statement_state_parse("open", &s) == 0 && s == STATEMENT_OPEN, "parse open");
    ok(statement_state_parse("payable", &s) == 0 && s == STATEMENT_PAYABLE, "parse payable");
    ok(statement_state_parse("paid", &s) == 0 && s == STATEMENT_PAID, "parse paid");
    ok(statement_state_parse("Paid", &s) == -1, "parse is case-sensitive");
    ok(statement_state_parse("", &s) == -1 && statement_state_parse(NULL, &s) == -1,
       "parse refuses empty and NULL");
    ok(statement_state_parse("clawed-back", &s) == -1, "parse refuses a declaration state");
    ok(strcmp(statement_state_name(STATEMENT_PAYABLE), "payable") == 0, "name of payable");
    ok(statement_state_name(STATEMENT_STATE__MAX) == NULL, "name of an unknown state is NULL");
}

static void test_transitions(void)
{
    static const struct {
        enum statement_state from, to;
        int allowed;
        const char *why;
    } cases[] = {
        {STATEMENT_OPEN, STATEMENT_PAYABLE, 1, NULL},
        {STATEMENT_PAYABLE, STATEMENT_PAID, 1, NULL},
        {STATEMENT_OPEN, STATEMENT_PAID, 0,
         "An open statement must be marked payable before it is paid"},
        {STATEMENT_OPEN, STATEMENT_OPEN, 0, "The statement is already open"},
        {STATEMENT_PAYABLE, STATEMENT_PAYABLE, 0, "The statement is already payable"},
        {STATEMENT_PAID, STATEMENT_PAID, 0, "The statement is already paid"},
        {STATEMENT_PAID, STATEMENT_PAYABLE, 0, "A paid statement cannot change state"},
        {STATEMENT_PAID, STATEMENT_OPEN, 0, "A paid statement cannot change state"},
        {STATEMENT_PAYABLE, STATEMENT_OPEN, 0, "A statement cannot be reopened"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *why = NULL;
        int rc = statement_transition(cases[i].from, cases[i].to, &why);
        if (cases[i].allowed)
            ok(rc == 0 && why == NULL, "%s -> %s allowed", statement_state_name(cases[i].from),
               statement_state_name(cases[i].to));
        else
            ok(rc == -1 && why && strcmp(why, cases[i].why) == 0, "%s -> %s refused: %s",
               statement_state_name(cases[i].from), statement_state_name(cases[i].to),
               why ? why : "(no reason)");
    }
}

static void test_moves(void)
{
    struct statement_declaration_move m[STATEMENT_MAX_MOVES];
    ok(statement_declaration_moves(STATEMENT_OPEN, m) == 0, "open moves no declaration");
    size_t n = statement_declaration_moves(STATEMENT_PAYABLE, m);
    ok(n == 1 && m[0].link == STATEMENT_LINK_PAYMENT && strcmp(m[0].from, "eligible") == 0 &&
           strcmp(m[0].to, "payable") == 0,
       "payable: payment declarations eligible -> payable, nothing else");
    n = statement_declaration_moves(STATEMENT_PAID, m);
    ok(n == 2 && m[0].link == STATEMENT_LINK_PAYMENT && strcmp(m[0].from, "payable") == 0 &&
           strcmp(m[0].to, "paid") == 0,
       "paid: payment declarations payable -> paid");
    ok(n == 2 && m[1].link == STATEMENT_LINK_CLAWBACK &&
           strcmp(m[1].from, "awaiting-clawback") == 0 && strcmp(m[1].to, "clawed-back") == 0,
       "paid: clawback declarations awaiting-clawback -> clawed-back");
    ok(strcmp(STATEMENT_FUNDING_FROM, "submitted") == 0 &&
           strcmp(STATEMENT_FUNDING_TO, "eligible") == 0,
       "funding eligibility moves submitted -> eligible");
}

static void test_funding(void)
{
    int32_t today = day("2025-10-01");
    struct statement_day_range covering = {day("2025-09-01"), NO_DAY};
    struct statement_day_range ends_today = {day("2025-09-01"), day("2025-10-01")};
    struct statement_day_range ends_tomorrow = {day("2025-09-01"), day("2025-10-02")};
    struct statement_day_range starts_tomorrow = {day("2025-10-02"), NO_DAY};
    struct statement_day_range starts_today = {today, NO_DAY};
    struct statement_day_range past = {day("2024-09-01"), day("2025-07-01")};

    ok(statement_range_covers(&covering, today),
       "an open-ended range started earlier covers today");
    ok(statement_range_covers(&starts_today, today), "a range starting today covers today");
    ok(!statement_range_covers(&ends_today, today),
       "a range finishing today no longer covers today (finished_on exclusive)");
    ok(statement_range_covers(&ends_tomorrow, today), "a range finishing tomorrow covers today");
    ok(!statement_range_covers(&starts_tomorrow, today), "a range starting tomorrow does not");

#define BECOMES STATEMENT_FUNDING_BECOMES
#define ALREADY STATEMENT_FUNDING_ALREADY
#define NONE STATEMENT_FUNDING_NONE
    struct statement_funding_facts f = {
        .has_ect_school_period = 1, .inductions = &covering, .ninductions = 1};
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == BECOMES,
       "ECT: induction covering today + an ECT school period -> becomes eligible");
    f.ect_eligible = 1;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == ALREADY,
       "ECT: already eligible -> already (stamped once; submitted declarations still move)");
    f.ninductions = 0;
    f.has_ect_school_period = 0;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == ALREADY,
       "ECT: once eligible, eligible whatever the facts now");
    f.ect_eligible = 0;
    f.ninductions = 1;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == NONE,
       "ECT: no ECT school period -> not eligible");
    f.has_ect_school_period = 1;
    f.ninductions = 0;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == NONE,
       "ECT: no induction period -> not eligible");
    struct statement_day_range two[] = {past, starts_tomorrow};
    f.inductions = two;
    f.ninductions = 2;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == NONE,
       "ECT: a finished and a future induction period, none covering today -> not eligible");
    struct statement_day_range two_b[] = {past, ends_tomorrow};
    f.inductions = two_b;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == BECOMES,
       "ECT: the second induction period covers today -> becomes eligible");
    f.has_mentor_training_period = 1;
    ok(statement_funding_check(&f, STATEMENT_ROLE_ECT, today) == BECOMES &&
           statement_funding_check(&(struct statement_funding_facts){0}, STATEMENT_ROLE_MENTOR,
                                   today) == NONE,
       "roles are independent");

    struct statement_funding_facts m = {.has_mentor_training_period = 1};
    ok(statement_funding_check(&m, STATEMENT_ROLE_MENTOR, today) == BECOMES,
       "mentor: a mentor training period and never ineligible -> becomes eligible");
    m.mentor_ineligible = 1;
    ok(statement_funding_check(&m, STATEMENT_ROLE_MENTOR, today) == NONE,
       "mentor: became ineligible -> not eligible");
    m.mentor_eligible = 1;
    ok(statement_funding_check(&m, STATEMENT_ROLE_MENTOR, today) == NONE,
       "mentor: eligible, then ineligible (completed) -> nothing moves");
    m.mentor_ineligible = 0;
    ok(statement_funding_check(&m, STATEMENT_ROLE_MENTOR, today) == ALREADY,
       "mentor: already eligible -> already");
    m.mentor_eligible = 0;
    m.has_mentor_training_period = 0;
    m.has_ect_school_period = 1;
    m.inductions = &covering;
    m.ninductions = 1;
    ok(statement_funding_check(&m, STATEMENT_ROLE_MENTOR, today) == NONE,
       "mentor: no mentor training period -> not eligible (ECT facts do not count)");

    ok(strcmp(statement_role_course(STATEMENT_ROLE_ECT), "ecf-induction") == 0 &&
           strcmp(statement_role_course(STATEMENT_ROLE_MENTOR), "ecf-mentor") == 0,
       "course identifiers of the roles");
}

int main(void)
{
    test_states();
    test_transitions();
    test_moves();
    test_funding();
    return tap_done();
}
