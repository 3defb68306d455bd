#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_tokens.h"

enum {
    TOK_GET,
    TOK_INSERT,
    TOK_TOUCH,
    TOK_REVOKE,
    TOK_LIST,
    LP_BY_ID,
    LP_BY_NAME,
    LP_INSERT,
    TOK__MAX
};

#define TOKEN_COLUMNS                                                                              \
    "jti, subject, scopes, description, lead_provider_id, admin_name, created_at, expires_at, "    \
    "revoked_at, last_used_at"

static struct db_stmt stmts[TOK__MAX] = {
    [TOK_GET] = DB_STMT("SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE jti = ?"),
    [TOK_INSERT] = DB_STMT("INSERT INTO api_tokens (" TOKEN_COLUMNS
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)"),
    [TOK_TOUCH] = DB_STMT("UPDATE api_tokens SET last_used_at = ? WHERE jti = ? AND "
                          "(last_used_at IS NULL OR last_used_at <= ?)"),
    [TOK_REVOKE] =
        DB_STMT("UPDATE api_tokens SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL"),
    [TOK_LIST] = DB_STMT("SELECT " TOKEN_COLUMNS " FROM api_tokens ORDER BY created_at, jti"),
    [LP_BY_ID] = DB_STMT("SELECT id, name, created_at FROM lead_providers WHERE id = ?"),
    [LP_BY_NAME] = DB_STMT("SELECT id, name, created_at FROM lead_providers WHERE name = ?"),
    [LP_INSERT] = DB_STMT(
        "INSERT INTO lead_providers (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)"),
};

static void fill_token(const struct db_rows *r, size_t i, struct token_row *t)
{
    memset(t, 0, sizeof(*t));
    t->jti = db_cell(r, i, 0);
    t->subject = db_cell(r, i, 1);
    t->scopes = db_cell(r, i, 2);
    t->description = db_cell(r, i, 3);
    if (db_cell(r, i, 4) && db_cell_len(r, i, 4) == 16) {
        t->has_lead_provider = 1;
        memcpy(t->lead_provider_id, db_cell(r, i, 4), 16);
    }
    t->admin_name = db_cell(r, i, 5);
    t->created_at_us = db_cell_ts(r, i, 6, 0);
    t->expires_at_us = db_cell_ts(r, i, 7, 0);
    t->revoked_at_us = db_cell_ts(r, i, 8, 0);
    t->last_used_at_us = db_cell_ts(r, i, 9, 0);
}

int db_token_get(struct db *db, const char *jti, struct arena *a, struct token_row *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_STR(jti)};
    int rc = db_query_one(db, &stmts[TOK_GET], p, 1, a, &r);
    if (rc)
        return rc;
    fill_token(&r, 0, out);
    return DB_OK;
}

int db_token_insert(struct db *db, const struct token_row *t)
{
    char created[27], expires[27];
    clock_format_sql_datetime(t->created_at_us, created);
    clock_format_sql_datetime(t->expires_at_us, expires);
    struct db_val p[] = {
        DB_STR(t->jti),
        DB_STR(t->subject),
        DB_STR(t->scopes),
        DB_STR_OR_NULL(t->description),
        t->has_lead_provider ? DB_BIN(t->lead_provider_id, 16) : DB_NULLV,
        DB_STR_OR_NULL(t->admin_name),
        DB_STR(created),
        DB_STR(expires),
    };
    return db_exec(db, &stmts[TOK_INSERT], p, sizeof(p) / sizeof(p[0]), NULL);
}

int db_token_touch(struct db *db, const char *jti, int64_t now_us)
{
    char now[27], before[27];
    clock_format_sql_datetime(now_us, now);
    clock_format_sql_datetime(now_us - 60 * CLOCK_US_PER_SEC, before);
    struct db_val p[] = {DB_STR(now), DB_STR(jti), DB_STR(before)};
    return db_exec(db, &stmts[TOK_TOUCH], p, 3, NULL);
}

int db_token_revoke(struct db *db, const char *jti, int64_t now_us)
{
    char now[27];
    uint64_t affected = 0;
    clock_format_sql_datetime(now_us, now);
    struct db_val p[] = {DB_STR(now), DB_STR(jti)};
    int rc = db_exec(db, &stmts[TOK_REVOKE], p, 2, &affected);
    if (rc)
        return rc;
    return affected == 1 ? DB_OK : DB_NOT_FOUND;
}

int db_token_list(struct db *db, struct arena *a, struct token_row **rows, size_t *n)
{
    struct db_rows r;
    int rc = db_query(db, &stmts[TOK_LIST], NULL, 0, a, &r);
    if (rc)
        return rc;
    *rows = arena_calloc(a, r.nrows + 1, sizeof(**rows));
    for (size_t i = 0; i < r.nrows; i++)
        fill_token(&r, i, &(*rows)[i]);
    *n = r.nrows;
    return DB_OK;
}

int db_lead_provider_find(struct db *db, const char *id_or_name, struct arena *a,
                          struct lead_provider_row *out)
{
    uint8_t id[16];
    struct db_rows r;
    int rc;
    if (ids_uuid_parse(id_or_name, id) == 0) {
        struct db_val p[] = {DB_BIN(id, 16)};
        rc = db_query(db, &stmts[LP_BY_ID], p, 1, a, &r);
    } else {
        struct db_val p[] = {DB_STR(id_or_name)};
        rc = db_query(db, &stmts[LP_BY_NAME], p, 1, a, &r);
    }
    if (rc)
        return rc;
    if (r.nrows != 1 || db_cell_len(&r, 0, 0) != 16)
        return DB_NOT_FOUND;
    memcpy(out->id, db_cell(&r, 0, 0), 16);
    out->name = db_cell(&r, 0, 1);
    out->created_at_us = db_cell_ts(&r, 0, 2, 0);
    return DB_OK;
}

int db_lead_provider_insert(struct db *db, const struct lead_provider_row *lp)
{
    char created[27];
    clock_format_sql_datetime(lp->created_at_us, created);
    struct db_val p[] = {DB_BIN(lp->id, 16), DB_STR(lp->name), DB_STR(created), DB_STR(created)};
    return db_exec(db, &stmts[LP_INSERT], p, 4, NULL);
}
