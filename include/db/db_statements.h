/* Output statements: the provider's next open statement (declarations, voids, clawbacks and
 * funding eligibility), and the admin API's reads and state changes with the declaration
 * moves they make (spec 4.6). None of these begins or commits a transaction. UUIDs are 16
 * bytes; dates are days since the epoch; instants are microseconds. Return values are
 * db_status codes. */
#ifndef ECF_DB_DB_STATEMENTS_H
#define ECF_DB_DB_STATEMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/statement_rules.h"

struct db;
struct arena;

/* The lead provider's next open output statement for a cohort: state `open`, deadline on
 * or after `today` (days since the epoch), earliest deadline first (then lowest id).
 * DB_OK with *statement_id set, DB_NOT_FOUND when there is none, or another db_status.
 * Inside a transaction the row is read with a shared lock, so an admin cannot move it to
 * payable between the check and the declaration that points at it. */
int db_statement_next_open(struct db *db, const uint8_t lead_provider_id[16], int cohort,
                           int32_t today, int64_t *statement_id);

struct db_statement {
    uint64_t pk;
    uint8_t api_id[16];
    uint8_t lead_provider_id[16];
    int cohort;
    int32_t deadline_date;
    int32_t payment_date;
    enum statement_state state;
    int64_t created_at_us;
    int64_t updated_at_us;
};

/* One statement by its UUID; with `for_update` the row is locked (SELECT ... FOR UPDATE) so
 * concurrent state changes of one statement queue. DB_NOT_FOUND when there is none. */
int db_statement_get_by_api(struct db *db, const uint8_t api_id[16], int for_update,
                            struct db_statement *out);

/* Filters of the admin list: NULL / 0 / -1 = any. */
struct db_statement_filter {
    const uint8_t *lead_provider_id; /* 16 bytes or NULL */
    int cohort;                      /* 0 = any */
    int state;                       /* enum statement_state, or -1 = any */
};

/* Statements matching f, ordered by deadline_date then id, into arena memory. */
int db_statement_list(struct db *db, const struct db_statement_filter *f, struct arena *a,
                      struct db_statement **out, size_t *n);

/* Sets state and updated_at. */
int db_statement_set_state(struct db *db, uint64_t pk, enum statement_state state, int64_t now_us);

/* A declaration as the statement and eligibility changes need it (for audit events). */
struct db_statement_declaration {
    uint64_t pk;
    uint64_t teacher_pk;
    uint64_t training_period_pk;
    uint8_t lead_provider_id[16];
    int cohort;
};

/* The declarations linked to statement `statement_pk` by `link` in state `state`, locked
 * (FOR UPDATE), in id order. */
int db_statement_declarations_locked(struct db *db, uint64_t statement_pk, enum statement_link link,
                                     const char *state, struct arena *a,
                                     struct db_statement_declaration **out, size_t *n);

/* Moves declaration `pk` from state `from` to `to` and its updated_at (the API's) to now.
 * DB_NOT_FOUND when it was not in `from`. */
int db_statement_declaration_move(struct db *db, uint64_t pk, const char *from, const char *to,
                                  int64_t now_us);

/* The funding-eligibility facts of a teacher (statement_rules.h); inductions in arena
 * memory. Call with the teacher row locked. */
int db_statement_funding_facts(struct db *db, uint64_t teacher_pk, struct arena *a,
                               struct statement_funding_facts *out);

/* Stamps {ect|mentor}_first_became_eligible_at = now when still NULL. */
int db_statement_set_first_eligible(struct db *db, uint64_t teacher_pk, enum statement_role role,
                                    int64_t now_us);

/* The teacher's declarations of the role's course in state `submitted`, locked, in id order. */
int db_statement_submitted_declarations(struct db *db, uint64_t teacher_pk,
                                        enum statement_role role, struct arena *a,
                                        struct db_statement_declaration **out, size_t *n);

/* submitted -> eligible on statement `statement_pk`, updated_at = now. DB_NOT_FOUND when the
 * declaration was no longer submitted. */
int db_statement_declaration_attach(struct db *db, uint64_t pk, uint64_t statement_pk,
                                    int64_t now_us);

#endif
