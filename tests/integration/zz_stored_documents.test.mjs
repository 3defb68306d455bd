// Participant documents (migration 005): GET /api/v3/participants and /{id} answer from the
// rendering stored in teacher_lead_providers.api_json / api_slots, and render on the fly
// where none is stored yet. Both must give the same bytes, on every date (the markers for
// participant_status, mentor_id, updated_at and the uplifts are filled in at read time).
// And the page boundaries the workers share must never outlive a change.
//
// The file runs last on purpose (zz_, the suite runs files in name order): every write path
// the earlier files exercised (admin data, participant actions, declarations, statements)
// must have left documents that equal a fresh rendering, or the first case fails.
// Data: whatever the stack holds when this file runs (the participants suite's world is
// written with SQL, so its rows have no document until a job stores them), plus a small
// `ecfctl seed --participants` set, whose run also stores every missing document.

import { test, run } from './lib/tap.mjs';
import { sql } from './lib/db.mjs';
import { Client, closeAgent } from './lib/client.mjs';
import { assert, stack, createToken, ecfctl, ADMIN } from './lib/fixtures.mjs';

const P = '/api/v3/participants';
const DATES = ['2024-06-01T12:00:00Z', '2025-01-15T12:00:00Z', '2027-09-30T12:00:00Z'];

const uuidOf = (hex) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

function needsTools(t) {
  if (!process.env.ECF_TEST_ECFCTL || !process.env.ECF_TEST_ROOT) t.skip('needs ECF_TEST_ECFCTL and ECF_TEST_ROOT');
}

async function providerClients() {
  const out = [];
  for (const [hex] of sql('SELECT DISTINCT LOWER(HEX(lead_provider_id)) FROM teacher_lead_providers')) {
    const t = await createToken({ scopes: ['lead_provider'], leadProviderId: uuidOf(hex) });
    out.push({ hex, api: new Client({ token: t.token }) });
  }
  return out;
}

/** Every answer the providers give, as raw text: all pages of 3000 and every participant by
 * id, on each date. */
async function snapshot(providers) {
  const texts = new Map();
  for (const { hex, api } of providers) {
    for (const date of DATES) {
      const headers = { 'X-With-Server-Date': date };
      const ids = [];
      for (let page = 1; ; page++) {
        const r = await api.get(P, { query: { 'page[page]': page, 'page[per_page]': 3000 }, headers });
        assert.equal(r.status, 200, r.text);
        texts.set(`${hex} ${date} page ${page}`, r.text);
        if (!r.json.data.length) break;
        for (const p of r.json.data) ids.push(p.id);
      }
      // By id, 16 at a time (the suite's data: several hundred participants, three dates).
      for (let i = 0; i < ids.length; i += 16) {
        await Promise.all(ids.slice(i, i + 16).map(async (id) => {
          const r = await api.get(`${P}/${id}`, { headers });
          assert.equal(r.status, 200, r.text);
          texts.set(`${hex} ${date} ${id}`, r.text);
        }));
      }
    }
  }
  return texts;
}

/** The first participant (by id) whose answers differ, both versions, for the message. */
function firstDifference(a, b) {
  let x, y;
  try {
    x = JSON.parse(a).data;
    y = JSON.parse(b).data;
  } catch {
    return '(not JSON)';
  }
  if (!Array.isArray(x)) [x, y] = [[x], [y]];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = JSON.stringify(x[i]);
    const q = JSON.stringify(y[i]);
    if (p !== q) return `participant ${x[i]?.id ?? y[i]?.id}:\n stored: ${p}\n fresh:  ${q}`;
  }
  return '(same participants, different bytes)';
}

function assertSame(before, after, what) {
  assert.equal(after.size, before.size, `${what}: as many answers`);
  for (const [k, v] of before) {
    const w = after.get(k);
    if (w !== v) assert.fail(`${what}: ${k}: ${firstDifference(v, w)}`);
  }
}

const missing = () => Number(sql('SELECT COUNT(*) FROM teacher_lead_providers WHERE api_slots IS NULL')[0][0]);

test('stored documents answer byte for byte what a fresh rendering answers, on every date', async (t) => {
  needsTools(t);
  const seed = await ecfctl(['seed', '--participants', '30', '--lead-providers', '2']);
  assert.equal(seed.code, 0, seed.stderr);
  assert.equal(missing(), 0, 'the seed stored every missing document');
  const providers = await providerClients();
  assert.ok(providers.length >= 2);
  const stored = await snapshot(providers);

  sql('UPDATE teacher_lead_providers SET api_json = NULL, api_slots = NULL');
  assert.ok(missing() > 0);
  // Fresh tokens per snapshot: each provider's token stays well under the rate limit.
  assertSame(stored, await snapshot(await providerClients()), 'rendered on the fly');

  const refill = await ecfctl(['seed', '--participants', '1', '--lead-providers', '1']);
  assert.equal(refill.code, 0, refill.stderr);
  assert.equal(missing(), 0, 'stored again');
  const again = await snapshot(await providerClients());
  // The one new participant aside, the answers are the same.
  for (const [k, v] of stored) if (!/ page /.test(k)) assert.equal(again.get(k), v, k);
}, { timeout: 600000 }); // thousands of requests: minutes under ASan

test('a change moves a participant in the updated_at order at once (no stale page boundary)', async (t) => {
  needsTools(t);
  const seed = await ecfctl(['seed', '--participants', '12', '--lead-providers', '1']);
  assert.equal(seed.code, 0, seed.stderr);
  const [[hex]] = sql("SELECT LOWER(HEX(id)) FROM lead_providers WHERE name = 'Load Provider 1'");
  const api = new Client({ token: (await createToken({ scopes: ['lead_provider'], leadProviderId: uuidOf(hex) })).token });
  const walk = async () => {
    const ids = [];
    for (let page = 1; ; page++) {
      const r = await api.get(P, { query: { 'page[page]': page, 'page[per_page]': 5, sort: 'updated_at' } });
      assert.equal(r.status, 200, r.text);
      if (!r.json.data.length) return ids;
      ids.push(...r.json.data.map((p) => p.id));
    }
  };
  const before = await walk();
  await walk(); // every boundary is now known to the workers
  const first = before[0];
  const put = await stack().admin.put(`${ADMIN}/teachers/${first}`, { full_name: `Renamed ${Date.now()}` });
  assert.equal(put.status, 200, put.text);
  const after = await walk();
  assert.equal(after.length, before.length);
  assert.equal(after[after.length - 1], first, 'the changed participant is last in updated_at order');
  assert.deepEqual([...after].sort(), [...before].sort(), 'every participant exactly once');
  const one = await api.get(`${P}/${first}`);
  assert.match(one.json.data.attributes.full_name, /^Renamed /);
});

await run();
closeAgent();
