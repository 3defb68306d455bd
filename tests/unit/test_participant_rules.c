/* Participant rules (spec sections 1, 2, 5, 8.2), without a database: one named TAP point per
 * case. "Today" is 2026-03-26 throughout unless a case says otherwise. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"
#include "tap.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NO_DAY PARTICIPANT_NO_DAY
#define NO_US PARTICIPANT_NO_US
#define NONE PARTICIPANT_NONE
#define ECT PARTICIPANT_ECT
#define MENTOR PARTICIPANT_MENTOR

static int32_t today;
static int64_t now;

/* "YYYY-MM-DD" -> day; NULL -> NO_DAY. */
static int32_t day(const char *s)
{
    int32_t d = 0;
    if (!s || clock_parse_date(s, &d))
        return NO_DAY;
    return d;
}

/* RFC 3339 -> instant; NULL -> NO_US. */
static int64_t ts(const char *s)
{
    int64_t us = 0;
    if (!s || clock_parse_rfc3339(s, &us))
        return NO_US;
    return us;
}

/* A period from text dates: started, finished, withdrawn_at, deferred_at (NULL = absent). */
static struct participant_period period(const char *started, const char *finished,
                                        const char *withdrawn, const char *deferred)
{
    struct participant_period p = {0};
    p.role = ECT;
    p.lead_provider_id = 1;
    p.started_on = day(started);
    p.finished_on = day(finished);
    p.withdrawn_at = ts(withdrawn);
    p.deferred_at = ts(deferred);
    return p;
}

/* Expected errors: up to PARTICIPANT_ERRORS_MAX, the rest PARTICIPANT_OK. */
struct expect {
    enum participant_error e[PARTICIPANT_ERRORS_MAX];
};

static int same_errors(enum participant_error ret, const struct participant_errors *got,
                       const struct expect *want)
{
    size_t n = 0;
    while (n < PARTICIPANT_ERRORS_MAX && want->e[n] != PARTICIPANT_OK)
        n++;
    if (got->n != n || ret != (n ? want->e[0] : PARTICIPANT_OK))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (got->e[i] != want->e[i])
            return 0;
    return 1;
}

static void test_course(void)
{
    enum participant_role r;
    ok(participant_course_parse("ecf-induction", &r) == 0 && r == ECT, "ecf-induction is ECT");
    ok(participant_course_parse("ecf-mentor", &r) == 0 && r == MENTOR, "ecf-mentor is mentor");
    static const char *const bad[] = {"ecf-foo", "", "ECF-MENTOR", "ecf-mentor ", "ect"};
    for (size_t i = 0; i < COUNT(bad); i++)
        ok(participant_course_parse(bad[i], &r) == -1, "course '%s' is no course", bad[i]);
    ok(participant_course_parse(NULL, &r) == -1, "absent course is no course");
    ok(!strcmp(participant_course_identifier(MENTOR), "ecf-mentor") &&
           !strcmp(participant_course_identifier(ECT), "ecf-induction"),
       "course identifiers");
    ok(!strcmp(participant_type_name(ECT), "ect") &&
           !strcmp(participant_type_name(MENTOR), "mentor"),
       "participant_type names");
}

