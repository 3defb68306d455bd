// Admin API v1: tokens, chapters, lead providers.

import { test, run } from './lib/tap.mjs';
import { Client, closeAgent } from './lib/client.mjs';
import { decode } from './lib/jwt.mjs';
import {
  assert,
  stack,
  uniq,
  createToken,
  assertRecent,
  assert401,
  assert403,
  assert404,
  assertMalformed,
  assertErrors,
  assertError,
  MENTORS,
  ADMIN,
} from './lib/fixtures.mjs';

const s = {};
const TOKENS = `${ADMIN}/tokens`;
const CHAPTERS = `${ADMIN}/chapters`;
const LEAD_PROVIDERS = `${ADMIN}/lead-providers`;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

test('setup: the admin token from ECF_TEST_ADMIN_TOKEN_FILE works', async () => {
  const r = await stack().admin.get(CHAPTERS);
  assert.equal(r.status, 200, r.text);
}, { bail: true });

// ================================================================ tokens
test('POST /tokens for a lead provider with mentor scopes: 201 {jti, token, owner, scopes, expires_at}', async () => {
  const lp = stack().demoLeadProviderId;
  const before = Date.now();
  const r = await stack().admin.post(TOKENS, { lead_provider_id: lp, scopes: ['mentors:read', 'mentors:write'], description: `admin test ${uniq()}` });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['expires_at', 'jti', 'owner', 'scopes', 'token']);
  assert.equal(r.json.owner, lp);
  assert.deepEqual([...r.json.scopes].sort(), ['mentors:read', 'mentors:write']);
  const claims = decode(r.json.token).payload;
  assert.equal(claims.jti, r.json.jti);
  assert.equal(claims.sub, lp);
  assert.deepEqual(claims.scope.split(' ').sort(), ['mentors:read', 'mentors:write']);
  assert.ok(Date.parse(r.json.expires_at) > before, 'expires in the future');
  assert.equal(Date.parse(r.json.expires_at) / 1000, claims.exp, 'expires_at is the exp claim');
  s.lpToken = r.json;
});

test('the new token works on the mentor API', async () => {
  const r = await new Client({ token: s.lpToken.token }).get(MENTORS);
  assert.equal(r.status, 200);
});

test('default scopes: ["lead_provider"] for a provider, ["admin"] for an admin', async () => {
  const p = await createToken({});
  assert.deepEqual(p.scopes, ['lead_provider']);
  const name = `itest-${uniq()}`;
  const a = await stack().admin.post(TOKENS, { admin: name });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual(a.json.scopes, ['admin']);
  assert.equal(a.json.owner, `admin:${name}`);
  assert.equal(decode(a.json.token).payload.sub, `admin:${name}`);
  const works = await new Client({ token: a.json.token }).get(CHAPTERS);
  assert.equal(works.status, 200, 'a new admin token works on the admin API');
});

test('expires_in sets expires_at (1h, 30m, 2d)', async () => {
  for (const [expires_in, seconds] of [['1h', 3600], ['30m', 1800], ['2d', 172800], ['90s', 90]]) {
    const before = Date.now();
    const t = await createToken({ scopes: ['mentors:read'], expiresIn: expires_in });
    const delta = Date.parse(t.expires_at) - before;
    assert.ok(Math.abs(delta - seconds * 1000) < 120000, `${expires_in}: expires_at ${t.expires_at}`);
  }
});

test('GET /tokens lists issued tokens without the token itself', async () => {
  const r = await stack().admin.get(TOKENS);
  assert.equal(r.status, 200);
  const mine = r.json.data.find((x) => x.jti === s.lpToken.jti);
  assert.ok(mine, 'the new token is listed');
  assert.equal(mine.owner, s.lpToken.owner);
  assert.deepEqual([...mine.scopes].sort(), ['mentors:read', 'mentors:write']);
  assert.match(mine.description, /^admin test /);
  assert.equal(mine.revoked_at, null);
  assert.equal(mine.expires_at, s.lpToken.expires_at);
  assertRecent(mine.created_at, Date.now() - 600000);
  assert.ok(!r.text.includes(s.lpToken.token), 'no token in the list');
  assert.ok(!r.text.includes(s.lpToken.token.split('.')[2]), 'no signature in the list');
});

test('DELETE /tokens/{jti}: 204, listed as revoked, refused; again: 404', async () => {
  const t = await createToken({ scopes: ['mentors:read'], description: 'to revoke' });
  const before = Date.now();
  const d = await stack().admin.delete(`${TOKENS}/${encodeURIComponent(t.jti)}`);
  assert.equal(d.status, 204);
  assert.equal(d.text, '');
  const l = await stack().admin.get(TOKENS);
  const row = l.json.data.find((x) => x.jti === t.jti);
  assert.ok(row, 'still listed');
  assertRecent(row.revoked_at, before);
  assert404(await stack().admin.delete(`${TOKENS}/${encodeURIComponent(t.jti)}`));
});

test('DELETE /tokens with an unknown jti: 404', async () => {
  assert404(await stack().admin.delete(`${TOKENS}/no-such-jti-${uniq()}`));
});

