/* Typed queries of the admin data API (include/db/db_admin_data.h). All SQL of the module is
 * in the statement table below. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_admin_data.h"
#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"

enum {
    LP_EXISTS,
    DP_EXISTS,
    DP_INSERT,
    SCHOOL_INSERT,
    SCHOOL_BY_URN,
    COHORT_GET,
    COHORT_MAX,
    COHORT_INSERT,
    COHORT_UPDATE,
    COHORT_LIST,
    SCHEDULE_INSERT,
    MILESTONE_INSERT,
    SCHEDULE_LIST,
    PARTNERSHIP_INSERT,
    PARTNERSHIP_BY_API,
    STATEMENT_INSERT,
    TEACHER_INSERT,
    TEACHER_BY_API,
    TEACHER_BY_PK,
    TEACHER_LOCK,
    TEACHER_UPDATE,
    TEACHER_SET_TRS,
    SP_INSERT,
    SP_BY_API,
    SP_BY_PK,
    SP_UPDATE,
    TP_INSERT,
    TP_BY_API,
    TP_BY_PK,
    TP_FINISH,
    TP_PREVIOUS,
    TP_SET_STOP,
    REPLACEMENT_FACTS,
    MS_INSERT,
    MS_BY_PK,
    IP_INSERT,
    MERGE_SCHOOL_PERIODS,
    MERGE_INDUCTION,
    MERGE_DECLARATIONS,
    MERGE_ID_CHANGES,
    MERGE_ID_CHANGE_INSERT,
    MERGE_SOURCE,
    MERGE_SOURCE_TLP,
    MERGE_AUDIT,
    AD__MAX
};

#define TEACHER_COLUMNS                                                                            \
    "id, api_id, full_name, trn, api_ect_training_record_id, api_mentor_training_record_id, "      \
    "created_at, updated_at, trs_induction_start_date, trs_induction_completed_date, "             \
    "ect_became_ineligible_on"
#define SP_SELECT                                                                                  \
    "SELECT sp.id, sp.api_id, sp.teacher_id, t.api_id, sp.role, sp.school_id, s.urn, sp.email, "   \
    "sp.started_on, sp.finished_on, sp.working_pattern, sp.created_at FROM school_periods sp "     \
    "JOIN teachers t ON t.id = sp.teacher_id JOIN schools s ON s.id = sp.school_id "
#define TP_SELECT                                                                                  \
    "SELECT tp.id, tp.api_id, tp.school_period_id, sp.api_id, sp.teacher_id, t.api_id, "           \
    "tp.partnership_id, p.api_id, tp.lead_provider_id, tp.cohort, tp.schedule_id, sc.identifier, " \
    "tp.started_on, tp.finished_on, tp.created_at FROM training_periods tp "                       \
    "JOIN school_periods sp ON sp.id = tp.school_period_id JOIN teachers t ON t.id = "             \
    "sp.teacher_id "                                                                               \
    "LEFT JOIN partnerships p ON p.id = tp.partnership_id "                                        \
    "LEFT JOIN schedules sc ON sc.id = tp.schedule_id "

static struct db_stmt stmts[AD__MAX] = {
    [LP_EXISTS] = DB_STMT("SELECT 1 FROM lead_providers WHERE id = ?"),
    [DP_EXISTS] = DB_STMT("SELECT 1 FROM delivery_partners WHERE id = ?"),
    [DP_INSERT] = DB_STMT(
        "INSERT INTO delivery_partners (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)"),
    [SCHOOL_INSERT] =
        DB_STMT("INSERT INTO schools (api_id, urn, name, pupil_premium_uplift, "
                "sparsity_uplift, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    [SCHOOL_BY_URN] =
        DB_STMT("SELECT id, api_id, urn, name, pupil_premium_uplift, sparsity_uplift, "
                "created_at FROM schools WHERE urn = ?"),
    [COHORT_GET] = DB_STMT("SELECT year, started_on, finished_on, payments_frozen_at, "
                           "mentor_funding_enabled, detailed_evidence_types_enabled, "
                           "uplift_fees_enabled FROM cohorts WHERE year = ?"),
    [COHORT_MAX] = DB_STMT("SELECT MAX(year) FROM cohorts"),
    [COHORT_INSERT] = DB_STMT("INSERT INTO cohorts (year, started_on, finished_on, "
                              "payments_frozen_at, mentor_funding_enabled, "
                              "detailed_evidence_types_enabled, uplift_fees_enabled) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)"),
    [COHORT_UPDATE] =
        DB_STMT("UPDATE cohorts SET payments_frozen_at = ?, mentor_funding_enabled = ?, "
                "detailed_evidence_types_enabled = ?, uplift_fees_enabled = ? "
                "WHERE year = ?"),
    [COHORT_LIST] = DB_STMT("SELECT year, payments_frozen_at, mentor_funding_enabled, "
                            "detailed_evidence_types_enabled, uplift_fees_enabled FROM cohorts "
                            "ORDER BY year"),
    [SCHEDULE_INSERT] = DB_STMT(
        "INSERT INTO schedules (id, cohort, identifier, name, type) VALUES (?, ?, ?, ?, ?)"),
    [MILESTONE_INSERT] = DB_STMT("INSERT INTO milestones (schedule_id, declaration_type, name, "
                                 "start_date, milestone_date, payment_date) "
                                 "VALUES (?, ?, ?, ?, NULL, ?)"),
    [SCHEDULE_LIST] = DB_STMT("SELECT cohort, identifier FROM schedules ORDER BY id"),
    [PARTNERSHIP_INSERT] = DB_STMT("INSERT INTO partnerships (api_id, school_id, lead_provider_id, "
                                   "delivery_partner_id, cohort, created_at, updated_at) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?)"),
    [PARTNERSHIP_BY_API] = DB_STMT("SELECT p.id, p.api_id, p.school_id, s.urn, p.lead_provider_id, "
                                   "p.delivery_partner_id, p.cohort, p.created_at "
                                   "FROM partnerships p JOIN schools s ON s.id = p.school_id "
                                   "WHERE p.api_id = ?"),
    [STATEMENT_INSERT] = DB_STMT("INSERT INTO statements (api_id, lead_provider_id, cohort, "
                                 "deadline_date, payment_date, state, created_at, updated_at) "
                                 "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)"),
    [TEACHER_INSERT] = DB_STMT("INSERT INTO teachers (api_id, full_name, trn, "
                               "api_ect_training_record_id, api_mentor_training_record_id, "
                               "created_at, updated_at, unfunded_mentor_updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
    [TEACHER_BY_API] =
        DB_STMT("SELECT " TEACHER_COLUMNS
                " FROM teachers WHERE api_id = ? AND merged_into_teacher_id IS NULL"),
    [TEACHER_BY_PK] = DB_STMT("SELECT " TEACHER_COLUMNS
                              " FROM teachers WHERE id = ? AND merged_into_teacher_id IS NULL"),
    [TEACHER_LOCK] = DB_STMT("SELECT id FROM teachers WHERE id = ? FOR UPDATE"),
    [TEACHER_UPDATE] = DB_STMT("UPDATE teachers SET full_name = ?, trn = ? WHERE id = ?"),
    [TEACHER_SET_TRS] = DB_STMT("UPDATE teachers SET trs_induction_start_date = ?, "
                                "trs_induction_completed_date = ?, ect_became_ineligible_on = ? "
                                "WHERE id = ?"),
    [SP_INSERT] = DB_STMT("INSERT INTO school_periods (api_id, teacher_id, role, school_id, email, "
                          "started_on, finished_on, working_pattern, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    [SP_BY_API] = DB_STMT(SP_SELECT "WHERE sp.api_id = ? AND t.merged_into_teacher_id IS NULL"),
    [SP_BY_PK] = DB_STMT(SP_SELECT "WHERE sp.id = ?"),
    [SP_UPDATE] = DB_STMT(
        "UPDATE school_periods SET email = ?, finished_on = ?, updated_at = ? WHERE id = ?"),
    [TP_INSERT] = DB_STMT("INSERT INTO training_periods (api_id, school_period_id, partnership_id, "
                          "lead_provider_id, cohort, schedule_id, started_on, finished_on, "
                          "transfer_updated_at, created_at, updated_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    [TP_BY_API] = DB_STMT(TP_SELECT "WHERE tp.api_id = ? AND t.merged_into_teacher_id IS NULL"),
    [TP_BY_PK] = DB_STMT(TP_SELECT "WHERE tp.id = ?"),
    [TP_FINISH] = DB_STMT("UPDATE training_periods SET finished_on = ?, transfer_updated_at = ?, "
                          "updated_at = ? WHERE id = ?"),
    [TP_PREVIOUS] =
        DB_STMT("SELECT tp.cohort, tp.schedule_id FROM training_periods tp "
                "JOIN school_periods sp ON sp.id = tp.school_period_id "
                "WHERE sp.teacher_id = ? AND sp.role = ? AND tp.partnership_id IS NOT NULL "
                "ORDER BY tp.started_on DESC, tp.id DESC LIMIT 1"),
    [TP_SET_STOP] = DB_STMT("UPDATE training_periods SET deferred_at = ?, deferral_reason = ?, "
                            "withdrawn_at = ?, withdrawal_reason = ? WHERE id = ?"),
    [REPLACEMENT_FACTS] = DB_STMT(
        "SELECT t.mentor_became_ineligible_on IS NOT NULL, EXISTS (SELECT 1 FROM mentorships m "
        "JOIN school_periods esp ON esp.id = m.ect_school_period_id "
        "JOIN training_periods etp ON etp.school_period_id = esp.id "
        "AND etp.partnership_id IS NOT NULL "
        "JOIN mentorships o ON o.ect_school_period_id = m.ect_school_period_id "
        "AND o.mentor_school_period_id <> m.mentor_school_period_id AND o.started_on < "
        "m.started_on "
        "JOIN declarations d ON d.teacher_id = esp.teacher_id "
        "AND d.course_identifier = 'ecf-induction' AND d.state <> 'voided' "
        "AND d.declaration_date >= o.started_on "
        "AND (o.finished_on IS NULL OR d.declaration_date < o.finished_on + INTERVAL 1 DAY) "
        "WHERE m.mentor_school_period_id = sp.id) "
        "FROM school_periods sp JOIN teachers t ON t.id = sp.teacher_id WHERE sp.id = ?"),
    [MS_INSERT] =
        DB_STMT("INSERT INTO mentorships (api_id, ect_school_period_id, "
                "mentor_school_period_id, started_on, finished_on, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)"),
    [MS_BY_PK] =
        DB_STMT("SELECT m.id, m.api_id, m.ect_school_period_id, e.api_id, "
                "m.mentor_school_period_id, o.api_id, m.started_on, m.finished_on, "
                "m.created_at FROM mentorships m "
                "JOIN school_periods e ON e.id = m.ect_school_period_id "
                "JOIN school_periods o ON o.id = m.mentor_school_period_id WHERE m.id = ?"),
    [IP_INSERT] =
        DB_STMT("INSERT INTO induction_periods (api_id, teacher_id, started_on, "
                "finished_on, outcome, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
    [MERGE_SCHOOL_PERIODS] =
        DB_STMT("UPDATE school_periods SET teacher_id = ?, updated_at = ? WHERE teacher_id = ?"),
    [MERGE_INDUCTION] =
        DB_STMT("UPDATE induction_periods SET teacher_id = ?, updated_at = ? WHERE teacher_id = ?"),
    [MERGE_DECLARATIONS] =
        DB_STMT("UPDATE declarations SET teacher_id = ?, updated_at = ? WHERE teacher_id = ?"),
    [MERGE_ID_CHANGES] =
        DB_STMT("UPDATE participant_id_changes SET teacher_id = ? WHERE teacher_id = ?"),
    [MERGE_ID_CHANGE_INSERT] = DB_STMT("INSERT INTO participant_id_changes (teacher_id, "
                                       "from_participant_id, to_participant_id, changed_at) "
                                       "VALUES (?, ?, ?, ?)"),
    [MERGE_SOURCE] = DB_STMT("UPDATE teachers SET merged_into_teacher_id = ?, full_name = 'Merged "
                             "participant', trn = NULL, updated_at = ?, "
                             "unfunded_mentor_updated_at = ? WHERE id = ?"),
    [MERGE_SOURCE_TLP] = DB_STMT("DELETE FROM teacher_lead_providers WHERE teacher_id = ?"),
    [MERGE_AUDIT] = DB_STMT("INSERT INTO audit_events (occurred_at, event, token_jti, actor, "
                            "request_id, teacher_id, details) "
                            "VALUES (?, 'teacher.merged', ?, ?, ?, ?, ?)"),
};

/* ------------------------------------------------------------------ cell helpers */