static void test_covers(void)
{
    static const struct {
        const char *started, *finished;
        int expect;
        const char *name;
    } cases[] = {
        {"2026-03-26", NULL, 1, "starts today, open: covers today"},
        {"2026-03-27", NULL, 0, "starts tomorrow: does not cover today"},
        {"2025-09-01", "2026-03-26", 0, "finishes today: no longer covers today"},
        {"2025-09-01", "2026-03-27", 1, "finishes tomorrow: covers today"},
        {"2025-09-01", "2026-03-25", 0, "finished yesterday: does not cover"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_period p = period(cases[i].started, cases[i].finished, NULL, NULL);
        ok(participant_period_covers(&p, today) == cases[i].expect, "covers: %s", cases[i].name);
    }
}

static void test_latest_and_visibility(void)
{
    struct participant_period ps[] = {
        /* id, role, school period, LP, started, finished, withdrawn, deferred */
        {1, ECT, 10, 1, day("2023-09-01"), day("2024-08-31"), NO_US, NO_US},
        {2, ECT, 10, 1, day("2024-09-01"), day("2026-03-26"), NO_US, NO_US},
        {3, ECT, 11, 1, day("2026-09-01"), NO_DAY, NO_US, NO_US},
        {4, ECT, 11, 0, day("2027-01-01"), NO_DAY, NO_US, NO_US}, /* EOI / school-led */
        {5, MENTOR, 20, 2, day("2025-01-01"), NO_DAY, NO_US, NO_US},
        {6, MENTOR, 20, 2, day("2025-01-01"), NO_DAY, NO_US, NO_US},
        {7, MENTOR, 20, 3, day("2024-01-01"), day("2024-12-31"), NO_US, NO_US},
    };
    size_t n = COUNT(ps);
    ok(participant_latest_period(ps, n, 1, ECT) == 2,
       "latest ECT period with LP 1 is the future-dated one");
    ok(participant_latest_period(ps, n, 1, MENTOR) == NONE, "LP 1 has no mentor period");
    ok(participant_latest_period(ps, n, 2, MENTOR) == 5,
       "equal started_on: the later-created period is the latest");
    ok(participant_latest_period(ps, n, 0, ECT) == NONE,
       "periods without a partnership count for nobody");
    ok(participant_latest_period(ps, n, 3, MENTOR) == 6,
       "LP 3 keeps its finished period as its latest");
    ok(participant_latest_period(ps, 2, 1, ECT) == 1, "greatest started_on wins among past ones");
    ok(participant_visible(ps, n, 1), "visible to LP 1 (ECT periods only)");
    ok(participant_visible(ps, n, 2), "visible to LP 2 (mentor periods only)");
    ok(participant_visible(ps, n, 3), "still visible to LP 3 after its period finished");
    ok(!participant_visible(ps, n, 4), "not visible to an LP without a partnership period");
    ok(!participant_visible(ps, n, 0), "LP 0 sees nothing");

    ok(participant_later_period_exists(ps, n, 1), "a later ECT period exists after id 2");
    ok(!participant_later_period_exists(ps, n, 3), "nothing of the role starts after the last one");
    ok(!participant_later_period_exists(ps, n, 5), "equal start is not a later period");

    struct participant_period sp[] = {
        {1, ECT, 10, 1, day("2025-09-01"), day("2026-03-20"), NO_US, ts("2026-03-20T10:00:00Z")},
        {2, ECT, 10, 2, day("2026-03-21"), NO_DAY, NO_US, NO_US},
        {3, ECT, 99, 3, day("2026-01-01"), NO_DAY, NO_US, NO_US},
        {4, MENTOR, 10, 3, day("2026-01-01"), NO_DAY, NO_US, NO_US},
    };
    ok(participant_other_covers(sp, 2, 0, today),
       "another LP's period in the same school period covers today");
    ok(!participant_other_covers(sp, 1, 0, today), "no other period");
    struct participant_period sp2[] = {sp[0], sp[2], sp[3]};
    ok(!participant_other_covers(sp2, 3, 0, today),
       "periods of another school period or role do not count");
    sp[1].finished_on = today;
    ok(!participant_other_covers(sp, 2, 0, today), "a period finishing today does not cover it");
    sp[1].started_on = today + 1;
    sp[1].finished_on = NO_DAY;
    ok(!participant_other_covers(sp, 2, 0, today), "a period starting tomorrow does not cover it");
}

static void test_training_status(void)
{
    static const struct {
        const char *withdrawn, *deferred;
        enum participant_training_status expect;
        const char *name;
    } cases[] = {
        {NULL, NULL, PARTICIPANT_TRAINING_ACTIVE, "neither set: active"},
        {"2026-01-01T10:00:00Z", NULL, PARTICIPANT_TRAINING_WITHDRAWN, "withdrawn only"},
        {NULL, "2026-01-01T10:00:00Z", PARTICIPANT_TRAINING_DEFERRED, "deferred only"},
        {"2026-02-01T10:00:00Z", "2026-01-01T10:00:00Z", PARTICIPANT_TRAINING_WITHDRAWN,
         "deferred then withdrawn: withdrawn"},
        {"2026-01-01T10:00:00Z", "2026-01-01T10:00:01Z", PARTICIPANT_TRAINING_DEFERRED,
         "withdrawn then deferred a second later: deferred"},
        {"2026-01-01T10:00:00Z", "2026-01-01T10:00:00Z", PARTICIPANT_TRAINING_WITHDRAWN,
         "same instant: withdrawn"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_period p =
            period("2025-09-01", "2026-01-01", cases[i].withdrawn, cases[i].deferred);
        ok(participant_training_status_of(&p) == cases[i].expect, "training_status: %s",
           cases[i].name);
    }
    ok(!strcmp(participant_training_status_name(PARTICIPANT_TRAINING_ACTIVE), "active") &&
           !strcmp(participant_training_status_name(PARTICIPANT_TRAINING_DEFERRED), "deferred") &&
           !strcmp(participant_training_status_name(PARTICIPANT_TRAINING_WITHDRAWN), "withdrawn"),
       "training_status names");
}

static void test_participant_status(void)
{
    static const struct {
        const char *started, *finished, *withdrawn, *deferred, *completed;
        enum participant_status expect;
        const char *name;
    } cases[] = {
        {"2025-09-01", "2026-03-26", NULL, "2026-03-26T09:00:00Z", NULL, PARTICIPANT_LEFT,
         "rule 1: deferred today (finished today) is left the same day"},
        {"2025-09-01", "2026-03-26", "2026-03-26T09:00:00Z", NULL, NULL, PARTICIPANT_LEFT,
         "rule 1: withdrawn today is left the same day"},
        {"2025-09-01", "2026-03-27", "2026-03-20T09:00:00Z", NULL, NULL, PARTICIPANT_LEAVING,
         "rule 1: withdrawn with a future finished_on is leaving"},
        {"2025-09-01", NULL, NULL, "2026-03-20T09:00:00Z", NULL, PARTICIPANT_LEFT,
         "rule 1: deferred without finished_on is left"},
        {"2026-04-01", "2026-07-01", NULL, "2026-03-20T09:00:00Z", NULL, PARTICIPANT_LEAVING,
         "rule 1 before rule 4: deferred future period with future finish is leaving"},
        {"2025-09-01", "2026-01-01", "2025-12-20T09:00:00Z", NULL, "2025-12-01", PARTICIPANT_LEFT,
         "rule 1 before rule 2: completed but withdrawn is left"},
        {"2024-09-01", NULL, NULL, NULL, "2026-01-10", PARTICIPANT_ACTIVE,
         "rule 2: completed, period unfinished: active"},
        {"2024-09-01", "2026-01-10", NULL, NULL, "2026-01-10", PARTICIPANT_ACTIVE,
         "rule 2: completed on the period's finished_on: active"},
        {"2024-09-01", "2026-01-09", NULL, NULL, "2026-01-10", PARTICIPANT_LEFT,
         "rule 2 not met: completed after the period finished, rule 3 gives left"},
        {"2024-09-01", "2026-12-31", NULL, NULL, "2026-01-10", PARTICIPANT_ACTIVE,
         "rule 2: completed before a future finish: active, not leaving"},
        {"2026-09-01", NULL, NULL, NULL, "2026-01-10", PARTICIPANT_ACTIVE,
         "rule 2 before rule 4: completed, future start: active"},
        {"2025-09-01", "2026-03-26", NULL, NULL, NULL, PARTICIPANT_LEFT,
         "rule 3: finished_on == today counts as left"},
        {"2025-09-01", "2026-03-27", NULL, NULL, NULL, PARTICIPANT_LEAVING,
         "rule 3: finished_on tomorrow is leaving"},
        {"2025-09-01", "2026-03-25", NULL, NULL, NULL, PARTICIPANT_LEFT,
         "rule 3: finished yesterday is left"},
        {"2026-04-01", "2026-08-31", NULL, NULL, NULL, PARTICIPANT_LEAVING,
         "rule 3 before rule 4: future start with a finish date is leaving"},
        {"2026-03-27", NULL, NULL, NULL, NULL, PARTICIPANT_JOINING,
         "rule 4: starts tomorrow is joining"},
        {"2026-03-26", NULL, NULL, NULL, NULL, PARTICIPANT_ACTIVE,
         "rule 5: starts today is active"},
        {"2025-09-01", NULL, NULL, NULL, NULL, PARTICIPANT_ACTIVE, "rule 5: ongoing is active"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_period p =
            period(cases[i].started, cases[i].finished, cases[i].withdrawn, cases[i].deferred);
        ok(participant_status_of(&p, day(cases[i].completed), today) == cases[i].expect,
           "participant_status: %s", cases[i].name);
    }
    ok(!strcmp(participant_status_name(PARTICIPANT_JOINING), "joining") &&
           !strcmp(participant_status_name(PARTICIPANT_ACTIVE), "active") &&
           !strcmp(participant_status_name(PARTICIPANT_LEAVING), "leaving") &&
           !strcmp(participant_status_name(PARTICIPANT_LEFT), "left") &&
           participant_status_name(PARTICIPANT_STATUS__MAX) == NULL,
       "participant_status names");
}

static struct participant_teacher teacher_none(void)
{
    struct participant_teacher t = {NO_US,  NO_DAY, NO_US, NO_DAY, PARTICIPANT_MENTOR_REASON__MAX,
                                    NO_DAY, NO_DAY, 0,     0};
    return t;
}

static void test_eligibility(void)
{
    static const struct {
        enum participant_role role;
        const char *eligible_at, *ineligible_on;
        enum participant_tribool expect;
        const char *name;
    } cases[] = {
        {ECT, NULL, NULL, PARTICIPANT_NULL, "no facts: null"},
        {ECT, "2025-09-10T08:00:00Z", NULL, PARTICIPANT_TRUE, "eligible only: true"},
        {ECT, NULL, "2025-09-10", PARTICIPANT_FALSE, "ineligible only: false"},
        {ECT, "2025-09-10T08:00:00Z", "2026-01-01", PARTICIPANT_TRUE,
         "eligible before ineligible: stays true"},
        {ECT, "2026-01-02T08:00:00Z", "2026-01-01", PARTICIPANT_FALSE,
         "ineligible before eligible: false"},
        {ECT, "2026-01-01T23:59:59Z", "2026-01-01", PARTICIPANT_TRUE,
         "same day (instant late in the day): true"},
        {MENTOR, "2025-01-01T00:00:00Z", "2025-07-01", PARTICIPANT_TRUE,
         "completed mentor who was eligible: true"},
        {MENTOR, NULL, "2021-04-19", PARTICIPANT_FALSE, "early roll-out mentor: false"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_teacher t = teacher_none();
        if (cases[i].role == ECT) {
            t.ect_eligible_at = ts(cases[i].eligible_at);
            t.ect_ineligible_on = day(cases[i].ineligible_on);
        } else {
            t.mentor_eligible_at = ts(cases[i].eligible_at);
            t.mentor_ineligible_on = day(cases[i].ineligible_on);
        }
        ok(participant_eligible_for_funding(&t, cases[i].role) == cases[i].expect,
           "eligible_for_funding: %s", cases[i].name);
    }
    struct participant_teacher t = teacher_none();
    t.ect_eligible_at = ts("2025-09-10T08:00:00Z");
    ok(participant_eligible_for_funding(&t, MENTOR) == PARTICIPANT_NULL,
       "eligible_for_funding: roles do not share facts (ECT eligible, mentor null)");
}

static void test_induction_dates(void)
{
    const struct participant_induction_period ips[] = {
        {day("2024-09-01"), day("2025-07-20"), 1},
        {day("2023-09-01"), day("2024-07-31"), 0},
        {day("2025-09-01"), NO_DAY, 0},
    };
    const struct participant_induction_period two_outcomes[] = {
        {day("2023-09-01"), day("2024-07-31"), 1},
        {day("2024-09-01"), day("2025-07-20"), 1},
    };
    const struct participant_induction_period no_outcome[] = {
        {day("2023-09-01"), day("2024-07-31"), 0},
    };
    const int32_t trs_start = day("2023-01-01"), trs_done = day("2024-12-01");

    ok(participant_induction_end_date(NULL, 0, NO_DAY) == NO_DAY &&
           participant_induction_start_date(NULL, 0, NO_DAY) == NO_DAY &&
           participant_last_induction_end_date(NULL, 0) == NO_DAY,
       "induction: no periods and no TRS dates: all null");
    ok(participant_induction_end_date(NULL, 0, trs_done) == trs_done,
       "induction_end_date: TRS completion date without periods");
    ok(participant_induction_start_date(NULL, 0, trs_start) == trs_start,
       "overall_induction_start_date: TRS start date without periods");
    ok(participant_induction_end_date(ips, COUNT(ips), trs_done) == day("2025-07-20"),
       "induction_end_date: finished period with an outcome wins over TRS");
    ok(participant_induction_end_date(two_outcomes, 2, NO_DAY) == day("2025-07-20"),
       "induction_end_date: the latest finished period with an outcome");
    ok(participant_induction_end_date(no_outcome, 1, NO_DAY) == NO_DAY,
       "induction_end_date: a finished period without outcome is not completion");
    ok(participant_induction_end_date(no_outcome, 1, trs_done) == trs_done,
       "induction_end_date: no outcome, falls back to TRS");
    ok(participant_induction_start_date(ips, COUNT(ips), trs_start) == day("2023-09-01"),
       "overall_induction_start_date: earliest period, in any array order, over TRS");
    ok(participant_last_induction_end_date(ips, COUNT(ips)) == NO_DAY,
       "most_recent_induction_period_end_date: latest period ongoing: null");
    ok(participant_last_induction_end_date(ips, 2) == day("2025-07-20"),
       "most_recent_induction_period_end_date: latest finished period");
    ok(participant_last_induction_end_date(no_outcome, 1) == day("2024-07-31"),
       "most_recent_induction_period_end_date: outcome not needed");

    struct participant_teacher t = teacher_none();
    t.trs_induction_completed = trs_done;
    t.mentor_ineligible_on = day("2025-06-30");
    ok(participant_completed_on(&t, ips, COUNT(ips), ECT) == day("2025-07-20"),
       "completed_on: ECT uses induction_end_date");
    ok(participant_completed_on(&t, NULL, 0, ECT) == trs_done,
       "completed_on: ECT with only a TRS completion date");
    ok(participant_completed_on(&t, ips, COUNT(ips), MENTOR) == day("2025-06-30"),
       "completed_on: mentor uses mentor_became_ineligible_for_funding_on");
}

static void test_enrolment_fields(void)
{
    const struct participant_induction_period ips[] = {{day("2024-09-01"), day("2025-07-20"), 1}};
    struct participant_teacher t = teacher_none();
    t.ect_eligible_at = ts("2024-09-05T10:00:00Z");
    t.mentor_ineligible_on = day("2025-06-30");
    t.mentor_ineligible_reason = PARTICIPANT_MENTOR_COMPLETED_DECLARATION_RECEIVED;
    t.mentor_payments_frozen_year = 2022;
    struct participant_enrolment_fields e;

    participant_enrolment_fields_of(&t, ips, 1, ECT, &e);
    ok(e.eligible_for_funding == PARTICIPANT_TRUE && e.induction_end_date == day("2025-07-20") &&
           e.most_recent_induction_period_end_date == day("2025-07-20") &&
           e.overall_induction_start_date == day("2024-09-01"),
       "ECT enrolment: funding and induction dates");
    ok(e.mentor_funding_end_date == NO_DAY &&
           e.mentor_ineligible_reason == PARTICIPANT_MENTOR_REASON__MAX,
       "ECT enrolment: mentor funding fields null");
    ok(e.cohort_changed_after_payments_frozen == 0,
       "ECT enrolment: cohort_changed_after_payments_frozen from the ECT year only");

    participant_enrolment_fields_of(&t, ips, 1, MENTOR, &e);
    ok(e.induction_end_date == NO_DAY && e.most_recent_induction_period_end_date == NO_DAY &&
           e.overall_induction_start_date == NO_DAY,
       "mentor enrolment: induction dates null");
    ok(e.mentor_funding_end_date == day("2025-06-30") &&
           e.mentor_ineligible_reason == PARTICIPANT_MENTOR_COMPLETED_DECLARATION_RECEIVED,
       "mentor enrolment: mentor_funding_end_date and reason");
    ok(e.eligible_for_funding == PARTICIPANT_FALSE && e.cohort_changed_after_payments_frozen == 1,
       "mentor enrolment: ineligible only is false; frozen year set");

    static const char *const reasons[] = {"completed_declaration_received",
                                          "completed_during_early_roll_out",
                                          "started_not_completed"};
    for (size_t i = 0; i < COUNT(reasons); i++) {
        enum participant_mentor_reason r;
        ok(participant_mentor_reason_parse(reasons[i], &r) == 0 &&
               !strcmp(participant_mentor_reason_name(r), reasons[i]),
           "mentor_ineligible_for_funding_reason %s", reasons[i]);
    }
    enum participant_mentor_reason r;
    ok(participant_mentor_reason_parse("completed-declaration-received", &r) == -1 &&
           participant_mentor_reason_name(PARTICIPANT_MENTOR_REASON__MAX) == NULL,
       "mentor reason is underscored; none has no name");
}

static void test_mentor_pick(void)
{
    static const struct {
        struct {
            int64_t sp, mentor;
            const char *started, *finished;
        } ms[3];
        size_t n, expect;
        const char *name;
    } cases[] = {
        {{{10, 100, "2025-09-01", NULL}}, 1, 0, "current open mentorship"},
        {{{10, 100, "2025-09-01", "2026-01-01"}}, 1, NONE, "past mentorship only: null"},
        {{{10, 100, "2025-09-01", "2026-03-26"}}, 1, NONE, "mentorship ending today: not current"},
        {{{10, 100, "2025-09-01", "2026-03-27"}}, 1, 0, "mentorship ending tomorrow: current"},
        {{{10, 100, "2026-05-01", NULL}, {10, 101, "2026-04-01", "2026-05-01"}},
         2,
         1,
         "future only: the earliest future one"},
        {{{10, 101, "2026-04-01", NULL}, {10, 100, "2025-09-01", NULL}},
         2,
         1,
         "current wins over future (earliest start)"},
        {{{10, 100, "2025-09-01", "2026-01-01"}, {10, 102, "2026-01-01", NULL}},
         2,
         1,
         "mentor changed: the current one, not the past one"},
        {{{11, 100, "2025-09-01", NULL}}, 1, NONE, "another school period is ignored"},
        {{{0, 0, NULL, NULL}}, 0, NONE, "no mentorships: null"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_mentorship ms[3];
        for (size_t j = 0; j < cases[i].n; j++)
            ms[j] = (struct participant_mentorship){cases[i].ms[j].sp, cases[i].ms[j].mentor,
                                                    day(cases[i].ms[j].started),
                                                    day(cases[i].ms[j].finished)};
        ok(participant_mentor_pick(ms, cases[i].n, 10, today) == cases[i].expect, "mentor_id: %s",
           cases[i].name);
    }
}

static void test_reasons(void)
{
    static const char *const deferral[][2] = {{"bereavement", "bereavement"},
                                              {"long-term-sickness", "long_term_sickness"},
                                              {"parental-leave", "parental_leave"},
                                              {"career-break", "career_break"},
                                              {"other", "other"}};
    for (size_t i = 0; i < COUNT(deferral); i++) {
        enum participant_deferral_reason r, s;
        ok(participant_deferral_reason_parse(deferral[i][0], &r) == 0 &&
               !strcmp(participant_deferral_reason_name(r), deferral[i][0]) &&
               !strcmp(participant_deferral_reason_stored(r), deferral[i][1]) &&
               participant_deferral_reason_from_stored(deferral[i][1], &s) == 0 && s == r,
           "deferral reason %s (stored %s)", deferral[i][0], deferral[i][1]);
    }
    static const char *const withdrawal[][2] = {
        {"left-teaching-profession", "left_teaching_profession"},
        {"moved-school", "moved_school"},
        {"mentor-no-longer-being-mentor", "mentor_no_longer_being_mentor"},
        {"switched-to-school-led", "switched_to_school_led"},
        {"changed-lead-provider", "changed_lead_provider"},
        {"other", "other"}};
    for (size_t i = 0; i < COUNT(withdrawal); i++) {
        enum participant_withdrawal_reason r, s;
        ok(participant_withdrawal_reason_parse(withdrawal[i][0], &r) == 0 &&
               !strcmp(participant_withdrawal_reason_name(r), withdrawal[i][0]) &&
               !strcmp(participant_withdrawal_reason_stored(r), withdrawal[i][1]) &&
               participant_withdrawal_reason_from_stored(withdrawal[i][1], &s) == 0 && s == r,
           "withdrawal reason %s (stored %s)", withdrawal[i][0], withdrawal[i][1]);
    }
    enum participant_deferral_reason d;
    enum participant_withdrawal_reason w;
    ok(participant_deferral_reason_parse("long_term_sickness", &d) == -1,
       "underscored deferral reason is not accepted from clients");
    ok(participant_deferral_reason_parse("moved-school", &d) == -1,
       "a withdrawal reason is not a deferral reason");
    ok(participant_withdrawal_reason_parse("school-left-fip", &w) == -1,
       "ECF's school-left-fip is not a withdrawal reason");
    ok(participant_withdrawal_reason_parse("bereavement", &w) == -1,
       "a deferral reason is not a withdrawal reason");
    ok(participant_withdrawal_reason_parse(NULL, &w) == -1 &&
           participant_deferral_reason_parse(NULL, &d) == -1,
       "absent reason parses as nothing");
}

static void test_error_texts(void)
{
    static const struct {
        enum participant_error e;
        const char *title, *detail;
    } cases[] = {
        {PARTICIPANT_ERR_COURSE_MISSING, "course_identifier", "Enter a '#/course_identifier'."},
        {PARTICIPANT_ERR_COURSE_NOT_RECOGNISED, "course_identifier",
         "The entered '#/course_identifier' is not recognised for the given participant. Check "
         "details and try again."},
        {PARTICIPANT_ERR_REASON_MISSING, "reason", "Enter a '#/reason'."},
        {PARTICIPANT_ERR_REASON_INVALID, "reason",
         "The entered '#/reason' is not recognised for the given participant. Check details and "
         "try again."},
        {PARTICIPANT_ERR_ALREADY_DEFERRED, "participant_id",
         "The '#/participant_id' is already deferred."},
        {PARTICIPANT_ERR_ALREADY_WITHDRAWN, "participant_id",
         "The '#/participant_id' is already withdrawn."},
        {PARTICIPANT_ERR_DEFER_NOT_STARTED, "participant_id",
         "You cannot defer #/participant_id. This is because they have not been training with "
         "you for at least one day."},
        {PARTICIPANT_ERR_WITHDRAW_NOT_STARTED, "participant_id",
         "You cannot withdraw #/participant_id. This is because they have not been training with "
         "you for at least one day."},
        {PARTICIPANT_ERR_CHANGED_TODAY, "participant_id",
         "You cannot defer or withdraw this participant today. You need to try again tomorrow as "
         "the training was recently changed for this participant."},
        {PARTICIPANT_ERR_ECT_NOT_MENTOR, "reason",
         "You cannot withdraw an ECT for this reason. The ECT is not a mentor."},
        {PARTICIPANT_ERR_ALREADY_ACTIVE, "participant_id",
         "The '#/participant_id' is already active."},
        {PARTICIPANT_ERR_ACTIVE_WITH_OTHER, "participant_id",
         "This participant cannot be resumed because they are already active with another "
         "provider."},
        {PARTICIPANT_ERR_RESUME_SAME_DAY, "participant_id",
         "You cannot resume a participant on the same day they were withdrawn or deferred. Resume "
         "them tomorrow or later."},
        {PARTICIPANT_ERR_LEFT_SCHOOL, "participant_id",
         "The participant is no longer at the school. Please contact the induction tutor to "
         "resolve."},
        {PARTICIPANT_ERR_SCHEDULE_INVALID, "schedule_identifier",
         "The property '#/schedule_identifier' must be present and correspond to a valid "
         "schedule."},
        {PARTICIPANT_ERR_SCHEDULE_UNKNOWN, "schedule_identifier",
         "Enter a valid schedule identifier."},
        {PARTICIPANT_ERR_SCHEDULE_SAME, "schedule_identifier",
         "Selected schedule is already on the profile"},
        {PARTICIPANT_ERR_SCHEDULE_ECT_REPLACEMENT, "schedule_identifier",
         "Selected schedule is not valid for the course_identifier"},
        {PARTICIPANT_ERR_SCHEDULE_MENTOR_REDUCED, "schedule_identifier",
         "Mentors cannot be placed on a reduced schedule. Assign them to a different schedule."},
        {PARTICIPANT_ERR_SCHEDULE_INVALIDATES, "schedule_identifier",
         "The change of schedule cannot be applied because a previous change of schedule and a "
         "declaration were made on the same day. Applying another change of schedule would "
         "invalidate existing declarations. Please contact DfE for assistance."},
        {PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP, "cohort",
         "You cannot change a participant to this contract_period as you do not have a "
         "partnership with the school for the contract_period. Contact the DfE for assistance."},
        {PARTICIPANT_ERR_COHORT_FROZEN, "cohort",
         "You cannot move a participant to a payments frozen cohort unless they previously "
         "belonged to that cohort."},
        {PARTICIPANT_ERR_COMPLETED, "participant_id",
         "You cannot change this participant's schedule as they have completed their training or "
         "induction."},
        {PARTICIPANT_ERR_NOT_TRAINING, "participant_id",
         "You cannot change this participant's schedule. This is because the participant has a "
         "'left' participant_status, so they are not training with you currently."},
        {PARTICIPANT_ERR_WITHDRAWN, "participant_id",
         "Cannot perform actions on a withdrawn participant"},
        {PARTICIPANT_ERR_FUTURE_PROVIDER, "participant_id",
         "You cannot change this participant's schedule as they are due to start with another "
         "lead provider in the future."},
    };
    ok(COUNT(cases) == PARTICIPANT_ERROR__MAX - 1, "every error has a text case");
    for (size_t i = 0; i < COUNT(cases); i++)
        ok(!strcmp(participant_error_title(cases[i].e), cases[i].title) &&
               !strcmp(participant_error_detail(cases[i].e), cases[i].detail),
           "error %d: %s / %.40s...", (int)cases[i].e, cases[i].title, cases[i].detail);
    ok(participant_error_title(PARTICIPANT_OK) == NULL &&
           participant_error_detail(PARTICIPANT_ERROR__MAX) == NULL,
       "no text for OK or out of range");
}

/* One defer/withdraw/resume case. */
struct action_case {
    const char *course, *reason;
    int has_period;
    const char *started, *finished, *withdrawn, *deferred;
    int other_covers;
    const char *school_finished;
    struct expect want;
    const char *name;
};

static struct participant_action_facts action_facts(const struct action_case *c)
{
    struct participant_action_facts f = {0};
    f.today = today;
    f.course_identifier = c->course;
    f.reason = c->reason;
    f.has_period = c->has_period;
    f.period = period(c->started, c->finished, c->withdrawn, c->deferred);
    f.other_covers_today = c->other_covers;
    f.school_finished_on = day(c->school_finished);
    f.school_started_on = NO_DAY;
    return f;
}

#define PAST "2025-09-01"
#define YESTERDAY "2026-03-25"
#define TODAY "2026-03-26"
#define TOMORROW "2026-03-27"
#define EARLIER_TS "2026-02-01T10:00:00Z"
#define LATER_TS "2026-03-01T10:00:00Z"
/* clang-format off */
#define E(...) {{__VA_ARGS__}} /* expected errors, in order */
/* clang-format on */

static void test_defer(void)
{
    static const struct action_case cases[] = {
        {"ecf-induction", "bereavement", 1, PAST, NULL, NULL, NULL, 0, NULL, E(0),
         "active ECT deferred"},
        {"ecf-mentor", "career-break", 1, PAST, TOMORROW, NULL, NULL, 0, NULL, E(0),
         "leaving mentor can be deferred"},
        {"ecf-induction", "other", 1, YESTERDAY, NULL, NULL, NULL, 0, NULL, E(0),
         "started yesterday: allowed"},
        {NULL, "bereavement", 0, PAST, NULL, NULL, NULL, 0, NULL, E(PARTICIPANT_ERR_COURSE_MISSING),
         "course_identifier absent"},
        {"ecf-foo", "bereavement", 0, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_COURSE_MISSING), "unknown course_identifier reads as missing"},
        {"ecf-mentor", "bereavement", 0, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_COURSE_NOT_RECOGNISED), "valid course without a period of that type"},
        {"ecf-induction", NULL, 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_MISSING), "reason absent"},
        {"ecf-induction", "", 1, PAST, NULL, NULL, NULL, 0, NULL, E(PARTICIPANT_ERR_REASON_MISSING),
         "reason empty"},
        {"ecf-induction", "  ", 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_MISSING), "reason blank"},
        {"ecf-induction", "long_term_sickness", 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_INVALID), "underscored reason not recognised"},
        {"ecf-induction", "moved-school", 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_INVALID), "withdrawal reason not recognised for defer"},
        {"ecf-induction", "bereavement", 1, PAST, TODAY, NULL, EARLIER_TS, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_DEFERRED), "already deferred"},
        {"ecf-induction", "bereavement", 1, PAST, TODAY, EARLIER_TS, NULL, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_WITHDRAWN), "already withdrawn"},
        {"ecf-induction", "bereavement", 1, PAST, TODAY, LATER_TS, EARLIER_TS, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_WITHDRAWN), "deferred then withdrawn: already withdrawn"},
        {"ecf-induction", "bereavement", 1, PAST, TODAY, EARLIER_TS, LATER_TS, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_DEFERRED), "withdrawn then deferred: already deferred"},
        {"ecf-induction", "bereavement", 1, TOMORROW, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_DEFER_NOT_STARTED), "joining: not trained a day yet"},
        {"ecf-induction", "bereavement", 1, TODAY, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_CHANGED_TODAY), "period started today"},
        {"ecf-induction", NULL, 1, PAST, TODAY, NULL, EARLIER_TS, 0, NULL,
         E(PARTICIPANT_ERR_REASON_MISSING, PARTICIPANT_ERR_ALREADY_DEFERRED),
         "reason and participant_id errors together"},
        {"ecf-foo", "nope", 0, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_COURSE_MISSING, PARTICIPANT_ERR_REASON_INVALID),
         "course and reason errors together, course first"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_action_facts f = action_facts(&cases[i]);
        struct participant_errors got;
        enum participant_error r = participant_check_defer(&f, &got);
        ok(same_errors(r, &got, &cases[i].want), "defer: %s", cases[i].name);
    }
}

