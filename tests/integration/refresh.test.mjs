// ecfctl refresh (spec decision 5): participant_status and mentor_id are derived from the
// day at read time, so the scheduled job moves updated_at for participants whose derived
// view changed since its last run, and filter[updated_since] finds them. And ecfctl seed
// --participants: a synthetic load-test set that GET /api/v3/participants lists.
//
// The data is built through the admin data API on the sandbox clock in March 2022 and the
// job runs with --since/--now on those days, so nothing waits for a calendar and no other
// test's participants (written later than these instants) are moved: refresh never moves
// updated_at backwards.

import { test, run } from './lib/tap.mjs';
import { sql } from './lib/db.mjs';
import { Client, closeAgent } from './lib/client.mjs';
import { assert, stack, createToken, uniq, ecfctl, ADMIN } from './lib/fixtures.mjs';

const P = '/api/v3/participants';
const CREATED = '2022-03-10T10:00:00Z';
const TODAY = '2022-03-14'; // the first run's day; the periods below finish "tomorrow"
const TOMORROW = '2022-03-15';
const RUN1 = `${TODAY}T12:00:00Z`;
const RUN2 = '2022-03-16T06:00:00Z';
const s = {};



const at = (instant) => ({ headers: { 'X-With-Server-Date': instant } });
function ok(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json;
}
const post = async (p, body, instant = CREATED) => ok(await stack().admin.post(`${ADMIN}${p}`, body, at(instant)), 201);

function needsTools(t) {
  if (!process.env.ECF_TEST_ECFCTL) t.skip('ECF_TEST_ECFCTL not set');
  if (!process.env.ECF_TEST_ROOT) t.skip('ECF_TEST_ROOT not set');
}
/** The refresh points need `ecfctl refresh --since/--now` (an empty window is a no-op). */
async function needsRefreshOptions(t) {
  needsTools(t);
  if (s.refreshOptions === undefined) {
    const r = await ecfctl(['refresh', '--since', '2000-01-01T00:00:00Z', '--now', '2000-01-01T00:00:00Z']);
    s.refreshOptions = r.code !== 2;
  }
  if (!s.refreshOptions) t.skip('this ecfctl does not pass options to refresh (src/ctl/ecfctl.c)');
}

/** A teacher with an ECT or mentor school period and, with a partnership, a training period. */
async function participant({ role = 'ect', partnership, finishedOn } = {}) {
  const t = await post('/teachers', { full_name: `Refresh ${uniq()}` });
  const sp = await post(`/teachers/${t.id}/school-periods`, {
    role,
    school_urn: s.school.urn,
    email: `refresh.${uniq()}@example.org`,
    started_on: '2021-10-01',
  });
  if (partnership) {
    const body = { partnership_id: partnership.id, started_on: '2021-10-01' };
    if (finishedOn) body.finished_on = finishedOn;
    await post(`/school-periods/${sp.id}/training-periods`, body);
  }
  return { id: t.id, sp: sp.id };
}

async function show(id, instant) {
  return ok(await s.api.get(`${P}/${id}`, at(instant)), 200).data;
}

async function refresh(args) {
  const r = await ecfctl(['refresh', ...args]);
  assert.equal(r.code, 0, `ecfctl refresh ${args.join(' ')}: ${r.code} ${r.stderr}`);
  assert.match(r.stdout, /^refresh: \d+ mentors paused .*; participants .*: \d+ checked, \d+ updated_at moved, \d+ assigned mentors changed\n$/);
  return r.stdout;
}

