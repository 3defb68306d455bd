// Fixtures of the participant actions suite (actions*.test.mjs): a small world built
// through the admin data API on the sandbox clock, so every date rule is exact, plus direct
// database reads for the effects the API cannot show (lib/db.mjs).

import { randomInt, randomUUID } from 'node:crypto';
import { sql, bin, forgetDocuments } from './db.mjs';
import { Client } from './client.mjs';
import { assert, stack, uniq, createToken, ADMIN } from './fixtures.mjs';

export const P = '/api/v3/participants';
export const TODAY = '2025-11-10';
export const NOW = `${TODAY}T12:00:00Z`;
/** The instant the admin API creates test data at (before every action). */
export const SETUP = '2025-08-01T09:00:00Z';

export const at = (instant) => ({ headers: { 'X-With-Server-Date': instant } });
export { bin };
export const hexToUuid = (h) =>
  h.toLowerCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** Adds n days to a YYYY-MM-DD date. */
export function day(date, n) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function ok(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json;
}

const admin = (method, path, body, instant = SETUP) => stack().admin[method](`${ADMIN}${path}`, body, at(instant));

/** A lead provider with its own lead_provider token: {id, name, api, jti}. */
export async function leadProvider(tag = 'actions') {
  const name = `LP ${tag} ${uniq()}`;
  const lp = ok(await stack().admin.post(`${ADMIN}/lead-providers`, { name }), 201);
  const t = await createToken({ scopes: ['lead_provider'], leadProviderId: lp.id });
  return { id: lp.id, name, api: new Client({ token: t.token }), jti: t.jti, token: t.token };
}

export async function deliveryPartner() {
  return ok(await admin('post', '/delivery-partners', { name: `DP ${uniq()}` }), 201);
}

export async function school() {
  for (let i = 0; i < 8; i++) {
    const r = await admin('post', '/schools', { urn: String(randomInt(100000, 1000000)), name: `School ${uniq()}` });
    if (r.status === 409) continue;
    return ok(r, 201);
  }
  throw new Error('no free URN');
}

export async function partnership(sch, lp, dp, cohort, instant = SETUP) {
  return ok(
    await admin('post', '/partnerships', { school_urn: sch.urn, lead_provider_id: lp.id, delivery_partner_id: dp.id, cohort }, instant),
    201,
  );
}

export async function teacher() {
  return ok(await admin('post', '/teachers', { full_name: `Teacher ${uniq()}` }), 201);
}

export async function schoolPeriod(t, sch, { role = 'ect', start = '2025-09-01', finish = null } = {}) {
  const body = { role, school_urn: sch.urn, email: `${role}.${uniq()}@example.org`, started_on: start };
  if (finish) body.finished_on = finish;
  return ok(await admin('post', `/teachers/${t.id}/school-periods`, body), 201);
}

export async function trainingPeriod(sp, pa, { start = '2025-09-01', finish = null, schedule = 'ecf-standard-september' } = {}) {
  const body = { partnership_id: pa.id, started_on: start, schedule_identifier: schedule };
  if (finish) body.finished_on = finish;
  return ok(await admin('post', `/school-periods/${sp.id}/training-periods`, body), 201);
}

/**
 * A participant of `pa`'s provider: a teacher, a school period at pa's school and one
 * provider-led training period. Returns {id (participant id), teacher, sp, tp}.
 */
export async function participant(pa, sch, opts = {}) {
  const t = await teacher();
  const sp = await schoolPeriod(t, sch, { role: opts.role, start: opts.spStart || opts.start, finish: opts.spFinish });
  const tp = await trainingPeriod(sp, pa, opts);
  return { id: t.id, teacher: t, sp, tp };
}

/** A PUT action body as the reference contract shapes it. */
export function body(action, attributes) {
  return { data: { type: `participant-${action}`, attributes } };
}

/** PUT /participants/{id}/{action} as `lp` at `instant` (extra headers merged). */
export function act(lp, id, action, attributes, instant = NOW, headers = {}) {
  return lp.api.put(`${P}/${id}/${action}`, body(action, attributes), { headers: { 'X-With-Server-Date': instant, ...headers } });
}

/** The provider's view of a participant at `instant`. */
export async function view(lp, id, instant = NOW) {
  return ok(await lp.api.get(`${P}/${id}`, at(instant)), 200);
}

/** The enrolment of a course in a participant resource. */
export function enrolment(resource, type = 'ect') {
  const e = resource.attributes.ecf_enrolments.find((x) => x.participant_type === type);
  assert.ok(e, `no ${type} enrolment: ${JSON.stringify(resource)}`);
  return e;
}

