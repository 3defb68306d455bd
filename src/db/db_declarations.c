/* Declarations (see db_declarations.h). Statement table with `?` only; lists of ids travel as
 * one JSON array parameter read through JSON_TABLE. Visibility of another provider's
 * declarations in the list is the SQL form of decl_visible() (domain/declaration_rules.c). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_declarations.h"

#define GET_COLUMNS                                                                                \
    "SELECT d.id, d.api_id, t.api_id, d.declaration_type, d.course_identifier, "                   \
    "d.declaration_date, mt.api_id, d.state, d.updated_at, d.created_at, d.delivery_partner_id, "  \
    "st.api_id, cst.api_id, d.pupil_premium_uplift, d.sparsity_uplift, d.evidence_held, lp.name, " \
    "d.lead_provider_id, d.cohort, d.teacher_id, d.training_period_id, d.statement_id "
#define GET_JOINS                                                                                  \
    "JOIN teachers t ON t.id = d.teacher_id "                                                      \
    "JOIN lead_providers lp ON lp.id = d.lead_provider_id "                                        \
    "LEFT JOIN mentorships ms ON ms.id = d.mentorship_id "                                         \
    "LEFT JOIN school_periods msp ON msp.id = ms.mentor_school_period_id "                         \
    "LEFT JOIN teachers mt ON mt.id = msp.teacher_id "                                             \
    "LEFT JOIN statements st ON st.id = d.statement_id "                                           \
    "LEFT JOIN statements cst ON cst.id = d.clawback_statement_id "

#define GET_SELECT GET_COLUMNS "FROM declarations d " GET_JOINS

#define TEACHER_SELECT                                                                             \
    "SELECT id, ect_first_became_eligible_at IS NOT NULL, "                                        \
    "mentor_first_became_eligible_at IS NOT NULL, mentor_became_ineligible_on, "                   \
    "mentor_ineligible_reason FROM teachers "

#define JSON_IDS(x) "JSON_TABLE(?, '$[*]' COLUMNS (h CHAR(32) PATH '$')) " x
/* The list filters on declaration d. Parameters: updated_since, cohorts x2, participant ids
 * x2, delivery partner ids x2. */
#define FILTERS                                                                                    \
    " AND d.updated_at >= ? AND (? IS NULL OR FIND_IN_SET(d.cohort, ?) > 0)"                       \
    " AND (? IS NULL OR d.teacher_id IN (SELECT t.id FROM " JSON_IDS(                              \
        "j") " JOIN teachers t "                                                                   \
             "ON t.api_id = UNHEX(j.h)))"                                                          \
             " AND (? IS NULL OR d.delivery_partner_id IN (SELECT UNHEX(k.h) FROM " JSON_IDS(      \
                 "k") "))"

enum {
    Q_TEACHER_LOCK,
    Q_TEACHER_LOCK_PK,
    Q_PERIODS,
    Q_MILESTONE,
    Q_MILESTONE_MENTORSHIP,
    Q_COUNTING,
    Q_MENTORSHIP,
    Q_INSERT,
    Q_FLAG_OTHERS,
    Q_LATEST_COMPLETED,
    Q_SET_MENTOR_FUNDING,
    Q_FINISH_PERIOD,
    Q_COPY_PERIOD,
    Q_GET,
    Q_GET_BY_API,
    Q_LOAD,
    Q_VIEWER_PERIOD,
    Q_LOCK_FIND,
    Q_LOCK_OWN,
    Q_SET_STATE,
    Q_PAGE,
    Q__MAX
};

