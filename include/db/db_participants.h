/* Typed queries of the Lead Provider API v3 read side: participants (GET /participants),
 * unfunded mentors and the facts transfers are computed from. Every query is scoped to one
 * lead provider (16-byte id); visibility comes from teacher_lead_providers. Results live in
 * the caller's arena. Returns DB_OK, DB_NOT_FOUND (single lookups) or a db error. */
#ifndef ECF_DB_DB_PARTICIPANTS_H
#define ECF_DB_DB_PARTICIPANTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/participant_rules.h"
#include "http/pagination.h"

struct arena;
struct db;

/* The page of a provider's participants: filters of section 6. */
struct db_participant_filter {
    const uint8_t *lead_provider_id;
    const char *cohorts;         /* "2021,2022" (digits and commas only) or NULL: no filter */
    const char *training_status; /* "active" / "deferred" / "withdrawn" or NULL */
    int64_t teacher_id;          /* only this teacher (from_participant_id), 0: any */
    const struct pagination *page;
};

/* A participant as stored for the provider (include/db/db_participant_docs.h): the rendered
 * resource with markers, the slot lines, and the values the markers need that the document
 * does not own. */
struct db_participant_doc_row {
    int64_t teacher_id;
    int64_t updated_at_us; /* the API updated_at */
    const char *json;
    size_t json_len;
    const char *slots;
    int uplift_fees_enabled[2]; /* the cohort's switch, per role (by enum participant_role) */
};

/* One page of the provider's participants, in the requested order: one statement (a
 * covering-index range for the keys, then the page's rows). Known page boundaries are shared
 * by the workers, so a deep page seeks instead of skipping (see the memo in the .c file). */
int db_participant_doc_page(struct db *db, const struct db_participant_filter *f, struct arena *a,
                            struct db_participant_doc_row **out, size_t *n);
/* The participant with this api_id visible to the provider; DB_NOT_FOUND when unknown,
 * merged away or not visible. One statement. */
int db_participant_doc_get(struct db *db, const uint8_t lp[16], const uint8_t api_id[16],
                           struct arena *a, struct db_participant_doc_row *out);
/* Forgets the shared page boundaries: a participant list may have changed. Called by
 * db_teacher_metadata_rebuild() and db_teacher_touch(); nobody else needs to. */
void db_participant_lists_changed(void);

/* The teacher behind a participant id (api_id) visible to the provider: DB_NOT_FOUND when
 * unknown, merged away or not visible. */
int db_participant_find(struct db *db, const uint8_t lp[16], const uint8_t api_id[16],
                        int64_t *teacher_id);
/* The teacher that a retired participant id now belongs to (participant_id_changes),
 * visible to the provider; DB_NOT_FOUND otherwise. */
int db_participant_find_changed(struct db *db, const uint8_t lp[16], const uint8_t from[16],
                                int64_t *teacher_id);

struct db_participant_enrolment {
    int present;
    struct participant_period period; /* lead_provider_id = 1 (the caller) */
    const char *withdrawal_reason;    /* as stored (dashed) or NULL */
    const char *deferral_reason;
    int cohort;
    const char *schedule_identifier;
    char delivery_partner_id[37];
    const char *school_urn;
    const char *email;
    const char *working_pattern; /* NULL when not recorded */
    int pupil_premium_uplift;    /* the school's flags */
    int sparsity_uplift;
    int uplift_fees_enabled; /* the cohort's flag */
    int64_t created_at_us;   /* earliest school period of the role */
};

struct db_participant_id_change {
    char from[37];
    char to[37];
    int64_t changed_at_us;
};

struct db_participant_mentorship {
    struct participant_mentorship m; /* mentor_id = index into mentor_api_ids */
    char mentor_api_id[37];
};

/* Everything GET /participants renders for one teacher. */
struct db_participant {
    int64_t id;
    char api_id[37];
    const char *full_name;
    const char *trn; /* NULL when none */
    char training_record_id[PARTICIPANT_ROLE__MAX][37];
    struct participant_teacher facts;
    int64_t created_at_us;
    int64_t updated_at_us;
    struct db_participant_enrolment enrolment[PARTICIPANT_ROLE__MAX];
    struct participant_induction_period *inductions;
    size_t ninductions;
    struct db_participant_id_change *changes;
    size_t nchanges;
    struct db_participant_mentorship *mentorships; /* of the latest ECT period's school period */
    size_t nmentorships;
};

/* Loads the teachers ids[0..n) as the provider sees them, out[i] for ids[i]. */
int db_participant_load(struct db *db, const uint8_t lp[16], const int64_t *ids, size_t n,
                        struct arena *a, struct db_participant **out);

/* --- unfunded mentors (section 5) --- */

struct db_unfunded_mentor {
    char api_id[37];
    const char *full_name;
    const char *email;
    const char *trn;
    int64_t created_at_us;
    int64_t updated_at_us;
};

/* One page of the provider's unfunded mentors (page->sort and updated_since apply). */
int db_participant_unfunded_list(struct db *db, const uint8_t lp[16], const struct pagination *page,
                                 struct arena *a, struct db_unfunded_mentor **out, size_t *n);
/* The provider's unfunded mentor with this teacher api_id; DB_NOT_FOUND when not one. */
int db_participant_unfunded_get(struct db *db, const uint8_t lp[16], const uint8_t api_id[16],
                                struct arena *a, struct db_unfunded_mentor *out);

/* --- transfers (section 8.2) --- */

/* Teachers flagged involved_in_school_transfer for the provider, by teacher created_at, id;
 * with api_id set, only that teacher (visible to the provider). */
int db_participant_transfer_ids(struct db *db, const uint8_t lp[16], const uint8_t *api_id,
                                struct arena *a, int64_t **ids, size_t *n);

struct db_history_school_period {
    int64_t teacher_id;
    enum participant_role role;
    struct participant_school_period sp;
    const char *school_urn;
};
struct db_history_training_period {
    int64_t teacher_id;
    struct participant_period p; /* lead_provider_id: 1 + index into lead providers, 0 none */
    int64_t created_at_us;
    int64_t transfer_updated_at_us;
};
struct db_history_lead_provider {
    uint8_t id[16];
    const char *name;
};
struct db_history {
    struct db_history_school_period *sps; /* by teacher, role, started_on */
    size_t nsps;
    struct db_history_training_period *tps; /* by teacher, school period, started_on */
    size_t ntps;
    struct db_history_lead_provider *lps;
    size_t nlps;
};
/* School and training periods (any provider, school-led included) of teachers ids[0..n). */
int db_participant_history(struct db *db, const int64_t *ids, size_t n, struct arena *a,
                           struct db_history *out);

#endif
