// Output statements through the admin API (spec decisions 7 and 13, sections 4.5 and 4.6):
// GET one and the list with filters, PUT to payable and paid moving exactly the declarations
// 4.6 names (each with an audit event, in one transaction), refused transitions, and the
// funding-eligibility trigger (submitted -> eligible on the provider's next open statement)
// from induction periods, ECT school periods and mentor training periods. Declarations are
// written straight into the database (lib/statements_fixtures.mjs). Sandbox clock throughout.

import { test, run } from './lib/tap.mjs';
import { closeAgent } from './lib/client.mjs';
import { sql, forgetDocuments } from './lib/db.mjs';
import {
  assert, stack, ADMIN, assert403, assert404, assert401, assertMalformed, assertBadQuery,
  assertError, assertErrors,
} from './lib/fixtures.mjs';
import {
  adminPost, adminPut, adminGet, ok, bin, adminIdentity, providerWorld, newStatement,
  newTeacher, enrol, statementPk, insertDeclaration, declaration, declarationEvents,
  teacherFunding,
} from './lib/statements_fixtures.mjs';

const MISSING = '00000000-0000-4000-8000-000000000000';
const s = {};

test('setup: two providers with a 2025 partnership each', async () => {
  s.w = await providerWorld();
  s.other = await providerWorld();
  s.admin = adminIdentity();
}, { bail: true });

// ---------------------------------------------------------------- reads
test('GET /statements/{id}: the representation POST answered; 404 unknown or not a UUID', async () => {
  const created = await newStatement(s.w, '2025-12-31', '2026-01-25');
  const got = ok(await adminGet(`/statements/${created.id}`), 200);
  assert.deepEqual(got, created);
  assert404(await adminGet(`/statements/${MISSING}`));
  assert404(await adminGet('/statements/not-a-uuid'));
});

test('statements need the admin scope (401 without a token, 403 for a provider)', async () => {
  const st = await newStatement(s.w, '2025-12-30');
  assert401(await stack().anon.get(`${ADMIN}/statements`));
  assert403(await stack().demo.get(`${ADMIN}/statements`));
  assert403(await stack().demo.get(`${ADMIN}/statements/${st.id}`));
  assert403(await stack().demo.put(`${ADMIN}/statements/${st.id}`, { state: 'payable' }));
  assert.equal(ok(await adminGet(`/statements/${st.id}`), 200).state, 'open');
});

test('GET /statements: filters by provider, cohort and state, ordered by deadline; 400 for a bad filter', async () => {
  const w = await providerWorld();
  const late = await newStatement(w, '2026-03-31');
  const early = await newStatement(w, '2025-10-31');
  const mid = await newStatement(w, '2026-01-31');
  ok(await adminPut(`/statements/${mid.id}`, { state: 'payable' }, '2025-10-01T09:00:00Z'), 200);
  const all = ok(await adminGet('/statements', { query: { 'filter[lead_provider_id]': w.lp } }), 200);
  assert.deepEqual(all.data.map((x) => x.id), [early.id, mid.id, late.id]);
  assert.deepEqual(all.data.map((x) => x.state), ['open', 'payable', 'open']);
  const open = ok(await adminGet('/statements', { query: { 'filter[lead_provider_id]': w.lp, 'filter[state]': 'open' } }), 200);
  assert.deepEqual(open.data.map((x) => x.id), [early.id, late.id]);
  const blank = ok(await adminGet('/statements', { query: { 'filter[lead_provider_id]': w.lp, 'filter[state]': '', 'filter[cohort]': '' } }), 200);
  assert.equal(blank.data.length, 3);
  const other = ok(await adminGet('/statements', { query: { 'filter[lead_provider_id]': w.lp, 'filter[cohort]': '2024' } }), 200);
  assert.deepEqual(other.data, []);
  const cohort = ok(await adminGet('/statements', { query: { 'filter[lead_provider_id]': w.lp, 'filter[cohort]': '2025' } }), 200);
  assert.equal(cohort.data.length, 3);
  const everyone = ok(await adminGet('/statements'), 200);
  assert.ok(everyone.data.length >= 3);
  assertBadQuery(await adminGet('/statements', { query: { 'filter[state]': 'voided' } }), 'filter\\[state');
  assertBadQuery(await adminGet('/statements', { query: { 'filter[cohort]': '20x5' } }), 'filter\\[cohort');
  assertBadQuery(await adminGet('/statements', { query: { 'filter[lead_provider_id]': 'abc' } }), 'filter\\[lead_provider_id');
});

