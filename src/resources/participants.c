/* GET /api/v3/participants and /api/v3/participants/{id} (spec 1.2-1.5, 6): parse the
 * filters, read the stored participant documents through db_participants (one statement),
 * fill in the values of the day with domain/participant_rules, write the answer. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ids.h"
#include "db/db.h"
#include "db/db_participants.h"
#include "domain/participant_rules.h"
#include "http/dispatch.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/v3.h"

#define ROWS_ARENA_MIN_PAGE 500 /* per_page above which a page's rows get their own arena */

/* ---- rendering ----
 *
 * A participant is stored rendered (include/db/db_participant_docs.h); what depends on the day
 * or on data the document does not own is filled in here at each marker (0x01 and a code):
 * updated_at, participant_status (1.4, with the request's day), the ECT's mentor_id (1.5) and
 * the uplifts (the cohort's switch). The page is written straight into one buffer. */

#define MENTORSHIPS_MAX 64 /* more than any ECT school period holds; extra ones are ignored */

struct slots {
    int present[PARTICIPANT_ROLE__MAX];
    struct participant_period period[PARTICIPANT_ROLE__MAX];
    int32_t completed_on[PARTICIPANT_ROLE__MAX];
    int pupil_premium[PARTICIPANT_ROLE__MAX];
    int sparsity[PARTICIPANT_ROLE__MAX];
    size_t nmentorships;
    struct participant_mentorship mentorships[MENTORSHIPS_MAX];
    const char *mentor_ids[MENTORSHIPS_MAX]; /* 36 characters each, in the slot text */
};

static long next_long(const char **p)
{
    char *end;
    long v = strtol(*p, &end, 10);
    *p = end;
    return v;
}

/* The slot lines written by db_participant_docs.c. */
static void slots_parse(const char *s, struct slots *out)
{
    memset(out, 0, sizeof(*out));
    for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (p[0] == 'R') {
            const char *q = p + 1;
            long role = next_long(&q);
            if (role < 0 || role >= PARTICIPANT_ROLE__MAX)
                continue;
            struct participant_period *pp = &out->period[role];
            pp->role = (enum participant_role)role;
            pp->started_on = (int32_t)next_long(&q);
            pp->finished_on = (int32_t)next_long(&q);
            long ts = next_long(&q);
            pp->withdrawn_at = ts == PARTICIPANT_TRAINING_WITHDRAWN ? 0 : PARTICIPANT_NO_US;
            pp->deferred_at = ts == PARTICIPANT_TRAINING_DEFERRED ? 0 : PARTICIPANT_NO_US;
            out->completed_on[role] = (int32_t)next_long(&q);
            out->pupil_premium[role] = next_long(&q) != 0;
            out->sparsity[role] = next_long(&q) != 0;
            out->present[role] = 1;
        } else if (p[0] == 'M' && out->nmentorships < MENTORSHIPS_MAX) {
            const char *q = p + 1;
            struct participant_mentorship *m = &out->mentorships[out->nmentorships];
            m->school_period_id = 1; /* all of the latest ECT period's school period */
            m->mentor_id = (int64_t)out->nmentorships;
            m->started_on = (int32_t)next_long(&q);
            m->finished_on = (int32_t)next_long(&q);
            out->mentor_ids[out->nmentorships++] = q + (*q == ' ');
        }
    }
}

struct out {
    char *buf; /* a response_text_buffer(), NUL-terminated */
    size_t len, cap;
    struct request *req;
};

static void out_put(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->cap + n + 1) * 2;
        o->buf = response_text_buffer(o->req, o->cap); /* keeps o->len bytes */
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
    out_put(o, s, strlen(s));
}

static void out_quoted(struct out *o, const char *s, size_t n)
{
    out_put(o, "\"", 1);
    out_put(o, s, n);
    out_put(o, "\"", 1);
}

/* The value of the marker at m (after the 0x01 byte); returns the marker's length. */
static size_t render_marker(struct out *o, const char *m, const struct db_participant_doc_row *d,
                            const struct slots *sl, int32_t today)
{
    int role = m[1] == '1' ? PARTICIPANT_MENTOR : PARTICIPANT_ECT;
    switch (m[0]) {
    case 'U': {
        if (d->updated_at_us == PARTICIPANT_NO_US) {
            out_str(o, "null");
        } else {
            char ts[CLOCK_TS_LEN];
            clock_format_ts(d->updated_at_us, ts);
            out_quoted(o, ts, strlen(ts));
        }
        return 1;
    }
    case 'S': {
        const char *name = participant_status_name(
            participant_status_of(&sl->period[role], sl->completed_on[role], today));
        out_quoted(o, name, strlen(name));
        return 2;
    }
    case 'M': {
        size_t k = participant_mentor_pick(sl->mentorships, sl->nmentorships, 1, today);
        if (k == PARTICIPANT_NONE)
            out_str(o, "null");
        else
            out_quoted(o, sl->mentor_ids[k], 36);
        return 2;
    }
    case 'P':
        out_str(o, d->uplift_fees_enabled[role] && sl->pupil_premium[role] ? "true" : "false");
        return 2;
    case 'Q':
        out_str(o, d->uplift_fees_enabled[role] && sl->sparsity[role] ? "true" : "false");
        return 2;
    default:
        return 0; /* not written by db_participant_docs.c: dropped */
    }
}

