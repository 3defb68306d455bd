/* Participant documents (include/db/db_participant_docs.h): the GET /participants resource of
 * one (teacher, lead provider), rendered once when the row is rebuilt and stored in
 * teacher_lead_providers.api_json, with markers where a value is not the row's to fix:
 *
 *   0x01 'U'        updated_at (teachers.updated_at moves without a rebuild: db_teacher_touch)
 *   0x01 'S' role   participant_status (1.4: depends on the day)
 *   0x01 'M' '0'    the ECT's mentor_id (1.5: the current-or-future mentorship of the day)
 *   0x01 'P' role   pupil_premium_uplift  (the cohort's uplift_fees_enabled is admin-editable)
 *   0x01 'Q' role   sparsity_uplift
 *
 * json-c escapes every control character inside strings, so a raw 0x01 byte can only be a
 * marker. `api_slots` (ASCII lines) holds what the markers are computed from:
 *
 *   R role started_on finished_on training_status completed_on pupil_premium sparsity
 *   M started_on finished_on mentor_api_id          (the ECT's mentorships, in pick order)
 *
 * Days are day numbers (PARTICIPANT_NO_DAY for none). The enrolment facts are the latest
 * period's (db_participant_load); the field order and every value are those of RECT's
 * serializer (spec 1.5), as the resource module rendered them before. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_participant_docs.h"
#include "db/db_participants.h"
#include "domain/participant_rules.h"

/* Rows per transaction: one UPDATE of at most this many documents per provider. */
#define FILL_BATCH 2000

enum { D_STORE, D_STORE_MANY, D_MISSING, D__MAX };

static struct db_stmt stmts[D__MAX] = {
    [D_STORE] = DB_STMT("UPDATE teacher_lead_providers SET api_json = ?, api_slots = ? "
                        "WHERE teacher_id = ? AND lead_provider_id = ?"),
    /* Many rows of one provider in one statement: a JSON array of [teacher id, api_json,
     * api_slots] (the markers' 0x01 bytes travel as \u0001 and come back as the byte). */
    [D_STORE_MANY] = DB_STMT(
        "UPDATE teacher_lead_providers m JOIN JSON_TABLE(?, '$[*]' COLUMNS ("
        "tid BIGINT UNSIGNED PATH '$[0]', "
        "j MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[1]', "
        "s TEXT CHARACTER SET ascii COLLATE ascii_bin PATH '$[2]')) d ON m.teacher_id = d.tid "
        "SET m.api_json = d.j, m.api_slots = d.s WHERE m.lead_provider_id = ?"),
    /* Walks the primary key from a cursor: one pass over the table however many batches. */
    [D_MISSING] = DB_STMT("SELECT teacher_id, lead_provider_id FROM teacher_lead_providers "
                          "WHERE teacher_id >= ? AND (teacher_id > ? OR lead_provider_id > ?) "
                          "AND api_slots IS NULL "
                          "ORDER BY teacher_id, lead_provider_id LIMIT ?"),
};

/* ---- markers ---- */

static int marker_serialize(struct json_object *jso, struct printbuf *pb, int level, int flags)
{
    (void)level;
    (void)flags;
    const char *m = json_object_get_userdata(jso);
    return printbuf_memappend(pb, m, (int)strlen(m));
}

/* A value that serialises as the marker text `m` (static storage). */
static json_object *marker(const char *m)
{
    json_object *o = json_object_new_boolean(0);
    json_object_set_serializer(o, marker_serialize, (void *)(uintptr_t)m, NULL);
    return o;
}

static const char *const status_marker[PARTICIPANT_ROLE__MAX] = {"\001S0", "\001S1"};
static const char *const pupil_marker[PARTICIPANT_ROLE__MAX] = {"\001P0", "\001P1"};
static const char *const sparsity_marker[PARTICIPANT_ROLE__MAX] = {"\001Q0", "\001Q1"};

/* ---- values ---- */

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *ts_or_null(int64_t us)
{
    char buf[CLOCK_TS_LEN];
    if (us == PARTICIPANT_NO_US)
        return NULL;
    clock_format_ts(us, buf);
    return json_object_new_string(buf);
}

