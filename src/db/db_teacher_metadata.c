/* teacher_lead_providers rebuild and the teacher's API updated_at
 * (include/db/db_teacher_metadata.h). The choices of "latest", "assigned mentor" and
 * "transfer" are the pure rules of domain/participant_rules.h; this file only loads the
 * teacher's rows, calls them per lead provider and writes the result. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_participant_docs.h"
#include "db/db_participants.h"
#include "db/db_teacher_metadata.h"
#include "domain/participant_rules.h"

enum { MD_LOAD, MD_UPSERT, MD_DELETE, MD_TOUCH, MD_TOUCH_UNFUNDED, MD_MERGED_MENTEES, MD__MAX };

static struct db_stmt stmts[MD__MAX] = {
    /* Everything the rebuild reads, in one round trip: one UNION ALL branch per kind of row
     * (column 0, enum md_kind), sorted by kind and then by the branch's own order (columns 1-3:
     * role, day, id). Columns 4.. are the branch's values (MD_COL); a column mixing types comes
     * back as text, which the db_cell_* readers parse as they would the original column.
     * Parameters: the teacher id, eight times. */
    [MD_LOAD] = DB_STMT(
        "SELECT 0 AS k, '' AS o_role, NULL AS o_day, 0 AS o_id, created_at, updated_at, NULL, "
        "NULL, NULL, NULL, NULL, NULL, NULL FROM teachers WHERE id = ? "
        "UNION ALL SELECT 1, role, started_on, id, id, role, school_id, started_on, finished_on, "
        "NULL, NULL, NULL, NULL FROM school_periods WHERE teacher_id = ? "
        "UNION ALL SELECT 2, '', NULL, tp.id, tp.id, sp.role, tp.school_period_id, "
        "tp.lead_provider_id, tp.cohort, tp.started_on, tp.finished_on, tp.withdrawn_at, "
        "tp.deferred_at FROM training_periods tp JOIN school_periods sp "
        "ON sp.id = tp.school_period_id WHERE sp.teacher_id = ? "
        "UNION ALL SELECT 3, '', NULL, m.id, m.ect_school_period_id, m.mentor_school_period_id, "
        "m.started_on, m.finished_on, NULL, NULL, NULL, NULL, NULL FROM mentorships m "
        "JOIN school_periods sp ON sp.id = m.ect_school_period_id WHERE sp.teacher_id = ? "
        "UNION ALL SELECT 4, '', NULL, 0, started_on, finished_on, outcome IS NOT NULL, NULL, "
        "NULL, NULL, NULL, NULL, NULL FROM induction_periods WHERE teacher_id = ? "
        "UNION ALL (SELECT DISTINCT 5, '', NULL, 0, lead_provider_id, NULL, NULL, NULL, NULL, "
        "NULL, NULL, NULL, NULL FROM declarations WHERE teacher_id = ?) "
        "UNION ALL SELECT 6, '', NULL, 0, lead_provider_id, ect_assigned_mentor_school_period_id, "
        "NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM teacher_lead_providers WHERE teacher_id = ? "
        "UNION ALL (SELECT 7, '', NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
        "FROM participant_id_changes WHERE teacher_id = ? LIMIT 1) "
        "ORDER BY k, o_role, o_day, o_id"),
    [MD_UPSERT] = DB_STMT(
        "INSERT INTO teacher_lead_providers (teacher_id, lead_provider_id, "
        "latest_ect_training_period_id, latest_ect_cohort, latest_mentor_training_period_id, "
        "latest_mentor_cohort, ect_assigned_mentor_school_period_id, teacher_created_at, "
        "teacher_updated_at, involved_in_school_transfer, other_lp_declarations) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
        "latest_ect_training_period_id = VALUES(latest_ect_training_period_id), "
        "latest_ect_cohort = VALUES(latest_ect_cohort), "
        "latest_mentor_training_period_id = VALUES(latest_mentor_training_period_id), "
        "latest_mentor_cohort = VALUES(latest_mentor_cohort), "
        "ect_assigned_mentor_school_period_id = VALUES(ect_assigned_mentor_school_period_id), "
        "teacher_created_at = VALUES(teacher_created_at), "
        "teacher_updated_at = VALUES(teacher_updated_at), "
        "involved_in_school_transfer = VALUES(involved_in_school_transfer), "
        "other_lp_declarations = GREATEST(other_lp_declarations, VALUES(other_lp_declarations))"),
    [MD_DELETE] =
        DB_STMT("DELETE FROM teacher_lead_providers WHERE teacher_id = ? AND lead_provider_id = ?"),
    [MD_TOUCH] = DB_STMT("UPDATE teachers t LEFT JOIN teacher_lead_providers m "
                         "ON m.teacher_id = t.id SET t.updated_at = ?, m.teacher_updated_at = ? "
                         "WHERE t.id = ?"),
    [MD_TOUCH_UNFUNDED] =
        DB_STMT("UPDATE teachers t LEFT JOIN teacher_lead_providers m ON m.teacher_id = t.id "
                "SET t.updated_at = ?, m.teacher_updated_at = ?, t.unfunded_mentor_updated_at = ? "
                "WHERE t.id = ?"),
    /* The rows of ECTs mentored in this teacher's mentor school periods, when some of those
     * may have moved here in a merge (the teacher has an id change): their documents show
     * the mentor's participant id. */
    [MD_MERGED_MENTEES] = DB_STMT(
        "SELECT DISTINCT m.teacher_id, m.lead_provider_id FROM school_periods msp "
        "JOIN mentorships ms ON ms.mentor_school_period_id = msp.id "
        "JOIN school_periods esp ON esp.id = ms.ect_school_period_id "
        "JOIN teacher_lead_providers m ON m.teacher_id = esp.teacher_id "
        "WHERE msp.teacher_id = ? AND msp.role = 'mentor' AND esp.teacher_id <> msp.teacher_id "
        "AND EXISTS (SELECT 1 FROM participant_id_changes c WHERE c.teacher_id = msp.teacher_id)"),
};

