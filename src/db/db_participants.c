/* Lead Provider API v3 read side: participants, unfunded mentors, transfer history.
 * Statement tables with `?` only; lists of teacher ids travel as one JSON array parameter
 * read through JSON_TABLE (MariaDB 10.6+, MySQL 8), so no statement text depends on a
 * request. Plans: schema/README.md "Lists, filters and pagination", "Unfunded mentors and
 * transfers". */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_participant_docs.h"
#include "db/db_participants.h"

/* training_status of 1.3 in SQL, for filter[training_status]; the same rule as
 * participant_training_status_of() (equal timestamps count as withdrawn). */
#define TRAINING_STATUS_SQL                                                                        \
    "CASE WHEN tp.withdrawn_at IS NULL AND tp.deferred_at IS NULL THEN 'active' "                  \
    "WHEN tp.withdrawn_at IS NOT NULL AND (tp.deferred_at IS NULL "                                \
    "OR tp.withdrawn_at >= tp.deferred_at) THEN 'withdrawn' ELSE 'deferred' END"

/* Parameters: lp, updated_since, cohorts x3, teacher id x2, training status x2. The cohort
 * and updated_since checks read only index columns (ix_tlp_lp_created / ix_tlp_lp_updated). */
#define PAGE_WHERE                                                                                 \
    " WHERE m.lead_provider_id = ? AND m.teacher_updated_at >= ?"                                  \
    " AND (? IS NULL OR FIND_IN_SET(m.latest_ect_cohort, ?) > 0"                                   \
    " OR FIND_IN_SET(m.latest_mentor_cohort, ?) > 0)"                                              \
    " AND (? = 0 OR m.teacher_id = ?)"                                                             \
    " AND (? IS NULL OR EXISTS (SELECT 1 FROM training_periods tp WHERE tp.id IN "                 \
    "(m.latest_ect_training_period_id, m.latest_mentor_training_period_id) "                       \
    "AND " TRAINING_STATUS_SQL " = ?))"
/* Each variant selects the teacher id and its sort key, both read from the index. */
#define FROM_CREATED "SELECT m.teacher_id, m.teacher_created_at AS sk FROM teacher_lead_providers m"
/* The updated_at orders walk their own index: it is covering for every index-only filter
 * and already in order, so LIMIT stops early (the optimizer picked the created_at index plus
 * a sort on small tables). */
#define FROM_UPDATED                                                                               \
    "SELECT m.teacher_id, m.teacher_updated_at AS sk FROM teacher_lead_providers m "               \
    "FORCE INDEX (ix_tlp_lp_updated)"
#define NO_CREATED_IX " IGNORE INDEX (ix_tlp_lp_created)"
#define FORCE_CREATED_IX " FORCE INDEX (ix_tlp_lp_created)"
#define LIMIT " LIMIT ? OFFSET ?"
/* After the last key of the previous page (schema/README.md: a leading >= keeps it a plain
 * index range on both servers). Parameters: key, key, teacher id. */
#define AFTER(col) " AND m." col " >= ? AND (m." col " > ? OR m.teacher_id > ?)"
#define BEFORE(col) " AND m." col " <= ? AND (m." col " < ? OR m.teacher_id < ?)"
#define ASC(col) " ORDER BY m." col ", m.teacher_id"
#define DESC(col) " ORDER BY m." col " DESC, m.teacher_id DESC"
#define SORT_C "teacher_created_at"
#define SORT_U "teacher_updated_at"
/* The page's documents: the key range above (a derived table, so skipped entries are never
 * joined to their rows), then the rows of the page only. Parameter after the range's: lp. */
#define DOCS_OF_PAGE(range, order)                                                                 \
    "SELECT k.teacher_id, k.sk, " DOC_COLUMNS " FROM (" range ") k "                               \
    "JOIN teacher_lead_providers m ON m.teacher_id = k.teacher_id AND m.lead_provider_id = "       \
    "? " DOC_COHORTS " ORDER BY k.sk" order ", k.teacher_id" order
#define DOC_COLUMNS                                                                                \
    "m.teacher_updated_at, m.api_json, m.api_slots, ce.uplift_fees_enabled, "                      \
    "cm.uplift_fees_enabled"
#define DOC_COHORTS                                                                                \
    " LEFT JOIN cohorts ce ON ce.year = m.latest_ect_cohort "                                      \
    "LEFT JOIN cohorts cm ON cm.year = m.latest_mentor_cohort"
#define UP ""
#define DN " DESC"
/* A page read from the start of a range (nothing to skip): the index of the order walked
 * straight into the rows, stopping at LIMIT (no derived table, no sort). */
#define DIRECT(col, ix)                                                                            \
    "SELECT m.teacher_id, m." col ", " DOC_COLUMNS                                                 \
    " FROM teacher_lead_providers m FORCE INDEX (" ix ")" DOC_COHORTS
#define IX_C "ix_tlp_lp_created"
#define IX_U "ix_tlp_lp_updated"

#define IDS "JSON_TABLE(?, '$[*]' COLUMNS (tid BIGINT UNSIGNED PATH '$')) ids"

/* The enrolment facts of a provider's latest training period (column `latest`). */
#define ENROLMENT_SELECT(latest)                                                                   \
    "SELECT m.teacher_id, sp.role, tp.id, tp.school_period_id, tp.started_on, "                    \
    "tp.finished_on, tp.withdrawn_at, tp.withdrawal_reason, tp.deferred_at, "                      \
    "tp.deferral_reason, tp.cohort, sc.identifier, p.delivery_partner_id, s.urn, "                 \
    "s.pupil_premium_uplift, s.sparsity_uplift, co.uplift_fees_enabled, sp.email, "                \
    "sp.working_pattern, (SELECT x.created_at FROM school_periods x "                              \
    "WHERE x.teacher_id = sp.teacher_id AND x.role = sp.role "                                     \
    "ORDER BY x.started_on, x.id LIMIT 1) FROM " IDS                                               \
    " JOIN teacher_lead_providers m ON m.teacher_id = ids.tid AND m.lead_provider_id = ? "         \
    "JOIN training_periods tp ON tp.id = m." latest " "                                            \
    "JOIN school_periods sp ON sp.id = tp.school_period_id "                                       \
    "JOIN schools s ON s.id = sp.school_id JOIN partnerships p ON p.id = tp.partnership_id "       \
    "JOIN schedules sc ON sc.id = tp.schedule_id JOIN cohorts co ON co.year = tp.cohort"