/* Date and timestamp parameters: formatted into caller-provided buffers. */
static struct db_val day_val(int32_t d, char buf[CLOCK_DATE_LEN])
{
    if (d == DB_NO_DAY)
        return DB_NULLV;
    clock_format_date(d, buf);
    return DB_STR(buf);
}

static struct db_val ts_val(int64_t us, char buf[27])
{
    if (!us)
        return DB_NULLV;
    clock_format_sql_datetime(us, buf);
    return DB_STR(buf);
}

static int exists(struct db *db, int which, const struct db_val *p)
{
    struct db_rows r;
    struct arena *a = arena_new(1024);
    int rc = db_query(db, &stmts[which], p, 1, a, &r);
    if (rc == DB_OK && r.nrows == 0)
        rc = DB_NOT_FOUND;
    arena_free(a);
    return rc;
}

int db_ad_lead_provider_exists(struct db *db, const uint8_t id[16])
{
    struct db_val p[] = {DB_BIN(id, 16)};
    return exists(db, LP_EXISTS, p);
}

int db_ad_delivery_partner_exists(struct db *db, const uint8_t id[16])
{
    struct db_val p[] = {DB_BIN(id, 16)};
    return exists(db, DP_EXISTS, p);
}

/* ------------------------------------------------------------------ partners and schools */

