/* Typed queries of the Lead Provider API v3 declarations (spec section 4): the facts POST
 * validates against, the insert and its effects, void/clawback, and the reads of GET. Writes
 * run inside the caller's transaction. Results live in the caller's arena. Returns DB_OK,
 * DB_NOT_FOUND (single lookups) or another db_status. */
#ifndef ECF_DB_DB_DECLARATIONS_H
#define ECF_DB_DB_DECLARATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/declaration_rules.h"
#include "domain/participant_rules.h"
#include "http/pagination.h"

struct arena;
struct db;

/* The teacher behind a participant id, locked (FOR UPDATE) so that declarations of one
 * teacher are made one at a time: DB_NOT_FOUND when unknown or merged away. */
struct db_decl_teacher {
    int64_t pk;
    int ect_eligible;             /* ect_first_became_eligible_at set */
    int mentor_eligible;          /* mentor_first_became_eligible_at set */
    int32_t mentor_ineligible_on; /* DECL_NO_DAY when none */
    const char *mentor_ineligible_reason;
};
int db_decl_teacher_lock(struct db *db, const uint8_t api_id[16], struct arena *a,
                         struct db_decl_teacher *out);
/* The same by primary key (void). */
int db_decl_teacher_lock_pk(struct db *db, int64_t pk, struct arena *a,
                            struct db_decl_teacher *out);

/* Every training period of the teacher (both roles, any provider, school-led included), by
 * started_on then id. period.lead_provider_id is 1 for the caller's periods, 2 for another
 * provider's, 0 for none. */
struct db_decl_period {
    struct participant_period period;
    int cohort; /* 0 for school-led */
    int64_t schedule_id;
    int64_t partnership_id;
    uint8_t delivery_partner_id[16];
    int school_pp, school_sparsity;
    int64_t payments_frozen_at; /* DECL_NO_US when not set */
    int mentor_funding_enabled, detailed_evidence, uplift_fees_enabled;
    int32_t school_period_finished_on; /* DECL_NO_DAY when open */
};
int db_decl_periods(struct db *db, int64_t teacher_pk, const uint8_t lp[16], struct arena *a,
                    struct db_decl_period **out, size_t *n);

/* The milestone of a schedule for a declaration type: DB_NOT_FOUND when the schedule has none. */
int db_decl_milestone(struct db *db, int64_t schedule_id, const char *type, int32_t *start,
                      int32_t *end);

/* The teacher's counting declarations of a role (course identifier), locked. */
struct db_decl_counting {
    int64_t id;
    enum schedule_declaration type;
    int64_t date_us;
    int own; /* made by the caller */
    int has_sha;
    uint8_t sha[32];
};
int db_decl_counting_list(struct db *db, int64_t teacher_pk, const char *course,
                          const uint8_t lp[16], struct arena *a, struct db_decl_counting **out,
                          size_t *n);

/* db_decl_milestone() and db_decl_closest_mentorship() in one statement: *mentorship_id is
 * set (0 when none; pass school_period_id 0 when no mentorship is wanted) whenever the answer
 * is DB_OK or DB_NOT_FOUND (no milestone). */
int db_decl_milestone_mentorship(struct db *db, int64_t schedule_id, const char *type,
                                 int64_t school_period_id, int32_t day, int32_t *start,
                                 int32_t *end, int64_t *mentorship_id);

/* The mentorship of an ECT school period closest to a day (RECT's closest_to); 0 when none. */
int db_decl_closest_mentorship(struct db *db, int64_t school_period_id, int32_t day,
                               int64_t *mentorship_id);

struct db_decl_new {
    int64_t teacher_pk;
    int64_t training_period_id;
    const uint8_t *lead_provider_id;
    int cohort;
    const char *course;
    const char *type;
    int64_t date_us;
    const char *evidence;    /* stored value (NULL when discarded or absent) */
    const uint8_t *sent_sha; /* NULL when absent or null */
    const char *state;
    int64_t statement_id; /* 0 = none */
    int pp, sparsity;
    int64_t mentorship_id; /* 0 = none */
    const uint8_t *delivery_partner_id;
    int64_t now_us;
};
/* Inserts; DB_DUPLICATE when a counting declaration of that teacher, role and type exists. */
int db_decl_insert(struct db *db, const struct db_decl_new *d, int64_t *id);
/* Marks the teacher's rows of other providers: they have declarations of another provider. */
int db_decl_flag_other_providers(struct db *db, int64_t teacher_pk, const uint8_t lp[16]);

/* Mentor completion (4.5, 4.7). */
int db_decl_latest_completed_mentor(struct db *db, int64_t teacher_pk, int32_t *day);
int db_decl_set_mentor_funding(struct db *db, int64_t teacher_pk, int32_t ineligible_on,
                               const char *reason);
int db_decl_finish_period(struct db *db, int64_t training_period_id, int32_t finished_on,
                          int64_t now_us);
/* A new provider-led period like `from` (partnership, schedule), in the same school period. */
int db_decl_copy_period(struct db *db, int64_t from_training_period_id, int32_t started_on,
                        int32_t finished_on, int64_t now_us);

/* Everything a declaration renders. */
struct db_declaration {
    int64_t id;
    char api_id[37];
    char participant_id[37];
    const char *type;
    const char *course;
    int64_t date_us;
    char mentor_id[37]; /* "" when none */
    enum decl_state state;
    int64_t updated_at_us, created_at_us;
    char delivery_partner_id[37];
    char statement_id[37];          /* "" when none */
    char clawback_statement_id[37]; /* "" when none */
    int pp, sparsity;
    const char *evidence; /* NULL when none */
    const char *lead_provider_name;
    uint8_t lead_provider_id[16];
    int cohort;
    int64_t teacher_pk;
    int64_t training_period_id;
    int64_t statement_pk;
};
int db_decl_get(struct db *db, int64_t id, struct arena *a, struct db_declaration *out);
/* The declarations ids[0..n) in that order (rows gone meanwhile are left out). */
int db_decl_load(struct db *db, const int64_t *ids, size_t n, struct arena *a,
                 struct db_declaration **out, size_t *nout);
int db_decl_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                       struct db_declaration *out);
/* The caller's latest period of a role for a teacher (4.8): *has = 0 when none, else its
 * finished_on (DECL_NO_DAY when open). */
int db_decl_viewer_period(struct db *db, int64_t teacher_pk, const uint8_t lp[16],
                          const char *course, int *has, int32_t *finished_on);

/* Void (4.7): locks the caller's own declaration; DB_NOT_FOUND for another provider's. */
int db_decl_lock_own(struct db *db, const uint8_t api_id[16], const uint8_t lp[16], int64_t *id,
                     int64_t *teacher_pk);
/* Locks a declaration row (FOR UPDATE) before its state is read. */
int db_decl_lock(struct db *db, int64_t id);
/* Sets the state (and the clawback statement when clawback_statement_id > 0). */
int db_decl_set_state(struct db *db, int64_t id, const char *state, int64_t clawback_statement_id,
                      int64_t now_us);

/* GET list (4.8): filters as normalised lists (NULL = no filter). */
struct db_decl_filter {
    const uint8_t *lead_provider_id;
    const char *cohorts;         /* "2021,2022" */
    const char *participant_ids; /* JSON array of 32-hex strings */
    const char *delivery_partner_ids;
    const struct pagination *page;
};
int db_decl_page(struct db *db, const struct db_decl_filter *f, struct arena *a, int64_t **ids,
                 size_t *n);

#endif
