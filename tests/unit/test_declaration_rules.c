/* Declaration rules (spec section 4), without a database: one named TAP point per case. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "domain/declaration_rules.h"
#include "tap.h"

#define NO_DAY DECL_NO_DAY
#define NO_US DECL_NO_US

static int64_t at(const char *s)
{
    int64_t us = 0;
    if (decl_date_parse(s, &us))
        return NO_US;
    return us;
}

static int32_t day(const char *s)
{
    int32_t d = 0;
    if (clock_parse_date(s, &d))
        return NO_DAY;
    return d;
}

/* A valid 2024 ECT started request and facts that let it through. */
static struct decl_request rq;
static struct decl_facts f;
static struct decl_parsed p;
static struct decl_errors errs;
static const int64_t *now;
static int64_t now_us;

static void reset(void)
{
    rq = (struct decl_request){"7a8fef46-3c43-42c0-b3d5-1ba5904ba562", "ecf-induction", "started",
                               "2024-10-01T10:00:00Z", NULL};
    memset(&f, 0, sizeof(f));
    f.teacher_found = 1;
    f.registered = 1;
    f.has_period = 1;
    f.cohort = 2024;
    f.withdrawn_at = NO_US;
    f.statement_available = 1;
    f.milestone_found = 1;
    f.milestone_start = day("2024-06-01");
    f.milestone_end = day("2024-12-31");
    now_us = at("2025-01-15T12:00:00Z");
    now = &now_us;
}

static void run(void)
{
    decl_request_parse(&rq, &p);
    decl_validate(&rq, &p, &f, *now, &errs);
}

/* 1 when the only error is (title, detail). */
static int only(const char *title, const char *detail)
{
    return errs.n == 1 && !strcmp(errs.e[0].title, title) && !strcmp(errs.e[0].detail, detail);
}

#define NOT_RECOGNISED                                                                             \
    "Your update cannot be made as the '#/participant_id' is not recognised. Check participant "   \
    "details and try again."

static void test_dates(void)
{
    ok(at("2025-01-01T10:00:00Z") ==
           clock_day_start_us(day("2025-01-01")) + 36000 * CLOCK_US_PER_SEC,
       "date: Z");
    ok(at("2025-01-01T10:00:00") == at("2025-01-01T10:00:00Z"), "date: no zone is UTC");
    ok(at("2025-01-01T10:00:00+01:00") == at("2025-01-01T09:00:00Z"), "date: +01:00");
    ok(at("2025-01-01T10:00:00+0100") == at("2025-01-01T09:00:00Z"), "date: +0100");
    ok(at("2025-01-01T10:00:00-02") == at("2025-01-01T12:00:00Z"), "date: -02");
    ok(at("2025-01-01T10:00:00.5Z") == at("2025-01-01T10:00:00Z") + 500000, "date: fraction");
    ok(at("2025-01-01T10:00:00,25Z") == at("2025-01-01T10:00:00Z") + 250000, "date: comma");
    ok(at("2025-01-01") == NO_US, "date: date only fails");
    ok(at("2025-02-30T10:00:00Z") == NO_US, "date: 30 February fails");
    ok(at("foo") == NO_US, "date: text fails");
    ok(at("2025-01-01T10:00:00Zx") == NO_US, "date: trailing text fails");
    ok(at("2025-01-01T24:00:00Z") == NO_US, "date: hour 24 fails");
}

