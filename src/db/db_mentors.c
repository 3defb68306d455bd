#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_mentors.h"

#define MENTOR_COLUMNS                                                                             \
    "id, mentor_id, full_name, email, chapter_id, status, paused_at, pause_reason, "               \
    "reactivated_at, certification_expiry, created_at, updated_at"
/* Lists carry fewer fields: only what a list item shows or derives from. */
#define LIST_COLUMNS                                                                               \
    "mentor_id, full_name, chapter_id, status, paused_at, pause_reason, certification_expiry"
#define LIVE "deleted_at IS NULL"
/* The derived status: an active mentor whose certification ended before today (?) is paused. */
#define IS_ACTIVE                                                                                  \
    "status = 'active' AND (certification_expiry IS NULL OR certification_expiry >= ?)"
#define IS_PAUSED "(status = 'paused' OR certification_expiry < ?)"
#define ORDER " ORDER BY created_at, mentor_id LIMIT ? OFFSET ?"

enum {
    M_GET,
    M_GET_LOCK,
    /* list and count variants: [status any/active/paused] x [chapter no/yes] */
    M_LIST_ANY,
    M_LIST_ACTIVE,
    M_LIST_PAUSED,
    M_LIST_ANY_CH,
    M_LIST_ACTIVE_CH,
    M_LIST_PAUSED_CH,
    M_COUNT_ANY,
    M_COUNT_ACTIVE,
    M_COUNT_PAUSED,
    M_COUNT_ANY_CH,
    M_COUNT_ACTIVE_CH,
    M_COUNT_PAUSED_CH,
    M_INSERT,
    M_UPDATE,
    M_UPDATE_STATUS,
    M_DELETE,
    M_TOTAL_ADJUST,
    M_EMAIL_TAKEN,
    M_EVENT,
    M_AUTO_PAUSE_DUE,
    CH_EXISTS,
    CH_INSERT,
    CH_LIST,
    M__MAX
};

static struct db_stmt stmts[M__MAX] = {
    [M_GET] = DB_STMT("SELECT " MENTOR_COLUMNS " FROM mentors WHERE mentor_id = ? AND " LIVE),
    [M_GET_LOCK] = DB_STMT("SELECT " MENTOR_COLUMNS " FROM mentors WHERE mentor_id = ? AND " LIVE
                           " FOR UPDATE"),
    [M_LIST_ANY] = DB_STMT("SELECT " LIST_COLUMNS " FROM mentors WHERE " LIVE ORDER),
    [M_LIST_ACTIVE] =
        DB_STMT("SELECT " LIST_COLUMNS " FROM mentors WHERE " LIVE " AND " IS_ACTIVE ORDER),
    [M_LIST_PAUSED] =
        DB_STMT("SELECT " LIST_COLUMNS " FROM mentors WHERE " LIVE " AND " IS_PAUSED ORDER),
    [M_LIST_ANY_CH] =
        DB_STMT("SELECT " LIST_COLUMNS " FROM mentors WHERE chapter_id = ? AND " LIVE ORDER),
    [M_LIST_ACTIVE_CH] =
        DB_STMT("SELECT " LIST_COLUMNS " FROM mentors WHERE chapter_id = ? AND " LIVE
                " AND " IS_ACTIVE ORDER),
    [M_LIST_PAUSED_CH] =
        DB_STMT("SELECT " LIST_COLUMNS " FROM mentors WHERE chapter_id = ? AND " LIVE
                " AND " IS_PAUSED ORDER),
    [M_COUNT_ANY] = DB_STMT("SELECT live_mentors FROM mentor_totals WHERE id = 1"),
    [M_COUNT_ACTIVE] = DB_STMT("SELECT COUNT(*) FROM mentors WHERE " LIVE " AND " IS_ACTIVE),
    [M_COUNT_PAUSED] = DB_STMT("SELECT COUNT(*) FROM mentors WHERE " LIVE " AND " IS_PAUSED),
    [M_COUNT_ANY_CH] = DB_STMT("SELECT COUNT(*) FROM mentors WHERE chapter_id = ? AND " LIVE),
    [M_COUNT_ACTIVE_CH] =
        DB_STMT("SELECT COUNT(*) FROM mentors WHERE chapter_id = ? AND " LIVE " AND " IS_ACTIVE),
    [M_COUNT_PAUSED_CH] =
        DB_STMT("SELECT COUNT(*) FROM mentors WHERE chapter_id = ? AND " LIVE " AND " IS_PAUSED),
    [M_INSERT] = DB_STMT("INSERT INTO mentors (mentor_id, full_name, email, chapter_id, status, "
                         "paused_at, pause_reason, reactivated_at, certification_expiry, "
                         "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    [M_UPDATE] = DB_STMT("UPDATE mentors SET full_name = ?, email = ?, chapter_id = ?, status = ?, "
                         "paused_at = ?, pause_reason = ?, reactivated_at = ?, "
                         "certification_expiry = ?, updated_at = ? WHERE id = ?"),
    [M_UPDATE_STATUS] = DB_STMT("UPDATE mentors SET status = ?, paused_at = ?, pause_reason = ?, "
                                "reactivated_at = ?, updated_at = ? WHERE id = ?"),
    [M_DELETE] =
        DB_STMT("UPDATE mentors SET deleted_at = ?, updated_at = ? WHERE id = ? AND " LIVE),
    [M_TOTAL_ADJUST] =
        DB_STMT("UPDATE mentor_totals SET live_mentors = live_mentors + ? WHERE id = 1"),
    [M_EMAIL_TAKEN] = DB_STMT("SELECT 1 FROM mentors WHERE email_key = LOWER(?)"),
    [M_EVENT] = DB_STMT("INSERT INTO mentor_events (mentor_pk, event, initiated_by, token_jti, "
                        "request_id, status_before, status_after, changes, occurred_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    [M_AUTO_PAUSE_DUE] = DB_STMT("SELECT mentor_id FROM mentors WHERE " LIVE
                                 " AND status = 'active' AND certification_expiry < ? "
                                 "ORDER BY id LIMIT ?"),
    [CH_EXISTS] = DB_STMT("SELECT 1 FROM chapters WHERE chapter_id = ?"),
    [CH_INSERT] = DB_STMT("INSERT INTO chapters (chapter_id, name, created_at) VALUES (?, ?, ?)"),
    [CH_LIST] = DB_STMT("SELECT chapter_id, name, created_at FROM chapters ORDER BY created_at, "
                        "chapter_id"),
};