static json_object *date_or_null(int32_t day)
{
    char buf[CLOCK_DATE_LEN];
    if (day == PARTICIPANT_NO_DAY)
        return NULL;
    clock_format_date(day, buf);
    return json_object_new_string(buf);
}

/* {reason, date} with the reason in its dashed API form. */
static json_object *action_detail(const char *api_reason, int64_t at)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "reason", str_or_null(api_reason));
    json_object_object_add(o, "date", ts_or_null(at));
    return o;
}

/* Stored dashed; an underscored legacy value is mapped; anything else is "other". */
static const char *withdrawal_reason(const char *stored)
{
    enum participant_withdrawal_reason r;
    if (!participant_withdrawal_reason_parse(stored, &r) ||
        !participant_withdrawal_reason_from_stored(stored, &r))
        return participant_withdrawal_reason_name(r);
    return "other";
}

static const char *deferral_reason(const char *stored)
{
    enum participant_deferral_reason r;
    if (!participant_deferral_reason_parse(stored, &r) ||
        !participant_deferral_reason_from_stored(stored, &r))
        return participant_deferral_reason_name(r);
    return "other";
}

static json_object *render_enrolment(const struct db_participant *t, enum participant_role role)
{
    const struct db_participant_enrolment *e = &t->enrolment[role];
    struct participant_enrolment_fields f;
    char cohort[16];
    participant_enrolment_fields_of(&t->facts, t->inductions, t->ninductions, role, &f);
    enum participant_training_status ts = participant_training_status_of(&e->period);
    xsnprintf(cohort, sizeof(cohort), "%d", e->cohort);

    json_object *o = json_object_new_object();
    json_object_object_add(o, "training_record_id",
                           json_object_new_string(t->training_record_id[role]));
    json_object_object_add(o, "email", json_object_new_string(e->email));
    json_object_object_add(o, "mentor_id", role == PARTICIPANT_ECT ? marker("\001M0") : NULL);
    json_object_object_add(o, "school_urn", json_object_new_string(e->school_urn));
    json_object_object_add(o, "participant_type",
                           json_object_new_string(participant_type_name(role)));
    json_object_object_add(o, "cohort", json_object_new_string(cohort));
    json_object_object_add(o, "training_status",
                           json_object_new_string(participant_training_status_name(ts)));
    json_object_object_add(o, "participant_status", marker(status_marker[role]));
    json_object_object_add(
        o, "eligible_for_funding",
        f.eligible_for_funding == PARTICIPANT_NULL
            ? NULL
            : json_object_new_boolean(f.eligible_for_funding == PARTICIPANT_TRUE));
    json_object_object_add(o, "pupil_premium_uplift", marker(pupil_marker[role]));
    json_object_object_add(o, "sparsity_uplift", marker(sparsity_marker[role]));
    json_object_object_add(o, "schedule_identifier",
                           json_object_new_string(e->schedule_identifier));
    json_object_object_add(o, "delivery_partner_id",
                           json_object_new_string(e->delivery_partner_id));
    json_object_object_add(
        o, "withdrawal",
        ts == PARTICIPANT_TRAINING_WITHDRAWN
            ? action_detail(withdrawal_reason(e->withdrawal_reason), e->period.withdrawn_at)
            : NULL);
    json_object_object_add(
        o, "deferral",
        ts == PARTICIPANT_TRAINING_DEFERRED
            ? action_detail(deferral_reason(e->deferral_reason), e->period.deferred_at)
            : NULL);
    json_object_object_add(o, "created_at", ts_or_null(e->created_at_us));
    json_object_object_add(o, "induction_end_date", date_or_null(f.induction_end_date));
    json_object_object_add(o, "most_recent_induction_period_end_date",
                           date_or_null(f.most_recent_induction_period_end_date));
    json_object_object_add(o, "overall_induction_start_date",
                           date_or_null(f.overall_induction_start_date));
    json_object_object_add(o, "mentor_funding_end_date", date_or_null(f.mentor_funding_end_date));
    json_object_object_add(o, "cohort_changed_after_payments_frozen",
                           json_object_new_boolean(f.cohort_changed_after_payments_frozen));
    json_object_object_add(o, "mentor_ineligible_for_funding_reason",
                           str_or_null(participant_mentor_reason_name(f.mentor_ineligible_reason)));
    json_object_object_add(o, "working_pattern",
                           role == PARTICIPANT_ECT ? str_or_null(e->working_pattern) : NULL);
    return o;
}

