#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "db/db.h"

#define DB_MAX_PARAMS 32
#define DB_MAX_COLS 64
#define DB_CELL_INITIAL 256

struct db {
    MYSQL *conn;
    const struct config *cfg;
    char *password;
    int multi;
    int in_tx;
    uint64_t last_insert_id;
    unsigned
        gen; /* bumped on every (re)connect; statements prepared under an older gen are stale */
    /* Statements prepared on this connection, so a reconnect can close them. */
    struct db_stmt **stmts;
    size_t nstmts, capstmts;
    char last_error[512];
};

static int is_connection_error(unsigned e)
{
    return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONN_HOST_ERROR ||
           e == CR_CONNECTION_ERROR || e == ER_CONNECTION_KILLED || e == CR_SERVER_LOST_EXTENDED ||
           e == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8) */ || e == ER_SERVER_SHUTDOWN ||
           e == CR_COMMANDS_OUT_OF_SYNC;
}

static void remember_error(struct db *db, unsigned code, const char *msg)
{
    snprintf(db->last_error, sizeof(db->last_error), "%u: %s", code, msg ? msg : "");
}

const char *db_last_error(struct db *db)
{
    return db->last_error;
}

static void forget_statements(struct db *db)
{
    /* After a reconnect the old handles belong to a dead connection: close them
     * client-side and let the next use prepare again. */
    for (size_t i = 0; i < db->nstmts; i++) {
        if (db->stmts[i]->handle) {
            mysql_stmt_close(db->stmts[i]->handle);
            db->stmts[i]->handle = NULL;
        }
    }
    db->nstmts = 0;
}

