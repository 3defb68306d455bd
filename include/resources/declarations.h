/* Lead Provider API v3 declarations (scope lead_provider; the caller's provider is
 * req->who.lead_provider_id). */
#ifndef ECF_RESOURCES_DECLARATIONS_H
#define ECF_RESOURCES_DECLARATIONS_H

struct request;

/* POST /api/v3/participant-declarations */
void declarations_create(struct request *req);
/* GET /api/v3/participant-declarations */
void declarations_list(struct request *req);
/* GET /api/v3/participant-declarations/{id} */
void declarations_get(struct request *req);
/* PUT /api/v3/participant-declarations/{id}/void */
void declarations_void(struct request *req);

#endif