int db_ad_delivery_partner_insert(struct db *db, const struct ad_delivery_partner *dp)
{
    char ts[27];
    struct db_val p[] = {DB_BIN(dp->id, 16), DB_STR(dp->name), ts_val(dp->created_at_us, ts),
                         DB_STR(ts)};
    return db_exec(db, &stmts[DP_INSERT], p, 4, NULL);
}

int db_ad_school_insert(struct db *db, struct ad_school *s)
{
    char ts[27];
    struct db_val p[] = {DB_BIN(s->api_id, 16),
                         DB_STR(s->urn),
                         DB_STR(s->name),
                         DB_I64(s->pupil_premium_uplift),
                         DB_I64(s->sparsity_uplift),
                         ts_val(s->created_at_us, ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[SCHOOL_INSERT], p, 7, NULL);
    if (rc == DB_OK)
        s->pk = db_last_insert_id(db);
    return rc;
}

int db_ad_school_get_by_urn(struct db *db, const char *urn, struct arena *a, struct ad_school *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_STR(urn)};
    int rc = db_query_one(db, &stmts[SCHOOL_BY_URN], p, 1, a, &r);
    if (rc)
        return rc;
    out->pk = (uint64_t)db_cell_i64(&r, 0, 0, 0);
    db_cell_bin16(&r, 0, 1, out->api_id);
    out->urn = db_cell(&r, 0, 2);
    out->name = db_cell(&r, 0, 3);
    out->pupil_premium_uplift = atoi(db_cell(&r, 0, 4));
    out->sparsity_uplift = atoi(db_cell(&r, 0, 5));
    out->created_at_us = db_cell_ts(&r, 0, 6, 0);
    return DB_OK;
}