static void test_withdraw(void)
{
    static const struct action_case cases[] = {
        {"ecf-induction", "left-teaching-profession", 1, PAST, NULL, NULL, NULL, 0, NULL, E(0),
         "active ECT withdrawn"},
        {"ecf-induction", "moved-school", 1, PAST, TODAY, NULL, EARLIER_TS, 0, NULL, E(0),
         "a deferred participant can be withdrawn"},
        {"ecf-mentor", "mentor-no-longer-being-mentor", 1, PAST, NULL, NULL, NULL, 0, NULL, E(0),
         "mentor withdrawn as no longer mentoring"},
        {"ecf-induction", "changed-lead-provider", 1, PAST, TOMORROW, NULL, NULL, 0, NULL, E(0),
         "leaving ECT can be withdrawn"},
        {"ecf-induction", "other", 1, PAST, TODAY, EARLIER_TS, NULL, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_WITHDRAWN), "already withdrawn"},
        {"ecf-induction", "other", 1, TOMORROW, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_WITHDRAW_NOT_STARTED), "joining: not trained a day yet"},
        {"ecf-induction", "other", 1, TODAY, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_CHANGED_TODAY), "period started today"},
        {"ecf-induction", "mentor-no-longer-being-mentor", 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_ECT_NOT_MENTOR), "ECT cannot be withdrawn as not a mentor"},
        {"ecf-induction", "mentor-no-longer-being-mentor", 1, TODAY, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_CHANGED_TODAY), "ECT-not-mentor only when no other error"},
        {"ecf-induction", "mentor-no-longer-being-mentor", 0, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_COURSE_NOT_RECOGNISED), "ECT-not-mentor skipped after a course error"},
        {"ecf-induction", "school-left-fip", 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_INVALID), "ECF-only reason not recognised"},
        {"ecf-induction", "bereavement", 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_INVALID), "deferral reason not recognised for withdraw"},
        {"ecf-mentor", NULL, 1, PAST, TODAY, EARLIER_TS, NULL, 0, NULL,
         E(PARTICIPANT_ERR_REASON_MISSING, PARTICIPANT_ERR_ALREADY_WITHDRAWN),
         "missing reason and already withdrawn together"},
        {NULL, NULL, 0, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_COURSE_MISSING, PARTICIPANT_ERR_REASON_MISSING),
         "empty attributes: course and reason"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_action_facts f = action_facts(&cases[i]);
        struct participant_errors got;
        enum participant_error r = participant_check_withdraw(&f, &got);
        ok(same_errors(r, &got, &cases[i].want), "withdraw: %s", cases[i].name);
    }
}

