/* GET /api/v3/participants/transfers and /api/v3/participants/{id}/transfers (spec 8.2,
 * decision 11): transfers are computed by participant_transfers() from the school and
 * training periods of the teachers flagged involved_in_school_transfer for the provider.
 * Choice: the list is filtered (updated_since), sorted and paged after computing, because a
 * teacher's transfer updated_at is derived; flagged teachers are few. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "db/db.h"
#include "db/db_participants.h"
#include "domain/participant_rules.h"
#include "http/dispatch.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/v3.h"

#define TRANSFERS_MAX 64 /* per teacher and role */

struct teacher_transfers {
    const struct db_participant *t;
    int64_t updated_at_us;
    json_object *transfers; /* array, owned until rendered */
};

/* One leaving/joining end: the school, the provider's name when the period has one, and the
 * date. */
static json_object *render_end(const struct db_history *h, const char *urn,
                               const struct db_history_training_period *tp, int32_t date)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "school_urn", json_object_new_string(urn));
    if (tp && tp->p.lead_provider_id > 0)
        json_object_object_add(o, "provider",
                               json_object_new_string(h->lps[tp->p.lead_provider_id - 1].name));
    if (date != PARTICIPANT_NO_DAY)
        json_object_object_add(o, "date", v3_date(date));
    return o;
}

/* A rendered transfer with its sort key across roles (8.2: the leaving training period's
 * start, as RECT sorts) and its position, so equal starts keep the ECT-then-mentor order. */
struct rendered {
    int32_t leaving_start;
    size_t pos;
    json_object *o;
};

