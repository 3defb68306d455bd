// Lead Provider API v3 declarations: POST (every rule of spec 4.3 with its exact text, the
// effects of 4.5, decision 3's idempotency including 20 concurrent identical POSTs), GET list
// and by id (filters, order, pagination, the previous provider's visibility of 4.8) and PUT
// void (4.7: void and clawback paths, cross-tenant 404, mentor completion re-run).
// Every request runs on the sandbox clock (X-With-Server-Date); DB effects are read back with
// lib/db.mjs.

import { test, run } from './lib/tap.mjs';
import { sql, forgetDocuments } from './lib/db.mjs';
import { closeAgent } from './lib/client.mjs';
import { assert, assertError, assertMalformed, assert404, stack, ADMIN } from './lib/fixtures.mjs';
import {
  D,
  at,
  bin,
  leadProvider,
  participant,
  statement,
  school,
  partnership,
  deliveryPartner,
  teacher,
  schoolPeriod,
  trainingPeriod,
  makeEligible,
  withdraw,
  setDeclarationState,
  count,
  body,
  post,
} from './lib/declarations_fixtures.mjs';

const NOW = '2024-11-01T12:00:00Z'; // inside the 2024 standard september started window
const NOW25 = '2025-11-01T12:00:00Z';
const NOT_RECOGNISED =
  "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.";
const DUPLICATE = 'A declaration has already been submitted that will be, or has been, paid for this event.';
const s = {};

const started = (p, extra = {}) => ({
  participant_id: p.teacher.id,
  declaration_type: 'started',
  declaration_date: '2024-10-01T10:00:00Z',
  course_identifier: 'ecf-induction',
  ...extra,
});

function ok200(r) {
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json.data;
}

const rows = (tid) => count(`SELECT COUNT(*) FROM declarations d JOIN teachers t ON t.id = d.teacher_id WHERE t.api_id = ${bin(tid)}`);

test('set-up: two providers', async () => {
  s.a = await leadProvider('LP A');
  s.b = await leadProvider('LP B');
}, { bail: true });

// ------------------------------------------------------------------ POST: success and effects

test('POST: a 2024 ECT started declaration is created (submitted, evidence discarded, audit)', async () => {
  const p = await participant(s.a);
  const r = await post(s.a, started(p, { evidence_held: 'anything at all' }), NOW);
  const d = ok200(r);
  assert.equal(d.type, 'participant-declaration');
  assert.deepEqual(d.attributes, {
    participant_id: p.teacher.id,
    declaration_type: 'started',
    declaration_date: '2024-10-01T10:00:00Z',
    course_identifier: 'ecf-induction',
    state: 'submitted',
    updated_at: NOW,
    created_at: NOW,
    delivery_partner_id: p.dp.id,
    statement_id: null,
    clawback_statement_id: null,
    ineligible_for_funding_reason: null,
    mentor_id: null,
    uplift_paid: false,
    evidence_held: null,
    lead_provider_name: s.a.name,
  });
  assert.equal(rows(p.teacher.id), 1);
  const audit = sql(`SELECT a.event, a.token_jti IS NOT NULL, a.request_id IS NOT NULL, a.status_after FROM audit_events a
    JOIN declarations d ON d.id = a.declaration_id WHERE d.api_id = ${bin(d.id)}`);
  assert.deepEqual(audit, [['declaration.created', '1', '1', 'submitted']]);
  s.first = { p, d };
});

test('POST: an eligible teacher gets state eligible on the next open statement (earliest deadline >= today)', async () => {
  const p = await participant(s.a, { eligible: true });
  await statement(s.a, 2024, '2024-10-31'); // deadline passed on NOW
  const later = await statement(s.a, 2024, '2025-03-31');
  const next = await statement(s.a, 2024, '2024-12-31');
  const d = ok200(await post(s.a, started(p), NOW));
  assert.equal(d.attributes.state, 'eligible');
  assert.equal(d.attributes.statement_id, next.id);
  assert.notEqual(d.attributes.statement_id, later.id);
  s.eligible = { p, d, statement: next };
});