static void test_resume(void)
{
    static const struct action_case cases[] = {
        {"ecf-induction", NULL, 1, PAST, YESTERDAY, NULL, EARLIER_TS, 0, NULL, E(0),
         "deferred yesterday, school ongoing: resumable"},
        {"ecf-induction", NULL, 1, PAST, YESTERDAY, EARLIER_TS, NULL, 0, NULL, E(0),
         "withdrawn participants can be resumed"},
        {"ecf-mentor", NULL, 1, PAST, YESTERDAY, NULL, EARLIER_TS, 0, TOMORROW, E(0),
         "school period finishing tomorrow still allows a resume"},
        {"ecf-induction", NULL, 1, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_ACTIVE), "active: already active"},
        {"ecf-induction", NULL, 1, PAST, TOMORROW, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_ALREADY_ACTIVE), "leaving but active training: already active"},
        {"ecf-induction", NULL, 1, PAST, YESTERDAY, NULL, EARLIER_TS, 1, NULL,
         E(PARTICIPANT_ERR_ACTIVE_WITH_OTHER), "another provider covers today"},
        {"ecf-induction", NULL, 1, PAST, TODAY, NULL, LATER_TS, 1, NULL,
         E(PARTICIPANT_ERR_ACTIVE_WITH_OTHER), "other provider checked before the same-day rule"},
        {"ecf-induction", NULL, 1, PAST, TODAY, NULL, LATER_TS, 0, NULL,
         E(PARTICIPANT_ERR_RESUME_SAME_DAY), "deferred today: resume tomorrow"},
        {"ecf-induction", NULL, 1, PAST, TODAY, NULL, LATER_TS, 0, TODAY,
         E(PARTICIPANT_ERR_RESUME_SAME_DAY), "same-day rule before the school rule"},
        {"ecf-induction", NULL, 1, PAST, YESTERDAY, EARLIER_TS, NULL, 0, TODAY,
         E(PARTICIPANT_ERR_LEFT_SCHOOL), "school period finishing today: no longer at school"},
        {"ecf-induction", NULL, 1, PAST, YESTERDAY, EARLIER_TS, NULL, 0, YESTERDAY,
         E(PARTICIPANT_ERR_LEFT_SCHOOL), "school period finished yesterday"},
        {"ecf-foo", NULL, 0, PAST, NULL, NULL, NULL, 0, NULL, E(PARTICIPANT_ERR_COURSE_MISSING),
         "unknown course"},
        {"ecf-induction", NULL, 0, PAST, NULL, NULL, NULL, 0, NULL,
         E(PARTICIPANT_ERR_COURSE_NOT_RECOGNISED), "no ECT period with this LP"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_action_facts f = action_facts(&cases[i]);
        struct participant_errors got;
        enum participant_error r = participant_check_resume(&f, &got);
        ok(same_errors(r, &got, &cases[i].want), "resume: %s", cases[i].name);
    }
    static const struct action_case later = {"ecf-induction",      NULL, 1, PAST, YESTERDAY,
                                             EARLIER_TS,           NULL, 0, NULL, E(0),
                                             "school starts later"};
    struct participant_action_facts f = action_facts(&later);
    struct participant_errors got;
    f.school_started_on = day(TOMORROW);
    ok(participant_check_resume(&f, &got) == PARTICIPANT_ERR_LEFT_SCHOOL && got.n == 1,
       "resume: school period starting tomorrow: not at the school");
    f.school_started_on = day(TODAY);
    ok(participant_check_resume(&f, &got) == PARTICIPANT_OK && got.n == 0,
       "resume: school period starting today: at the school");
}

