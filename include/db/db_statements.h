/* Output statements as the write side needs them (declarations, voids, clawbacks and
 * funding eligibility). The admin API's statement handlers add their queries here. */
#ifndef ECF_DB_DB_STATEMENTS_H
#define ECF_DB_DB_STATEMENTS_H

#include <stdint.h>

struct db;

/* The lead provider's next open output statement for a cohort: state `open`, deadline on
 * or after `today` (days since the epoch), earliest deadline first (then lowest id).
 * DB_OK with *statement_id set, DB_NOT_FOUND when there is none, or another db_status.
 * Inside a transaction the row is read with a shared lock, so an admin cannot move it to
 * payable between the check and the declaration that points at it. */
int db_statement_next_open(struct db *db, const uint8_t lead_provider_id[16], int cohort,
                           int32_t today, int64_t *statement_id);

#endif
