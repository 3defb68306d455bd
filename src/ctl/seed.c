/* ecfctl seed and refresh. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "ctl.h"
#include "db/db.h"
#include "db/db_admin_data.h"
#include "db/db_mentors.h"
#include "db/db_participant_docs.h"
#include "db/db_participants.h"
#include "db/db_refresh.h"
#include "db/db_teacher_metadata.h"
#include "db/db_tokens.h"
#include "domain/mentor_rules.h"
#include "domain/participant_rules.h"
#include "domain/schedule_rules.h"

static const char *const demo_lead_providers[] = {"Ambition Institute", "Best Practice Network",
                                                  "Teach First"};

static const struct {
    const char *id, *name;
} demo_chapters[] = {
    {"chpt_03AZ", "North West"},
    {"chpt_07KM", "London"},
    {"chpt_11PQ", "Yorkshire and the Humber"},
};

/* Mentors in every state: active, paused by hand, certification lapsed, none on file. */
static const struct {
    const char *name, *email, *chapter;
    int expiry_offset_days; /* relative to today; 0 = no certification on file */
    const char *pause_reason;
} demo_mentors[] = {
    {"Sarah Chen", "sarah.chen@example.org", "chpt_03AZ", 400, NULL},
    {"James Okafor", "james.okafor@example.org", "chpt_03AZ", 300, "Certification review"},
    {"Amara Diallo", "amara.diallo@example.org", "chpt_03AZ", 600, NULL},
    {"Tomasz Nowak", "tomasz.nowak@example.org", "chpt_07KM", -10, NULL},
    {"Priya Sharma", "priya.sharma@example.org", "chpt_07KM", 0, NULL},
    {"Eilidh MacLeod", "eilidh.macleod@example.org", "chpt_07KM", 200, "Personal leave"},
    {"Oluwaseun Adeyemi", "seun.adeyemi@example.org", "chpt_11PQ", 900, NULL},
    {"Grace O'Neill", "grace.oneill@example.org", "chpt_11PQ", 45, NULL},
    {"Mohammed Rahman", "mohammed.rahman@example.org", "chpt_11PQ", 700, NULL},
    {"Hannah Evans", "hannah.evans@example.org", "chpt_03AZ", 120, NULL},
};

/* id: the caller's buffer for the mentor_id (16 bytes), which m points into. */
static int insert_mentor(struct ctl *c, struct mentor_row *m, char *id)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        ids_prefixed_random("mntr_", 10, id);
        m->mentor_id = id;
        int rc = db_begin(c->db);
        if (rc == DB_OK)
            rc = db_mentor_insert(c->db, m);
        if (rc == DB_OK) {
            struct mentor_event e;
            memset(&e, 0, sizeof(e));
            e.mentor_pk = m->pk;
            e.event = "created";
            e.initiated_by = "ecfctl seed";
            e.status_after = m->status.paused ? "paused" : "active";
            e.at_us = m->created_at_us;
            rc = db_mentor_event_insert(c->db, &e);
        }
        if (rc == DB_OK)
            return db_commit(c->db);
        db_rollback(c->db);
        if (rc != DB_DUPLICATE)
            return rc;
    }
    return DB_DUPLICATE;
}

/* ------------------------------------------------------------------ provider data (v3) */

/* A realistic Lead Provider API data set, written through the admin data functions in one
 * transaction (so the metadata rebuild and updated_at rules are the API's). Lead providers
 * are demo_lead_providers by index; dates are literal so the story reads the same whenever
 * it is seeded. Added once: the first school's URN marks it. */
static const char *const demo_partners[] = {"North Star Teaching Partnership",
                                            "Pennine Learning Trust", "Capital Teaching Alliance",
                                            "Coastal Schools Partnership"};

static const struct {
    const char *urn, *name;
    int pupil_premium, sparsity;
} demo_schools[] = {
    {"100101", "Oakfield Primary School", 1, 0},
    {"100102", "St Mary's Church of England Academy", 0, 1},
    {"100103", "Riverside Community College", 1, 0},
    {"100104", "Hillcrest High School", 0, 0},
    {"100105", "Meadowbank Infant School", 0, 1},
    {"100106", "Kingsway Academy", 1, 1},
};

