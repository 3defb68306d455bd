// Lead Provider API v3 read side: the participant loader and the list parameters (spec 1.5,
// 6, 8.2). The cases a review left pending (created_at of the earliest school period, several
// sort items, Ruby's Time.iso8601 forms of filter[updated_since], `filter` as an array, the
// TRS facts), each with what the spec expects. Data through the admin data API on the sandbox
// clock, like read_rules.test.mjs.

import { test, run } from './lib/tap.mjs';
import { closeAgent } from './lib/client.mjs';
import { assert } from './lib/fixtures.mjs';
import {
  P,
  T,
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

const D = '/api/v3/participant-declarations';
const s = {};

test('setup: a provider of its own, two schools, 2024 partnerships', async () => {
  s.D = await leadProvider('Loader');
  s.dp = await deliveryPartner();
  s.sch = await school();
  s.sch2 = await school();
  s.p = await partnership(s.sch, s.D, s.dp, 2024);
  s.p2 = await partnership(s.sch2, s.D, s.dp, 2024);
}, { bail: true });

// RECT's earliest_ect_at_school_period: ordered by started_on, not by when it was registered.
test('1.5: created_at is the created_at of the school period that started first, even when it was registered later', async () => {
  const t = await teacher('2025-06-01T09:00:00Z');
  const current = await schoolPeriod(t, 'ect', s.sch, { start: '2025-01-06' }, '2025-06-02T10:00:00Z');
  await trainingPeriod(current, s.p, { start: '2025-01-06' }, '2025-06-02T10:00:01Z');
  await schoolPeriod(t, 'ect', s.sch2, { start: '2024-09-01', finish: '2024-12-31' }, '2025-06-03T10:00:00Z');
  const e = enrolment(await show(s.D, t, '2025-06-15T00:00:00Z'), 'ect');
  assert.equal(e.created_at, '2025-06-03T10:00:00Z');
});

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
  const [a, b, c] = ts.map((t) => t.id);
  const q = { 'filter[updated_since]': '2025-07-01T10:00:00Z' };
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: 'updated_at,-created_at' })), [c, b, a]);
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: '-updated_at,created_at' })), [a, b, c]);
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: '-updated_at,-created_at' })), [c, b, a]);
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: 'updated_at,bogus,-created_at' })), [c, b, a], 'unknown items are skipped');
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: 'updated_at,updated_at,-created_at' })), [c, b, a], 'a repeated attribute changes nothing');
  assert.deepEqual(ids(await list(s.D, P, { ...q, sort: '-created_at,updated_at' })), [c, b, a]);
  // Pages of one walk the same order, page after page, then an empty page.
  const paged = [];
  for (let page = 1; page <= 4; page++)
    paged.push(...ids(await list(s.D, P, { ...q, sort: 'updated_at,-created_at', 'page[per_page]': 1, 'page[page]': page })));
  assert.deepEqual(paged, [c, b, a]);
});

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
  const [a, b, c] = ms.map((m) => m.id);
  const q = { 'filter[updated_since]': '2025-07-02T10:00:00Z' };
  assert.deepEqual(ids(await list(s.D, U, { ...q, sort: 'updated_at,-created_at' })), [c, b, a]);
  assert.deepEqual(ids(await list(s.D, U, { ...q, sort: '-updated_at,created_at' })), [a, b, c]);
  assert.deepEqual(ids(await list(s.D, U, { ...q, sort: 'updated_at,-created_at', 'page[per_page]': 2, 'page[page]': 2 })), [a]);
});

test('6: several sort items: the first orders, the next breaks its ties (transfers)', async () => {
  const ts = [];
  const at = '2025-07-03T10:00:00Z'; // every training period written then: equal transfer updated_at
  for (const [i, iso] of ['2025-06-01T09:00:07Z', '2025-06-01T09:00:08Z', '2025-06-01T09:00:09Z'].entries()) {
    const t = await teacher(iso);
    const sp = await schoolPeriod(t, 'ect', s.sch, { start: '2024-09-01', finish: '2024-12-31' }, at);
    await trainingPeriod(sp, s.p, { start: '2024-09-01', finish: '2024-12-31' }, at);
    const sp2 = await schoolPeriod(t, 'ect', s.sch2, { start: '2025-01-06' }, at);
    await trainingPeriod(sp2, s.p2, { start: '2025-01-06' }, at);
    ts[i] = t;
  }
  const [a, b, c] = ts.map((t) => t.id);
  const q = { 'filter[updated_since]': at };
  const got = async (sort) => ids(await list(s.D, T, { ...q, sort }, '2025-07-04T00:00:00Z'));
  assert.deepEqual(await got('updated_at,-created_at'), [c, b, a]);
  assert.deepEqual(await got('-updated_at,created_at'), [a, b, c]);
  assert.deepEqual(await got('updated_at'), [a, b, c], 'one item: ties by row id in its direction');
  assert.deepEqual(await got('-updated_at'), [c, b, a]);
});