// ---------------------------------------------------------------- refresh
test('setup: a provider, a school, a 2021 partnership, participants whose dates pass tomorrow', async (t) => {
  await needsRefreshOptions(t);
  const lp = ok(await stack().admin.post(`${ADMIN}/lead-providers`, { name: `Refresh LP ${uniq()}` }), 201);
  s.api = new Client({ token: (await createToken({ scopes: ['lead_provider'], leadProviderId: lp.id })).token });
  const dp = await post('/delivery-partners', { name: `Refresh DP ${uniq()}` });
  for (let i = 0; i < 5 && !s.school; i++) {
    const urn = String(100000 + Math.floor(Math.random() * 800000));
    const r = await stack().admin.post(`${ADMIN}/schools`, { urn, name: `Refresh School ${urn}` }, at(CREATED));
    if (r.status !== 409) s.school = ok(r, 201);
  }
  const p = await post('/partnerships', { school_urn: s.school.urn, lead_provider_id: lp.id, delivery_partner_id: dp.id, cohort: 2021 });
  // leaving today, left tomorrow
  s.finishing = await participant({ partnership: p, finishedOn: TOMORROW });
  // active throughout, but its mentorship (so its mentor_id) ends tomorrow
  s.mentored = await participant({ partnership: p });
  s.mentor = await participant({ role: 'mentor' });
  await post('/mentorships', {
    ect_school_period_id: s.mentored.sp,
    mentor_school_period_id: s.mentor.sp,
    started_on: '2021-10-01',
    finished_on: TOMORROW,
  });
  // nothing changes for this one
  s.steady = await participant({ partnership: p });
}, { bail: true });

test('before the date passes: refresh moves nothing', async (t) => {
  await needsRefreshOptions(t);
  const before = await show(s.finishing.id, RUN1);
  assert.equal(before.attributes.ecf_enrolments[0].participant_status, 'leaving');
  await refresh(['--since', `2022-03-13T12:00:00Z`, '--now', RUN1]);
  for (const who of [s.finishing, s.mentored, s.steady]) {
    const d = await show(who.id, RUN1);
    assert.equal(d.attributes.updated_at, CREATED, `${who.id} must not move yet`);
  }
  const m = await show(s.mentored.id, RUN1);
  assert.notEqual(m.attributes.ecf_enrolments[0].mentor_id, null, 'mentored today');
});

test('after the date passes: updated_at moves to the run and filter[updated_since] finds them', async (t) => {
  await needsRefreshOptions(t);
  const out = await refresh(['--since', RUN1, '--now', RUN2]);
  assert.match(out, /participants 2022-03-14T12:00:00Z\.\.2022-03-16T06:00:00Z/);
  const f = await show(s.finishing.id, RUN2);
  assert.equal(f.attributes.ecf_enrolments[0].participant_status, 'left');
  assert.equal(f.attributes.updated_at, RUN2);
  const m = await show(s.mentored.id, RUN2);
  assert.equal(m.attributes.ecf_enrolments[0].participant_status, 'active');
  assert.equal(m.attributes.ecf_enrolments[0].mentor_id, null, 'the mentorship ended');
  assert.equal(m.attributes.updated_at, RUN2);
  assert.equal((await show(s.steady.id, RUN2)).attributes.updated_at, CREATED);
  const r = ok(await s.api.get(P, { query: { 'filter[updated_since]': '2022-03-16T00:00:00Z' }, ...at(RUN2) }), 200);
  assert.deepEqual(r.data.map((d) => d.id).sort(), [s.finishing.id, s.mentored.id].sort());
  const before = ok(await s.api.get(P, { query: { 'filter[updated_since]': '2022-03-11T00:00:00Z' }, ...at(RUN1) }), 200);
  assert.equal(before.data.length, 2, 'the same two, found by a client that polled before');
  // the metadata row no longer names the finished mentorship's mentor
  const rows = sql(`SELECT COUNT(*) FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id
    WHERE t.api_id = UNHEX('${s.mentored.id.replace(/-/g, '')}') AND m.ect_assigned_mentor_school_period_id IS NULL`);
  assert.equal(rows[0][0], '1');
});