static void fill(const struct db_rows *r, size_t i, struct mentor_row *m)
{
    memset(m, 0, sizeof(*m));
    m->pk = strtoll(db_cell(r, i, 0), NULL, 10);
    m->mentor_id = db_cell(r, i, 1);
    m->full_name = db_cell(r, i, 2);
    m->email = db_cell(r, i, 3);
    m->chapter_id = db_cell(r, i, 4);
    m->status.paused = db_cell(r, i, 5) && !strcmp(db_cell(r, i, 5), "paused");
    m->status.paused_at_us = db_cell_ts(r, i, 6, 0);
    m->pause_reason = db_cell(r, i, 7);
    m->reactivated_at_us = db_cell_ts(r, i, 8, 0);
    const char *exp = db_cell(r, i, 9);
    m->status.has_expiry = exp && clock_parse_date(exp, &m->status.expiry_day) == 0;
    m->created_at_us = db_cell_ts(r, i, 10, 0);
    m->updated_at_us = db_cell_ts(r, i, 11, 0);
}

static void fill_list_item(const struct db_rows *r, size_t i, struct mentor_row *m)
{
    memset(m, 0, sizeof(*m));
    m->mentor_id = db_cell(r, i, 0);
    m->full_name = db_cell(r, i, 1);
    m->chapter_id = db_cell(r, i, 2);
    m->status.paused = db_cell(r, i, 3) && !strcmp(db_cell(r, i, 3), "paused");
    m->status.paused_at_us = db_cell_ts(r, i, 4, 0);
    m->pause_reason = db_cell(r, i, 5);
    const char *exp = db_cell(r, i, 6);
    m->status.has_expiry = exp && clock_parse_date(exp, &m->status.expiry_day) == 0;
}

int db_mentor_get(struct db *db, const char *mentor_id, int for_update, struct arena *a,
                  struct mentor_row *out)
{
    struct db_rows r;
    struct db_val p[] = {DB_STR(mentor_id)};
    int rc = db_query_one(db, &stmts[for_update ? M_GET_LOCK : M_GET], p, 1, a, &r);
    if (rc)
        return rc;
    fill(&r, 0, out);
    return DB_OK;
}

/* Parameters for the filter variants, in statement order: chapter, then the day. */
static size_t filter_params(const struct mentor_filter *f, char *day, struct db_val *p)
{
    size_t n = 0;
    if (f->chapter_id)
        p[n++] = DB_STR(f->chapter_id);
    if (f->status != MENTOR_FILTER_ANY) {
        clock_format_date(f->today, day);
        p[n++] = DB_STR(day);
    }
    return n;
}

