/* Admin data API handlers (/api/admin/v1): the facts the school-facing service, appropriate
 * bodies and finance send us. Each takes a request that passed the dispatcher's checks. */
#ifndef ECF_RESOURCES_ADMIN_DATA_H
#define ECF_RESOURCES_ADMIN_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

struct request;
struct field_value;

void admin_data_delivery_partners_create(struct request *req);
void admin_data_schools_create(struct request *req);
void admin_data_cohorts_put(struct request *req);
void admin_data_partnerships_create(struct request *req);
void admin_data_statements_create(struct request *req);
void admin_data_teachers_create(struct request *req);
void admin_data_teachers_update(struct request *req);
void admin_data_teachers_merge(struct request *req);
void admin_data_school_periods_create(struct request *req);
void admin_data_school_periods_update(struct request *req);
void admin_data_training_periods_create(struct request *req);
void admin_data_training_periods_update(struct request *req);
void admin_data_mentorships_create(struct request *req);
void admin_data_induction_periods_create(struct request *req);

/* Helpers shared by the admin data handlers (src/resources/admin_data*.c) only. */

/* JSON values: a UUID string; a date or null (DB_NO_DAY); a timestamp or null (0). */
json_object *ad_json_uuid(const uint8_t id[16]);
json_object *ad_json_date(int32_t day);
json_object *ad_json_ts(int64_t us);
/* 422 entries: a present string that is not a UUID (else fills out); text of 1..max chars. */
void ad_uuid_field(struct request *req, const struct field_value *v, const char *name,
                   uint8_t out[16]);
void ad_text_field(struct request *req, const struct field_value *v, const char *name, size_t max);
/* 1 when s is exactly n ASCII digits. */
int ad_digits(const char *s, size_t n);
/* Sends the accumulated 422 entries; 1 when it did. */
int ad_send_422(struct request *req);
/* A UUID path parameter; answers 404 and returns -1 when it is not one. */
int ad_path_uuid(struct request *req, const char *name, uint8_t out[16]);
/* Rolls back and answers: 404 for DB_NOT_FOUND, 409 (title, detail) for DB_DUPLICATE when a
 * title is given, else the database failure. */
void ad_fail(struct request *req, int rc, const char *conflict_title, const char *conflict_detail);
/* Commits; on failure rolls back, answers and returns -1. */
int ad_commit(struct request *req);

#endif
