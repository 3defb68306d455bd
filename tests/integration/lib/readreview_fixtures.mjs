// Fixtures for the rule-by-rule review of the Lead Provider API v3 read side
// (read_rules.test.mjs, read_rules_loader.test.mjs). Data is built through the admin data API
// (whose teacher_lead_providers rebuild is the production one), every write on the sandbox
// clock so timestamps are exact; facts no admin route writes yet (withdrawal, mentor funding
// end) go straight into the database through lib/db.mjs.

import { randomInt } from 'node:crypto';
import { sql, bin, forgetDocuments } from './db.mjs';
import { Client } from './client.mjs';
import { assert, stack, uniq, createToken, ADMIN, JSON_CT } from './fixtures.mjs';

export const P = '/api/v3/participants';
export const T = '/api/v3/participants/transfers';
export const U = '/api/v3/unfunded-mentors';

/** Default sandbox instant of admin writes. */
export const SETUP = '2025-06-01T09:00:00Z';

export const at = (iso) => ({ 'X-With-Server-Date': iso });
export const ids = (data) => data.map((d) => d.id);
export { bin };
const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

function ok(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json;
}

export const adminPost = async (p, body, iso = SETUP) =>
  ok(await stack().admin.post(`${ADMIN}${p}`, body, { headers: at(iso) }), 201);
export const adminPut = async (p, body, iso = SETUP) =>
  ok(await stack().admin.put(`${ADMIN}${p}`, body, { headers: at(iso) }), 200);

/** A lead provider with its own lead_provider token: {id, name, api}. */
export async function leadProvider(tag) {
  const name = `LP ${tag} ${uniq()}`;
  const lp = ok(await stack().admin.post(`${ADMIN}/lead-providers`, { name }), 201);
  const t = await createToken({ scopes: ['lead_provider'], leadProviderId: lp.id });
  return { id: lp.id, name, api: new Client({ token: t.token }) };
}

export const deliveryPartner = async () => (await adminPost('/delivery-partners', { name: `DP ${uniq()}` })).id;

export async function school({ pp = false, sparsity = false } = {}) {
  for (let i = 0; i < 8; i++) {
    const urn = String(randomInt(100000, 1000000));
    const r = await stack().admin.post(
      `${ADMIN}/schools`,
      { urn, name: `School ${uniq()}`, pupil_premium_uplift: pp, sparsity_uplift: sparsity },
      { headers: at(SETUP) },
    );
    if (r.status === 409) continue;
    return ok(r, 201);
  }
  throw new Error('no free URN');
}

export const partnership = (sch, lp, dp, cohort) =>
  adminPost('/partnerships', { school_urn: sch.urn, lead_provider_id: lp.id, delivery_partner_id: dp, cohort });

/** A teacher: the admin answer ({id, full_name, ect_training_record_id, ...}). */
export const teacher = (iso = SETUP, extra = {}) => adminPost('/teachers', { full_name: `Teacher ${uniq()}`, ...extra }, iso);

/** A school period: role 'ect' | 'mentor'; answers the admin representation. */
export const schoolPeriod = (t, role, sch, { start, finish, wp, email } = {}, iso = SETUP) =>
  adminPost(
    `/teachers/${t.id}/school-periods`,
    {
      role,
      school_urn: sch.urn,
      email: email || `${role}.${uniq()}@example.org`,
      started_on: start,
      ...(finish ? { finished_on: finish } : {}),
      ...(wp ? { working_pattern: wp } : {}),
    },
    iso,
  );

/** A training period: provider-led with `pa` (a partnership), school-led with null. */
export const trainingPeriod = (sp, pa, { start, finish, schedule } = {}, iso = SETUP) =>
  adminPost(
    `/school-periods/${sp.id}/training-periods`,
    {
      ...(pa ? { partnership_id: pa.id } : {}),
      started_on: start,
      ...(finish ? { finished_on: finish } : {}),
      ...(pa ? { schedule_identifier: schedule || 'ecf-standard-september' } : {}),
    },
    iso,
  );

export const finishTraining = (tp, finish, iso = SETUP) => adminPut(`/training-periods/${tp.id}`, { finished_on: finish }, iso);
export const updateSchoolPeriod = (sp, body, iso = SETUP) => adminPut(`/school-periods/${sp.id}`, body, iso);
export const mentorship = (ectSp, mentorSp, { start, finish } = {}, iso = SETUP) =>
  adminPost(
    '/mentorships',
    { ect_school_period_id: ectSp.id, mentor_school_period_id: mentorSp.id, started_on: start, ...(finish ? { finished_on: finish } : {}) },
    iso,
  );
export const inductionPeriod = (t, { start, finish, outcome } = {}, iso = SETUP) =>
  adminPost(
    `/teachers/${t.id}/induction-periods`,
    { started_on: start, ...(finish ? { finished_on: finish } : {}), ...(outcome ? { outcome } : {}) },
    iso,
  );
export const merge = async (from, to, iso) =>
  ok(
    await stack().admin.post(`${ADMIN}/teachers/merge`, { from_participant_id: from.id, to_participant_id: to.id }, { headers: at(iso) }),
    200,
  );

/** Withdraws or defers a training period in the database (no admin route writes these). */
export function stopTraining(tp, { withdrawnAt, withdrawal = 'other', deferredAt, deferral = 'other' }) {
  const dt = (iso) => (iso ? q(iso.replace('T', ' ').replace('Z', '')) : 'NULL');
  sql(`UPDATE training_periods SET withdrawn_at = ${dt(withdrawnAt)}, withdrawal_reason = ${withdrawnAt ? q(withdrawal) : 'NULL'},
       deferred_at = ${dt(deferredAt)}, deferral_reason = ${deferredAt ? q(deferral) : 'NULL'} WHERE api_id = ${bin(tp.id)}`);
  forgetDocuments({ trainingPeriod: tp.id });
}

/** Sets the mentor funding end (and reason) of a teacher in the database (no admin route
 * sets these). */
export function mentorFundingEnded(t, on, reason = 'completed_declaration_received', { eligibleAt } = {}) {
  const eligible = eligibleAt === undefined ? '' : `, mentor_first_became_eligible_at = ${eligibleAt === null ? 'NULL' : q(eligibleAt)}`;
  sql(`UPDATE teachers SET mentor_became_ineligible_on = ${q(on)}, mentor_ineligible_reason = ${q(reason)}${eligible} WHERE api_id = ${bin(t.id)}`);
  forgetDocuments({ teacher: t.id });
}

// ------------------------------------------------------------------ reads
export async function show(lp, t, iso) {
  const r = await lp.api.get(`${P}/${t.id}`, { headers: at(iso) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], JSON_CT);
  return r.json.data;
}

export async function list(lp, path, query = {}, iso = SETUP) {
  const r = await lp.api.get(path, { query, headers: at(iso) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json), ['data']);
  return r.json.data;
}

/** Every item of a list endpoint (pages of 3000 until empty). */
export async function all(lp, path, query = {}, iso = SETUP) {
  const out = [];
  for (let page = 1; ; page++) {
    const d = await list(lp, path, { ...query, 'page[page]': page, 'page[per_page]': 3000 }, iso);
    if (!d.length) return out;
    out.push(...d);
  }
}

export const enrolment = (p, type) => p.attributes.ecf_enrolments.find((e) => e.participant_type === type);

/** GET /participants/{id}/transfers: the transfers array (asserts 200). */
export async function transfersOf(lp, t, iso) {
  const r = await lp.api.get(`${P}/${t.id}/transfers`, { headers: at(iso) });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}
