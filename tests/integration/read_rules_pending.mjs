// Read-side rules whose fix lies in files being rewritten on the "perf" branch
// (src/db/db_participants.c, src/http/pagination.c, src/resources/participants*.c). These
// cases FAIL today; the name does not end in .test.mjs, so the suite does not run them. Run
// by hand against a stack (the same ECF_TEST_* variables as the suite):
//
//   node tests/integration/read_rules_pending.mjs
//
// When a fix lands, move its case into read_rules.test.mjs. Each case says what the spec
// expects and what the service answers now.

import { test, run } from './lib/tap.mjs';
import { closeAgent } from './lib/client.mjs';
import { assert } from './lib/fixtures.mjs';
import {
  P,
  U,
  ids,
  adminPut,
  leadProvider,
  deliveryPartner,
  school,
  partnership,
  teacher,
  schoolPeriod,
  trainingPeriod,
  mentorship,
  show,
  list,
  enrolment,
} from './lib/readreview_fixtures.mjs';

const s = {};

test('setup: a provider of its own, a school, a 2024 partnership', async () => {
  s.D = await leadProvider('D');
  s.dp = await deliveryPartner();
  s.sch = await school();
  s.sch2 = await school();
  s.p = await partnership(s.sch, s.D, s.dp, 2024);
  s.p2 = await partnership(s.sch2, s.D, s.dp, 2024);
}, { bail: true });

// Expected: created_at of the earliest school period of the role, earliest by started_on (RECT's
//   `earliest_ect_at_school_period`, ordered by started_on): the backdated period registered on
//   2025-06-03 -> "2025-06-03T10:00:00Z".
// Actual: MIN(created_at) over the role's school periods (db_participants.c ENROLMENT_SELECT)
//   -> "2025-06-02T10:00:00Z".
test('1.5: created_at is the created_at of the school period that started first, even when it was registered later', async () => {
  const t = await teacher('2025-06-01T09:00:00Z');
  const current = await schoolPeriod(t, 'ect', s.sch, { start: '2025-01-06' }, '2025-06-02T10:00:00Z');
  await trainingPeriod(current, s.p, { start: '2025-01-06' }, '2025-06-02T10:00:01Z');
  await schoolPeriod(t, 'ect', s.sch2, { start: '2024-09-01', finish: '2024-12-31' }, '2025-06-03T10:00:00Z');
  const e = enrolment(await show(s.D, t, '2025-06-15T00:00:00Z'), 'ect');
  assert.equal(e.created_at, '2025-06-03T10:00:00Z');
});

// Expected (section 6, RECT Orderable): every valid sort item is applied in turn, so
//   `updated_at,-created_at` orders equal updated_at by created_at descending -> [t3, t2, t1],
//   and `-updated_at,created_at` -> [t1, t2, t3].
// Actual: only the first valid item is used (pagination.c parse_sort), ties go by the
//   teacher's row id in the first item's direction -> [t1, t2, t3] and [t3, t2, t1].
test('6: several sort items: the first orders, the next breaks its ties (participants)', async () => {
  const ts = [];
  for (const [i, iso] of ['2025-06-01T09:00:01Z', '2025-06-01T09:00:02Z', '2025-06-01T09:00:03Z'].entries()) {
    const t = await teacher(iso);
    const sp = await schoolPeriod(t, 'ect', s.sch, { start: '2024-09-01' }, iso);
    await trainingPeriod(sp, s.p, { start: '2024-09-01' }, iso);
    ts[i] = t;
  }
  for (const t of ts) await adminPut(`/teachers/${t.id}`, { full_name: `Same instant ${t.id}` }, '2025-07-01T10:00:00Z');
  s.ts = ts;
  const q = { 'filter[updated_since]': '2025-07-01T10:00:00Z' };
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: 'updated_at,-created_at' })), [ts[2].id, ts[1].id, ts[0].id]);
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: '-updated_at,created_at' })), [ts[0].id, ts[1].id, ts[2].id]);
});

// The same for unfunded mentors (db_participants.c P_UNFUNDED_*: one ORDER BY per first item).
// Expected [m3, m2, m1]; actual [m1, m2, m3].
test('6: several sort items: the first orders, the next breaks its ties (unfunded mentors)', async () => {
  const ms = [];
  for (const [i, iso] of ['2025-06-01T09:00:04Z', '2025-06-01T09:00:05Z', '2025-06-01T09:00:06Z'].entries()) {
    const m = await teacher(iso);
    const msp = await schoolPeriod(m, 'mentor', s.sch, { start: '2020-09-01' }, iso);
    const e = await teacher(iso);
    const esp = await schoolPeriod(e, 'ect', s.sch, { start: '2024-09-01' }, iso);
    await trainingPeriod(esp, s.p, { start: '2024-09-01' }, iso);
    await mentorship(esp, msp, { start: '2024-09-01' }, iso);
    ms[i] = m;
  }
  for (const m of ms) await adminPut(`/teachers/${m.id}`, { full_name: `Same instant ${m.id}` }, '2025-07-02T10:00:00Z');
  const q = { 'filter[updated_since]': '2025-07-02T10:00:00Z', sort: 'updated_at,-created_at' };
  assert.deepEqual(ids(await list(s.D, U, q)), [ms[2].id, ms[1].id, ms[0].id]);
});

