#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/clock.h"
#include "domain/schedule_rules.h"

static const char *const schedule_names[SCHEDULE_ID__MAX] = {
    [SCHEDULE_STANDARD_SEPTEMBER] = "ecf-standard-september",
    [SCHEDULE_STANDARD_JANUARY] = "ecf-standard-january",
    [SCHEDULE_STANDARD_APRIL] = "ecf-standard-april",
    [SCHEDULE_EXTENDED_SEPTEMBER] = "ecf-extended-september",
    [SCHEDULE_EXTENDED_JANUARY] = "ecf-extended-january",
    [SCHEDULE_EXTENDED_APRIL] = "ecf-extended-april",
    [SCHEDULE_REDUCED_SEPTEMBER] = "ecf-reduced-september",
    [SCHEDULE_REDUCED_JANUARY] = "ecf-reduced-january",
    [SCHEDULE_REDUCED_APRIL] = "ecf-reduced-april",
    [SCHEDULE_REPLACEMENT_SEPTEMBER] = "ecf-replacement-september",
    [SCHEDULE_REPLACEMENT_JANUARY] = "ecf-replacement-january",
    [SCHEDULE_REPLACEMENT_APRIL] = "ecf-replacement-april",
};

static const char *const declaration_names[SCHEDULE_DECL__MAX] = {
    [SCHEDULE_DECL_STARTED] = "started",       [SCHEDULE_DECL_RETAINED_1] = "retained-1",
    [SCHEDULE_DECL_RETAINED_2] = "retained-2", [SCHEDULE_DECL_RETAINED_3] = "retained-3",
    [SCHEDULE_DECL_RETAINED_4] = "retained-4", [SCHEDULE_DECL_COMPLETED] = "completed",
    [SCHEDULE_DECL_EXTENDED_1] = "extended-1", [SCHEDULE_DECL_EXTENDED_2] = "extended-2",
    [SCHEDULE_DECL_EXTENDED_3] = "extended-3",
};

const char *schedule_identifier(enum schedule_id id)
{
    return (unsigned)id < SCHEDULE_ID__MAX ? schedule_names[id] : NULL;
}

int schedule_parse(const char *s, enum schedule_id *out)
{
    if (!s)
        return -1;
    for (int i = 0; i < SCHEDULE_ID__MAX; i++)
        if (!strcmp(s, schedule_names[i])) {
            *out = (enum schedule_id)i;
            return 0;
        }
    return -1;
}

enum schedule_id schedule_make(enum schedule_type type, enum schedule_month month)
{
    return (enum schedule_id)((int)type * SCHEDULE_MONTH__MAX + (int)month);
}

enum schedule_type schedule_type_of(enum schedule_id id)
{
    return (enum schedule_type)((int)id / SCHEDULE_MONTH__MAX);
}

enum schedule_month schedule_month_of(enum schedule_id id)
{
    return (enum schedule_month)((int)id % SCHEDULE_MONTH__MAX);
}

const char *schedule_declaration_name(enum schedule_declaration t)
{
    return (unsigned)t < SCHEDULE_DECL__MAX ? declaration_names[t] : NULL;
}

int schedule_declaration_parse(const char *s, enum schedule_declaration *out)
{
    if (!s)
        return -1;
    for (int i = 0; i < SCHEDULE_DECL__MAX; i++)
        if (!strcmp(s, declaration_names[i])) {
            *out = (enum schedule_declaration)i;
            return 0;
        }
    return -1;
}

int schedule_cohort_year_of(int32_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return m >= 6 ? y : y - 1;
}

enum schedule_month schedule_month_for(int32_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    if (m >= 6 && m <= 10)
        return SCHEDULE_SEPTEMBER;
    if (m >= 3 && m <= 5)
        return SCHEDULE_APRIL;
    return SCHEDULE_JANUARY;
}

const struct schedule_cohort *schedule_cohort_find(const struct schedule_cohort *cs, size_t n,
                                                   int year)
{
    for (size_t i = 0; i < n; i++)
        if (cs[i].year == year)
            return &cs[i];
    return NULL;
}

int schedule_cohort_frozen(const struct schedule_cohort *c, int64_t now)
{
    return c && c->payments_frozen_at != SCHEDULE_NO_US && c->payments_frozen_at <= now;
}

int schedule_cohort_year_frozen(const struct schedule_cohort *cs, size_t n, int year, int64_t now)
{
    return schedule_cohort_frozen(schedule_cohort_find(cs, n, year), now);
}

int schedule_exists(const struct schedule_def *ss, size_t n, int cohort, enum schedule_id id)
{
    for (size_t i = 0; i < n; i++)
        if (ss[i].cohort == cohort && ss[i].id == id)
            return 1;
    return 0;
}

int schedule_allowed_for_role(enum schedule_id id, int mentor)
{
    enum schedule_type t = schedule_type_of(id);
    return mentor ? t != SCHEDULE_REDUCED : t != SCHEDULE_REPLACEMENT;
}

unsigned schedule_type_declarations(enum schedule_type type)
{
    unsigned six = (1u << (SCHEDULE_DECL_COMPLETED + 1)) - 1u;
    unsigned nine = (1u << SCHEDULE_DECL__MAX) - 1u;
    return type == SCHEDULE_EXTENDED ? nine : six;
}