static void test_evidence(void)
{
    ok(!decl_evidence_required(SCHEDULE_DECL_STARTED, 0),
       "evidence: pre-2025 started not required");
    ok(!decl_evidence_kept(SCHEDULE_DECL_STARTED, 0), "evidence: pre-2025 started discarded");
    ok(decl_evidence_required(SCHEDULE_DECL_STARTED, 1), "evidence: 2025 started required");
    ok(decl_evidence_required(SCHEDULE_DECL_RETAINED_1, 0), "evidence: pre-2025 retained required");
    ok(decl_evidence_allowed(PARTICIPANT_ECT, SCHEDULE_DECL_RETAINED_1, 0, "other"),
       "evidence: simple other");
    ok(!decl_evidence_allowed(PARTICIPANT_ECT, SCHEDULE_DECL_RETAINED_1, 0,
                              "materials-engaged-with-offline"),
       "evidence: simple list has no offline");
    ok(decl_evidence_allowed(PARTICIPANT_ECT, SCHEDULE_DECL_RETAINED_2, 1,
                             "75-percent-engagement-met"),
       "evidence: ECT retained-2 engagement");
    ok(!decl_evidence_allowed(PARTICIPANT_ECT, SCHEDULE_DECL_RETAINED_2, 1, "other"),
       "evidence: ECT retained-2 not other");
    ok(decl_evidence_allowed(PARTICIPANT_ECT, SCHEDULE_DECL_COMPLETED, 1, "one-term-induction"),
       "evidence: ECT completed one-term");
    ok(!decl_evidence_allowed(PARTICIPANT_MENTOR, SCHEDULE_DECL_COMPLETED, 1, "one-term-induction"),
       "evidence: mentor completed no one-term");
    ok(decl_evidence_allowed(PARTICIPANT_MENTOR, SCHEDULE_DECL_STARTED, 1,
                             "materials-engaged-with-offline"),
       "evidence: mentor started offline");
    ok(!decl_evidence_allowed(PARTICIPANT_MENTOR, SCHEDULE_DECL_RETAINED_1, 1, "other"),
       "evidence: mentor retained nothing");
}

static void test_sequence(void)
{
    struct decl_dated ds[] = {{SCHEDULE_DECL_STARTED, at("2025-09-01T00:00:00Z")},
                              {SCHEDULE_DECL_RETAINED_2, at("2026-02-01T00:00:00Z")}};
    ok(decl_in_sequence(SCHEDULE_DECL_RETAINED_1, at("2025-10-01T00:00:00Z"), ds, 2),
       "sequence: between");
    ok(decl_in_sequence(SCHEDULE_DECL_RETAINED_1, at("2025-09-01T00:00:00Z"), ds, 2),
       "sequence: same instant as the earlier type");
    ok(!decl_in_sequence(SCHEDULE_DECL_RETAINED_1, at("2025-08-01T00:00:00Z"), ds, 2),
       "sequence: before started");
    ok(!decl_in_sequence(SCHEDULE_DECL_RETAINED_1, at("2026-03-01T00:00:00Z"), ds, 2),
       "sequence: after retained-2");
    ok(decl_in_sequence(SCHEDULE_DECL_COMPLETED, at("2026-03-01T00:00:00Z"), ds, 2),
       "sequence: completed last");
}

