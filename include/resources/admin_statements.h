/* Admin API output statements (/api/admin/v1/statements): read, list and advance them
 * (spec 4.6, decisions 7 and 13), and the funding-eligibility trigger the admin data
 * handlers call when a teacher's facts change. */
#ifndef ECF_RESOURCES_ADMIN_STATEMENTS_H
#define ECF_RESOURCES_ADMIN_STATEMENTS_H

#include <stdint.h>

#include "domain/statement_rules.h"

struct request;

void admin_statements_list(struct request *req);
void admin_statements_get(struct request *req);
void admin_statements_update(struct request *req);

/* Funding eligibility (spec 4.6, first trigger), inside the caller's transaction with the
 * teacher row locked (statement_funding_check): when teacher `teacher_pk` becomes
 * funding-eligible for `role` now, stamps *_first_became_eligible_at, moves the teacher's API
 * updated_at and writes a participant.funding_eligible audit event; when it is eligible (now
 * or before), moves every `submitted` declaration of the role to `eligible` on its provider's
 * next open statement for its cohort, each with an audit event. 0 when done (or nothing to
 * do); otherwise the transaction is rolled back, the request answered (409 when a provider
 * has no open statement, else the database failure) and -1 returned. */
int admin_statements_funding_eligibility(struct request *req, uint64_t teacher_pk,
                                         enum statement_role role);

#endif
