/* Schema migrations: schema/NNN_name.sql compiled into the binary, applied in order,
 * each recorded in schema_migrations; applying twice is a no-op. */
#ifndef ECF_DB_DB_MIGRATE_H
#define ECF_DB_DB_MIGRATE_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct migration {
    const char *version;
    const char *sql;
};

extern const struct migration db_migrations[];
extern const size_t db_migrations_count;

/* Needs a connection from db_open_admin. Sets *applied to the number newly applied. */
int db_migrate(struct db *db, int64_t now_us, int *applied, char *err, size_t errlen);

#endif
