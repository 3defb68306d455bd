/* Building the answer. Handlers set a status and a json-c body (ownership passes to
 * the response); errors go through response_error*, which own the envelope shape. */
#ifndef ECF_HTTP_RESPONSE_H
#define ECF_HTTP_RESPONSE_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

struct request;

#define RESPONSE_MAX_HEADERS 8

struct response {
    int status;
    json_object *body;    /* owned; NULL = no body (204) */
    const char *raw_body; /* alternative to body: preformatted bytes (arena) */
    size_t raw_len;
    char *text_buffer; /* the last response_text_buffer(): RESPONSE_HEADROOM bytes before */
    const char *content_type;
    size_t nheaders;
    const char *header_names[RESPONSE_MAX_HEADERS];
    const char *header_values[RESPONSE_MAX_HEADERS];
    json_object *errors; /* array being filled by response_error_add */
};

const char *http_reason(int status);

/* Rendering of the API's time formats: "YYYY-MM-DDTHH:MM:SSZ" for an instant in
 * microseconds and "YYYY-MM-DD" for a day number; JSON null (NULL) when the value equals
 * `none`, the caller's marker for an absent value. */
json_object *response_json_ts(int64_t us, int64_t none);
json_object *response_json_date(int32_t day, int32_t none);
/* Answers a failed data access: 404 for DB_NOT_FOUND, else response_db_failure. */
void response_db_error(struct request *req, int db_status);

/* Sets status and body (takes ownership of body; NULL for none). */
void response_json(struct request *req, int status, json_object *body);
/* Sets status and a body of JSON text already rendered (`len` bytes in the request's arena,
 * or static): for bodies too large to build as a json-c tree first. */
void response_json_text(struct request *req, int status, const char *body, size_t len);
/* Room for such a body (cap bytes and a NUL) with the CGI headers' room before it, so that
 * response_serialize writes the headers in front instead of copying the body (a page of
 * 3000 participants is about 3 MiB). The memory is the worker's, kept for the next request:
 * valid until the next request. Calling it again in the same request grows it and keeps
 * what was written (like realloc): use the returned pointer from then on. */
#define RESPONSE_HEADROOM 1024
char *response_text_buffer(struct request *req, size_t cap);
/* A single-error answer {"errors":[{title,detail}]}. */
void response_error(struct request *req, int status, const char *title, const char *detail);
/* Accumulates 422-style entries; response_errors_send answers them all with status. */
void response_error_add(struct request *req, const char *title, const char *detail);
int response_has_errors(const struct request *req);
void response_errors_send(struct request *req, int status);
/* The 401 body {"error":"HTTP Token: Access denied"}. */
void response_unauthorized(struct request *req);
void response_not_found(struct request *req);
/* 400 "Correct json data structure required..." */
void response_bad_json(struct request *req);
/* 503 for a database that is unavailable, 500 otherwise. */
void response_db_failure(struct request *req, int db_status);
void response_header(struct request *req, const char *name, const char *value);

/* Serialises the answer into the arena: full CGI response (Status line, headers, body). */
const char *response_serialize(struct request *req, size_t *len);

#endif