/* ------------------------------------------------------------------ cohorts and schedules */

int db_ad_cohort_get(struct db *db, int year, struct ad_cohort *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(year)};
    struct arena *a = arena_new(1024);
    int rc = db_query_one(db, &stmts[COHORT_GET], p, 1, a, &r);
    if (rc == DB_OK) {
        out->year = atoi(db_cell(&r, 0, 0));
        out->started_on = db_cell_day(&r, 0, 1, DB_NO_DAY);
        out->finished_on = db_cell_day(&r, 0, 2, DB_NO_DAY);
        out->payments_frozen_at_us = db_cell_ts(&r, 0, 3, 0);
        out->mentor_funding_enabled = atoi(db_cell(&r, 0, 4));
        out->detailed_evidence_types_enabled = atoi(db_cell(&r, 0, 5));
        out->uplift_fees_enabled = atoi(db_cell(&r, 0, 6));
    }
    arena_free(a);
    return rc;
}

int db_ad_cohort_max_year(struct db *db, int *year)
{
    struct db_rows r;
    struct arena *a = arena_new(1024);
    int rc = db_query(db, &stmts[COHORT_MAX], NULL, 0, a, &r);
    if (rc == DB_OK)
        *year = r.nrows == 1 && db_cell(&r, 0, 0) ? atoi(db_cell(&r, 0, 0)) : 0;
    arena_free(a);
    return rc;
}

static const char *const month_names[SCHEDULE_MONTH__MAX] = {"September", "January", "April"};
static const char *const type_names[SCHEDULE_TYPE__MAX] = {"Standard", "Extended", "Reduced",
                                                           "Replacement"};
static const char *const type_columns[SCHEDULE_TYPE__MAX] = {"ecf_standard", "ecf_extended",
                                                             "ecf_reduced", "ecf_replacement"};
static const char *const milestone_names[SCHEDULE_DECL__MAX] = {
    "Output 1 - Participant Start", "Output 2 - Retention Point 1",
    "Output 3 - Retention Point 2", "Output 4 - Retention Point 3",
    "Output 5 - Retention Point 4", "Output 6 - Participant Completion",
    "Output 7 - Extended Point 1",  "Output 8 - Extended Point 2",
    "Output 9 - Extended Point 3"};

/* Start of every milestone of a schedule of cohort `y` (schema/README.md, the 2026 rule of
 * spec 3.4 shifted by year): Y-06-01 standard september, Y-09-01 other septembers,
 * (Y+1)-01-01 january, (Y+1)-04-01 april. */
static int32_t rule_start(int y, enum schedule_id id)
{
    switch (schedule_month_of(id)) {
    case SCHEDULE_SEPTEMBER:
        return clock_days_from_civil(y, schedule_type_of(id) == SCHEDULE_STANDARD ? 6 : 9, 1);
    case SCHEDULE_JANUARY:
        return clock_days_from_civil(y + 1, 1, 1);
    default:
        return clock_days_from_civil(y + 1, 4, 1);
    }
}

int db_ad_cohort_create(struct db *db, const struct ad_cohort *c)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_I64(c->year),
                         day_val(c->started_on, d1),
                         day_val(c->finished_on, d2),
                         ts_val(c->payments_frozen_at_us, ts),
                         DB_I64(c->mentor_funding_enabled),
                         DB_I64(c->detailed_evidence_types_enabled),
                         DB_I64(c->uplift_fees_enabled)};
    int rc = db_exec(db, &stmts[COHORT_INSERT], p, 7, NULL);
    for (int s = 0; rc == DB_OK && s < SCHEDULE_ID__MAX; s++) {
        enum schedule_id id = (enum schedule_id)s;
        enum schedule_type type = schedule_type_of(id);
        char name[64];
        xsnprintf(name, sizeof(name), "ECF %s %s", type_names[type],
                  month_names[schedule_month_of(id)]);
        int64_t sid = (int64_t)c->year * 100 + s + 1;
        struct db_val sp[] = {DB_I64(sid), DB_I64(c->year), DB_STR(schedule_identifier(id)),
                              DB_STR(name), DB_STR(type_columns[type])};
        rc = db_exec(db, &stmts[SCHEDULE_INSERT], sp, 5, NULL);
        unsigned decls = schedule_type_declarations(type);
        char start[CLOCK_DATE_LEN];
        clock_format_date(rule_start(c->year, id), start);
        for (int t = 0; rc == DB_OK && t < SCHEDULE_DECL__MAX; t++) {
            if (!(decls & (1u << t)))
                continue;
            struct db_val mp[] = {DB_I64(sid),
                                  DB_STR(schedule_declaration_name((enum schedule_declaration)t)),
                                  DB_STR(milestone_names[t]), DB_STR(start), DB_STR(start)};
            rc = db_exec(db, &stmts[MILESTONE_INSERT], mp, 5, NULL);
        }
    }
    return rc;
}

