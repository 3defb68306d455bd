/* Participant documents: the GET /api/v3/participants resource of one (teacher, lead provider)
 * rendered ahead of time into teacher_lead_providers.api_json / api_slots (migration 005;
 * markers and slot lines are described at the top of src/db/db_participant_docs.c). They are
 * stored by db_teacher_metadata_rebuild() in the transaction of every change to a teacher, so
 * nothing else needs to call these but readers and the jobs that fill rows written
 * set-based. */
#ifndef ECF_DB_DB_PARTICIPANT_DOCS_H
#define ECF_DB_DB_PARTICIPANT_DOCS_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct db;

struct db_participant_doc {
    const char *json; /* NULL when the teacher has no row with the provider */
    size_t json_len;
    const char *slots;
};

/* Renders the documents of teachers ids[0..n) as provider lp sees them now (out[i] for
 * ids[i]), in a's memory. Reads only. Returns a db_status. */
int db_participant_docs_render(struct db *db, const uint8_t lp[16], const int64_t *ids, size_t n,
                               struct arena *a, struct db_participant_doc **out);
/* Renders and stores them (inside the caller's transaction). */
int db_participant_docs_store(struct db *db, const uint8_t lp[16], const int64_t *ids, size_t n);
/* Stores every missing document (rows from before migration 005 or written set-based by a
 * seed), a batch per transaction; *stored counts them. Call outside a transaction. */
int db_participant_docs_fill_missing(struct db *db, size_t *stored);

#endif