test('rule 18: eligible, no open statement for the cohort -> 422 cohort', async () => {
  const lp = await leadProvider('LP no statements');
  const p = await participant(lp, { eligible: true });
  assertError(await post(lp, started(p), NOW), 422, 'cohort',
    'You cannot submit or void declarations for the 2024 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.');
  assert.equal(rows(p.teacher.id), 0);
});

test('POST: uplift flags copied from the school for started in an uplift cohort; uplift_paid once paid', async () => {
  const p = await participant(s.a, { pp: true });
  const d = ok200(await post(s.a, started(p), NOW));
  assert.deepEqual(sql(`SELECT pupil_premium_uplift, sparsity_uplift FROM declarations WHERE api_id = ${bin(d.id)}`), [['1', '0']]);
  assert.equal(d.attributes.uplift_paid, false);
  const st = await statement(s.a, 2024, '2025-01-31');
  setDeclarationState(d.id, 'paid', st.id);
  const g = ok200(await s.a.api.get(`${D}/${d.id}`, at(NOW)));
  assert.equal(g.attributes.uplift_paid, true);
  assert.equal(g.attributes.statement_id, st.id);
});

test('POST: an ECT declaration names the mentor of the mentorship closest to its date', async () => {
  const p = await participant(s.a);
  const m = await teacher();
  const msp = await schoolPeriod(m, p.school, 'mentor', '2024-01-01');
  const r = await stack().admin.post(`${ADMIN}/mentorships`, { ect_school_period_id: p.sp.id, mentor_school_period_id: msp.id, started_on: '2024-09-01' }, at(NOW));
  assert.equal(r.status, 201, r.text);
  const d = ok200(await post(s.a, started(p), NOW));
  assert.equal(d.attributes.mentor_id, m.id);
});

// ------------------------------------------------------------------ decision 3

test('decision 3: an exact copy answers 200 with the same declaration and creates nothing', async () => {
  const { p, d } = s.first;
  const again = ok200(await post(s.a, started(p, { evidence_held: 'anything at all' }), '2024-11-02T09:00:00Z'));
  assert.equal(again.id, d.id);
  assert.equal(again.attributes.created_at, NOW);
  assert.equal(rows(p.teacher.id), 1);
  // The same instant written differently is the same instant.
  const same = ok200(await post(s.a, started(p, { declaration_date: '2024-10-01T11:00:00+01:00', evidence_held: 'anything at all' }), NOW));
  assert.equal(same.id, d.id);
});

test('decision 3: another evidence_held or date is not a copy -> 422 duplicate', async () => {
  const { p } = s.first;
  assertError(await post(s.a, started(p), NOW), 422, 'declaration_type', DUPLICATE);
  assertError(await post(s.a, started(p, { declaration_date: '2024-10-02T10:00:00Z', evidence_held: 'anything at all' }), NOW), 422, 'declaration_type', DUPLICATE);
  assert.equal(rows(s.first.p.teacher.id), 1);
});

test('decision 3: 20 concurrent identical POSTs create one declaration and all answer 200 with it', async () => {
  const p = await participant(s.a, { eligible: true });
  await statement(s.a, 2024, '2025-02-28');
  const attrs = started(p);
  const rs = await Promise.all(Array.from({ length: 20 }, () => post(s.a, attrs, NOW)));
  const ids = new Set(rs.map((r) => ok200(r).id));
  assert.equal(ids.size, 1);
  assert.equal(rows(p.teacher.id), 1);
  assert.equal(count(`SELECT COUNT(*) FROM audit_events a JOIN declarations d ON d.id = a.declaration_id WHERE d.api_id = ${bin([...ids][0])}`), 1);
}, { timeout: 60000 });

test('decision 3: 10 concurrent POSTs of one event with different dates: one 200, the rest 422 duplicate', async () => {
  const p = await participant(s.a);
  const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => post(s.a, started(p, { declaration_date: `2024-10-0${i}T10:00:00Z`.replace('-00T', '-10T') }), NOW)));
  assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.status).join(','));
  for (const r of rs.filter((x) => x.status !== 200)) assertError(r, 422, 'declaration_type', DUPLICATE);
  assert.equal(rows(p.teacher.id), 1);
}, { timeout: 60000 });