test('a second run bumps nothing (the window starts at the last run)', async (t) => {
  await needsRefreshOptions(t);
  const out = await refresh(['--now', '2022-03-16T07:00:00Z']);
  // the last run at or before --now (2022-03-16T06:00:00Z, or a later one of an earlier
  // run of this file on the same database)
  assert.match(out, /participants 2022-03-16T0[67]:\d\d:\d\dZ\.\.2022-03-16T07:00:00Z: 0 checked, 0 updated_at moved, 0 assigned/);
  for (const who of [s.finishing, s.mentored])
    assert.equal((await show(who.id, '2022-03-16T08:00:00Z')).attributes.updated_at, RUN2);
  const again = await refresh(['--since', RUN1, '--now', '2022-03-16T07:30:00Z']);
  assert.match(again, /0 updated_at moved/, 'a run over the same days again moves nothing of ours either');
  assert.equal((await show(s.finishing.id, '2022-03-16T08:00:00Z')).attributes.updated_at, RUN2);
});

test('bad options answer 2 (usage) or 1 with a reason', async (t) => {
  await needsRefreshOptions(t);
  assert.equal((await ecfctl(['refresh', '--bogus'])).code, 2);
  assert.equal((await ecfctl(['refresh', 'extra'])).code, 2);
  const bad = await ecfctl(['refresh', '--now', 'yesterday']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--now wants an RFC 3339 date-time/);
  const order = await ecfctl(['refresh', '--since', RUN2, '--now', RUN1]);
  assert.equal(order.code, 1);
  assert.match(order.stderr, /--since is after the run's time/);
  const future = await ecfctl(['refresh', '--now', '2999-01-01T00:00:00Z']);
  assert.equal(future.code, 1);
  assert.match(future.stderr, /--now is after the real clock/);
});

// ---------------------------------------------------------------- seed
async function countAll(api) {
  let n = 0;
  for (let page = 1; ; page++) {
    const r = ok(await api.get(P, { query: { 'page[page]': page, 'page[per_page]': 3000 } }), 200);
    if (!r.data.length) return n;
    n += r.data.length;
  }
}

async function loadProvider(k) {
  const rows = sql(`SELECT LOWER(HEX(id)) FROM lead_providers WHERE name = 'Load Provider ${k}'`);
  if (!rows.length) return null;
  const h = rows[0][0];
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return new Client({ token: (await createToken({ scopes: ['lead_provider'], leadProviderId: id })).token });
}

test('seed --participants 200 --lead-providers 2: 200 participants visible across the two', async (t) => {
  needsTools(t);
  const before = [];
  for (const k of [1, 2]) {
    const api = await loadProvider(k);
    before.push(api ? await countAll(api) : 0);
  }
  const r = await ecfctl(['seed', '--participants', '200', '--lead-providers', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^participants: 200 added across 2 lead providers/);
  const after = [];
  for (const k of [1, 2]) after.push(await countAll(await loadProvider(k)));
  const added = after.map((n, i) => n - before[i]);
  assert.equal(added[0] + added[1], 200, `added ${added}`);
  assert.equal(added[1], 20, 'every tenth with the second provider');
  const one = ok(await (await loadProvider(2)).get(P, { query: { 'page[per_page]': 1, sort: '-created_at' } }), 200).data[0];
  assert.equal(one.attributes.ecf_enrolments.length, 1);
  assert.match(one.attributes.full_name, /^Load Participant /);
  assert.equal((await ecfctl(['seed', '--participants', '10', '--lead-providers', '0'])).code, 2);
  assert.equal((await ecfctl(['seed', '--participants', 'x'])).code, 2);
  assert.equal((await ecfctl(['seed', '--lead-providers', '2'])).code, 2);
  assert.equal((await ecfctl(['seed', '--participants', '1', '--participants', '2'])).code, 2);
}, { timeout: 60000 });

test('teardown: a plain refresh still runs as of the real clock', async (t) => {
  needsTools(t);
  await refresh([]);
});

await run();
closeAgent();