int db_ad_cohort_update(struct db *db, const struct ad_cohort *c)
{
    char ts[27];
    struct db_val p[] = {ts_val(c->payments_frozen_at_us, ts), DB_I64(c->mentor_funding_enabled),
                         DB_I64(c->detailed_evidence_types_enabled), DB_I64(c->uplift_fees_enabled),
                         DB_I64(c->year)};
    return db_exec(db, &stmts[COHORT_UPDATE], p, 5, NULL);
}

int db_ad_cohort_list(struct db *db, struct arena *a, struct schedule_cohort **out, size_t *n)
{
    struct db_rows r;
    int rc = db_query(db, &stmts[COHORT_LIST], NULL, 0, a, &r);
    if (rc)
        return rc;
    *out = arena_calloc(a, r.nrows + 1, sizeof(**out));
    for (size_t i = 0; i < r.nrows; i++) {
        struct schedule_cohort *c = &(*out)[i];
        c->year = atoi(db_cell(&r, i, 0));
        c->payments_frozen_at = db_cell(&r, i, 1) ? db_cell_ts(&r, i, 1, 0) : SCHEDULE_NO_US;
        c->mentor_funding_enabled = atoi(db_cell(&r, i, 2));
        c->detailed_evidence_types_enabled = atoi(db_cell(&r, i, 3));
        c->uplift_fees_enabled = atoi(db_cell(&r, i, 4));
    }
    *n = r.nrows;
    return DB_OK;
}

int db_ad_schedule_list(struct db *db, struct arena *a, struct schedule_def **out, size_t *n)
{
    struct db_rows r;
    int rc = db_query(db, &stmts[SCHEDULE_LIST], NULL, 0, a, &r);
    if (rc)
        return rc;
    *out = arena_calloc(a, r.nrows + 1, sizeof(**out));
    size_t k = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        enum schedule_id id;
        if (schedule_parse(db_cell(&r, i, 1), &id))
            continue;
        (*out)[k].cohort = atoi(db_cell(&r, i, 0));
        (*out)[k].id = id;
        k++;
    }
    *n = k;
    return DB_OK;
}

/* ------------------------------------------------------------------ partnerships, statements */

int db_ad_partnership_insert(struct db *db, struct ad_partnership *pa, int64_t now_us)
{
    char ts[27];
    struct db_val p[] = {DB_BIN(pa->api_id, 16),
                         DB_I64(pa->school_pk),
                         DB_BIN(pa->lead_provider_id, 16),
                         DB_BIN(pa->delivery_partner_id, 16),
                         DB_I64(pa->cohort),
                         ts_val(now_us, ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[PARTNERSHIP_INSERT], p, 7, NULL);
    if (rc == DB_OK) {
        pa->pk = db_last_insert_id(db);
        pa->created_at_us = now_us;
    }
    return rc;
}

int db_ad_partnership_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                                 struct ad_partnership *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_BIN(api_id, 16)};
    int rc = db_query_one(db, &stmts[PARTNERSHIP_BY_API], p, 1, a, &r);
    if (rc)
        return rc;
    out->pk = (uint64_t)db_cell_i64(&r, 0, 0, 0);
    db_cell_bin16(&r, 0, 1, out->api_id);
    out->school_pk = (uint64_t)db_cell_i64(&r, 0, 2, 0);
    out->school_urn = db_cell(&r, 0, 3);
    db_cell_bin16(&r, 0, 4, out->lead_provider_id);
    db_cell_bin16(&r, 0, 5, out->delivery_partner_id);
    out->cohort = atoi(db_cell(&r, 0, 6));
    out->created_at_us = db_cell_ts(&r, 0, 7, 0);
    return DB_OK;
}

int db_ad_statement_insert(struct db *db, struct ad_statement *s)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_BIN(s->api_id, 16),
                         DB_BIN(s->lead_provider_id, 16),
                         DB_I64(s->cohort),
                         day_val(s->deadline_date, d1),
                         day_val(s->payment_date, d2),
                         ts_val(s->created_at_us, ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[STATEMENT_INSERT], p, 7, NULL);
    if (rc == DB_OK) {
        s->pk = db_last_insert_id(db);
        s->state = "open";
    }
    return rc;
}

/* ------------------------------------------------------------------ teachers */