test('POST /tokens validation: unknown scope, both or neither owner, bad expires_in, unknown field: 422', async () => {
  const lp = stack().demoLeadProviderId;
  assertError(await stack().admin.post(TOKENS, { lead_provider_id: lp, scopes: ['superuser'] }), 422, 'scopes');
  assertError(await stack().admin.post(TOKENS, { lead_provider_id: lp, scopes: 'mentors:read' }), 422, 'scopes');
  assertError(await stack().admin.post(TOKENS, { lead_provider_id: lp, expires_in: 'forever' }), 422, 'expires_in');
  assertError(await stack().admin.post(TOKENS, { lead_provider_id: lp, expires_in: '0d' }), 422, 'expires_in');
  assertError(await stack().admin.post(TOKENS, { lead_provider_id: lp, colour: 'red' }), 422, 'colour');
  const neither = await stack().admin.post(TOKENS, { scopes: ['admin'] });
  assertErrors(neither, 422);
  const both = await stack().admin.post(TOKENS, { lead_provider_id: lp, admin: 'x' });
  assertErrors(both, 422);
  assertError(await stack().admin.post(TOKENS, { lead_provider_id: 'not-a-uuid' }), 422, 'lead_provider_id');
  assertError(await stack().admin.post(TOKENS, { admin: '' }), 422, 'admin');
});

test('POST /tokens for a lead provider that does not exist: 404', async () => {
  assert404(await stack().admin.post(TOKENS, { lead_provider_id: '00000000-0000-4000-8000-000000000000' }));
});

test('POST /tokens malformed JSON: 400', async () => {
  assertMalformed(await stack().admin.post(TOKENS, undefined, { body: '{"admin":', contentType: 'application/json' }));
  assertMalformed(await stack().admin.post(TOKENS, ['admin']));
});

// ================================================================ lead providers
test('POST /lead-providers: 201 {id, name, created_at}; a token can be issued for it', async () => {
  const name = `Provider ${uniq()}`;
  const before = Date.now();
  const r = await stack().admin.post(LEAD_PROVIDERS, { name });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.id, UUID_RE);
  assert.equal(r.json.name, name);
  assertRecent(r.json.created_at, before);
  const t = await createToken({ leadProviderId: r.json.id, scopes: ['mentors:read'] });
  assert.equal(t.owner, r.json.id);
  assert.equal((await new Client({ token: t.token }).get(MENTORS)).status, 200);
});

test('POST /lead-providers validation: missing, empty or non-string name, unknown field: 422', async () => {
  assertError(await stack().admin.post(LEAD_PROVIDERS, {}), 422, 'name');
  assertError(await stack().admin.post(LEAD_PROVIDERS, { name: '' }), 422, 'name');
  assertError(await stack().admin.post(LEAD_PROVIDERS, { name: 7 }), 422, 'name');
  assertError(await stack().admin.post(LEAD_PROVIDERS, { name: `P ${uniq()}`, kind: 'x' }), 422, 'kind');
  assertMalformed(await stack().admin.post(LEAD_PROVIDERS, 'name'));
});

// ================================================================ chapters
test('POST /chapters: 201 {id: chpt_ + 8 base32, name, created_at}', async () => {
  const name = `Chapter ${uniq()}`;
  const before = Date.now();
  const r = await stack().admin.post(CHAPTERS, { name });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.id, /^chpt_[0-9A-HJKMNP-TV-Z]{8}$/);
  assert.equal(r.json.name, name);
  assertRecent(r.json.created_at, before);
  s.chapter = r.json;
});

test('GET /chapters lists the new chapter', async () => {
  const r = await stack().admin.get(CHAPTERS);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.data.find((c) => c.id === s.chapter.id), s.chapter);
});

test('a new chapter can be used for a mentor at once', async () => {
  const r = await new Client({ token: s.lpToken.token }).post(MENTORS, { full_name: 'Chapter User', email: `chapter.${uniq()}@example.org`, chapter_id: s.chapter.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.chapter_id, s.chapter.id);
});

test('POST /chapters validation: missing, blank or non-string name, unknown field: 422', async () => {
  assertError(await stack().admin.post(CHAPTERS, {}), 422, 'name', 'name is required');
  assertError(await stack().admin.post(CHAPTERS, { name: '' }), 422, 'name');
  assertError(await stack().admin.post(CHAPTERS, { name: null }), 422, 'name');
  assertError(await stack().admin.post(CHAPTERS, { name: ['x'] }), 422, 'name');
  assertError(await stack().admin.post(CHAPTERS, { name: 'x', id: 'chpt_AAAA' }), 422, 'id');
  assertMalformed(await stack().admin.post(CHAPTERS, undefined, { body: '{"name":"x"}{', contentType: 'application/json' }));
});

// ================================================================ access
test('the admin API without a token: 401; with a mentors token: 403', async () => {
  assert401(await stack().anon.get(TOKENS));
  assert401(await stack().anon.post(CHAPTERS, { name: 'x' }));
  const mentorsOnly = new Client({ token: s.lpToken.token });
  assert403(await mentorsOnly.get(TOKENS));
  assert403(await mentorsOnly.post(CHAPTERS, { name: 'x' }));
  assert403(await mentorsOnly.post(LEAD_PROVIDERS, { name: 'x' }));
  assert403(await mentorsOnly.delete(`${TOKENS}/${encodeURIComponent(s.lpToken.jti)}`));
  assert403(await mentorsOnly.post(TOKENS, { admin: 'escalate' }));
});

await run();
closeAgent();
