#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/db.h"
#include "db/db_migrate.h"

static struct db_stmt lock_stmt = DB_STMT("SELECT GET_LOCK('ecf_migrate', 60)");
static struct db_stmt unlock_stmt = DB_STMT("SELECT RELEASE_LOCK('ecf_migrate')");
static struct db_stmt applied_stmt = DB_STMT("SELECT 1 FROM schema_migrations WHERE version = ?");
static struct db_stmt record_stmt =
    DB_STMT("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");

int db_migrate(struct db *db, int64_t now_us, int *applied, char *err, size_t errlen)
{
    struct arena *a = arena_new(4096);
    struct db_rows r;
    int rc = DB_ERROR, locked = 0;
    *applied = 0;
    if (db_run_script(db,
                      "CREATE TABLE IF NOT EXISTS schema_migrations ("
                      " version VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,"
                      " applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB",
                      err, errlen))
        goto out;
    /* Two migrating processes must not interleave DDL. */
    if (db_query(db, &lock_stmt, NULL, 0, a, &r) || r.nrows != 1 || !db_cell(&r, 0, 0) ||
        strcmp(db_cell(&r, 0, 0), "1") != 0) {
        snprintf(err, errlen, "could not take the migration lock");
        goto out;
    }
    locked = 1;
    for (size_t i = 0; i < db_migrations_count; i++) {
        const struct migration *m = &db_migrations[i];
        struct db_val v[] = {DB_STR(m->version)};
        if (db_query(db, &applied_stmt, v, 1, a, &r)) {
            snprintf(err, errlen, "%s", db_last_error(db));
            goto out;
        }
        if (r.nrows > 0)
            continue;
        char detail[384];
        if (db_run_script(db, m->sql, detail, sizeof(detail))) {
            snprintf(err, errlen, "migration %s failed: %s", m->version, detail);
            goto out;
        }
        char at[27];
        clock_format_sql_datetime(now_us, at);
        struct db_val rec[] = {DB_STR(m->version), DB_STR(at)};
        if (db_exec(db, &record_stmt, rec, 2, NULL)) {
            snprintf(err, errlen, "%s", db_last_error(db));
            goto out;
        }
        (*applied)++;
    }
    rc = DB_OK;
out:
    if (locked)
        db_query(db, &unlock_stmt, NULL, 0, a, &r);
    arena_free(a);
    return rc;
}