int db_ad_teacher_insert(struct db *db, struct ad_teacher *t)
{
    char ts[27];
    struct db_val p[] = {DB_BIN(t->api_id, 16),
                         DB_STR(t->full_name),
                         DB_STR_OR_NULL(t->trn),
                         DB_BIN(t->ect_training_record_id, 16),
                         DB_BIN(t->mentor_training_record_id, 16),
                         ts_val(t->created_at_us, ts),
                         DB_STR(ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[TEACHER_INSERT], p, 8, NULL);
    if (rc == DB_OK) {
        t->pk = db_last_insert_id(db);
        t->updated_at_us = t->created_at_us;
    }
    return rc;
}

static int teacher_get(struct db *db, int which, const struct db_val *p, struct arena *a,
                       struct ad_teacher *out)
{
    struct db_rows r;
    int rc = db_query_one(db, &stmts[which], p, 1, a, &r);
    if (rc)
        return rc;
    out->pk = (uint64_t)db_cell_i64(&r, 0, 0, 0);
    db_cell_bin16(&r, 0, 1, out->api_id);
    out->full_name = db_cell(&r, 0, 2);
    out->trn = db_cell(&r, 0, 3);
    db_cell_bin16(&r, 0, 4, out->ect_training_record_id);
    db_cell_bin16(&r, 0, 5, out->mentor_training_record_id);
    out->created_at_us = db_cell_ts(&r, 0, 6, 0);
    out->updated_at_us = db_cell_ts(&r, 0, 7, 0);
    out->trs_induction_start_date = db_cell_day(&r, 0, 8, DB_NO_DAY);
    out->trs_induction_completed_date = db_cell_day(&r, 0, 9, DB_NO_DAY);
    out->ect_became_ineligible_on = db_cell_day(&r, 0, 10, DB_NO_DAY);
    return DB_OK;
}

int db_ad_teacher_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                             struct ad_teacher *out)
{
    struct db_val p[] = {DB_BIN(api_id, 16)};
    return teacher_get(db, TEACHER_BY_API, p, a, out);
}

int db_ad_teacher_get(struct db *db, uint64_t pk, struct arena *a, struct ad_teacher *out)
{
    struct db_val p[] = {DB_I64(pk)};
    return teacher_get(db, TEACHER_BY_PK, p, a, out);
}

int db_ad_teacher_lock(struct db *db, uint64_t pk)
{
    struct db_val p[] = {DB_I64(pk)};
    return exists(db, TEACHER_LOCK, p);
}

int db_ad_teacher_update(struct db *db, uint64_t pk, const char *full_name, const char *trn)
{
    struct db_val p[] = {DB_STR(full_name), DB_STR_OR_NULL(trn), DB_I64(pk)};
    return db_exec(db, &stmts[TEACHER_UPDATE], p, 3, NULL);
}

int db_ad_teacher_set_trs(struct db *db, uint64_t pk, int32_t induction_start,
                          int32_t induction_completed, int32_t ect_ineligible_on)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], d3[CLOCK_DATE_LEN];
    struct db_val p[] = {day_val(induction_start, d1), day_val(induction_completed, d2),
                         day_val(ect_ineligible_on, d3), DB_I64(pk)};
    return db_exec(db, &stmts[TEACHER_SET_TRS], p, 4, NULL);
}

/* ------------------------------------------------------------------ school periods */

int db_ad_school_period_insert(struct db *db, struct ad_school_period *sp, int64_t now_us)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_BIN(sp->api_id, 16),
                         DB_I64(sp->teacher_pk),
                         DB_STR(sp->role),
                         DB_I64(sp->school_pk),
                         DB_STR(sp->email),
                         day_val(sp->started_on, d1),
                         day_val(sp->finished_on, d2),
                         DB_STR_OR_NULL(sp->working_pattern),
                         ts_val(now_us, ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[SP_INSERT], p, 10, NULL);
    if (rc == DB_OK)
        sp->pk = db_last_insert_id(db);
    return rc;
}

static int sp_get(struct db *db, int which, const struct db_val *p, struct arena *a,
                  struct ad_school_period *out)
{
    struct db_rows r;
    int rc = db_query_one(db, &stmts[which], p, 1, a, &r);
    if (rc)
        return rc;
    out->pk = (uint64_t)db_cell_i64(&r, 0, 0, 0);
    db_cell_bin16(&r, 0, 1, out->api_id);
    out->teacher_pk = (uint64_t)db_cell_i64(&r, 0, 2, 0);
    db_cell_bin16(&r, 0, 3, out->teacher_api_id);
    out->role = db_cell(&r, 0, 4);
    out->school_pk = (uint64_t)db_cell_i64(&r, 0, 5, 0);
    out->school_urn = db_cell(&r, 0, 6);
    out->email = db_cell(&r, 0, 7);
    out->started_on = db_cell_day(&r, 0, 8, DB_NO_DAY);
    out->finished_on = db_cell_day(&r, 0, 9, DB_NO_DAY);
    out->working_pattern = db_cell(&r, 0, 10);
    out->created_at_us = db_cell_ts(&r, 0, 11, 0);
    return DB_OK;
}

int db_ad_school_period_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                                   struct ad_school_period *out)
{
    struct db_val p[] = {DB_BIN(api_id, 16)};
    return sp_get(db, SP_BY_API, p, a, out);
}

int db_ad_school_period_get(struct db *db, uint64_t pk, struct arena *a,
                            struct ad_school_period *out)
{
    struct db_val p[] = {DB_I64(pk)};
    return sp_get(db, SP_BY_PK, p, a, out);
}

int db_ad_school_period_update(struct db *db, uint64_t pk, const char *email, int32_t finished_on,
                               int64_t now_us)
{
    char d[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_STR(email), day_val(finished_on, d), ts_val(now_us, ts), DB_I64(pk)};
    return db_exec(db, &stmts[SP_UPDATE], p, 4, NULL);
}

