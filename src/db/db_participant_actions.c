/* Participant actions' queries (include/db/db_participant_actions.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_participant_actions.h"

enum {
    PA_LOCK,
    PA_PERIODS,
    PA_INDUCTIONS,
    PA_MILESTONES,
    PA_DECLARATIONS,
    PA_PARTNERSHIP,
    PA_DEFER,
    PA_WITHDRAW,
    PA_RESCHEDULE,
    PA_DECLARATIONS_COHORT,
    PA_FROZEN_ECT,
    PA_FROZEN_MENTOR,
    PA__MAX
};

/* transfer_updated_at is assigned before finished_on: MySQL applies SET from left to right,
 * so the comparison still sees the old finished_on. */
#define STOP_SET                                                                                   \
    "transfer_updated_at = IF(finished_on <=> ?, transfer_updated_at, ?), finished_on = ?, "       \
    "updated_at = ? WHERE id = ?"

static struct db_stmt stmts[PA__MAX] = {
    [PA_LOCK] = DB_STMT("SELECT t.id, t.ect_payments_frozen_year, t.mentor_payments_frozen_year, "
                        "t.mentor_became_ineligible_on FROM teachers t "
                        "JOIN teacher_lead_providers m ON m.teacher_id = t.id "
                        "AND m.lead_provider_id = ? "
                        "WHERE t.api_id = ? AND t.merged_into_teacher_id IS NULL FOR UPDATE"),
    /* Not locked: the teacher lock above serialises every writer of these rows, and a
     * locking read here would also lock the shared partnership rows. */
    [PA_PERIODS] =
        DB_STMT("SELECT tp.id, sp.role, tp.school_period_id, tp.lead_provider_id IS NULL, "
                "tp.lead_provider_id = ?, tp.started_on, tp.finished_on, tp.withdrawn_at, "
                "tp.deferred_at, tp.partnership_id, tp.cohort, tp.schedule_id, sc.identifier, "
                "sp.school_id, sp.started_on, sp.finished_on, p.delivery_partner_id "
                "FROM school_periods sp JOIN training_periods tp ON tp.school_period_id = sp.id "
                "LEFT JOIN partnerships p ON p.id = tp.partnership_id "
                "LEFT JOIN schedules sc ON sc.id = tp.schedule_id "
                "WHERE sp.teacher_id = ? ORDER BY tp.id"),
    [PA_INDUCTIONS] = DB_STMT("SELECT started_on, finished_on, outcome IS NOT NULL "
                              "FROM induction_periods WHERE teacher_id = ?"),
    [PA_MILESTONES] = DB_STMT("SELECT declaration_type, start_date, milestone_date "
                              "FROM milestones WHERE schedule_id = ?"),
    [PA_DECLARATIONS] = DB_STMT("SELECT declaration_type, declaration_date FROM declarations "
                                "WHERE training_period_id = ?"),
    [PA_PARTNERSHIP] = DB_STMT("SELECT id FROM partnerships WHERE school_id = ? "
                               "AND lead_provider_id = ? AND cohort = ? "
                               "ORDER BY delivery_partner_id = ? DESC, created_at DESC, id DESC "
                               "LIMIT 1"),
    [PA_DEFER] =
        DB_STMT("UPDATE training_periods SET deferred_at = ?, deferral_reason = ?, " STOP_SET),
    [PA_WITHDRAW] =
        DB_STMT("UPDATE training_periods SET withdrawn_at = ?, withdrawal_reason = ?, " STOP_SET),
    [PA_RESCHEDULE] = DB_STMT("UPDATE training_periods SET partnership_id = ?, cohort = ?, "
                              "schedule_id = ?, updated_at = ? WHERE id = ?"),
    [PA_DECLARATIONS_COHORT] = DB_STMT("UPDATE declarations SET cohort = ?, updated_at = ? "
                                       "WHERE training_period_id = ?"),
    [PA_FROZEN_ECT] = DB_STMT("UPDATE teachers SET ect_payments_frozen_year = ? WHERE id = ?"),
    [PA_FROZEN_MENTOR] =
        DB_STMT("UPDATE teachers SET mentor_payments_frozen_year = ? WHERE id = ?"),
};

static struct db_val day_val(int32_t d, char buf[CLOCK_DATE_LEN])
{
    if (d == PARTICIPANT_NO_DAY)
        return DB_NULLV;
    clock_format_date(d, buf);
    return DB_STR(buf);
}

