/* ecfctl seed and refresh. */
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
#include "db/db_mentors.h"
#include "db/db_tokens.h"
#include "domain/mentor_rules.h"

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

static int seed_demo(struct ctl *c)
{
    struct lead_provider_row lp;
    int added = 0;
    for (size_t i = 0; i < sizeof(demo_lead_providers) / sizeof(demo_lead_providers[0]); i++) {
        int rc = db_lead_provider_find(c->db, demo_lead_providers[i], c->arena, &lp);
        if (rc == DB_OK)
            continue;
        if (rc != DB_NOT_FOUND)
            return ctl_fail("database: %s", db_last_error(c->db));
        ids_uuid_v4(lp.id);
        lp.name = demo_lead_providers[i];
        lp.created_at_us = c->now_us;
        if (db_lead_provider_insert(c->db, &lp))
            return ctl_fail("database: %s", db_last_error(c->db));
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

int ctl_seed(struct ctl *c, int argc, char **argv)
{
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

int ctl_refresh(struct ctl *c)
{
    int32_t today = clock_day_of(c->now_us);
    long paused = 0;
    for (;;) {
        const char **ids;
        size_t n;
        arena_reset(c->arena);
        if (db_mentor_list_auto_pause_due(c->db, today, 500, c->arena, &ids, &n))
            return ctl_fail("database: %s", db_last_error(c->db));
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            struct mentor_row m;
            int rc = db_begin(c->db);
            if (rc == DB_OK)
                rc = db_mentor_get(c->db, ids[i], 1, c->arena, &m);
            /* Re-checked under the row lock: a concurrent PUT or pause may have won. */
            if (rc == DB_OK && mentor_apply_auto_pause(&m.status, today)) {
                rc = db_mentor_record_auto_pause(c->db, &m, c->now_us, NULL, NULL);
                if (rc == DB_OK)
                    paused++;
            }
            if (rc == DB_OK || rc == DB_NOT_FOUND) {
                if (rc == DB_OK ? db_commit(c->db) : (db_rollback(c->db), 0))
                    return ctl_fail("database: %s", db_last_error(c->db));
            } else {
                db_rollback(c->db);
                return ctl_fail("database: %s", db_last_error(c->db));
            }
        }
    }
    printf("refresh: %ld mentors paused for an expired certification\n", paused);
    return CTL_OK;
}
