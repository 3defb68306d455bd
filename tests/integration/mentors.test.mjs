// Mentor Status Service v1 against the real stack: every endpoint's success path and
// every error of the spec and docs/api-decisions.md. Each response is also checked
// against docs/openapi.yaml by the client (lib/contract.mjs).

import { test, run } from './lib/tap.mjs';
import { closeAgent } from './lib/client.mjs';
import {
  assert,
  stack,
  uniq,
  uniqueEmail,
  clientWithScopes,
  createChapter,
  createMentor,
  today,
  addDays,
  assertRecent,
  assert404,
  assertMalformed,
  assertBadQuery,
  assertErrors,
  assertError,
  ecfctl,
  MENTORS,
} from './lib/fixtures.mjs';
import { readConfig } from './lib/jwt.mjs';

const s = {}; // state shared by the tests of this file
const url = (id, tail = '') => `${MENTORS}/${id}${tail}`;
const PAUSE = { reason: 'Personal leave — returning approximately 4 weeks', initiated_by: 'user_coord_99XZ' };
const REACTIVATE = { initiated_by: 'user_coord_99XZ' };
const FULL_FIELDS = [
  'mentor_id', 'full_name', 'chapter_id', 'email', 'status', 'is_eligible_for_assignment',
  'paused_at', 'pause_reason', 'reactivated_at', 'certification_expiry', 'created_at', 'updated_at',
].sort();
const DERIVED = [
  'status', 'is_eligible_for_assignment', 'paused_at', 'pause_reason', 'reactivated_at',
  'mentor_id', 'created_at', 'updated_at',
];
// A well-formed id that no mentor has (ids are random; this one is all zeros).
const UNKNOWN_ID = 'mntr_0000000000';

async function newMentor(extra = {}) {
  return createMentor(s.api, s.chapter, extra);
}

function validCreate(extra = {}) {
  return {
    full_name: `Mentor ${uniq()}`,
    email: uniqueEmail(),
    chapter_id: s.chapter,
    certification_expiry: addDays(today(), 365),
    ...extra,
  };
}

// ================================================================ setup
test(
  'setup: a mentors:read+write token (admin API) and two fresh chapters',
  async () => {
    s.api = await clientWithScopes(['mentors:read', 'mentors:write'], { description: 'integration mentors' });
    s.chapter = await createChapter();
    s.chapter2 = await createChapter();
  },
  { bail: true },
);

test('the demo token (lead_provider mentors:read mentors:write) can list mentors', async () => {
  const r = await stack().demo.get(MENTORS);
  assert.equal(r.status, 200);
});

// ================================================================ create
test('POST /mentors registers an active mentor: 201, Location, full record', async () => {
  const before = Date.now();
  const body = validCreate({ full_name: 'Amara Diallo', certification_expiry: '2099-09-30' });
  const r = await s.api.post(MENTORS, body);
  assert.equal(r.status, 201);
  const m = r.json;
  assert.deepEqual(Object.keys(m).sort(), FULL_FIELDS);
  assert.equal(r.headers.location, `/api/v1/mentors/${m.mentor_id}`);
  assert.equal(m.full_name, 'Amara Diallo');
  assert.equal(m.email, body.email);
  assert.equal(m.chapter_id, s.chapter);
  assert.equal(m.certification_expiry, '2099-09-30');
  assert.equal(m.status, 'active');
  assert.equal(m.is_eligible_for_assignment, true);
  assert.equal(m.paused_at, null);
  assert.equal(m.pause_reason, null);
  assert.equal(m.reactivated_at, null);
  assertRecent(m.created_at, before);
  assertRecent(m.updated_at, before);
  s.created = m;
});

test('GET on the Location of a new mentor answers the same record', async () => {
  const r = await s.api.get(url(s.created.mentor_id));
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, s.created);
});

test('mentor ids are distinct across registrations', async () => {
  const a = await newMentor();
  const b = await newMentor();
  assert.notEqual(a.mentor_id, b.mentor_id);
  assert.notEqual(a.mentor_id, s.created.mentor_id);
});

test('certification_expiry is optional (absent or null): null, active, not eligible', async () => {
  const body = validCreate();
  delete body.certification_expiry;
  for (const b of [body, validCreate({ certification_expiry: null })]) {
    const r = await s.api.post(MENTORS, b);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.certification_expiry, null);
    assert.equal(r.json.status, 'active');
    assert.equal(r.json.is_eligible_for_assignment, false);
  }
});

test('POST with no fields: 422, one entry per required field ("X is required")', async () => {
  const r = await s.api.post(MENTORS, {});
  const errors = assertErrors(r, 422, ['full_name', 'email', 'chapter_id']);
  for (const e of errors) assert.equal(e.detail, `${e.title} is required`);
});

test('POST missing each required field alone: 422 naming it', async () => {
  for (const field of ['full_name', 'email', 'chapter_id']) {
    const body = validCreate();
    delete body[field];
    const r = await s.api.post(MENTORS, body);
    assertError(r, 422, field, `${field} is required`);
  }
});

test('POST with invalid emails: 422 title email', async () => {
  const bad = ['not-an-email', 'a@', '@example.org', 'a b@example.org', '', `${'a'.repeat(250)}@example.org`, 42, null, ['x@example.org']];
  for (const email of bad) {
    const r = await s.api.post(MENTORS, validCreate({ email }));
    assertError(r, 422, 'email');
  }
});