enum { AMB, BPN, TF };
static const struct {
    int school, lp, partner, cohort;
} demo_partnerships[] = {
    {0, AMB, 0, 2023}, {0, AMB, 0, 2024}, {0, AMB, 0, 2025}, {0, AMB, 0, 2026}, /* 0-3 */
    {1, BPN, 1, 2024}, {1, BPN, 1, 2025},                                       /* 4-5 */
    {2, TF, 2, 2023},  {2, TF, 2, 2025},                                        /* 6-7 */
    {3, AMB, 3, 2025}, {3, TF, 2, 2024},                                        /* 8-9 */
    {4, BPN, 1, 2023},                                                          /* 10 */
    {5, TF, 2, 2025},  {5, AMB, 0, 2024},                                       /* 11-12 */
};

static const struct {
    const char *name, *trn;
} demo_teachers[] = {
    {"Aisha Khan", "3012345"},       /* 0 ECT 2023, induction passed, finished */
    {"Ben Carter", "3012346"},       /* 1 ECT 2024, active */
    {"Chloe Davies", "3012347"},     /* 2 ECT 2025, deferred */
    {"Daniel Murphy", "3012348"},    /* 3 ECT 2024, withdrawn */
    {"Ella Thompson", "3012349"},    /* 4 ECT starting in the future */
    {"Farhan Ali", "3012350"},       /* 5 ECT, school transfer Teach First -> BPN */
    {"Grace Wilson", "3012351"},     /* 6 mentor (Ambition) */
    {"Harry Robinson", "3012352"},   /* 7 mentor (BPN) */
    {"Isla Hughes", "3012353"},      /* 8 unfunded mentor of a Teach First ECT */
    {"Jack Patel", NULL},            /* 9 ECT, school-led */
    {"Katie Morgan", NULL},          /* 10 duplicate of 11, merged into it */
    {"Katherine Morgan", "3012354"}, /* 11 */
    {"Liam O'Connor", "3012355"},    /* 12 mentor (BPN), training finished */
};

static const struct {
    int teacher;
    const char *role;
    int school;
    const char *email, *started_on, *finished_on, *working_pattern;
} demo_school_periods[] = {
    {0, "ect", 0, "aisha.khan@oakfield.example.org", "2023-09-04", "2025-07-18", "full_time"},
    {1, "ect", 1, "ben.carter@stmarys.example.org", "2024-09-02", NULL, "full_time"},
    {2, "ect", 2, "chloe.davies@riverside.example.org", "2025-09-01", NULL, "part_time"},
    {3, "ect", 5, "daniel.murphy@kingsway.example.org", "2024-09-02", "2025-02-14", "full_time"},
    {4, "ect", 0, "ella.thompson@oakfield.example.org", "2027-01-04", NULL, "full_time"},
    {5, "ect", 3, "farhan.ali@hillcrest.example.org", "2024-09-02", "2025-03-31", "full_time"},
    {5, "ect", 1, "farhan.ali@stmarys.example.org", "2025-04-22", NULL, "full_time"},
    {6, "mentor", 0, "grace.wilson@oakfield.example.org", "2019-09-01", NULL, NULL},
    {7, "mentor", 1, "harry.robinson@stmarys.example.org", "2018-09-01", NULL, NULL},
    {8, "mentor", 2, "isla.hughes@riverside.example.org", "2020-09-01", NULL, NULL},
    {9, "ect", 4, "jack.patel@meadowbank.example.org", "2025-09-01", NULL, "full_time"},
    {10, "ect", 5, "katie.morgan@kingsway.example.org", "2025-09-01", NULL, "full_time"},
    {12, "mentor", 1, "liam.oconnor@stmarys.example.org", "2021-09-01", NULL, NULL},
};

enum { T_ACTIVE, T_DEFERRED, T_WITHDRAWN };
static const struct {
    int school_period, partnership; /* partnership -1: school-led */
    const char *schedule, *started_on, *finished_on;
    int stop;
    const char *stop_at, *reason;
} demo_training_periods[] = {
    {0, 0, "ecf-standard-september", "2023-09-04", "2025-07-18", T_ACTIVE, NULL, NULL},
    {1, 4, "ecf-standard-september", "2024-09-02", NULL, T_ACTIVE, NULL, NULL},
    {2, 7, "ecf-standard-september", "2025-09-01", NULL, T_DEFERRED, "2026-02-02 09:00:00",
     "parental-leave"},
    {3, 12, "ecf-standard-september", "2024-09-02", "2025-02-14", T_WITHDRAWN,
     "2025-02-14 12:00:00", "left-teaching-profession"},
    {4, 3, "ecf-standard-january", "2027-01-04", NULL, T_ACTIVE, NULL, NULL},
    {5, 9, "ecf-standard-september", "2024-09-02", "2025-03-31", T_ACTIVE, NULL, NULL},
    {6, 4, "ecf-standard-september", "2025-04-22", NULL, T_ACTIVE, NULL, NULL},
    {7, 1, "ecf-standard-september", "2024-09-02", NULL, T_ACTIVE, NULL, NULL},
    {8, 4, "ecf-standard-september", "2024-09-02", NULL, T_ACTIVE, NULL, NULL},
    {10, -1, NULL, "2025-09-01", NULL, T_ACTIVE, NULL, NULL},
    {11, 11, "ecf-standard-september", "2025-09-01", NULL, T_ACTIVE, NULL, NULL},
    {12, 5, "ecf-standard-september", "2025-09-01", "2026-07-31", T_ACTIVE, NULL, NULL},
};