#define UNFUNDED_SELECT                                                                            \
    "SELECT mt.api_id, mt.full_name, (SELECT sp2.email FROM teacher_lead_providers m2 "            \
    "JOIN school_periods sp2 ON sp2.id = m2.ect_assigned_mentor_school_period_id "                 \
    "WHERE m2.lead_provider_id = ? AND sp2.teacher_id = mt.id "                                    \
    "ORDER BY sp2.started_on DESC, sp2.id DESC LIMIT 1), mt.trn, mt.created_at, "                  \
    "mt.unfunded_mentor_updated_at FROM teachers mt WHERE mt.id IN ("                              \
    "SELECT msp.teacher_id FROM teacher_lead_providers m "                                         \
    "JOIN school_periods msp ON msp.id = m.ect_assigned_mentor_school_period_id "                  \
    "LEFT JOIN teacher_lead_providers o ON o.teacher_id = msp.teacher_id "                         \
    "AND o.lead_provider_id = m.lead_provider_id "                                                 \
    "WHERE m.lead_provider_id = ? AND m.ect_assigned_mentor_school_period_id IS NOT NULL "         \
    "AND o.teacher_id IS NULL)"
#define UNFUNDED_LIST UNFUNDED_SELECT " AND mt.unfunded_mentor_updated_at >= ?"

enum {
    P_FIND,
    P_FIND_CHANGED,
    P_DOC_GET,
    P_LOAD_TEACHERS,
    P_LOAD_ENROLMENTS,
    P_LOAD_INDUCTIONS,
    P_LOAD_CHANGES,
    P_LOAD_MENTORSHIPS,
    P_UNFUNDED_GET,
    P_TRANSFER_IDS,
    P_TRANSFER_ID,
    P_HISTORY_SCHOOL_PERIODS,
    P_HISTORY_TRAINING_PERIODS,
    P__MAX
};

static struct db_stmt stmts[P__MAX] = {
    [P_FIND] = DB_STMT("SELECT t.id FROM teachers t JOIN teacher_lead_providers m "
                       "ON m.teacher_id = t.id AND m.lead_provider_id = ? "
                       "WHERE t.api_id = ? AND t.merged_into_teacher_id IS NULL"),
    [P_FIND_CHANGED] = DB_STMT("SELECT c.teacher_id FROM participant_id_changes c "
                               "JOIN teacher_lead_providers m ON m.teacher_id = c.teacher_id "
                               "AND m.lead_provider_id = ? WHERE c.from_participant_id = ?"),
    [P_DOC_GET] = DB_STMT("SELECT m.teacher_id, " DOC_COLUMNS " FROM teachers t "
                          "JOIN teacher_lead_providers m ON m.teacher_id = t.id "
                          "AND m.lead_provider_id = ?" DOC_COHORTS
                          " WHERE t.api_id = ? AND t.merged_into_teacher_id IS NULL"),
    [P_LOAD_TEACHERS] = DB_STMT(
        "SELECT t.id, t.api_id, t.full_name, t.trn, t.api_ect_training_record_id, "
        "t.api_mentor_training_record_id, t.ect_first_became_eligible_at, "
        "t.mentor_first_became_eligible_at, t.mentor_became_ineligible_on, "
        "t.mentor_ineligible_reason, t.ect_payments_frozen_year, t.mentor_payments_frozen_year, "
        "t.created_at, t.updated_at, t.trs_induction_start_date, t.trs_induction_completed_date, "
        "t.ect_became_ineligible_on FROM " IDS " JOIN teachers t ON t.id = ids.tid"),
    /* One branch per role, so every join is a primary-key read (an IN join let the
     * optimizer scan schools instead). Parameters: ids, lp, ids, lp. */
    [P_LOAD_ENROLMENTS] =
        DB_STMT(ENROLMENT_SELECT("latest_ect_training_period_id") " UNION ALL " ENROLMENT_SELECT(
            "latest_mentor_training_period_id")),
    [P_LOAD_INDUCTIONS] = DB_STMT("SELECT ip.teacher_id, ip.started_on, ip.finished_on, "
                                  "ip.outcome IS NOT NULL FROM " IDS
                                  " JOIN induction_periods ip ON ip.teacher_id = ids.tid "
                                  "ORDER BY ip.teacher_id, ip.started_on, ip.id"),
    [P_LOAD_CHANGES] =
        DB_STMT("SELECT c.teacher_id, c.from_participant_id, c.to_participant_id, "
                "c.changed_at FROM " IDS " JOIN participant_id_changes c ON c.teacher_id = ids.tid "
                "ORDER BY c.teacher_id, c.changed_at, c.id"),
    [P_LOAD_MENTORSHIPS] = DB_STMT(
        "SELECT m.teacher_id, ms.ect_school_period_id, mt.api_id, ms.started_on, "
        "ms.finished_on FROM " IDS
        " JOIN teacher_lead_providers m ON m.teacher_id = ids.tid AND m.lead_provider_id = ? "
        "JOIN training_periods tp ON tp.id = m.latest_ect_training_period_id "
        "JOIN mentorships ms ON ms.ect_school_period_id = tp.school_period_id "
        "JOIN school_periods msp ON msp.id = ms.mentor_school_period_id "
        "JOIN teachers mt ON mt.id = msp.teacher_id "
        "ORDER BY m.teacher_id, ms.started_on, ms.id"),
    [P_UNFUNDED_GET] = DB_STMT(UNFUNDED_SELECT " AND mt.api_id = ?"),
    [P_TRANSFER_IDS] = DB_STMT("SELECT m.teacher_id FROM teacher_lead_providers m "
                               "WHERE m.lead_provider_id = ? AND m.involved_in_school_transfer = 1 "
                               "ORDER BY m.teacher_created_at, m.teacher_id"),
    [P_TRANSFER_ID] = DB_STMT("SELECT m.teacher_id FROM teacher_lead_providers m "
                              "JOIN teachers t ON t.id = m.teacher_id "
                              "WHERE m.lead_provider_id = ? AND m.involved_in_school_transfer = 1 "
                              "AND t.api_id = ? AND t.merged_into_teacher_id IS NULL"),
    [P_HISTORY_SCHOOL_PERIODS] = DB_STMT(
        "SELECT sp.teacher_id, sp.role, sp.id, sp.school_id, sp.started_on, sp.finished_on, "
        "s.urn FROM " IDS " JOIN school_periods sp ON sp.teacher_id = ids.tid "
        "JOIN schools s ON s.id = sp.school_id "
        "ORDER BY sp.teacher_id, sp.role, sp.started_on, sp.id"),
    [P_HISTORY_TRAINING_PERIODS] =
        DB_STMT("SELECT sp.teacher_id, sp.role, tp.id, tp.school_period_id, tp.lead_provider_id, "
                "lp.name, tp.started_on, tp.finished_on, tp.withdrawn_at, tp.deferred_at, "
                "tp.created_at, tp.transfer_updated_at FROM " IDS
                " JOIN school_periods sp ON sp.teacher_id = ids.tid "
                "JOIN training_periods tp ON tp.school_period_id = sp.id "
                "LEFT JOIN lead_providers lp ON lp.id = tp.lead_provider_id "
                "ORDER BY sp.teacher_id, tp.school_period_id, tp.started_on, tp.id"),
};

