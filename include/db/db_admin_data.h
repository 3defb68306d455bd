/* Typed queries of the admin data API: delivery partners, schools, cohorts, partnerships,
 * statements, teachers, school/training/induction periods, mentorships, merges. UUIDs are 16
 * bytes; dates are days since the epoch with DB_NO_DAY for NULL; instants are microseconds
 * with 0 for NULL. Strings in rows point into the caller's arena. None of these begins or
 * commits a transaction. Return values are db_status codes. */
#ifndef ECF_DB_DB_ADMIN_DATA_H
#define ECF_DB_DB_ADMIN_DATA_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct arena;
struct schedule_cohort;
struct schedule_def;

#define DB_NO_DAY INT32_MIN

struct ad_delivery_partner {
    uint8_t id[16];
    const char *name;
    int64_t created_at_us;
};

struct ad_school {
    uint64_t pk;
    uint8_t api_id[16];
    const char *urn;
    const char *name;
    int pupil_premium_uplift;
    int sparsity_uplift;
    int64_t created_at_us;
};

struct ad_cohort {
    int year;
    int32_t started_on;
    int32_t finished_on;
    int64_t payments_frozen_at_us; /* 0 = never */
    int mentor_funding_enabled;
    int detailed_evidence_types_enabled;
    int uplift_fees_enabled;
};

struct ad_partnership {
    uint64_t pk;
    uint8_t api_id[16];
    uint64_t school_pk;
    const char *school_urn;
    uint8_t lead_provider_id[16];
    uint8_t delivery_partner_id[16];
    int cohort;
    int64_t created_at_us;
};

struct ad_statement {
    uint64_t pk;
    uint8_t api_id[16];
    uint8_t lead_provider_id[16];
    int cohort;
    int32_t deadline_date;
    int32_t payment_date;
    const char *state;
    int64_t created_at_us;
};

struct ad_teacher {
    uint64_t pk;
    uint8_t api_id[16];
    const char *full_name;
    const char *trn; /* NULL when none */
    uint8_t ect_training_record_id[16];
    uint8_t mentor_training_record_id[16];
    int64_t created_at_us;
    int64_t updated_at_us;
    /* TRS facts (migration 009), DB_NO_DAY when unknown; read by the loaders, written only by
     * db_ad_teacher_set_trs (db_ad_teacher_insert leaves them NULL). */
    int32_t trs_induction_start_date;
    int32_t trs_induction_completed_date;
    int32_t ect_became_ineligible_on;
};

struct ad_school_period {
    uint64_t pk;
    uint8_t api_id[16];
    uint64_t teacher_pk;
    uint8_t teacher_api_id[16];
    const char *role; /* "ect" | "mentor" */
    uint64_t school_pk;
    const char *school_urn;
    const char *email;
    int32_t started_on;
    int32_t finished_on;
    const char *working_pattern; /* NULL when none */
    int64_t created_at_us;
};

struct ad_training_period {
    uint64_t pk;
    uint8_t api_id[16];
    uint64_t school_period_pk;
    uint8_t school_period_api_id[16];
    uint64_t teacher_pk;
    uint8_t teacher_api_id[16];
    int provider_led;
    uint64_t partnership_pk;
    uint8_t partnership_api_id[16];
    uint8_t lead_provider_id[16];
    int cohort;
    unsigned schedule_id;
    const char *schedule_identifier;
    int32_t started_on;
    int32_t finished_on;
    int64_t created_at_us;
};

struct ad_mentorship {
    uint64_t pk;
    uint8_t api_id[16];
    uint64_t ect_school_period_pk;
    uint8_t ect_school_period_api_id[16];
    uint64_t mentor_school_period_pk;
    uint8_t mentor_school_period_api_id[16];
    int32_t started_on;
    int32_t finished_on;
    int64_t created_at_us;
};

struct ad_induction_period {
    uint64_t pk;
    uint8_t api_id[16];
    uint64_t teacher_pk;
    uint8_t teacher_api_id[16];
    int32_t started_on;
    int32_t finished_on;
    const char *outcome; /* NULL, "pass" or "fail" */
    int64_t created_at_us;
};

/* Reference checks: DB_OK when the row exists, DB_NOT_FOUND otherwise. */
int db_ad_lead_provider_exists(struct db *db, const uint8_t id[16]);
int db_ad_delivery_partner_exists(struct db *db, const uint8_t id[16]);

/* Inserts: DB_DUPLICATE on a unique key; sets pk where the row has one. */
int db_ad_delivery_partner_insert(struct db *db, const struct ad_delivery_partner *dp);
int db_ad_school_insert(struct db *db, struct ad_school *s);
int db_ad_school_get_by_urn(struct db *db, const char *urn, struct arena *a, struct ad_school *out);

