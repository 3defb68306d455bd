/* Output statement queries (see db_statements.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "db/db_statements.h"

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

enum {
    NEXT_OPEN,
    BY_API,
    BY_API_LOCK,
    LIST,
    SET_STATE,
    PAYMENT_DECLARATIONS,
    CLAWBACK_DECLARATIONS,
    DECLARATION_MOVE,
    FUNDING_TEACHER,
    FUNDING_INDUCTIONS,
    FIRST_ELIGIBLE_ECT,
    FIRST_ELIGIBLE_MENTOR,
    SUBMITTED_DECLARATIONS,
    DECLARATION_ATTACH,
    ST__MAX
};

#define STATEMENT_COLS                                                                             \
    "SELECT id, api_id, lead_provider_id, cohort, deadline_date, payment_date, state, "            \
    "created_at, updated_at FROM statements"
#define DECLARATION_COLS "SELECT id, teacher_id, training_period_id, lead_provider_id, cohort"

static struct db_stmt stmts[ST__MAX] = {
    [NEXT_OPEN] = DB_STMT(
        "SELECT id FROM statements"
        " WHERE lead_provider_id = ? AND cohort = ? AND state = 'open' AND deadline_date >= ?"
        " ORDER BY deadline_date, id LIMIT 1 LOCK IN SHARE MODE"),
    [BY_API] = DB_STMT(STATEMENT_COLS " WHERE api_id = ?"),
    [BY_API_LOCK] = DB_STMT(STATEMENT_COLS " WHERE api_id = ? FOR UPDATE"),
    /* A NULL parameter means "any": one fixed statement for every filter combination. */
    [LIST] = DB_STMT(STATEMENT_COLS " WHERE (? IS NULL OR lead_provider_id = ?)"
                                    " AND (? IS NULL OR cohort = ?) AND (? IS NULL OR state = ?)"
                                    " ORDER BY deadline_date, id"),
    [SET_STATE] = DB_STMT("UPDATE statements SET state = ?, updated_at = ? WHERE id = ?"),
    [PAYMENT_DECLARATIONS] = DB_STMT(DECLARATION_COLS " FROM declarations"
                                                      " WHERE statement_id = ? AND state = ?"
                                                      " ORDER BY id FOR UPDATE"),
    [CLAWBACK_DECLARATIONS] =
        DB_STMT(DECLARATION_COLS " FROM declarations WHERE clawback_statement_id = ?"
                                 " AND state = ? ORDER BY id FOR UPDATE"),
    [DECLARATION_MOVE] = DB_STMT("UPDATE declarations SET state = ?, updated_at = ?"
                                 " WHERE id = ? AND state = ?"),
    [FUNDING_TEACHER] = DB_STMT(
        "SELECT t.ect_first_became_eligible_at IS NOT NULL,"
        " t.mentor_first_became_eligible_at IS NOT NULL,"
        " t.mentor_became_ineligible_on IS NOT NULL OR t.mentor_ineligible_reason IS NOT NULL,"
        " EXISTS (SELECT 1 FROM school_periods sp WHERE sp.teacher_id = t.id AND sp.role = 'ect'),"
        " EXISTS (SELECT 1 FROM school_periods sp JOIN training_periods tp"
        " ON tp.school_period_id = sp.id WHERE sp.teacher_id = t.id AND sp.role = 'mentor')"
        " FROM teachers t WHERE t.id = ?"),
    [FUNDING_INDUCTIONS] = DB_STMT("SELECT started_on, finished_on FROM induction_periods"
                                   " WHERE teacher_id = ? ORDER BY started_on, id"),
    [FIRST_ELIGIBLE_ECT] = DB_STMT("UPDATE teachers SET ect_first_became_eligible_at = ?"
                                   " WHERE id = ? AND ect_first_became_eligible_at IS NULL"),
    [FIRST_ELIGIBLE_MENTOR] = DB_STMT("UPDATE teachers SET mentor_first_became_eligible_at = ?"
                                      " WHERE id = ? AND mentor_first_became_eligible_at IS NULL"),
    [SUBMITTED_DECLARATIONS] = DB_STMT(DECLARATION_COLS " FROM declarations WHERE teacher_id = ?"
                                                        " AND course_identifier = ?"
                                                        " AND state = 'submitted'"
                                                        " ORDER BY id FOR UPDATE"),
    [DECLARATION_ATTACH] = DB_STMT("UPDATE declarations SET state = 'eligible', statement_id = ?,"
                                   " updated_at = ? WHERE id = ? AND state = 'submitted'"),
};