// ------------------------------------------------------------------ 400

test('POST: no data / no attributes / no permitted attribute -> 400', async () => {
  assertMalformed(await s.a.api.post(D, { foo: 1 }, at(NOW)));
  assertMalformed(await s.a.api.post(D, { data: { type: 'participant-declaration' } }, at(NOW)));
  assertMalformed(await s.a.api.post(D, { data: { attributes: 'x' } }, at(NOW)));
  assertMalformed(await s.a.api.post(D, body({ has_passed: true }), at(NOW)));
});

// ------------------------------------------------------------------ 4.3, one case per rule

test('rule 1: blank participant_id', async () => {
  assertError(await post(s.a, { participant_id: ' ', declaration_type: 'started', declaration_date: '2024-10-01T10:00:00Z', course_identifier: 'ecf-induction' }, NOW),
    422, 'participant_id', "Enter a '#/participant_id'.");
});

test('rule 2: unknown participant_id', async () => {
  assertError(await post(s.a, { participant_id: '00000000-0000-4000-8000-000000000000', declaration_type: 'started', declaration_date: '2024-10-01T10:00:00Z', course_identifier: 'ecf-induction' }, NOW),
    422, 'participant_id', NOT_RECOGNISED);
});

test('rule 3: unknown course_identifier', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { course_identifier: 'ecf-foo' }), NOW), 422, 'course_identifier', "Enter a '#/course_identifier'.");
  assert.equal(rows(p.teacher.id), 0); // nothing written
});

test('rule 4: no declaration_date', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_date: undefined }), NOW), 422, 'declaration_date', "Enter a '#/declaration_date'.");
});

test('rule 5: the teacher trains with the provider, but not in that role', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { course_identifier: 'ecf-mentor' }), NOW), 422, 'course_identifier',
    "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.");
  assert.equal(rows(p.teacher.id), 0); // nothing written
});

test('rule 6: blank declaration_type', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_type: '' }), NOW), 422, 'declaration_type', "Enter a '#/declaration_type'.");
});

test('rule 7: unknown declaration_type (a NUL inside or a number is not a type)', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_type: 'retained-9' }), NOW), 422, 'declaration_type', 'Enter a valid declaration type.');
  assertError(await post(s.a, started(p, { declaration_type: 'started\u0000x' }), NOW), 422, 'declaration_type', 'Enter a valid declaration type.');
  assertError(await post(s.a, started(p, { declaration_type: 7 }), NOW), 422, 'declaration_type', 'Enter a valid declaration type.');
});

test('rule 8: a counting declaration of another provider blocks the same event', async () => {
  const t = await teacher();
  const dp = await deliveryPartner();
  const schA = await school();
  const schB = await school();
  const spA = await schoolPeriod(t, schA, 'ect', '2024-09-01', { finished_on: '2024-09-30' });
  await trainingPeriod(spA, await partnership(schA, s.a, dp, 2024), '2024-09-01');
  const spB = await schoolPeriod(t, schB, 'ect', '2024-10-01');
  await trainingPeriod(spB, await partnership(schB, s.b, dp, 2024), '2024-10-01');
  const a = ok200(await post(s.a, { participant_id: t.id, declaration_type: 'started', declaration_date: '2024-09-15T10:00:00Z', course_identifier: 'ecf-induction' }, NOW));
  assertError(await post(s.b, { participant_id: t.id, declaration_type: 'started', declaration_date: '2024-10-15T10:00:00Z', course_identifier: 'ecf-induction' }, NOW),
    422, 'declaration_type', DUPLICATE);
  s.transfer = { t, a };
});

test('rule 9: a future declaration_date', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_date: '2024-11-01T12:00:01Z' }), NOW), 422, 'declaration_date',
    "The '#/declaration_date' value cannot be a future date. Check the date and try again.");
  assert.equal(rows(p.teacher.id), 0); // nothing written
});