static const struct {
    int ect, mentor; /* school period indexes */
    const char *started_on, *finished_on;
} demo_mentorships[] = {
    {0, 7, "2023-09-04", "2025-07-18"}, {1, 8, "2024-09-02", NULL}, {2, 9, "2025-09-01", NULL},
    {4, 7, "2027-01-04", NULL},         {6, 8, "2025-04-22", NULL},
};

static const struct {
    int teacher;
    const char *started_on, *finished_on, *outcome;
} demo_inductions[] = {
    {0, "2023-09-04", "2025-07-18", "pass"},
    {1, "2024-09-02", NULL, NULL},
    {2, "2025-09-01", NULL, NULL},
    {5, "2024-09-02", NULL, NULL},
};

static int32_t demo_day(const char *s)
{
    int32_t d = DB_NO_DAY;
    if (s && clock_parse_date(s, &d))
        abort(); /* the table above is wrong */
    return d;
}

static int seed_provider_rows(struct ctl *c, const uint8_t lps[][16])
{
    struct db *db = c->db;
    uint8_t partners[sizeof(demo_partners) / sizeof(demo_partners[0])][16];
    struct ad_school schools[sizeof(demo_schools) / sizeof(demo_schools[0])];
    struct ad_partnership ps[sizeof(demo_partnerships) / sizeof(demo_partnerships[0])];
    struct ad_teacher ts[sizeof(demo_teachers) / sizeof(demo_teachers[0])];
    struct ad_school_period sps[sizeof(demo_school_periods) / sizeof(demo_school_periods[0])];
    int64_t now = c->now_us;
    int rc = DB_OK, rows = 0;
    memset(partners, 0, sizeof(partners));
    memset(schools, 0, sizeof(schools));
    memset(ps, 0, sizeof(ps));
    memset(ts, 0, sizeof(ts));
    memset(sps, 0, sizeof(sps));
#define N(x) (sizeof(x) / sizeof((x)[0]))
    for (size_t i = 0; rc == DB_OK && i < N(demo_partners); i++, rows++) {
        struct ad_delivery_partner dp = {.name = demo_partners[i], .created_at_us = now};
        ids_uuid_v4(dp.id);
        memcpy(partners[i], dp.id, 16);
        rc = db_ad_delivery_partner_insert(db, &dp);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_schools); i++, rows++) {
        schools[i] = (struct ad_school){.urn = demo_schools[i].urn,
                                        .name = demo_schools[i].name,
                                        .pupil_premium_uplift = demo_schools[i].pupil_premium,
                                        .sparsity_uplift = demo_schools[i].sparsity,
                                        .created_at_us = now};
        ids_uuid_v4(schools[i].api_id);
        rc = db_ad_school_insert(db, &schools[i]);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_partnerships); i++, rows++) {
        memset(&ps[i], 0, sizeof(ps[i]));
        ids_uuid_v4(ps[i].api_id);
        ps[i].school_pk = schools[demo_partnerships[i].school].pk;
        memcpy(ps[i].lead_provider_id, lps[demo_partnerships[i].lp], 16);
        memcpy(ps[i].delivery_partner_id, partners[demo_partnerships[i].partner], 16);
        ps[i].cohort = demo_partnerships[i].cohort;
        rc = db_ad_partnership_insert(db, &ps[i], now);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_teachers); i++, rows++) {
        ts[i] = (struct ad_teacher){.full_name = demo_teachers[i].name,
                                    .trn = demo_teachers[i].trn,
                                    .created_at_us = now + (int64_t)i}; /* stable order */
        ids_uuid_v4(ts[i].api_id);
        ids_uuid_v4(ts[i].ect_training_record_id);
        ids_uuid_v4(ts[i].mentor_training_record_id);
        rc = db_ad_teacher_insert(db, &ts[i]);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_school_periods); i++, rows++) {
        sps[i] =
            (struct ad_school_period){.teacher_pk = ts[demo_school_periods[i].teacher].pk,
                                      .role = demo_school_periods[i].role,
                                      .school_pk = schools[demo_school_periods[i].school].pk,
                                      .email = demo_school_periods[i].email,
                                      .started_on = demo_day(demo_school_periods[i].started_on),
                                      .finished_on = demo_day(demo_school_periods[i].finished_on),
                                      .working_pattern = demo_school_periods[i].working_pattern};
        ids_uuid_v4(sps[i].api_id);
        rc = db_ad_school_period_insert(db, &sps[i], now);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_training_periods); i++, rows++) {
        struct ad_training_period tp;
        memset(&tp, 0, sizeof(tp));
        ids_uuid_v4(tp.api_id);
        tp.school_period_pk = sps[demo_training_periods[i].school_period].pk;
        tp.started_on = demo_day(demo_training_periods[i].started_on);
        tp.finished_on = demo_day(demo_training_periods[i].finished_on);
        int p = demo_training_periods[i].partnership;
        if (p >= 0) {
            enum schedule_id sid;
            if (schedule_parse(demo_training_periods[i].schedule, &sid))
                abort(); /* the table above is wrong */
            tp.provider_led = 1;
            tp.partnership_pk = ps[p].pk;
            memcpy(tp.lead_provider_id, ps[p].lead_provider_id, 16);
            tp.cohort = ps[p].cohort;
            tp.schedule_id = (unsigned)(tp.cohort * 100 + (int)sid + 1);
        }
        rc = db_ad_training_period_insert(db, &tp, now);
        if (rc == DB_OK && demo_training_periods[i].stop != T_ACTIVE) {
            int64_t at = 0;
            if (clock_parse_sql_datetime(demo_training_periods[i].stop_at, &at))
                abort();
            int deferred = demo_training_periods[i].stop == T_DEFERRED;
            rc = db_ad_training_period_set_stop(
                db, tp.pk, deferred ? at : 0, deferred ? demo_training_periods[i].reason : NULL,
                deferred ? 0 : at, deferred ? NULL : demo_training_periods[i].reason);
        }
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_mentorships); i++, rows++) {
        struct ad_mentorship m;
        memset(&m, 0, sizeof(m));
        ids_uuid_v4(m.api_id);
        m.ect_school_period_pk = sps[demo_mentorships[i].ect].pk;
        m.mentor_school_period_pk = sps[demo_mentorships[i].mentor].pk;
        m.started_on = demo_day(demo_mentorships[i].started_on);
        m.finished_on = demo_day(demo_mentorships[i].finished_on);
        rc = db_ad_mentorship_insert(db, &m, now);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_inductions); i++, rows++) {
        struct ad_induction_period ip = {.teacher_pk = ts[demo_inductions[i].teacher].pk,
                                         .started_on = demo_day(demo_inductions[i].started_on),
                                         .finished_on = demo_day(demo_inductions[i].finished_on),
                                         .outcome = demo_inductions[i].outcome};
        ids_uuid_v4(ip.api_id);
        rc = db_ad_induction_period_insert(db, &ip, now);
    }
    for (size_t i = 0; rc == DB_OK && i < N(demo_teachers); i++)
        rc = db_teacher_metadata_rebuild(db, ts[i].pk, now);
    /* The duplicate (10) merged into 11, as the dedupe service would. */
    if (rc == DB_OK) {
        rc = db_ad_teacher_merge(db, &ts[10], &ts[11], now + 1000, NULL, "ecfctl seed", NULL);
        if (rc == DB_OK)
            rc = db_teacher_touch(db, ts[11].pk, now + 1000, 1);
        if (rc == DB_OK)
            rc = db_teacher_metadata_rebuild(db, ts[11].pk, now + 1000);
        rows++;
    }
    /* An open output statement per provider for 2025. */
    for (size_t i = 0; rc == DB_OK && i < N(demo_lead_providers); i++, rows++) {
        struct ad_statement st;
        memset(&st, 0, sizeof(st));
        ids_uuid_v4(st.api_id);
        memcpy(st.lead_provider_id, lps[i], 16);
        st.cohort = 2025;
        st.deadline_date = demo_day("2027-01-31");
        st.payment_date = demo_day("2027-02-28");
        st.created_at_us = now;
        rc = db_ad_statement_insert(db, &st);
    }
