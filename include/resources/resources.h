/* Handlers, one module per resource. Each takes a request that passed the dispatcher's
 * checks and sets its answer. */
#ifndef ECF_RESOURCES_RESOURCES_H
#define ECF_RESOURCES_RESOURCES_H

struct request;

/* health.c */
void health_get(struct request *req);

/* mentors.c: Mentor Status Service v1 */
void mentors_list(struct request *req);
void mentors_get(struct request *req);
void mentors_create(struct request *req);
void mentors_update(struct request *req);
void mentors_delete(struct request *req);
void mentors_pause(struct request *req);
void mentors_reactivate(struct request *req);
void mentors_eligibility(struct request *req);

/* admin_tokens.c */
void admin_tokens_create(struct request *req);
void admin_tokens_list(struct request *req);
void admin_tokens_revoke(struct request *req);
void admin_lead_providers_create(struct request *req);

/* admin_chapters.c */
void admin_chapters_create(struct request *req);
void admin_chapters_list(struct request *req);

#endif