test('rule 10: before the milestone start (2024-06-01 00:00)', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_date: '2024-05-31T23:59:59Z' }), NOW), 422, 'declaration_date',
    'Declaration date must be on or after the milestone start date for the same declaration type.');
  assert.equal(rows(p.teacher.id), 0); // nothing written
});

test('rule 11: after the end of the milestone date (2024-12-31)', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_date: '2025-01-01T00:00:00Z' }), '2025-01-15T00:00:00Z'), 422, 'declaration_date',
    'Declaration date must be on or before the milestone date for the same declaration type.');
  ok200(await post(s.a, started(p, { declaration_date: '2024-12-31T23:59:59Z' }), '2025-01-15T00:00:00Z'));
});

test('rule 12: a date without a time is not RFC 3339', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_date: '2024-10-01' }), NOW), 422, 'declaration_date', "Enter a valid RCF3339 '#/declaration_date'.");
  assert.equal(rows(p.teacher.id), 0); // nothing written
});

test('rule 13: a 2025 mentor may only declare started or completed', async () => {
  const p = await participant(s.a, { cohort: 2025, role: 'mentor', startedOn: '2025-09-01' });
  assertError(await post(s.a, { participant_id: p.teacher.id, declaration_type: 'retained-1', declaration_date: '2025-10-01T10:00:00Z', course_identifier: 'ecf-mentor', evidence_held: 'other' }, NOW25),
    422, 'declaration_type',
    'You cannot send retained or extended declarations for participants who began their mentor training after June 2025. Resubmit this declaration with either a started or completed declaration.');
});

test('rule 14: evidence_held required (2024 retained-1; 2025 started)', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_type: 'retained-1', declaration_date: '2025-01-15T10:00:00Z' }), '2025-02-01T00:00:00Z'),
    422, 'evidence_held', "Enter a '#/evidence_held' value for this participant.");
  const q = await participant(s.a, { cohort: 2025, startedOn: '2025-09-01' });
  assertError(await post(s.a, started(q, { declaration_date: '2025-10-01T10:00:00Z' }), NOW25),
    422, 'evidence_held', "Enter a '#/evidence_held' value for this participant.");
});

test('rule 15: evidence_held not available (2024 simple list; 2025 ECT retained-2)', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_type: 'retained-1', declaration_date: '2025-01-15T10:00:00Z', evidence_held: 'materials-engaged-with-offline' }), '2025-02-01T00:00:00Z'),
    422, 'evidence_held', "Enter an available '#/evidence_held' type for this participant.");
  const q = await participant(s.a, { cohort: 2025, startedOn: '2025-09-01' });
  assertError(await post(s.a, started(q, { declaration_type: 'retained-2', declaration_date: '2025-10-01T10:00:00Z', evidence_held: 'other' }), NOW25),
    422, 'evidence_held', "Enter an available '#/evidence_held' type for this participant.");
});

test('rule 16: withdrawn on or before the declaration date', async () => {
  const p = await participant(s.a);
  withdraw(p.tp, '2024-10-01 10:00:00');
  assertError(await post(s.a, started(p), NOW), 422, 'participant_id',
    "This participant withdrew from this course on 2024-10-01T10:00:00Z. Enter a '#/declaration_date' that's on or before the withdrawal date.");
  ok200(await post(s.a, started(p, { declaration_date: '2024-10-01T09:59:59Z' }), NOW));
});

test('rule 17: the period covering today is in a frozen cohort (2022, frozen 2025-06-16)', async () => {
  const p = await participant(s.a, { cohort: 2022, startedOn: '2022-09-01' });
  assertError(await post(s.a, started(p, { declaration_date: '2022-10-01T10:00:00Z' }), '2025-07-01T00:00:00Z'), 422, 'cohort',
    'You cannot submit declarations for the 2022 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.');
  ok200(await post(s.a, started(p, { declaration_date: '2022-10-01T10:00:00Z' }), '2025-06-15T00:00:00Z'));
});