static struct schedule_cohort cohorts[6];
static struct schedule_def schedules[5 * SCHEDULE_ID__MAX + SCHEDULE_MONTH__MAX];
static size_t n_schedules;

static void data_init(void)
{
    for (int i = 0; i < 6; i++)
        cohorts[i] = (struct schedule_cohort){2021 + i, NO_US, i >= 4, i >= 4, i < 4};
    cohorts[0].payments_frozen_at = ts("2024-06-18T00:00:00Z");
    cohorts[1].payments_frozen_at = ts("2025-06-16T00:00:00Z");
    for (int y = 2021; y <= 2025; y++)
        for (int id = 0; id < SCHEDULE_ID__MAX; id++)
            schedules[n_schedules++] = (struct schedule_def){y, (enum schedule_id)id};
    /* 2026 has only standard schedules here. */
    for (int m = 0; m < SCHEDULE_MONTH__MAX; m++)
        schedules[n_schedules++] =
            (struct schedule_def){2026, schedule_make(SCHEDULE_STANDARD, (enum schedule_month)m)};
}

struct cs_case {
    const char *course, *schedule, *cohort;
    int has_period;
    const char *started, *finished, *withdrawn, *deferred;
    int current_cohort;
    enum schedule_id current;
    const char *completed;
    int frozen_year, partnership, later, decl_invalid;
    struct expect want;
    const char *name;
};