static void test_validate(void)
{
    reset();
    run();
    ok(errs.n == 0, "validate: a good request passes");

    reset();
    rq.participant_id = "  ";
    run();
    ok(only("participant_id", "Enter a '#/participant_id'."), "rule 1: blank participant_id");

    reset();
    f.teacher_found = 0;
    f.registered = 0;
    f.has_period = 0;
    run();
    ok(only("participant_id", NOT_RECOGNISED), "rule 2: unknown participant");

    reset();
    rq.course_identifier = "ecf-foo";
    f.has_period = 0;
    run();
    ok(only("course_identifier", "Enter a '#/course_identifier'."), "rule 3: unknown course");

    reset();
    rq.declaration_date = NULL;
    run();
    ok(only("declaration_date", "Enter a '#/declaration_date'."), "rule 4: no date");

    reset();
    f.has_period = 0;
    run();
    ok(only("course_identifier", "The entered '#/course_identifier' is not recognised for the "
                                 "given participant. Check details and try again."),
       "rule 5: no period of that role");

    reset();
    rq.declaration_type = "";
    run();
    ok(only("declaration_type", "Enter a '#/declaration_type'."), "rule 6: blank type");

    reset();
    rq.declaration_type = "retained-9";
    run();
    ok(only("declaration_type", "Enter a valid declaration type."), "rule 7: bad type");

    reset();
    f.duplicate = 1;
    run();
    ok(only("declaration_type", "A declaration has already been submitted that will be, or has "
                                "been, paid for this event."),
       "rule 8: duplicate");

    reset();
    now_us = at("2024-10-01T09:59:59Z");
    run();
    ok(only(
           "declaration_date",
           "The '#/declaration_date' value cannot be a future date. Check the date and try again."),
       "rule 9: future");

    reset();
    rq.declaration_date = "2024-05-31T23:59:59Z";
    run();
    ok(only("declaration_date", "Declaration date must be on or after the milestone start date "
                                "for the same declaration type."),
       "rule 10: before the window");

    reset();
    rq.declaration_date = "2025-01-01T00:00:00Z";
    run();
    ok(only("declaration_date", "Declaration date must be on or before the milestone date for "
                                "the same declaration type."),
       "rule 11: after the window");
    reset();
    rq.declaration_date = "2024-12-31T23:59:59Z";
    run();
    ok(errs.n == 0, "rule 11: the milestone date's last second is inside");

    reset();
    rq.declaration_date = "2024-10-01";
    run();
    ok(only("declaration_date", "Enter a valid RCF3339 '#/declaration_date'."),
       "rule 12: date only");

    reset();
    rq.course_identifier = "ecf-mentor";
    rq.declaration_type = "retained-1";
    rq.evidence_held = "other";
    f.cohort = 2025;
    f.mentor_funding_enabled = 1;
    f.detailed_evidence = 1;
    f.milestone_end = NO_DAY;
    rq.declaration_date = "2025-10-01T00:00:00Z";
    f.milestone_start = day("2025-07-01");
    now_us = at("2025-11-01T00:00:00Z");
    run();
    ok(errs.n == 1 && !strcmp(errs.e[0].title, "declaration_type") &&
           !strncmp(errs.e[0].detail, "You cannot send retained or extended", 36),
       "rule 13: mentor retained in 2025");

    reset();
    rq.declaration_type = "retained-1";
    run();
    ok(only("evidence_held", "Enter a '#/evidence_held' value for this participant."),
       "rule 14: evidence required");
    reset();
    rq.declaration_type = "retained-1";
    rq.evidence_held = "one-term-induction";
    run();
    ok(only("evidence_held", "Enter an available '#/evidence_held' type for this participant."),
       "rule 15: evidence not available");
    reset();
    rq.evidence_held = "nonsense";
    run();
    ok(errs.n == 0, "rule 15: pre-2025 started evidence is discarded, not validated");

    reset();
    f.withdrawn_at = at("2024-10-01T10:00:00Z");
    run();
    ok(only("participant_id", "This participant withdrew from this course on 2024-10-01T10:00:00Z. "
                              "Enter a '#/declaration_date' that's on or before the withdrawal "
                              "date."),
       "rule 16: withdrawn at the declaration instant");
    reset();
    f.withdrawn_at = at("2024-10-01T10:00:01Z");
    run();
    ok(errs.n == 0, "rule 16: withdrawn after the declaration date passes");

    reset();
    f.frozen_year_today = 2022;
    run();
    ok(only("cohort", "You cannot submit declarations for the 2022 cohort. The funding contract "
                      "for this cohort has ended. Get in touch if you need to discuss this with "
                      "us."),
       "rule 17: frozen cohort");

    reset();
    f.eligible_for_funding = 1;
    f.statement_available = 0;
    run();
    ok(only("cohort", "You cannot submit or void declarations for the 2024 cohort. The funding "
                      "contract for this cohort has ended. Get in touch if you need to discuss "
                      "this with us."),
       "rule 18: no open statement");
    reset();
    f.statement_available = 0;
    run();
    ok(errs.n == 0, "rule 18: not eligible needs no statement");

    reset();
    f.milestone_found = 0;
    run();
    ok(only("declaration_type", "The property '#/declaration_type' does not exist for this "
                                "schedule."),
       "rule 19: no milestone");

    reset();
    {
        struct decl_dated ds[] = {{SCHEDULE_DECL_RETAINED_1, at("2025-09-01T00:00:00Z")}};
        rq.declaration_date = "2025-10-01T00:00:00Z";
        rq.evidence_held = "other";
        f.cohort = 2025;
        f.detailed_evidence = 1;
        f.milestone_end = NO_DAY;
        f.existing = ds;
        f.nexisting = 1;
        now_us = at("2025-11-01T00:00:00Z");
        run();
        ok(only("declaration_date", "This '#/declaration_date' is invalid. Check that it is in "
                                    "sequence with existing declaration dates for this "
                                    "participant."),
           "rule 20: started after retained-1 in 2025");
        f.cohort = 2024;
        f.detailed_evidence = 0;
        run();
        ok(errs.n == 0, "rule 20: not before 2025");
    }

    reset();
    f.registered = 0;
    f.has_period = 0;
    run();
    ok(only("participant_id", NOT_RECOGNISED), "rule 21: not registered with the provider");

    /* Several rules at once: later ones still run unless their skip condition holds. */
    reset();
    f.withdrawn_at = at("2024-09-01T00:00:00Z");
    f.frozen_year_today = 2022;
    f.eligible_for_funding = 1;
    f.statement_available = 0;
    run();
    ok(errs.n == 2 && !strcmp(errs.e[0].title, "participant_id") &&
           !strcmp(errs.e[1].title, "cohort") &&
           !strncmp(errs.e[1].detail, "You cannot submit declarations for the 2022", 43),
       "order: withdrawn then frozen; the statement rule is skipped after a cohort error");
    reset();
    rq.participant_id = NULL;
    rq.course_identifier = NULL;
    rq.declaration_date = NULL;
    f.teacher_found = 0;
    f.registered = 0;
    f.has_period = 0;
    run();
    ok(only("participant_id", "Enter a '#/participant_id'."),
       "order: a blank participant_id hides the course and date presence checks");
    reset();
    f.duplicate = 1;
    rq.declaration_date = "2024-05-01T00:00:00Z";
    run();
    ok(errs.n == 1 && !strcmp(errs.e[0].title, "declaration_type"),
       "order: a duplicate (8) skips the milestone window (10)");
    reset();
    rq.course_identifier = "ecf-mentor";
    rq.declaration_type = "retained-1";
    f.cohort = 2025;
    f.mentor_funding_enabled = 1;
    f.detailed_evidence = 1;
    f.milestone_found = 0;
    rq.declaration_date = "2025-10-01T00:00:00Z";
    now_us = at("2025-11-01T00:00:00Z");
    run();
    ok(errs.n == 1 && !strcmp(errs.e[0].title, "declaration_type"),
       "order: the mentor rule (13) skips evidence (14) and the milestone rule (19)");
}

