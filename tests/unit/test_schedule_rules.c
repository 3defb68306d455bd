/* Schedule rules (spec section 3), without a database: one named TAP point per case. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "domain/schedule_rules.h"
#include "tap.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NO_DAY SCHEDULE_NO_DAY
#define NO_US SCHEDULE_NO_US

static int32_t day(const char *s)
{
    int32_t d = 0;
    if (clock_parse_date(s, &d))
        return NO_DAY;
    return d;
}

static int64_t at(const char *s)
{
    int64_t us = 0;
    if (clock_parse_rfc3339(s, &us))
        return NO_US;
    return us;
}

static const struct schedule_cohort cohorts[] = {
    {2021, NO_US, 0, 0, 1}, {2022, NO_US, 0, 0, 1}, {2023, NO_US, 0, 0, 1},
    {2024, NO_US, 0, 0, 1}, {2025, NO_US, 1, 1, 0}, {2026, NO_US, 1, 1, 0},
};

/* All 12 schedules for 2021-2025; 2026 has only its standard schedules, so that some
 * identifiers are missing from a cohort. */
static struct schedule_def schedules[5 * SCHEDULE_ID__MAX + SCHEDULE_MONTH__MAX];
static size_t n_schedules;

static void schedules_init(void)
{
    for (int y = 2021; y <= 2025; y++)
        for (int id = 0; id < SCHEDULE_ID__MAX; id++)
            schedules[n_schedules++] = (struct schedule_def){y, (enum schedule_id)id};
    for (int m = 0; m < SCHEDULE_MONTH__MAX; m++)
        schedules[n_schedules++] =
            (struct schedule_def){2026, schedule_make(SCHEDULE_STANDARD, (enum schedule_month)m)};
}

static struct schedule_cohort frozen_cohorts[COUNT(cohorts)];

static void cohorts_init(void)
{
    memcpy(frozen_cohorts, cohorts, sizeof(cohorts));
    frozen_cohorts[0].payments_frozen_at = at("2024-06-18T00:00:00Z");
    frozen_cohorts[1].payments_frozen_at = at("2025-06-16T00:00:00Z");
}