int db_mentor_list(struct db *db, const struct mentor_filter *f, long limit, long offset,
                   struct arena *a, struct mentor_row **rows, size_t *n)
{
    char day[CLOCK_DATE_LEN];
    struct db_val p[4];
    struct db_rows r;
    size_t np = filter_params(f, day, p);
    p[np++] = DB_I64(limit);
    p[np++] = DB_I64(offset);
    int which = M_LIST_ANY + (int)f->status + (f->chapter_id ? 3 : 0);
    int rc = db_query(db, &stmts[which], p, np, a, &r);
    if (rc)
        return rc;
    *rows = arena_calloc(a, r.nrows + 1, sizeof(**rows));
    for (size_t i = 0; i < r.nrows; i++)
        fill_list_item(&r, i, &(*rows)[i]);
    *n = r.nrows;
    return DB_OK;
}

int db_mentor_count(struct db *db, const struct mentor_filter *f, struct arena *a, int64_t *total)
{
    char day[CLOCK_DATE_LEN];
    struct db_val p[2];
    struct db_rows r;
    size_t np = filter_params(f, day, p);
    int which = M_COUNT_ANY + (int)f->status + (f->chapter_id ? 3 : 0);
    int rc = db_query(db, &stmts[which], p, np, a, &r);
    if (rc)
        return rc;
    if (r.nrows != 1 || !db_cell(&r, 0, 0))
        return DB_ERROR;
    *total = strtoll(db_cell(&r, 0, 0), NULL, 10);
    return DB_OK;
}

struct status_cols {
    char paused_at[27], reactivated_at[27], expiry[CLOCK_DATE_LEN];
};

static void status_values(const struct mentor_row *m, struct status_cols *c, struct db_val *v)
{
    /* v[0] status, v[1] paused_at, v[2] pause_reason, v[3] reactivated_at, v[4] expiry */
    v[0] = DB_STR(m->status.paused ? "paused" : "active");
    if (m->status.paused) {
        clock_format_sql_datetime(m->status.paused_at_us, c->paused_at);
        v[1] = DB_STR(c->paused_at);
        v[2] = DB_STR_OR_NULL(m->pause_reason);
    } else {
        v[1] = DB_NULLV;
        v[2] = DB_NULLV;
    }
    if (m->reactivated_at_us) {
        clock_format_sql_datetime(m->reactivated_at_us, c->reactivated_at);
        v[3] = DB_STR(c->reactivated_at);
    } else {
        v[3] = DB_NULLV;
    }
    if (m->status.has_expiry) {
        clock_format_date(m->status.expiry_day, c->expiry);
        v[4] = DB_STR(c->expiry);
    } else {
        v[4] = DB_NULLV;
    }
}

int db_mentor_insert(struct db *db, struct mentor_row *m)
{
    struct status_cols c;
    struct db_val sv[5];
    char created[27], updated[27];
    status_values(m, &c, sv);
    /* Kept to the second, as clients see it, so the list order (created_at, mentor_id) is
     * one a client can check from the answers. */
    m->created_at_us -= m->created_at_us % CLOCK_US_PER_SEC;
    clock_format_sql_datetime(m->created_at_us, created);
    clock_format_sql_datetime(m->updated_at_us, updated);
    struct db_val p[] = {DB_STR(m->mentor_id),
                         DB_STR(m->full_name),
                         DB_STR(m->email),
                         DB_STR(m->chapter_id),
                         sv[0],
                         sv[1],
                         sv[2],
                         sv[3],
                         sv[4],
                         DB_STR(created),
                         DB_STR(updated)};
    int rc = db_exec(db, &stmts[M_INSERT], p, sizeof(p) / sizeof(p[0]), NULL);
    if (rc)
        return rc;
    m->pk = (int64_t)db_last_insert_id(db);
    struct db_val one[] = {DB_I64(1)};
    return db_exec(db, &stmts[M_TOTAL_ADJUST], one, 1, NULL);
}

int db_mentor_update(struct db *db, const struct mentor_row *m)
{
    struct status_cols c;
    struct db_val sv[5];
    char updated[27];
    status_values(m, &c, sv);
    clock_format_sql_datetime(m->updated_at_us, updated);
    struct db_val p[] = {DB_STR(m->full_name),
                         DB_STR(m->email),
                         DB_STR(m->chapter_id),
                         sv[0],
                         sv[1],
                         sv[2],
                         sv[3],
                         sv[4],
                         DB_STR(updated),
                         DB_I64(m->pk)};
    return db_exec(db, &stmts[M_UPDATE], p, sizeof(p) / sizeof(p[0]), NULL);
}

int db_mentor_update_status(struct db *db, const struct mentor_row *m)
{
    struct status_cols c;
    struct db_val sv[5];
    char updated[27];
    status_values(m, &c, sv);
    clock_format_sql_datetime(m->updated_at_us, updated);
    struct db_val p[] = {sv[0], sv[1], sv[2], sv[3], DB_STR(updated), DB_I64(m->pk)};
    return db_exec(db, &stmts[M_UPDATE_STATUS], p, sizeof(p) / sizeof(p[0]), NULL);
}