test('POST with a 254-character email: 201', async () => {
  const local = uniq().padEnd(64, 'x');
  const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(57)}.org`;
  const email = `${local}@${domain}`;
  assert.equal(email.length, 254);
  const r = await s.api.post(MENTORS, validCreate({ email }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.email, email);
});

test('POST full_name of 201 characters: 422 title full_name', async () => {
  const r = await s.api.post(MENTORS, validCreate({ full_name: 'n'.repeat(201) }));
  assertError(r, 422, 'full_name');
});

test('POST full_name of 200 characters: 201, stored whole', async () => {
  const name = `${uniq()}`.padEnd(200, 'n');
  const r = await s.api.post(MENTORS, validCreate({ full_name: name }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.full_name, name);
});

test('full_name counts characters, not bytes: 200 × "é" is 201, 201 × "é" is 422', async () => {
  const ok = await s.api.post(MENTORS, validCreate({ full_name: 'é'.repeat(200) }));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.full_name, 'é'.repeat(200));
  const bad = await s.api.post(MENTORS, validCreate({ full_name: 'é'.repeat(201) }));
  assertError(bad, 422, 'full_name');
});

test('full_name is stored trimmed (limit applies after trimming)', async () => {
  const r = await s.api.post(MENTORS, validCreate({ full_name: '  \tAda Lovelace \n ' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.full_name, 'Ada Lovelace');
  const g = await s.api.get(url(r.json.mentor_id));
  assert.equal(g.json.full_name, 'Ada Lovelace');
  const padded = `${uniq()}`.padEnd(200, 'p');
  const r2 = await s.api.post(MENTORS, validCreate({ full_name: `   ${padded}   ` }));
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.full_name, padded);
});

test('full_name empty, blank or not a string: 422 title full_name', async () => {
  for (const full_name of ['', '    ', '\t\n', 42, null, true, ['a'], { a: 1 }]) {
    const r = await s.api.post(MENTORS, validCreate({ full_name }));
    assertError(r, 422, 'full_name');
  }
});

test('POST with an unknown or malformed chapter_id: 422 title chapter_id', async () => {
  for (const chapter_id of ['chpt_ZZZZZZZZZZZZZZZZZZZZZZZZZZ', 'chpt_0', 'nope', 'chpt_abc', 'chpt_', '', 7, null]) {
    const r = await s.api.post(MENTORS, validCreate({ chapter_id }));
    assertError(r, 422, 'chapter_id');
  }
});

test('POST with an unknown field: 422 "nickname is not a permitted field"', async () => {
  const r = await s.api.post(MENTORS, validCreate({ nickname: 'Amy' }));
  assertError(r, 422, 'nickname', 'nickname is not a permitted field');
});

test('POST with status (or another derived field): 422 naming it', async () => {
  for (const [k, v] of [['status', 'active'], ['status', 'paused'], ['mentor_id', 'mntr_0123456789'], ['is_eligible_for_assignment', true], ['deleted_at', null]]) {
    const r = await s.api.post(MENTORS, validCreate({ [k]: v }));
    assertError(r, 422, k);
  }
});

test('POST with several bad fields: one 422 entry per field', async () => {
  const r = await s.api.post(MENTORS, { full_name: '', email: 'bad', chapter_id: s.chapter, nickname: 'x' });
  assertErrors(r, 422, ['full_name', 'email', 'nickname']);
});

test('POST with invalid certification_expiry: 422 title certification_expiry', async () => {
  for (const certification_expiry of ['2027-02-30', '2027-13-01', '2027-9-30', '30/09/2027', '2027-09-30T00:00:00Z', 'soon', '', 20270930, true]) {
    const r = await s.api.post(MENTORS, validCreate({ certification_expiry }));
    assertError(r, 422, 'certification_expiry');
  }
});

test('POST with a duplicate email: 409 title email', async () => {
  const email = uniqueEmail('dup');
  const first = await s.api.post(MENTORS, validCreate({ email }));
  assert.equal(first.status, 201);
  const r = await s.api.post(MENTORS, validCreate({ email }));
  assertError(r, 409, 'email', 'A mentor with this email already exists');
  s.dupEmail = email;
  s.dupMentor = first.json;
});

test('duplicate email check is case-insensitive; email is stored as given', async () => {
  const mixed = `Mixed.${uniq()}@Example.ORG`;
  const first = await s.api.post(MENTORS, validCreate({ email: mixed }));
  assert.equal(first.status, 201);
  assert.equal(first.json.email, mixed);
  const r = await s.api.post(MENTORS, validCreate({ email: mixed.toLowerCase() }));
  assertError(r, 409, 'email', 'A mentor with this email already exists');
  const r2 = await s.api.post(MENTORS, validCreate({ email: mixed.toUpperCase() }));
  assertError(r2, 409, 'email');
});

test('an email is reusable after its mentor is deleted', async () => {
  const d = await s.api.delete(url(s.dupMentor.mentor_id));
  assert.equal(d.status, 200);
  const r = await s.api.post(MENTORS, validCreate({ email: s.dupEmail.toUpperCase() }));
  assert.equal(r.status, 201, r.text);
  assert.notEqual(r.json.mentor_id, s.dupMentor.mentor_id);
});

// ================================================================ get
test('GET an unknown mentor id: 404', async () => {
  assert404(await s.api.get(url(UNKNOWN_ID)));
});

test('GET malformed mentor ids: 404', async () => {
  const ids = ['mntr_123', 'mntr_0123456789A', 'mntr_abcdefghjk', 'mntr_ILOU000000', 'foo', 'MNTR_0123456789', '%20', encodeURIComponent("mntr_0' OR '1'='1")];
  for (const id of ids) assert404(await s.api.get(url(id)));
});

// ================================================================ list
test('GET /mentors: envelope and default paging (page 1, limit 20)', async () => {
  const r = await s.api.get(MENTORS);
  assert.equal(r.status, 200);
  assert.equal(r.json.pagination.page, 1);
  assert.equal(r.json.pagination.limit, 20);
  assert.ok(r.json.data.length <= 20);
  assert.ok(r.json.pagination.total >= r.json.data.length);
});

test('setup: 23 mentors in a fresh chapter for paging', async () => {
  s.pageChapter = await createChapter();
  const made = [];
  for (let i = 0; i < 23; i++) made.push(await createMentor(s.api, s.pageChapter, { full_name: `Pager ${i} ${uniq()}` }));
  // The documented order: created_at, then mentor_id.
  made.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.mentor_id < b.mentor_id ? -1 : 1));
  s.pageMentors = made;
}, { timeout: 60000 });

test('list filtered by chapter: default limit 20 of 23, page 2 holds the other 3', async () => {
  const p1 = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter } });
  assert.equal(p1.status, 200);
  assert.deepEqual(p1.json.pagination, { page: 1, limit: 20, total: 23 });
  assert.equal(p1.json.data.length, 20);
  const p2 = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, page: 2 } });
  assert.deepEqual(p2.json.pagination, { page: 2, limit: 20, total: 23 });
  assert.equal(p2.json.data.length, 3);
  for (const m of [...p1.json.data, ...p2.json.data]) assert.equal(m.chapter_id, s.pageChapter);
});

test('list order is stable (created_at, then mentor_id) across pages of 5', async () => {
  const seen = [];
  for (let page = 1; page <= 5; page++) {
    const r = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, limit: 5, page } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.pagination, { page, limit: 5, total: 23 });
    assert.equal(r.json.data.length, page < 5 ? 5 : 3);
    seen.push(...r.json.data.map((m) => m.mentor_id));
  }
  assert.deepEqual(seen, s.pageMentors.map((m) => m.mentor_id));
  const again = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, limit: 100 } });
  assert.deepEqual(again.json.data.map((m) => m.mentor_id), seen);
});

test('list items carry exactly the list fields, with the record values', async () => {
  const r = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, limit: 1 } });
  const item = r.json.data[0];
  const m = s.pageMentors[0];
  assert.deepEqual(item, {
    mentor_id: m.mentor_id,
    full_name: m.full_name,
    chapter_id: m.chapter_id,
    status: 'active',
    paused_at: null,
    pause_reason: null,
    is_eligible_for_assignment: true,
  });
});

test('a page past the end: 200, empty data, correct total', async () => {
  for (const [page, limit] of [[3, 20], [100, 5], [999999, 100], [1000000000, 7]]) {
    const r = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, page, limit } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { data: [], pagination: { page, limit, total: 23 } });
  }
});

test('limit 100 is allowed; limit 1 gives one item', async () => {
  const r = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, limit: 100 } });
  assert.equal(r.status, 200);
  assert.equal(r.json.data.length, 23);
  const one = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, limit: 1 } });
  assert.equal(one.json.data.length, 1);
  assert.equal(one.json.pagination.total, 23);
});

test('status filter: paused and active split the chapter', async () => {
  const toPause = s.pageMentors.slice(0, 3).map((m) => m.mentor_id);
  for (const id of toPause) assert.equal((await s.api.post(url(id, '/pause'), PAUSE)).status, 200);
  const paused = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, status: 'paused' } });
  assert.equal(paused.json.pagination.total, 3);
  assert.deepEqual(paused.json.data.map((m) => m.mentor_id), toPause);
  for (const m of paused.json.data) {
    assert.equal(m.status, 'paused');
    assert.equal(m.pause_reason, PAUSE.reason);
    assert.equal(m.is_eligible_for_assignment, false);
  }
  const active = await s.api.get(MENTORS, { query: { chapter_id: s.pageChapter, status: 'active', limit: 100 } });
  assert.equal(active.json.pagination.total, 20);
  assert.ok(active.json.data.every((m) => m.status === 'active' && !toPause.includes(m.mentor_id)));
});

test('status filter across all chapters returns only that status', async () => {
  for (const status of ['active', 'paused']) {
    const r = await s.api.get(MENTORS, { query: { status, limit: 100 } });
    assert.equal(r.status, 200);
    assert.ok(r.json.data.every((m) => m.status === status), `${status}: ${r.text.slice(0, 300)}`);
  }
});

test('chapter filter with a chapter that has no mentors: empty, total 0', async () => {
  const r = await s.api.get(MENTORS, { query: { chapter_id: s.chapter2 } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { data: [], pagination: { page: 1, limit: 20, total: 0 } });
});

test('limit 101, 0, -1, abc, 1.5, 1e2: 400 naming limit', async () => {
  for (const limit of ['101', '0', '-1', 'abc', '1.5', '1e2', '20abc', '99999999999999999999']) {
    assertBadQuery(await s.api.get(MENTORS, { query: { limit } }), 'limit');
  }
});

test('page 0, -1, abc, 1.5, above 1000000000: 400 naming page', async () => {
  for (const page of ['0', '-1', 'abc', '1.5', '2x', '1000000001', '2147483648', '18446744073709551617']) {
    assertBadQuery(await s.api.get(MENTORS, { query: { page } }), 'page');
  }
});

test('an unknown status filter: 400 naming status', async () => {
  for (const status of ['deleted', 'ACTIVE', 'inactive', "active' OR '1'='1"]) {
    assertBadQuery(await s.api.get(MENTORS, { query: { status } }), 'status');
  }
});

// ================================================================ update
test('PUT changes profile fields and answers the full record', async () => {
  const m = await newMentor();
  const before = Date.now();
  const email = uniqueEmail('renamed');
  const r = await s.api.put(url(m.mentor_id), {
    full_name: '  Sarah Chen-Williams ',
    email,
    chapter_id: s.chapter2,
    certification_expiry: '2098-06-15',
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), FULL_FIELDS);
  assert.equal(r.json.mentor_id, m.mentor_id);
  assert.equal(r.json.full_name, 'Sarah Chen-Williams');
  assert.equal(r.json.email, email);
  assert.equal(r.json.chapter_id, s.chapter2);
  assert.equal(r.json.certification_expiry, '2098-06-15');
  assert.equal(r.json.status, 'active');
  assert.equal(r.json.created_at, m.created_at);
  assert.ok(r.json.updated_at >= m.updated_at);
  assertRecent(r.json.updated_at, before);
  const g = await s.api.get(url(m.mentor_id));
  assert.deepEqual(g.json, r.json);
});

test('PUT with a subset of fields leaves the others unchanged', async () => {
  const m = await newMentor();
  const r = await s.api.put(url(m.mentor_id), { full_name: 'Only Name Changed' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.full_name, 'Only Name Changed');
  for (const k of ['email', 'chapter_id', 'certification_expiry', 'status', 'created_at']) assert.equal(r.json[k], m[k], k);
});

test('PUT certification_expiry null clears it (not eligible: certification_missing)', async () => {
  const m = await newMentor();
  const r = await s.api.put(url(m.mentor_id), { certification_expiry: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.certification_expiry, null);
  assert.equal(r.json.is_eligible_for_assignment, false);
  assert.equal(r.json.status, 'active');
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json, { mentor_id: m.mentor_id, is_eligible_for_assignment: false, status: 'active', reasons_ineligible: ['certification_missing'] });
});

test('PUT derived fields: 422 "X cannot be set here; use pause or reactivate"', async () => {
  const m = await newMentor();
  const values = { status: 'paused', is_eligible_for_assignment: false, paused_at: '2026-01-01T00:00:00Z', pause_reason: 'x', reactivated_at: null, mentor_id: UNKNOWN_ID, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
  for (const field of DERIVED) {
    const r = await s.api.put(url(m.mentor_id), { [field]: values[field] });
    assertError(r, 422, field, `${field} cannot be set here; use pause or reactivate`);
  }
  const g = await s.api.get(url(m.mentor_id));
  assert.deepEqual(g.json, m, 'nothing changed');
});

test('PUT with an unknown field: 422 naming it', async () => {
  const m = await newMentor();
  const r = await s.api.put(url(m.mentor_id), { full_name: 'X', favourite_colour: 'blue' });
  assertError(r, 422, 'favourite_colour', 'favourite_colour is not a permitted field');
  assert.equal((await s.api.get(url(m.mentor_id))).json.full_name, m.full_name, 'nothing changed');
});

test("PUT another mentor's email (any case): 409; its own email in another case: 200", async () => {
  const a = await newMentor();
  const b = await newMentor();
  assertError(await s.api.put(url(b.mentor_id), { email: a.email }), 409, 'email', 'A mentor with this email already exists');
  assertError(await s.api.put(url(b.mentor_id), { email: a.email.toUpperCase() }), 409, 'email');
  const own = await s.api.put(url(b.mentor_id), { email: b.email.toUpperCase() });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.email, b.email.toUpperCase());
});

test('PUT with an unknown chapter_id: 422 title chapter_id', async () => {
  const m = await newMentor();
  assertError(await s.api.put(url(m.mentor_id), { chapter_id: 'chpt_ZZZZZZZZ' }), 422, 'chapter_id');
  assertError(await s.api.put(url(m.mentor_id), { chapter_id: 'bogus' }), 422, 'chapter_id');
});

test('PUT invalid values: 422 per field (full_name 201 chars or null, bad email, bad date)', async () => {
  const m = await newMentor();
  assertError(await s.api.put(url(m.mentor_id), { full_name: 'x'.repeat(201) }), 422, 'full_name');
  assertError(await s.api.put(url(m.mentor_id), { full_name: null }), 422, 'full_name');
  assertError(await s.api.put(url(m.mentor_id), { full_name: '   ' }), 422, 'full_name');
  assertError(await s.api.put(url(m.mentor_id), { email: 'nope' }), 422, 'email');
  assertError(await s.api.put(url(m.mentor_id), { email: null }), 422, 'email');
  assertError(await s.api.put(url(m.mentor_id), { certification_expiry: '2027-02-29' }), 422, 'certification_expiry');
  assertErrors(await s.api.put(url(m.mentor_id), { full_name: '', email: 'x' }), 422, ['full_name', 'email']);
});

test('PUT on an unknown or malformed id: 404', async () => {
  assert404(await s.api.put(url(UNKNOWN_ID), { full_name: 'Nobody' }));
  assert404(await s.api.put(url('mntr_nope'), { full_name: 'Nobody' }));
});

// ================================================================ delete
test('DELETE soft-deletes: 200 {mentor_id, deleted: true, deleted_at}', async () => {
  const m = await newMentor();
  const before = Date.now();
  const r = await s.api.delete(url(m.mentor_id));
  assert.equal(r.status, 200);
  assert.equal(r.json.mentor_id, m.mentor_id);
  assert.equal(r.json.deleted, true);
  assertRecent(r.json.deleted_at, before);
  s.deleted = m;
});

test('a deleted mentor answers 404 to GET, PUT, DELETE, pause, reactivate, eligibility', async () => {
  const id = s.deleted.mentor_id;
  assert404(await s.api.get(url(id)));
  assert404(await s.api.delete(url(id)));
  assert404(await s.api.put(url(id), { full_name: 'Ghost' }));
  assert404(await s.api.post(url(id, '/pause'), PAUSE));
  assert404(await s.api.post(url(id, '/reactivate'), REACTIVATE));
  assert404(await s.api.get(url(id, '/eligibility')));
});

test('a deleted mentor is not listed', async () => {
  const r = await s.api.get(MENTORS, { query: { chapter_id: s.chapter, limit: 100 } });
  assert.ok(r.json.pagination.total <= 100, 'chapter has too many mentors for this check');
  const all = [];
  for (let page = 1; page <= Math.ceil(r.json.pagination.total / 100); page++) {
    const p = await s.api.get(MENTORS, { query: { chapter_id: s.chapter, limit: 100, page } });
    all.push(...p.json.data.map((m) => m.mentor_id));
  }
  assert.ok(!all.includes(s.deleted.mentor_id));
  assert.ok(!all.includes(s.dupMentor.mentor_id));
});

test('DELETE an unknown or malformed id: 404', async () => {
  assert404(await s.api.delete(url(UNKNOWN_ID)));
  assert404(await s.api.delete(url('xyz')));
});

// ================================================================ pause / reactivate
test('pause an active mentor: 200 with status, paused_at, pause_reason', async () => {
  const m = await newMentor();
  const before = Date.now();
  const r = await s.api.post(url(m.mentor_id, '/pause'), PAUSE);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.mentor_id, m.mentor_id);
  assert.equal(r.json.status, 'paused');
  assert.equal(r.json.pause_reason, PAUSE.reason);
  assert.equal(r.json.is_eligible_for_assignment, false);
  assertRecent(r.json.paused_at, before);
  const g = await s.api.get(url(m.mentor_id));
  assert.equal(g.json.status, 'paused');
  assert.equal(g.json.paused_at, r.json.paused_at);
  assert.equal(g.json.pause_reason, PAUSE.reason);
  assert.equal(g.json.is_eligible_for_assignment, false);
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json, { mentor_id: m.mentor_id, is_eligible_for_assignment: false, status: 'paused', reasons_ineligible: ['paused'] });
  s.paused = m;
});

test('pause a paused mentor: 409 "Mentor is already paused"', async () => {
  const r = await s.api.post(url(s.paused.mentor_id, '/pause'), { reason: 'again', initiated_by: 'x' });
  assertError(r, 409, 'status', 'Mentor is already paused');
  const g = await s.api.get(url(s.paused.mentor_id));
  assert.equal(g.json.pause_reason, PAUSE.reason, 'first reason kept');
});

test('reactivate a paused mentor: 200 active, eligible; record cleared', async () => {
  const before = Date.now();
  const r = await s.api.post(url(s.paused.mentor_id, '/reactivate'), REACTIVATE);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.mentor_id, s.paused.mentor_id);
  assert.equal(r.json.status, 'active');
  assert.equal(r.json.is_eligible_for_assignment, true);
  assertRecent(r.json.reactivated_at, before);
  const g = await s.api.get(url(s.paused.mentor_id));
  assert.equal(g.json.status, 'active');
  assert.equal(g.json.paused_at, null);
  assert.equal(g.json.pause_reason, null);
  assert.equal(g.json.reactivated_at, r.json.reactivated_at);
  assert.equal(g.json.is_eligible_for_assignment, true);
  const e = await s.api.get(url(s.paused.mentor_id, '/eligibility'));
  assert.deepEqual(e.json.reasons_ineligible, []);
});

test('reactivate an active mentor: 409 "Mentor is not paused"', async () => {
  assertError(await s.api.post(url(s.paused.mentor_id, '/reactivate'), REACTIVATE), 409, 'status', 'Mentor is not paused');
  const fresh = await newMentor();
  assertError(await s.api.post(url(fresh.mentor_id, '/reactivate'), REACTIVATE), 409, 'status', 'Mentor is not paused');
});

test('a mentor can be paused again after reactivation', async () => {
  const r = await s.api.post(url(s.paused.mentor_id, '/pause'), { reason: 'Second leave', initiated_by: 'coord' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.pause_reason, 'Second leave');
});

test('pause reason: 500 characters 200, 501 characters 422, empty 422', async () => {
  const a = await newMentor();
  const ok = await s.api.post(url(a.mentor_id, '/pause'), { reason: 'r'.repeat(500), initiated_by: 'coord' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.pause_reason, 'r'.repeat(500));
  const b = await newMentor();
  assertError(await s.api.post(url(b.mentor_id, '/pause'), { reason: 'r'.repeat(501), initiated_by: 'coord' }), 422, 'reason');
  assertError(await s.api.post(url(b.mentor_id, '/pause'), { reason: '', initiated_by: 'coord' }), 422, 'reason');
  assertError(await s.api.post(url(b.mentor_id, '/pause'), { reason: 5, initiated_by: 'coord' }), 422, 'reason');
  assert.equal((await s.api.get(url(b.mentor_id))).json.status, 'active', 'a rejected pause changes nothing');
});

test('pause reason and initiated_by count characters: 500 × "é" and 100 × "ü" are fine', async () => {
  const m = await newMentor();
  const r = await s.api.post(url(m.mentor_id, '/pause'), { reason: 'é'.repeat(500), initiated_by: 'ü'.repeat(100) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.pause_reason, 'é'.repeat(500));
});

test('reactivating a mentor without certification is allowed (not eligible afterwards)', async () => {
  const m = await newMentor({ certification_expiry: undefined });
  assert.equal((await s.api.post(url(m.mentor_id, '/pause'), PAUSE)).status, 200);
  const r = await s.api.post(url(m.mentor_id, '/reactivate'), REACTIVATE);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'active');
  assert.equal(r.json.is_eligible_for_assignment, false);
});

test('pause without initiated_by or reason: 422 "X is required"', async () => {
  const m = await newMentor();
  assertError(await s.api.post(url(m.mentor_id, '/pause'), { reason: 'Leave' }), 422, 'initiated_by', 'initiated_by is required');
  assertError(await s.api.post(url(m.mentor_id, '/pause'), { initiated_by: 'coord' }), 422, 'reason', 'reason is required');
  assertErrors(await s.api.post(url(m.mentor_id, '/pause'), {}), 422, ['reason', 'initiated_by']);
});

test('pause initiated_by: 100 characters 200, 101 characters 422', async () => {
  const a = await newMentor();
  assertError(await s.api.post(url(a.mentor_id, '/pause'), { reason: 'Leave', initiated_by: 'i'.repeat(101) }), 422, 'initiated_by');
  assert.equal((await s.api.post(url(a.mentor_id, '/pause'), { reason: 'Leave', initiated_by: 'i'.repeat(100) })).status, 200);
});

test('pause with an unknown field: 422 naming it', async () => {
  const m = await newMentor();
  assertError(await s.api.post(url(m.mentor_id, '/pause'), { ...PAUSE, until: '2027-01-01' }), 422, 'until', 'until is not a permitted field');
});

test('pause and reactivate need a JSON object body: empty body 400', async () => {
  const m = await newMentor();
  assertMalformed(await s.api.post(url(m.mentor_id, '/pause'), undefined, { body: '', contentType: 'application/json' }));
  assertMalformed(await s.api.post(url(m.mentor_id, '/pause'), ['Leave', 'coord']));
  await s.api.post(url(m.mentor_id, '/pause'), PAUSE);
  assertMalformed(await s.api.post(url(m.mentor_id, '/reactivate'), undefined, { body: '', contentType: 'application/json' }));
  assertMalformed(await s.api.post(url(m.mentor_id, '/reactivate'), 'coord'));
});

test('reactivate without initiated_by or with an unknown field: 422', async () => {
  const m = await newMentor();
  await s.api.post(url(m.mentor_id, '/pause'), PAUSE);
  assertError(await s.api.post(url(m.mentor_id, '/reactivate'), {}), 422, 'initiated_by', 'initiated_by is required');
  assertError(await s.api.post(url(m.mentor_id, '/reactivate'), { initiated_by: '' }), 422, 'initiated_by');
  assertError(await s.api.post(url(m.mentor_id, '/reactivate'), { ...REACTIVATE, note: 'x' }), 422, 'note');
  assert.equal((await s.api.get(url(m.mentor_id))).json.status, 'paused');
});

test('pause / reactivate / eligibility on an unknown id: 404', async () => {
  assert404(await s.api.post(url(UNKNOWN_ID, '/pause'), PAUSE));
  assert404(await s.api.post(url(UNKNOWN_ID, '/reactivate'), REACTIVATE));
  assert404(await s.api.get(url(UNKNOWN_ID, '/eligibility')));
  assert404(await s.api.get(url('bad-id', '/eligibility')));
});

// ================================================================ eligibility
test('eligibility of an active certified mentor: eligible, no reasons', async () => {
  const m = await newMentor();
  const r = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { mentor_id: m.mentor_id, is_eligible_for_assignment: true, status: 'active', reasons_ineligible: [] });
});

test('a mentor without certification: active, not eligible, ["certification_missing"]; paused: ["paused","certification_missing"]', async () => {
  const m = await newMentor({ certification_expiry: undefined });
  assert.equal(m.status, 'active');
  assert.equal(m.is_eligible_for_assignment, false);
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json, { mentor_id: m.mentor_id, is_eligible_for_assignment: false, status: 'active', reasons_ineligible: ['certification_missing'] });
  assert.equal((await s.api.post(url(m.mentor_id, '/pause'), PAUSE)).status, 200);
  const e2 = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e2.json.reasons_ineligible, ['paused', 'certification_missing']);
});

test('certification expiring today is still valid: active and eligible', async () => {
  const m = await newMentor({ certification_expiry: today() });
  assert.equal(m.status, 'active');
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json, { mentor_id: m.mentor_id, is_eligible_for_assignment: true, status: 'active', reasons_ineligible: [] });
});

// ================================================================ automatic pause
test('certification expired yesterday: GET shows the automatic pause', async () => {
  const yesterday = addDays(today(), -1);
  const m = await newMentor({ certification_expiry: yesterday });
  s.expired = m;
  s.expiredOn = yesterday;
  const g = await s.api.get(url(m.mentor_id));
  assert.equal(g.status, 200);
  assert.equal(g.json.status, 'paused');
  assert.equal(g.json.pause_reason, 'Certification expired');
  assert.equal(g.json.paused_at, `${today()}T00:00:00Z`);
  assert.equal(g.json.is_eligible_for_assignment, false);
  assert.equal(g.json.certification_expiry, yesterday);
});

test('certification expired yesterday: the 201 answer already shows it paused', async () => {
  const m = s.expired;
  assert.equal(m.status, 'paused');
  assert.equal(m.pause_reason, 'Certification expired');
  assert.equal(m.paused_at, `${addDays(s.expiredOn, 1)}T00:00:00Z`);
  assert.equal(m.is_eligible_for_assignment, false);
});

test('certification expired: eligibility ["paused","certification_expired"]', async () => {
  const e = await s.api.get(url(s.expired.mentor_id, '/eligibility'));
  assert.deepEqual(e.json, { mentor_id: s.expired.mentor_id, is_eligible_for_assignment: false, status: 'paused', reasons_ineligible: ['paused', 'certification_expired'] });
});

test('certification expired: the list and the status filter see it paused', async () => {
  const r = await s.api.get(MENTORS, { query: { chapter_id: s.chapter, status: 'paused', limit: 100 } });
  const item = r.json.data.find((x) => x.mentor_id === s.expired.mentor_id);
  assert.ok(item, 'listed under status=paused');
  assert.equal(item.pause_reason, 'Certification expired');
  assert.equal(item.paused_at, `${today()}T00:00:00Z`);
  assert.equal(item.is_eligible_for_assignment, false);
  const act = await s.api.get(MENTORS, { query: { chapter_id: s.chapter, status: 'active', limit: 100 } });
  assert.ok(!act.json.data.some((x) => x.mentor_id === s.expired.mentor_id), 'not listed under status=active');
});

test('an old expiry pauses at the instant it expired (2020-02-28 -> 2020-02-29T00:00:00Z)', async () => {
  const m = await newMentor({ certification_expiry: '2020-02-28' });
  const g = await s.api.get(url(m.mentor_id));
  assert.equal(g.json.status, 'paused');
  assert.equal(g.json.paused_at, '2020-02-29T00:00:00Z');
  assert.equal(g.json.pause_reason, 'Certification expired');
});

test('pausing an automatically paused mentor: 409', async () => {
  assertError(await s.api.post(url(s.expired.mentor_id, '/pause'), PAUSE), 409, 'status', 'Mentor is already paused');
});

test('reactivating with an expired certification: 422 title certification_expiry', async () => {
  const r = await s.api.post(url(s.expired.mentor_id, '/reactivate'), REACTIVATE);
  assertError(r, 422, 'certification_expiry', `Certification expired on ${s.expiredOn}; renew it before reactivating`);
  assert.equal((await s.api.get(url(s.expired.mentor_id))).json.status, 'paused');
});

test('renewing the certification by PUT keeps the mentor paused', async () => {
  const renewed = addDays(today(), 365);
  const r = await s.api.put(url(s.expired.mentor_id), { certification_expiry: renewed });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.certification_expiry, renewed);
  assert.equal(r.json.status, 'paused');
  assert.equal(r.json.pause_reason, 'Certification expired');
  assert.equal(r.json.paused_at, `${today()}T00:00:00Z`);
  assert.equal(r.json.is_eligible_for_assignment, false);
  const g = await s.api.get(url(s.expired.mentor_id));
  assert.equal(g.json.status, 'paused');
  const e = await s.api.get(url(s.expired.mentor_id, '/eligibility'));
  assert.deepEqual(e.json.reasons_ineligible, ['paused']);
});

test('after renewal, reactivate: 200 active and eligible', async () => {
  const r = await s.api.post(url(s.expired.mentor_id, '/reactivate'), REACTIVATE);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'active');
  assert.equal(r.json.is_eligible_for_assignment, true);
  const g = await s.api.get(url(s.expired.mentor_id));
  assert.equal(g.json.status, 'active');
  assert.equal(g.json.paused_at, null);
  assert.equal(g.json.pause_reason, null);
});

test('PUT an expiry in the past on an active mentor: seen paused at once', async () => {
  const m = await newMentor();
  const past = addDays(today(), -10);
  const r = await s.api.put(url(m.mentor_id), { certification_expiry: past });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'paused');
  assert.equal(r.json.pause_reason, 'Certification expired');
  assert.equal(r.json.paused_at, `${addDays(past, 1)}T00:00:00Z`);
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json.reasons_ineligible, ['paused', 'certification_expired']);
});

test('a manually paused mentor whose certification expires keeps its manual pause', async () => {
  const m = await newMentor();
  const p = await s.api.post(url(m.mentor_id, '/pause'), PAUSE);
  assert.equal(p.status, 200);
  const r = await s.api.put(url(m.mentor_id), { certification_expiry: addDays(today(), -3) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'paused');
  assert.equal(r.json.pause_reason, PAUSE.reason);
  assert.equal(r.json.paused_at, p.json.paused_at);
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json.reasons_ineligible, ['paused', 'certification_expired']);
});

test('ecfctl refresh records automatic pauses and changes nothing a client sees', async (t) => {
  if (!process.env.ECF_TEST_ECFCTL) t.skip('ECF_TEST_ECFCTL not set');
  const yesterday = addDays(today(), -1);
  const m = await newMentor({ certification_expiry: yesterday });
  const before = (await s.api.get(url(m.mentor_id))).json;
  const r = await ecfctl(['refresh']);
  assert.equal(r.code, 0, `ecfctl refresh: ${r.stderr}`);
  const after = (await s.api.get(url(m.mentor_id))).json;
  assert.equal(after.status, 'paused');
  assert.equal(after.pause_reason, 'Certification expired');
  assert.equal(after.paused_at, `${today()}T00:00:00Z`);
  assert.equal(after.paused_at, before.paused_at);
  const e = await s.api.get(url(m.mentor_id, '/eligibility'));
  assert.deepEqual(e.json.reasons_ineligible, ['paused', 'certification_expired']);
}, { timeout: 30000 });

// ================================================================ sandbox clock
// X-With-Server-Date (when the config enables sandbox_clock) runs a request as of that
// instant for every rule and every timestamp it writes, never for token validity.
function sandboxOrSkip(t) {
  const cfg = readConfig();
  if (!cfg || !/^(1|true|yes|on)$/i.test(cfg.sandbox_clock || '')) t.skip('sandbox_clock is off in ECF_TEST_CONFIG');
}
const at = (instant) => ({ headers: { 'X-With-Server-Date': instant } });

test('sandbox clock: timestamps a request writes use X-With-Server-Date', async (t) => {
  sandboxOrSkip(t);
  s.sandboxChapter = s.sandboxChapter || (await createChapter());
  const r = await s.api.post(MENTORS, validCreate({ chapter_id: s.sandboxChapter, certification_expiry: '2031-06-30' }), at('2030-01-15T10:00:00Z'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.created_at, '2030-01-15T10:00:00Z');
  assert.equal(r.json.updated_at, '2030-01-15T10:00:00Z');
  const p = await s.api.post(url(r.json.mentor_id, '/pause'), PAUSE, at('2030-02-01T08:30:00Z'));
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.paused_at, '2030-02-01T08:30:00Z');
  const a = await s.api.post(url(r.json.mentor_id, '/reactivate'), REACTIVATE, at('2030-02-03T09:00:00Z'));
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.reactivated_at, '2030-02-03T09:00:00Z');
  const d = await s.api.delete(url(r.json.mentor_id), at('2030-03-01T00:00:01Z'));
  assert.equal(d.json.deleted_at, '2030-03-01T00:00:01Z');
});

test('sandbox clock: a read dated after the expiry sees the automatic pause; a plain read does not', async (t) => {
  sandboxOrSkip(t);
  const expiry = addDays(today(), 10);
  const m = await createMentor(s.api, s.chapter2, { certification_expiry: expiry });
  const later = `${addDays(expiry, 1)}T12:00:00Z`;
  const g = await s.api.get(url(m.mentor_id), at(later));
  assert.equal(g.json.status, 'paused');
  assert.equal(g.json.pause_reason, 'Certification expired');
  assert.equal(g.json.paused_at, `${addDays(expiry, 1)}T00:00:00Z`);
  assert.equal(g.json.is_eligible_for_assignment, false);
  const e = await s.api.get(url(m.mentor_id, '/eligibility'), at(later));
  assert.deepEqual(e.json.reasons_ineligible, ['paused', 'certification_expired']);
  const onDay = await s.api.get(url(m.mentor_id, '/eligibility'), at(`${expiry}T23:59:59Z`));
  assert.deepEqual(onDay.json.reasons_ineligible, [], 'still valid on the expiry day');
  const now = await s.api.get(url(m.mentor_id));
  assert.equal(now.json.status, 'active', 'a read does not make the future pause real');
  const r = await s.api.post(url(m.mentor_id, '/reactivate'), REACTIVATE, at(later));
  assertError(r, 422, 'certification_expiry', `Certification expired on ${expiry}; renew it before reactivating`);
});

test('sandbox clock never applies to token validity', async (t) => {
  sandboxOrSkip(t);
  for (const instant of ['2100-01-01T00:00:00Z', '1990-01-01T00:00:00Z']) {
    const r = await s.api.get(MENTORS, { query: { limit: 1 }, ...at(instant) });
    assert.equal(r.status, 200, `${instant}: ${r.status} ${r.text}`);
  }
});

// ================================================================ concurrency
test('two concurrent pauses of one mentor: one 200, one 409 (5 rounds)', async () => {
  for (let round = 0; round < 5; round++) {
    const m = await newMentor();
    const rs = await Promise.all([
      s.api.post(url(m.mentor_id, '/pause'), { reason: 'A', initiated_by: 'a' }),
      s.api.post(url(m.mentor_id, '/pause'), { reason: 'B', initiated_by: 'b' }),
    ]);
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409], `round ${round}`);
    const winner = rs.find((r) => r.status === 200).json.pause_reason;
    assert.equal((await s.api.get(url(m.mentor_id))).json.pause_reason, winner);
  }
});

test('six concurrent pauses of one mentor: exactly one 200', async () => {
  const m = await newMentor();
  const rs = await Promise.all(
    Array.from({ length: 6 }, (_, i) => s.api.post(url(m.mentor_id, '/pause'), { reason: `R${i}`, initiated_by: 'c' })),
  );
  const codes = rs.map((r) => r.status);
  assert.equal(codes.filter((c) => c === 200).length, 1, codes.join(','));
  assert.equal(codes.filter((c) => c === 409).length, 5, codes.join(','));
});

test('concurrent registrations with one email: exactly one 201, the rest 409', async () => {
  const email = uniqueEmail('race');
  const rs = await Promise.all(Array.from({ length: 5 }, () => s.api.post(MENTORS, validCreate({ email }))));
  const codes = rs.map((r) => r.status);
  assert.equal(codes.filter((c) => c === 201).length, 1, codes.join(','));
  assert.equal(codes.filter((c) => c === 409).length, 4, codes.join(','));
});

await run();
closeAgent();