static int cmp_rendered(const void *x, const void *y)
{
    const struct rendered *a = x, *b = y;
    if (a->leaving_start != b->leaving_start)
        return (a->leaving_start > b->leaving_start) - (a->leaving_start < b->leaving_start);
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* [*lo, *hi) of the rows of teacher `id` in an array sorted by teacher id (the history
 * queries order by it). */
#define RANGE_OF(arr, n, id, lo, hi)                                                               \
    do {                                                                                           \
        size_t l_ = 0, h_ = (n);                                                                   \
        while (l_ < h_) {                                                                          \
            size_t m_ = l_ + (h_ - l_) / 2;                                                        \
            if ((arr)[m_].teacher_id < (id))                                                       \
                l_ = m_ + 1;                                                                       \
            else                                                                                   \
                h_ = m_;                                                                           \
        }                                                                                          \
        *(lo) = l_;                                                                                \
        while (l_ < (n) && (arr)[l_].teacher_id == (id))                                           \
            l_++;                                                                                  \
        *(hi) = l_;                                                                                \
    } while (0)

/* Computes one teacher's transfers relevant to provider index `lp` (1-based in h->lps). */
static void compute(struct arena *a, const struct db_history *h, int64_t lp, int32_t today,
                    struct teacher_transfers *out)
{
    const struct db_participant *t = out->t;
    struct rendered *all = arena_calloc(a, 2 * TRANSFERS_MAX, sizeof(*all));
    size_t nall = 0;
    size_t sp_lo, sp_hi, tp_lo, tp_hi;
    RANGE_OF(h->sps, h->nsps, t->id, &sp_lo, &sp_hi);
    RANGE_OF(h->tps, h->ntps, t->id, &tp_lo, &tp_hi);
    out->updated_at_us = PARTICIPANT_NO_US;
    for (int role = 0; role < PARTICIPANT_ROLE__MAX; role++) {
        size_t msp = sp_hi - sp_lo + 1, mtp = tp_hi - tp_lo + 1;
        struct participant_school_period *sps = arena_calloc(a, msp, sizeof(*sps));
        const struct db_history_school_period **spr = arena_calloc(a, msp, sizeof(*spr));
        struct participant_period *tps = arena_calloc(a, mtp, sizeof(*tps));
        const struct db_history_training_period **tpr = arena_calloc(a, mtp, sizeof(*tpr));
        size_t nsp = 0, ntp = 0;
        for (size_t i = sp_lo; i < sp_hi; i++)
            if ((int)h->sps[i].role == role) {
                spr[nsp] = &h->sps[i];
                sps[nsp++] = h->sps[i].sp;
            }
        for (size_t i = tp_lo; i < tp_hi; i++)
            if ((int)h->tps[i].p.role == role) {
                tpr[ntp] = &h->tps[i];
                tps[ntp++] = h->tps[i].p;
            }
        int completed = role == PARTICIPANT_ECT &&
                        participant_completed_on(&t->facts, t->inductions, t->ninductions,
                                                 PARTICIPANT_ECT) != PARTICIPANT_NO_DAY;
        struct participant_transfer tr[TRANSFERS_MAX];
        size_t found =
            participant_transfers(sps, nsp, tps, ntp, lp, completed, today, tr, TRANSFERS_MAX);
        if (found > TRANSFERS_MAX)
            found = TRANSFERS_MAX;
        for (size_t k = 0; k < found; k++) {
            const struct db_history_training_period *lt = tpr[tr[k].leaving_training];
            const struct db_history_training_period *jt =
                tr[k].joining_training == PARTICIPANT_NONE ? NULL : tpr[tr[k].joining_training];
            json_object *o = json_object_new_object();
            json_object_object_add(o, "training_record_id",
                                   json_object_new_string(t->training_record_id[role]));
            json_object_object_add(
                o, "transfer_type",
                json_object_new_string(participant_transfer_type_name(tr[k].type)));
            json_object_object_add(
                o, "status",
                json_object_new_string(participant_transfer_status_name(tr[k].status)));
            /* The leaving training period's creation date (the contract's format is a date). */
            json_object_object_add(o, "created_at",
                                   v3_date(lt->created_at_us == PARTICIPANT_NO_US
                                               ? PARTICIPANT_NO_DAY
                                               : clock_day_of(lt->created_at_us)));
            json_object_object_add(
                o, "leaving",
                render_end(h, spr[tr[k].leaving]->school_urn, lt, tr[k].leaving_date));
            if (tr[k].joining == PARTICIPANT_NONE)
                json_object_object_add(o, "joining", NULL);
            else
                json_object_object_add(
                    o, "joining",
                    render_end(h, spr[tr[k].joining]->school_urn, jt, tr[k].joining_date));
            out->updated_at_us = max64(out->updated_at_us, lt->transfer_updated_at_us);
            if (jt)
                out->updated_at_us = max64(out->updated_at_us, jt->transfer_updated_at_us);
            all[nall].leaving_start = lt->p.started_on;
            all[nall].pos = nall;
            all[nall++].o = o;
        }
    }
    qsort(all, nall, sizeof(*all), cmp_rendered);
    out->transfers = json_object_new_array();
    for (size_t i = 0; i < nall; i++)
        json_object_array_add(out->transfers, all[i].o);
}

static json_object *render(struct teacher_transfers *tt)
{
    json_object *attrs = json_object_new_object();
    json_object_object_add(attrs, "transfers", tt->transfers);
    json_object_object_add(attrs, "updated_at", v3_ts(tt->updated_at_us));
    tt->transfers = NULL;
    return v3_resource(tt->t->api_id, "participant-transfer", attrs);
}

/* The provider's index in h->lps (1-based), or -1 when none of the periods is its own. */
static int64_t caller_index(const struct request *req, const struct db_history *h)
{
    for (size_t i = 0; i < h->nlps; i++)
        if (!memcmp(h->lps[i].id, req->who.lead_provider_id, 16))
            return (int64_t)i + 1;
    return -1;
}

/* Loads and computes the transfers of the flagged teachers (one when api_id is given).
 * Returns the number of teachers with at least one transfer in *out, or a db error. */
static int load(struct request *req, const uint8_t *api_id, struct teacher_transfers **out,
                size_t *n)
{
    struct db *db = req->env->db;
    const uint8_t *lp = req->who.lead_provider_id;
    int64_t *ids;
    size_t nids;
    struct db_participant *ts;
    struct db_history h;
    int rc = db_participant_transfer_ids(db, lp, api_id, req->arena, &ids, &nids);
    if (!rc)
        rc = db_participant_load(db, lp, ids, nids, req->arena, &ts);
    if (!rc)
        rc = db_participant_history(db, ids, nids, req->arena, &h);
    if (rc)
        return rc;
    int64_t me = caller_index(req, &h);
    *out = arena_calloc(req->arena, nids + 1, sizeof(**out));
    *n = 0;
    for (size_t i = 0; i < nids; i++) {
        struct teacher_transfers *tt = &(*out)[*n];
        if (!ts[i].id || me < 0)
            continue;
        tt->t = &ts[i];
        compute(req->arena, &h, me, req->today, tt);
        if (json_object_array_length(tt->transfers) == 0) {
            json_object_put(tt->transfers);
            tt->transfers = NULL;
            continue;
        }
        (*n)++;
    }
    return DB_OK;
}

static void release(struct teacher_transfers *tts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tts[i].transfers)
            json_object_put(tts[i].transfers);
}