/* Unfunded mentor pages by [first key][second key: none, ascending, descending]; ties go by
 * teacher id in the last key's direction. */
#define UF_C "mt.created_at"
#define UF_U "mt.unfunded_mentor_updated_at"
#define UF_ONE(c, d) DB_STMT(UNFUNDED_LIST " ORDER BY " c d ", mt.id" d LIMIT)
#define UF_TWO(c1, d1, c2, d2)                                                                     \
    DB_STMT(UNFUNDED_LIST " ORDER BY " c1 d1 ", " c2 d2 ", mt.id" d2 LIMIT)
static struct db_stmt unfunded_stmts[PAGINATION_SORT__MAX][3] = {
    [PAGINATION_CREATED_ASC] = {UF_ONE(UF_C, ""), UF_TWO(UF_C, "", UF_U, ""),
                                UF_TWO(UF_C, "", UF_U, " DESC")},
    [PAGINATION_CREATED_DESC] = {UF_ONE(UF_C, " DESC"), UF_TWO(UF_C, " DESC", UF_U, ""),
                                 UF_TWO(UF_C, " DESC", UF_U, " DESC")},
    [PAGINATION_UPDATED_ASC] = {UF_ONE(UF_U, ""), UF_TWO(UF_U, "", UF_C, ""),
                                UF_TWO(UF_U, "", UF_C, " DESC")},
    [PAGINATION_UPDATED_DESC] = {UF_ONE(UF_U, " DESC"), UF_TWO(UF_U, " DESC", UF_C, ""),
                                 UF_TWO(UF_U, " DESC", UF_C, " DESC")},
};

/* Page statements by [from the start/after a key][plan][sort]. Plan 1 (updated_since matches
 * few rows): the updated_at range plus a sort beats walking the created_at index
 * (schema/README.md); plan 0 walks the index of the order (every other case). */
enum { PAGE_START, PAGE_AFTER, PAGE_MODE__MAX };
static struct db_stmt page_stmts[PAGE_MODE__MAX][2][PAGINATION_SORT__MAX] =
    {
        [PAGE_START] =
            {
                {
                    DB_STMT(DOCS_OF_PAGE(FROM_CREATED FORCE_CREATED_IX PAGE_WHERE ASC(SORT_C) LIMIT,
                                         UP)),
                    DB_STMT(DOCS_OF_PAGE(
                        FROM_CREATED FORCE_CREATED_IX PAGE_WHERE DESC(SORT_C) LIMIT, DN)),
                    DB_STMT(DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE ASC(SORT_U) LIMIT, UP)),
                    DB_STMT(DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE DESC(SORT_U) LIMIT, DN)),
                },
                {
                    DB_STMT(
                        DOCS_OF_PAGE(FROM_CREATED NO_CREATED_IX PAGE_WHERE ASC(SORT_C) LIMIT, UP)),
                    DB_STMT(
                        DOCS_OF_PAGE(FROM_CREATED NO_CREATED_IX PAGE_WHERE DESC(SORT_C) LIMIT, DN)),
                    DB_STMT(DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE ASC(SORT_U) LIMIT, UP)),
                    DB_STMT(DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE DESC(SORT_U) LIMIT, DN)),
                },
            },
        [PAGE_AFTER] =
            {
                {
                    DB_STMT(DOCS_OF_PAGE(FROM_CREATED FORCE_CREATED_IX PAGE_WHERE AFTER(SORT_C)
                                             ASC(SORT_C) LIMIT,
                                         UP)),
                    DB_STMT(DOCS_OF_PAGE(FROM_CREATED FORCE_CREATED_IX
                                             PAGE_WHERE BEFORE(SORT_C) DESC(SORT_C) LIMIT,
                                         DN)),
                    DB_STMT(
                        DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE AFTER(SORT_U) ASC(SORT_U) LIMIT, UP)),
                    DB_STMT(DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE BEFORE(SORT_U) DESC(SORT_U) LIMIT,
                                         DN)),
                },
                {
                    DB_STMT(DOCS_OF_PAGE(FROM_CREATED
                                             NO_CREATED_IX
                                                 PAGE_WHERE AFTER(SORT_C) ASC(SORT_C) LIMIT,
                                         UP)),
                    DB_STMT(DOCS_OF_PAGE(FROM_CREATED
                                             NO_CREATED_IX
                                                 PAGE_WHERE BEFORE(SORT_C) DESC(SORT_C) LIMIT,
                                         DN)),
                    DB_STMT(
                        DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE AFTER(SORT_U) ASC(SORT_U) LIMIT, UP)),
                    DB_STMT(DOCS_OF_PAGE(FROM_UPDATED PAGE_WHERE BEFORE(SORT_U) DESC(SORT_U) LIMIT,
                                         DN)),
                },
            },
};

/* Plan 0 pages with nothing to skip, by [from the start/after a key][sort]. */
static struct db_stmt direct_stmts[PAGE_MODE__MAX][PAGINATION_SORT__MAX] = {
    [PAGE_START] =
        {
            DB_STMT(DIRECT(SORT_C, IX_C) PAGE_WHERE ASC(SORT_C) LIMIT),
            DB_STMT(DIRECT(SORT_C, IX_C) PAGE_WHERE DESC(SORT_C) LIMIT),
            DB_STMT(DIRECT(SORT_U, IX_U) PAGE_WHERE ASC(SORT_U) LIMIT),
            DB_STMT(DIRECT(SORT_U, IX_U) PAGE_WHERE DESC(SORT_U) LIMIT),
        },
    [PAGE_AFTER] =
        {
            DB_STMT(DIRECT(SORT_C, IX_C) PAGE_WHERE AFTER(SORT_C) ASC(SORT_C) LIMIT),
            DB_STMT(DIRECT(SORT_C, IX_C) PAGE_WHERE BEFORE(SORT_C) DESC(SORT_C) LIMIT),
            DB_STMT(DIRECT(SORT_U, IX_U) PAGE_WHERE AFTER(SORT_U) ASC(SORT_U) LIMIT),
            DB_STMT(DIRECT(SORT_U, IX_U) PAGE_WHERE BEFORE(SORT_U) DESC(SORT_U) LIMIT),
        },
};

/* Two sort keys (`sort=updated_at,-created_at`): the keys of the page, sorted and cut by
 * OFFSET (no shared boundaries: a mixed order has no index to seek in), then the page's rows.
 * Ties after both keys go by teacher id in the second key's direction. Parameters: the nine
 * of PAGE_WHERE, limit, offset, lp. */
#define TWO_KEYS(c1, d1, c2, d2)                                                                   \
    "SELECT k.teacher_id, k.sk, " DOC_COLUMNS " FROM (SELECT m.teacher_id, m." c1 " AS sk, m." c2  \
    " AS sk2 FROM teacher_lead_providers m" PAGE_WHERE " ORDER BY m." c1 d1 ", m." c2 d2           \
    ", m.teacher_id" d2 LIMIT ") k JOIN teacher_lead_providers m ON m.teacher_id = k.teacher_id "  \
    "AND m.lead_provider_id = ?" DOC_COHORTS " ORDER BY k.sk" d1 ", k.sk2" d2 ", k.teacher_id" d2
