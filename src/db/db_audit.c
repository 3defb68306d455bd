/* audit_events writer (see db_audit.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "db/db_audit.h"

#include "core/clock.h"
#include "db/db.h"

static struct db_stmt insert_stmt =
    DB_STMT("INSERT INTO audit_events (occurred_at, event, token_jti, actor, request_id,"
            " teacher_id, training_period_id, declaration_id, statement_id, status_before,"
            " status_after, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

static struct db_val id_or_null(int64_t id)
{
    return id > 0 ? DB_I64(id) : DB_NULLV;
}

int db_audit_insert(struct db *db, const struct audit_event *e)
{
    char at[27];
    clock_format_sql_datetime(e->occurred_at_us, at);
    struct db_val params[] = {DB_STR(at),
                              DB_STR(e->event),
                              DB_STR_OR_NULL(e->token_jti),
                              DB_STR_OR_NULL(e->actor),
                              DB_STR_OR_NULL(e->request_id),
                              id_or_null(e->teacher_id),
                              id_or_null(e->training_period_id),
                              id_or_null(e->declaration_id),
                              id_or_null(e->statement_id),
                              DB_STR_OR_NULL(e->status_before),
                              DB_STR_OR_NULL(e->status_after),
                              DB_STR_OR_NULL(e->details)};
    return db_exec(db, &insert_stmt, params, sizeof(params) / sizeof(params[0]), NULL);
}