/* The kinds of rows of MD_LOAD, in its order. */
enum md_kind {
    K_TEACHER,        /* created_at, updated_at */
    K_SCHOOL,         /* id, role, school_id, started_on, finished_on */
    K_TRAINING,       /* id, role, school_period_id, lead_provider_id, cohort, started_on,
                         finished_on, withdrawn_at, deferred_at */
    K_MENTORSHIP,     /* ect_school_period_id, mentor_school_period_id, started_on, finished_on */
    K_INDUCTION,      /* started_on, finished_on, has an outcome (0/1) */
    K_DECLARATION_LP, /* lead_provider_id (distinct) */
    K_EXISTING,       /* lead_provider_id, ect_assigned_mentor_school_period_id */
    K_ID_CHANGED,     /* one row when the teacher has a participant id change (a merge) */
    K__MAX
};
#define MD_COL 4 /* the first value column of MD_LOAD */

/* The rows of one kind: rows [first, first + nrows) of the loaded result. */
struct md_view {
    const struct db_rows *r;
    size_t first, nrows;
};

static const char *v_cell(const struct md_view *v, size_t i, size_t col)
{
    return db_cell(v->r, v->first + i, MD_COL + col);
}

static size_t v_len(const struct md_view *v, size_t i, size_t col)
{
    return db_cell_len(v->r, v->first + i, MD_COL + col);
}

static int64_t v_i64(const struct md_view *v, size_t i, size_t col, int64_t if_null)
{
    return db_cell_i64(v->r, v->first + i, MD_COL + col, if_null);
}

static int32_t v_day(const struct md_view *v, size_t i, size_t col)
{
    return db_cell_day(v->r, v->first + i, MD_COL + col, PARTICIPANT_NO_DAY);
}

