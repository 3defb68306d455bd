/* The MySQL layer: one connection per process, prepared statements cached on the
 * statement definitions themselves (prepared on first use, re-prepared after a
 * reconnect), every parameter bound, every result cell returned as text in the
 * caller's arena. A lost connection is re-opened on the next statement; a read outside a
 * transaction (and START TRANSACTION itself) is then sent again, anything else answers
 * DB_UNAVAILABLE because it may already have been applied. */
#ifndef ECF_DB_DB_H
#define ECF_DB_DB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;
struct config;

enum db_status {
    DB_OK = 0,
    DB_ERROR = -1,       /* anything else: logged */
    DB_DUPLICATE = -2,   /* unique key violation */
    DB_UNAVAILABLE = -3, /* server gone and could not reconnect, or lost mid-transaction */
    DB_RETRY = -4,       /* deadlock or lock wait timeout: the transaction was rolled back */
    DB_NOT_FOUND = -5,   /* for typed helpers that expect one row */
};

/* A statement definition: write them as static tables in each db_* module. */
struct db_stmt {
    const char *sql;
    void *handle; /* MYSQL_STMT *, owned by the db layer */
    unsigned prepared_gen;
};
#define DB_STMT(text)                                                                              \
    {                                                                                              \
        (text), NULL, 0                                                                            \
    }

enum db_val_type { DBV_NULL, DBV_STR, DBV_I64, DBV_BIN };
struct db_val {
    enum db_val_type type;
    const char *s;
    size_t len;
    int64_t i;
};
#define DB_NULLV ((struct db_val){DBV_NULL, NULL, 0, 0})
#define DB_STR(x) ((struct db_val){DBV_STR, (x), strlen(x), 0})
#define DB_STRN(x, n) ((struct db_val){DBV_STR, (x), (n), 0})
#define DB_I64(v) ((struct db_val){DBV_I64, NULL, 0, (int64_t)(v)})
#define DB_BIN(p, n) ((struct db_val){DBV_BIN, (const char *)(p), (n), 0})
/* A nullable string: NULL pointer becomes SQL NULL. */
#define DB_STR_OR_NULL(x) ((x) ? DB_STR(x) : DB_NULLV)

/* Result: row-major cells; a NULL cell pointer is SQL NULL. Memory is the arena's. */
struct db_rows {
    size_t nrows, ncols;
    char **cells;
    size_t *lens;
};
static inline const char *db_cell(const struct db_rows *r, size_t row, size_t col)
{
    return r->cells[row * r->ncols + col];
}
static inline size_t db_cell_len(const struct db_rows *r, size_t row, size_t col)
{
    return r->lens[row * r->ncols + col];
}

struct db;

/* Reads the password file and connects; when the server is not up yet the handle is
 * still returned and connects on first use. NULL (with err) only for a bad password file. */
struct db *db_open(const struct config *cfg, char *err, size_t errlen);
/* For the CLI: fails unless connected; multi-statement scripts allowed (migrations). */
struct db *db_open_admin(const struct config *cfg, char *err, size_t errlen);
void db_close(struct db *db);

/* 0 when the server answers (reconnecting if needed). */
int db_ping(struct db *db);

int db_query(struct db *db, struct db_stmt *stmt, const struct db_val *params, size_t nparams,
             struct arena *arena, struct db_rows *out);
/* db_query for lookups of one row: DB_NOT_FOUND unless the result has exactly one row. */
int db_query_one(struct db *db, struct db_stmt *stmt, const struct db_val *params, size_t nparams,
                 struct arena *arena, struct db_rows *out);
int db_exec(struct db *db, struct db_stmt *stmt, const struct db_val *params, size_t nparams,
            uint64_t *affected);

/* AUTO_INCREMENT value of the last INSERT run through db_exec. */
uint64_t db_last_insert_id(struct db *db);

int db_begin(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);

/* Runs a plain (non-prepared) script of one or more statements; for migrations only. */
int db_run_script(struct db *db, const char *sql, char *err, size_t errlen);
/* The last server error text (for logs and CLI messages). */
const char *db_last_error(struct db *db);

/* Typed readers of text cells; if_null is returned for SQL NULL (or an unparsable value). */
int64_t db_cell_i64(const struct db_rows *r, size_t row, size_t col, int64_t if_null);
/* DATETIME(6) -> microseconds since the epoch. */
int64_t db_cell_ts(const struct db_rows *r, size_t row, size_t col, int64_t if_null);
/* DATE -> days since the epoch. */
int32_t db_cell_day(const struct db_rows *r, size_t row, size_t col, int32_t if_null);
/* BINARY(16) -> out; zeroes when NULL or of another length. */
void db_cell_bin16(const struct db_rows *r, size_t row, size_t col, uint8_t out[16]);

/* Helpers for BINARY(16) UUID columns. */
int db_cell_uuid(const struct db_rows *r, size_t row, size_t col, char out[37]);

#endif