int db_mentor_delete(struct db *db, int64_t pk, int64_t now_us)
{
    char now[27];
    uint64_t affected = 0;
    clock_format_sql_datetime(now_us, now);
    struct db_val p[] = {DB_STR(now), DB_STR(now), DB_I64(pk)};
    int rc = db_exec(db, &stmts[M_DELETE], p, 3, &affected);
    if (rc)
        return rc;
    if (affected != 1)
        return DB_NOT_FOUND;
    struct db_val minus[] = {DB_I64(-1)};
    return db_exec(db, &stmts[M_TOTAL_ADJUST], minus, 1, NULL);
}

int db_mentor_email_taken(struct db *db, const char *email, struct arena *a, int *taken)
{
    struct db_rows r;
    struct db_val p[] = {DB_STR(email)};
    int rc = db_query(db, &stmts[M_EMAIL_TAKEN], p, 1, a, &r);
    if (rc)
        return rc;
    *taken = r.nrows > 0;
    return DB_OK;
}

int db_mentor_event_insert(struct db *db, const struct mentor_event *e)
{
    char at[27];
    clock_format_sql_datetime(e->at_us, at);
    struct db_val p[] = {DB_I64(e->mentor_pk),
                         DB_STR(e->event),
                         DB_STR_OR_NULL(e->initiated_by),
                         DB_STR_OR_NULL(e->token_jti),
                         DB_STR_OR_NULL(e->request_id),
                         DB_STR_OR_NULL(e->status_before),
                         DB_STR_OR_NULL(e->status_after),
                         DB_STR_OR_NULL(e->changes),
                         DB_STR(at)};
    return db_exec(db, &stmts[M_EVENT], p, sizeof(p) / sizeof(p[0]), NULL);
}

int db_mentor_record_auto_pause(struct db *db, struct mentor_row *m, int64_t now_us,
                                const char *token_jti, const char *request_id)
{
    m->pause_reason = MENTOR_AUTO_PAUSE_REASON;
    m->updated_at_us = now_us;
    int rc = db_mentor_update_status(db, m);
    if (rc)
        return rc;
    struct mentor_event e;
    memset(&e, 0, sizeof(e));
    e.mentor_pk = m->pk;
    e.event = "auto_paused";
    e.initiated_by = MENTOR_SYSTEM_INITIATOR;
    e.token_jti = token_jti;
    e.request_id = request_id;
    e.status_before = "active";
    e.status_after = "paused";
    e.at_us = now_us;
    return db_mentor_event_insert(db, &e);
}

int db_mentor_list_auto_pause_due(struct db *db, int32_t today, long limit, struct arena *a,
                                  const char ***ids, size_t *n)
{
    char day[CLOCK_DATE_LEN];
    struct db_rows r;
    clock_format_date(today, day);
    struct db_val p[] = {DB_STR(day), DB_I64(limit)};
    int rc = db_query(db, &stmts[M_AUTO_PAUSE_DUE], p, 2, a, &r);
    if (rc)
        return rc;
    *ids = arena_calloc(a, r.nrows + 1, sizeof(char *));
    for (size_t i = 0; i < r.nrows; i++)
        (*ids)[i] = db_cell(&r, i, 0);
    *n = r.nrows;
    return DB_OK;
}

int db_chapter_exists(struct db *db, const char *chapter_id, struct arena *a, int *exists)
{
    struct db_rows r;
    struct db_val p[] = {DB_STR(chapter_id)};
    int rc = db_query(db, &stmts[CH_EXISTS], p, 1, a, &r);
    if (rc)
        return rc;
    *exists = r.nrows > 0;
    return DB_OK;
}

int db_chapter_insert(struct db *db, const struct chapter_row *c)
{
    char created[27];
    clock_format_sql_datetime(c->created_at_us, created);
    struct db_val p[] = {DB_STR(c->chapter_id), DB_STR(c->name), DB_STR(created)};
    return db_exec(db, &stmts[CH_INSERT], p, 3, NULL);
}

int db_chapter_list(struct db *db, struct arena *a, struct chapter_row **rows, size_t *n)
{
    struct db_rows r;
    int rc = db_query(db, &stmts[CH_LIST], NULL, 0, a, &r);
    if (rc)
        return rc;
    *rows = arena_calloc(a, r.nrows + 1, sizeof(**rows));
    for (size_t i = 0; i < r.nrows; i++) {
        (*rows)[i].chapter_id = db_cell(&r, i, 0);
        (*rows)[i].name = db_cell(&r, i, 1);
        (*rows)[i].created_at_us = db_cell_ts(&r, i, 2, 0);
    }
    *n = r.nrows;
    return DB_OK;
}
