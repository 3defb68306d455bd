/* Output statement queries for the write side (see db_statements.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "db/db_statements.h"

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"

static struct db_stmt next_open_stmt =
    DB_STMT("SELECT id FROM statements"
            " WHERE lead_provider_id = ? AND cohort = ? AND state = 'open' AND deadline_date >= ?"
            " ORDER BY deadline_date, id LIMIT 1 LOCK IN SHARE MODE");

int db_statement_next_open(struct db *db, const uint8_t lead_provider_id[16], int cohort,
                           int32_t today, int64_t *statement_id)
{
    char day[CLOCK_DATE_LEN];
    clock_format_date(today, day);
    struct db_val params[] = {DB_BIN(lead_provider_id, 16), DB_I64(cohort), DB_STR(day)};
    struct arena *arena = arena_new(1024);
    struct db_rows rows;
    int rc = db_query(db, &next_open_stmt, params, 3, arena, &rows);
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