int db_statement_next_open(struct db *db, const uint8_t lead_provider_id[16], int cohort,
                           int32_t today, int64_t *statement_id)
{
    char day[CLOCK_DATE_LEN];
    clock_format_date(today, day);
    struct db_val params[] = {DB_BIN(lead_provider_id, 16), DB_I64(cohort), DB_STR(day)};
    struct arena *arena = arena_new(1024);
    struct db_rows rows;
    int rc = db_query(db, &stmts[NEXT_OPEN], params, 3, arena, &rows);
    if (rc != DB_OK)
        goto cleanup;
    if (rows.nrows == 0) {
        rc = DB_NOT_FOUND;
        goto cleanup;
    }
    *statement_id = db_cell_i64(&rows, 0, 0, 0);
cleanup:
    arena_free(arena);
    return rc;
}

/* ------------------------------------------------------------------ statements */

static void statement_row(const struct db_rows *r, size_t i, struct db_statement *out)
{
    out->pk = (uint64_t)db_cell_i64(r, i, 0, 0);
    db_cell_bin16(r, i, 1, out->api_id);
    db_cell_bin16(r, i, 2, out->lead_provider_id);
    out->cohort = (int)db_cell_i64(r, i, 3, 0);
    out->deadline_date = db_cell_day(r, i, 4, STATEMENT_NO_DAY);
    out->payment_date = db_cell_day(r, i, 5, STATEMENT_NO_DAY);
    /* The CHECK constraint allows only the three names. */
    if (statement_state_parse(db_cell(r, i, 6), &out->state))
        out->state = STATEMENT_OPEN;
    out->created_at_us = db_cell_ts(r, i, 7, 0);
    out->updated_at_us = db_cell_ts(r, i, 8, 0);
}

int db_statement_get_by_api(struct db *db, const uint8_t api_id[16], int for_update,
                            struct db_statement *out)
{
    struct db_val p[] = {DB_BIN(api_id, 16)};
    struct arena *a = arena_new(1024);
    struct db_rows r;
    int rc = db_query(db, &stmts[for_update ? BY_API_LOCK : BY_API], p, 1, a, &r);
    if (rc != DB_OK)
        goto cleanup;
    if (r.nrows != 1) {
        rc = DB_NOT_FOUND;
        goto cleanup;
    }
    statement_row(&r, 0, out);
cleanup:
    arena_free(a);
    return rc;
}

int db_statement_list(struct db *db, const struct db_statement_filter *f, struct arena *a,
                      struct db_statement **out, size_t *n)
{
    struct db_val lp = f->lead_provider_id ? DB_BIN(f->lead_provider_id, 16) : DB_NULLV;
    struct db_val cohort = f->cohort ? DB_I64(f->cohort) : DB_NULLV;
    const char *state_name =
        f->state >= 0 ? statement_state_name((enum statement_state)f->state) : NULL;
    struct db_val state = DB_STR_OR_NULL(state_name);
    struct db_val p[] = {lp, lp, cohort, cohort, state, state};
    struct db_rows r;
    int rc = db_query(db, &stmts[LIST], p, 6, a, &r);
    if (rc != DB_OK)
        return rc;
    *out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof(**out));
    for (size_t i = 0; i < r.nrows; i++)
        statement_row(&r, i, &(*out)[i]);
    *n = r.nrows;
    return DB_OK;
}

int db_statement_set_state(struct db *db, uint64_t pk, enum statement_state state, int64_t now_us)
{
    char ts[27];
    clock_format_sql_datetime(now_us, ts);
    struct db_val p[] = {DB_STR(statement_state_name(state)), DB_STR(ts), DB_I64(pk)};
    return db_exec(db, &stmts[SET_STATE], p, 3, NULL);
}

/* ------------------------------------------------------------------ declarations */

static int declarations(struct db *db, int which, const struct db_val *p, size_t np,
                        struct arena *a, struct db_statement_declaration **out, size_t *n)
{
    struct db_rows r;
    int rc = db_query(db, &stmts[which], p, np, a, &r);
    if (rc != DB_OK)
        return rc;
    *out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof(**out));
    for (size_t i = 0; i < r.nrows; i++) {
        struct db_statement_declaration *d = &(*out)[i];
        d->pk = (uint64_t)db_cell_i64(&r, i, 0, 0);
        d->teacher_pk = (uint64_t)db_cell_i64(&r, i, 1, 0);
        d->training_period_pk = (uint64_t)db_cell_i64(&r, i, 2, 0);
        db_cell_bin16(&r, i, 3, d->lead_provider_id);
        d->cohort = (int)db_cell_i64(&r, i, 4, 0);
    }
    *n = r.nrows;
    return DB_OK;
}