// Expected (section 6: "parsed with Ruby Time.iso8601 after one extra URL-decode"): Ruby's
//   Time.iso8601 also accepts a date-time without a zone (read as the server's zone, UTC), an
//   offset without a colon ("+0100", sent double-encoded as %252B0100) and surrounding blanks;
//   each answers 200 with the filter applied.
// Actual: 400 "The filter '#/updated_since' must be a valid ISO 8601 date" for each
//   (pagination.c parse_updated_since accepts RFC 3339 with a zone, or a plain date).
test('6: filter[updated_since] reads what Ruby\'s Time.iso8601 reads: no zone, +hhmm, surrounding blanks', async () => {
  const t = s.ts[0];
  for (const v of ['2025-07-01T10:00:00', '2025-07-01T11:00:00%2B0100', ' 2025-07-01T10:00:00Z ']) {
    const r = await s.D.api.get(P, { query: { 'filter[updated_since]': v } });
    assert.equal(r.status, 200, `${JSON.stringify(v)}: ${r.text}`);
    assert.ok(ids(r.json.data).includes(t.id), JSON.stringify(v));
  }
});

// Expected (section 6, RECT FilterValidatable): `filter` must be a hash; `filter[]=abc` makes
//   it an array -> 400 {"title":"Bad parameter","detail":"Filter must be a hash"}.
// Actual: 200 with the unfiltered list (pagination.c only checks a key spelled `filter`).
test('6: filter[]=abc (an array, not a hash) is 400 Filter must be a hash', async () => {
  for (const path of [P, U]) {
    const r = await s.D.api.get(`${path}?filter%5B%5D=abc`);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.deepEqual(r.json, { errors: [{ title: 'Bad parameter', detail: 'Filter must be a hash' }] });
  }
});

// TRS facts (migration 009, written by PUT /api/admin/v1/teachers/{id}) are stored but not yet
// read: db_participants.c fill_teacher sets trs_induction_start/completed and
// ect_ineligible_on to "none" ("not modelled yet"). Reading the three columns of `teachers`
// there (P_LOAD_TEACHERS) fixes all of the following: transfers.c takes its completion from
// the same loader (db_teacher_metadata.c's transfer flag only picks candidates, a superset).
// Expected: induction_end_date "2025-07-20" (TRS completion, no induction period),
//   overall_induction_start_date "2024-09-01", participant_status "active" (1.4 rule 2:
//   completed on or before the period's finish 2025-07-31), eligible_for_funding false (became
//   ineligible 2025-08-01, never eligible).
// Actual: null, null, "left", null.
test('1.5: induction dates fall back to the TRS dates; an ECT who became ineligible is not eligible for funding', async () => {
  const t = await teacher('2025-06-01T09:00:00Z');
  const sp = await schoolPeriod(t, 'ect', s.sch, { start: '2024-09-01', finish: '2025-07-31' });
  await trainingPeriod(sp, s.p, { start: '2024-09-01', finish: '2025-07-31' });
  await adminPut(`/teachers/${t.id}`, { trs_induction_start_date: '2024-09-01', trs_induction_completed_date: '2025-07-20', ect_became_ineligible_on: '2025-08-01' }, '2025-08-02T10:00:00Z');
  const e = enrolment(await show(s.D, t, '2025-09-01T00:00:00Z'), 'ect');
  assert.deepEqual(
    [e.induction_end_date, e.overall_induction_start_date, e.participant_status, e.eligible_for_funding],
    ['2025-07-20', '2024-09-01', 'active', false],
  );
  s.trsDone = t;
});

// Expected (8.2): no transfer out of the last school once induction is complete, TRS completion
//   included -> 404.
// Actual: 200 with an "unknown" transfer (the completion the transfer rule sees ignores TRS).
test('8.2: a TRS induction completion also suppresses the transfer out of the last school', async () => {
  const r = await s.D.api.get(`${P}/${s.trsDone.id}/transfers`, { headers: { 'X-With-Server-Date': '2025-09-01T00:00:00Z' } });
  assert.equal(r.status, 404, r.text);
});

await run();
closeAgent();