int db_ad_cohort_get(struct db *db, int year, struct ad_cohort *out);
int db_ad_cohort_max_year(struct db *db, int *year);
/* Inserts the cohort, its 12 schedules and their milestones (the spec 3.4 rule for 2026
 * shifted to the cohort's year; schema/README.md). */
int db_ad_cohort_create(struct db *db, const struct ad_cohort *c);
int db_ad_cohort_update(struct db *db, const struct ad_cohort *c);
/* Every cohort and schedule, for the pure schedule rules. */
int db_ad_cohort_list(struct db *db, struct arena *a, struct schedule_cohort **out, size_t *n);
int db_ad_schedule_list(struct db *db, struct arena *a, struct schedule_def **out, size_t *n);

int db_ad_partnership_insert(struct db *db, struct ad_partnership *p, int64_t now_us);
int db_ad_partnership_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                                 struct ad_partnership *out);

int db_ad_statement_insert(struct db *db, struct ad_statement *s);

/* Teachers merged into another are not found. */
int db_ad_teacher_insert(struct db *db, struct ad_teacher *t);
int db_ad_teacher_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                             struct ad_teacher *out);
int db_ad_teacher_get(struct db *db, uint64_t pk, struct arena *a, struct ad_teacher *out);
/* Locks the teacher row (SELECT ... FOR UPDATE) so concurrent changes of one teacher queue. */
int db_ad_teacher_lock(struct db *db, uint64_t pk);
/* Name and TRN only; the caller moves updated_at (db_teacher_touch). */
int db_ad_teacher_update(struct db *db, uint64_t pk, const char *full_name, const char *trn);
/* The three TRS facts of struct ad_teacher (DB_NO_DAY = NULL); the caller moves updated_at. */
int db_ad_teacher_set_trs(struct db *db, uint64_t pk, int32_t induction_start,
                          int32_t induction_completed, int32_t ect_ineligible_on);

int db_ad_school_period_insert(struct db *db, struct ad_school_period *sp, int64_t now_us);
int db_ad_school_period_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                                   struct ad_school_period *out);
int db_ad_school_period_get(struct db *db, uint64_t pk, struct arena *a,
                            struct ad_school_period *out);
int db_ad_school_period_update(struct db *db, uint64_t pk, const char *email, int32_t finished_on,
                               int64_t now_us);

int db_ad_training_period_insert(struct db *db, struct ad_training_period *tp, int64_t now_us);
int db_ad_training_period_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                                     struct ad_training_period *out);
int db_ad_training_period_get(struct db *db, uint64_t pk, struct arena *a,
                              struct ad_training_period *out);
/* finished_on DB_NO_DAY = NULL; also moves updated_at and transfer_updated_at. */
int db_ad_training_period_finish(struct db *db, uint64_t pk, int32_t finished_on, int64_t now_us);
/* Sets a period's deferral or withdrawal (instant 0 and reason NULL = none); for demo data
 * (the provider API's defer/withdraw actions are the real writers). */
int db_ad_training_period_set_stop(struct db *db, uint64_t pk, int64_t deferred_at_us,
                                   const char *deferral_reason, int64_t withdrawn_at_us,
                                   const char *withdrawal_reason);
/* The teacher's most recent provider-led training period in `role` (greatest started_on, then
 * id): *found 0 when none, else its cohort and schedule id. */
int db_ad_training_period_previous(struct db *db, uint64_t teacher_pk, const char *role,
                                   struct arena *a, int *found, int *cohort, unsigned *schedule_id);

/* The facts of spec 3.3 step 5 for a new training period of mentor school period
 * `mentor_school_period_pk`: *out set to 1 when the mentor is not funding-ineligible and one
 * of their mentees is provider-led and has a non-voided ECT declaration dated inside a
 * mentorship with a different, earlier mentor (schedule_replacement_applies()). */
int db_ad_replacement_applies(struct db *db, uint64_t mentor_school_period_pk, int *out);

int db_ad_mentorship_insert(struct db *db, struct ad_mentorship *m, int64_t now_us);
int db_ad_mentorship_get(struct db *db, uint64_t pk, struct arena *a, struct ad_mentorship *out);

int db_ad_induction_period_insert(struct db *db, struct ad_induction_period *ip, int64_t now_us);

/* Moves the source's school periods, induction periods, declarations and ID-change rows to the
 * destination, records the ID change (changed_at = now), anonymises the source and points it
 * at the destination, deletes the source's metadata rows and writes a teacher.merged audit
 * event. DB_DUPLICATE when both hold a counting declaration of the same role and type. */
int db_ad_teacher_merge(struct db *db, const struct ad_teacher *from, const struct ad_teacher *to,
                        int64_t now_us, const char *token_jti, const char *actor,
                        const char *request_id);

#endif
