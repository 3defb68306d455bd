/* ecfctl seed --participants N [--lead-providers K]: a large synthetic Lead Provider API data
 * set for load tests, written set-based. Every row of a run is made by INSERT ... SELECT over
 * a generated range of numbers (a cross join of four digit tables: up to 10,000 per
 * statement, no recursion limits, the same SQL on MariaDB and MySQL 8), in transactions of
 * SEED_BATCH teachers. The rows of one run find each other through their api_id: UUIDs built
 * from a random per-run prefix, a kind letter and the row number (valid v4 text), so each
 * statement joins the previous one's rows by a unique key instead of reading ids back.
 *
 * Shape: K lead providers "Load Provider 1..K" and delivery partners "Load Delivery Partner
 * 1..K" (reused when present); ceil(N / 100) new schools (URNs from 900000 up) each with a
 * partnership per provider for 2023, 2024 and 2025; teacher n (0-based) is an ECT (a mentor
 * when n mod 7 = 3) at school n mod S, in cohort 2023 + n mod 3, trained by provider 1
 * except every tenth teacher, who goes round providers 2..K; one provider-led training
 * period on ecf-standard-september from 1-20 September, every eleventh finishing two years
 * later. The * metadata rows (teacher_lead_providers) are written by the same kind of statement:
 * one period per teacher is its latest with its provider; their participant documents are then
 * stored by db_participant_docs_fill_missing (a batch of rows per provider at a time). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "ctl.h"
#include "db/db.h"
#include "db/db_admin_data.h"
#include "db/db_participant_docs.h"
#include "db/db_tokens.h"

#define SEED_BATCH 5000 /* teachers per transaction; at most 10,000 (the generated range) */
#define SEED_MAX_PROVIDERS 50

/* Declared in ctl.h once it lists this module. */

#define D10                                                                                        \
    "(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "     \
    "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 "                 \
    "UNION ALL SELECT 9)"
/* Numbers start .. start + count - 1 as g.n. Parameters: start, count. */
#define RANGE                                                                                      \
    "(SELECT ? + d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d AS n FROM " D10 " d0, " D10           \
    " d1, " D10 " d2, " D10 " d3 WHERE d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d < ?) g"
/* The run's UUIDs: RUN_UUID "'<kind>'" OF_N is UNHEX(CONCAT(run prefix, kind digit, 14 hex
 * digits of g.n)), the prefix being a parameter; other numbers are spelled out. Kinds:
 * a school, b partnership, c teacher, d/e ECT/mentor training record, f school period,
 * 0 training period. */
#define RUN_UUID "UNHEX(CONCAT(?, "
#define OF_N ", LPAD(HEX(g.n), 14, '0')))"
/* Provider index (0-based) of teacher g.n. Parameters: K, K. */
#define PROVIDER "IF(? > 1 AND g.n % 10 = 9, 1 + (g.n DIV 10) % (? - 1), 0)"

enum {
    SP_PARTNER_FIND,
    SP_URN_MAX,
    SP_SCHOOLS,
    SP_PARTNERSHIPS,
    SP_TEACHERS,
    SP_SCHOOL_PERIODS,
    SP_TRAINING_PERIODS,
    SP_METADATA,
    SP__MAX
};

