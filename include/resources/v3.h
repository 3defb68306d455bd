/* Lead Provider API v3 read-side handlers (scope lead_provider; the caller's provider is
 * req->who.lead_provider_id). */
#ifndef ECF_RESOURCES_V3_H
#define ECF_RESOURCES_V3_H

#include <stdint.h>
#include <json-c/json.h>

struct request;
struct db_participant_doc_row;

/* participants.c: GET /api/v3/participants, /api/v3/participants/{id} */
void participants_list(struct request *req);
void participants_get(struct request *req);
/* For write handlers: the participant (api_id) exactly as GET /participants/{id} shows it to
 * the caller's provider, loaded through the current connection (inside the caller's
 * transaction, after db_teacher_metadata_rebuild()), then answered 200 after the commit.
 * DB_OK, DB_NOT_FOUND or a db error. */
int participants_doc_load(struct request *req, const uint8_t api_id[16],
                          struct db_participant_doc_row *out);
void participants_doc_reply(struct request *req, const struct db_participant_doc_row *d);

/* participant_actions.c: PUT /api/v3/participants/{id}/defer, /withdraw, /resume,
 * /change-schedule (spec section 2) */
void participant_actions_defer(struct request *req);
void participant_actions_withdraw(struct request *req);
void participant_actions_resume(struct request *req);
void participant_actions_change_schedule(struct request *req);

/* unfunded_mentors.c: GET /api/v3/unfunded-mentors, /api/v3/unfunded-mentors/{id} */
void unfunded_mentors_list(struct request *req);
void unfunded_mentors_get(struct request *req);

/* transfers.c: GET /api/v3/participants/transfers, /api/v3/participants/{id}/transfers */
void transfers_list(struct request *req);
void transfers_get(struct request *req);

/* participants_json.c: rendering helpers shared by the modules above (json-c objects; NULL
 * is JSON null). */
json_object *v3_ts(int64_t us);     /* "YYYY-MM-DDTHH:MM:SSZ"; null for PARTICIPANT_NO_US */
json_object *v3_date(int32_t day);  /* "YYYY-MM-DD"; null for PARTICIPANT_NO_DAY */
json_object *v3_str(const char *s); /* null for NULL */
/* A resource object {"id", "type", "attributes"} (takes attributes). */
json_object *v3_resource(const char *id, const char *type, json_object *attributes);
/* Answers 200 {"data": data} (takes data). */
void v3_reply(struct request *req, json_object *data);
/* The {id} path parameter as 16 bytes; 0 ok, else answers 404 and returns -1. */
int v3_uuid_param_or_reply(struct request *req, uint8_t out[16]);

#endif