test('rule 19: a type the schedule has no milestone for', async () => {
  const p = await participant(s.a);
  assertError(await post(s.a, started(p, { declaration_type: 'extended-1', evidence_held: 'other' }), NOW), 422, 'declaration_type',
    "The property '#/declaration_type' does not exist for this schedule.");
  assert.equal(rows(p.teacher.id), 0); // nothing written
});

test('rule 20: 2025 declarations must be in sequence', async () => {
  const q = await participant(s.a, { cohort: 2025, startedOn: '2025-09-01' });
  ok200(await post(s.a, started(q, { declaration_type: 'retained-1', declaration_date: '2025-10-10T10:00:00Z', evidence_held: 'other' }), NOW25));
  assertError(await post(s.a, started(q, { declaration_date: '2025-10-11T10:00:00Z', evidence_held: 'other' }), NOW25), 422, 'declaration_date',
    "This '#/declaration_date' is invalid. Check that it is in sequence with existing declaration dates for this participant.");
  ok200(await post(s.a, started(q, { declaration_date: '2025-10-10T10:00:00Z', evidence_held: 'other' }), NOW25));
});

test('rule 21: a teacher who never trained with the provider', async () => {
  const p = await participant(s.b);
  assertError(await post(s.a, started(p), NOW), 422, 'participant_id', NOT_RECOGNISED);
});

test('deferred participants may receive declarations', async () => {
  const p = await participant(s.a);
  sql(`UPDATE training_periods SET deferred_at = '2024-09-15 00:00:00', deferral_reason = 'other' WHERE api_id = ${bin(p.tp.id)}`);
  forgetDocuments({ trainingPeriod: p.tp.id });
  ok200(await post(s.a, started(p), NOW));
});

// ------------------------------------------------------------------ mentor completion

test('mentor completed: funding end date set, period finished, participant updated_at moves', async () => {
  // A mentor training period makes the mentor funding-eligible (4.6), so rule 18 wants an
  // open 2025 statement.
  await statement(s.a, 2025, '2025-12-31');
  const p = await participant(s.a, { cohort: 2025, role: 'mentor', startedOn: '2025-09-01' });
  ok200(await post(s.a, { participant_id: p.teacher.id, declaration_type: 'started', declaration_date: '2025-09-10T10:00:00Z', course_identifier: 'ecf-mentor', evidence_held: 'other' }, NOW25));
  const d = ok200(await post(s.a, { participant_id: p.teacher.id, declaration_type: 'completed', declaration_date: '2025-10-20T10:00:00Z', course_identifier: 'ecf-mentor', evidence_held: '75-percent-engagement-met' }, NOW25));
  assert.deepEqual(sql(`SELECT mentor_became_ineligible_on, mentor_ineligible_reason FROM teachers WHERE api_id = ${bin(p.teacher.id)}`),
    [['2025-10-20', 'completed_declaration_received']]);
  assert.deepEqual(sql(`SELECT finished_on FROM training_periods WHERE api_id = ${bin(p.tp.id)}`), [['2025-10-20']]);
  const part = ok200(await s.a.api.get(`/api/v3/participants/${p.teacher.id}`, at(NOW25)));
  assert.equal(part.attributes.updated_at, NOW25);
  const e = part.attributes.ecf_enrolments.find((x) => x.participant_type === 'mentor');
  assert.equal(e.mentor_funding_end_date, '2025-10-20');
  assert.equal(e.mentor_ineligible_for_funding_reason, 'completed_declaration_received');
  assert.equal(e.participant_status, 'active');
  s.mentor = { p, d };
});

// ------------------------------------------------------------------ GET

