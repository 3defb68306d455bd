// Authentication and authorisation attacks against the real stack.
//
// Forged tokens are derived from a token the server issued through the admin API (its
// jti is registered), re-signed with the secret named by jwt_key_file in ECF_TEST_CONFIG.
// A control point first proves that re-signing the untouched claims is accepted, so each
// 401 below is caused by the one thing the test changed.
//
// Rate limit: exercised only when ECF_TEST_CONFIG has `rate_limit_enabled` on and a
// `rate_limit_requests` small enough to reach quickly (<= 5000). The test takes a fresh
// token (its own counter), sends requests until the first 429 and checks that it comes
// after `limit` requests and no later than 2 × limit + 1 (a fixed window may roll over
// once during the run), that it carries `Retry-After` (integer seconds, at most the
// window) and the error envelope, and that another token is not affected. With the
// default config (limit 1000 per 300 s, or switched off) it is skipped. To run it alone
// against a dedicated low-limit stack:
//   ECF_TEST_GREP='rate limit' tests/integration/run-suite.sh

import { test, run } from './lib/tap.mjs';
import { Client, closeAgent } from './lib/client.mjs';
import { forgingKit, decode, tamper, corruptSignature, sign, now, randomJti, readConfig } from './lib/jwt.mjs';
import {
  assert,
  stack,
  createToken,
  clientWithScopes,
  createChapter,
  createMentor,
  assert401,
  assert403,
  sleep,
  ecfctl,
  MENTORS,
  ADMIN,
} from './lib/fixtures.mjs';

const s = {};
const UNKNOWN_ID = 'mntr_0000000000';

/** GET /api/v1/mentors with this exact Authorization value (null = none). */
function getWithAuth(authorization, path = MENTORS) {
  return stack().anon.get(path, { headers: authorization === null ? {} : { Authorization: authorization } });
}
const bearer = (t) => getWithAuth(`Bearer ${t}`);

// ================================================================ setup
test(
  'setup: tokens (mentors:read, lead_provider, mentors:write) and the forging kit',
  async () => {
    s.read = await createToken({ scopes: ['mentors:read'], description: 'auth tests: read' });
    s.lpOnly = await createToken({ scopes: ['lead_provider'], description: 'auth tests: lead_provider' });
    s.writeOnly = await createToken({ scopes: ['mentors:write'], description: 'auth tests: write' });
    s.rw = await clientWithScopes(['mentors:read', 'mentors:write']);
    s.kit = forgingKit(s.read.token);
    s.ref = decode(s.read.token);
  },
  { bail: true },
);

function kitOrSkip(t) {
  if (!s.kit) t.skip('ECF_TEST_CONFIG with an HMAC jwt_key_file is needed to forge tokens');
  return s.kit;
}

/** The reference payload with changes, re-signed with the server's secret. */
function forged(changes = {}, opts = {}) {
  const p = { ...s.ref.payload, ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete p[k];
  return s.kit.forge(p, { header: { ...s.ref.header, ...(opts.header || {}) }, key: opts.key });
}

// ================================================================ no token
test('GET /healthz without a token: 200 {"status":"ok","database":"ok"}', async () => {
  const r = await stack().anon.get('/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok', database: 'ok' });
});

test('every protected route without Authorization: 401 with the exact body', async () => {
  const a = stack().anon;
  const routes = [
    () => a.get(MENTORS),
    () => a.post(MENTORS, { full_name: 'x', email: 'x@example.org', chapter_id: 'chpt_0' }),
    () => a.get(`${MENTORS}/${UNKNOWN_ID}`),
    () => a.put(`${MENTORS}/${UNKNOWN_ID}`, { full_name: 'x' }),
    () => a.delete(`${MENTORS}/${UNKNOWN_ID}`),
    () => a.post(`${MENTORS}/${UNKNOWN_ID}/pause`, { reason: 'x', initiated_by: 'y' }),
    () => a.post(`${MENTORS}/${UNKNOWN_ID}/reactivate`, { initiated_by: 'y' }),
    () => a.get(`${MENTORS}/${UNKNOWN_ID}/eligibility`),
    () => a.get(`${ADMIN}/tokens`),
    () => a.post(`${ADMIN}/tokens`, { admin: 'intruder' }),
    () => a.delete(`${ADMIN}/tokens/whatever`),
    () => a.get(`${ADMIN}/chapters`),
    () => a.post(`${ADMIN}/chapters`, { name: 'x' }),
    () => a.post(`${ADMIN}/lead-providers`, { name: 'x' }),
  ];
  for (const call of routes) assert401(await call());
});