static int load_periods(struct db *db, const uint8_t lp[16], struct arena *a,
                        struct db_pa_teacher *t)
{
    struct db_rows r;
    struct db_val p[] = {DB_BIN(lp, 16), DB_I64(t->id)};
    int rc = db_query(db, &stmts[PA_PERIODS], p, 2, a, &r);
    if (rc)
        return rc;
    t->periods = arena_calloc(a, r.nrows + 1, sizeof(*t->periods));
    for (size_t i = 0; i < r.nrows; i++) {
        struct db_pa_period *x = &t->periods[i];
        x->p.id = db_cell_i64(&r, i, 0, 0);
        x->p.role = strcmp(db_cell(&r, i, 1), "mentor") == 0 ? PARTICIPANT_MENTOR : PARTICIPANT_ECT;
        x->p.school_period_id = db_cell_i64(&r, i, 2, 0);
        if (db_cell_i64(&r, i, 3, 1))
            x->p.lead_provider_id = 0;
        else
            x->p.lead_provider_id = db_cell_i64(&r, i, 4, 0) ? 1 : 2;
        x->p.started_on = db_cell_day(&r, i, 5, PARTICIPANT_NO_DAY);
        x->p.finished_on = db_cell_day(&r, i, 6, PARTICIPANT_NO_DAY);
        x->p.withdrawn_at = db_cell_ts(&r, i, 7, PARTICIPANT_NO_US);
        x->p.deferred_at = db_cell_ts(&r, i, 8, PARTICIPANT_NO_US);
        x->partnership_id = db_cell_i64(&r, i, 9, 0);
        x->cohort = (int)db_cell_i64(&r, i, 10, 0);
        x->schedule_id = (unsigned)db_cell_i64(&r, i, 11, 0);
        if (schedule_parse(db_cell(&r, i, 12), &x->schedule))
            x->schedule = SCHEDULE_ID__MAX;
        x->school_id = db_cell_i64(&r, i, 13, 0);
        x->school_started_on = db_cell_day(&r, i, 14, PARTICIPANT_NO_DAY);
        x->school_finished_on = db_cell_day(&r, i, 15, PARTICIPANT_NO_DAY);
        db_cell_bin16(&r, i, 16, x->delivery_partner_id);
    }
    t->nperiods = r.nrows;
    return DB_OK;
}

static int load_inductions(struct db *db, struct arena *a, struct db_pa_teacher *t)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(t->id)};
    int rc = db_query(db, &stmts[PA_INDUCTIONS], p, 1, a, &r);
    if (rc)
        return rc;
    t->inductions = arena_calloc(a, r.nrows + 1, sizeof(*t->inductions));
    for (size_t i = 0; i < r.nrows; i++) {
        t->inductions[i].started_on = db_cell_day(&r, i, 0, PARTICIPANT_NO_DAY);
        t->inductions[i].finished_on = db_cell_day(&r, i, 1, PARTICIPANT_NO_DAY);
        t->inductions[i].has_outcome = (int)db_cell_i64(&r, i, 2, 0);
    }
    t->ninductions = r.nrows;
    return DB_OK;
}

int db_pa_lock_load(struct db *db, const uint8_t lp[16], const uint8_t api_id[16], int inductions,
                    struct arena *a, struct db_pa_teacher *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_BIN(lp, 16), DB_BIN(api_id, 16)};
    memset(out, 0, sizeof(*out));
    int rc = db_query_one(db, &stmts[PA_LOCK], p, 2, a, &r);
    if (rc)
        return rc;
    out->id = db_cell_i64(&r, 0, 0, 0);
    struct participant_teacher *f = &out->facts;
    f->ect_eligible_at = PARTICIPANT_NO_US;
    f->mentor_eligible_at = PARTICIPANT_NO_US;
    f->ect_ineligible_on = PARTICIPANT_NO_DAY;
    f->mentor_ineligible_reason = PARTICIPANT_MENTOR_REASON__MAX;
    f->trs_induction_start = PARTICIPANT_NO_DAY;
    f->trs_induction_completed = PARTICIPANT_NO_DAY;
    f->ect_payments_frozen_year = (int)db_cell_i64(&r, 0, 1, 0);
    f->mentor_payments_frozen_year = (int)db_cell_i64(&r, 0, 2, 0);
    f->mentor_ineligible_on = db_cell_day(&r, 0, 3, PARTICIPANT_NO_DAY);
    if ((rc = load_periods(db, lp, a, out)))
        return rc;
    return inductions ? load_inductions(db, a, out) : DB_OK;
}

