/* Typed queries of the Lead Provider API v3 participant actions (PUT defer / withdraw /
 * resume / change-schedule, spec section 2). Every function runs inside the caller's
 * transaction; none begins or commits one. Results live in the caller's arena. Returns
 * DB_OK, DB_NOT_FOUND (lookups) or a db error. */
#ifndef ECF_DB_DB_PARTICIPANT_ACTIONS_H
#define ECF_DB_DB_PARTICIPANT_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"

struct arena;
struct db;

/* One training period of the teacher (any lead provider, school-led included). */
struct db_pa_period {
    struct participant_period p; /* lead_provider_id: 1 = the caller, 2 = another provider,
                                    0 = none (school-led) */
    int64_t partnership_id;      /* 0 school-led */
    int cohort;                  /* 0 school-led */
    unsigned schedule_id;        /* schedules.id (cohort * 100 + position); 0 school-led */
    enum schedule_id schedule;   /* SCHEDULE_ID__MAX school-led */
    int64_t school_id;
    int32_t school_started_on;
    int32_t school_finished_on; /* PARTICIPANT_NO_DAY ongoing */
    uint8_t delivery_partner_id[16];
};

/* The teacher an action works on, as of the lock. */
struct db_pa_teacher {
    int64_t id;
    struct participant_teacher facts; /* frozen years, mentor ineligibility; rest absent */
    struct participant_induction_period *inductions;
    size_t ninductions;
    struct db_pa_period *periods; /* by id (creation order) */
    size_t nperiods;
};

/* Locks the teacher behind participant id `api_id` that provider `lp` sees (SELECT ... FOR
 * UPDATE on the teacher and its metadata row: every writer of a teacher's periods takes this
 * lock first, so the reads that follow see the latest committed rows) and loads what the
 * rules need; the induction periods only with `inductions` set (change-schedule's "completed"
 * check is their only reader). DB_NOT_FOUND when unknown, merged away or not visible to
 * `lp`. */
int db_pa_lock_load(struct db *db, const uint8_t lp[16], const uint8_t api_id[16], int inductions,
                    struct arena *a, struct db_pa_teacher *out);

/* The milestones of one schedule (schedules.id), for re-validating declarations. */
int db_pa_milestones(struct db *db, unsigned schedule_id, int cohort, enum schedule_id id,
                     struct arena *a, struct schedule_milestone **out, size_t *n);
/* Every declaration (any state) on a training period: type and date. */
int db_pa_declarations(struct db *db, int64_t training_period_id, struct arena *a,
                       struct schedule_declared **out, size_t *n);

/* The provider's partnership at `school_id` in `cohort` for a cohort change (2.6): the one
 * with delivery partner `dp` when there is one, else the most recently created.
 * DB_NOT_FOUND when the provider has none there. */
int db_pa_partnership_find(struct db *db, int64_t school_id, const uint8_t lp[16], int cohort,
                           const uint8_t dp[16], int64_t *partnership_id);

enum db_pa_stop { DB_PA_DEFER, DB_PA_WITHDRAW };
/* Defers or withdraws period `tp`: the timestamp `at_us`, the reason (API form), finished_on
 * (transfer_updated_at moves when it changes) and updated_at. */
int db_pa_stop(struct db *db, int64_t tp, enum db_pa_stop kind, const char *reason, int64_t at_us,
               int32_t finished_on, int64_t now_us);
/* Change-schedule in place: the period's partnership, cohort and schedule; when the cohort
 * changes, also its declarations' cohort copy (schema/README.md "Copies"). */
int db_pa_reschedule(struct db *db, int64_t tp, int64_t partnership_id, int cohort,
                     unsigned schedule_id, int cohort_changes, int64_t now_us);
/* {ect|mentor}_payments_frozen_year of the teacher; year 0 = NULL. */
int db_pa_frozen_year(struct db *db, int64_t teacher_id, enum participant_role role, int year);

#endif