/* ------------------------------------------------------------------ training periods */

int db_ad_training_period_insert(struct db *db, struct ad_training_period *tp, int64_t now_us)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_BIN(tp->api_id, 16),
                         DB_I64(tp->school_period_pk),
                         tp->provider_led ? DB_I64(tp->partnership_pk) : DB_NULLV,
                         tp->provider_led ? DB_BIN(tp->lead_provider_id, 16) : DB_NULLV,
                         tp->provider_led ? DB_I64(tp->cohort) : DB_NULLV,
                         tp->provider_led ? DB_I64(tp->schedule_id) : DB_NULLV,
                         day_val(tp->started_on, d1),
                         day_val(tp->finished_on, d2),
                         ts_val(now_us, ts),
                         DB_STR(ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[TP_INSERT], p, 11, NULL);
    if (rc == DB_OK)
        tp->pk = db_last_insert_id(db);
    return rc;
}

static int tp_get(struct db *db, int which, const struct db_val *p, struct arena *a,
                  struct ad_training_period *out)
{
    struct db_rows r;
    int rc = db_query_one(db, &stmts[which], p, 1, a, &r);
    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    out->pk = (uint64_t)db_cell_i64(&r, 0, 0, 0);
    db_cell_bin16(&r, 0, 1, out->api_id);
    out->school_period_pk = (uint64_t)db_cell_i64(&r, 0, 2, 0);
    db_cell_bin16(&r, 0, 3, out->school_period_api_id);
    out->teacher_pk = (uint64_t)db_cell_i64(&r, 0, 4, 0);
    db_cell_bin16(&r, 0, 5, out->teacher_api_id);
    out->provider_led = db_cell(&r, 0, 6) != NULL;
    if (out->provider_led) {
        out->partnership_pk = (uint64_t)db_cell_i64(&r, 0, 6, 0);
        db_cell_bin16(&r, 0, 7, out->partnership_api_id);
        db_cell_bin16(&r, 0, 8, out->lead_provider_id);
        out->cohort = atoi(db_cell(&r, 0, 9));
        out->schedule_id = (unsigned)(uint64_t)db_cell_i64(&r, 0, 10, 0);
        out->schedule_identifier = db_cell(&r, 0, 11);
    }
    out->started_on = db_cell_day(&r, 0, 12, DB_NO_DAY);
    out->finished_on = db_cell_day(&r, 0, 13, DB_NO_DAY);
    out->created_at_us = db_cell_ts(&r, 0, 14, 0);
    return DB_OK;
}

int db_ad_training_period_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                                     struct ad_training_period *out)
{
    struct db_val p[] = {DB_BIN(api_id, 16)};
    return tp_get(db, TP_BY_API, p, a, out);
}

int db_ad_training_period_get(struct db *db, uint64_t pk, struct arena *a,
                              struct ad_training_period *out)
{
    struct db_val p[] = {DB_I64(pk)};
    return tp_get(db, TP_BY_PK, p, a, out);
}

int db_ad_training_period_finish(struct db *db, uint64_t pk, int32_t finished_on, int64_t now_us)
{
    char d[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {day_val(finished_on, d), ts_val(now_us, ts), DB_STR(ts), DB_I64(pk)};
    return db_exec(db, &stmts[TP_FINISH], p, 4, NULL);
}

int db_ad_training_period_set_stop(struct db *db, uint64_t pk, int64_t deferred_at_us,
                                   const char *deferral_reason, int64_t withdrawn_at_us,
                                   const char *withdrawal_reason)
{
    char t1[27], t2[27];
    struct db_val p[] = {ts_val(deferred_at_us, t1), DB_STR_OR_NULL(deferral_reason),
                         ts_val(withdrawn_at_us, t2), DB_STR_OR_NULL(withdrawal_reason),
                         DB_I64(pk)};
    return db_exec(db, &stmts[TP_SET_STOP], p, 5, NULL);
}

int db_ad_training_period_previous(struct db *db, uint64_t teacher_pk, const char *role,
                                   struct arena *a, int *found, int *cohort, unsigned *schedule_id)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(teacher_pk), DB_STR(role)};
    int rc = db_query(db, &stmts[TP_PREVIOUS], p, 2, a, &r);
    if (rc)
        return rc;
    *found = r.nrows == 1;
    if (*found) {
        *cohort = atoi(db_cell(&r, 0, 0));
        *schedule_id = (unsigned)(uint64_t)db_cell_i64(&r, 0, 1, 0);
    }
    return DB_OK;
}

/* ------------------------------------------------------------------ mentorships, inductions */

int db_ad_replacement_applies(struct db *db, uint64_t mentor_school_period_pk, int *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(mentor_school_period_pk)};
    struct arena *a = arena_new(1024);
    int rc = db_query_one(db, &stmts[REPLACEMENT_FACTS], p, 1, a, &r);
    if (rc == DB_OK) {
        /* One EXISTS answers both mentee facts (provider-led, declared with another). */
        struct schedule_replacement_facts f = {
            .mentor = 1,
            .mentee_provider_led = atoi(db_cell(&r, 0, 1)),
            .mentor_funding_ineligible = atoi(db_cell(&r, 0, 0)),
            .mentee_declared_with_other = atoi(db_cell(&r, 0, 1)),
        };
        *out = schedule_replacement_applies(&f);
    }
    arena_free(a);
    return rc;
}