/** The teacher's training periods in creation order, as stored. */
export function periods(teacherId) {
  return sql(
    `SELECT HEX(tp.api_id), sp.role, tp.started_on, IFNULL(tp.finished_on, 'NULL'), IFNULL(tp.deferred_at, 'NULL'),
            IFNULL(tp.deferral_reason, 'NULL'), IFNULL(tp.withdrawn_at, 'NULL'), IFNULL(tp.withdrawal_reason, 'NULL'),
            IFNULL(tp.cohort, 'NULL'), IFNULL(sc.identifier, 'NULL'), IFNULL(HEX(p.api_id), 'NULL'), HEX(sp.api_id),
            tp.updated_at, tp.transfer_updated_at
       FROM training_periods tp JOIN school_periods sp ON sp.id = tp.school_period_id
       JOIN teachers t ON t.id = sp.teacher_id
       LEFT JOIN schedules sc ON sc.id = tp.schedule_id LEFT JOIN partnerships p ON p.id = tp.partnership_id
      WHERE t.api_id = ${bin(teacherId)} ORDER BY tp.id`,
  ).map((r) => ({
    id: hexToUuid(r[0]),
    role: r[1],
    started_on: r[2],
    finished_on: r[3] === 'NULL' ? null : r[3],
    deferred_at: r[4] === 'NULL' ? null : r[4],
    deferral_reason: r[5] === 'NULL' ? null : r[5],
    withdrawn_at: r[6] === 'NULL' ? null : r[6],
    withdrawal_reason: r[7] === 'NULL' ? null : r[7],
    cohort: r[8] === 'NULL' ? null : Number(r[8]),
    schedule: r[9] === 'NULL' ? null : r[9],
    partnership: r[10] === 'NULL' ? null : hexToUuid(r[10]),
    school_period: hexToUuid(r[11]),
    updated_at: r[12],
    transfer_updated_at: r[13],
  }));
}

/** The audit events of a teacher, oldest first. */
export function auditEvents(teacherId) {
  return sql(
    `SELECT a.event, IFNULL(a.token_jti, 'NULL'), IFNULL(a.request_id, 'NULL'), IFNULL(a.status_before, 'NULL'),
            IFNULL(a.status_after, 'NULL'), IFNULL(a.details, 'NULL'), IFNULL(HEX(tp.api_id), 'NULL'), a.occurred_at
       FROM audit_events a JOIN teachers t ON t.id = a.teacher_id
       LEFT JOIN training_periods tp ON tp.id = a.training_period_id
      WHERE t.api_id = ${bin(teacherId)} ORDER BY a.id`,
  ).map((r) => ({
    event: r[0],
    jti: r[1],
    request_id: r[2],
    before: r[3],
    after: r[4],
    details: r[5] === 'NULL' ? null : JSON.parse(r[5]),
    training_period: r[6] === 'NULL' ? null : hexToUuid(r[6]),
    occurred_at: r[7],
  }));
}

/** teachers.{ect,mentor}_payments_frozen_year and updated_at. */
export function teacherRow(teacherId) {
  const [r] = sql(
    `SELECT IFNULL(ect_payments_frozen_year, 'NULL'), IFNULL(mentor_payments_frozen_year, 'NULL'), updated_at
       FROM teachers WHERE api_id = ${bin(teacherId)}`,
  );
  return { ectFrozen: r[0] === 'NULL' ? null : Number(r[0]), mentorFrozen: r[1] === 'NULL' ? null : Number(r[1]), updated_at: r[2] };
}

/**
 * A declaration on a training period, written straight into the table (the declarations
 * API is not needed for these tests): submitted, no statement.
 */
export function declaration(tpId, { type = 'started', date, course = 'ecf-induction' }) {
  const id = randomUUID();
  sql(`INSERT INTO declarations (api_id, teacher_id, training_period_id, lead_provider_id, cohort, course_identifier,
         declaration_type, declaration_date, state, delivery_partner_id, created_at, updated_at)
       SELECT ${bin(id)}, sp.teacher_id, tp.id, tp.lead_provider_id, tp.cohort, '${course}', '${type}',
              '${date.replace('T', ' ').replace('Z', '')}', 'submitted', p.delivery_partner_id, NOW(6), NOW(6)
         FROM training_periods tp JOIN school_periods sp ON sp.id = tp.school_period_id
         JOIN partnerships p ON p.id = tp.partnership_id WHERE tp.api_id = ${bin(tpId)}`);
  return id;
}

export function declarationCohort(id) {
  return Number(sql(`SELECT cohort FROM declarations WHERE api_id = ${bin(id)}`)[0][0]);
}
