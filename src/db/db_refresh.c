/* The scheduled refresh's queries (include/db/db_refresh.h). Candidates come from the date
 * indexes ix_training_periods_started_on / _finished_on and ix_school_periods_finished_on;
 * mentorships have no finished_on index, so that branch reads the table (small next to the
 * periods; an index would need a migration). The last run is an audit_events row, found
 * through ix_audit_events_teacher (its teacher_id is NULL). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_refresh.h"

#define RUN_EVENT "refresh.completed"

enum { R_LOCK, R_UNLOCK, R_LAST_RUN, R_RECORD, R_CANDIDATES, R_ROWS, R__MAX };

static struct db_stmt stmts[R__MAX] = {
    [R_LOCK] = DB_STMT("SELECT GET_LOCK('ecf_refresh', 60)"),
    [R_UNLOCK] = DB_STMT("SELECT RELEASE_LOCK('ecf_refresh')"),
    [R_LAST_RUN] = DB_STMT("SELECT MAX(occurred_at) FROM audit_events "
                           "WHERE teacher_id IS NULL AND event = '" RUN_EVENT "' "
                           "AND occurred_at <= ?"),
    [R_RECORD] = DB_STMT("INSERT INTO audit_events (occurred_at, event, actor, details) "
                         "VALUES (?, '" RUN_EVENT "', 'ecfctl refresh', ?)"),
    [R_CANDIDATES] =
        DB_STMT("SELECT t.id FROM teachers t WHERE t.id IN ("
                "SELECT sp.teacher_id FROM training_periods tp "
                "JOIN school_periods sp ON sp.id = tp.school_period_id "
                "WHERE tp.started_on > ? AND tp.started_on <= ? UNION "
                "SELECT sp.teacher_id FROM training_periods tp "
                "JOIN school_periods sp ON sp.id = tp.school_period_id "
                "WHERE tp.finished_on > ? AND tp.finished_on <= ? UNION "
                "SELECT sp.teacher_id FROM school_periods sp "
                "WHERE sp.finished_on > ? AND sp.finished_on <= ? UNION "
                "SELECT sp.teacher_id FROM mentorships ms "
                "JOIN school_periods sp ON sp.id = ms.ect_school_period_id "
                "WHERE ms.finished_on > ? AND ms.finished_on <= ?) "
                "AND t.id > ? AND t.merged_into_teacher_id IS NULL "
                "AND EXISTS (SELECT 1 FROM teacher_lead_providers m WHERE m.teacher_id = t.id) "
                "ORDER BY t.id LIMIT ?"),
    [R_ROWS] = DB_STMT("SELECT m.teacher_id, m.lead_provider_id FROM "
                       "JSON_TABLE(?, '$[*]' COLUMNS (tid BIGINT UNSIGNED PATH '$')) ids "
                       "JOIN teacher_lead_providers m ON m.teacher_id = ids.tid "
                       "ORDER BY m.lead_provider_id, m.teacher_id"),
};

int db_refresh_lock(struct db *db)
{
    struct arena *a = arena_new(1024);
    struct db_rows r;
    int rc = db_query(db, &stmts[R_LOCK], NULL, 0, a, &r);
    if (rc == DB_OK)
        rc = r.nrows == 1 && db_cell(&r, 0, 0) && strcmp(db_cell(&r, 0, 0), "1") == 0
                 ? DB_OK
                 : DB_DUPLICATE;
    arena_free(a);
    return rc;
}

void db_refresh_unlock(struct db *db)
{
    struct arena *a = arena_new(1024);
    struct db_rows r;
    (void)db_query(db, &stmts[R_UNLOCK], NULL, 0, a, &r);
    arena_free(a);
}

int db_refresh_last_run(struct db *db, int64_t now_us, int64_t *last_us)
{
    struct arena *a = arena_new(1024);
    struct db_rows r;
    char ts[27];
    clock_format_sql_datetime(now_us, ts);
    struct db_val p[] = {DB_STR(ts)};
    int rc = db_query(db, &stmts[R_LAST_RUN], p, 1, a, &r);
    if (rc == DB_OK) {
        const char *c = r.nrows == 1 ? db_cell(&r, 0, 0) : NULL;
        if (!c)
            rc = DB_NOT_FOUND;
        else if (clock_parse_sql_datetime(c, last_us))
            rc = DB_ERROR;
    }
    arena_free(a);
    return rc;
}

int db_refresh_record(struct db *db, int64_t now_us, int64_t since_us, long checked, long touched,
                      long mentors_changed)
{
    char ts[27], since[CLOCK_TS_LEN], details[256];
    clock_format_sql_datetime(now_us, ts);
    clock_format_ts(since_us, since);
    xsnprintf(details, sizeof(details),
              "{\"since\":\"%s\",\"checked\":%ld,\"touched\":%ld,\"mentors_changed\":%ld}", since,
              checked, touched, mentors_changed);
    struct db_val p[] = {DB_STR(ts), DB_STR(details)};
    return db_exec(db, &stmts[R_RECORD], p, 2, NULL);
}

int db_refresh_candidates(struct db *db, int32_t from_day, int32_t to_day, int64_t after_id,
                          size_t limit, struct arena *a, int64_t **ids, size_t *n)
{
    char from[CLOCK_DATE_LEN], to[CLOCK_DATE_LEN];
    struct db_rows r;
    clock_format_date(from_day, from);
    clock_format_date(to_day, to);
    struct db_val p[] = {DB_STR(from), DB_STR(to),   DB_STR(from), DB_STR(to),       DB_STR(from),
                         DB_STR(to),   DB_STR(from), DB_STR(to),   DB_I64(after_id), DB_I64(limit)};
    int rc = db_query(db, &stmts[R_CANDIDATES], p, sizeof(p) / sizeof(p[0]), a, &r);
    if (rc != DB_OK)
        return rc;
    *ids = arena_calloc(a, r.nrows + 1, sizeof(int64_t));
    for (size_t i = 0; i < r.nrows; i++)
        (*ids)[i] = strtoll(db_cell(&r, i, 0), NULL, 10);
    *n = r.nrows;
    return DB_OK;
}

int db_refresh_rows(struct db *db, const int64_t *ids, size_t n, struct arena *a,
                    struct db_refresh_row **rows, size_t *nrows)
{
    struct db_rows r;
    size_t cap = 3 + n * 21, len = 0;
    char *json = arena_alloc(a, cap);
    json[len++] = '[';
    for (size_t i = 0; i < n; i++)
        len += (size_t)xsnprintf(json + len, cap - len, "%s%lld", i ? "," : "", (long long)ids[i]);
    xsnprintf(json + len, cap - len, "]");
    struct db_val p[] = {DB_STR(json)};
    int rc = db_query(db, &stmts[R_ROWS], p, 1, a, &r);
    if (rc != DB_OK)
        return rc;
    *rows = arena_calloc(a, r.nrows + 1, sizeof(**rows));
    size_t k = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        if (!db_cell(&r, i, 1) || db_cell_len(&r, i, 1) != 16)
            continue;
        (*rows)[k].teacher_id = strtoll(db_cell(&r, i, 0), NULL, 10);
        memcpy((*rows)[k].lead_provider_id, db_cell(&r, i, 1), 16);
        k++;
    }
    *nrows = k;
    return DB_OK;
}
