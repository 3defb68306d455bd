/* mentors, mentor_events, mentor_totals and chapters. */
#ifndef ECF_DB_DB_MENTORS_H
#define ECF_DB_DB_MENTORS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/mentor_rules.h"

struct db;
struct arena;

struct mentor_row {
    int64_t pk;
    const char *mentor_id;
    const char *full_name;
    const char *email;
    const char *chapter_id;
    const char *pause_reason; /* NULL when none */
    struct mentor_status status;
    int64_t reactivated_at_us; /* 0 = never */
    int64_t created_at_us, updated_at_us;
};

enum mentor_status_filter { MENTOR_FILTER_ANY, MENTOR_FILTER_ACTIVE, MENTOR_FILTER_PAUSED };

struct mentor_filter {
    enum mentor_status_filter status;
    const char *chapter_id; /* NULL = any */
    int32_t today;          /* for the derived (automatic) pause */
};

/* A mentor that is not deleted; DB_NOT_FOUND otherwise. for_update locks the row. */
int db_mentor_get(struct db *db, const char *mentor_id, int for_update, struct arena *a,
                  struct mentor_row *out);
/* List items carry only mentor_id, full_name, chapter_id, the status fields and
 * certification_expiry; the rest of each row is zero. */
int db_mentor_list(struct db *db, const struct mentor_filter *f, long limit, long offset,
                   struct arena *a, struct mentor_row **rows, size_t *n);
int db_mentor_count(struct db *db, const struct mentor_filter *f, struct arena *a, int64_t *total);
/* Sets out pk. DB_DUPLICATE on a taken email (or, astronomically rarely, mentor_id). */
int db_mentor_insert(struct db *db, struct mentor_row *m);
/* Writes every mutable column of m (by pk). */
int db_mentor_update(struct db *db, const struct mentor_row *m);
/* Writes only the status columns (status, paused_at, pause_reason, reactivated_at,
 * updated_at): pause and reactivate leave the profile, its indexes and keys untouched. */
int db_mentor_update_status(struct db *db, const struct mentor_row *m);
int db_mentor_delete(struct db *db, int64_t pk, int64_t now_us);
/* 1 when a mentor that is not deleted has this email (case-insensitive). */
int db_mentor_email_taken(struct db *db, const char *email, struct arena *a, int *taken);

struct mentor_event {
    int64_t mentor_pk;
    const char *event; /* created, updated, paused, auto_paused, reactivated, deleted */
    const char *initiated_by;
    const char *token_jti;
    const char *request_id;
    const char *status_before, *status_after;
    const char *changes; /* JSON text or NULL */
    int64_t at_us;
};
int db_mentor_event_insert(struct db *db, const struct mentor_event *e);

/* Stores an automatic pause already applied to m (mentor_apply_auto_pause) with its
 * audit event, initiated by "system". */
int db_mentor_record_auto_pause(struct db *db, struct mentor_row *m, int64_t now_us,
                                const char *token_jti, const char *request_id);
/* mentor_ids of mentors whose automatic pause is due but not stored yet. */
int db_mentor_list_auto_pause_due(struct db *db, int32_t today, long limit, struct arena *a,
                                  const char ***ids, size_t *n);

struct chapter_row {
    const char *chapter_id;
    const char *name;
    int64_t created_at_us;
};
int db_chapter_exists(struct db *db, const char *chapter_id, struct arena *a, int *exists);
int db_chapter_insert(struct db *db, const struct chapter_row *c);
int db_chapter_list(struct db *db, struct arena *a, struct chapter_row **rows, size_t *n);

#endif