static const struct schedule_milestone *milestone_find(const struct schedule_milestone *ms,
                                                       size_t n, int cohort, enum schedule_id id,
                                                       enum schedule_declaration t)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].cohort == cohort && ms[i].schedule == id && ms[i].type == t)
            return &ms[i];
    return NULL;
}

int schedule_allows(const struct schedule_milestone *ms, size_t n, int cohort, enum schedule_id id,
                    enum schedule_declaration t)
{
    return milestone_find(ms, n, cohort, id, t) != NULL;
}

int schedule_mentor_declaration_allowed(const struct schedule_cohort *c,
                                        enum schedule_declaration t)
{
    if (!c || !c->mentor_funding_enabled)
        return 1;
    return t == SCHEDULE_DECL_STARTED || t == SCHEDULE_DECL_COMPLETED;
}

enum schedule_window schedule_window_check(const struct schedule_milestone *ms, size_t n,
                                           int cohort, enum schedule_id id,
                                           enum schedule_declaration t, int64_t declaration_at)
{
    const struct schedule_milestone *m = milestone_find(ms, n, cohort, id, t);
    if (!m)
        return SCHEDULE_WINDOW_NO_MILESTONE;
    /* Choice: day boundaries are UTC midnights (decision 4: the server's UTC date), where the
     * national service uses its application time zone. */
    if (declaration_at < clock_day_start_us(m->start_date))
        return SCHEDULE_WINDOW_BEFORE_START;
    if (m->milestone_date != SCHEDULE_NO_DAY &&
        declaration_at >= clock_day_start_us(m->milestone_date + 1))
        return SCHEDULE_WINDOW_AFTER_MILESTONE;
    return SCHEDULE_WINDOW_OK;
}

int schedule_declarations_invalid(const struct schedule_milestone *ms, size_t n, int cohort,
                                  enum schedule_id id, const struct schedule_declared *ds,
                                  size_t nd)
{
    for (size_t i = 0; i < nd; i++) {
        enum schedule_window w =
            schedule_window_check(ms, n, cohort, id, ds[i].type, ds[i].declaration_at);
        if (w == SCHEDULE_WINDOW_BEFORE_START || w == SCHEDULE_WINDOW_AFTER_MILESTONE)
            return 1;
    }
    return 0;
}

static const struct {
    const char *title, *detail;
} window_errors[SCHEDULE_WINDOW__MAX] = {
    [SCHEDULE_WINDOW_BEFORE_START] = {"declaration_date", "Declaration date must be on or after "
                                                          "the milestone start date for the same "
                                                          "declaration type."},
    [SCHEDULE_WINDOW_AFTER_MILESTONE] = {"declaration_date", "Declaration date must be on or "
                                                             "before the milestone date for the "
                                                             "same declaration type."},
    [SCHEDULE_WINDOW_NO_MILESTONE] = {"declaration_type",
                                      "The property '#/declaration_type' does not exist for this "
                                      "schedule."},
};

const char *schedule_window_title(enum schedule_window w)
{
    return (unsigned)w < SCHEDULE_WINDOW__MAX ? window_errors[w].title : NULL;
}

const char *schedule_window_detail(enum schedule_window w)
{
    return (unsigned)w < SCHEDULE_WINDOW__MAX ? window_errors[w].detail : NULL;
}

int schedule_replacement_applies(const struct schedule_replacement_facts *f)
{
    return f->mentor && f->mentee_provider_led && !f->mentor_funding_ineligible &&
           f->mentee_declared_with_other;
}

static int32_t later_of(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

static enum schedule_result found(const struct schedule_def *ss, size_t nss,
                                  struct schedule_assignment *out, int cohort, enum schedule_id id,
                                  int step)
{
    out->cohort = cohort;
    out->id = id;
    out->step = step;
    return schedule_exists(ss, nss, cohort, id) ? SCHEDULE_OK : SCHEDULE_NOT_FOUND;
}

enum schedule_result schedule_assign_default(const struct schedule_assign_facts *f,
                                             const struct schedule_cohort *cs, size_t ncs,
                                             const struct schedule_def *ss, size_t nss,
                                             struct schedule_assignment *out)
{
    int32_t from = later_of(f->start_date, f->today);
    int cohort = f->registration_cohort ? f->registration_cohort : schedule_cohort_year_of(from);

    /* Choice: "most recent provider-led period" is the teacher's most recent one in the same
     * role (the caller passes it), whatever its lead provider. Choice: when the 2024 extended
     * september schedule is missing, assignment fails (no fall-through to steps 3-5). */
    if (!f->mentor && f->has_previous &&
        schedule_cohort_year_frozen(cs, ncs, f->previous_cohort, f->now))
        return found(ss, nss, out, SCHEDULE_SUCCESSOR_COHORT, SCHEDULE_EXTENDED_SEPTEMBER, 2);
    if (f->has_previous && f->previous_cohort == cohort)
        return found(ss, nss, out, cohort, f->previous_schedule, 3);
    if (f->has_previous && schedule_exists(ss, nss, cohort, f->previous_schedule))
        return found(ss, nss, out, cohort, f->previous_schedule, 4);
    enum schedule_type type =
        f->mentor && f->replacement ? SCHEDULE_REPLACEMENT : SCHEDULE_STANDARD;
    return found(ss, nss, out, cohort, schedule_make(type, schedule_month_for(from)), 5);
}