static enum pagination_sort sort_by, then_by;
/* One key of the order: -1, 0, 1 (descending keys reversed). */
static int cmp_key(const struct teacher_transfers *a, const struct teacher_transfers *b,
                   enum pagination_sort k)
{
    int desc = k == PAGINATION_CREATED_DESC || k == PAGINATION_UPDATED_DESC;
    int by_updated = k == PAGINATION_UPDATED_ASC || k == PAGINATION_UPDATED_DESC;
    int64_t ka = by_updated ? a->updated_at_us : a->t->created_at_us;
    int64_t kb = by_updated ? b->updated_at_us : b->t->created_at_us;
    int c = (ka > kb) - (ka < kb);
    return desc ? -c : c;
}

/* The sort items in turn, then the teacher's row id in the last item's direction. */
static int cmp_teachers(const void *x, const void *y)
{
    const struct teacher_transfers *a = x, *b = y;
    enum pagination_sort last = then_by != PAGINATION_SORT__MAX ? then_by : sort_by;
    int c = cmp_key(a, b, sort_by);
    if (!c && then_by != PAGINATION_SORT__MAX)
        c = cmp_key(a, b, then_by);
    if (!c) {
        c = (a->t->id > b->t->id) - (a->t->id < b->t->id);
        if (last == PAGINATION_CREATED_DESC || last == PAGINATION_UPDATED_DESC)
            c = -c;
    }
    return c;
}

void transfers_list(struct request *req)
{
    struct pagination pg;
    struct teacher_transfers *tts;
    size_t n, kept = 0;
    if (pagination_parse_or_reply(req, 1, &pg))
        return;
    int rc = load(req, NULL, &tts, &n);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (pg.has_updated_since && tts[i].updated_at_us < pg.updated_since_us) {
            json_object_put(tts[i].transfers);
            continue;
        }
        tts[kept++] = tts[i];
    }
    sort_by = pg.sort; /* a worker runs one request at a time */
    then_by = pg.then;
    qsort(tts, kept, sizeof(*tts), cmp_teachers);
    json_object *data = json_object_new_array();
    for (size_t i = 0; i < kept; i++)
        if ((int64_t)i >= pg.offset && (int64_t)i < pg.offset + pg.per_page)
            json_object_array_add(data, render(&tts[i]));
    release(tts, kept);
    v3_reply(req, data);
}

void transfers_get(struct request *req)
{
    uint8_t id[16];
    struct teacher_transfers *tts;
    size_t n;
    if (v3_uuid_param_or_reply(req, id))
        return;
    int rc = load(req, id, &tts, &n);
    if (rc) {
        response_db_failure(req, rc);
        return;
    }
    if (n == 0) {
        response_not_found(req);
        return;
    }
    json_object *data = render(&tts[0]);
    release(tts, n);
    v3_reply(req, data);
}
