// Fixtures of the output statement tests (statements*.test.mjs): a provider world built
// through the admin API on the sandbox clock, and declaration rows written straight into
// the database (the declarations endpoints are another module's; rows respect the
// table's CHECK constraints: eligible and later states need a statement, clawback states a
// clawback statement, and at most one counting declaration per teacher, course and type).

import { randomUUID } from 'node:crypto';
import { sql, bin } from './db.mjs';
import { assert, stack, uniq, ADMIN } from './fixtures.mjs';
import { decode } from './jwt.mjs';

export const at = (instant) => ({ headers: { 'X-With-Server-Date': instant } });
export const adminPost = (p, body, instant) => stack().admin.post(`${ADMIN}${p}`, body, at(instant));
export const adminPut = (p, body, instant) => stack().admin.put(`${ADMIN}${p}`, body, at(instant));
export const adminGet = (p, opts = {}) => stack().admin.get(`${ADMIN}${p}`, opts);

/** The body of an answer with this status (the message shows the body otherwise). */
export function ok(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json;
}

export { bin };

/** The jti and sub of the admin token the suite runs with. */
export function adminIdentity() {
  const { payload } = decode(stack().adminToken);
  return { jti: payload.jti, sub: payload.sub };
}

const INSTANT = '2025-09-10T10:00:00Z';

/** A new lead provider with a delivery partner, a school and a 2025 partnership. */
export async function providerWorld(cohort = 2025) {
  const w = {};
  w.lp = ok(await stack().admin.post(`${ADMIN}/lead-providers`, { name: `LP ${uniq()}` }), 201).id;
  w.dp = ok(await adminPost('/delivery-partners', { name: `DP ${uniq()}` }, INSTANT), 201).id;
  for (let i = 0; !w.school && i < 5; i++) {
    const urn = String(100000 + Math.floor(Math.random() * 900000));
    const r = await adminPost('/schools', { urn, name: `School ${uniq()}` }, INSTANT);
    if (r.status !== 409) w.school = ok(r, 201);
  }
  w.partnership = ok(await adminPost('/partnerships', {
    school_urn: w.school.urn, lead_provider_id: w.lp, delivery_partner_id: w.dp, cohort,
  }, INSTANT), 201).id;
  w.cohort = cohort;
  return w;
}

export async function newStatement(w, deadline, payment = deadline, instant = INSTANT) {
  return ok(await adminPost('/statements', {
    lead_provider_id: w.lp, cohort: w.cohort, deadline_date: deadline, payment_date: payment,
  }, instant), 201);
}

export async function newTeacher(instant = INSTANT) {
  return ok(await adminPost('/teachers', { full_name: `Teacher ${uniq()}` }, instant), 201);
}

/** A school period of `role` with a provider-led training period in w's partnership. */
export async function enrol(w, teacher, role, { instant = INSTANT, started = '2025-09-01' } = {}) {
  const sp = ok(await adminPost(`/teachers/${teacher.id}/school-periods`, {
    role, school_urn: w.school.urn, email: `${uniq()}@example.org`, started_on: started,
  }, instant), 201);
  const tp = ok(await adminPost(`/school-periods/${sp.id}/training-periods`, {
    partnership_id: w.partnership, started_on: started, schedule_identifier: 'ecf-standard-september',
  }, instant), 201);
  return { sp, tp };
}

export function statementPk(apiId) {
  return sql(`SELECT id FROM statements WHERE api_id = ${bin(apiId)}`)[0][0];
}

/**
 * Inserts a declaration on training period `tpId` (API id) of teacher `teacherId`; returns its
 * primary key. state, statement and clawback statement (API ids or null) as given.
 */
export function insertDeclaration(w, teacherId, tpId, {
  type = 'started', course = 'ecf-induction', state = 'submitted', statement = null, clawback = null,
  date = '2025-09-05 10:00:00', updatedAt = '2025-09-06 10:00:00',
} = {}) {
  const id = randomUUID();
  const st = statement ? `(SELECT id FROM statements WHERE api_id = ${bin(statement)})` : 'NULL';
  const cb = clawback ? `(SELECT id FROM statements WHERE api_id = ${bin(clawback)})` : 'NULL';
  sql(`INSERT INTO declarations (api_id, teacher_id, training_period_id, lead_provider_id, cohort,
         course_identifier, declaration_type, declaration_date, state, statement_id,
         clawback_statement_id, delivery_partner_id, created_at, updated_at)
       SELECT ${bin(id)}, t.id, tp.id, tp.lead_provider_id, tp.cohort, '${course}', '${type}',
         '${date}', '${state}', ${st}, ${cb}, ${bin(w.dp)}, '${updatedAt}', '${updatedAt}'
       FROM teachers t, training_periods tp
       WHERE t.api_id = ${bin(teacherId)} AND tp.api_id = ${bin(tpId)}`);
  return sql(`SELECT id FROM declarations WHERE api_id = ${bin(id)}`)[0][0];
}

/** {state, statement (api id or NULL), clawback, updated} of a declaration by primary key. */
export function declaration(pk) {
  const [row] = sql(`SELECT d.state, COALESCE(LOWER(HEX(s.api_id)), 'NULL'),
      COALESCE(LOWER(HEX(c.api_id)), 'NULL'), d.updated_at
    FROM declarations d LEFT JOIN statements s ON s.id = d.statement_id
    LEFT JOIN statements c ON c.id = d.clawback_statement_id WHERE d.id = ${Number(pk)}`);
  const uuid = (h) => (h === 'NULL' ? null : `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  return { state: row[0], statement: uuid(row[1]), clawback: uuid(row[2]), updated: row[3] };
}

/** Audit events of a declaration (by primary key), in order. */
export function declarationEvents(pk) {
  return sql(`SELECT event, COALESCE(token_jti, 'NULL'), COALESCE(actor, 'NULL'),
      COALESCE(statement_id, 'NULL'), status_before, status_after, COALESCE(details, 'NULL'), occurred_at
    FROM audit_events WHERE declaration_id = ${Number(pk)} ORDER BY id`).map(
    ([event, jti, actor, statement, before, after, details, occurred]) =>
      ({ event, jti, actor, statement, before, after, details: JSON.parse(details), occurred }));
}

/** The teacher's funding facts: {ect, mentor} first-became-eligible (or 'NULL'), updated_at. */
export function teacherFunding(teacherId) {
  const [row] = sql(`SELECT COALESCE(ect_first_became_eligible_at, 'NULL'),
      COALESCE(mentor_first_became_eligible_at, 'NULL'), updated_at
    FROM teachers WHERE api_id = ${bin(teacherId)}`);
  return { ect: row[0], mentor: row[1], updated: row[2] };
}