static int connect_now(struct db *db)
{
    const struct config *cfg = db->cfg;
    MYSQL *m = mysql_init(NULL);
    if (!m) {
        remember_error(db, 0, "mysql_init failed");
        return -1;
    }
    unsigned timeout = 3;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(m, MYSQL_INIT_COMMAND,
                  "SET time_zone = '+00:00', sql_mode = "
                  "'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
                  "NO_ENGINE_SUBSTITUTION'");
    mysql_options(m, MYSQL_INIT_COMMAND, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    unsigned long flags = db->multi ? CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS : 0;
    const char *sock = cfg->db_socket[0] ? cfg->db_socket : NULL;
    if (!mysql_real_connect(m, cfg->db_host, cfg->db_user, db->password, cfg->db_name,
                            (unsigned)cfg->db_port, sock, flags)) {
        remember_error(db, mysql_errno(m), mysql_error(m));
        mysql_close(m);
        return -1;
    }
    db->conn = m;
    db->gen++;
    db->in_tx = 0;
    return 0;
}

static int reconnect(struct db *db)
{
    forget_statements(db);
    if (db->conn) {
        mysql_close(db->conn);
        db->conn = NULL;
    }
    if (connect_now(db)) {
        log_msg("warn", "database reconnect failed: %s", db->last_error);
        return -1;
    }
    log_msg("info", "database reconnected");
    return 0;
}

static struct db *open_common(const struct config *cfg, int multi, int lazy, char *err,
                              size_t errlen)
{
    size_t len;
    struct db *db = xcalloc(1, sizeof(*db));
    db->cfg = cfg;
    db->multi = multi;
    db->password = config_read_secret(cfg->db_password_file, &len, 1, err, errlen);
    if (!db->password)
        goto fail;
    if (connect_now(db)) {
        if (lazy) {
            /* A worker starts anyway: it answers 503 and reconnects on the next request. */
            log_msg("warn", "database not reachable yet: %s", db->last_error);
            return db;
        }
        snprintf(err, errlen, "cannot connect to the database: %s", db->last_error);
        goto fail;
    }
    return db;
fail:
    db_close(db);
    return NULL;
}

struct db *db_open(const struct config *cfg, char *err, size_t errlen)
{
    return open_common(cfg, 0, 1, err, errlen);
}

struct db *db_open_admin(const struct config *cfg, char *err, size_t errlen)
{
    return open_common(cfg, 1, 0, err, errlen);
}

void db_close(struct db *db)
{
    if (!db)
        return;
    forget_statements(db);
    free(db->stmts);
    if (db->conn)
        mysql_close(db->conn);
    if (db->password) {
        explicit_bzero(db->password, strlen(db->password));
        free(db->password);
    }
    free(db);
}

int db_ping(struct db *db)
{
    if (db->conn && mysql_ping(db->conn) == 0)
        return 0;
    if (db->in_tx)
        return -1;
    return reconnect(db);
}

static MYSQL_STMT *prepared(struct db *db, struct db_stmt *st)
{
    if (st->handle && st->prepared_gen == db->gen)
        return st->handle;
    if (st->handle) {
        /* Stale handle from an earlier connection, already closed by forget_statements
         * unless it belonged to a db that was closed; drop the reference. */
        st->handle = NULL;
    }
    MYSQL_STMT *h = mysql_stmt_init(db->conn);
    if (!h) {
        remember_error(db, mysql_errno(db->conn), mysql_error(db->conn));
        return NULL;
    }
    if (mysql_stmt_prepare(h, st->sql, strlen(st->sql))) {
        remember_error(db, mysql_stmt_errno(h), mysql_stmt_error(h));
        mysql_stmt_close(h);
        return NULL;
    }
    my_bool update_max = 0;
    mysql_stmt_attr_set(h, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
    if (db->nstmts == db->capstmts) {
        db->capstmts = db->capstmts ? db->capstmts * 2 : 32;
        db->stmts = xrealloc(db->stmts, db->capstmts * sizeof(struct db_stmt *));
    }
    db->stmts[db->nstmts++] = st;
    st->handle = h;
    st->prepared_gen = db->gen;
    return h;
}

static int classify(struct db *db, unsigned e, const char *msg)
{
    remember_error(db, e, msg);
    if (e == ER_DUP_ENTRY || e == ER_DUP_KEY)
        return DB_DUPLICATE;
    if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT)
        return DB_RETRY;
    if (is_connection_error(e))
        return DB_UNAVAILABLE;
    log_msg("error", "database error %u: %s", e, msg);
    return DB_ERROR;
}

/* Binds, executes and (when arena/out are given) fetches all rows. */
static int run_once(struct db *db, struct db_stmt *st, const struct db_val *params, size_t n,
                    struct arena *arena, struct db_rows *out, uint64_t *affected)
{
    MYSQL_BIND pb[DB_MAX_PARAMS];
    my_bool pnull[DB_MAX_PARAMS];
    unsigned long plen[DB_MAX_PARAMS];
    int rc = DB_ERROR;

    if (!db->conn)
        return DB_UNAVAILABLE;
    MYSQL_STMT *h = prepared(db, st);
    if (!h) {
        unsigned e = mysql_errno(db->conn);
        return classify(db, e ? e : CR_SERVER_GONE_ERROR, db->last_error);
    }
    if (n > DB_MAX_PARAMS || mysql_stmt_param_count(h) != n) {
        log_msg("error", "statement parameter count mismatch: %s", st->sql);
        return DB_ERROR;
    }
    memset(pb, 0, sizeof(pb[0]) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        pnull[i] = params[i].type == DBV_NULL;
        pb[i].is_null = &pnull[i];
        switch (params[i].type) {
        case DBV_NULL:
            pb[i].buffer_type = MYSQL_TYPE_NULL;
            break;
        case DBV_I64:
            pb[i].buffer_type = MYSQL_TYPE_LONGLONG;
            pb[i].buffer = (void *)&params[i].i;
            break;
        case DBV_STR:
        case DBV_BIN:
            pb[i].buffer_type = params[i].type == DBV_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
            pb[i].buffer = (void *)params[i].s;
            plen[i] = (unsigned long)params[i].len;
            pb[i].buffer_length = plen[i];
            pb[i].length = &plen[i];
            break;
        }
    }
    if (n && mysql_stmt_bind_param(h, pb))
        return classify(db, mysql_stmt_errno(h), mysql_stmt_error(h));
    if (mysql_stmt_execute(h))
        return classify(db, mysql_stmt_errno(h), mysql_stmt_error(h));
    if (affected)
        *affected = (uint64_t)mysql_stmt_affected_rows(h);
    db->last_insert_id = (uint64_t)mysql_stmt_insert_id(h);

    MYSQL_RES *meta = mysql_stmt_result_metadata(h);
    if (!meta) {
        if (out)
            memset(out, 0, sizeof(*out));
        return DB_OK;
    }
    size_t ncols = mysql_num_fields(meta);
    mysql_free_result(meta);
    if (!out || !arena || ncols > DB_MAX_COLS) {
        mysql_stmt_free_result(h);
        return out ? DB_ERROR : DB_OK;
    }
    if (mysql_stmt_store_result(h)) {
        rc = classify(db, mysql_stmt_errno(h), mysql_stmt_error(h));
        mysql_stmt_free_result(h);
        return rc;
    }
    size_t nrows = (size_t)mysql_stmt_num_rows(h);
    MYSQL_BIND rb[DB_MAX_COLS];
    unsigned long rlen[DB_MAX_COLS];
    my_bool rnull[DB_MAX_COLS], rerr[DB_MAX_COLS];
    char rbuf[DB_MAX_COLS][DB_CELL_INITIAL];
    memset(rb, 0, sizeof(rb[0]) * ncols);
    for (size_t c = 0; c < ncols; c++) {
        rb[c].buffer_type = MYSQL_TYPE_STRING;
        rb[c].buffer = rbuf[c];
        rb[c].buffer_length = DB_CELL_INITIAL;
        rb[c].length = &rlen[c];
        rb[c].is_null = &rnull[c];
        rb[c].error = &rerr[c];
    }
    if (mysql_stmt_bind_result(h, rb)) {
        rc = classify(db, mysql_stmt_errno(h), mysql_stmt_error(h));
        mysql_stmt_free_result(h);
        return rc;
    }
    out->nrows = nrows;
    out->ncols = ncols;
    out->cells = arena_calloc(arena, nrows * ncols + 1, sizeof(char *));
    out->lens = arena_calloc(arena, nrows * ncols + 1, sizeof(size_t));
    for (size_t r = 0; r < nrows; r++) {
        int f = mysql_stmt_fetch(h);
        if (f == 1 || f == MYSQL_NO_DATA) {
            rc = f == 1 ? classify(db, mysql_stmt_errno(h), mysql_stmt_error(h)) : DB_ERROR;
            mysql_stmt_free_result(h);
            return rc;
        }
        for (size_t c = 0; c < ncols; c++) {
            size_t idx = r * ncols + c;
            if (rnull[c])
                continue;
            size_t len = rlen[c];
            char *cell = arena_alloc(arena, len + 1);
            if (len <= DB_CELL_INITIAL) {
                memcpy(cell, rbuf[c], len);
            } else {
                /* Longer than the bound buffer: fetch this column again in full. */
                MYSQL_BIND big;
                unsigned long biglen = 0;
                memset(&big, 0, sizeof(big));
                big.buffer_type = MYSQL_TYPE_STRING;
                big.buffer = cell;
                big.buffer_length = len + 1;
                big.length = &biglen;
                if (mysql_stmt_fetch_column(h, &big, (unsigned)c, 0)) {
                    rc = classify(db, mysql_stmt_errno(h), mysql_stmt_error(h));
                    mysql_stmt_free_result(h);
                    return rc;
                }
            }
            cell[len] = '\0';
            out->cells[idx] = cell;
            out->lens[idx] = len;
        }
    }
    mysql_stmt_free_result(h);
    return DB_OK;
}

static int run(struct db *db, struct db_stmt *st, const struct db_val *params, size_t n,
               struct arena *arena, struct db_rows *out, uint64_t *affected)
{
    if (!db->conn && !db->in_tx && reconnect(db))
        return DB_UNAVAILABLE;
    int rc = run_once(db, st, params, n, arena, out, affected);
    if (rc == DB_UNAVAILABLE) {
        if (db->in_tx) {
            /* The transaction died with the connection: nothing of it was committed. */
            db->in_tx = 0;
            reconnect(db);
            return DB_UNAVAILABLE;
        }
        if (reconnect(db))
            return DB_UNAVAILABLE;
        /* Only a read is sent again: a write may have been applied before the connection
         * dropped, and applying it twice is worse than one 503. */
        if (strncasecmp(st->sql, "SELECT", 6) != 0)
            return DB_UNAVAILABLE;
        rc = run_once(db, st, params, n, arena, out, affected);
    }
    return rc;
}

int db_query(struct db *db, struct db_stmt *st, const struct db_val *params, size_t n,
             struct arena *arena, struct db_rows *out)
{
    memset(out, 0, sizeof(*out));
    return run(db, st, params, n, arena, out, NULL);
}

int db_query_one(struct db *db, struct db_stmt *stmt, const struct db_val *params, size_t nparams,
                 struct arena *arena, struct db_rows *out)
{
    int rc = db_query(db, stmt, params, nparams, arena, out);
    if (rc == DB_OK && out->nrows != 1)
        rc = DB_NOT_FOUND;
    return rc;
}

int db_exec(struct db *db, struct db_stmt *st, const struct db_val *params, size_t n,
            uint64_t *affected)
{
    return run(db, st, params, n, NULL, NULL, affected);
}

uint64_t db_last_insert_id(struct db *db)
{
    return db->last_insert_id;
}

static int simple(struct db *db, const char *sql)
{
    if (!db->conn)
        return DB_UNAVAILABLE;
    if (mysql_real_query(db->conn, sql, strlen(sql)))
        return classify(db, mysql_errno(db->conn), mysql_error(db->conn));
    return DB_OK;
}

int db_begin(struct db *db)
{
    if (!db->conn && reconnect(db))
        return DB_UNAVAILABLE;
    int rc = simple(db, "START TRANSACTION");
    if (rc == DB_UNAVAILABLE) {
        /* Nothing has happened in this transaction yet: safe to reconnect and start again. */
        if (reconnect(db))
            return DB_UNAVAILABLE;
        rc = simple(db, "START TRANSACTION");
    }
    if (rc == DB_OK)
        db->in_tx = 1;
    return rc;
}

int db_commit(struct db *db)
{
    int rc = simple(db, "COMMIT");
    db->in_tx = 0;
    if (rc == DB_UNAVAILABLE)
        reconnect(db);
    return rc;
}

void db_rollback(struct db *db)
{
    if (db->in_tx && db->conn && simple(db, "ROLLBACK") == DB_UNAVAILABLE)
        reconnect(db);
    db->in_tx = 0;
}

int db_run_script(struct db *db, const char *sql, char *err, size_t errlen)
{
    if (!db->conn) {
        snprintf(err, errlen, "not connected");
        return DB_UNAVAILABLE;
    }
    int status = mysql_real_query(db->conn, sql, strlen(sql));
    for (;;) {
        if (status != 0) {
            snprintf(err, errlen, "%u: %s", mysql_errno(db->conn), mysql_error(db->conn));
            return DB_ERROR;
        }
        MYSQL_RES *res = mysql_store_result(db->conn);
        if (res)
            mysql_free_result(res);
        if (!mysql_more_results(db->conn))
            break;
        status = mysql_next_result(db->conn);
    }
    return DB_OK;
}

int db_cell_uuid(const struct db_rows *r, size_t row, size_t col, char out[37])
{
    const char *c = db_cell(r, row, col);
    if (!c || db_cell_len(r, row, col) != 16) {
        out[0] = '\0';
        return -1;
    }
    ids_uuid_format((const uint8_t *)c, out);
    return 0;
}

int64_t db_cell_i64(const struct db_rows *r, size_t row, size_t col, int64_t if_null)
{
    const char *c = db_cell(r, row, col);
    return c ? (int64_t)strtoll(c, NULL, 10) : if_null;
}

int64_t db_cell_ts(const struct db_rows *r, size_t row, size_t col, int64_t if_null)
{
    int64_t us;
    const char *c = db_cell(r, row, col);
    return c && clock_parse_sql_datetime(c, &us) == 0 ? us : if_null;
}

int32_t db_cell_day(const struct db_rows *r, size_t row, size_t col, int32_t if_null)
{
    int32_t d;
    const char *c = db_cell(r, row, col);
    return c && clock_parse_date(c, &d) == 0 ? d : if_null;
}

void db_cell_bin16(const struct db_rows *r, size_t row, size_t col, uint8_t out[16])
{
    const char *c = db_cell(r, row, col);
    if (c && db_cell_len(r, row, col) == 16)
        memcpy(out, c, 16);
    else
        memset(out, 0, 16);
}