#undef N
    return rc == DB_OK ? rows : -1;
}

/* Adds the provider data set unless its first school exists. Returns rows added, or -1. */
static int seed_provider_data(struct ctl *c, const uint8_t lps[][16])
{
    struct ad_school s;
    int rc = db_ad_school_get_by_urn(c->db, demo_schools[0].urn, c->arena, &s);
    if (rc == DB_OK)
        return 0;
    if (rc != DB_NOT_FOUND || db_begin(c->db) != DB_OK)
        return -1;
    int rows = seed_provider_rows(c, lps);
    if (rows < 0 || db_commit(c->db) != DB_OK) {
        db_rollback(c->db);
        return -1;
    }
    return rows;
}

static int seed_demo(struct ctl *c)
{
    struct lead_provider_row lp;
    uint8_t lp_ids[sizeof(demo_lead_providers) / sizeof(demo_lead_providers[0])][16];
    int added = 0;
    for (size_t i = 0; i < sizeof(demo_lead_providers) / sizeof(demo_lead_providers[0]); i++) {
        int rc = db_lead_provider_find(c->db, demo_lead_providers[i], c->arena, &lp);
        if (rc == DB_OK) {
            memcpy(lp_ids[i], lp.id, 16);
            continue;
        }
        if (rc != DB_NOT_FOUND)
            return ctl_fail("database: %s", db_last_error(c->db));
        ids_uuid_v4(lp.id);
        lp.name = demo_lead_providers[i];
        lp.created_at_us = c->now_us;
        if (db_lead_provider_insert(c->db, &lp))
            return ctl_fail("database: %s", db_last_error(c->db));
        memcpy(lp_ids[i], lp.id, 16);
        added++;
    }
    int fresh_chapters = 0;
    for (size_t i = 0; i < sizeof(demo_chapters) / sizeof(demo_chapters[0]); i++) {
        int exists = 0;
        if (db_chapter_exists(c->db, demo_chapters[i].id, c->arena, &exists))
            return ctl_fail("database: %s", db_last_error(c->db));
        if (exists)
            continue;
        struct chapter_row ch = {demo_chapters[i].id, demo_chapters[i].name, c->now_us};
        if (db_chapter_insert(c->db, &ch))
            return ctl_fail("database: %s", db_last_error(c->db));
        fresh_chapters++;
    }
    /* Mentors only with freshly created chapters, so running seed twice adds nothing. */
    int32_t today = clock_day_of(c->now_us);
    for (size_t i = 0; fresh_chapters && i < sizeof(demo_mentors) / sizeof(demo_mentors[0]); i++) {
        struct mentor_row m;
        char id[16];
        memset(&m, 0, sizeof(m));
        m.full_name = demo_mentors[i].name;
        m.email = demo_mentors[i].email;
        m.chapter_id = demo_mentors[i].chapter;
        m.status.has_expiry = demo_mentors[i].expiry_offset_days != 0;
        m.status.expiry_day = today + demo_mentors[i].expiry_offset_days;
        m.created_at_us = m.updated_at_us = c->now_us + (int64_t)i; /* stable order */
        if (demo_mentors[i].pause_reason) {
            m.status.paused = 1;
            m.status.paused_at_us = c->now_us;
            m.pause_reason = demo_mentors[i].pause_reason;
        }
        if (insert_mentor(c, &m, id) != DB_OK)
            return ctl_fail("database: %s", db_last_error(c->db));
        added++;
    }
    int provider_rows = seed_provider_data(c, (const uint8_t(*)[16])lp_ids);
    if (provider_rows < 0)
        return ctl_fail("database: %s", db_last_error(c->db));
    added += provider_rows;
    printf("demo data: %d rows added%s\n", added, added ? "" : " (already present)");
    return CTL_OK;
}