static void render(struct out *o, const struct db_participant_doc_row *d, int32_t today)
{
    struct slots sl;
    slots_parse(d->slots, &sl);
    const char *p = d->json, *end = d->json + d->json_len;
    while (p < end) {
        const char *mark = memchr(p, '\001', (size_t)(end - p));
        if (!mark) {
            out_put(o, p, (size_t)(end - p));
            break;
        }
        out_put(o, p, (size_t)(mark - p));
        p = mark + 1;
        if (p < end)
            p += render_marker(o, p, d, &sl, today);
    }
}

/* {"data":[...]} or {"data":{...}} straight into the response. */
static void reply_docs(struct request *req, const struct db_participant_doc_row *rows, size_t n,
                       int list)
{
    struct out o = {NULL, 0, 64, req};
    for (size_t i = 0; i < n; i++)
        o.cap += rows[i].json_len + 160; /* the marker values are shorter than this */
    o.buf = response_text_buffer(req, o.cap);
    out_str(&o, list ? "{\"data\":[" : "{\"data\":");
    for (size_t i = 0; i < n; i++) {
        if (i)
            out_put(&o, ",", 1);
        render(&o, &rows[i], req->today);
    }
    out_str(&o, list ? "]}" : "}");
    response_json_text(req, 200, o.buf, o.len);
}

/* ---- filters ---- */

/* filter[training_status]: NULL when absent or blank; -1 for any other value (empty list). */
static int training_status_of(const char *v, const char **out)
{
    *out = NULL;
    if (!v || !*v)
        return 0;
    for (int s = 0; s < PARTICIPANT_TRAINING__MAX; s++)
        if (!strcmp(v, participant_training_status_name((enum participant_training_status)s))) {
            *out = participant_training_status_name((enum participant_training_status)s);
            return 0;
        }
    return -1;
}

/* The worker's arena for the rows of large pages, kept from request to request: its one
 * chunk (arena_reset keeps a chunk of up to 4 MiB) holds a page of 3000 documents, so they
 * go into memory that is already mapped. */
static struct arena *large_rows_arena(void)
{
    static struct arena *a;
    if (!a)
        a = arena_new(4u * 1024 * 1024);
    return a;
}

void participants_list(struct request *req)
{
    struct pagination pg;
    struct db_participant_filter f;
    const char *from;
    uint8_t from_id[16];
    struct db_participant_doc_row *rows;
    size_t n;
    int rc;

    if (pagination_parse_or_reply(req, 1, &pg))
        return;
    memset(&f, 0, sizeof(f));
    f.lead_provider_id = req->who.lead_provider_id;
    f.page = &pg;
    if (pagination_cohorts(req, &f.cohorts) ||
        training_status_of(pagination_filter(req, "training_status"), &f.training_status))
        goto empty;
    from = pagination_filter(req, "from_participant_id");
    if (from && *from) {
        if (ids_uuid_parse(from, from_id))
            goto empty;
        rc = db_participant_find_changed(req->env->db, req->who.lead_provider_id, from_id,
                                         &f.teacher_id);
        if (rc == DB_NOT_FOUND)
            goto empty;
        if (rc) {
            response_db_failure(req, rc);
            return;
        }
    }
    /* A large page's rows (3000 documents: about 3 MiB) live in the worker's arena for
     * them, emptied after the answer is written (worker RSS and page faults). */
    struct arena *rows_arena = pg.per_page > ROWS_ARENA_MIN_PAGE ? large_rows_arena() : req->arena;
    rc = db_participant_doc_page(req->env->db, &f, rows_arena, &rows, &n);
    if (rc)
        response_db_failure(req, rc);
    else
        reply_docs(req, rows, n, 1);
    if (rows_arena != req->arena)
        arena_reset(rows_arena);
    return;
empty:
    reply_docs(req, NULL, 0, 1);
}

int participants_doc_load(struct request *req, const uint8_t api_id[16],
                          struct db_participant_doc_row *out)
{
    return db_participant_doc_get(req->env->db, req->who.lead_provider_id, api_id, req->arena, out);
}

void participants_doc_reply(struct request *req, const struct db_participant_doc_row *d)
{
    reply_docs(req, d, 1, 0);
}

void participants_get(struct request *req)
{
    uint8_t id[16];
    struct db_participant_doc_row d;
    if (v3_uuid_param_or_reply(req, id))
        return;
    int rc = db_participant_doc_get(req->env->db, req->who.lead_provider_id, id, req->arena, &d);
    if (rc) {
        response_db_error(req, rc);
        return;
    }
    reply_docs(req, &d, 1, 0);
}