int db_pa_milestones(struct db *db, unsigned schedule_id, int cohort, enum schedule_id id,
                     struct arena *a, struct schedule_milestone **out, size_t *n)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(schedule_id)};
    int rc = db_query(db, &stmts[PA_MILESTONES], p, 1, a, &r);
    if (rc)
        return rc;
    *out = arena_calloc(a, r.nrows + 1, sizeof(**out));
    size_t k = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        struct schedule_milestone *m = &(*out)[k];
        if (schedule_declaration_parse(db_cell(&r, i, 0), &m->type))
            continue;
        m->cohort = cohort;
        m->schedule = id;
        m->start_date = db_cell_day(&r, i, 1, SCHEDULE_NO_DAY);
        m->milestone_date = db_cell_day(&r, i, 2, SCHEDULE_NO_DAY);
        k++;
    }
    *n = k;
    return DB_OK;
}

int db_pa_declarations(struct db *db, int64_t training_period_id, struct arena *a,
                       struct schedule_declared **out, size_t *n)
{
    struct db_rows r;
    struct db_val p[] = {DB_I64(training_period_id)};
    int rc = db_query(db, &stmts[PA_DECLARATIONS], p, 1, a, &r);
    if (rc)
        return rc;
    *out = arena_calloc(a, r.nrows + 1, sizeof(**out));
    size_t k = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        if (schedule_declaration_parse(db_cell(&r, i, 0), &(*out)[k].type))
            continue;
        (*out)[k].declaration_at = db_cell_ts(&r, i, 1, 0);
        k++;
    }
    *n = k;
    return DB_OK;
}

int db_pa_partnership_find(struct db *db, int64_t school_id, const uint8_t lp[16], int cohort,
                           const uint8_t dp[16], int64_t *partnership_id)
{
    struct db_rows r;
    struct arena *a = arena_new(512);
    struct db_val p[] = {DB_I64(school_id), DB_BIN(lp, 16), DB_I64(cohort), DB_BIN(dp, 16)};
    int rc = db_query_one(db, &stmts[PA_PARTNERSHIP], p, 4, a, &r);
    if (!rc)
        *partnership_id = db_cell_i64(&r, 0, 0, 0);
    arena_free(a);
    return rc;
}

int db_pa_stop(struct db *db, int64_t tp, enum db_pa_stop kind, const char *reason, int64_t at_us,
               int32_t finished_on, int64_t now_us)
{
    char at[27], now[27], d1[CLOCK_DATE_LEN], d2[CLOCK_DATE_LEN];
    clock_format_sql_datetime(at_us, at);
    clock_format_sql_datetime(now_us, now);
    struct db_val p[] = {DB_STR(at),  DB_STR(reason),           day_val(finished_on, d1),
                         DB_STR(now), day_val(finished_on, d2), DB_STR(now),
                         DB_I64(tp)};
    return db_exec(db, &stmts[kind == DB_PA_DEFER ? PA_DEFER : PA_WITHDRAW], p, 7, NULL);
}

int db_pa_reschedule(struct db *db, int64_t tp, int64_t partnership_id, int cohort,
                     unsigned schedule_id, int cohort_changes, int64_t now_us)
{
    char now[27];
    clock_format_sql_datetime(now_us, now);
    struct db_val p[] = {DB_I64(partnership_id), DB_I64(cohort), DB_I64(schedule_id), DB_STR(now),
                         DB_I64(tp)};
    int rc = db_exec(db, &stmts[PA_RESCHEDULE], p, 5, NULL);
    if (rc || !cohort_changes)
        return rc;
    struct db_val q[] = {DB_I64(cohort), DB_STR(now), DB_I64(tp)};
    return db_exec(db, &stmts[PA_DECLARATIONS_COHORT], q, 3, NULL);
}

int db_pa_frozen_year(struct db *db, int64_t teacher_id, enum participant_role role, int year)
{
    struct db_val p[] = {year ? DB_I64(year) : DB_NULLV, DB_I64(teacher_id)};
    return db_exec(db, &stmts[role == PARTICIPANT_MENTOR ? PA_FROZEN_MENTOR : PA_FROZEN_ECT], p, 2,
                   NULL);
}