static struct db_stmt stmts[Q__MAX] = {
    [Q_TEACHER_LOCK] =
        DB_STMT(TEACHER_SELECT "WHERE api_id = ? AND merged_into_teacher_id IS NULL FOR UPDATE"),
    [Q_TEACHER_LOCK_PK] = DB_STMT(TEACHER_SELECT "WHERE id = ? FOR UPDATE"),
    [Q_PERIODS] = DB_STMT(
        "SELECT tp.id, sp.role, tp.school_period_id, tp.lead_provider_id, tp.started_on, "
        "tp.finished_on, tp.withdrawn_at, tp.deferred_at, tp.cohort, tp.schedule_id, "
        "tp.partnership_id, p.delivery_partner_id, s.pupil_premium_uplift, s.sparsity_uplift, "
        "c.payments_frozen_at, c.mentor_funding_enabled, c.detailed_evidence_types_enabled, "
        "c.uplift_fees_enabled, sp.finished_on FROM school_periods sp "
        "JOIN training_periods tp ON tp.school_period_id = sp.id "
        "JOIN schools s ON s.id = sp.school_id "
        "LEFT JOIN partnerships p ON p.id = tp.partnership_id "
        "LEFT JOIN cohorts c ON c.year = tp.cohort "
        "WHERE sp.teacher_id = ? ORDER BY tp.started_on, tp.id"),
    [Q_MILESTONE] = DB_STMT("SELECT start_date, milestone_date FROM milestones "
                            "WHERE schedule_id = ? AND declaration_type = ?"),
    /* Q_MILESTONE and Q_MENTORSHIP in one round trip: the milestone (found flag, start,
     * milestone date) and the closest mentorship of an ECT school period (NULL for none; pass
     * school period 0 for a mentor). Parameters: school period, day x3, schedule, type. */
    [Q_MILESTONE_MENTORSHIP] = DB_STMT(
        "SELECT m.schedule_id IS NOT NULL, m.start_date, m.milestone_date, (SELECT ms.id FROM "
        "mentorships ms WHERE ms.ect_school_period_id = ? ORDER BY CASE "
        "WHEN ms.finished_on IS NULL THEN ABS(DATEDIFF(ms.started_on, ?)) "
        "ELSE LEAST(ABS(DATEDIFF(ms.started_on, ?)), ABS(DATEDIFF(ms.finished_on, ?))) END, "
        "ms.id LIMIT 1) FROM (SELECT 1 AS one) x LEFT JOIN milestones m "
        "ON m.schedule_id = ? AND m.declaration_type = ?"),
    [Q_COUNTING] = DB_STMT("SELECT id, declaration_type, declaration_date, lead_provider_id = ?, "
                           "evidence_held_sent_sha256 FROM declarations "
                           "WHERE teacher_id = ? AND course_identifier = ? AND counting = 1 "
                           "ORDER BY id FOR UPDATE"),
    [Q_MENTORSHIP] = DB_STMT(
        "SELECT id FROM mentorships WHERE ect_school_period_id = ? ORDER BY CASE "
        "WHEN finished_on IS NULL THEN ABS(DATEDIFF(started_on, ?)) "
        "ELSE LEAST(ABS(DATEDIFF(started_on, ?)), ABS(DATEDIFF(finished_on, ?))) END, id LIMIT 1"),
    [Q_INSERT] = DB_STMT(
        "INSERT INTO declarations (api_id, teacher_id, training_period_id, lead_provider_id, "
        "cohort, course_identifier, declaration_type, declaration_date, evidence_held, "
        "evidence_held_sent_sha256, state, statement_id, pupil_premium_uplift, sparsity_uplift, "
        "mentorship_id, delivery_partner_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
    [Q_FLAG_OTHERS] = DB_STMT("UPDATE teacher_lead_providers SET other_lp_declarations = 1 "
                              "WHERE teacher_id = ? AND lead_provider_id <> ? "
                              "AND other_lp_declarations = 0"),
    [Q_LATEST_COMPLETED] = DB_STMT(
        "SELECT DATE(declaration_date) FROM declarations WHERE teacher_id = ? "
        "AND course_identifier = 'ecf-mentor' AND declaration_type = 'completed' AND counting = 1 "
        "ORDER BY declaration_date DESC, id DESC LIMIT 1"),
    [Q_SET_MENTOR_FUNDING] = DB_STMT("UPDATE teachers SET mentor_became_ineligible_on = ?, "
                                     "mentor_ineligible_reason = ? WHERE id = ?"),
    [Q_FINISH_PERIOD] = DB_STMT("UPDATE training_periods SET finished_on = ?, updated_at = ?, "
                                "transfer_updated_at = ? WHERE id = ?"),
    [Q_COPY_PERIOD] = DB_STMT(
        "INSERT INTO training_periods (api_id, school_period_id, partnership_id, "
        "lead_provider_id, cohort, schedule_id, started_on, finished_on, transfer_updated_at, "
        "created_at, updated_at) SELECT ?, school_period_id, partnership_id, lead_provider_id, "
        "cohort, schedule_id, ?, ?, ?, ?, ? FROM training_periods WHERE id = ?"),
    [Q_GET] = DB_STMT(GET_SELECT "WHERE d.id = ?"),
    [Q_GET_BY_API] = DB_STMT(GET_SELECT "WHERE d.api_id = ?"),
    [Q_LOAD] =
        DB_STMT(GET_COLUMNS "FROM JSON_TABLE(?, '$[*]' COLUMNS (ord FOR ORDINALITY, "
                            "tid BIGINT UNSIGNED PATH '$')) ids "
                            "JOIN declarations d ON d.id = ids.tid " GET_JOINS "ORDER BY ids.ord"),
    [Q_VIEWER_PERIOD] =
        DB_STMT("SELECT xtp.finished_on FROM teacher_lead_providers m "
                "JOIN training_periods xtp ON xtp.id = IF(? = 'ecf-induction', "
                "m.latest_ect_training_period_id, m.latest_mentor_training_period_id) "
                "WHERE m.teacher_id = ? AND m.lead_provider_id = ?"),
    [Q_LOCK_FIND] = DB_STMT(
        "SELECT id, teacher_id FROM declarations WHERE api_id = ? AND lead_provider_id = ?"),
    [Q_LOCK_OWN] = DB_STMT("SELECT id FROM declarations WHERE id = ? FOR UPDATE"),
    [Q_SET_STATE] = DB_STMT("UPDATE declarations SET state = ?, clawback_statement_id = "
                            "IF(? = 0, clawback_statement_id, ?), updated_at = ? WHERE id = ?"),
    /* Own declarations (ix_declarations_lp_created, in order), plus other providers' that
     * still count on teachers flagged other_lp_declarations, dated on or before the end of the
     * viewer's latest period of the same role; each branch stops after offset + per_page rows,
     * the merge keeps the page. Parameters: lp, FILTERS, limit; lp, lp, FILTERS, limit;
     * per_page, offset. */
    [Q_PAGE] = DB_STMT(
        "SELECT x.id FROM ((SELECT d.id, d.created_at FROM declarations d "
        "WHERE d.lead_provider_id = ?" FILTERS " ORDER BY d.created_at, d.id LIMIT ?) "
        "UNION ALL (SELECT d.id, d.created_at FROM teacher_lead_providers f "
        "JOIN declarations d ON d.teacher_id = f.teacher_id "
        "AND d.lead_provider_id <> f.lead_provider_id AND d.counting = 1 "
        "JOIN teacher_lead_providers m ON m.teacher_id = d.teacher_id AND m.lead_provider_id = ? "
        "JOIN training_periods xtp ON xtp.id = IF(d.course_identifier = 'ecf-induction', "
        "m.latest_ect_training_period_id, m.latest_mentor_training_period_id) "
        "WHERE f.lead_provider_id = ? AND f.other_lp_declarations = 1 "
        "AND (xtp.finished_on IS NULL OR DATE(d.declaration_date) <= xtp.finished_on)" FILTERS
        " ORDER BY d.created_at, d.id LIMIT ?)) x ORDER BY x.created_at, x.id LIMIT ? OFFSET ?"),
};

static int32_t day_or_none(const struct db_rows *r, size_t row, size_t col)
{
    return db_cell(r, row, col) ? db_cell_day(r, row, col, DECL_NO_DAY) : DECL_NO_DAY;
}

static int64_t ts_or_none(const struct db_rows *r, size_t row, size_t col)
{
    return db_cell(r, row, col) ? db_cell_ts(r, row, col, DECL_NO_US) : DECL_NO_US;
}

static struct db_val day_val(struct arena *a, int32_t day)
{
    if (day == DECL_NO_DAY)
        return DB_NULLV;
    char *s = arena_alloc(a, CLOCK_DATE_LEN);
    clock_format_date(day, s);
    return DB_STR(s);
}

static struct db_val ts_val(struct arena *a, int64_t us)
{
    char *s = arena_alloc(a, 27);
    clock_format_sql_datetime(us, s);
    return DB_STR(s);
}

static int teacher_lock(struct db *db, int idx, struct db_val key, struct arena *a,
                        struct db_decl_teacher *out)
{
    struct db_rows rows;
    int rc = db_query(db, &stmts[idx], &key, 1, a, &rows);
    if (rc)
        return rc;
    if (!rows.nrows)
        return DB_NOT_FOUND;
    out->pk = db_cell_i64(&rows, 0, 0, 0);
    out->ect_eligible = db_cell_i64(&rows, 0, 1, 0) != 0;
    out->mentor_eligible = db_cell_i64(&rows, 0, 2, 0) != 0;
    out->mentor_ineligible_on = day_or_none(&rows, 0, 3);
    out->mentor_ineligible_reason = db_cell(&rows, 0, 4);
    return DB_OK;
}

int db_decl_teacher_lock(struct db *db, const uint8_t api_id[16], struct arena *a,
                         struct db_decl_teacher *out)
{
    return teacher_lock(db, Q_TEACHER_LOCK, DB_BIN(api_id, 16), a, out);
}

int db_decl_teacher_lock_pk(struct db *db, int64_t pk, struct arena *a, struct db_decl_teacher *out)
{
    return teacher_lock(db, Q_TEACHER_LOCK_PK, DB_I64(pk), a, out);
}

int db_decl_periods(struct db *db, int64_t teacher_pk, const uint8_t lp[16], struct arena *a,
                    struct db_decl_period **out, size_t *n)
{
    struct db_rows r;
    struct db_val key = DB_I64(teacher_pk);
    int rc = db_query(db, &stmts[Q_PERIODS], &key, 1, a, &r);
    if (rc)
        return rc;
    struct db_decl_period *ps = arena_calloc(a, r.nrows + 1, sizeof(*ps));
    for (size_t i = 0; i < r.nrows; i++) {
        struct db_decl_period *p = &ps[i];
        const char *role = db_cell(&r, i, 1);
        const char *plp = db_cell(&r, i, 3);
        p->period.id = db_cell_i64(&r, i, 0, 0);
        p->period.role = role && !strcmp(role, "mentor") ? PARTICIPANT_MENTOR : PARTICIPANT_ECT;
        p->period.school_period_id = db_cell_i64(&r, i, 2, 0);
        p->period.lead_provider_id =
            !plp ? 0 : (db_cell_len(&r, i, 3) == 16 && !memcmp(plp, lp, 16) ? 1 : 2);
        p->period.started_on = db_cell_day(&r, i, 4, DECL_NO_DAY);
        p->period.finished_on = day_or_none(&r, i, 5);
        p->period.withdrawn_at = ts_or_none(&r, i, 6);
        p->period.deferred_at = ts_or_none(&r, i, 7);
        p->cohort = (int)db_cell_i64(&r, i, 8, 0);
        p->schedule_id = db_cell_i64(&r, i, 9, 0);
        p->partnership_id = db_cell_i64(&r, i, 10, 0);
        db_cell_bin16(&r, i, 11, p->delivery_partner_id);
        p->school_pp = db_cell_i64(&r, i, 12, 0) != 0;
        p->school_sparsity = db_cell_i64(&r, i, 13, 0) != 0;
        p->payments_frozen_at = ts_or_none(&r, i, 14);
        p->mentor_funding_enabled = db_cell_i64(&r, i, 15, 0) != 0;
        p->detailed_evidence = db_cell_i64(&r, i, 16, 0) != 0;
        p->uplift_fees_enabled = db_cell_i64(&r, i, 17, 0) != 0;
        p->school_period_finished_on = day_or_none(&r, i, 18);
    }
    *out = ps;
    *n = r.nrows;
    return DB_OK;
}

int db_decl_milestone(struct db *db, int64_t schedule_id, const char *type, int32_t *start,
                      int32_t *end)
{
    struct arena *a = arena_new(512);
    struct db_rows r;
    struct db_val params[] = {DB_I64(schedule_id), DB_STR(type)};
    int rc = db_query(db, &stmts[Q_MILESTONE], params, 2, a, &r);
    if (!rc && !r.nrows)
        rc = DB_NOT_FOUND;
    if (!rc) {
        *start = db_cell_day(&r, 0, 0, DECL_NO_DAY);
        *end = day_or_none(&r, 0, 1);
    }
    arena_free(a);
    return rc;
}

int db_decl_milestone_mentorship(struct db *db, int64_t schedule_id, const char *type,
                                 int64_t school_period_id, int32_t day, int32_t *start,
                                 int32_t *end, int64_t *mentorship_id)
{
    struct arena *a = arena_new(512);
    struct db_rows r;
    struct db_val d = day_val(a, day);
    struct db_val params[] = {DB_I64(school_period_id), d, d, d, DB_I64(schedule_id), DB_STR(type)};
    int rc = db_query(db, &stmts[Q_MILESTONE_MENTORSHIP], params, 6, a, &r);
    if (!rc && r.nrows != 1)
        rc = DB_ERROR;
    if (!rc) {
        *mentorship_id = db_cell_i64(&r, 0, 3, 0);
        if (db_cell_i64(&r, 0, 0, 0)) {
            *start = db_cell_day(&r, 0, 1, DECL_NO_DAY);
            *end = day_or_none(&r, 0, 2);
        } else {
            rc = DB_NOT_FOUND;
        }
    }
    arena_free(a);
    return rc;
}

int db_decl_counting_list(struct db *db, int64_t teacher_pk, const char *course,
                          const uint8_t lp[16], struct arena *a, struct db_decl_counting **out,
                          size_t *n)
{
    struct db_rows r;
    struct db_val params[] = {DB_BIN(lp, 16), DB_I64(teacher_pk), DB_STR(course)};
    int rc = db_query(db, &stmts[Q_COUNTING], params, 3, a, &r);
    if (rc)
        return rc;
    struct db_decl_counting *cs = arena_calloc(a, r.nrows + 1, sizeof(*cs));
    for (size_t i = 0; i < r.nrows; i++) {
        cs[i].id = db_cell_i64(&r, i, 0, 0);
        if (schedule_declaration_parse(db_cell(&r, i, 1), &cs[i].type))
            cs[i].type = SCHEDULE_DECL_STARTED;
        cs[i].date_us = db_cell_ts(&r, i, 2, 0);
        cs[i].own = db_cell_i64(&r, i, 3, 0) != 0;
        if (db_cell(&r, i, 4) && db_cell_len(&r, i, 4) == 32) {
            cs[i].has_sha = 1;
            memcpy(cs[i].sha, db_cell(&r, i, 4), 32);
        }
    }
    *out = cs;
    *n = r.nrows;
    return DB_OK;
}

int db_decl_closest_mentorship(struct db *db, int64_t school_period_id, int32_t day,
                               int64_t *mentorship_id)
{
    struct arena *a = arena_new(512);
    struct db_rows r;
    struct db_val d = day_val(a, day);
    struct db_val params[] = {DB_I64(school_period_id), d, d, d};
    int rc = db_query(db, &stmts[Q_MENTORSHIP], params, 4, a, &r);
    if (!rc)
        *mentorship_id = r.nrows ? db_cell_i64(&r, 0, 0, 0) : 0;
    arena_free(a);
    return rc;
}

static struct db_val id_or_null(int64_t id)
{
    return id > 0 ? DB_I64(id) : DB_NULLV;
}

int db_decl_insert(struct db *db, const struct db_decl_new *d, int64_t *id)
{
    struct arena *a = arena_new(1024);
    uint8_t api_id[16];
    ids_uuid_v4(api_id);
    struct db_val now = ts_val(a, d->now_us);
    struct db_val params[] = {DB_BIN(api_id, 16),
                              DB_I64(d->teacher_pk),
                              DB_I64(d->training_period_id),
                              DB_BIN(d->lead_provider_id, 16),
                              DB_I64(d->cohort),
                              DB_STR(d->course),
                              DB_STR(d->type),
                              ts_val(a, d->date_us),
                              DB_STR_OR_NULL(d->evidence),
                              d->sent_sha ? DB_BIN(d->sent_sha, 32) : DB_NULLV,
                              DB_STR(d->state),
                              id_or_null(d->statement_id),
                              DB_I64(d->pp),
                              DB_I64(d->sparsity),
                              id_or_null(d->mentorship_id),
                              DB_BIN(d->delivery_partner_id, 16),
                              now,
                              now};
    int rc = db_exec(db, &stmts[Q_INSERT], params, sizeof(params) / sizeof(params[0]), NULL);
    if (!rc)
        *id = (int64_t)db_last_insert_id(db);
    arena_free(a);
    return rc;
}

int db_decl_flag_other_providers(struct db *db, int64_t teacher_pk, const uint8_t lp[16])
{
    struct db_val params[] = {DB_I64(teacher_pk), DB_BIN(lp, 16)};
    return db_exec(db, &stmts[Q_FLAG_OTHERS], params, 2, NULL);
}

int db_decl_latest_completed_mentor(struct db *db, int64_t teacher_pk, int32_t *day)
{
    struct arena *a = arena_new(512);
    struct db_rows r;
    struct db_val key = DB_I64(teacher_pk);
    int rc = db_query(db, &stmts[Q_LATEST_COMPLETED], &key, 1, a, &r);
    if (!rc && !r.nrows)
        rc = DB_NOT_FOUND;
    if (!rc)
        *day = db_cell_day(&r, 0, 0, DECL_NO_DAY);
    arena_free(a);
    return rc;
}

int db_decl_set_mentor_funding(struct db *db, int64_t teacher_pk, int32_t ineligible_on,
                               const char *reason)
{
    struct arena *a = arena_new(256);
    struct db_val params[] = {day_val(a, ineligible_on), DB_STR_OR_NULL(reason),
                              DB_I64(teacher_pk)};
    int rc = db_exec(db, &stmts[Q_SET_MENTOR_FUNDING], params, 3, NULL);
    arena_free(a);
    return rc;
}

int db_decl_finish_period(struct db *db, int64_t training_period_id, int32_t finished_on,
                          int64_t now_us)
{
    struct arena *a = arena_new(256);
    struct db_val now = ts_val(a, now_us);
    struct db_val params[] = {day_val(a, finished_on), now, now, DB_I64(training_period_id)};
    int rc = db_exec(db, &stmts[Q_FINISH_PERIOD], params, 4, NULL);
    arena_free(a);
    return rc;
}

int db_decl_copy_period(struct db *db, int64_t from_training_period_id, int32_t started_on,
                        int32_t finished_on, int64_t now_us)
{
    struct arena *a = arena_new(256);
    uint8_t api_id[16];
    ids_uuid_v4(api_id);
    struct db_val now = ts_val(a, now_us);
    struct db_val params[] = {DB_BIN(api_id, 16),
                              day_val(a, started_on),
                              day_val(a, finished_on),
                              now,
                              now,
                              now,
                              DB_I64(from_training_period_id)};
    int rc = db_exec(db, &stmts[Q_COPY_PERIOD], params, 7, NULL);
    arena_free(a);
    return rc;
}

static void uuid_or_empty(const struct db_rows *r, size_t row, size_t col, char out[37])
{
    if (db_cell_uuid(r, row, col, out))
        out[0] = '\0';
}

static void row_to(const struct db_rows *r, size_t i, struct db_declaration *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_cell_i64(r, i, 0, 0);
    uuid_or_empty(r, i, 1, o->api_id);
    uuid_or_empty(r, i, 2, o->participant_id);
    o->type = db_cell(r, i, 3);
    o->course = db_cell(r, i, 4);
    o->date_us = db_cell_ts(r, i, 5, 0);
    uuid_or_empty(r, i, 6, o->mentor_id);
    if (decl_state_parse(db_cell(r, i, 7), &o->state))
        o->state = DECL_SUBMITTED;
    o->updated_at_us = db_cell_ts(r, i, 8, 0);
    o->created_at_us = db_cell_ts(r, i, 9, 0);
    uuid_or_empty(r, i, 10, o->delivery_partner_id);
    uuid_or_empty(r, i, 11, o->statement_id);
    uuid_or_empty(r, i, 12, o->clawback_statement_id);
    o->pp = db_cell_i64(r, i, 13, 0) != 0;
    o->sparsity = db_cell_i64(r, i, 14, 0) != 0;
    o->evidence = db_cell(r, i, 15);
    o->lead_provider_name = db_cell(r, i, 16);
    db_cell_bin16(r, i, 17, o->lead_provider_id);
    o->cohort = (int)db_cell_i64(r, i, 18, 0);
    o->teacher_pk = db_cell_i64(r, i, 19, 0);
    o->training_period_id = db_cell_i64(r, i, 20, 0);
    o->statement_pk = db_cell_i64(r, i, 21, 0);
}

static int get(struct db *db, int idx, struct db_val key, struct arena *a, struct db_declaration *o)
{
    struct db_rows r;
    int rc = db_query(db, &stmts[idx], &key, 1, a, &r);
    if (rc)
        return rc;
    if (!r.nrows)
        return DB_NOT_FOUND;
    row_to(&r, 0, o);
    return DB_OK;
}

int db_decl_load(struct db *db, const int64_t *ids, size_t n, struct arena *a,
                 struct db_declaration **out, size_t *nout)
{
    size_t cap = 3 + n * 21, o = 0;
    char *list = arena_alloc(a, cap);
    list[o++] = '[';
    for (size_t i = 0; i < n; i++)
        o += (size_t)xsnprintf(list + o, cap - o, "%s%lld", i ? "," : "", (long long)ids[i]);
    list[o++] = ']';
    list[o] = '\0';
    struct db_val key = DB_STR(list);
    struct db_rows r;
    int rc = db_query(db, &stmts[Q_LOAD], &key, 1, a, &r);
    if (rc)
        return rc;
    *out = arena_calloc(a, r.nrows + 1, sizeof(**out));
    for (size_t i = 0; i < r.nrows; i++)
        row_to(&r, i, &(*out)[i]);
    *nout = r.nrows;
    return DB_OK;
}

int db_decl_get(struct db *db, int64_t id, struct arena *a, struct db_declaration *out)
{
    return get(db, Q_GET, DB_I64(id), a, out);
}

int db_decl_get_by_api(struct db *db, const uint8_t api_id[16], struct arena *a,
                       struct db_declaration *out)
{
    return get(db, Q_GET_BY_API, DB_BIN(api_id, 16), a, out);
}

int db_decl_viewer_period(struct db *db, int64_t teacher_pk, const uint8_t lp[16],
                          const char *course, int *has, int32_t *finished_on)
{
    struct arena *a = arena_new(512);
    struct db_rows r;
    struct db_val params[] = {DB_STR(course), DB_I64(teacher_pk), DB_BIN(lp, 16)};
    int rc = db_query(db, &stmts[Q_VIEWER_PERIOD], params, 3, a, &r);
    if (!rc) {
        *has = r.nrows > 0;
        *finished_on = r.nrows ? day_or_none(&r, 0, 0) : DECL_NO_DAY;
    }
    arena_free(a);
    return rc;
}

int db_decl_lock_own(struct db *db, const uint8_t api_id[16], const uint8_t lp[16], int64_t *id,
                     int64_t *teacher_pk)
{
    struct arena *a = arena_new(512);
    struct db_rows r;
    struct db_val params[] = {DB_BIN(api_id, 16), DB_BIN(lp, 16)};
    int rc = db_query(db, &stmts[Q_LOCK_FIND], params, 2, a, &r);
    if (!rc && !r.nrows)
        rc = DB_NOT_FOUND;
    if (!rc) {
        *id = db_cell_i64(&r, 0, 0, 0);
        *teacher_pk = db_cell_i64(&r, 0, 1, 0);
    }
    arena_free(a);
    return rc;
}

int db_decl_lock(struct db *db, int64_t id)
{
    struct arena *a = arena_new(256);
    struct db_val key = DB_I64(id);
    struct db_rows r;
    int rc = db_query(db, &stmts[Q_LOCK_OWN], &key, 1, a, &r);
    if (!rc && !r.nrows)
        rc = DB_NOT_FOUND;
    arena_free(a);
    return rc;
}

int db_decl_set_state(struct db *db, int64_t id, const char *state, int64_t clawback_statement_id,
                      int64_t now_us)
{
    struct arena *a = arena_new(256);
    struct db_val params[] = {DB_STR(state), DB_I64(clawback_statement_id),
                              id_or_null(clawback_statement_id), ts_val(a, now_us), DB_I64(id)};
    int rc = db_exec(db, &stmts[Q_SET_STATE], params, 5, NULL);
    arena_free(a);
    return rc;
}

int db_decl_page(struct db *db, const struct db_decl_filter *f, struct arena *a, int64_t **ids,
                 size_t *n)
{
    const struct pagination *pg = f->page;
    struct db_val lp = DB_BIN(f->lead_provider_id, 16);
    struct db_val since =
        pg->has_updated_since ? ts_val(a, pg->updated_since_us) : DB_STR("1000-01-01 00:00:00");
    int64_t upto = pg->offset + pg->per_page; /* offset is saturated well below INT64_MAX */
#define FILTER_VALUES                                                                              \
    since, DB_STR_OR_NULL(f->cohorts), DB_STR_OR_NULL(f->cohorts),                                 \
        DB_STR_OR_NULL(f->participant_ids), DB_STR_OR_NULL(f->participant_ids),                    \
        DB_STR_OR_NULL(f->delivery_partner_ids), DB_STR_OR_NULL(f->delivery_partner_ids)
    struct db_val params[] = {
        lp,           FILTER_VALUES,        DB_I64(upto),      lp, lp, FILTER_VALUES,
        DB_I64(upto), DB_I64(pg->per_page), DB_I64(pg->offset)};
#undef FILTER_VALUES
    struct db_rows r;
    int rc = db_query(db, &stmts[Q_PAGE], params, sizeof(params) / sizeof(params[0]), a, &r);
    if (rc)
        return rc;
    *ids = arena_calloc(a, r.nrows + 1, sizeof(**ids));
    for (size_t i = 0; i < r.nrows; i++)
        (*ids)[i] = db_cell_i64(&r, i, 0, 0);
    *n = r.nrows;
    return DB_OK;
}