static struct db_stmt stmts[SP__MAX] = {
    [SP_PARTNER_FIND] = DB_STMT("SELECT id FROM delivery_partners WHERE name = ?"),
    [SP_URN_MAX] =
        DB_STMT("SELECT COALESCE(MAX(urn), '899999') FROM schools WHERE urn >= '900000'"),
    /* prefix, urn base, tag, now, now, start, count */
    [SP_SCHOOLS] = DB_STMT("INSERT INTO schools (api_id, urn, name, pupil_premium_uplift, "
                           "sparsity_uplift, created_at, updated_at) "
                           "SELECT " RUN_UUID "'a'" OF_N ", LPAD(? + g.n, 6, '0'), "
                           "CONCAT('Load School ', ?, '-', g.n + 1), g.n % 2, g.n % 3 = 0, ?, ? "
                           "FROM " RANGE),
    /* prefix, now, now, start, count, providers JSON, K, prefix, K */
    [SP_PARTNERSHIPS] = DB_STMT(
        "INSERT INTO partnerships (api_id, school_id, lead_provider_id, delivery_partner_id, "
        "cohort, created_at, updated_at) "
        "SELECT " RUN_UUID "'b'" OF_N ", s.id, UNHEX(pv.lp), UNHEX(pv.dp), 2023 + g.n % 3, ?, ? "
        "FROM " RANGE " JOIN JSON_TABLE(?, '$[*]' COLUMNS (k FOR ORDINALITY, "
        "lp CHAR(32) PATH '$[0]', dp CHAR(32) PATH '$[1]')) pv ON pv.k = (g.n DIV 3) % ? + 1 "
        "JOIN schools s ON s.api_id = " RUN_UUID "'a', LPAD(HEX(g.n DIV (3 * ?)), 14, '0')))"),
    /* prefix, tag, prefix, prefix, created base x3, start, count */
    [SP_TEACHERS] = DB_STMT(
        "INSERT INTO teachers (api_id, full_name, api_ect_training_record_id, "
        "api_mentor_training_record_id, created_at, updated_at, unfunded_mentor_updated_at) "
        "SELECT " RUN_UUID "'c'" OF_N ", CONCAT('Load Participant ', ?, '-', g.n + 1), " RUN_UUID
        "'d'" OF_N ", " RUN_UUID "'e'" OF_N
        ", TIMESTAMPADD(MICROSECOND, g.n, ?), TIMESTAMPADD(MICROSECOND, g.n, ?), "
        "TIMESTAMPADD(MICROSECOND, g.n, ?) FROM " RANGE),
    /* prefix, tag, start, count, prefix, prefix, S */
    [SP_SCHOOL_PERIODS] = DB_STMT(
        "INSERT INTO school_periods (api_id, teacher_id, role, school_id, email, started_on, "
        "working_pattern, created_at, updated_at) "
        "SELECT " RUN_UUID "'f'" OF_N ", t.id, IF(g.n % 7 = 3, 'mentor', 'ect'), s.id, "
        "CONCAT('load.', ?, '.', g.n + 1, '@example.org'), "
        "CAST(CONCAT(2023 + g.n % 3, '-09-01') AS DATE) + INTERVAL g.n % 20 DAY, "
        "IF(g.n % 7 = 3, NULL, IF(g.n % 4 = 1, 'part_time', 'full_time')), "
        "t.created_at, t.created_at FROM " RANGE " JOIN teachers t ON t.api_id = " RUN_UUID
        "'c'" OF_N " JOIN schools s ON s.api_id = " RUN_UUID "'a', LPAD(HEX(g.n % ?), 14, '0')))"),
    /* prefix, start, count, prefix, prefix, S, K, K, K */
    [SP_TRAINING_PERIODS] = DB_STMT(
        "INSERT INTO training_periods (api_id, school_period_id, partnership_id, "
        "lead_provider_id, cohort, schedule_id, started_on, finished_on, transfer_updated_at, "
        "created_at, updated_at) "
        "SELECT " RUN_UUID "'0'" OF_N
        ", sp.id, p.id, p.lead_provider_id, p.cohort, p.cohort * 100 + 1, "
        "sp.started_on, IF(g.n % 11 = 5, sp.started_on + INTERVAL 2 YEAR, NULL), "
        "sp.created_at, sp.created_at, sp.created_at FROM " RANGE
        " JOIN school_periods sp ON sp.api_id = " RUN_UUID "'f'" OF_N
        " JOIN partnerships p ON p.api_id = " RUN_UUID "'b', "
        "LPAD(HEX((g.n % ?) * 3 * ? + " PROVIDER " * 3 + g.n % 3), 14, '0')))"),
    /* start, count, prefix */
    [SP_METADATA] = DB_STMT(
        "INSERT INTO teacher_lead_providers (teacher_id, lead_provider_id, "
        "latest_ect_training_period_id, latest_ect_cohort, latest_mentor_training_period_id, "
        "latest_mentor_cohort, teacher_created_at, teacher_updated_at) "
        "SELECT sp.teacher_id, tp.lead_provider_id, IF(sp.role = 'ect', tp.id, NULL), "
        "IF(sp.role = 'ect', tp.cohort, NULL), IF(sp.role = 'mentor', tp.id, NULL), "
        "IF(sp.role = 'mentor', tp.cohort, NULL), sp.created_at, sp.created_at FROM " RANGE
        " JOIN training_periods tp ON tp.api_id = " RUN_UUID "'0'" OF_N
        " JOIN school_periods sp ON sp.id = tp.school_period_id"),
};