test('GET list: own declarations in created_at order; pagination', async () => {
  const lp = await leadProvider('LP list');
  const p1 = await participant(lp);
  const p2 = await participant(lp, { cohort: 2023, startedOn: '2023-09-01' });
  const d1 = ok200(await post(lp, started(p1), '2024-11-01T10:00:00Z'));
  const d2 = ok200(await post(lp, started(p2, { declaration_date: '2023-10-01T10:00:00Z' }), '2024-11-01T11:00:00Z'));
  const d3 = ok200(await post(lp, started(p1, { declaration_type: 'retained-1', declaration_date: '2025-01-10T10:00:00Z', evidence_held: 'other' }), '2025-01-20T00:00:00Z'));
  const all = ok200(await lp.api.get(D, at(NOW)));
  assert.deepEqual(all.map((d) => d.id), [d1.id, d2.id, d3.id]);
  const page2 = ok200(await lp.api.get(D, { query: { 'page[per_page]': 1, 'page[page]': 2 }, ...at(NOW) }));
  assert.deepEqual(page2.map((d) => d.id), [d2.id]);
  assert.deepEqual(ok200(await lp.api.get(D, { query: { 'page[page]': 9 } })), []);
  const bad = await lp.api.get(D, { query: { 'page[page]': 0 } });
  assertError(bad, 400, 'Bad request', "The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number");
  s.list = { lp, p1, p2, d1, d2, d3 };
});

test('GET list: filters cohort, participant_id, delivery_partner_id, updated_since', async () => {
  const { lp, p1, p2, d1, d2, d3 } = s.list;
  const ids = async (query) => ok200(await lp.api.get(D, { query })).map((d) => d.id);
  assert.deepEqual(await ids({ 'filter[cohort]': '2023' }), [d2.id]);
  assert.deepEqual(await ids({ 'filter[cohort]': '2023,2024' }), [d1.id, d2.id, d3.id]);
  assert.deepEqual(await ids({ 'filter[cohort]': 'abc' }), []);
  assert.deepEqual(await ids({ 'filter[cohort]': '' }), [d1.id, d2.id, d3.id]);
  assert.deepEqual(await ids({ 'filter[participant_id]': `${p1.teacher.id},nonsense` }), [d1.id, d3.id]);
  assert.deepEqual(await ids({ 'filter[participant_id]': 'nonsense' }), []);
  assert.deepEqual(await ids({ 'filter[delivery_partner_id]': p2.dp.id }), [d2.id]);
  assert.deepEqual(await ids({ 'filter[updated_since]': '2024-11-01T11:00:00Z' }), [d2.id, d3.id]);
  const bad = await lp.api.get(D, { query: { 'filter[updated_since]': 'yesterday' } });
  assertError(bad, 400, 'Bad request', "The filter '#/updated_since' must be a valid ISO 8601 date");
});

test('GET by id: own 200; another provider with no period for the teacher 404; unknown 404', async () => {
  const { lp, d1 } = s.list;
  assert.equal(ok200(await lp.api.get(`${D}/${d1.id}`)).id, d1.id);
  assert404(await s.a.api.get(`${D}/${d1.id}`));
  assert404(await lp.api.get(`${D}/00000000-0000-4000-8000-000000000000`));
  assert404(await lp.api.get(`${D}/not-a-uuid`));
});

test('4.8: the new provider sees the previous provider\'s counting declaration (list and by id) but cannot void it', async () => {
  const { t, a } = s.transfer;
  const g = ok200(await s.b.api.get(`${D}/${a.id}`, at(NOW)));
  assert.equal(g.attributes.lead_provider_name, s.a.name);
  const list = ok200(await s.b.api.get(D, { query: { 'filter[participant_id]': t.id } }));
  assert.deepEqual(list.map((d) => d.id), [a.id]);
  assert404(await s.b.api.put(`${D}/${a.id}/void`, {}, at(NOW)));
  assert.equal(sql(`SELECT state FROM declarations WHERE api_id = ${bin(a.id)}`)[0][0], 'submitted');
});