int db_statement_declarations_locked(struct db *db, uint64_t statement_pk, enum statement_link link,
                                     const char *state, struct arena *a,
                                     struct db_statement_declaration **out, size_t *n)
{
    struct db_val p[] = {DB_I64(statement_pk), DB_STR(state)};
    return declarations(
        db, link == STATEMENT_LINK_CLAWBACK ? CLAWBACK_DECLARATIONS : PAYMENT_DECLARATIONS, p, 2, a,
        out, n);
}

/* An UPDATE of one row that must have matched: DB_NOT_FOUND when it did not. */
static int update_one(struct db *db, int which, const struct db_val *p, size_t np)
{
    uint64_t affected = 0;
    int rc = db_exec(db, &stmts[which], p, np, &affected);
    if (rc == DB_OK && affected != 1)
        rc = DB_NOT_FOUND;
    return rc;
}

int db_statement_declaration_move(struct db *db, uint64_t pk, const char *from, const char *to,
                                  int64_t now_us)
{
    char ts[27];
    clock_format_sql_datetime(now_us, ts);
    struct db_val p[] = {DB_STR(to), DB_STR(ts), DB_I64(pk), DB_STR(from)};
    return update_one(db, DECLARATION_MOVE, p, 4);
}

/* ------------------------------------------------------------------ funding eligibility */

int db_statement_funding_facts(struct db *db, uint64_t teacher_pk, struct arena *a,
                               struct statement_funding_facts *out)
{
    struct db_val p[] = {DB_I64(teacher_pk)};
    struct db_rows r;
    memset(out, 0, sizeof(*out));
    int rc = db_query(db, &stmts[FUNDING_TEACHER], p, 1, a, &r);
    if (rc != DB_OK)
        return rc;
    if (r.nrows != 1)
        return DB_NOT_FOUND;
    out->ect_eligible = db_cell_i64(&r, 0, 0, 0) != 0;
    out->mentor_eligible = db_cell_i64(&r, 0, 1, 0) != 0;
    out->mentor_ineligible = db_cell_i64(&r, 0, 2, 0) != 0;
    out->has_ect_school_period = db_cell_i64(&r, 0, 3, 0) != 0;
    out->has_mentor_training_period = db_cell_i64(&r, 0, 4, 0) != 0;
    if ((rc = db_query(db, &stmts[FUNDING_INDUCTIONS], p, 1, a, &r)) != DB_OK)
        return rc;
    struct statement_day_range *ips = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof(*ips));
    for (size_t i = 0; i < r.nrows; i++) {
        ips[i].started_on = db_cell_day(&r, i, 0, STATEMENT_NO_DAY);
        ips[i].finished_on = db_cell_day(&r, i, 1, STATEMENT_NO_DAY);
    }
    out->inductions = ips;
    out->ninductions = r.nrows;
    return DB_OK;
}

int db_statement_set_first_eligible(struct db *db, uint64_t teacher_pk, enum statement_role role,
                                    int64_t now_us)
{
    char ts[27];
    clock_format_sql_datetime(now_us, ts);
    struct db_val p[] = {DB_STR(ts), DB_I64(teacher_pk)};
    return db_exec(
        db, &stmts[role == STATEMENT_ROLE_MENTOR ? FIRST_ELIGIBLE_MENTOR : FIRST_ELIGIBLE_ECT], p,
        2, NULL);
}

int db_statement_submitted_declarations(struct db *db, uint64_t teacher_pk,
                                        enum statement_role role, struct arena *a,
                                        struct db_statement_declaration **out, size_t *n)
{
    struct db_val p[] = {DB_I64(teacher_pk), DB_STR(statement_role_course(role))};
    return declarations(db, SUBMITTED_DECLARATIONS, p, 2, a, out, n);
}

int db_statement_declaration_attach(struct db *db, uint64_t pk, uint64_t statement_pk,
                                    int64_t now_us)
{
    char ts[27];
    clock_format_sql_datetime(now_us, ts);
    struct db_val p[] = {DB_I64(statement_pk), DB_STR(ts), DB_I64(pk)};
    return update_one(db, DECLARATION_ATTACH, p, 3);
}