test('6: filter[updated_since] reads what Ruby\'s Time.iso8601 reads: no zone (UTC), +hhmm, +hh, surrounding blanks, lower-case t/z', async () => {
  const t = s.ts[0].id; // updated at 2025-07-01T10:00:00Z
  const has = async (v) => {
    const r = await s.D.api.get(P, { query: { 'filter[updated_since]': v } });
    assert.equal(r.status, 200, `${JSON.stringify(v)}: ${r.text}`);
    return ids(r.json.data).includes(t);
  };
  for (const v of ['2025-07-01T10:00:00', '2025-07-01T11:00:00%2B0100', '2025-07-01T11:00:00%2B01', ' 2025-07-01T10:00:00Z ',
    '2025-07-01t10:00:00z', '2025-07-01T08:59:59.5-01:00', '2025-07-01'])
    assert.ok(await has(v), `${JSON.stringify(v)} is at or before the update`);
  for (const v of ['2025-07-01T10:00:01', '2025-07-01T11:00:01%2B0100', '2025-07-01T10:00:00.000001Z', '2025-07-02'])
    assert.ok(!(await has(v)), `${JSON.stringify(v)} is after the update`);
  for (const v of ['2025-07-01T10:00', '2025-07-01 10:00:00Z', '2025-13-01', '2025-07-01T10:00:00+1', 'x2025-07-01', '20250701']) {
    const r = await s.D.api.get(P, { query: { 'filter[updated_since]': v } });
    assert.equal(r.status, 400, `${JSON.stringify(v)}: ${r.text}`);
    assert.deepEqual(r.json, { errors: [{ title: 'Bad request', detail: "The filter '#/updated_since' must be a valid ISO 8601 date" }] });
  }
});

test('6: filter[]=abc (an array, not a hash) is 400 Filter must be a hash on every list endpoint', async () => {
  for (const path of [P, U, T, D]) {
    for (const q of ['filter%5B%5D=abc', 'filter[]=abc', 'filter=abc']) {
      const r = await s.D.api.get(`${path}?${q}`);
      assert.equal(r.status, 400, `${path}?${q}: ${r.text}`);
      assert.deepEqual(r.json, { errors: [{ title: 'Bad parameter', detail: 'Filter must be a hash' }] });
    }
  }
});

test('1.5: induction dates fall back to the TRS dates; an ECT who became ineligible is not eligible for funding', async () => {
  const t = await teacher('2025-06-01T09:00:00Z');
  const sp = await schoolPeriod(t, 'ect', s.sch, { start: '2024-09-01', finish: '2025-07-31' });
  await trainingPeriod(sp, s.p, { start: '2024-09-01', finish: '2025-07-31' });
  const before = enrolment(await show(s.D, t, '2025-09-01T00:00:00Z'), 'ect');
  assert.deepEqual(
    [before.induction_end_date, before.overall_induction_start_date, before.participant_status, before.eligible_for_funding],
    [null, null, 'left', null],
  );
  await adminPut(`/teachers/${t.id}`, { trs_induction_start_date: '2024-09-01', trs_induction_completed_date: '2025-07-20', ect_became_ineligible_on: '2025-08-01' }, '2025-08-02T10:00:00Z');
  const p = await show(s.D, t, '2025-09-01T00:00:00Z');
  const e = enrolment(p, 'ect');
  assert.deepEqual(
    [e.induction_end_date, e.overall_induction_start_date, e.participant_status, e.eligible_for_funding],
    ['2025-07-20', '2024-09-01', 'active', false],
  );
  assert.equal(p.attributes.updated_at, '2025-08-02T10:00:00Z');
  // The list serves the same stored document.
  const listed = (await list(s.D, P, { 'filter[updated_since]': '2025-08-02T10:00:00Z' }, '2025-09-01T00:00:00Z')).find((x) => x.id === t.id);
  assert.deepEqual(listed, p);
  s.trsDone = t;
});

test('8.2: a TRS induction completion also suppresses the transfer out of the last school', async () => {
  const r = await s.D.api.get(`${P}/${s.trsDone.id}/transfers`, { headers: { 'X-With-Server-Date': '2025-09-01T00:00:00Z' } });
  assert.equal(r.status, 404, r.text);
  const all = await list(s.D, T, {}, '2025-09-01T00:00:00Z');
  assert.ok(!ids(all).includes(s.trsDone.id));
});

await run();
closeAgent();