static json_object *render(const struct db_participant *t)
{
    json_object *enrolments = json_object_new_array();
    for (int role = 0; role < PARTICIPANT_ROLE__MAX; role++)
        if (t->enrolment[role].present)
            json_object_array_add(enrolments, render_enrolment(t, (enum participant_role)role));
    json_object *changes = json_object_new_array();
    for (size_t i = 0; i < t->nchanges; i++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "from_participant_id",
                               json_object_new_string(t->changes[i].from));
        json_object_object_add(c, "to_participant_id", json_object_new_string(t->changes[i].to));
        json_object_object_add(c, "changed_at", ts_or_null(t->changes[i].changed_at_us));
        json_object_array_add(changes, c);
    }
    json_object *attrs = json_object_new_object();
    json_object_object_add(attrs, "full_name", json_object_new_string(t->full_name));
    json_object_object_add(attrs, "teacher_reference_number", str_or_null(t->trn));
    json_object_object_add(attrs, "updated_at", marker("\001U"));
    json_object_object_add(attrs, "ecf_enrolments", enrolments);
    json_object_object_add(attrs, "participant_id_changes", changes);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(t->api_id));
    json_object_object_add(o, "type", json_object_new_string("participant"));
    json_object_object_add(o, "attributes", attrs);
    return o;
}

/* The slot lines of t (see the top of this file). */
static char *render_slots(struct arena *a, const struct db_participant *t)
{
    size_t cap = 2 * 96 + t->nmentorships * 80 + 1, o = 0;
    char *s = arena_alloc(a, cap);
    s[0] = '\0';
    for (int role = 0; role < PARTICIPANT_ROLE__MAX; role++) {
        const struct db_participant_enrolment *e = &t->enrolment[role];
        if (!e->present)
            continue;
        int32_t done = participant_completed_on(&t->facts, t->inductions, t->ninductions,
                                                (enum participant_role)role);
        o +=
            (size_t)xsnprintf(s + o, cap - o, "R %d %" PRId32 " %" PRId32 " %d %" PRId32 " %d %d\n",
                              role, e->period.started_on, e->period.finished_on,
                              (int)participant_training_status_of(&e->period), done,
                              e->pupil_premium_uplift != 0, e->sparsity_uplift != 0);
    }
    if (t->enrolment[PARTICIPANT_ECT].present)
        for (size_t i = 0; i < t->nmentorships; i++)
            o += (size_t)xsnprintf(s + o, cap - o, "M %" PRId32 " %" PRId32 " %s\n",
                                   t->mentorships[i].m.started_on, t->mentorships[i].m.finished_on,
                                   t->mentorships[i].mentor_api_id);
    return s;
}

int db_participant_docs_render(struct db *db, const uint8_t lp[16], const int64_t *ids, size_t n,
                               struct arena *a, struct db_participant_doc **out)
{
    struct db_participant *ts;
    struct db_participant_doc *docs = arena_calloc(a, n + 1, sizeof(*docs));
    int rc = db_participant_load(db, lp, ids, n, a, &ts);
    *out = docs;
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (!ts[i].id || (!ts[i].enrolment[0].present && !ts[i].enrolment[1].present))
            continue; /* no such row (any more): docs[i].json stays NULL */
        json_object *o = render(&ts[i]);
        size_t len;
        const char *s = json_object_to_json_string_length(
            o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
        docs[i].json = arena_strndup(a, s, len);
        docs[i].json_len = len;
        json_object_put(o);
        docs[i].slots = render_slots(a, &ts[i]);
    }
    return DB_OK;
}