static int64_t v_ts(const struct md_view *v, size_t i, size_t col)
{
    return db_cell_ts(v->r, v->first + i, MD_COL + col, PARTICIPANT_NO_US);
}

/* Splits the sorted result into its kinds. */
static void md_split(const struct db_rows *r, struct md_view views[K__MAX])
{
    size_t i = 0;
    for (int k = 0; k < K__MAX; k++) {
        views[k].r = r;
        views[k].first = i;
        while (i < r->nrows && db_cell_i64(r, i, 0, -1) == k)
            i++;
        views[k].nrows = i - views[k].first;
    }
}

int db_teacher_touch(struct db *db, uint64_t teacher_pk, int64_t now_us, int unfunded)
{
    char ts[27];
    uint64_t affected = 0;
    clock_format_sql_datetime(now_us, ts);
    int rc;
    if (unfunded) {
        struct db_val p[] = {DB_STR(ts), DB_STR(ts), DB_STR(ts), DB_I64(teacher_pk)};
        rc = db_exec(db, &stmts[MD_TOUCH_UNFUNDED], p, 4, &affected);
    } else {
        struct db_val p[] = {DB_STR(ts), DB_STR(ts), DB_I64(teacher_pk)};
        rc = db_exec(db, &stmts[MD_TOUCH], p, 3, &affected);
    }
    (void)affected; /* an unchanged row (same instant) still exists */
    db_participant_lists_changed();
    return rc;
}

/* Lead providers are UUIDs; the pure rules want small integer keys: index + 1 in `lps`. */
struct lp_set {
    size_t n;
    const char **ids; /* 16 bytes each, arena */
};

static int64_t lp_key(struct lp_set *s, const char *bin, size_t len, struct arena *a, size_t cap)
{
    if (!bin || len != 16)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (memcmp(s->ids[i], bin, 16) == 0)
            return (int64_t)i + 1;
    if (s->n == cap)
        return 0;
    char *copy = arena_alloc(a, 16);
    memcpy(copy, bin, 16);
    s->ids[s->n++] = copy;
    return (int64_t)s->n;
}

static int lp_index(const struct lp_set *s, const char *bin, size_t len)
{
    if (!bin || len != 16)
        return -1;
    for (size_t i = 0; i < s->n; i++)
        if (memcmp(s->ids[i], bin, 16) == 0)
            return (int)i;
    return -1;
}

/* Transfers of one role visible to lp (8.2): the school periods of the role in start order
 * and every training period of them. */
static int has_transfer(const struct participant_school_period *sps_all, const char *const *roles,
                        size_t nsp, const struct participant_period *tps, size_t ntp,
                        enum participant_role role, int64_t lp, int induction_completed,
                        int32_t today, struct arena *a)
{
    struct participant_school_period *sps = arena_calloc(a, nsp + 1, sizeof(*sps));
    size_t k = 0;
    for (size_t i = 0; i < nsp; i++)
        if (strcmp(roles[i], participant_type_name(role)) == 0)
            sps[k++] = sps_all[i];
    struct participant_transfer one;
    return participant_transfers(sps, k, tps, ntp, lp, induction_completed, today, &one, 1) > 0;
}