/* By [first key][second key descending]; the second key is the other column. */
static struct db_stmt two_key_stmts[PAGINATION_SORT__MAX][2] = {
    [PAGINATION_CREATED_ASC] = {DB_STMT(TWO_KEYS(SORT_C, UP, SORT_U, UP)),
                                DB_STMT(TWO_KEYS(SORT_C, UP, SORT_U, DN))},
    [PAGINATION_CREATED_DESC] = {DB_STMT(TWO_KEYS(SORT_C, DN, SORT_U, UP)),
                                 DB_STMT(TWO_KEYS(SORT_C, DN, SORT_U, DN))},
    [PAGINATION_UPDATED_ASC] = {DB_STMT(TWO_KEYS(SORT_U, UP, SORT_C, UP)),
                                DB_STMT(TWO_KEYS(SORT_U, UP, SORT_C, DN))},
    [PAGINATION_UPDATED_DESC] = {DB_STMT(TWO_KEYS(SORT_U, DN, SORT_C, UP)),
                                 DB_STMT(TWO_KEYS(SORT_U, DN, SORT_C, DN))},
};

static int sort_desc(enum pagination_sort k)
{
    return k == PAGINATION_CREATED_DESC || k == PAGINATION_UPDATED_DESC;
}

/* How many updated_since matches make walking the created_at index the better plan: below it
 * the range is sorted (at most this many entries), at or above it a page of n reads about
 * n x (provider's rows / matches) <= n x rows / SINCE_DENSE index entries. */
#define SINCE_DENSE 5000
static struct db_stmt since_count_stmt = DB_STMT(
    "SELECT COUNT(*) FROM (SELECT 1 FROM teacher_lead_providers m FORCE INDEX (ix_tlp_lp_updated) "
    "WHERE m.lead_provider_id = ? AND m.teacher_updated_at >= ? LIMIT 5000) x");

/* ---- page boundaries shared by the workers ----
 *
 * A page numbered p starts after (p - 1) x per_page list entries. Skipping them is the cost
 * of a deep page, so the workers share what they learnt: "in the list of (provider, filters,
 * order), the entry at position k (1-based) has sort key K and teacher id T". A page then
 * seeks after the nearest known position at or before its start and skips only the rest.
 * Entries are written after a page is read: its last entry (for the next page) and the entry
 * just before its start (for the same page again; the skip reads one entry more for it).
 *
 * The memo lives in one shared anonymous mapping made when the program starts (before the
 * pool forks), updated with atomics only; each entry has a sequence number that is odd while
 * it is written (readers skip it, writers give up). It is a cache of a list that changes:
 * - every change to a participant in this pool (db_teacher_metadata_rebuild, db_teacher_touch)
 *   moves `epoch`, which empties it;
 * - a change from another process (ecfctl) is seen after MEMO_TTL_US at the latest; so is a
 *   page read between a change and its commit. Meanwhile a page is what OFFSET would have
 *   answered when the entry was written: the anomaly of OFFSET paging under concurrent
 *   changes, never a malformed page. */
#define MEMO_BUCKETS 64
#define MEMO_WAYS 8
#define MEMO_TTL_US (60 * CLOCK_US_PER_SEC)
#define MEMO_POSITION_PLAN (-1) /* an entry that records the updated_since plan */
struct memo_entry {
    uint64_t seq;
    uint64_t epoch;
    uint8_t lp[16];
    uint64_t digest;
    int64_t position;
    char key[27]; /* SQL DATETIME(6) text of the sort column */
    int64_t teacher_id;
    int64_t stored_us; /* real time, not the sandbox clock */
};
struct memo {
    uint64_t epoch;
    struct memo_entry e[MEMO_BUCKETS][MEMO_WAYS];
};
static struct memo *memo;