static void hex(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* "Load Provider k" and "Load Delivery Partner k", found or created; ids as 32 hex digits
 * into json as [["lp","dp"],...]. */
static int providers(struct ctl *c, long k, char *json, size_t cap)
{
    size_t len = (size_t)xsnprintf(json, cap, "[");
    for (long i = 1; i <= k; i++) {
        char name[64], lph[33], dph[33];
        struct lead_provider_row lp;
        xsnprintf(name, sizeof(name), "Load Provider %ld", i);
        int rc = db_lead_provider_find(c->db, name, c->arena, &lp);
        if (rc == DB_NOT_FOUND) {
            ids_uuid_v4(lp.id);
            lp.name = name;
            lp.created_at_us = c->now_us;
            rc = db_lead_provider_insert(c->db, &lp);
        }
        if (rc != DB_OK)
            return rc;
        hex(lp.id, 16, lph);

        struct db_rows r;
        xsnprintf(name, sizeof(name), "Load Delivery Partner %ld", i);
        struct db_val p[] = {DB_STR(name)};
        if ((rc = db_query(c->db, &stmts[SP_PARTNER_FIND], p, 1, c->arena, &r)))
            return rc;
        if (r.nrows == 1 && db_cell_len(&r, 0, 0) == 16) {
            hex((const uint8_t *)db_cell(&r, 0, 0), 16, dph);
        } else {
            struct ad_delivery_partner dp = {.name = name, .created_at_us = c->now_us};
            ids_uuid_v4(dp.id);
            if ((rc = db_ad_delivery_partner_insert(c->db, &dp)))
                return rc;
            hex(dp.id, 16, dph);
        }
        len += (size_t)xsnprintf(json + len, cap - len, "%s[\"%s\",\"%s\"]", i > 1 ? "," : "", lph,
                                 dph);
    }
    xsnprintf(json + len, cap - len, "]");
    return DB_OK;
}

/* Runs `stmt` over numbers [0, total) in slices of `step`; params[start_at] and
 * params[start_at + 1] are the slice's start and count. */
static int over_range(struct ctl *c, struct db_stmt *stmt, struct db_val *params, size_t n,
                      size_t start_at, long total, long step)
{
    for (long start = 0; start < total; start += step) {
        long count = total - start < step ? total - start : step;
        params[start_at] = DB_I64(start);
        params[start_at + 1] = DB_I64(count);
        int rc = db_exec(c->db, stmt, params, n, NULL);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

/* One transaction: teachers [start, start + count) with their periods and metadata rows. */
static int seed_batch(struct ctl *c, const char *prefix, const char *tag, const char *base,
                      long start, long count, long schools, long k)
{
    struct db *db = c->db;
    struct db_val t[] = {DB_STR(prefix), DB_STR(tag),  DB_STR(prefix), DB_STR(prefix), DB_STR(base),
                         DB_STR(base),   DB_STR(base), DB_I64(start),  DB_I64(count)};
    struct db_val sp[] = {DB_STR(prefix), DB_STR(tag),    DB_I64(start),  DB_I64(count),
                          DB_STR(prefix), DB_STR(prefix), DB_I64(schools)};
    struct db_val tp[] = {DB_STR(prefix), DB_I64(start),  DB_I64(count),
                          DB_STR(prefix), DB_STR(prefix), DB_I64(schools),
                          DB_I64(k),      DB_I64(k),      DB_I64(k)};
    struct db_val md[] = {DB_I64(start), DB_I64(count), DB_STR(prefix)};
    const struct {
        struct db_stmt *stmt;
        const struct db_val *p;
        size_t n;
    } steps[] = {
        {&stmts[SP_TEACHERS], t, sizeof(t) / sizeof(t[0])},
        {&stmts[SP_SCHOOL_PERIODS], sp, sizeof(sp) / sizeof(sp[0])},
        {&stmts[SP_TRAINING_PERIODS], tp, sizeof(tp) / sizeof(tp[0])},
        {&stmts[SP_METADATA], md, sizeof(md) / sizeof(md[0])},
    };
    int rc = db_begin(db);
    for (size_t i = 0; rc == DB_OK && i < sizeof(steps) / sizeof(steps[0]); i++)
        rc = db_exec(db, steps[i].stmt, steps[i].p, steps[i].n, NULL);
    if (rc == DB_OK)
        return db_commit(db);
    db_rollback(db);
    return rc;
}

/* *reported is set when the failure was already printed. */
static int seed_rows(struct ctl *c, long n, long k, long *schools_out, int *reported)
{
    struct db *db = c->db;
    char json[SEED_MAX_PROVIDERS * 72 + 8], prefix[18], tag[9], now[27], base[27];
    uint8_t rnd[8];
    int rc;
    if ((rc = providers(c, k, json, sizeof(json))))
        return rc;

    /* The run's UUID prefix: 6 random bytes, version 4, 3 random digits, variant 8. */
    ids_random(rnd, sizeof(rnd));
    char h[17];
    hex(rnd, 8, h);
    xsnprintf(prefix, sizeof(prefix), "%.12s4%.3s8", h, h + 12);
    xsnprintf(tag, sizeof(tag), "%.8s", h + 8);
    clock_format_sql_datetime(c->now_us, now);
    /* Teachers list after everything already there, one microsecond apart. */
    clock_format_sql_datetime(c->now_us + 1, base);

    long schools = (n + 99) / 100;
    struct db_rows r;
    if ((rc = db_query(db, &stmts[SP_URN_MAX], NULL, 0, c->arena, &r)))
        return rc;
    long urn_base = (r.nrows == 1 && db_cell(&r, 0, 0) ? atol(db_cell(&r, 0, 0)) : 899999) + 1;
    if (urn_base + schools - 1 > 999999) {
        ctl_fail("no room for %ld more load-test schools (URNs 900000-999999)", schools);
        *reported = 1;
        return DB_ERROR;
    }
    *schools_out = schools;

    if ((rc = db_begin(db)))
        return rc;
    struct db_val sc[] = {DB_STR(prefix), DB_I64(urn_base), DB_STR(tag), DB_STR(now),
                          DB_STR(now),    DB_NULLV,         DB_NULLV};
    rc = over_range(c, &stmts[SP_SCHOOLS], sc, 7, 5, schools, 10000);
    if (rc == DB_OK) {
        struct db_val pa[] = {DB_STR(prefix), DB_STR(now), DB_STR(now),    DB_NULLV, DB_NULLV,
                              DB_STR(json),   DB_I64(k),   DB_STR(prefix), DB_I64(k)};
        rc = over_range(c, &stmts[SP_PARTNERSHIPS], pa, 9, 3, schools * 3 * k, 9999);
    }
    if (rc == DB_OK)
        rc = db_commit(db);
    else
        db_rollback(db);

    for (long start = 0; rc == DB_OK && start < n; start += SEED_BATCH)
        rc = seed_batch(c, prefix, tag, base, start,
                        n - start < SEED_BATCH ? n - start : SEED_BATCH, schools, k);
    return rc;
}

int ctl_seed_participants(struct ctl *c, long n, long k)
{
    if (n < 0 || k < 1 || k > SEED_MAX_PROVIDERS)
        return CTL_USAGE;
    int64_t t0 = clock_real_us(), t_docs = 0;
    long schools = 0;
    if (n > 0) {
        int reported = 0;
        int rc = seed_rows(c, n, k, &schools, &reported);
        if (rc != DB_OK && reported)
            return CTL_FAIL;
        /* The metadata rows were written set-based: store their participant documents. */
        size_t docs = 0;
        t_docs = clock_real_us();
        if (rc == DB_OK)
            rc = db_participant_docs_fill_missing(c->db, &docs);
        t_docs = clock_real_us() - t_docs;
        if (rc != DB_OK)
            return ctl_fail("database: %s", db_last_error(c->db));
    }
    printf("participants: %ld added across %ld lead providers (%ld schools) in %.1f s "
           "(documents %.1f s)\n",
           n, k, schools, (double)(clock_real_us() - t0) / 1e6, (double)t_docs / 1e6);
    return CTL_OK;
}