/* Synthetic mentors for load tests, committed in batches. */
static int seed_mentors(struct ctl *c, long n)
{
    char name[64], email[96], id[16];
    const char *chapters[] = {"chpt_LOAD1", "chpt_LOAD2", "chpt_LOAD3", "chpt_LOAD4"};
    for (size_t i = 0; i < 4; i++) {
        int exists = 0;
        if (db_chapter_exists(c->db, chapters[i], c->arena, &exists))
            return ctl_fail("database: %s", db_last_error(c->db));
        struct chapter_row ch = {chapters[i], "Load test chapter", c->now_us};
        if (!exists && db_chapter_insert(c->db, &ch))
            return ctl_fail("database: %s", db_last_error(c->db));
    }
    int32_t today = clock_day_of(c->now_us);
    uint8_t tag[4];
    ids_random(tag, sizeof(tag));
    for (long i = 0; i < n; i++) {
        if (i % 1000 == 0) {
            if (i && db_commit(c->db))
                return ctl_fail("database: %s", db_last_error(c->db));
            if (db_begin(c->db))
                return ctl_fail("database: %s", db_last_error(c->db));
            arena_reset(c->arena);
        }
        struct mentor_row m;
        memset(&m, 0, sizeof(m));
        xsnprintf(name, sizeof(name), "Load Mentor %ld", i);
        xsnprintf(email, sizeof(email), "load.%02x%02x%02x%02x.%ld@example.org", tag[0], tag[1],
                  tag[2], tag[3], i);
        ids_prefixed_random("mntr_", 10, id);
        m.mentor_id = id;
        m.full_name = name;
        m.email = email;
        m.chapter_id = chapters[i % 4];
        m.status.has_expiry = i % 10 != 0;
        m.status.expiry_day = today + 365 + (int32_t)(i % 700);
        m.created_at_us = m.updated_at_us = c->now_us + i;
        if (db_mentor_insert(c->db, &m)) {
            db_rollback(c->db);
            return ctl_fail("database: %s", db_last_error(c->db));
        }
    }
    if (n > 0 && db_commit(c->db))
        return ctl_fail("database: %s", db_last_error(c->db));
    printf("mentors: %ld added\n", n);
    return CTL_OK;
}

