// Fixtures of the declarations suite: providers, schools, partnerships, teachers and their
// periods are made through the admin data API (so teacher_lead_providers is rebuilt as in
// production); the facts no route sets (funding eligibility, withdrawal, statement states)
// are written with lib/db.mjs sql(). Every request runs on the sandbox clock.

import { randomInt } from 'node:crypto';
import { sql, bin, forgetDocuments } from './db.mjs';
import { Client } from './client.mjs';
import { assert, stack, uniq, createToken, ADMIN } from './fixtures.mjs';

export const D = '/api/v3/participant-declarations';

export const at = (instant) => ({ headers: { 'X-With-Server-Date': instant } });
export { bin };

function ok(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json;
}

const adminPost = async (p, body, instant) => ok(await stack().admin.post(`${ADMIN}${p}`, body, at(instant)), 201);

/** A lead provider with its own lead_provider token: {id, name, api}. */
export async function leadProvider(tag = 'LP') {
  const name = `${tag} ${uniq()}`;
  const lp = await adminPost('/lead-providers', { name }, '2024-01-01T00:00:00Z');
  const t = await createToken({ scopes: ['lead_provider'], leadProviderId: lp.id });
  return { id: lp.id, name, api: new Client({ token: t.token }) };
}

export async function deliveryPartner() {
  return adminPost('/delivery-partners', { name: `DP ${uniq()}` }, '2024-01-01T00:00:00Z');
}

export async function school({ pp = false, sparsity = false } = {}) {
  for (let i = 0; i < 8; i++) {
    const urn = String(randomInt(100000, 1000000));
    const r = await stack().admin.post(`${ADMIN}/schools`, { urn, name: `School ${uniq()}`, pupil_premium_uplift: pp, sparsity_uplift: sparsity }, at('2024-01-01T00:00:00Z'));
    if (r.status === 409) continue;
    return ok(r, 201);
  }
  throw new Error('no free URN');
}

export async function partnership(sch, lp, dp, cohort) {
  return adminPost('/partnerships', { school_urn: sch.urn, lead_provider_id: lp.id, delivery_partner_id: dp.id, cohort }, '2024-01-01T00:00:00Z');
}

/** An open output statement of lp for cohort. */
export async function statement(lp, cohort, deadline, instant = '2024-01-01T00:00:00Z') {
  return adminPost('/statements', { lead_provider_id: lp.id, cohort, deadline_date: deadline, payment_date: deadline }, instant);
}

export async function teacher(instant = '2024-01-01T00:00:00Z') {
  return adminPost('/teachers', { full_name: `Teacher ${uniq()}` }, instant);
}

export async function schoolPeriod(t, sch, role, startedOn, extra = {}, instant = '2024-01-01T00:00:00Z') {
  return adminPost(`/teachers/${t.id}/school-periods`, { role, school_urn: sch.urn, email: `${uniq()}@example.org`, started_on: startedOn, ...extra }, instant);
}

export async function trainingPeriod(sp, p, startedOn, schedule = 'ecf-standard-september', instant = '2024-01-01T00:00:00Z') {
  return adminPost(`/school-periods/${sp.id}/training-periods`, { partnership_id: p ? p.id : null, started_on: startedOn, schedule_identifier: p ? schedule : null }, instant);
}

/** Sets {ect|mentor}_first_became_eligible_at. */
export function makeEligible(t, role = 'ect', when = '2024-01-01 00:00:00') {
  sql(`UPDATE teachers SET ${role}_first_became_eligible_at = '${when}' WHERE api_id = ${bin(t.id)}`);
  forgetDocuments({ teacher: t.id });
}

export function withdraw(tp, whenSql) {
  sql(`UPDATE training_periods SET withdrawn_at = '${whenSql}', withdrawal_reason = 'other' WHERE api_id = ${bin(tp.id)}`);
  forgetDocuments({ trainingPeriod: tp.id });
}

export function setDeclarationState(id, state, statementId = null, clawbackId = null) {
  const st = (s) => (s ? `(SELECT id FROM statements WHERE api_id = ${bin(s)})` : 'NULL');
  sql(`UPDATE declarations SET state = '${state}', statement_id = ${st(statementId)}, clawback_statement_id = ${st(clawbackId)} WHERE api_id = ${bin(id)}`);
}

/** Counts rows of a query's first cell. */
export function count(query) {
  return Number(sql(query)[0][0]);
}

/**
 * One participant: a teacher with a school period of `role` and a provider-led training
 * period of lp in `cohort`. Returns {teacher, school, sp, tp, partnership, dp}.
 */
export async function participant(lp, { cohort = 2024, role = 'ect', startedOn = '2024-09-01', schedule = 'ecf-standard-september', pp = false, sparsity = false, eligible = false, spFinishedOn = null } = {}) {
  const dp = await deliveryPartner();
  const sch = await school({ pp, sparsity });
  const p = await partnership(sch, lp, dp, cohort);
  const t = await teacher();
  const sp = await schoolPeriod(t, sch, role, startedOn, spFinishedOn ? { finished_on: spFinishedOn } : {});
  const tp = await trainingPeriod(sp, p, startedOn, schedule);
  if (eligible) makeEligible(t, role);
  return { teacher: t, school: sch, sp, tp, partnership: p, dp };
}

/** The POST body. */
export function body(attrs) {
  return { data: { type: 'participant-declaration', attributes: attrs } };
}

export function post(lp, attrs, instant) {
  return lp.api.post(D, body(attrs), at(instant));
}