// ---------------------------------------------------------------- PUT validation
test('PUT /statements/{id}: 422 for a missing, unknown or open state; 404; 400 malformed', async () => {
  const st = await newStatement(s.w, '2025-11-15');
  const put = (body) => adminPut(`/statements/${st.id}`, body, '2025-10-01T09:00:00Z');
  assertError(await put({}), 422, 'state', 'state is required');
  assertError(await put({ state: 'bogus' }), 422, 'state', 'state must be payable or paid');
  assertError(await put({ state: 'open' }), 422, 'state', 'state must be payable or paid');
  assertError(await put({ state: 5 }), 422, 'state');
  assertErrors(await put({ state: 'payable', deadline_date: '2025-12-01' }), 422, ['deadline_date']);
  assertError(await put({ state: 'paid' }), 422, 'state', 'An open statement must be marked payable before it is paid');
  assert404(await adminPut(`/statements/${MISSING}`, { state: 'payable' }, '2025-10-01T09:00:00Z'));
  assert404(await adminPut('/statements/123', { state: 'payable' }, '2025-10-01T09:00:00Z'));
  assertMalformed(await stack().admin.put(`${ADMIN}/statements/${st.id}`, undefined, { body: '{"state":', contentType: 'application/json' }));
  assert.equal(ok(await adminGet(`/statements/${st.id}`), 200).state, 'open');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events WHERE statement_id = ${statementPk(st.id)}`)[0][0], '0');
});

// ---------------------------------------------------------------- PUT payable / paid
test('open -> payable moves exactly its eligible declarations to payable, audited, in one transaction', async () => {
  const w = s.w;
  const st = await newStatement(w, '2025-11-30');
  const st2 = await newStatement(w, '2025-12-31');
  const t1 = await newTeacher();
  const t2 = await newTeacher();
  const e1 = await enrol(w, t1, 'ect');
  const e2 = await enrol(w, t2, 'ect');
  const d = {
    eligible: insertDeclaration(w, t1.id, e1.tp.id, { type: 'started', state: 'eligible', statement: st.id }),
    eligible2: insertDeclaration(w, t1.id, e1.tp.id, { type: 'retained-1', state: 'eligible', statement: st.id }),
    otherStatement: insertDeclaration(w, t2.id, e2.tp.id, { type: 'started', state: 'eligible', statement: st2.id }),
    submitted: insertDeclaration(w, t2.id, e2.tp.id, { type: 'retained-1', state: 'submitted' }),
    voided: insertDeclaration(w, t2.id, e2.tp.id, { type: 'retained-2', state: 'voided', statement: st.id }),
    clawback: insertDeclaration(w, t1.id, e1.tp.id, { type: 'retained-2', state: 'awaiting-clawback', statement: st2.id, clawback: st.id }),
  };
  const body = ok(await adminPut(`/statements/${st.id}`, { state: 'payable' }, '2025-10-20T08:30:00Z'), 200);
  assert.deepEqual(body, { ...st, state: 'payable' });
  assert.equal(ok(await adminGet(`/statements/${st.id}`), 200).state, 'payable');

  for (const k of ['eligible', 'eligible2']) {
    assert.deepEqual(declaration(d[k]), { state: 'payable', statement: st.id, clawback: null, updated: '2025-10-20 08:30:00.000000' }, k);
    const ev = declarationEvents(d[k]);
    assert.equal(ev.length, 1, k);
    assert.deepEqual(ev[0], {
      event: 'declaration.state_changed', jti: s.admin.jti, actor: s.admin.sub, statement: statementPk(st.id),
      before: 'eligible', after: 'payable', details: { reason: 'statement_payable', statement_id: st.id },
      occurred: '2025-10-20 08:30:00.000000',
    });
  }
  assert.equal(declaration(d.otherStatement).state, 'eligible');
  assert.equal(declaration(d.submitted).state, 'submitted');
  assert.equal(declaration(d.voided).state, 'voided');
  assert.deepEqual(declaration(d.clawback), { state: 'awaiting-clawback', statement: st2.id, clawback: st.id, updated: '2025-09-06 10:00:00.000000' });
  for (const k of ['otherStatement', 'submitted', 'voided', 'clawback']) assert.deepEqual(declarationEvents(d[k]), [], k);

  const stEvents = sql(`SELECT event, status_before, status_after, details, token_jti, updated_at
    FROM audit_events a JOIN statements s ON s.id = a.statement_id
    WHERE a.statement_id = ${statementPk(st.id)} AND a.declaration_id IS NULL`);
  assert.deepEqual(stEvents, [['statement.state_changed', 'open', 'payable', '{"declarations_moved":2}', s.admin.jti, '2025-10-20 08:30:00.000000']]);

  // Same state again, and back to open: 422, nothing changes.
  assertError(await adminPut(`/statements/${st.id}`, { state: 'payable' }, '2025-10-21T08:30:00Z'), 422, 'state', 'The statement is already payable');
  assert.equal(declaration(d.eligible).updated, '2025-10-20 08:30:00.000000');
  s.paidCase = { st, st2, d };
});

test('payable -> paid: payable -> paid and awaiting-clawback -> clawed-back; a paid statement is final', async () => {
  const { st, st2, d } = s.paidCase;
  const w = s.w;
  const t3 = await newTeacher();
  const e3 = await enrol(w, t3, 'ect');
  // A paid declaration of st2 being clawed back on st; an eligible one left on payable st
  // cannot exist (the move took them), so plant one to show paid does not touch it.
  const paidOnSt2 = insertDeclaration(w, t3.id, e3.tp.id, { type: 'started', state: 'paid', statement: st2.id });
  const strayEligible = insertDeclaration(w, t3.id, e3.tp.id, { type: 'retained-1', state: 'eligible', statement: st.id });
  const body = ok(await adminPut(`/statements/${st.id}`, { state: 'paid' }, '2025-11-02T12:00:00Z'), 200);
  assert.equal(body.state, 'paid');
  for (const k of ['eligible', 'eligible2'])
    assert.deepEqual(declaration(d[k]), { state: 'paid', statement: st.id, clawback: null, updated: '2025-11-02 12:00:00.000000' }, k);
  assert.deepEqual(declaration(d.clawback), { state: 'clawed-back', statement: st2.id, clawback: st.id, updated: '2025-11-02 12:00:00.000000' });
  const cev = declarationEvents(d.clawback);
  assert.equal(cev.length, 1);
  assert.equal(cev[0].before, 'awaiting-clawback');
  assert.equal(cev[0].after, 'clawed-back');
  assert.deepEqual(cev[0].details, { reason: 'statement_paid', statement_id: st.id });
  assert.equal(declaration(paidOnSt2).state, 'paid');
  assert.equal(declaration(strayEligible).state, 'eligible');
  assert.equal(declaration(d.otherStatement).state, 'eligible');
  assert.deepEqual(declarationEvents(d.eligible).map((e) => `${e.before}>${e.after}`), ['eligible>payable', 'payable>paid']);

  assertError(await adminPut(`/statements/${st.id}`, { state: 'paid' }, '2025-11-03T12:00:00Z'), 422, 'state', 'The statement is already paid');
  assertError(await adminPut(`/statements/${st.id}`, { state: 'payable' }, '2025-11-03T12:00:00Z'), 422, 'state', 'A paid statement cannot change state');
  assert.equal(ok(await adminGet(`/statements/${st.id}`), 200).state, 'paid');
  assert.equal(sql(`SELECT state FROM statements WHERE id = ${statementPk(st.id)}`)[0][0], 'paid');
});

test('a statement may be marked payable before its deadline (decision 13) and then takes no new declaration', async () => {
  const w = await providerWorld();
  const early = await newStatement(w, '2026-01-31');
  const later = await newStatement(w, '2026-02-28');
  ok(await adminPut(`/statements/${early.id}`, { state: 'payable' }, '2025-10-01T09:00:00Z'), 200);
  const t = await newTeacher();
  const e = await enrol(w, t, 'ect');
  const pk = insertDeclaration(w, t.id, e.tp.id, { state: 'submitted' });
  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01' }, '2025-10-02T09:00:00Z'), 201);
  assert.equal(declaration(pk).statement, later.id, 'the next OPEN statement, not the payable one');
});

// ---------------------------------------------------------------- funding eligibility
test('an induction period covering today makes an ECT eligible: submitted -> eligible on the next open statement', async () => {
  const w = await providerWorld();
  const past = await newStatement(w, '2025-09-30');       // deadline before today
  const payable = await newStatement(w, '2025-10-10');    // earliest, but payable
  ok(await adminPut(`/statements/${payable.id}`, { state: 'payable' }, '2025-09-01T09:00:00Z'), 200);
  const later = await newStatement(w, '2025-12-31');
  const next = await newStatement(w, '2025-10-31');
  const t = await newTeacher();
  const e = await enrol(w, t, 'ect');
  const m = await enrol(s.other, t, 'mentor');
  const started = insertDeclaration(w, t.id, e.tp.id, { type: 'started' });
  const retained = insertDeclaration(w, t.id, e.tp.id, { type: 'retained-1' });
  const voided = insertDeclaration(w, t.id, e.tp.id, { type: 'retained-2', state: 'voided' });
  // The mentor role is a separate eligibility: its submitted declaration stays.
  sql(`UPDATE teachers SET mentor_first_became_eligible_at = NULL WHERE api_id = ${bin(t.id)}`);
  forgetDocuments({ teacher: t.id });
  const mentorDecl = insertDeclaration(s.other, t.id, m.tp.id, { type: 'started', course: 'ecf-mentor' });
  assert.equal(teacherFunding(t.id).ect, 'NULL');

  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01' }, '2025-10-05T10:00:00Z'), 201);
  for (const pk of [started, retained]) {
    assert.deepEqual(declaration(pk), { state: 'eligible', statement: next.id, clawback: null, updated: '2025-10-05 10:00:00.000000' });
    const ev = declarationEvents(pk);
    assert.equal(ev.length, 1);
    assert.deepEqual({ ...ev[0], occurred: undefined }, {
      event: 'declaration.state_changed', jti: s.admin.jti, actor: s.admin.sub, statement: statementPk(next.id),
      before: 'submitted', after: 'eligible', details: { reason: 'funding_eligible' }, occurred: undefined,
    });
  }
  assert.equal(declaration(voided).state, 'voided');
  assert.equal(declaration(mentorDecl).state, 'submitted');
  const f = teacherFunding(t.id);
  assert.equal(f.ect, '2025-10-05 10:00:00.000000');
  assert.equal(f.mentor, 'NULL');
  assert.equal(f.updated, '2025-10-05 10:00:00.000000');
  const tev = sql(`SELECT a.details FROM audit_events a JOIN teachers t ON t.id = a.teacher_id
    WHERE t.api_id = ${bin(t.id)} AND a.event = 'participant.funding_eligible' ORDER BY a.id`);
  // The first from the mentor enrolment above, then this one.
  assert.deepEqual(tev, [['{"role":"mentor","declarations_made_eligible":0}'], ['{"role":"ect","declarations_made_eligible":2}']]);
  // The provider sees eligible_for_funding through the participants API.
  assert.ok(past && later);

  // Eligibility is stamped once; a submitted declaration of an already eligible teacher (as
  // when another writer stamped the teacher first) still moves on the next change.
  const late = insertDeclaration(w, t.id, e.tp.id, { type: 'retained-3' });
  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-02' }, '2025-10-06T10:00:00Z'), 201);
  assert.equal(teacherFunding(t.id).ect, '2025-10-05 10:00:00.000000');
  assert.deepEqual(declaration(late), { state: 'eligible', statement: next.id, clawback: null, updated: '2025-10-06 10:00:00.000000' });
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events a JOIN teachers t ON t.id = a.teacher_id
    WHERE t.api_id = ${bin(t.id)} AND a.event = 'participant.funding_eligible'`)[0][0], '2', 'stamped once (plus the mentor)');
});