test('4.8: not visible once voided, or for another role, or dated after the viewer\'s period ended', async () => {
  const t = await teacher();
  const dp = await deliveryPartner();
  const schA = await school();
  const schB = await school();
  const spA = await schoolPeriod(t, schA, 'ect', '2024-09-01', { finished_on: '2024-10-20' });
  await trainingPeriod(spA, await partnership(schA, s.a, dp, 2024), '2024-09-01');
  const spB = await schoolPeriod(t, schB, 'mentor', '2024-09-01');
  await trainingPeriod(spB, await partnership(schB, s.b, dp, 2024), '2024-09-01');
  const a = ok200(await post(s.a, { participant_id: t.id, declaration_type: 'started', declaration_date: '2024-09-15T10:00:00Z', course_identifier: 'ecf-induction' }, NOW));
  assert404(await s.b.api.get(`${D}/${a.id}`)); // B trains them as a mentor only
  const list = ok200(await s.b.api.get(D, { query: { 'filter[participant_id]': t.id } }));
  assert.deepEqual(list, []);

  const { t: t2, a: a2 } = s.transfer;
  setDeclarationState(a2.id, 'voided');
  assert404(await s.b.api.get(`${D}/${a2.id}`));
  assert.deepEqual(ok200(await s.b.api.get(D, { query: { 'filter[participant_id]': t2.id } })), []);
  setDeclarationState(a2.id, 'submitted');
});

test('4.8: a provider that takes the teacher on after the declaration sees it too', async () => {
  const t = await teacher();
  const dp = await deliveryPartner();
  const schA = await school();
  const spA = await schoolPeriod(t, schA, 'ect', '2024-09-01');
  await trainingPeriod(spA, await partnership(schA, s.a, dp, 2024), '2024-09-01');
  const a = ok200(await post(s.a, { participant_id: t.id, declaration_type: 'started', declaration_date: '2024-09-15T10:00:00Z', course_identifier: 'ecf-induction' }, NOW));
  const schB = await school();
  const spB = await schoolPeriod(t, schB, 'ect', '2024-10-01');
  await trainingPeriod(spB, await partnership(schB, s.b, dp, 2024), '2024-10-01', 'ecf-standard-september', NOW);
  assert.equal(ok200(await s.b.api.get(`${D}/${a.id}`)).id, a.id);
  assert.deepEqual(ok200(await s.b.api.get(D, { query: { 'filter[participant_id]': t.id } })).map((d) => d.id), [a.id]);
  // Merged with B's own declarations in created_at order, page by page.
  const own = await participant(s.b);
  const b = ok200(await post(s.b, started(own), '2024-11-02T12:00:00Z'));
  const q = { 'filter[participant_id]': `${t.id},${own.teacher.id}` };
  assert.deepEqual(ok200(await s.b.api.get(D, { query: q })).map((d) => d.id), [a.id, b.id]);
  assert.deepEqual(ok200(await s.b.api.get(D, { query: { ...q, 'page[per_page]': 1 } })).map((d) => d.id), [a.id]);
  assert.deepEqual(ok200(await s.b.api.get(D, { query: { ...q, 'page[per_page]': 1, 'page[page]': 2 } })).map((d) => d.id), [b.id]);
  assert.deepEqual(ok200(await s.b.api.get(D, { query: { ...q, 'page[per_page]': 1, 'page[page]': 3 } })), []);
  assert.ok(ok200(await s.b.api.get(D, { query: { 'page[per_page]': 3000 } })).some((d) => d.id === a.id));
});

// ------------------------------------------------------------------ void

test('void: submitted -> voided (statement_id null), audit, the same POST then creates a new one', async () => {
  const { p, d } = s.eligible;
  const v = ok200(await s.a.api.put(`${D}/${d.id}/void`, {}, at(NOW)));
  assert.equal(v.id, d.id);
  assert.equal(v.attributes.state, 'voided');
  assert.equal(v.attributes.statement_id, null);
  assert.equal(v.attributes.updated_at, NOW);
  assert.deepEqual(sql(`SELECT a.event, a.status_before, a.status_after FROM audit_events a JOIN declarations d ON d.id = a.declaration_id
    WHERE d.api_id = ${bin(d.id)} ORDER BY a.id`), [['declaration.created', 'NULL', 'eligible'], ['declaration.voided', 'eligible', 'voided']]);
  assertError(await s.a.api.put(`${D}/${d.id}/void`, {}, at(NOW)), 422, 'participant_declaration_id', 'The declaration has already been voided.');
  const again = ok200(await post(s.a, started(p), NOW));
  assert.notEqual(again.id, d.id);
  assert.equal(rows(p.teacher.id), 2);
});

