// Shared set-up for the integration tests: tokens, clients, test data, assertions.
// Nothing here depends on demo data except the demo token (ECF_TEST_DEMO_TOKEN_FILE):
// every test creates its own chapters, mentors and tokens with unique names.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { Client } from './client.mjs';
import { decode } from './jwt.mjs';

export { assert };

export const DENIED = { error: 'HTTP Token: Access denied' };
export const MALFORMED_DETAIL = 'Correct json data structure required. See API docs for reference.';
export const FORBIDDEN = {
  title: 'Forbidden',
  detail: 'The token does not have the scope this request needs',
};
export const NOT_FOUND = {
  title: 'Resource not found',
  detail: 'Nothing could be found for the provided details',
};
export const JSON_CT = 'application/json; charset=utf-8';
export const MENTORS = '/api/v1/mentors';
export const ADMIN = '/api/admin/v1';

function readToken(envName) {
  const f = process.env[envName];
  if (!f) throw new Error(`${envName} is not set`);
  return readFileSync(f, 'utf8').trim();
}

let cache = null;
/** {adminToken, demoToken, admin: Client, demo: Client, anon: Client, demoLeadProviderId} */
export function stack() {
  if (!cache) {
    const adminToken = readToken('ECF_TEST_ADMIN_TOKEN_FILE');
    const demoToken = readToken('ECF_TEST_DEMO_TOKEN_FILE');
    cache = {
      adminToken,
      demoToken,
      admin: new Client({ token: adminToken }),
      demo: new Client({ token: demoToken }),
      anon: new Client({ token: null }),
      demoLeadProviderId: decode(demoToken).payload.sub,
    };
  }
  return cache;
}

/** A short unique suffix for names and emails (unique across runs). */
export function uniq() {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export function uniqueEmail(tag = 'mentor') {
  return `${tag}.${uniq()}@example.org`;
}

/** Issues a token through the admin API; returns the 201 body ({jti, token, ...}). */
export async function createToken({ scopes, leadProviderId, admin, description, expiresIn } = {}) {
  const body = {};
  if (admin) body.admin = admin;
  else body.lead_provider_id = leadProviderId || stack().demoLeadProviderId;
  if (scopes) body.scopes = scopes;
  if (description) body.description = description;
  if (expiresIn) body.expires_in = expiresIn;
  const r = await stack().admin.post(`${ADMIN}/tokens`, body);
  assert.equal(r.status, 201, `creating a token: ${r.status} ${r.text}`);
  return r.json;
}

/** A client with a fresh lead-provider token holding `scopes`. */
export async function clientWithScopes(scopes, opts = {}) {
  const t = await createToken({ scopes, ...opts });
  const c = new Client({ token: t.token });
  c.jti = t.jti;
  return c;
}

export async function createChapter(name = `Chapter ${uniq()}`) {
  const r = await stack().admin.post(`${ADMIN}/chapters`, { name });
  assert.equal(r.status, 201, `creating a chapter: ${r.status} ${r.text}`);
  return r.json.id;
}

/** Registers a mentor; returns the 201 body. */
export async function createMentor(api, chapterId, extra = {}) {
  const body = {
    full_name: `Mentor ${uniq()}`,
    email: uniqueEmail(),
    chapter_id: chapterId,
    certification_expiry: addDays(today(), 365),
    ...extra,
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  const r = await api.post(MENTORS, body);
  assert.equal(r.status, 201, `creating a mentor: ${r.status} ${r.text}`);
  return r.json;
}

// ---------------------------------------------------------------- dates (UTC)
export function today() {
  return new Date().toISOString().slice(0, 10);
}

export function addDays(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function isoSeconds(ms = Date.now()) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Asserts a timestamp lies within [from - slack, to + slack] seconds of real time. */
export function assertRecent(ts, fromMs, toMs = Date.now(), slackS = 120) {
  const t = Date.parse(ts);
  assert.ok(!Number.isNaN(t), `not a timestamp: ${ts}`);
  assert.ok(
    t >= fromMs - slackS * 1000 && t <= toMs + slackS * 1000,
    `timestamp ${ts} is not close to now (${isoSeconds(fromMs)}..${isoSeconds(toMs)})`,
  );
}

// ---------------------------------------------------------------- assertions
export function assert401(r) {
  assert.equal(r.status, 401, `expected 401, got ${r.status}: ${r.text.slice(0, 300)}`);
  assert.deepEqual(r.json, DENIED);
}

export function assert403(r) {
  assert.equal(r.status, 403, `expected 403, got ${r.status}: ${r.text.slice(0, 300)}`);
  assert.deepEqual(r.json, { errors: [FORBIDDEN] });
}

export function assert404(r) {
  assert.equal(r.status, 404, `expected 404, got ${r.status}: ${r.text.slice(0, 300)}`);
  assert.deepEqual(r.json, { errors: [NOT_FOUND] });
}

export function assertMalformed(r) {
  assert.equal(r.status, 400, `expected 400, got ${r.status}: ${r.text.slice(0, 300)}`);
  assert.deepEqual(r.json, { errors: [{ title: 'Bad request', detail: MALFORMED_DETAIL }] });
}

/** 400 for a query parameter: title "Bad request", detail naming the parameter. */
export function assertBadQuery(r, param) {
  assert.equal(r.status, 400, `expected 400, got ${r.status}: ${r.text.slice(0, 300)}`);
  assert.equal(r.json.errors.length, 1, r.text);
  assert.equal(r.json.errors[0].title, 'Bad request');
  assert.match(r.json.errors[0].detail, new RegExp(`\\b${param}\\b`), `detail should name ${param}`);
}

/** The error entries with status `status`; checks the titles (any order) when given. */
export function assertErrors(r, status, titles) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  assert.ok(r.json && Array.isArray(r.json.errors), `no error envelope: ${r.text}`);
  if (titles) {
    assert.deepEqual(
      r.json.errors.map((e) => e.title).sort(),
      [...titles].sort(),
      `error titles: ${r.text}`,
    );
  }
  return r.json.errors;
}

/** A single error with this title (and detail, when given). */
export function assertError(r, status, title, detail) {
  const errors = assertErrors(r, status, [title]);
  if (detail instanceof RegExp) assert.match(errors[0].detail, detail);
  else if (detail !== undefined) assert.equal(errors[0].detail, detail);
  return errors[0];
}

// ---------------------------------------------------------------- misc
export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs ecfctl (ECF_TEST_ECFCTL) with the stack's config; resolves {code, stdout, stderr}. */
export function ecfctl(args) {
  const bin = process.env.ECF_TEST_ECFCTL;
  if (!bin) throw new Error('ECF_TEST_ECFCTL is not set');
  const full = process.env.ECF_TEST_CONFIG ? ['--config', process.env.ECF_TEST_CONFIG, ...args] : args;
  return new Promise((resolve) => {
    execFile(bin, full, { timeout: 20000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
