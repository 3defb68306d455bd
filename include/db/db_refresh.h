/* The scheduled refresh of the Lead Provider API v3 (spec decision 5): which teachers' derived
 * participant_status or assigned mentor can have changed because calendar days passed, and
 * the record of each run. The run itself (what flipped, the rebuild and the touch) is
 * ecfctl's (src/ctl/seed.c, ctl_refresh). Results live in the caller's arena. */
#ifndef ECF_DB_DB_REFRESH_H
#define ECF_DB_DB_REFRESH_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

/* Takes the server-wide advisory lock of the refresh job (GET_LOCK, waiting up to 60 s), so
 * two runs never interleave. DB_OK when taken, DB_DUPLICATE when another run still holds it. */
int db_refresh_lock(struct db *db);
void db_refresh_unlock(struct db *db);

/* The instant of the latest recorded run at or before `now_us` (audit_events, event
 * "refresh.completed"). DB_NOT_FOUND when there is none. */
int db_refresh_last_run(struct db *db, int64_t now_us, int64_t *last_us);

/* Records a run as of `now_us` that covered the days after `since_us`, with its counts
 * (audit_events row, actor "ecfctl refresh", details as JSON text). */
int db_refresh_record(struct db *db, int64_t now_us, int64_t since_us, long checked, long touched,
                      long mentors_changed);

/* Up to `limit` teachers (ids ascending, greater than `after_id`) with metadata rows who may
 * have changed between day `from_day` (exclusive) and day `to_day` (inclusive): a training
 * period started or finished, a school period finished, or a mentorship as ECT finished on one
 * of those days. Merged-away teachers are left out. */
int db_refresh_candidates(struct db *db, int32_t from_day, int32_t to_day, int64_t after_id,
                          size_t limit, struct arena *a, int64_t **ids, size_t *n);

/* One metadata row's key. */
struct db_refresh_row {
    int64_t teacher_id;
    uint8_t lead_provider_id[16];
};
/* The metadata rows of teachers ids[0..n), by lead provider then teacher. */
int db_refresh_rows(struct db *db, const int64_t *ids, size_t n, struct arena *a,
                    struct db_refresh_row **rows, size_t *nrows);

#endif