test('void: paid -> awaiting-clawback on the next open statement; then 422 refunded', async () => {
  const lp = await leadProvider('LP paid');
  const p = await participant(lp, { eligible: true });
  const st = await statement(lp, 2024, '2024-11-30');
  const d = ok200(await post(lp, started(p), NOW));
  setDeclarationState(d.id, 'paid', st.id);
  await statement(lp, 2024, '2024-10-31'); // deadline passed
  const next = await statement(lp, 2024, '2025-01-31');
  sql(`UPDATE statements SET state = 'paid' WHERE api_id = ${bin(st.id)}`);
  const v = ok200(await lp.api.put(`${D}/${d.id}/void`, {}, at(NOW)));
  assert.equal(v.attributes.state, 'awaiting-clawback');
  assert.equal(v.attributes.statement_id, st.id);
  assert.equal(v.attributes.clawback_statement_id, next.id);
  assertError(await lp.api.put(`${D}/${d.id}/void`, {}, at(NOW)), 422, 'participant_declaration_id', 'The declaration will or has been refunded');
  assert.equal(sql(`SELECT a.event FROM audit_events a JOIN declarations d ON d.id = a.declaration_id WHERE d.api_id = ${bin(d.id)} ORDER BY a.id DESC LIMIT 1`)[0][0], 'declaration.clawback_requested');
});

test('void: paid with no open statement (decision 13) -> 422, nothing changes', async () => {
  const lp = await leadProvider('LP clawback');
  const p = await participant(lp, { eligible: true });
  const st = await statement(lp, 2024, '2024-11-30');
  const d = ok200(await post(lp, started(p), NOW));
  setDeclarationState(d.id, 'paid', st.id);
  sql(`UPDATE statements SET state = 'payable' WHERE api_id = ${bin(st.id)}`);
  assertError(await lp.api.put(`${D}/${d.id}/void`, {}, at(NOW)), 422, 'participant_declaration_id',
    'You cannot submit or void declarations for the 2024 cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us');
  assert.equal(sql(`SELECT state FROM declarations WHERE api_id = ${bin(d.id)}`)[0][0], 'paid');
});

test('void: another provider\'s declaration and an unknown id -> 404', async () => {
  assert404(await s.b.api.put(`${D}/${s.first.d.id}/void`, {}, at(NOW)));
  assert404(await s.a.api.put(`${D}/00000000-0000-4000-8000-000000000000/void`, {}, at(NOW)));
  assert.equal(sql(`SELECT state FROM declarations WHERE api_id = ${bin(s.first.d.id)}`)[0][0], 'submitted');
});

test('void: a mentor\'s completed declaration re-runs completion (funding end cleared, a new period)', async () => {
  const { p, d } = s.mentor;
  const v = ok200(await s.a.api.put(`${D}/${d.id}/void`, {}, at(NOW25)));
  assert.equal(v.attributes.state, 'voided');
  assert.deepEqual(sql(`SELECT mentor_became_ineligible_on, mentor_ineligible_reason FROM teachers WHERE api_id = ${bin(p.teacher.id)}`), [['NULL', 'NULL']]);
  assert.deepEqual(sql(`SELECT tp.started_on, tp.finished_on FROM training_periods tp JOIN school_periods sp ON sp.id = tp.school_period_id
    WHERE sp.api_id = ${bin(p.sp.id)} ORDER BY tp.started_on`), [['2025-09-01', '2025-10-20'], ['2025-10-21', 'NULL']]);
  const part = ok200(await s.a.api.get(`/api/v3/participants/${p.teacher.id}`, at(NOW25)));
  const e = part.attributes.ecf_enrolments.find((x) => x.participant_type === 'mentor');
  assert.equal(e.mentor_funding_end_date, null);
});

await run();
closeAgent();