/* The rendered documents of ids[] in one statement (several rows) or one UPDATE each. */
static int store_docs(struct db *db, const uint8_t lp[16], const int64_t *ids,
                      const struct db_participant_doc *docs, size_t n)
{
    int rc = DB_OK;
    if (n <= 1) {
        for (size_t i = 0; rc == DB_OK && i < n; i++) {
            if (!docs[i].json)
                continue;
            struct db_val p[] = {DB_STRN(docs[i].json, docs[i].json_len), DB_STR(docs[i].slots),
                                 DB_I64(ids[i]), DB_BIN(lp, 16)};
            rc = db_exec(db, &stmts[D_STORE], p, 4, NULL);
        }
        return rc;
    }
    json_object *all = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++) {
        if (!docs[i].json)
            continue;
        json_object *row = json_object_new_array_ext(3);
        json_object_array_add(row, json_object_new_int64(ids[i]));
        json_object_array_add(row, json_object_new_string_len(docs[i].json, (int)docs[i].json_len));
        json_object_array_add(row, json_object_new_string(docs[i].slots));
        json_object_array_add(all, row);
    }
    if (json_object_array_length(all) > 0) {
        size_t len;
        const char *text = json_object_to_json_string_length(
            all, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
        struct db_val p[] = {DB_STRN(text, len), DB_BIN(lp, 16)};
        rc = db_exec(db, &stmts[D_STORE_MANY], p, 2, NULL);
    }
    json_object_put(all);
    return rc;
}

int db_participant_docs_store(struct db *db, const uint8_t lp[16], const int64_t *ids, size_t n)
{
    struct arena *a = arena_new(16384);
    struct db_participant_doc *docs;
    int rc = db_participant_docs_render(db, lp, ids, n, a, &docs);
    if (rc == DB_OK)
        rc = store_docs(db, lp, ids, docs, n);
    arena_free(a);
    return rc;
}

struct missing_row {
    uint8_t lp[16];
    int64_t id;
};

static int cmp_missing(const void *x, const void *y)
{
    const struct missing_row *a = x, *b = y;
    int c = memcmp(a->lp, b->lp, 16);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* One batch of rows (any providers), stored by provider group in one transaction. */
static int fill_batch(struct db *db, struct missing_row *rows, size_t n, struct arena *a)
{
    int64_t *ids = arena_calloc(a, n + 1, sizeof(int64_t));
    qsort(rows, n, sizeof(*rows), cmp_missing);
    int rc = db_begin(db);
    for (size_t i = 0; rc == DB_OK && i < n;) {
        size_t k = 0, j = i;
        while (j < n && !memcmp(rows[j].lp, rows[i].lp, 16))
            ids[k++] = rows[j++].id;
        rc = db_participant_docs_store(db, rows[i].lp, ids, k);
        i = j;
    }
    if (rc == DB_OK)
        return db_commit(db);
    db_rollback(db);
    return rc;
}

int db_participant_docs_fill_missing(struct db *db, size_t *stored)
{
    int64_t after = 0;
    uint8_t after_lp[16] = {0};
    int rc = DB_OK;
    *stored = 0;
    for (;;) {
        struct arena *a = arena_new(16384);
        struct db_rows r;
        struct db_val p[] = {DB_I64(after), DB_I64(after), DB_BIN(after_lp, 16),
                             DB_I64(FILL_BATCH)};
        rc = db_query(db, &stmts[D_MISSING], p, 4, a, &r);
        size_t nrows = rc == DB_OK ? r.nrows : 0;
        struct missing_row *rows = arena_calloc(a, nrows + 1, sizeof(*rows));
        for (size_t i = 0; i < nrows; i++) {
            rows[i].id = db_cell_i64(&r, i, 0, 0);
            db_cell_bin16(&r, i, 1, rows[i].lp);
        }
        if (nrows) {
            after = rows[nrows - 1].id; /* the cursor, before fill_batch sorts the rows */
            memcpy(after_lp, rows[nrows - 1].lp, 16);
            if ((rc = fill_batch(db, rows, nrows, a)) == DB_OK)
                *stored += nrows;
        }
        arena_free(a);
        if (rc != DB_OK || nrows < FILL_BATCH)
            break;
    }
    return rc;
}