static void test_other(void)
{
    uint8_t a[32], b[32];
    memset(a, 1, 32);
    memset(b, 1, 32);
    ok(decl_exact_copy(1, 5, 5, a, b), "copy: same date and evidence");
    ok(decl_exact_copy(1, 5, 5, NULL, NULL), "copy: both absent");
    ok(!decl_exact_copy(1, 5, 5, a, NULL), "copy: evidence added");
    ok(!decl_exact_copy(1, 5, 6, a, b), "copy: other instant");
    ok(!decl_exact_copy(0, 5, 5, a, b), "copy: other provider");

    int pp, sp;
    decl_uplifts(SCHEDULE_DECL_STARTED, 1, 1, 0, &pp, &sp);
    ok(pp == 1 && sp == 0, "uplift: started with fees");
    decl_uplifts(SCHEDULE_DECL_RETAINED_1, 1, 1, 1, &pp, &sp);
    ok(pp == 0 && sp == 0, "uplift: not for retained");
    decl_uplifts(SCHEDULE_DECL_STARTED, 0, 1, 1, &pp, &sp);
    ok(pp == 0 && sp == 0, "uplift: not without fees");

    ok(decl_initial_state(1) == DECL_ELIGIBLE && decl_initial_state(0) == DECL_SUBMITTED,
       "state: initial");
    ok(decl_void_decide(DECL_SUBMITTED, 0) == DECL_VOID_TO_VOIDED, "void: submitted");
    ok(decl_void_decide(DECL_PAYABLE, 0) == DECL_VOID_TO_VOIDED, "void: payable");
    ok(decl_void_decide(DECL_PAID, 1) == DECL_VOID_TO_CLAWBACK, "void: paid -> clawback");
    ok(decl_void_decide(DECL_PAID, 0) == DECL_VOID_NO_STATEMENT, "void: paid, no statement");
    ok(decl_void_decide(DECL_VOIDED, 1) == DECL_VOID_ALREADY_VOIDED, "void: voided");
    ok(decl_void_decide(DECL_AWAITING_CLAWBACK, 1) == DECL_VOID_ALREADY_REFUNDED,
       "void: awaiting clawback");
    char buf[DECL_DETAIL_MAX];
    ok(!strcmp(decl_void_detail(DECL_VOID_NO_STATEMENT, 2024, buf),
               "You cannot submit or void declarations for the 2024 cohort. The funding contract "
               "for this cohort has ended. Get in touch if you need to discuss this with us"),
       "void: clawback detail has no final period");

    ok(decl_visible(1, 0, 0, NO_DAY, 0), "visible: own");
    ok(decl_visible(0, 1, 1, NO_DAY, 100), "visible: other, X ongoing");
    ok(decl_visible(0, 1, 1, 100, 100), "visible: other, dated on X's finish");
    ok(!decl_visible(0, 1, 1, 99, 100), "visible: other, dated after X finished");
    ok(!decl_visible(0, 0, 1, NO_DAY, 100), "visible: other, voided");
    ok(!decl_visible(0, 1, 0, NO_DAY, 100), "visible: other, X has no period of the role");

    ok(decl_mentor_finish_on(10, 5) == 10 && decl_mentor_finish_on(5, 5) == 6,
       "mentor completion: finish date");
    ok(decl_mentor_period_open(NO_DAY, 5) && decl_mentor_period_open(6, 5) &&
           !decl_mentor_period_open(5, 5),
       "mentor completion: open period");
    {
        struct decl_mentor_facts mf = {day("2025-10-20"), NO_DAY, 0,      1,
                                       day("2025-09-01"), NO_DAY, NO_DAY, day("2025-10-20"),
                                       day("2025-11-01")};
        struct decl_mentor_plan pl;
        ok(decl_mentor_completion(&mf, &pl) && pl.set_funding &&
               pl.ineligible_on == day("2025-10-20") && pl.finish_period &&
               pl.finish_on == day("2025-10-20") && !pl.new_period,
           "mentor completion: completed -> funding end and the period finished");
        mf.ineligible_on = day("2025-10-20");
        mf.reason_is_completed = 1;
        mf.period_finished_on = day("2025-10-20");
        ok(!decl_mentor_completion(&mf, &pl), "mentor completion: nothing left to change");
        mf.latest_completed_on = NO_DAY;
        ok(decl_mentor_completion(&mf, &pl) && pl.set_funding && pl.ineligible_on == NO_DAY &&
               pl.new_period && pl.new_start == day("2025-10-21") && pl.new_end == NO_DAY,
           "mentor completion: voided -> cleared and a new period");
        mf.school_period_finished_on = day("2025-10-20");
        ok(decl_mentor_completion(&mf, &pl) && !pl.new_period,
           "mentor completion: no new period past the school period's end");
        mf.period_finished_on = day("2025-12-01");
        mf.school_period_finished_on = NO_DAY;
        ok(decl_mentor_completion(&mf, &pl) && !pl.new_period,
           "mentor completion: the period still covers today");
    }
    ok(decl_state_counting(DECL_PAID) && !decl_state_counting(DECL_AWAITING_CLAWBACK),
       "state: counting");
}

int main(void)
{
    test_dates();
    test_evidence();
    test_sequence();
    test_validate();
    test_other();
    return tap_done();
}