int db_ad_mentorship_insert(struct db *db, struct ad_mentorship *m, int64_t now_us)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_BIN(m->api_id, 16),
                         DB_I64(m->ect_school_period_pk),
                         DB_I64(m->mentor_school_period_pk),
                         day_val(m->started_on, d1),
                         day_val(m->finished_on, d2),
                         ts_val(now_us, ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[MS_INSERT], p, 7, NULL);
    if (rc == DB_OK)
        m->pk = db_last_insert_id(db);
    return rc;
}

int db_ad_mentorship_get(struct db *db, uint64_t pk, struct arena *a, struct ad_mentorship *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(pk)};
    int rc = db_query_one(db, &stmts[MS_BY_PK], p, 1, a, &r);
    if (rc)
        return rc;
    out->pk = (uint64_t)db_cell_i64(&r, 0, 0, 0);
    db_cell_bin16(&r, 0, 1, out->api_id);
    out->ect_school_period_pk = (uint64_t)db_cell_i64(&r, 0, 2, 0);
    db_cell_bin16(&r, 0, 3, out->ect_school_period_api_id);
    out->mentor_school_period_pk = (uint64_t)db_cell_i64(&r, 0, 4, 0);
    db_cell_bin16(&r, 0, 5, out->mentor_school_period_api_id);
    out->started_on = db_cell_day(&r, 0, 6, DB_NO_DAY);
    out->finished_on = db_cell_day(&r, 0, 7, DB_NO_DAY);
    out->created_at_us = db_cell_ts(&r, 0, 8, 0);
    return DB_OK;
}

int db_ad_induction_period_insert(struct db *db, struct ad_induction_period *ip, int64_t now_us)
{
    char d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN], ts[27];
    struct db_val p[] = {DB_BIN(ip->api_id, 16),
                         DB_I64(ip->teacher_pk),
                         day_val(ip->started_on, d1),
                         day_val(ip->finished_on, d2),
                         DB_STR_OR_NULL(ip->outcome),
                         ts_val(now_us, ts),
                         DB_STR(ts)};
    int rc = db_exec(db, &stmts[IP_INSERT], p, 7, NULL);
    if (rc == DB_OK) {
        ip->pk = db_last_insert_id(db);
        ip->created_at_us = now_us;
    }
    return rc;
}

/* ------------------------------------------------------------------ merge */

int db_ad_teacher_merge(struct db *db, const struct ad_teacher *from, const struct ad_teacher *to,
                        int64_t now_us, const char *token_jti, const char *actor,
                        const char *request_id)
{
    char ts[27];
    struct db_val move[] = {DB_I64(to->pk), ts_val(now_us, ts), DB_I64(from->pk)};
    int rc = db_exec(db, &stmts[MERGE_SCHOOL_PERIODS], move, 3, NULL);
    if (rc == DB_OK)
        rc = db_exec(db, &stmts[MERGE_INDUCTION], move, 3, NULL);
    if (rc == DB_OK)
        rc = db_exec(db, &stmts[MERGE_DECLARATIONS], move, 3, NULL);
    if (rc == DB_OK) {
        struct db_val p[] = {DB_I64(to->pk), DB_I64(from->pk)};
        rc = db_exec(db, &stmts[MERGE_ID_CHANGES], p, 2, NULL);
    }
    if (rc == DB_OK) {
        struct db_val p[] = {DB_I64(to->pk), DB_BIN(from->api_id, 16), DB_BIN(to->api_id, 16),
                             DB_STR(ts)};
        rc = db_exec(db, &stmts[MERGE_ID_CHANGE_INSERT], p, 4, NULL);
    }
    if (rc == DB_OK) {
        struct db_val p[] = {DB_I64(to->pk), DB_STR(ts), DB_STR(ts), DB_I64(from->pk)};
        rc = db_exec(db, &stmts[MERGE_SOURCE], p, 4, NULL);
    }
    if (rc == DB_OK) {
        struct db_val p[] = {DB_I64(from->pk)};
        rc = db_exec(db, &stmts[MERGE_SOURCE_TLP], p, 1, NULL);
    }
    if (rc == DB_OK) {
        char from_id[UUID_TEXT_LEN], to_id[UUID_TEXT_LEN], details[128];
        ids_uuid_format(from->api_id, from_id);
        ids_uuid_format(to->api_id, to_id);
        xsnprintf(details, sizeof(details),
                  "{\"from_participant_id\":\"%s\",\"to_participant_id\":\"%s\"}", from_id, to_id);
        struct db_val p[] = {DB_STR(ts),
                             DB_STR_OR_NULL(token_jti),
                             DB_STR_OR_NULL(actor),
                             DB_STR_OR_NULL(request_id),
                             DB_I64(to->pk),
                             DB_STR(details)};
        rc = db_exec(db, &stmts[MERGE_AUDIT], p, 6, NULL);
    }
    return rc;
}