static void test_identifiers(void)
{
    static const struct {
        const char *name;
        enum schedule_type type;
        enum schedule_month month;
    } cases[] = {
        {"ecf-standard-september", SCHEDULE_STANDARD, SCHEDULE_SEPTEMBER},
        {"ecf-standard-january", SCHEDULE_STANDARD, SCHEDULE_JANUARY},
        {"ecf-standard-april", SCHEDULE_STANDARD, SCHEDULE_APRIL},
        {"ecf-extended-september", SCHEDULE_EXTENDED, SCHEDULE_SEPTEMBER},
        {"ecf-extended-january", SCHEDULE_EXTENDED, SCHEDULE_JANUARY},
        {"ecf-extended-april", SCHEDULE_EXTENDED, SCHEDULE_APRIL},
        {"ecf-reduced-september", SCHEDULE_REDUCED, SCHEDULE_SEPTEMBER},
        {"ecf-reduced-january", SCHEDULE_REDUCED, SCHEDULE_JANUARY},
        {"ecf-reduced-april", SCHEDULE_REDUCED, SCHEDULE_APRIL},
        {"ecf-replacement-september", SCHEDULE_REPLACEMENT, SCHEDULE_SEPTEMBER},
        {"ecf-replacement-january", SCHEDULE_REPLACEMENT, SCHEDULE_JANUARY},
        {"ecf-replacement-april", SCHEDULE_REPLACEMENT, SCHEDULE_APRIL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        enum schedule_id id = SCHEDULE_ID__MAX;
        int okp = schedule_parse(cases[i].name, &id) == 0;
        ok(okp && id == schedule_make(cases[i].type, cases[i].month) &&
               schedule_type_of(id) == cases[i].type && schedule_month_of(id) == cases[i].month &&
               !strcmp(schedule_identifier(id), cases[i].name),
           "identifier %s round-trips with its type and month", cases[i].name);
    }
    static const char *const bad[] = {"ecf-standard", "ECF-STANDARD-SEPTEMBER",
                                      "ecf-standard-september ", "standard-september", ""};
    for (size_t i = 0; i < COUNT(bad); i++) {
        enum schedule_id id;
        ok(schedule_parse(bad[i], &id) == -1, "identifier '%s' rejected", bad[i]);
    }
    enum schedule_id id;
    ok(schedule_parse(NULL, &id) == -1, "absent identifier rejected");
    ok(schedule_identifier(SCHEDULE_ID__MAX) == NULL, "no name for an out-of-range identifier");
}

static void test_declaration_types(void)
{
    static const char *const names[] = {"started",    "retained-1", "retained-2",
                                        "retained-3", "retained-4", "completed",
                                        "extended-1", "extended-2", "extended-3"};
    for (size_t i = 0; i < COUNT(names); i++) {
        enum schedule_declaration t = SCHEDULE_DECL__MAX;
        ok(schedule_declaration_parse(names[i], &t) == 0 && t == (enum schedule_declaration)i &&
               !strcmp(schedule_declaration_name(t), names[i]),
           "declaration type %s in sequence position %zu", names[i], i);
    }
    static const char *const bad[] = {"retained-5", "extended", "Started", "retained_1", ""};
    for (size_t i = 0; i < COUNT(bad); i++) {
        enum schedule_declaration t;
        ok(schedule_declaration_parse(bad[i], &t) == -1, "declaration type '%s' rejected", bad[i]);
    }
}

static void test_calendar(void)
{
    static const struct {
        const char *date;
        int cohort;
        enum schedule_month month;
    } cases[] = {
        {"2025-05-31", 2024, SCHEDULE_APRIL},     {"2025-06-01", 2025, SCHEDULE_SEPTEMBER},
        {"2025-09-01", 2025, SCHEDULE_SEPTEMBER}, {"2025-10-31", 2025, SCHEDULE_SEPTEMBER},
        {"2025-11-01", 2025, SCHEDULE_JANUARY},   {"2025-12-31", 2025, SCHEDULE_JANUARY},
        {"2026-01-01", 2025, SCHEDULE_JANUARY},   {"2026-02-28", 2025, SCHEDULE_JANUARY},
        {"2028-02-29", 2027, SCHEDULE_JANUARY},   {"2026-03-01", 2025, SCHEDULE_APRIL},
        {"2026-04-30", 2025, SCHEDULE_APRIL},     {"2026-05-31", 2025, SCHEDULE_APRIL},
        {"2026-06-01", 2026, SCHEDULE_SEPTEMBER},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int32_t d = day(cases[i].date);
        ok(schedule_cohort_year_of(d) == cases[i].cohort && schedule_month_for(d) == cases[i].month,
           "%s is in cohort %d with default month %d", cases[i].date, cases[i].cohort,
           (int)cases[i].month);
    }
}

static void test_cohorts(void)
{
    const struct schedule_cohort *c2021 = &frozen_cohorts[0];
    ok(schedule_cohort_find(cohorts, COUNT(cohorts), 2025) == &cohorts[4], "cohort 2025 found");
    ok(schedule_cohort_find(cohorts, COUNT(cohorts), 2027) == NULL, "cohort 2027 not found");
    ok(!schedule_cohort_frozen(c2021, at("2024-06-17T23:59:59Z")),
       "not frozen the second before payments_frozen_at");
    ok(schedule_cohort_frozen(c2021, at("2024-06-18T00:00:00Z")),
       "frozen at payments_frozen_at exactly");
    ok(schedule_cohort_frozen(c2021, at("2026-01-01T00:00:00Z")), "frozen after it");
    ok(!schedule_cohort_frozen(&cohorts[2], at("2026-01-01T00:00:00Z")),
       "never frozen without payments_frozen_at");
    ok(!schedule_cohort_frozen(NULL, 0), "no cohort is not frozen");
    ok(schedule_cohort_year_frozen(frozen_cohorts, COUNT(frozen_cohorts), 2022,
                                   at("2026-03-26T12:00:00Z")),
       "2022 frozen by year");
    ok(!schedule_cohort_year_frozen(frozen_cohorts, COUNT(frozen_cohorts), 2020,
                                    at("2026-03-26T12:00:00Z")),
       "unknown year is not frozen");
    ok(schedule_exists(schedules, n_schedules, 2026, SCHEDULE_STANDARD_APRIL),
       "2026 standard april exists");
    ok(!schedule_exists(schedules, n_schedules, 2026, SCHEDULE_REDUCED_APRIL),
       "2026 reduced april does not exist in the test data");
}

static void test_roles(void)
{
    static const struct {
        enum schedule_id id;
        int mentor, allowed;
        const char *name;
    } cases[] = {
        {SCHEDULE_STANDARD_SEPTEMBER, 0, 1, "ECT on standard"},
        {SCHEDULE_EXTENDED_JANUARY, 0, 1, "ECT on extended"},
        {SCHEDULE_REDUCED_APRIL, 0, 1, "ECT on reduced"},
        {SCHEDULE_REPLACEMENT_SEPTEMBER, 0, 0, "ECT not on replacement"},
        {SCHEDULE_STANDARD_APRIL, 1, 1, "mentor on standard"},
        {SCHEDULE_EXTENDED_APRIL, 1, 1, "mentor on extended"},
        {SCHEDULE_REDUCED_SEPTEMBER, 1, 0, "mentor not on reduced"},
        {SCHEDULE_REPLACEMENT_JANUARY, 1, 1, "mentor on replacement"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        ok(schedule_allowed_for_role(cases[i].id, cases[i].mentor) == cases[i].allowed, "%s",
           cases[i].name);
}

static const struct schedule_milestone milestones[] = {
    {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, 0, 0}, /* dates set at run time */
    {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_RETAINED_2, 0, 0},
    {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_COMPLETED, 0, 0},
    {2024, SCHEDULE_EXTENDED_SEPTEMBER, SCHEDULE_DECL_EXTENDED_1, 0, NO_DAY},
    {2025, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, 0, NO_DAY},
};
static struct schedule_milestone ms[COUNT(milestones)];

static void milestones_init(void)
{
    memcpy(ms, milestones, sizeof(ms));
    ms[0].start_date = day("2024-06-01");
    ms[0].milestone_date = day("2024-12-31");
    ms[1].start_date = day("2025-04-01");
    ms[1].milestone_date = day("2025-07-31");
    ms[2].start_date = day("2026-04-01");
    ms[2].milestone_date = day("2026-07-31");
    ms[3].start_date = day("2024-09-01");
    ms[4].start_date = day("2025-06-01");
}

static void test_declarations_allowed(void)
{
    unsigned std = schedule_type_declarations(SCHEDULE_STANDARD);
    unsigned ext = schedule_type_declarations(SCHEDULE_EXTENDED);
    ok(std == 0x3fu, "standard schedules have started, retained-1..4, completed");
    ok(schedule_type_declarations(SCHEDULE_REDUCED) == std &&
           schedule_type_declarations(SCHEDULE_REPLACEMENT) == std,
       "reduced and replacement have the same 6 types");
    ok(ext == 0x1ffu, "extended schedules add extended-1..3 (9 types)");

    static const struct {
        int cohort;
        enum schedule_id id;
        enum schedule_declaration t;
        int allowed;
        const char *name;
    } cases[] = {
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_RETAINED_2, 1,
         "milestone present: allowed"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_EXTENDED_1, 0,
         "no extended-1 milestone on a standard schedule: not allowed"},
        {2024, SCHEDULE_EXTENDED_SEPTEMBER, SCHEDULE_DECL_EXTENDED_1, 1,
         "extended-1 milestone on the extended schedule: allowed"},
        {2023, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, 0,
         "same schedule in another cohort without milestones: not allowed"},
        {2024, SCHEDULE_STANDARD_JANUARY, SCHEDULE_DECL_STARTED, 0,
         "another schedule of the cohort without milestones: not allowed"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        ok(schedule_allows(ms, COUNT(ms), cases[i].cohort, cases[i].id, cases[i].t) ==
               cases[i].allowed,
           "%s", cases[i].name);

    static const struct {
        int cohort_index;
        enum schedule_declaration t;
        int allowed;
        const char *name;
    } mentor[] = {
        {4, SCHEDULE_DECL_STARTED, 1, "2025 mentor may declare started"},
        {4, SCHEDULE_DECL_COMPLETED, 1, "2025 mentor may declare completed"},
        {4, SCHEDULE_DECL_RETAINED_1, 0, "2025 mentor may not declare retained-1"},
        {4, SCHEDULE_DECL_EXTENDED_1, 0, "2025 mentor may not declare extended-1"},
        {3, SCHEDULE_DECL_RETAINED_1, 1, "2024 mentor may declare retained-1"},
        {-1, SCHEDULE_DECL_RETAINED_3, 1, "unknown cohort: no mentor restriction"},
    };
    for (size_t i = 0; i < COUNT(mentor); i++) {
        const struct schedule_cohort *c =
            mentor[i].cohort_index < 0 ? NULL : &cohorts[mentor[i].cohort_index];
        ok(schedule_mentor_declaration_allowed(c, mentor[i].t) == mentor[i].allowed, "%s",
           mentor[i].name);
    }
}

static void test_windows(void)
{
    static const struct {
        int cohort;
        enum schedule_id id;
        enum schedule_declaration t;
        const char *when;
        enum schedule_window expect;
        const char *name;
    } cases[] = {
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2024-05-31T23:59:59Z",
         SCHEDULE_WINDOW_BEFORE_START, "a second before the start date"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2024-06-01T00:00:00Z",
         SCHEDULE_WINDOW_OK, "start date 00:00:00 is inside"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2024-10-15T09:30:00Z",
         SCHEDULE_WINDOW_OK, "mid-window"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2024-12-31T23:59:59Z",
         SCHEDULE_WINDOW_OK, "last second of the milestone date is inside"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2025-01-01T00:00:00Z",
         SCHEDULE_WINDOW_AFTER_MILESTONE, "the day after the milestone date is after"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2025-01-01T00:30:00+01:00",
         SCHEDULE_WINDOW_OK, "offset time is compared in UTC (2024-12-31T23:30Z)"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_COMPLETED, "2026-03-31T23:59:59Z",
         SCHEDULE_WINDOW_BEFORE_START, "completed before its window"},
        {2024, SCHEDULE_EXTENDED_SEPTEMBER, SCHEDULE_DECL_EXTENDED_1, "2024-08-31T23:59:59Z",
         SCHEDULE_WINDOW_BEFORE_START, "no upper bound: still a lower bound"},
        {2024, SCHEDULE_EXTENDED_SEPTEMBER, SCHEDULE_DECL_EXTENDED_1, "2031-01-01T00:00:00Z",
         SCHEDULE_WINDOW_OK, "no milestone date: any later date is inside"},
        {2025, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_STARTED, "2025-06-01T00:00:00Z",
         SCHEDULE_WINDOW_OK, "2025 start date inclusive"},
        {2024, SCHEDULE_STANDARD_SEPTEMBER, SCHEDULE_DECL_RETAINED_1, "2025-02-01T00:00:00Z",
         SCHEDULE_WINDOW_NO_MILESTONE, "no milestone of that type"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        ok(schedule_window_check(ms, COUNT(ms), cases[i].cohort, cases[i].id, cases[i].t,
                                 at(cases[i].when)) == cases[i].expect,
           "window: %s", cases[i].name);

    static const struct {
        enum schedule_window w;
        const char *title, *detail;
    } texts[] = {
        {SCHEDULE_WINDOW_BEFORE_START, "declaration_date",
         "Declaration date must be on or after the milestone start date for the same declaration "
         "type."},
        {SCHEDULE_WINDOW_AFTER_MILESTONE, "declaration_date",
         "Declaration date must be on or before the milestone date for the same declaration "
         "type."},
        {SCHEDULE_WINDOW_NO_MILESTONE, "declaration_type",
         "The property '#/declaration_type' does not exist for this schedule."},
    };
    for (size_t i = 0; i < COUNT(texts); i++)
        ok(!strcmp(schedule_window_title(texts[i].w), texts[i].title) &&
               !strcmp(schedule_window_detail(texts[i].w), texts[i].detail),
           "window error %d text", (int)texts[i].w);
    ok(schedule_window_title(SCHEDULE_WINDOW_OK) == NULL &&
           schedule_window_detail(SCHEDULE_WINDOW_OK) == NULL,
       "no text when inside the window");
}

static void test_replacement(void)
{
    static const struct {
        struct schedule_replacement_facts f;
        int expect;
        const char *name;
    } cases[] = {
        {{1, 1, 0, 1}, 1, "mentor, provider-led mentee declared under an earlier mentor"},
        {{0, 1, 0, 1}, 0, "never for an ECT period"},
        {{1, 0, 0, 1}, 0, "not when the mentee is school-led"},
        {{1, 1, 1, 1}, 0, "not when the mentor is already funding-ineligible"},
        {{1, 1, 0, 0}, 0, "not without a declaration under a different mentor"},
    };
    for (size_t i = 0; i < COUNT(cases); i++)
        ok(schedule_replacement_applies(&cases[i].f) == cases[i].expect, "replacement: %s",
           cases[i].name);
}

static void test_assignment(void)
{
    const int64_t now = at("2026-03-26T12:00:00Z");
    static const struct {
        const char *start, *today;
        int registration, mentor, has_previous, previous_cohort;
        enum schedule_id previous;
        int replacement;
        enum schedule_result result;
        int cohort;
        enum schedule_id id;
        int step;
        const char *name;
    } cases[] = {
        {"2025-09-01", "2025-08-15", 0, 0, 0, 0, 0, 0, SCHEDULE_OK, 2025,
         SCHEDULE_STANDARD_SEPTEMBER, 5, "future start in September: 2025 standard september"},
        {"2025-05-20", "2025-11-03", 0, 0, 0, 0, 0, 0, SCHEDULE_OK, 2025, SCHEDULE_STANDARD_JANUARY,
         5, "past start: today (November) decides, january"},
        {"2026-03-10", "2026-01-01", 0, 0, 0, 0, 0, 0, SCHEDULE_OK, 2025, SCHEDULE_STANDARD_APRIL,
         5, "start in March after today: april of the 2025 cohort"},
        {"2026-05-31", "2026-05-01", 0, 0, 0, 0, 0, 0, SCHEDULE_OK, 2025, SCHEDULE_STANDARD_APRIL,
         5, "31 May is still the previous cohort"},
        {"2026-06-01", "2026-05-01", 0, 0, 0, 0, 0, 0, SCHEDULE_OK, 2026,
         SCHEDULE_STANDARD_SEPTEMBER, 5, "1 June starts the next cohort"},
        {"2025-09-01", "2025-08-15", 2024, 0, 0, 0, 0, 0, SCHEDULE_OK, 2024,
         SCHEDULE_STANDARD_SEPTEMBER, 5, "registration cohort wins over the date"},
        {"2025-09-01", "2025-08-15", 0, 1, 0, 0, 0, 1, SCHEDULE_OK, 2025,
         SCHEDULE_REPLACEMENT_SEPTEMBER, 5, "replacement mentor"},
        {"2025-11-20", "2025-08-15", 0, 1, 0, 0, 0, 1, SCHEDULE_OK, 2025,
         SCHEDULE_REPLACEMENT_JANUARY, 5, "replacement mentor starting in November"},
        {"2025-09-01", "2025-08-15", 0, 0, 0, 0, 0, 1, SCHEDULE_OK, 2025,
         SCHEDULE_STANDARD_SEPTEMBER, 5, "the replacement flag never applies to an ECT"},
        {"2026-04-01", "2026-03-26", 0, 0, 1, 2022, SCHEDULE_STANDARD_JANUARY, 0, SCHEDULE_OK, 2024,
         SCHEDULE_EXTENDED_SEPTEMBER, 2, "ECT from frozen 2022: 2024 extended september"},
        {"2026-04-01", "2026-03-26", 2025, 0, 1, 2021, SCHEDULE_STANDARD_APRIL, 0, SCHEDULE_OK,
         2024, SCHEDULE_EXTENDED_SEPTEMBER, 2,
         "ECT from frozen 2021: extended reassignment overrides a registration cohort"},
        {"2026-04-01", "2026-03-26", 0, 1, 1, 2022, SCHEDULE_STANDARD_JANUARY, 0, SCHEDULE_OK, 2025,
         SCHEDULE_STANDARD_JANUARY, 4,
         "mentor from frozen 2022: no reassignment, same identifier in 2025"},
        {"2026-01-10", "2026-01-05", 0, 0, 1, 2025, SCHEDULE_REDUCED_SEPTEMBER, 0, SCHEDULE_OK,
         2025, SCHEDULE_REDUCED_SEPTEMBER, 3, "previous schedule in the target cohort is reused"},
        {"2025-09-01", "2025-08-15", 0, 0, 1, 2024, SCHEDULE_EXTENDED_APRIL, 0, SCHEDULE_OK, 2025,
         SCHEDULE_EXTENDED_APRIL, 4, "previous identifier carried into the target cohort"},
        {"2026-09-01", "2026-03-26", 0, 0, 1, 2025, SCHEDULE_EXTENDED_JANUARY, 0, SCHEDULE_OK, 2026,
         SCHEDULE_STANDARD_SEPTEMBER, 5,
         "previous identifier missing in the target cohort: built from the month"},
        {"2027-09-01", "2026-03-26", 0, 0, 0, 0, 0, 0, SCHEDULE_NOT_FOUND, 2027,
         SCHEDULE_STANDARD_SEPTEMBER, 5, "no schedules for 2027: ScheduleNotFound"},
        {"2026-09-01", "2026-03-26", 0, 1, 0, 0, 0, 1, SCHEDULE_NOT_FOUND, 2026,
         SCHEDULE_REPLACEMENT_SEPTEMBER, 5, "built identifier absent from the cohort: not found"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct schedule_assign_facts f = {
            .start_date = day(cases[i].start),
            .today = day(cases[i].today),
            .now = now,
            .registration_cohort = cases[i].registration,
            .mentor = cases[i].mentor,
            .has_previous = cases[i].has_previous,
            .previous_cohort = cases[i].previous_cohort,
            .previous_schedule = cases[i].previous,
            .replacement = cases[i].replacement,
        };
        struct schedule_assignment a = {0};
        enum schedule_result r = schedule_assign_default(&f, frozen_cohorts, COUNT(frozen_cohorts),
                                                         schedules, n_schedules, &a);
        ok(r == cases[i].result && a.cohort == cases[i].cohort && a.id == cases[i].id &&
               a.step == cases[i].step,
           "default schedule: %s", cases[i].name);
    }

    /* Frozen is judged at `now`: before 2021 froze, an ECT from 2021 is not reassigned. */
    struct schedule_assign_facts early = {.start_date = day("2024-01-10"),
                                          .today = day("2024-01-05"),
                                          .now = at("2024-01-05T10:00:00Z"),
                                          .has_previous = 1,
                                          .previous_cohort = 2021,
                                          .previous_schedule = SCHEDULE_STANDARD_SEPTEMBER};
    struct schedule_assignment a = {0};
    ok(schedule_assign_default(&early, frozen_cohorts, COUNT(frozen_cohorts), schedules,
                               n_schedules, &a) == SCHEDULE_OK &&
           a.cohort == 2023 && a.id == SCHEDULE_STANDARD_SEPTEMBER && a.step == 4,
       "default schedule: 2021 not yet frozen, no extended reassignment");
}

static void test_declarations_invalid(void)
{
    struct schedule_declared in_window[] = {
        {SCHEDULE_DECL_STARTED, at("2024-10-15T09:30:00Z")},
        {SCHEDULE_DECL_RETAINED_1, at("2020-01-01T00:00:00Z")}, /* no milestone: not checked */
    };
    struct schedule_declared late[] = {
        {SCHEDULE_DECL_STARTED, at("2024-10-15T09:30:00Z")},
        {SCHEDULE_DECL_STARTED, at("2025-01-01T00:00:00Z")},
    };
    struct schedule_declared early[] = {{SCHEDULE_DECL_EXTENDED_1, at("2024-08-31T00:00:00Z")}};
    ok(!schedule_declarations_invalid(ms, COUNT(ms), 2024, SCHEDULE_STANDARD_SEPTEMBER, in_window,
                                      COUNT(in_window)),
       "declarations invalid: all inside their windows (a type without a milestone is not)");
    ok(schedule_declarations_invalid(ms, COUNT(ms), 2024, SCHEDULE_STANDARD_SEPTEMBER, late,
                                     COUNT(late)),
       "declarations invalid: one after its milestone date");
    ok(schedule_declarations_invalid(ms, COUNT(ms), 2024, SCHEDULE_EXTENDED_SEPTEMBER, early,
                                     COUNT(early)),
       "declarations invalid: one before its start date");
    ok(!schedule_declarations_invalid(ms, COUNT(ms), 2024, SCHEDULE_EXTENDED_SEPTEMBER, early, 0),
       "declarations invalid: none to re-validate");
}

int main(void)
{
    schedules_init();
    cohorts_init();
    milestones_init();
    test_identifiers();
    test_declaration_types();
    test_calendar();
    test_cohorts();
    test_roles();
    test_declarations_allowed();
    test_windows();
    test_declarations_invalid();
    test_replacement();
    test_assignment();
    return tap_done();
}
