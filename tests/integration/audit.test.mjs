// The audit trail: every create, change, pause (manual or automatic), reactivation and
// delete leaves one mentor_events row, in the same transaction; refused requests leave none.
// Read straight from the stack's database with the mariadb client (ECF_TEST_ROOT/stack.env).

import { test, run } from './lib/tap.mjs';
import { sql } from './lib/db.mjs';
import { Client, closeAgent } from './lib/client.mjs';
import {
  assert,
  stack,
  createToken,
  createChapter,
  createMentor,
  addDays,
  today,
  MENTORS,
} from './lib/fixtures.mjs';

/** The mentor's events in order (the id is checked against its format before use). */
function events(mentorId) {
  assert.match(mentorId, /^mntr_[0-9A-HJKMNP-TV-Z]{10}$/);
  return sql(
    "SELECT e.event, COALESCE(e.initiated_by, ''), COALESCE(e.token_jti, ''), " +
      "COALESCE(e.status_before, ''), COALESCE(e.status_after, ''), COALESCE(e.changes, ''), " +
      "COALESCE(e.request_id, '') FROM mentor_events e JOIN mentors m ON m.id = e.mentor_pk " +
      `WHERE m.mentor_id = '${mentorId}' ORDER BY e.id`,
  ).map(([event, initiatedBy, jti, before, after, changes, requestId]) => ({
    event, initiatedBy, jti, before, after, changes, requestId,
  }));
}

const s = {};

test('setup: a writer token and a chapter', async () => {
  const t = await createToken({ scopes: ['mentors:read', 'mentors:write'] });
  s.jti = t.jti;
  s.api = new Client({ token: t.token });
  s.chapter = await createChapter();
}, { bail: true });

test('create, change, pause, reactivate, delete: one event each, with who and what', async () => {
  const m = await createMentor(s.api, s.chapter);
  const id = m.mentor_id;
  const longId = `audit:put-1.${'x'.repeat(128 - 'audit:put-1.'.length)}`; // the longest id nginx passes
  let r = await s.api.put(`${MENTORS}/${id}`, { full_name: 'Renamed Person' }, { headers: { 'X-Request-Id': longId } });
  assert.equal(r.headers['x-request-id'], longId, 'the request id is echoed');
  assert.equal(r.status, 200, r.text);
  r = await s.api.post(`${MENTORS}/${id}/pause`, { reason: 'Leave', initiated_by: 'coord_1' });
  assert.equal(r.status, 200, r.text);
  r = await s.api.post(`${MENTORS}/${id}/reactivate`, { initiated_by: 'coord_2' });
  assert.equal(r.status, 200, r.text);
  r = await s.api.delete(`${MENTORS}/${id}`);
  assert.equal(r.status, 200, r.text);
  const ev = events(id);
  assert.deepEqual(ev.map((e) => e.event), ['created', 'updated', 'paused', 'reactivated', 'deleted']);
  for (const e of ev) assert.equal(e.jti, s.jti, 'every event names the token');
  assert.equal(ev[1].requestId, longId, 'the request id is kept');
  assert.deepEqual(JSON.parse(ev[1].changes), { full_name: { from: m.full_name, to: 'Renamed Person' } });
  assert.deepEqual([ev[2].initiatedBy, ev[2].before, ev[2].after], ['coord_1', 'active', 'paused']);
  assert.deepEqual(JSON.parse(ev[2].changes), { reason: 'Leave' });
  assert.deepEqual([ev[3].initiatedBy, ev[3].before, ev[3].after], ['coord_2', 'paused', 'active']);
  assert.equal(ev[4].before, 'active');
});

test('refused requests (409, 422, PUT with no change) leave no event', async () => {
  const m = await createMentor(s.api, s.chapter);
  const id = m.mentor_id;
  assert.equal((await s.api.post(`${MENTORS}/${id}/reactivate`, { initiated_by: 'x' })).status, 409);
  assert.equal((await s.api.post(`${MENTORS}/${id}/pause`, { reason: '', initiated_by: 'x' })).status, 422);
  assert.equal((await s.api.put(`${MENTORS}/${id}`, { full_name: m.full_name })).status, 200);
  assert.equal((await s.api.put(`${MENTORS}/${id}`, { status: 'paused' })).status, 422);
  assert.deepEqual(events(id).map((e) => e.event), ['created']);
});

test('an automatic pause is recorded once, by "system", when a write makes it durable', async () => {
  const m = await createMentor(s.api, s.chapter, { certification_expiry: addDays(today(), -3) });
  const id = m.mentor_id;
  // Reads derive the pause but write nothing.
  assert.equal((await s.api.get(`${MENTORS}/${id}`)).json.status, 'paused');
  assert.deepEqual(events(id).map((e) => e.event), ['created']);
  // Renewing keeps the mentor paused, and stores the automatic pause first.
  const r = await s.api.put(`${MENTORS}/${id}`, { certification_expiry: addDays(today(), 300) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'paused');
  assert.equal(r.json.pause_reason, 'Certification expired');
  const ev = events(id);
  assert.deepEqual(ev.map((e) => e.event), ['created', 'auto_paused', 'updated']);
  assert.deepEqual([ev[1].initiatedBy, ev[1].before, ev[1].after], ['system', 'active', 'paused']);
  // A second write does not record it again.
  assert.equal((await s.api.put(`${MENTORS}/${id}`, { full_name: 'Again' })).status, 200);
  assert.deepEqual(events(id).map((e) => e.event), ['created', 'auto_paused', 'updated', 'updated']);
});

test('two concurrent pauses: one 200, one 409, one paused event', async () => {
  const m = await createMentor(s.api, s.chapter);
  const id = m.mentor_id;
  const body = { reason: 'Race', initiated_by: 'racer' };
  const rs = await Promise.all([s.api.post(`${MENTORS}/${id}/pause`, body), s.api.post(`${MENTORS}/${id}/pause`, body)]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409]);
  assert.deepEqual(events(id).map((e) => e.event), ['created', 'paused']);
});

test('last_used_at is written on first use and at most once a minute after', async () => {
  const t = await createToken({ scopes: ['mentors:read'] });
  const api = new Client({ token: t.token });
  const lastUsed = async () => {
    const r = await stack().admin.get('/api/admin/v1/tokens');
    assert.equal(r.status, 200, r.text);
    return r.json.data.find((x) => x.jti === t.jti).last_used_at;
  };
  assert.equal(await lastUsed(), null, 'a fresh token was never used');
  assert.equal((await api.get(MENTORS, { query: { limit: 1 } })).status, 200);
  const first = await lastUsed();
  assert.match(String(first), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'set by the first request');
  // Past the workers' registry cache (at most 5 s), every worker reloads the row; the
  // write is still skipped because the last one is less than a minute old.
  await new Promise((resolve) => setTimeout(resolve, 5500));
  for (let i = 0; i < 8; i++) assert.equal((await api.get(MENTORS, { query: { limit: 1 } })).status, 200);
  assert.equal(await lastUsed(), first, 'not rewritten within the minute');
});

await run();
closeAgent();
void stack;