test('a teacher already stamped eligible by another writer: its submitted declarations still move', async () => {
  const w = await providerWorld();
  const st = await newStatement(w, '2025-12-31');
  const t = await newTeacher();
  const e = await enrol(w, t, 'ect');
  sql(`UPDATE teachers SET ect_first_became_eligible_at = '2025-10-01 00:00:00' WHERE api_id = ${bin(t.id)}`);
  forgetDocuments({ teacher: t.id });
  const pk = insertDeclaration(w, t.id, e.tp.id, {});
  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01' }, '2025-10-05T10:00:00Z'), 201);
  assert.deepEqual(declaration(pk), { state: 'eligible', statement: st.id, clawback: null, updated: '2025-10-05 10:00:00.000000' });
  assert.equal(teacherFunding(t.id).ect, '2025-10-01 00:00:00.000000', 'the first stamp stays');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events a JOIN teachers t ON t.id = a.teacher_id
    WHERE t.api_id = ${bin(t.id)} AND a.event = 'participant.funding_eligible'`)[0][0], '0');
});

test('no eligibility without a covering induction period or without an ECT school period', async () => {
  const w = await providerWorld();
  await newStatement(w, '2025-12-31');
  const t = await newTeacher();
  const e = await enrol(w, t, 'ect');
  const pk = insertDeclaration(w, t.id, e.tp.id, {});
  // Starts tomorrow; then one that finished yesterday (finished_on is exclusive: today too).
  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-10-06' }, '2025-10-05T10:00:00Z'), 201);
  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-01-01', finished_on: '2025-10-05' }, '2025-10-05T10:00:00Z'), 201);
  assert.equal(declaration(pk).state, 'submitted');
  assert.equal(teacherFunding(t.id).ect, 'NULL');

  // A covering induction period first, the ECT school period later: the school period completes it.
  const u = await newTeacher();
  ok(await adminPost(`/teachers/${u.id}/induction-periods`, { started_on: '2025-09-01' }, '2025-10-05T10:00:00Z'), 201);
  assert.equal(teacherFunding(u.id).ect, 'NULL');
  ok(await adminPost(`/teachers/${u.id}/school-periods`, {
    role: 'ect', school_urn: w.school.urn, email: `u.${Date.now()}@example.org`, started_on: '2025-09-01',
  }, '2025-10-07T10:00:00Z'), 201);
  const f = teacherFunding(u.id);
  assert.equal(f.ect, '2025-10-07 10:00:00.000000');
  assert.equal(f.updated, '2025-10-07 10:00:00.000000', 'eligibility moves updated_at');
});

test('409 when a provider has no open statement for the cohort: nothing of the change is stored', async () => {
  const w = await providerWorld();
  const t = await newTeacher();
  const e = await enrol(w, t, 'ect');
  const pk = insertDeclaration(w, t.id, e.tp.id, {});
  const before = teacherFunding(t.id);
  const r = await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01' }, '2025-10-05T10:00:00Z');
  assertError(r, 409, 'statement',
    `Lead provider ${w.lp} has no open output statement for cohort 2025 with a deadline on or after 2025-10-05: ` +
    "create one so that the participant's submitted declarations can become eligible");
  assert.equal(sql(`SELECT COUNT(*) FROM induction_periods i JOIN teachers t ON t.id = i.teacher_id WHERE t.api_id = ${bin(t.id)}`)[0][0], '0');
  assert.deepEqual(teacherFunding(t.id), before);
  assert.equal(declaration(pk).state, 'submitted');
  // Once finance opens a statement, the same request succeeds.
  const st = await newStatement(w, '2025-10-31');
  ok(await adminPost(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01' }, '2025-10-05T10:00:00Z'), 201);
  assert.deepEqual(declaration(pk).statement, st.id);
});

test('a mentor training period makes a mentor eligible unless they became ineligible', async () => {
  const w = await providerWorld();
  const st = await newStatement(w, '2025-12-31');
  const t = await newTeacher();
  const first = await enrol(w, t, 'mentor', { instant: '2025-09-10T10:00:00Z' });
  assert.equal(teacherFunding(t.id).mentor, '2025-09-10 10:00:00.000000', 'the first mentor training period');
  // Replay the trigger with a submitted declaration on file (eligibility cleared by hand).
  sql(`UPDATE teachers SET mentor_first_became_eligible_at = NULL WHERE api_id = ${bin(t.id)}`);
  forgetDocuments({ teacher: t.id });
  const pk = insertDeclaration(w, t.id, first.tp.id, { type: 'started', course: 'ecf-mentor' });
  ok(await adminPost(`/school-periods/${first.sp.id}/training-periods`, {
    partnership_id: w.partnership, started_on: '2025-10-01', schedule_identifier: 'ecf-standard-september',
  }, '2025-10-03T10:00:00Z'), 201);
  assert.deepEqual(declaration(pk), { state: 'eligible', statement: st.id, clawback: null, updated: '2025-10-03 10:00:00.000000' });
  assert.equal(teacherFunding(t.id).mentor, '2025-10-03 10:00:00.000000');
  assert.equal(teacherFunding(t.id).ect, 'NULL');

  const u = await newTeacher();
  const eu = await enrol(w, u, 'mentor');
  sql(`UPDATE teachers SET mentor_first_became_eligible_at = NULL, mentor_became_ineligible_on = '2025-09-20',
         mentor_ineligible_reason = 'completed_declaration_received' WHERE api_id = ${bin(u.id)}`);
  forgetDocuments({ teacher: u.id });
  const upk = insertDeclaration(w, u.id, eu.tp.id, { type: 'started', course: 'ecf-mentor' });
  ok(await adminPost(`/school-periods/${eu.sp.id}/training-periods`, {
    partnership_id: w.partnership, started_on: '2025-10-01', schedule_identifier: 'ecf-standard-september',
  }, '2025-10-03T10:00:00Z'), 201);
  assert.equal(declaration(upk).state, 'submitted');
  assert.equal(teacherFunding(u.id).mentor, 'NULL');
});

await run();
closeAgent();