test('malformed Authorization values: 401', async () => {
  const values = [
    'Bearer',
    'Bearer ',
    'Bearer garbage',
    'Bearer a.b.c',
    'Bearer ...',
    'Bearer eyJhbGciOiJIUzI1NiJ9',
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    `Token ${s.read.token}`,
    s.read.token,
    `Bearer ${s.read.token}.extra`,
    `Bearer ${s.read.token.split('.').slice(0, 2).join('.')}`,
  ];
  for (const v of values) assert401(await getWithAuth(v));
});

test('a token in the query string is not accepted: 401', async () => {
  assert401(await stack().anon.get(MENTORS, { query: { access_token: s.read.token } }));
});

// ================================================================ forged tokens
test('control: the issued token works, and its claims re-signed with the secret work', async (t) => {
  assert.equal((await bearer(s.read.token)).status, 200);
  const kit = kitOrSkip(t);
  assert.ok(kit.verified, 'the secret from jwt_key_file does not reproduce the issued signature');
  assert.equal(s.ref.payload.iss, kit.issuer, 'iss is jwt_issuer');
  assert.equal(s.ref.payload.aud, kit.audience, 'aud is jwt_audience');
  assert.equal(s.ref.header.alg, kit.algorithm, 'alg is jwt_algorithm');
  // Our re-serialisation of the claims differs in bytes from the server's; still valid.
  const r = await bearer(forged());
  assert.equal(r.status, 200, `re-signed claims refused: ${r.text}`);
});

test('alg "none" (any spelling) with the same claims: 401', async (t) => {
  kitOrSkip(t);
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const tok = sign({ ...s.ref.header, alg }, s.ref.payload, '');
    assert401(await bearer(tok));
    // ... and with the original signature left in place.
    assert401(await bearer(tok + s.ref.signature));
  }
});

test('tampered payload (scope widened) with the original signature: 401', async () => {
  const tok = tamper(s.read.token, (p) => ({ ...p, scope: 'mentors:read mentors:write admin' }));
  assert401(await bearer(tok));
  assert401(await bearer(tamper(s.read.token, (p) => ({ ...p, exp: p.exp + 86400 }))));
});

test('corrupted signature: 401', async () => {
  assert401(await bearer(corruptSignature(s.read.token)));
});

test('signed with a wrong key: 401', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({}, { key: 'not-the-secret' })));
  assert401(await bearer(forged({}, { key: Buffer.concat([s.kit.secret, Buffer.from('x')]) })));
});

test('HS512 / HS384 signed with the right secret: 401 (algorithm pinned)', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({}, { header: { alg: 'HS512' } })));
  assert401(await bearer(forged({}, { header: { alg: 'HS384' } })));
});

test('expired an hour ago, and 2 minutes ago (past the 60 s leeway): 401', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({ iat: now() - 7200, exp: now() - 3600 })));
  assert401(await bearer(forged({ exp: now() - 120 })));
});

test('expired 10 s ago is inside the 60 s leeway: 200', async (t) => {
  kitOrSkip(t);
  const r = await bearer(forged({ exp: now() - 10 }));
  assert.equal(r.status, 200, r.text);
});

test('not yet valid (iat or nbf an hour ahead): 401', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({ iat: now() + 3600 })));
  assert401(await bearer(forged({ nbf: now() + 3600 })));
});

test('nbf in the past is fine: 200', async (t) => {
  kitOrSkip(t);
  assert.equal((await bearer(forged({ nbf: now() - 30 }))).status, 200);
});

test('wrong audience, wrong issuer: 401', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({ aud: `${s.ref.payload.aud}-other` })));
  assert401(await bearer(forged({ aud: 'https://evil.example' })));
  assert401(await bearer(forged({ iss: `${s.ref.payload.iss}-other` })));
  assert401(await bearer(forged({ iss: '' })));
});

test('each required claim missing (iss, aud, sub, scope, iat, exp, jti): 401', async (t) => {
  kitOrSkip(t);
  for (const claim of ['iss', 'aud', 'sub', 'scope', 'iat', 'exp', 'jti']) {
    const r = await bearer(forged({ [claim]: undefined }));
    assert.equal(r.status, 401, `without ${claim}: ${r.status} ${r.text}`);
    assert401(r);
  }
});