static struct participant_change_schedule_facts cs_facts(const struct cs_case *c)
{
    struct participant_change_schedule_facts f = {0};
    f.today = today;
    f.now = now;
    f.course_identifier = c->course;
    f.schedule_identifier = c->schedule;
    f.cohort = c->cohort;
    f.has_period = c->has_period;
    f.period = period(c->started, c->finished, c->withdrawn, c->deferred);
    f.current_cohort = c->current_cohort;
    f.current_schedule = c->current;
    f.completed_on = day(c->completed);
    f.payments_frozen_year = c->frozen_year;
    f.partnership_in_target = c->partnership;
    f.later_period_exists = c->later;
    f.declarations_invalid = c->decl_invalid;
    f.cohorts = cohorts;
    f.n_cohorts = COUNT(cohorts);
    f.schedules = schedules;
    f.n_schedules = n_schedules;
    return f;
}

#define STD_SEP SCHEDULE_STANDARD_SEPTEMBER
#define ECT_C "ecf-induction"
#define MEN_C "ecf-mentor"

static void test_change_schedule(void)
{
    static const struct cs_case cases[] = {
        /* course, schedule, cohort, has, started, finished, wd, df, cur cohort, cur schedule,
         * completed, frozen year, partnership, later, decl invalid */
        {ECT_C, "ecf-extended-september", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(0), "ECT to extended in the same cohort"},
        {ECT_C, NULL, NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0, 0, 0,
         E(PARTICIPANT_ERR_SCHEDULE_INVALID), "schedule_identifier absent"},
        {ECT_C, "", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0, 0, 0,
         E(PARTICIPANT_ERR_SCHEDULE_INVALID), "schedule_identifier empty"},
        {ECT_C, "ecf-foo", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0, 0, 0,
         E(PARTICIPANT_ERR_SCHEDULE_UNKNOWN), "not one of the 12 identifiers"},
        {ECT_C, "ecf-reduced-april", "2026", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 1,
         0, 0, E(PARTICIPANT_ERR_SCHEDULE_INVALID), "identifier absent from the target cohort"},
        {ECT_C, "ecf-standard-september", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(PARTICIPANT_ERR_SCHEDULE_SAME), "same schedule, same cohort"},
        {ECT_C, "ecf-standard-september", "2025", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(PARTICIPANT_ERR_SCHEDULE_SAME), "same schedule, cohort named explicitly"},
        {ECT_C, "ecf-standard-september", "2024", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         1, 0, 0, E(0), "same identifier in another cohort is a cohort change (decision 12)"},
        {ECT_C, "ecf-standard-september", "2024", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP),
         "cohort change without a partnership at the school"},
        {ECT_C, "ecf-standard-january", "2025", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(0), "cohort not changing: no partnership needed"},
        {ECT_C, "ecf-standard-september", "1999", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         1, 0, 0, E(PARTICIPANT_ERR_SCHEDULE_SAME), "unknown cohort falls back to the current"},
        {ECT_C, "ecf-standard-september", "abc", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         1, 0, 0, E(PARTICIPANT_ERR_SCHEDULE_SAME), "non-numeric cohort falls back silently"},
        {ECT_C, "ecf-replacement-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(PARTICIPANT_ERR_SCHEDULE_ECT_REPLACEMENT), "ECT to replacement"},
        {MEN_C, "ecf-reduced-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0,
         0, 0, E(PARTICIPANT_ERR_SCHEDULE_MENTOR_REDUCED), "mentor to reduced"},
        {MEN_C, "ecf-replacement-april", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0,
         0, 0, E(0), "mentor to replacement"},
        {ECT_C, "ecf-reduced-april", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0, 0,
         0, E(0), "ECT to reduced"},
        {ECT_C, "ecf-standard-january", NULL, 1, TODAY, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0,
         0, 1, E(PARTICIPANT_ERR_SCHEDULE_INVALIDATES),
         "period started today and declarations would become invalid"},
        {ECT_C, "ecf-standard-january", NULL, 1, TOMORROW, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 1, E(PARTICIPANT_ERR_SCHEDULE_INVALIDATES),
         "future period and declarations would become invalid"},
        {ECT_C, "ecf-standard-january", NULL, 1, TODAY, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0,
         0, 0, E(0), "period started today, declarations stay valid"},
        {ECT_C, "ecf-standard-january", NULL, 1, YESTERDAY, NULL, NULL, NULL, 2025, STD_SEP, NULL,
         0, 0, 0, 1, E(0), "period started before today: declarations not re-validated"},
        {ECT_C, "ecf-standard-january", NULL, 1, TOMORROW, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(0), "joining participants can change schedule"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, TOMORROW, NULL, NULL, 2025, STD_SEP, NULL, 0,
         0, 0, 0, E(0), "leaving participants can change schedule"},
        {ECT_C, "ecf-standard-september", "2022", 1, PAST, NULL, NULL, NULL, 2024, STD_SEP, NULL, 0,
         1, 0, 0, E(PARTICIPANT_ERR_COHORT_FROZEN), "into a frozen cohort never belonged to"},
        {ECT_C, "ecf-standard-september", "2022", 1, PAST, NULL, NULL, NULL, 2024, STD_SEP, NULL,
         2022, 1, 0, 0, E(0), "back into the frozen cohort they came from"},
        {ECT_C, "ecf-standard-september", "2021", 1, PAST, NULL, NULL, NULL, 2024, STD_SEP, NULL,
         2022, 1, 0, 0, E(PARTICIPANT_ERR_COHORT_FROZEN), "into another frozen cohort"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, NULL, NULL, NULL, 2022, STD_SEP, NULL, 0, 0,
         0, 0, E(PARTICIPANT_ERR_COHORT_FROZEN), "schedule change inside a frozen cohort"},
        {ECT_C, "ecf-standard-september", "2022", 1, PAST, NULL, NULL, NULL, 2024, STD_SEP, NULL, 0,
         0, 0, 0, E(PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP),
         "partnership error stops the frozen check"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP,
         "2026-01-10", 0, 0, 0, 0, E(PARTICIPANT_ERR_COMPLETED), "ECT completed induction"},
        {ECT_C, "ecf-reduced-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, "2026-01-10",
         0, 0, 0, 0, E(0), "completed ECT may move to a reduced schedule"},
        {MEN_C, "ecf-standard-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP,
         "2026-01-10", 0, 0, 0, 0, E(PARTICIPANT_ERR_COMPLETED), "mentor completed training"},
        {MEN_C, "ecf-reduced-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, "2026-01-10",
         0, 0, 0, 0, E(PARTICIPANT_ERR_SCHEDULE_MENTOR_REDUCED, PARTICIPANT_ERR_COMPLETED),
         "completed mentor to reduced: both errors"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, YESTERDAY, NULL, NULL, 2025, STD_SEP, NULL,
         0, 0, 0, 0, E(PARTICIPANT_ERR_NOT_TRAINING), "left: finished yesterday"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, TODAY, NULL, EARLIER_TS, 2025, STD_SEP, NULL,
         0, 0, 0, 0, E(PARTICIPANT_ERR_NOT_TRAINING), "deferred participants are left"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, TOMORROW, EARLIER_TS, NULL, 2025, STD_SEP,
         NULL, 0, 0, 0, 0, E(PARTICIPANT_ERR_WITHDRAWN), "withdrawn with a future finished_on"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL, 0, 0,
         1, 0, E(PARTICIPANT_ERR_FUTURE_PROVIDER), "due to start with another LP"},
        {ECT_C, "ecf-standard-january", NULL, 1, PAST, YESTERDAY, NULL, NULL, 2025, STD_SEP, NULL,
         0, 0, 1, 0, E(PARTICIPANT_ERR_NOT_TRAINING), "left checked before future provider"},
        {NULL, "ecf-foo", NULL, 0, PAST, NULL, NULL, NULL, 0, STD_SEP, NULL, 0, 0, 0, 0,
         E(PARTICIPANT_ERR_COURSE_MISSING, PARTICIPANT_ERR_SCHEDULE_UNKNOWN),
         "course and schedule errors together"},
        {ECT_C, "ecf-standard-january", NULL, 0, PAST, NULL, NULL, NULL, 0, STD_SEP, NULL, 0, 0, 0,
         0, E(PARTICIPANT_ERR_COURSE_NOT_RECOGNISED, PARTICIPANT_ERR_SCHEDULE_INVALID),
         "no period and no cohort: no target schedule"},
        {ECT_C, "ecf-standard-january", "2025", 0, PAST, NULL, NULL, NULL, 0, STD_SEP, NULL, 0, 0,
         0, 0, E(PARTICIPANT_ERR_COURSE_NOT_RECOGNISED), "no period, cohort given: schedule found"},
        {ECT_C, "ecf-replacement-september", "2024", 1, PAST, NULL, NULL, NULL, 2025, STD_SEP, NULL,
         0, 0, 1, 0,
         E(PARTICIPANT_ERR_SCHEDULE_ECT_REPLACEMENT, PARTICIPANT_ERR_COHORT_NO_PARTNERSHIP,
           PARTICIPANT_ERR_FUTURE_PROVIDER),
         "one error per group, in group order"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct participant_change_schedule_facts f = cs_facts(&cases[i]);
        struct participant_errors got;
        enum participant_error r = participant_check_change_schedule(&f, &got);
        ok(same_errors(r, &got, &cases[i].want), "change-schedule: %s", cases[i].name);
    }

    struct participant_schedule_target t;
    struct participant_change_schedule_facts f = cs_facts(&cases[7]);
    participant_change_schedule_target(&f, &t);
    ok(t.cohort == 2024 && t.identifier_valid && t.schedule == STD_SEP && t.schedule_exists,
       "change-schedule target: requested cohort and schedule");
    f = cs_facts(&cases[10]);
    participant_change_schedule_target(&f, &t);
    ok(t.cohort == 2025 && t.schedule_exists, "change-schedule target: fallback cohort");
    f = cs_facts(&cases[3]);
    participant_change_schedule_target(&f, &t);
    ok(!t.identifier_valid && t.schedule == SCHEDULE_ID__MAX && !t.schedule_exists,
       "change-schedule target: invalid identifier");
}

static void test_stop_and_plan(void)
{
    struct participant_period p = period(PAST, NULL, NULL, NULL);
    ok(participant_stop_finished_on(&p, today) == today, "stop: open-ended period finishes today");
    p = period(PAST, TOMORROW, NULL, NULL);
    ok(participant_stop_finished_on(&p, today) == today, "stop: a later finished_on becomes today");
    p = period(PAST, YESTERDAY, NULL, NULL);
    ok(participant_stop_finished_on(&p, today) == day(YESTERDAY),
       "stop: an earlier finished_on is kept");

    static const struct {
        const char *course, *schedule, *cohort, *started, *finished, *school_finished;
        int current_cohort;
        const char *completed;
        int frozen_year;
        int in_place;
        const char *old_finished, *new_finished;
        int write, year;
        const char *name;
    } cases[] = {
        {ECT_C, "ecf-standard-january", NULL, PAST, NULL, NULL, 2025, NULL, 0, 0, YESTERDAY, NULL,
         0, 0, "started before today: finish yesterday, new open-ended period"},
        {ECT_C, "ecf-standard-january", NULL, PAST, "2026-07-31", "2026-06-30", 2025, NULL, 0, 0,
         YESTERDAY, "2026-06-30", 0, 0, "new period ends on the earlier of the two finishes"},
        {ECT_C, "ecf-standard-january", NULL, PAST, "2026-07-31", YESTERDAY, 2025, NULL, 0, 0,
         YESTERDAY, "2026-07-31", 0, 0, "a past school finish is ignored"},
        {ECT_C, "ecf-standard-january", NULL, PAST, TODAY, NULL, 2025, NULL, 0, 0, YESTERDAY, TODAY,
         0, 0, "finishing today: the new period finishes today"},
        {ECT_C, "ecf-standard-january", NULL, TODAY, NULL, NULL, 2025, NULL, 0, 1, NULL, NULL, 0, 0,
         "started today: in place"},
        {ECT_C, "ecf-standard-january", NULL, TOMORROW, NULL, NULL, 2025, NULL, 0, 1, NULL, NULL, 0,
         0, "future period: in place"},
        {ECT_C, "ecf-reduced-january", NULL, PAST, NULL, NULL, 2025, "2026-01-10", 0, 1, NULL, NULL,
         0, 0, "completed ECT to reduced: in place"},
        {ECT_C, "ecf-standard-september", "2024", PAST, NULL, NULL, 2022, NULL, 0, 0, YESTERDAY,
         NULL, 1, 2022, "leaving a frozen cohort records it"},
        {ECT_C, "ecf-standard-september", "2022", PAST, NULL, NULL, 2024, NULL, 2022, 0, YESTERDAY,
         NULL, 1, 0, "back into the frozen cohort clears it"},
        {ECT_C, "ecf-standard-september", "2024", PAST, NULL, NULL, 2025, NULL, 0, 0, YESTERDAY,
         NULL, 0, 0, "between unfrozen cohorts: nothing recorded"},
        {ECT_C, "ecf-standard-january", NULL, PAST, NULL, NULL, 2022, NULL, 0, 0, YESTERDAY, NULL,
         0, 0, "no cohort change in a frozen cohort: nothing recorded"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct cs_case c = {0};
        c.course = cases[i].course;
        c.schedule = cases[i].schedule;
        c.cohort = cases[i].cohort;
        c.has_period = 1;
        c.started = cases[i].started;
        c.finished = cases[i].finished;
        c.current_cohort = cases[i].current_cohort;
        c.current = STD_SEP;
        c.completed = cases[i].completed;
        c.frozen_year = cases[i].frozen_year;
        struct participant_change_schedule_facts f = cs_facts(&c);
        f.school_finished_on = day(cases[i].school_finished);
        struct participant_schedule_target t;
        struct participant_schedule_plan pl;
        participant_change_schedule_target(&f, &t);
        participant_change_schedule_plan(&f, &t, &pl);
        int good = pl.in_place == cases[i].in_place && pl.frozen_year_write == cases[i].write &&
                   pl.frozen_year == cases[i].year;
        if (!pl.in_place)
            good = good && pl.old_finished_on == day(cases[i].old_finished) &&
                   pl.new_finished_on == day(cases[i].new_finished);
        ok(good, "change-schedule plan: %s", cases[i].name);
    }
}

/* --- transfers --- */

struct transfer_expect {
    size_t leaving, joining;
    enum participant_transfer_type type;
    enum participant_transfer_status status;
    const char *leaving_date, *joining_date;
};

static int same_transfer(const struct participant_transfer *x, const struct transfer_expect *w)
{
    return x->leaving == w->leaving && x->joining == w->joining && x->type == w->type &&
           x->status == w->status && x->leaving_date == day(w->leaving_date) &&
           x->joining_date == day(w->joining_date);
}

static void test_transfers(void)
{
    /* Two school periods of an ECT: school 1 (LP 1) then school 2 (LP per case). */
    struct participant_school_period sps[3] = {
        {10, 1, day("2024-09-01"), day("2025-12-31")},
        {11, 2, day("2026-01-05"), NO_DAY},
        {12, 3, day("2026-09-01"), NO_DAY},
    };
    struct participant_period tps[4] = {
        {1, ECT, 10, 1, day("2024-09-01"), day("2025-12-31"), NO_US, NO_US},
        {2, ECT, 11, 2, day("2026-01-05"), NO_DAY, NO_US, NO_US},
    };
    struct participant_transfer out[3];
    size_t n;

    n = participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3);
    ok(n == 1 &&
           same_transfer(&out[0], &(struct transfer_expect){0, 1, PARTICIPANT_TRANSFER_NEW_PROVIDER,
                                                            PARTICIPANT_TRANSFER_COMPLETE,
                                                            "2025-12-31", "2026-01-05"}) &&
           out[0].leaving_training == 0 && out[0].joining_training == 1,
       "transfer: leaving LP sees a complete new_provider transfer");
    n = participant_transfers(sps, 2, tps, 2, 2, 0, today, out, 3);
    ok(n == 1 && out[0].type == PARTICIPANT_TRANSFER_NEW_PROVIDER,
       "transfer: joining LP sees it too");
    ok(participant_transfers(sps, 2, tps, 2, 3, 0, today, out, 3) == 0,
       "transfer: an uninvolved LP sees nothing");

    tps[1].lead_provider_id = 1;
    n = participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3);
    ok(n == 1 && out[0].type == PARTICIPANT_TRANSFER_NEW_SCHOOL,
       "transfer: same LP at a new school is new_school");

    tps[1].started_on = day("2026-04-20");
    n = participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3);
    ok(n == 1 && out[0].status == PARTICIPANT_TRANSFER_INCOMPLETE,
       "transfer: joining start in the future is incomplete");

    tps[1].started_on = day("2025-12-20");
    n = participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3);
    ok(n == 1 && out[0].leaving_date == day("2025-12-20") &&
           out[0].joining_date == day("2025-12-20"),
       "transfer: overlapping dates corrected so leaving = joining");
    /* The school period says it ends after today, the joining period started before it. */
    sps[0].finished_on = day("2026-04-30");
    tps[0].finished_on = day("2026-04-30");
    sps[1].started_on = day("2026-03-01");
    tps[1].started_on = day("2026-03-01");
    n = participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3);
    ok(n == 1 &&
           same_transfer(&out[0], &(struct transfer_expect){0, 1, PARTICIPANT_TRANSFER_NEW_SCHOOL,
                                                            PARTICIPANT_TRANSFER_COMPLETE,
                                                            "2026-03-01", "2026-03-01"}),
       "transfer: status follows the corrected dates (both passed: complete)");
    n = participant_transfers(sps, 2, tps, 1, 1, 0, today, out, 3);
    ok(n == 1 &&
           same_transfer(&out[0], &(struct transfer_expect){0, 1, PARTICIPANT_TRANSFER_UNKNOWN,
                                                            PARTICIPANT_TRANSFER_COMPLETE,
                                                            "2026-03-01", "2026-03-01"}),
       "transfer: next school without training: overlap corrected to the school period's start");
    sps[1].started_on = day("2026-05-04");
    n = participant_transfers(sps, 2, tps, 1, 1, 0, today, out, 3);
    ok(n == 1 &&
           same_transfer(&out[0], &(struct transfer_expect){0, 1, PARTICIPANT_TRANSFER_UNKNOWN,
                                                            PARTICIPANT_TRANSFER_INCOMPLETE,
                                                            "2026-04-30", "2026-05-04"}),
       "transfer: a natural gap is not changed; future dates are incomplete");
    sps[0].finished_on = day("2025-12-31");
    tps[0].finished_on = day("2025-12-31");
    sps[1].started_on = day("2026-01-05");
    tps[1].started_on = day("2026-01-05");

    n = participant_transfers(sps, 2, tps, 1, 1, 0, today, out, 3);
    ok(n == 1 &&
           same_transfer(&out[0], &(struct transfer_expect){0, 1, PARTICIPANT_TRANSFER_UNKNOWN,
                                                            PARTICIPANT_TRANSFER_COMPLETE,
                                                            "2025-12-31", "2026-01-05"}) &&
           out[0].joining_training == NONE,
       "transfer: next school without training is unknown, joining date its start");

    sps[1].school_id = 1;
    ok(participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3) == 0,
       "transfer: next period at the same school is no transfer");
    sps[1].school_id = 2;

    /* Leaving with no next school period. */
    struct participant_school_period last[] = {{10, 1, day("2024-09-01"), day("2026-07-31")}};
    struct participant_period last_tp[] = {
        {1, ECT, 10, 1, day("2024-09-01"), day("2026-07-31"), NO_US, NO_US}};
    n = participant_transfers(last, 1, last_tp, 1, 1, 0, today, out, 3);
    ok(n == 1 &&
           same_transfer(&out[0], &(struct transfer_expect){0, NONE, PARTICIPANT_TRANSFER_UNKNOWN,
                                                            PARTICIPANT_TRANSFER_INCOMPLETE,
                                                            "2026-07-31", NULL}),
       "transfer: future school finished_on already yields an incomplete transfer");
    ok(participant_transfers(last, 1, last_tp, 1, 1, 1, today, out, 3) == 0,
       "transfer: none out of the last school once induction is complete");
    last[0].finished_on = today;
    last_tp[0].finished_on = today;
    n = participant_transfers(last, 1, last_tp, 1, 1, 0, today, out, 3);
    ok(n == 1 && out[0].status == PARTICIPANT_TRANSFER_COMPLETE,
       "transfer: leaving date today is complete");
    last_tp[0].finished_on = NO_DAY;
    ok(participant_transfers(last, 1, last_tp, 1, 1, 0, today, out, 3) == 0,
       "transfer: unfinished latest training period: no transfer");
    last[0].finished_on = NO_DAY;
    last_tp[0].finished_on = day("2026-01-01");
    ok(participant_transfers(last, 1, last_tp, 1, 1, 0, today, out, 3) == 0,
       "transfer: unfinished school period: no transfer");
    last[0].finished_on = today;
    ok(participant_transfers(last, 1, last_tp, 0, 1, 0, today, out, 3) == 0,
       "transfer: school period without training: no transfer");

    /* School-led leaving period, LP 1 at the next school. */
    tps[0].lead_provider_id = 0;
    tps[1].lead_provider_id = 1;
    n = participant_transfers(sps, 2, tps, 2, 1, 0, today, out, 3);
    ok(n == 1 && out[0].type == PARTICIPANT_TRANSFER_NEW_PROVIDER,
       "transfer: from school-led to LP 1 is relevant to LP 1 as new_provider");
    tps[0].lead_provider_id = 1;

    /* The leaving period is the latest in the school period: LP 1 then LP 3. */
    tps[0].finished_on = day("2025-03-31");
    tps[2] = (struct participant_period){3,     ECT,  10, 3, day("2025-04-01"), day("2025-12-31"),
                                         NO_US, NO_US};
    tps[1].lead_provider_id = 2;
    ok(participant_transfers(sps, 2, tps, 3, 1, 0, today, out, 3) == 0,
       "transfer: LP of an earlier period in the school period is not involved");
    n = participant_transfers(sps, 2, tps, 3, 3, 0, today, out, 3);
    ok(n == 1 && out[0].leaving_training == 2, "transfer: latest period's LP is involved");

    /* Three schools: two transfers, in order; cap respected. */
    sps[1].finished_on = day("2026-03-01");
    tps[1].finished_on = day("2026-03-01");
    tps[3] = (struct participant_period){4, ECT, 12, 3, day("2026-09-01"), NO_DAY, NO_US, NO_US};
    n = participant_transfers(sps, 3, tps, 4, 3, 0, today, out, 3);
    ok(n == 2 && out[0].leaving == 0 && out[1].leaving == 1 && out[1].joining == 2 &&
           out[1].status == PARTICIPANT_TRANSFER_INCOMPLETE,
       "transfer: two transfers in leaving order");
    n = participant_transfers(sps, 3, tps, 4, 3, 0, today, out, 1);
    ok(n == 2 && out[0].leaving == 0, "transfer: count reported beyond cap");

    ok(!strcmp(participant_transfer_type_name(PARTICIPANT_TRANSFER_NEW_SCHOOL), "new_school") &&
           !strcmp(participant_transfer_type_name(PARTICIPANT_TRANSFER_NEW_PROVIDER),
                   "new_provider") &&
           !strcmp(participant_transfer_type_name(PARTICIPANT_TRANSFER_UNKNOWN), "unknown") &&
           !strcmp(participant_transfer_status_name(PARTICIPANT_TRANSFER_INCOMPLETE),
                   "incomplete") &&
           !strcmp(participant_transfer_status_name(PARTICIPANT_TRANSFER_COMPLETE), "complete"),
       "transfer type and status names");
}

int main(void)
{
    today = day("2026-03-26");
    now = ts("2026-03-26T12:00:00Z");
    data_init();
    test_course();
    test_covers();
    test_latest_and_visibility();
    test_training_status();
    test_participant_status();
    test_eligibility();
    test_induction_dates();
    test_enrolment_fields();
    test_mentor_pick();
    test_reasons();
    test_error_texts();
    test_defer();
    test_withdraw();
    test_resume();
    test_change_schedule();
    test_stop_and_plan();
    test_transfers();
    return tap_done();
}