__attribute__((constructor)) static void memo_map(void)
{
    void *m =
        mmap(NULL, sizeof(struct memo), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memo = m == MAP_FAILED ? NULL : m; /* no memo: every page skips */
}

void db_participant_lists_changed(void)
{
    if (memo)
        __atomic_add_fetch(&memo->epoch, 1, __ATOMIC_ACQ_REL);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(1099511628211);
    return h;
}

/* Everything that decides the list's content and order but the provider. */
static uint64_t filter_digest(const struct db_participant_filter *f)
{
    const struct pagination *pg = f->page;
    uint64_t h = UINT64_C(14695981039346656037);
    const char *c = f->cohorts ? f->cohorts : "", *t = f->training_status ? f->training_status : "";
    h = fnv(h, c, strlen(c) + 1);
    h = fnv(h, t, strlen(t) + 1);
    h = fnv(h, &f->teacher_id, sizeof(f->teacher_id));
    h = fnv(h, &pg->sort, sizeof(pg->sort));
    h = fnv(h, &pg->has_updated_since, sizeof(pg->has_updated_since));
    return fnv(h, &pg->updated_since_us, sizeof(pg->updated_since_us));
}

static struct memo_entry *memo_bucket(const uint8_t lp[16], uint64_t digest)
{
    uint64_t h = fnv(digest, lp, 16);
    return memo->e[h % MEMO_BUCKETS];
}

/* A consistent copy of e; -1 when it is being written or changed meanwhile. */
static int memo_copy(const struct memo_entry *e, struct memo_entry *out)
{
    uint64_t s1 = __atomic_load_n(&e->seq, __ATOMIC_ACQUIRE);
    if (s1 & 1)
        return -1;
    memcpy(out, (const void *)e, sizeof(*out));
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return __atomic_load_n(&e->seq, __ATOMIC_RELAXED) == s1 ? 0 : -1;
}

/* The known entry with the greatest position in [lo, hi] for this list; 0 when found. */
static int memo_find(const uint8_t lp[16], uint64_t digest, int64_t lo, int64_t hi,
                     struct memo_entry *out)
{
    if (!memo)
        return -1;
    uint64_t epoch = __atomic_load_n(&memo->epoch, __ATOMIC_ACQUIRE);
    int64_t now = clock_real_us();
    struct memo_entry *b = memo_bucket(lp, digest), c;
    int found = -1;
    for (size_t i = 0; i < MEMO_WAYS; i++) {
        if (memo_copy(&b[i], &c) || c.epoch != epoch || c.digest != digest || c.position < lo ||
            c.position > hi || memcmp(c.lp, lp, 16) != 0 || now - c.stored_us >= MEMO_TTL_US ||
            (found == 0 && c.position <= out->position))
            continue;
        *out = c;
        found = 0;
    }
    return found;
}

static void memo_store(const uint8_t lp[16], uint64_t digest, uint64_t epoch, int64_t position,
                       const char *key, int64_t teacher_id)
{
    if (!memo || strlen(key) >= sizeof(((struct memo_entry *)0)->key))
        return;
    int64_t now = clock_real_us();
    struct memo_entry *b = memo_bucket(lp, digest), c, *slot = &b[0];
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < MEMO_WAYS; i++) {
        if (memo_copy(&b[i], &c))
            continue;
        if (c.digest == digest && c.position == position && memcmp(c.lp, lp, 16) == 0) {
            slot = &b[i];
            break;
        }
        int64_t age = c.epoch != epoch ? INT64_MIN : c.stored_us;
        if (age < oldest) {
            oldest = age;
            slot = &b[i];
        }
    }
    uint64_t s = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE);
    if ((s & 1) ||
        !__atomic_compare_exchange_n(&slot->seq, &s, s + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        return; /* another worker is writing it: skip */
    slot->epoch = epoch;
    memcpy(slot->lp, lp, 16);
    slot->digest = digest;
    slot->position = position;
    xsnprintf(slot->key, sizeof(slot->key), "%s", key);
    slot->teacher_id = teacher_id;
    slot->stored_us = now;
    __atomic_store_n(&slot->seq, s + 2, __ATOMIC_RELEASE);
}

#define LP(lp) DB_BIN((lp), 16)

/* ---- cells ---- */

static enum participant_role cell_role(const struct db_rows *r, size_t row, size_t col)
{
    const char *c = db_cell(r, row, col);
    return c && !strcmp(c, "mentor") ? PARTICIPANT_MENTOR : PARTICIPANT_ECT;
}

/* "[1,2,3]": the id list parameter of the JSON_TABLE statements. */
static const char *ids_json(struct arena *a, const int64_t *ids, size_t n)
{
    size_t cap = 3 + n * 21, o = 0;
    char *s = arena_alloc(a, cap);
    s[o++] = '[';
    for (size_t i = 0; i < n; i++)
        o += (size_t)xsnprintf(s + o, cap - o, "%s%lld", i ? "," : "", (long long)ids[i]);
    s[o++] = ']';
    s[o] = '\0';
    return s;
}

/* ---- participants ---- */

/* Row of DOC_COLUMNS from column `c` on into d (the document built now when not stored). */
static void fill_doc(const struct db_rows *r, size_t i, size_t c, struct db_participant_doc_row *d)
{
    d->updated_at_us = db_cell_ts(r, i, c, PARTICIPANT_NO_US);
    d->json = db_cell(r, i, c + 1);
    d->json_len = d->json ? db_cell_len(r, i, c + 1) : 0;
    d->slots = db_cell(r, i, c + 2);
    d->uplift_fees_enabled[PARTICIPANT_ECT] = db_cell_i64(r, i, c + 3, 0) != 0;
    d->uplift_fees_enabled[PARTICIPANT_MENTOR] = db_cell_i64(r, i, c + 4, 0) != 0;
}

/* Documents not stored yet (rows from before migration 005, or seeded set-based): rendered
 * now, as the rebuild would store them. A row with no document at all is dropped. */
static int fill_missing_docs(struct db *db, const uint8_t lp[16], struct arena *a,
                             struct db_participant_doc_row *rows, size_t *n)
{
    size_t missing = 0, k = 0;
    for (size_t i = 0; i < *n; i++)
        missing += !rows[i].json || !rows[i].slots;
    if (!missing)
        return DB_OK;
    int64_t *ids = arena_calloc(a, missing, sizeof(int64_t));
    for (size_t i = 0; i < *n; i++)
        if (!rows[i].json || !rows[i].slots)
            ids[k++] = rows[i].teacher_id;
    struct db_participant_doc *docs;
    int rc = db_participant_docs_render(db, lp, ids, missing, a, &docs);
    if (rc)
        return rc;
    k = 0;
    size_t o = 0;
    for (size_t i = 0; i < *n; i++) {
        if (!rows[i].json || !rows[i].slots) {
            rows[i].json = docs[k].json;
            rows[i].json_len = docs[k].json_len;
            rows[i].slots = docs[k].slots;
            k++;
        }
        if (rows[i].json)
            rows[o++] = rows[i];
    }
    *n = o;
    return DB_OK;
}

/* 1 when updated_since matches few enough of the provider's rows that the updated_at range
 * plus a sort is the better plan for a created_at order (remembered in the memo). */
static int since_sparse(struct db *db, const struct db_participant_filter *f, uint64_t digest,
                        uint64_t epoch, const char *since, struct arena *a, int *sparse)
{
    const struct pagination *pg = f->page;
    struct memo_entry e;
    struct db_rows r;
    *sparse = 0;
    if (!pg->has_updated_since ||
        (pg->sort != PAGINATION_CREATED_ASC && pg->sort != PAGINATION_CREATED_DESC))
        return DB_OK;
    if (!memo_find(f->lead_provider_id, digest, MEMO_POSITION_PLAN, MEMO_POSITION_PLAN, &e)) {
        *sparse = e.teacher_id;
        return DB_OK;
    }
    struct db_val p[] = {LP(f->lead_provider_id), DB_STR(since)};
    int rc = db_query(db, &since_count_stmt, p, 2, a, &r);
    if (rc)
        return rc;
    *sparse = r.nrows == 1 && db_cell_i64(&r, 0, 0, 0) < SINCE_DENSE;
    memo_store(f->lead_provider_id, digest, epoch, MEMO_POSITION_PLAN, "", *sparse);
    return DB_OK;
}

static int two_key_page(struct db *db, const struct db_participant_filter *f, const char *since,
                        struct arena *a, struct db_participant_doc_row **out, size_t *n)
{
    struct db_rows r;
    const struct pagination *pg = f->page;
    struct db_val p[] = {
        LP(f->lead_provider_id),
        DB_STR(since),
        DB_STR_OR_NULL(f->cohorts),
        DB_STR_OR_NULL(f->cohorts),
        DB_STR_OR_NULL(f->cohorts),
        DB_I64(f->teacher_id),
        DB_I64(f->teacher_id),
        DB_STR_OR_NULL(f->training_status),
        DB_STR_OR_NULL(f->training_status),
        DB_I64(pg->per_page),
        DB_I64(pg->offset),
        LP(f->lead_provider_id),
    };
    int rc = db_query(db, &two_key_stmts[pg->sort][sort_desc(pg->then)], p, 12, a, &r);
    if (rc)
        return rc;
    struct db_participant_doc_row *rows = arena_calloc(a, r.nrows + 1, sizeof(*rows));
    for (size_t i = 0; i < r.nrows; i++) {
        rows[i].teacher_id = db_cell_i64(&r, i, 0, 0);
        fill_doc(&r, i, 2, &rows[i]);
    }
    *out = rows;
    *n = r.nrows;
    return fill_missing_docs(db, f->lead_provider_id, a, rows, n);
}

int db_participant_doc_page(struct db *db, const struct db_participant_filter *f, struct arena *a,
                            struct db_participant_doc_row **out, size_t *n)
{
    char since[27];
    struct db_rows r;
    struct memo_entry from;
    const struct pagination *pg = f->page;
    uint64_t digest = filter_digest(f);
    uint64_t epoch = memo ? __atomic_load_n(&memo->epoch, __ATOMIC_ACQUIRE) : 0;
    int sparse, rc;
    *out = NULL;
    *n = 0;
    clock_format_sql_datetime(pg->has_updated_since ? pg->updated_since_us : 0, since);
    if (pg->then != PAGINATION_SORT__MAX)
        return two_key_page(db, f, since, a, out, n);
    if ((rc = since_sparse(db, f, digest, epoch, since, a, &sparse)))
        return rc;
    /* Start after the nearest known entry at or before the page's start; skip the rest, one
     * entry less so that the entry before the page is read (and remembered) too. */
    int after = pg->offset > 0 && !memo_find(f->lead_provider_id, digest, 1, pg->offset, &from);
    int64_t skip = pg->offset - (after ? from.position : 0);
    int64_t lead = skip > 0 ? 1 : 0;
    struct db_val p[15] = {
        LP(f->lead_provider_id),
        DB_STR(since),
        DB_STR_OR_NULL(f->cohorts),
        DB_STR_OR_NULL(f->cohorts),
        DB_STR_OR_NULL(f->cohorts),
        DB_I64(f->teacher_id),
        DB_I64(f->teacher_id),
        DB_STR_OR_NULL(f->training_status),
        DB_STR_OR_NULL(f->training_status),
    };
    size_t np = 9;
    if (after) {
        p[np++] = DB_STR(from.key);
        p[np++] = DB_STR(from.key);
        p[np++] = DB_I64(from.teacher_id);
    }
    p[np++] = DB_I64(pg->per_page + lead);
    p[np++] = DB_I64(skip - lead);
    int mode = after ? PAGE_AFTER : PAGE_START;
    if (skip == 0 && !sparse) {
        rc = db_query(db, &direct_stmts[mode][pg->sort], p, np, a, &r);
    } else {
        p[np++] = LP(f->lead_provider_id);
        rc = db_query(db, &page_stmts[mode][sparse][pg->sort], p, np, a, &r);
    }
    if (rc)
        return rc;
    size_t first = lead && r.nrows > 0 ? 1 : 0; /* the entry before the page */
    size_t count = r.nrows - first;
    if (first && db_cell(&r, 0, 1))
        memo_store(f->lead_provider_id, digest, epoch, pg->offset, db_cell(&r, 0, 1),
                   db_cell_i64(&r, 0, 0, 0));
    if (count > 0 && count == (size_t)pg->per_page && db_cell(&r, r.nrows - 1, 1))
        memo_store(f->lead_provider_id, digest, epoch, pg->offset + pg->per_page,
                   db_cell(&r, r.nrows - 1, 1), db_cell_i64(&r, r.nrows - 1, 0, 0));
    struct db_participant_doc_row *rows = arena_calloc(a, count + 1, sizeof(*rows));
    for (size_t i = 0; i < count; i++) {
        rows[i].teacher_id = db_cell_i64(&r, first + i, 0, 0);
        fill_doc(&r, first + i, 2, &rows[i]);
    }
    *out = rows;
    *n = count;
    return fill_missing_docs(db, f->lead_provider_id, a, rows, n);
}

int db_participant_doc_get(struct db *db, const uint8_t lp[16], const uint8_t api_id[16],
                           struct arena *a, struct db_participant_doc_row *out)
{
    struct db_rows r;
    struct db_val p[] = {LP(lp), DB_BIN(api_id, 16)};
    int rc = db_query_one(db, &stmts[P_DOC_GET], p, 2, a, &r);
    if (rc)
        return rc;
    size_t n = 1;
    memset(out, 0, sizeof(*out));
    out->teacher_id = db_cell_i64(&r, 0, 0, 0);
    fill_doc(&r, 0, 1, out);
    if ((rc = fill_missing_docs(db, lp, a, out, &n)))
        return rc;
    return n == 1 ? DB_OK : DB_NOT_FOUND;
}

static int find_one(struct db *db, int which, const uint8_t lp[16], const uint8_t id[16],
                    int64_t *teacher_id)
{
    struct db_rows r;
    struct arena *a = arena_new(1024);
    struct db_val p[] = {LP(lp), DB_BIN(id, 16)};
    int rc = db_query_one(db, &stmts[which], p, 2, a, &r);
    if (!rc)
        *teacher_id = db_cell_i64(&r, 0, 0, 0);
    arena_free(a);
    return rc;
}

int db_participant_find(struct db *db, const uint8_t lp[16], const uint8_t api_id[16],
                        int64_t *teacher_id)
{
    return find_one(db, P_FIND, lp, api_id, teacher_id);
}

int db_participant_find_changed(struct db *db, const uint8_t lp[16], const uint8_t from[16],
                                int64_t *teacher_id)
{
    return find_one(db, P_FIND_CHANGED, lp, from, teacher_id);
}

/* ids[] position of a teacher id: `order` holds the positions sorted by id. */
struct id_index {
    const int64_t *ids;
    size_t *order;
    size_t n;
};

static const int64_t *sort_ids;
static int cmp_pos(const void *x, const void *y)
{
    int64_t a = sort_ids[*(const size_t *)x], b = sort_ids[*(const size_t *)y];
    return (a > b) - (a < b);
}

static void index_build(struct arena *a, const int64_t *ids, size_t n, struct id_index *ix)
{
    ix->ids = ids;
    ix->n = n;
    ix->order = arena_calloc(a, n + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        ix->order[i] = i;
    sort_ids = ids; /* a worker runs one request at a time */
    qsort(ix->order, n, sizeof(size_t), cmp_pos);
}

static size_t index_find(const struct id_index *ix, int64_t id)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t v = ix->ids[ix->order[mid]];
        if (v == id)
            return ix->order[mid];
        if (v < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return PARTICIPANT_NONE;
}

static void fill_teacher(const struct db_rows *r, size_t i, struct db_participant *t)
{
    const char *reason = db_cell(r, i, 9);
    t->id = db_cell_i64(r, i, 0, 0);
    db_cell_uuid(r, i, 1, t->api_id);
    t->full_name = db_cell(r, i, 2);
    t->trn = db_cell(r, i, 3);
    db_cell_uuid(r, i, 4, t->training_record_id[PARTICIPANT_ECT]);
    db_cell_uuid(r, i, 5, t->training_record_id[PARTICIPANT_MENTOR]);
    t->facts.ect_eligible_at = db_cell_ts(r, i, 6, PARTICIPANT_NO_US);
    t->facts.ect_ineligible_on = db_cell_day(r, i, 16, PARTICIPANT_NO_DAY);
    t->facts.mentor_eligible_at = db_cell_ts(r, i, 7, PARTICIPANT_NO_US);
    t->facts.mentor_ineligible_on = db_cell_day(r, i, 8, PARTICIPANT_NO_DAY);
    if (!reason || participant_mentor_reason_parse(reason, &t->facts.mentor_ineligible_reason))
        t->facts.mentor_ineligible_reason = PARTICIPANT_MENTOR_REASON__MAX;
    t->facts.trs_induction_start = db_cell_day(r, i, 14, PARTICIPANT_NO_DAY);
    t->facts.trs_induction_completed = db_cell_day(r, i, 15, PARTICIPANT_NO_DAY);
    t->facts.ect_payments_frozen_year = (int)db_cell_i64(r, i, 10, 0);
    t->facts.mentor_payments_frozen_year = (int)db_cell_i64(r, i, 11, 0);
    t->created_at_us = db_cell_ts(r, i, 12, PARTICIPANT_NO_US);
    t->updated_at_us = db_cell_ts(r, i, 13, PARTICIPANT_NO_US);
}

static void fill_enrolment(const struct db_rows *r, size_t i, struct db_participant_enrolment *e)
{
    memset(e, 0, sizeof(*e));
    e->present = 1;
    e->period.role = cell_role(r, i, 1);
    e->period.id = db_cell_i64(r, i, 2, 0);
    e->period.school_period_id = db_cell_i64(r, i, 3, 0);
    e->period.lead_provider_id = 1;
    e->period.started_on = db_cell_day(r, i, 4, PARTICIPANT_NO_DAY);
    e->period.finished_on = db_cell_day(r, i, 5, PARTICIPANT_NO_DAY);
    e->period.withdrawn_at = db_cell_ts(r, i, 6, PARTICIPANT_NO_US);
    e->withdrawal_reason = db_cell(r, i, 7);
    e->period.deferred_at = db_cell_ts(r, i, 8, PARTICIPANT_NO_US);
    e->deferral_reason = db_cell(r, i, 9);
    e->cohort = (int)db_cell_i64(r, i, 10, 0);
    e->schedule_identifier = db_cell(r, i, 11);
    db_cell_uuid(r, i, 12, e->delivery_partner_id);
    e->school_urn = db_cell(r, i, 13);
    e->pupil_premium_uplift = db_cell_i64(r, i, 14, 0) != 0;
    e->sparsity_uplift = db_cell_i64(r, i, 15, 0) != 0;
    e->uplift_fees_enabled = db_cell_i64(r, i, 16, 0) != 0;
    e->email = db_cell(r, i, 17);
    e->working_pattern = db_cell(r, i, 18);
    e->created_at_us = db_cell_ts(r, i, 19, PARTICIPANT_NO_US);
}

/* Rows sorted by teacher id in column 0: [start, end) of each teacher's run. */
#define EACH_RUN(r, ix, pos, start, end)                                                           \
    for (size_t start = 0, end = 0, pos = 0; start < (r)->nrows; start = end)                      \
        if (((void)(end = run_end((r), start)),                                                    \
             (pos = index_find((ix), db_cell_i64((r), start, 0, 0))) != PARTICIPANT_NONE))

static size_t run_end(const struct db_rows *r, size_t start)
{
    size_t e = start + 1;
    while (e < r->nrows && !strcmp(db_cell(r, e, 0), db_cell(r, start, 0)))
        e++;
    return e;
}

int db_participant_load(struct db *db, const uint8_t lp[16], const int64_t *ids, size_t n,
                        struct arena *a, struct db_participant **out)
{
    struct db_rows r;
    struct id_index ix;
    const char *list = ids_json(a, ids, n);
    struct db_val p1[] = {DB_STR(list)};
    struct db_val p2[] = {DB_STR(list), LP(lp)};
    struct db_val p4[] = {DB_STR(list), LP(lp), DB_STR(list), LP(lp)};
    struct db_participant *ts = arena_calloc(a, n + 1, sizeof(*ts));
    int rc;

    *out = ts;
    if (!n)
        return DB_OK;
    index_build(a, ids, n, &ix);
    if ((rc = db_query(db, &stmts[P_LOAD_TEACHERS], p1, 1, a, &r)))
        return rc;
    for (size_t i = 0; i < r.nrows; i++) {
        size_t pos = index_find(&ix, db_cell_i64(&r, i, 0, 0));
        if (pos != PARTICIPANT_NONE)
            fill_teacher(&r, i, &ts[pos]);
    }
    if ((rc = db_query(db, &stmts[P_LOAD_ENROLMENTS], p4, 4, a, &r)))
        return rc;
    for (size_t i = 0; i < r.nrows; i++) {
        size_t pos = index_find(&ix, db_cell_i64(&r, i, 0, 0));
        if (pos != PARTICIPANT_NONE)
            fill_enrolment(&r, i, &ts[pos].enrolment[cell_role(&r, i, 1)]);
    }
    if ((rc = db_query(db, &stmts[P_LOAD_INDUCTIONS], p1, 1, a, &r)))
        return rc;
    EACH_RUN(&r, &ix, pos, start, end)
    {
        struct db_participant *t = &ts[pos];
        t->ninductions = end - start;
        t->inductions = arena_calloc(a, t->ninductions, sizeof(*t->inductions));
        for (size_t i = start; i < end; i++) {
            t->inductions[i - start].started_on = db_cell_day(&r, i, 1, PARTICIPANT_NO_DAY);
            t->inductions[i - start].finished_on = db_cell_day(&r, i, 2, PARTICIPANT_NO_DAY);
            t->inductions[i - start].has_outcome = db_cell_i64(&r, i, 3, 0) != 0;
        }
    }
    if ((rc = db_query(db, &stmts[P_LOAD_CHANGES], p1, 1, a, &r)))
        return rc;
    EACH_RUN(&r, &ix, pos, start, end)
    {
        struct db_participant *t = &ts[pos];
        t->nchanges = end - start;
        t->changes = arena_calloc(a, t->nchanges, sizeof(*t->changes));
        for (size_t i = start; i < end; i++) {
            db_cell_uuid(&r, i, 1, t->changes[i - start].from);
            db_cell_uuid(&r, i, 2, t->changes[i - start].to);
            t->changes[i - start].changed_at_us = db_cell_ts(&r, i, 3, PARTICIPANT_NO_US);
        }
    }
    if ((rc = db_query(db, &stmts[P_LOAD_MENTORSHIPS], p2, 2, a, &r)))
        return rc;
    EACH_RUN(&r, &ix, pos, start, end)
    {
        struct db_participant *t = &ts[pos];
        t->nmentorships = end - start;
        t->mentorships = arena_calloc(a, t->nmentorships, sizeof(*t->mentorships));
        for (size_t i = start; i < end; i++) {
            struct db_participant_mentorship *m = &t->mentorships[i - start];
            m->m.school_period_id = db_cell_i64(&r, i, 1, 0);
            m->m.mentor_id = (int64_t)(i - start);
            db_cell_uuid(&r, i, 2, m->mentor_api_id);
            m->m.started_on = db_cell_day(&r, i, 3, PARTICIPANT_NO_DAY);
            m->m.finished_on = db_cell_day(&r, i, 4, PARTICIPANT_NO_DAY);
        }
    }
    return DB_OK;
}

/* ---- unfunded mentors ---- */

static void fill_unfunded(const struct db_rows *r, size_t i, struct db_unfunded_mentor *m)
{
    db_cell_uuid(r, i, 0, m->api_id);
    m->full_name = db_cell(r, i, 1);
    m->email = db_cell(r, i, 2);
    m->trn = db_cell(r, i, 3);
    m->created_at_us = db_cell_ts(r, i, 4, PARTICIPANT_NO_US);
    m->updated_at_us = db_cell_ts(r, i, 5, PARTICIPANT_NO_US);
}

int db_participant_unfunded_list(struct db *db, const uint8_t lp[16], const struct pagination *page,
                                 struct arena *a, struct db_unfunded_mentor **out, size_t *n)
{
    char since[27];
    struct db_rows r;
    clock_format_sql_datetime(page->has_updated_since ? page->updated_since_us : 0, since);
    struct db_val p[] = {LP(lp), LP(lp), DB_STR(since), DB_I64(page->per_page),
                         DB_I64(page->offset)};
    int then = page->then == PAGINATION_SORT__MAX ? 0 : 1 + sort_desc(page->then);
    int rc = db_query(db, &unfunded_stmts[page->sort][then], p, 5, a, &r);
    if (rc)
        return rc;
    *out = arena_calloc(a, r.nrows + 1, sizeof(**out));
    for (size_t i = 0; i < r.nrows; i++)
        fill_unfunded(&r, i, &(*out)[i]);
    *n = r.nrows;
    return DB_OK;
}

int db_participant_unfunded_get(struct db *db, const uint8_t lp[16], const uint8_t api_id[16],
                                struct arena *a, struct db_unfunded_mentor *out)
{
    struct db_rows r;
    struct db_val p[] = {LP(lp), LP(lp), DB_BIN(api_id, 16)};
    int rc = db_query_one(db, &stmts[P_UNFUNDED_GET], p, 3, a, &r);
    if (rc)
        return rc;
    fill_unfunded(&r, 0, out);
    return DB_OK;
}

/* ---- transfers ---- */

int db_participant_transfer_ids(struct db *db, const uint8_t lp[16], const uint8_t *api_id,
                                struct arena *a, int64_t **ids, size_t *n)
{
    struct db_rows r;
    struct db_val p[] = {LP(lp), api_id ? DB_BIN(api_id, 16) : DB_NULLV};
    int rc =
        db_query(db, &stmts[api_id ? P_TRANSFER_ID : P_TRANSFER_IDS], p, api_id ? 2 : 1, a, &r);
    if (rc)
        return rc;
    *ids = arena_calloc(a, r.nrows + 1, sizeof(**ids));
    for (size_t i = 0; i < r.nrows; i++)
        (*ids)[i] = db_cell_i64(&r, i, 0, 0);
    *n = r.nrows;
    return DB_OK;
}

/* 1 + index of a lead provider in h->lps (added when new), 0 for a school-led period. */
static int64_t lp_index(struct arena *a, struct db_history *h, size_t *cap, const char *id,
                        size_t len, const char *name)
{
    if (!id || len != 16)
        return 0;
    for (size_t i = 0; i < h->nlps; i++)
        if (!memcmp(h->lps[i].id, id, 16))
            return (int64_t)i + 1;
    if (h->nlps == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        struct db_history_lead_provider *n = arena_calloc(a, ncap, sizeof(*n));
        if (h->nlps)
            memcpy(n, h->lps, h->nlps * sizeof(*n));
        h->lps = n;
        *cap = ncap;
    }
    memcpy(h->lps[h->nlps].id, id, 16);
    h->lps[h->nlps].name = name;
    return (int64_t)++h->nlps;
}

int db_participant_history(struct db *db, const int64_t *ids, size_t n, struct arena *a,
                           struct db_history *out)
{
    struct db_rows r;
    size_t cap = 0;
    struct db_val p[] = {DB_STR(ids_json(a, ids, n))};
    int rc;
    memset(out, 0, sizeof(*out));
    if (!n)
        return DB_OK;
    if ((rc = db_query(db, &stmts[P_HISTORY_SCHOOL_PERIODS], p, 1, a, &r)))
        return rc;
    out->nsps = r.nrows;
    out->sps = arena_calloc(a, r.nrows + 1, sizeof(*out->sps));
    for (size_t i = 0; i < r.nrows; i++) {
        struct db_history_school_period *s = &out->sps[i];
        s->teacher_id = db_cell_i64(&r, i, 0, 0);
        s->role = cell_role(&r, i, 1);
        s->sp.id = db_cell_i64(&r, i, 2, 0);
        s->sp.school_id = db_cell_i64(&r, i, 3, 0);
        s->sp.started_on = db_cell_day(&r, i, 4, PARTICIPANT_NO_DAY);
        s->sp.finished_on = db_cell_day(&r, i, 5, PARTICIPANT_NO_DAY);
        s->school_urn = db_cell(&r, i, 6);
    }
    if ((rc = db_query(db, &stmts[P_HISTORY_TRAINING_PERIODS], p, 1, a, &r)))
        return rc;
    out->ntps = r.nrows;
    out->tps = arena_calloc(a, r.nrows + 1, sizeof(*out->tps));
    for (size_t i = 0; i < r.nrows; i++) {
        struct db_history_training_period *t = &out->tps[i];
        t->teacher_id = db_cell_i64(&r, i, 0, 0);
        t->p.role = cell_role(&r, i, 1);
        t->p.id = db_cell_i64(&r, i, 2, 0);
        t->p.school_period_id = db_cell_i64(&r, i, 3, 0);
        t->p.lead_provider_id =
            lp_index(a, out, &cap, db_cell(&r, i, 4), db_cell_len(&r, i, 4), db_cell(&r, i, 5));
        t->p.started_on = db_cell_day(&r, i, 6, PARTICIPANT_NO_DAY);
        t->p.finished_on = db_cell_day(&r, i, 7, PARTICIPANT_NO_DAY);
        t->p.withdrawn_at = db_cell_ts(&r, i, 8, PARTICIPANT_NO_US);
        t->p.deferred_at = db_cell_ts(&r, i, 9, PARTICIPANT_NO_US);
        t->created_at_us = db_cell_ts(&r, i, 10, PARTICIPANT_NO_US);
        t->transfer_updated_at_us = db_cell_ts(&r, i, 11, PARTICIPANT_NO_US);
    }
    return DB_OK;
}