test('claims of the wrong type (exp as string, scope as array, empty scope): 401', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({ exp: String(now() + 3600) })));
  assert401(await bearer(forged({ scope: ['mentors:read'] })));
  assert401(await bearer(forged({ scope: '' })));
  assert401(await bearer(forged({ scope: 'mentors:read superuser' })));
});

test('a correctly signed token whose jti was never issued: 401', async (t) => {
  kitOrSkip(t);
  assert401(await bearer(forged({ jti: randomJti() })));
});

test('a 9 KiB token (correctly signed, over the 8 KiB limit): 401', async (t) => {
  kitOrSkip(t);
  const tok = forged({ pad: 'x'.repeat(7000) });
  assert.ok(tok.length > 9 * 1024 - 200 && tok.length > 8192, `token is ${tok.length} bytes`);
  assert401(await bearer(tok));
});

test('a 16 KiB Authorization header reaches the app: 401 JSON, not nginx 400', async () => {
  const value = `Bearer ${'A'.repeat(16 * 1024 - 7)}`;
  assert.equal(value.length, 16 * 1024);
  assert401(await getWithAuth(value));
  const dotted = `Bearer ${'a'.repeat(5000)}.${'b'.repeat(5000)}.${'c'.repeat(16 * 1024 - 10009)}`;
  assert.equal(dotted.length, 16 * 1024);
  assert401(await getWithAuth(dotted));
});

// ================================================================ revocation
test('a token revoked through the admin API is refused within 5 s (every worker)', async () => {
  const tok = await createToken({ scopes: ['mentors:read'], description: 'auth tests: revoke' });
  const c = new Client({ token: tok.token });
  assert.equal((await c.get(MENTORS)).status, 200);
  const d = await stack().admin.delete(`${ADMIN}/tokens/${encodeURIComponent(tok.jti)}`);
  assert.equal(d.status, 204, d.text);
  const t0 = Date.now();
  let refusedAfter = null;
  while (Date.now() - t0 < 6000) {
    const r = await c.get(MENTORS);
    if (r.status === 401) {
      assert401(r);
      refusedAfter = Date.now() - t0;
      break;
    }
    assert.equal(r.status, 200);
    await sleep(100);
  }
  assert.ok(refusedAfter !== null, 'still accepted 6 s after revocation');
  assert.ok(refusedAfter <= 5000, `refused only after ${refusedAfter} ms`);
  // Wait out the bound, then every request (spread over the workers) must be refused.
  await sleep(Math.max(0, 5000 - (Date.now() - t0)));
  for (let i = 0; i < 24; i++) assert401(await c.get(MENTORS));
}, { timeout: 30000 });

test('a token revoked with ecfctl is refused within 5 s', async (t) => {
  if (!process.env.ECF_TEST_ECFCTL) t.skip('ECF_TEST_ECFCTL not set');
  const made = await ecfctl(['token', 'create', '--lead-provider', stack().demoLeadProviderId, '--scope', 'mentors:read', '--description', 'auth tests: ecfctl']);
  assert.equal(made.code, 0, `token create: ${made.stderr}`);
  const jwt = made.stdout.split(/\s+/).find((w) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(w));
  assert.ok(jwt, `no JWT in ecfctl output: ${made.stdout}`);
  const jti = decode(jwt).payload.jti;
  const c = new Client({ token: jwt });
  assert.equal((await c.get(MENTORS)).status, 200);
  const list = await ecfctl(['token', 'list']);
  assert.equal(list.code, 0, list.stderr);
  assert.ok(list.stdout.includes(jti), 'token list shows the jti');
  assert.ok(!list.stdout.includes(jwt), 'token list never shows the token');
  const rev = await ecfctl(['token', 'revoke', jti]);
  assert.equal(rev.code, 0, `token revoke: ${rev.stderr}`);
  const t0 = Date.now();
  let status = 200;
  while (Date.now() - t0 < 5000 && status !== 401) {
    status = (await c.get(MENTORS)).status;
    if (status !== 401) await sleep(100);
  }
  assert.equal(status, 401, 'still accepted 5 s after ecfctl token revoke');
}, { timeout: 30000 });

