/* The audit trail of participant actions, declaration changes and statement changes
 * (table audit_events). Write the event in the transaction that makes the change. */
#ifndef ECF_DB_DB_AUDIT_H
#define ECF_DB_DB_AUDIT_H

#include <stdint.h>

struct db;

/* Zero/NULL members are stored as SQL NULL (ids are positive). token_jti or actor must be
 * set (a request's token, or the CLI/admin actor). details is JSON text or NULL. */
struct audit_event {
    int64_t occurred_at_us;
    const char *event; /* e.g. "participant.deferred", "declaration.voided" */
    const char *token_jti;
    const char *actor;
    const char *request_id;
    int64_t teacher_id;
    int64_t training_period_id;
    int64_t declaration_id;
    int64_t statement_id;
    const char *status_before;
    const char *status_after;
    const char *details;
};

/* DB_OK or another db_status. */
int db_audit_insert(struct db *db, const struct audit_event *e);

#endif