/* In seed_participants.c; declared in ctl.h once it lists that module. */

static int parse_count(const char *s, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

int ctl_seed(struct ctl *c, int argc, char **argv)
{
    if ((argc == 3 || argc == 5) &&
        (!strcmp(argv[1], "--participants") || !strcmp(argv[argc - 2], "--participants"))) {
        long n = -1, k = 3;
        for (int i = 1; i + 1 < argc; i += 2) {
            if (!strcmp(argv[i], "--participants") && n < 0) {
                if (parse_count(argv[i + 1], 10000000, &n))
                    return CTL_USAGE;
            } else if (!strcmp(argv[i], "--lead-providers") && argc == 5) {
                if (parse_count(argv[i + 1], 50, &k) || k < 1)
                    return CTL_USAGE;
            } else {
                return CTL_USAGE;
            }
        }
        return n < 0 ? CTL_USAGE : ctl_seed_participants(c, n, k);
    }
    if (argc == 2 && !strcmp(argv[1], "--demo"))
        return seed_demo(c);
    if (argc == 3 && !strcmp(argv[1], "--mentors")) {
        char *end;
        long n = strtol(argv[2], &end, 10);
        if (*end || n < 0 || n > 10000000)
            return CTL_USAGE;
        return seed_mentors(c, n);
    }
    return CTL_USAGE;
}

/* ------------------------------------------------------------------ refresh */

/* The Lead Provider API half of `ecfctl refresh` (spec decision 5). participant_status and the
 * ECT's mentor_id are derived from the day at read time, so they change when a date passes
 * without a write. A run covers the days after the previous run (the latest audit_events
 * "refresh.completed" at or before the run's time; else --since; else 25 hours back) up to
 * the run's day. Candidates: teachers with metadata rows and a training period that started
 * or finished, or a school period or a mentorship (as ECT) that finished, on one of those
 * days. Each candidate is loaded as each of its providers sees it (db_participant_load, a
 * page at a time) and the pure rules compare the two days; only a teacher whose
 * participant_status or mentor_id differs, or whose assigned mentor (metadata) differs, gets
 * a transaction: the metadata rebuilt as of the run where the mentor changed, and updated_at
 * moved to the run's instant (db_teacher_touch). updated_at never moves backwards, and a run
 * over days already covered moves nothing (the comparison starts no earlier than the day of
 * the teacher's updated_at). The run is recorded in the same pass; runs hold GET_LOCK. */

#define REFRESH_DEFAULT_WINDOW_US (25 * 3600 * CLOCK_US_PER_SEC)
#define REFRESH_PAGE 500

/* Declared in ctl.h once ecfctl passes the command's arguments. */

/* What one candidate needs, found from the provider views of its metadata rows. */
struct refresh_need {
    int flipped;      /* a participant_status or mentor_id differs: move updated_at */
    int pick_changed; /* the ECT's assigned mentor differs: rebuild the metadata */
    int64_t updated_at_us;
};

/* Compares what the provider sees of t on day `from` and on day `to`. A client that read
 * the record after its last change saw it as of that day or later, so the status comparison
 * starts at the later of `from` and the day of updated_at (a second run over the same days
 * then finds nothing); the assigned mentor is compared from `from`, the metadata's day. */
static void participant_changes(const struct db_participant *t, int32_t from, int32_t to,
                                struct arena *a, struct refresh_need *need)
{
    int32_t seen = clock_day_of(t->updated_at_us);
    int32_t since = seen > from ? seen : from;
    need->updated_at_us = t->updated_at_us;
    for (int r = 0; r < PARTICIPANT_ROLE__MAX; r++) {
        const struct db_participant_enrolment *e = &t->enrolment[r];
        if (!e->present)
            continue;
        int32_t done = participant_completed_on(&t->facts, t->inductions, t->ninductions,
                                                (enum participant_role)r);
        if (participant_status_of(&e->period, done, since) !=
            participant_status_of(&e->period, done, to))
            need->flipped = 1;
    }
    const struct db_participant_enrolment *ect = &t->enrolment[PARTICIPANT_ECT];
    if (ect->present && t->nmentorships) {
        struct participant_mentorship *ms = arena_calloc(a, t->nmentorships, sizeof(*ms));
        for (size_t i = 0; i < t->nmentorships; i++)
            ms[i] = t->mentorships[i].m;
        int64_t sp = ect->period.school_period_id;
        size_t now_pick = participant_mentor_pick(ms, t->nmentorships, sp, to);
        if (participant_mentor_pick(ms, t->nmentorships, sp, since) != now_pick)
            need->flipped = 1;
        if (participant_mentor_pick(ms, t->nmentorships, sp, from) != now_pick)
            need->pick_changed = 1;
    }
}

/* One teacher that needs it, in one transaction: the metadata rebuilt as of the run when the
 * assigned mentor may have changed, updated_at moved (never backwards). */
static int refresh_teacher(struct ctl *c, int64_t id, const struct refresh_need *need, int64_t now,
                           int *touched, int *mentor_changed)
{
    struct db *db = c->db;
    *touched = *mentor_changed = 0;
    int rc = db_begin(db);
    if (rc == DB_OK && need->pick_changed)
        rc = db_teacher_metadata_rebuild_ex(db, (uint64_t)id, now, mentor_changed);
    if (rc == DB_OK && (need->flipped || *mentor_changed) && need->updated_at_us < now) {
        rc = db_teacher_touch(db, (uint64_t)id, now, 0);
        *touched = rc == DB_OK;
    }
    if (rc == DB_OK)
        rc = db_commit(db);
    else
        db_rollback(db);
    if (rc != DB_OK)
        *touched = *mentor_changed = 0;
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The needs of one page of candidates (ids ascending): their metadata rows grouped by lead
 * provider, each group loaded as that provider sees it (db_participant_load). */
static int refresh_page_needs(struct ctl *c, const int64_t *ids, size_t n, int32_t from, int32_t to,
                              struct refresh_need *needs)
{
    struct db_refresh_row *rows;
    size_t nrows;
    int rc = db_refresh_rows(c->db, ids, n, c->arena, &rows, &nrows);
    int64_t *group = arena_calloc(c->arena, n + 1, sizeof(int64_t));
    for (size_t i = 0; rc == DB_OK && i < nrows;) {
        size_t k = 0, j = i;
        while (j < nrows && memcmp(rows[j].lead_provider_id, rows[i].lead_provider_id, 16) == 0)
            group[k++] = rows[j++].teacher_id;
        struct db_participant *ts = NULL;
        rc = db_participant_load(c->db, rows[i].lead_provider_id, group, k, c->arena, &ts);
        for (size_t g = 0; rc == DB_OK && ts && g < k; g++) {
            const int64_t *at = bsearch(&group[g], ids, n, sizeof(int64_t), cmp_i64);
            if (at && ts[g].id == group[g])
                participant_changes(&ts[g], from, to, c->arena, &needs[at - ids]);
        }
        i = j;
    }
    return rc;
}

static int refresh_participants(struct ctl *c, int64_t since, int64_t now, long *checked,
                                long *touched, long *mentors)
{
    int32_t from = clock_day_of(since), to = clock_day_of(now);
    int64_t after = 0;
    while (from < to) {
        int64_t *ids;
        size_t n;
        arena_reset(c->arena);
        int rc = db_refresh_candidates(c->db, from, to, after, REFRESH_PAGE, c->arena, &ids, &n);
        if (rc != DB_OK)
            return rc;
        if (n == 0)
            break;
        struct refresh_need *needs = arena_calloc(c->arena, n, sizeof(*needs));
        if ((rc = refresh_page_needs(c, ids, n, from, to, needs)))
            return rc;
        for (size_t i = 0; i < n; i++) {
            int t = 0, m = 0;
            (*checked)++;
            if (!needs[i].flipped && !needs[i].pick_changed)
                continue;
            rc = DB_RETRY;
            for (int attempt = 0; rc == DB_RETRY && attempt < 3; attempt++)
                rc = refresh_teacher(c, ids[i], &needs[i], now, &t, &m);
            if (rc == DB_NOT_FOUND)
                continue; /* merged or removed meanwhile */
            if (rc != DB_OK)
                return rc;
            *touched += t;
            *mentors += m;
        }
        after = ids[n - 1];
    }
    return DB_OK;
}

static int refresh_mentor_pauses(struct ctl *c, int64_t now, long *paused)
{
    int32_t today = clock_day_of(now);
    for (;;) {
        const char **ids;
        size_t n;
        arena_reset(c->arena);
        if (db_mentor_list_auto_pause_due(c->db, today, 500, c->arena, &ids, &n))
            return DB_ERROR;
        if (n == 0)
            return DB_OK;
        for (size_t i = 0; i < n; i++) {
            struct mentor_row m;
            int rc = db_begin(c->db);
            if (rc == DB_OK)
                rc = db_mentor_get(c->db, ids[i], 1, c->arena, &m);
            /* Re-checked under the row lock: a concurrent PUT or pause may have won. */
            if (rc == DB_OK && mentor_apply_auto_pause(&m.status, today)) {
                rc = db_mentor_record_auto_pause(c->db, &m, now, NULL, NULL);
                if (rc == DB_OK)
                    (*paused)++;
            }
            if (rc == DB_OK) {
                if (db_commit(c->db))
                    return DB_ERROR;
            } else {
                db_rollback(c->db);
                if (rc != DB_NOT_FOUND)
                    return rc;
            }
        }
    }
}

int ctl_refresh_argv(struct ctl *c, int argc, char **argv)
{
    static const struct option opts[] = {{"since", required_argument, NULL, 's'},
                                         {"now", required_argument, NULL, 'n'},
                                         {NULL, 0, NULL, 0}};
    int64_t now = c->now_us, since = 0;
    int has_since = 0, o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            if (clock_parse_rfc3339(optarg, &since))
                return ctl_fail("--since wants an RFC 3339 date-time, e.g. 2025-09-01T00:00:00Z");
            has_since = 1;
            break;
        case 'n':
            if (clock_parse_rfc3339(optarg, &now))
                return ctl_fail("--now wants an RFC 3339 date-time, e.g. 2025-09-01T00:00:00Z");
            break;
        default:
            return CTL_USAGE;
        }
    }
    if (optind != argc)
        return CTL_USAGE;
    /* A run in the future would record a last run no real run reaches for a while. */
    if (now > c->now_us)
        return ctl_fail("--now is after the real clock");
    if (has_since && since > now)
        return ctl_fail("--since is after the run's time");

    int rc = db_refresh_lock(c->db);
    if (rc == DB_DUPLICATE)
        return ctl_fail("another ecfctl refresh is running");
    if (rc != DB_OK)
        return ctl_fail("database: %s", db_last_error(c->db));
    long paused = 0, checked = 0, touched = 0, mentors = 0;
    if (!has_since) {
        rc = db_refresh_last_run(c->db, now, &since);
        if (rc == DB_NOT_FOUND) {
            since = now - REFRESH_DEFAULT_WINDOW_US;
            rc = DB_OK;
        }
    }
    if (rc == DB_OK)
        rc = refresh_mentor_pauses(c, now, &paused);
    if (rc == DB_OK)
        rc = refresh_participants(c, since, now, &checked, &touched, &mentors);
    size_t docs = 0; /* participant documents missing after migration 005: stored once */
    if (rc == DB_OK)
        rc = db_participant_docs_fill_missing(c->db, &docs);
    if (rc == DB_OK)
        rc = db_refresh_record(c->db, now, since, checked, touched, mentors);
    if (rc != DB_OK) {
        int status = ctl_fail("database: %s", db_last_error(c->db));
        db_refresh_unlock(c->db);
        return status;
    }
    db_refresh_unlock(c->db);
    char from[CLOCK_TS_LEN], to[CLOCK_TS_LEN];
    clock_format_ts(since, from);
    clock_format_ts(now, to);
    printf("refresh: %ld mentors paused for an expired certification; participants %s..%s: "
           "%ld checked, %ld updated_at moved, %ld assigned mentors changed\n",
           paused, from, to, checked, touched, mentors);
    return CTL_OK;
}

int ctl_refresh(struct ctl *c)
{
    char name[] = "refresh";
    char *argv[] = {name, NULL};
    return ctl_refresh_argv(c, 1, argv);
}