// ================================================================ scopes
test('mentors:read token on every write route: 403', async () => {
  const c = new Client({ token: s.read.token });
  const chapter = await createChapter();
  const m = await createMentor(s.rw, chapter);
  assert403(await c.post(MENTORS, { full_name: 'x', email: 'x@example.org', chapter_id: chapter }));
  assert403(await c.put(`${MENTORS}/${m.mentor_id}`, { full_name: 'x' }));
  assert403(await c.delete(`${MENTORS}/${m.mentor_id}`));
  assert403(await c.post(`${MENTORS}/${m.mentor_id}/pause`, { reason: 'x', initiated_by: 'y' }));
  assert403(await c.post(`${MENTORS}/${m.mentor_id}/reactivate`, { initiated_by: 'y' }));
  // Scope is checked before the lookup: an unknown id is 403 too, not 404.
  assert403(await c.put(`${MENTORS}/${UNKNOWN_ID}`, { full_name: 'x' }));
  const g = await s.rw.get(`${MENTORS}/${m.mentor_id}`);
  assert.deepEqual(g.json, m, 'nothing changed');
  // ... while reads work.
  assert.equal((await c.get(`${MENTORS}/${m.mentor_id}`)).status, 200);
  assert.equal((await c.get(`${MENTORS}/${m.mentor_id}/eligibility`)).status, 200);
});

test('mentors:write token without mentors:read on GET routes: 403', async () => {
  const c = new Client({ token: s.writeOnly.token });
  assert403(await c.get(MENTORS));
  assert403(await c.get(`${MENTORS}/${UNKNOWN_ID}`));
  assert403(await c.get(`${MENTORS}/${UNKNOWN_ID}/eligibility`));
});

test('lead_provider-only token on the mentor API: 403', async () => {
  const c = new Client({ token: s.lpOnly.token });
  assert403(await c.get(MENTORS));
  assert403(await c.get(`${MENTORS}/${UNKNOWN_ID}`));
  assert403(await c.post(MENTORS, { full_name: 'x', email: 'x@example.org', chapter_id: 'chpt_0' }));
});

test('the demo token on the admin API: 403', async () => {
  const d = stack().demo;
  assert403(await d.get(`${ADMIN}/tokens`));
  assert403(await d.post(`${ADMIN}/tokens`, { admin: 'me', scopes: ['admin'] }));
  assert403(await d.delete(`${ADMIN}/tokens/${encodeURIComponent(s.read.jti)}`));
  assert403(await d.get(`${ADMIN}/chapters`));
  assert403(await d.post(`${ADMIN}/chapters`, { name: 'x' }));
  assert403(await d.post(`${ADMIN}/lead-providers`, { name: 'x' }));
  assert.equal((await new Client({ token: s.read.token }).get(MENTORS)).status, 200, 'the token was not revoked');
});

test('an admin token on the mentor API: 403', async () => {
  const a = stack().admin;
  assert403(await a.get(MENTORS));
  assert403(await a.post(MENTORS, { full_name: 'x', email: 'x@example.org', chapter_id: 'chpt_0' }));
});

// ================================================================ rate limit
test('rate limit: 429 with Retry-After after the configured number of requests', async (t) => {
  const cfg = readConfig();
  if (!cfg) t.skip('ECF_TEST_CONFIG not set');
  const enabled = /^(1|true|yes|on)$/i.test(cfg.rate_limit_enabled || '');
  const limit = Number(cfg.rate_limit_requests || 1000);
  const windowS = Number(cfg.rate_limit_window_seconds || 300);
  if (!enabled) t.skip('rate_limit_enabled is off in ECF_TEST_CONFIG');
  if (!(limit > 0 && limit <= 5000)) t.skip(`rate_limit_requests ${limit} is too high to exercise here`);
  const c = await clientWithScopes(['mentors:read']);
  let first429 = null;
  let last;
  for (let i = 0; i < 2 * limit + 1; i++) {
    last = await c.get(`${MENTORS}/${UNKNOWN_ID}/eligibility`);
    if (last.status === 429) {
      first429 = i;
      break;
    }
    assert.equal(last.status, 404, `request ${i}: ${last.status}`);
  }
  assert.ok(first429 !== null, `no 429 after ${2 * limit + 1} requests (limit ${limit})`);
  assert.ok(first429 >= limit, `429 after only ${first429} requests (limit ${limit})`);
  const retry = Number(last.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry >= 0 && retry <= windowS, `Retry-After ${last.headers['retry-after']}`);
  assert.equal(last.json.errors[0].title, 'Too many requests');
  const other = await clientWithScopes(['mentors:read']);
  assert.equal((await other.get(MENTORS)).status, 200, 'another token is not limited');
}, { timeout: 120000 });

await run();
closeAgent();