int db_teacher_metadata_rebuild_ex(struct db *db, uint64_t teacher_pk, int64_t now_us,
                                   int *assigned_mentor_changed)
{
    struct arena *a = arena_new(16384);
    struct db_rows all;
    struct md_view views[K__MAX];
    struct db_val key[] = {DB_I64(teacher_pk)};
    struct db_val keys[] = {key[0], key[0], key[0], key[0], key[0], key[0], key[0], key[0]};
    int32_t today = clock_day_of(now_us);
    int rc;
    if (assigned_mentor_changed)
        *assigned_mentor_changed = 0;
    if ((rc = db_query(db, &stmts[MD_LOAD], keys, 8, a, &all)))
        goto out;
    md_split(&all, views);
    const struct md_view *t = &views[K_TEACHER], *sp = &views[K_SCHOOL], *tp = &views[K_TRAINING],
                         *ms = &views[K_MENTORSHIP], *ip = &views[K_INDUCTION],
                         *dl = &views[K_DECLARATION_LP], *ex = &views[K_EXISTING];
    if (t->nrows != 1) {
        rc = DB_NOT_FOUND;
        goto out;
    }

    /* Every provider the teacher has a period with, has had a row with, or has declarations
     * with. */
    size_t cap = tp->nrows + ex->nrows + dl->nrows + 1;
    struct lp_set lps = {0, arena_calloc(a, cap, sizeof(char *))};

    struct participant_period *periods = arena_calloc(a, tp->nrows + 1, sizeof(*periods));
    int *cohorts = arena_calloc(a, tp->nrows + 1, sizeof(int));
    for (size_t i = 0; i < tp->nrows; i++) {
        struct participant_period *p = &periods[i];
        p->id = v_i64(tp, i, 0, 0);
        p->role = strcmp(v_cell(tp, i, 1), "mentor") == 0 ? PARTICIPANT_MENTOR : PARTICIPANT_ECT;
        p->school_period_id = v_i64(tp, i, 2, 0);
        p->lead_provider_id = lp_key(&lps, v_cell(tp, i, 3), v_len(tp, i, 3), a, cap);
        cohorts[i] = (int)v_i64(tp, i, 4, 0);
        p->started_on = v_day(tp, i, 5);
        p->finished_on = v_day(tp, i, 6);
        p->withdrawn_at = v_ts(tp, i, 7);
        p->deferred_at = v_ts(tp, i, 8);
    }
    size_t with_periods = lps.n; /* providers 1..with_periods have a provider-led period */
    for (size_t i = 0; i < ex->nrows; i++)
        lp_key(&lps, v_cell(ex, i, 0), v_len(ex, i, 0), a, cap);

    struct participant_school_period *sps = arena_calloc(a, sp->nrows + 1, sizeof(*sps));
    const char **roles = arena_calloc(a, sp->nrows + 1, sizeof(char *));
    for (size_t i = 0; i < sp->nrows; i++) {
        sps[i].id = v_i64(sp, i, 0, 0);
        roles[i] = v_cell(sp, i, 1);
        sps[i].school_id = v_i64(sp, i, 2, 0);
        sps[i].started_on = v_day(sp, i, 3);
        sps[i].finished_on = v_day(sp, i, 4);
    }

    struct participant_mentorship *mss = arena_calloc(a, ms->nrows + 1, sizeof(*mss));
    for (size_t i = 0; i < ms->nrows; i++) {
        mss[i].school_period_id = v_i64(ms, i, 0, 0);
        mss[i].mentor_id = v_i64(ms, i, 1, 0); /* the mentor school period */
        mss[i].started_on = v_day(ms, i, 2);
        mss[i].finished_on = v_day(ms, i, 3);
    }

    struct participant_induction_period *ips = arena_calloc(a, ip->nrows + 1, sizeof(*ips));
    for (size_t i = 0; i < ip->nrows; i++) {
        ips[i].started_on = v_day(ip, i, 0);
        ips[i].finished_on = v_day(ip, i, 1);
        ips[i].has_outcome = v_i64(ip, i, 2, 0) != 0;
    }
    int induction_completed =
        participant_induction_end_date(ips, ip->nrows, PARTICIPANT_NO_DAY) != PARTICIPANT_NO_DAY;

    const char *created_at = v_cell(t, 0, 0), *updated_at = v_cell(t, 0, 1);
    for (size_t l = 0; l < lps.n && rc == DB_OK; l++) {
        int64_t lp = (int64_t)l + 1;
        if (l >= with_periods) {
            /* A row without periods: only a merge source (its periods moved away). */
            struct db_val p[] = {DB_I64(teacher_pk), DB_BIN(lps.ids[l], 16)};
            rc = db_exec(db, &stmts[MD_DELETE], p, 2, NULL);
            continue;
        }
        size_t ect = participant_latest_period(periods, tp->nrows, lp, PARTICIPANT_ECT);
        size_t mentor = participant_latest_period(periods, tp->nrows, lp, PARTICIPANT_MENTOR);
        int64_t assigned = 0;
        if (ect != PARTICIPANT_NONE) {
            size_t m =
                participant_mentor_pick(mss, ms->nrows, periods[ect].school_period_id, today);
            if (m != PARTICIPANT_NONE)
                assigned = mss[m].mentor_id;
        }
        int transfer = has_transfer(sps, roles, sp->nrows, periods, tp->nrows, PARTICIPANT_ECT, lp,
                                    induction_completed, today, a) ||
                       has_transfer(sps, roles, sp->nrows, periods, tp->nrows, PARTICIPANT_MENTOR,
                                    lp, 0, today, a);
        int other = 0;
        for (size_t i = 0; i < dl->nrows; i++) {
            int idx = lp_index(&lps, v_cell(dl, i, 0), v_len(dl, i, 0));
            if (idx != (int)l)
                other = 1;
        }
        if (assigned_mentor_changed) {
            int idx_row = -1;
            for (size_t i = 0; i < ex->nrows; i++)
                if (lp_index(&lps, v_cell(ex, i, 0), v_len(ex, i, 0)) == (int)l)
                    idx_row = (int)i;
            int64_t before = idx_row >= 0 ? v_i64(ex, (size_t)idx_row, 1, 0) : 0;
            if (before != assigned)
                *assigned_mentor_changed = 1;
        }
        struct db_val p[] = {
            DB_I64(teacher_pk),
            DB_BIN(lps.ids[l], 16),
            ect != PARTICIPANT_NONE ? DB_I64(periods[ect].id) : DB_NULLV,
            ect != PARTICIPANT_NONE ? DB_I64(cohorts[ect]) : DB_NULLV,
            mentor != PARTICIPANT_NONE ? DB_I64(periods[mentor].id) : DB_NULLV,
            mentor != PARTICIPANT_NONE ? DB_I64(cohorts[mentor]) : DB_NULLV,
            assigned ? DB_I64(assigned) : DB_NULLV,
            DB_STR(created_at),
            DB_STR(updated_at),
            DB_I64(transfer),
            DB_I64(other),
        };
        rc = db_exec(db, &stmts[MD_UPSERT], p, 11, NULL);
        if (rc == DB_OK) {
            int64_t self = (int64_t)teacher_pk;
            rc = db_participant_docs_store(db, (const uint8_t *)lps.ids[l], &self, 1);
        }
    }
    int mentor_periods = 0;
    for (size_t i = 0; i < sp->nrows; i++)
        mentor_periods |= strcmp(roles[i], "mentor") == 0;
    /* Mentees' documents change only when mentor school periods came in a merge. */
    if (rc == DB_OK && mentor_periods && views[K_ID_CHANGED].nrows) {
        struct db_rows mm;
        rc = db_query(db, &stmts[MD_MERGED_MENTEES], key, 1, a, &mm);
        for (size_t i = 0; rc == DB_OK && i < mm.nrows; i++) {
            int64_t mentee = db_cell_i64(&mm, i, 0, 0);
            uint8_t lp[16];
            db_cell_bin16(&mm, i, 1, lp);
            rc = db_participant_docs_store(db, lp, &mentee, 1);
        }
    }
    db_participant_lists_changed();
out:
    arena_free(a);
    return rc;
}

int db_teacher_metadata_rebuild(struct db *db, uint64_t teacher_pk, int64_t now_us)
{
    return db_teacher_metadata_rebuild_ex(db, teacher_pk, now_us, NULL);
}
