// Admin data API (/api/admin/v1): delivery partners, schools, cohorts, partnerships,
// statements, teachers, school/training/induction periods, mentorships, merges; default
// schedule assignment (spec 3.3), updated_at movement (spec 1.5), the teacher_lead_providers
// rebuild and merges (spec 8.1). Requests run on the sandbox clock (X-With-Server-Date) so
// dates and timestamps are exact; every test makes its own teachers, schools and partners.

import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { test, run } from './lib/tap.mjs';
import { closeAgent } from './lib/client.mjs';
import {
  assert,
  stack,
  uniq,
  assert401,
  assert403,
  assert404,
  assertMalformed,
  assertErrors,
  assertError,
  ADMIN,
} from './lib/fixtures.mjs';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MISSING = '00000000-0000-4000-8000-000000000000';
const s = {};

// ---------------------------------------------------------------- helpers
const at = (instant) => ({ headers: { 'X-With-Server-Date': instant } });
const post = (p, body, instant = '2025-09-10T10:00:00Z') => stack().admin.post(`${ADMIN}${p}`, body, at(instant));
const put = (p, body, instant = '2025-09-10T10:00:00Z') => stack().admin.put(`${ADMIN}${p}`, body, at(instant));

function ok(r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  return r.json;
}

/** Rows of a query on the stack's database (tab-separated cells, NULL as 'NULL'). */
function sql(query) {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-c', 'source "$ECF_TEST_STACK_LIB" >/dev/null && stack_load "$ECF_TEST_ROOT" && db_sql -N -B ecf -e "$Q"'],
      { env: { ...process.env, Q: query }, timeout: 20000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`sql failed: ${stderr || err.message}`));
        else resolve(stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')));
      },
    );
  });
}
const hasDb = () => Boolean(process.env.ECF_TEST_STACK_LIB && process.env.ECF_TEST_ROOT);
const bin = (uuid) => `UNHEX('${uuid.replace(/-/g, '')}')`;

async function newSchool(extra = {}) {
  for (let i = 0; i < 5; i++) {
    const urn = String(randomInt(100000, 1000000));
    const r = await post('/schools', { urn, name: `School ${uniq()}`, ...extra });
    if (r.status === 409) continue;
    return ok(r, 201);
  }
  throw new Error('no free URN');
}
async function newTeacher(instant) {
  return ok(await post('/teachers', { full_name: `Teacher ${uniq()}` }, instant), 201);
}
async function newPeriod(teacherId, body, instant) {
  const b = { role: 'ect', school_urn: s.school.urn, email: `${uniq()}@example.org`, started_on: '2025-09-01', ...body };
  return ok(await post(`/teachers/${teacherId}/school-periods`, b, instant), 201);
}
async function newTraining(schoolPeriodId, body, instant) {
  return ok(await post(`/school-periods/${schoolPeriodId}/training-periods`, body, instant), 201);
}
async function teacherNow(id, instant = '2030-01-01T00:00:00Z') {
  return ok(await put(`/teachers/${id}`, {}, instant), 200); // an empty PUT changes nothing
}
async function partnership(schoolUrn, lp, cohort) {
  return ok(await post('/partnerships', { school_urn: schoolUrn, lead_provider_id: lp, delivery_partner_id: s.dp.id, cohort }), 201);
}

// ---------------------------------------------------------------- setup
test('setup: lead providers, a delivery partner, schools and partnerships', async () => {
  s.lp1 = stack().demoLeadProviderId;
  s.lp2 = ok(await stack().admin.post(`${ADMIN}/lead-providers`, { name: `LP ${uniq()}` }), 201).id;
  s.dp = ok(await post('/delivery-partners', { name: `DP ${uniq()}` }), 201);
  s.school = await newSchool();
  s.school2 = await newSchool();
  s.p2025 = await partnership(s.school.urn, s.lp1, 2025);
  s.p2024 = await partnership(s.school.urn, s.lp1, 2024);
  s.p2022 = await partnership(s.school.urn, s.lp1, 2022);
  s.p2025lp2 = await partnership(s.school.urn, s.lp2, 2025);
  s.p2025school2 = await partnership(s.school2.urn, s.lp2, 2025);
}, { bail: true });

// ---------------------------------------------------------------- auth and body
test('the admin data routes need the admin scope (401 without a token, 403 for a provider)', async () => {
  assert401(await stack().anon.post(`${ADMIN}/schools`, { urn: '123456', name: 'x' }));
  assert403(await stack().demo.post(`${ADMIN}/teachers`, { full_name: 'x' }));
  assert403(await stack().demo.put(`${ADMIN}/cohorts/2025`, {}));
});

test('malformed JSON answers 400 on every admin data create', async () => {
  for (const p of ['/delivery-partners', '/schools', '/partnerships', '/statements', '/teachers', '/mentorships', '/teachers/merge'])
    assertMalformed(await stack().admin.post(`${ADMIN}${p}`, undefined, { body: '{"name":', contentType: 'application/json' }));
  assertMalformed(await stack().admin.put(`${ADMIN}/cohorts/2025`, undefined, { body: '[1]', contentType: 'application/json' }));
});

// ---------------------------------------------------------------- delivery partners
test('POST /delivery-partners: 201 {id, name, created_at}; 409 for the same name; 422 without one', async () => {
  const name = `Delivery ${uniq()}`;
  const r = ok(await post('/delivery-partners', { name }, '2025-09-10T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(r).sort(), ['created_at', 'id', 'name']);
  assert.match(r.id, UUID_RE);
  assert.equal(r.name, name);
  assert.equal(r.created_at, '2025-09-10T10:00:00Z');
  assertError(await post('/delivery-partners', { name }), 409, 'name');
  assertError(await post('/delivery-partners', {}), 422, 'name');
  assertError(await post('/delivery-partners', { name: '' }), 422, 'name');
  assertError(await post('/delivery-partners', { name: 5 }), 422, 'name');
});

// ---------------------------------------------------------------- schools
test('POST /schools: 201 with the uplifts (default false), 409 for a taken URN', async () => {
  const a = await newSchool();
  assert.deepEqual(Object.keys(a).sort(), ['created_at', 'id', 'name', 'pupil_premium_uplift', 'sparsity_uplift', 'urn']);
  assert.equal(a.pupil_premium_uplift, false);
  assert.equal(a.sparsity_uplift, false);
  const b = await newSchool({ pupil_premium_uplift: true, sparsity_uplift: true });
  assert.equal(b.pupil_premium_uplift, true);
  assert.equal(b.sparsity_uplift, true);
  assertError(await post('/schools', { urn: a.urn, name: 'Again' }), 409, 'urn');
});

test('POST /schools: 422 per bad field (urn format, name, uplift type, unknown field)', async () => {
  assertErrors(await post('/schools', { urn: '12345', name: '' }), 422, ['name', 'urn']);
  assertError(await post('/schools', { urn: '12345a', name: 'x' }), 422, 'urn');
  assertError(await post('/schools', { urn: 123456, name: 'x' }), 422, 'urn');
  assertError(await post('/schools', { urn: '123456', name: 'x', sparsity_uplift: 'yes' }), 422, 'sparsity_uplift');
  assertErrors(await post('/schools', {}), 422, ['name', 'urn']);
  assertError(await post('/schools', { urn: '123456', name: 'x', colour: 'red' }), 422, 'colour');
});

// ---------------------------------------------------------------- cohorts
test('PUT /cohorts/{next year}: 201, contract period dates, the latest flags, 12 schedules and their milestones', async () => {
  // An empty PUT of an existing cohort changes nothing (200): walk to the first absent year.
  let y = 2026;
  let latest = ok(await put(`/cohorts/${y}`, {}), 200);
  let r;
  for (y = 2027; ; y++) {
    r = await put(`/cohorts/${y}`, {});
    if (r.status !== 200) break;
    latest = r.json;
  }
  assert.deepEqual(ok(r, 201), {
    year: y,
    started_on: `${y}-06-01`,
    finished_on: `${y + 1}-05-31`,
    payments_frozen_at: null,
    mentor_funding_enabled: latest.mentor_funding_enabled,
    detailed_evidence_types_enabled: latest.detailed_evidence_types_enabled,
    uplift_fees_enabled: latest.uplift_fees_enabled,
  });
  s.newCohort = y;
  if (!hasDb()) return;
  const schedules = await sql(`SELECT id, identifier, name, type FROM schedules WHERE cohort = ${y} ORDER BY id`);
  assert.equal(schedules.length, 12);
  assert.deepEqual(schedules[0], [String(y * 100 + 1), 'ecf-standard-september', 'ECF Standard September', 'ecf_standard']);
  assert.deepEqual(schedules[11], [String(y * 100 + 12), 'ecf-replacement-april', 'ECF Replacement April', 'ecf_replacement']);
  const ms = await sql(`SELECT s.identifier, COUNT(*), MIN(m.start_date), MAX(m.start_date), MAX(m.milestone_date), MIN(m.payment_date = m.start_date)
    FROM milestones m JOIN schedules s ON s.id = m.schedule_id WHERE s.cohort = ${y} GROUP BY s.identifier ORDER BY s.identifier`);
  const by = Object.fromEntries(ms.map((row) => [row[0], row.slice(1)]));
  assert.deepEqual(by['ecf-standard-september'], ['6', `${y}-06-01`, `${y}-06-01`, 'NULL', '1']);
  assert.deepEqual(by['ecf-extended-september'], ['9', `${y}-09-01`, `${y}-09-01`, 'NULL', '1']);
  assert.deepEqual(by['ecf-reduced-january'], ['6', `${y + 1}-01-01`, `${y + 1}-01-01`, 'NULL', '1']);
  assert.deepEqual(by['ecf-replacement-april'], ['6', `${y + 1}-04-01`, `${y + 1}-04-01`, 'NULL', '1']);
  const total = await sql(`SELECT COUNT(*) FROM milestones m JOIN schedules s ON s.id = m.schedule_id WHERE s.cohort = ${y}`);
  assert.equal(total[0][0], '81');
});

test('PUT /cohorts/{year} of an existing cohort: 200, sets only the fields given', async (t) => {
  if (!s.newCohort) return t.skip('no cohort created');
  const y = s.newCohort;
  const before = ok(await put(`/cohorts/${y}`, {}), 200);
  const r = ok(await put(`/cohorts/${y}`, { payments_frozen_at: '2031-06-18T00:00:00Z', uplift_fees_enabled: true }), 200);
  assert.equal(r.payments_frozen_at, '2031-06-18T00:00:00Z');
  assert.equal(r.uplift_fees_enabled, true);
  assert.equal(r.mentor_funding_enabled, before.mentor_funding_enabled);
  assert.equal(r.detailed_evidence_types_enabled, before.detailed_evidence_types_enabled);
  const back = ok(await put(`/cohorts/${y}`, { payments_frozen_at: null, mentor_funding_enabled: false }), 200);
  assert.equal(back.payments_frozen_at, null);
  assert.equal(back.mentor_funding_enabled, false);
  assert.equal(back.uplift_fees_enabled, true);
  const same = ok(await put(`/cohorts/${y}`, {}), 200);
  assert.deepEqual(same, back);
});

test('PUT /cohorts/{year}: 422 for a gap or a bad field, 404 for a path that is not a year', async () => {
  assertError(await put('/cohorts/2090', {}), 422, 'year');
  assertError(await put('/cohorts/2019', {}), 422, 'year');
  assertError(await put('/cohorts/2026', { payments_frozen_at: 'soon' }), 422, 'payments_frozen_at');
  assertError(await put('/cohorts/2026', { uplift_fees_enabled: 1 }), 422, 'uplift_fees_enabled');
  assert404(await put('/cohorts/20x6', {}));
  assert404(await put('/cohorts/202', {}));
});

// ---------------------------------------------------------------- partnerships
test('POST /partnerships: 201 with the four; 409 for the same four again', async () => {
  const school = await newSchool();
  const body = { school_urn: school.urn, lead_provider_id: s.lp1, delivery_partner_id: s.dp.id, cohort: 2023 };
  const r = ok(await post('/partnerships', body, '2025-09-10T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(r).sort(), ['cohort', 'created_at', 'delivery_partner_id', 'id', 'lead_provider_id', 'school_urn']);
  assert.equal(r.school_urn, school.urn);
  assert.equal(r.lead_provider_id, s.lp1);
  assert.equal(r.delivery_partner_id, s.dp.id);
  assert.equal(r.cohort, 2023);
  assert.equal(r.created_at, '2025-09-10T10:00:00Z');
  assertError(await post('/partnerships', body), 409, 'partnership');
});

test('POST /partnerships: 404 for an unknown school, lead provider, delivery partner or cohort', async () => {
  const body = { school_urn: s.school.urn, lead_provider_id: s.lp1, delivery_partner_id: s.dp.id, cohort: 2023 };
  assert404(await post('/partnerships', { ...body, school_urn: '000000' }));
  assert404(await post('/partnerships', { ...body, lead_provider_id: MISSING }));
  assert404(await post('/partnerships', { ...body, delivery_partner_id: MISSING }));
  assert404(await post('/partnerships', { ...body, cohort: 2099 }));
});

test('POST /partnerships: 422 per bad field', async () => {
  assertErrors(await post('/partnerships', { school_urn: '1234', lead_provider_id: 'x', delivery_partner_id: 'y', cohort: '2025' }), 422,
    ['cohort', 'delivery_partner_id', 'lead_provider_id', 'school_urn']);
  assertErrors(await post('/partnerships', {}), 422, ['cohort', 'delivery_partner_id', 'lead_provider_id', 'school_urn']);
});

// ---------------------------------------------------------------- statements
test('POST /statements: 201 state open; 404 unknown provider or cohort; 422 per bad field', async () => {
  const r = ok(await post('/statements', { lead_provider_id: s.lp2, cohort: 2025, deadline_date: '2025-10-31', payment_date: '2025-11-30' }, '2025-09-10T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(r).sort(), ['cohort', 'created_at', 'deadline_date', 'id', 'lead_provider_id', 'payment_date', 'state']);
  assert.equal(r.state, 'open');
  assert.equal(r.deadline_date, '2025-10-31');
  assert.equal(r.payment_date, '2025-11-30');
  assert.equal(r.cohort, 2025);
  assert404(await post('/statements', { lead_provider_id: MISSING, cohort: 2025, deadline_date: '2025-10-31', payment_date: '2025-11-30' }));
  assert404(await post('/statements', { lead_provider_id: s.lp2, cohort: 2099, deadline_date: '2025-10-31', payment_date: '2025-11-30' }));
  assertErrors(await post('/statements', { lead_provider_id: s.lp2, cohort: 2025, deadline_date: '2025-02-30', payment_date: '31/10/2025' }), 422,
    ['deadline_date', 'payment_date']);
  assertErrors(await post('/statements', {}), 422, ['cohort', 'deadline_date', 'lead_provider_id', 'payment_date']);
});

// ---------------------------------------------------------------- teachers
test('POST /teachers: 201 with training record ids; trn optional; 409 for a taken TRN; 422', async () => {
  const a = ok(await post('/teachers', { full_name: 'Ada Lovelace' }, '2025-09-10T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(a).sort(), ['created_at', 'ect_became_ineligible_on', 'ect_training_record_id', 'full_name', 'id', 'mentor_training_record_id',
    'trn', 'trs_induction_completed_date', 'trs_induction_start_date', 'updated_at']);
  assert.equal(a.trn, null);
  assert.equal(a.created_at, '2025-09-10T10:00:00Z');
  assert.equal(a.updated_at, '2025-09-10T10:00:00Z');
  assert.notEqual(a.ect_training_record_id, a.mentor_training_record_id);
  const trn = String(randomInt(1000000, 10000000));
  const b = await post('/teachers', { full_name: 'Grace Hopper', trn });
  if (b.status === 409) return; // a TRN another run took; the 409 path is then covered
  assert.equal(ok(b, 201).trn, trn);
  assertError(await post('/teachers', { full_name: 'Someone Else', trn }), 409, 'trn');
  s.trn = trn;
  assertError(await post('/teachers', { full_name: 'x', trn: '123456' }), 422, 'trn');
  assertErrors(await post('/teachers', { trn: 'abcdefg' }), 422, ['full_name', 'trn']);
  assertError(await post('/teachers', { full_name: 'x', trn: null, id: 'mine' }), 422, 'id');
});

test('PUT /teachers/{id}: a new name or TRN moves updated_at; the same values do not', async () => {
  const t = await newTeacher('2025-09-10T10:00:00Z');
  const same = ok(await put(`/teachers/${t.id}`, { full_name: t.full_name, trn: null }, '2025-09-11T10:00:00Z'), 200);
  assert.equal(same.updated_at, '2025-09-10T10:00:00Z');
  const renamed = ok(await put(`/teachers/${t.id}`, { full_name: 'New Name' }, '2025-09-12T10:00:00Z'), 200);
  assert.equal(renamed.full_name, 'New Name');
  assert.equal(renamed.updated_at, '2025-09-12T10:00:00Z');
  assert.equal(renamed.created_at, '2025-09-10T10:00:00Z');
  const trn = String(randomInt(1000000, 10000000));
  const withTrn = await put(`/teachers/${t.id}`, { trn }, '2025-09-13T10:00:00Z');
  if (withTrn.status === 200) {
    assert.equal(withTrn.json.trn, trn);
    assert.equal(withTrn.json.updated_at, '2025-09-13T10:00:00Z');
  }
});

test('PUT /teachers/{id}: 404 unknown or not a UUID, 409 taken TRN, 422 bad fields', async () => {
  assert404(await put(`/teachers/${MISSING}`, { full_name: 'x' }));
  assert404(await put('/teachers/nope', { full_name: 'x' }));
  const t = await newTeacher();
  if (s.trn) assertError(await put(`/teachers/${t.id}`, { trn: s.trn }), 409, 'trn');
  assertErrors(await put(`/teachers/${t.id}`, { full_name: '', trn: '12' }), 422, ['full_name', 'trn']);
  assertError(await put(`/teachers/${t.id}`, { full_name: null }), 422, 'full_name');
});

// ---------------------------------------------------------------- school periods
test('POST /teachers/{id}/school-periods: 201; a school period alone does not move updated_at', async () => {
  const t = await newTeacher('2025-09-10T10:00:00Z');
  const email = `${uniq()}@example.org`;
  const r = ok(await post(`/teachers/${t.id}/school-periods`, { role: 'ect', school_urn: s.school.urn, email, started_on: '2025-09-01', working_pattern: 'part_time' }, '2025-09-11T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(r).sort(), ['created_at', 'email', 'finished_on', 'id', 'participant_id', 'role', 'school_urn', 'started_on', 'working_pattern']);
  assert.equal(r.participant_id, t.id);
  assert.equal(r.role, 'ect');
  assert.equal(r.school_urn, s.school.urn);
  assert.equal(r.email, email);
  assert.equal(r.started_on, '2025-09-01');
  assert.equal(r.finished_on, null);
  assert.equal(r.working_pattern, 'part_time');
  const m = ok(await post(`/teachers/${t.id}/school-periods`, { role: 'mentor', school_urn: s.school.urn, email, started_on: '2025-09-01', finished_on: '2026-07-31' }), 201);
  assert.equal(m.working_pattern, null);
  assert.equal(m.finished_on, '2026-07-31');
  assert.equal((await teacherNow(t.id)).updated_at, '2025-09-10T10:00:00Z');
});

test('POST /teachers/{id}/school-periods: 404 unknown teacher or school; 422 per bad field', async () => {
  const t = await newTeacher();
  const body = { role: 'ect', school_urn: s.school.urn, email: 'a@example.org', started_on: '2025-09-01' };
  assert404(await post(`/teachers/${MISSING}/school-periods`, body));
  assert404(await post(`/teachers/${t.id}/school-periods`, { ...body, school_urn: '000000' }));
  assertError(await post(`/teachers/${t.id}/school-periods`, { ...body, role: 'teacher' }), 422, 'role');
  assertError(await post(`/teachers/${t.id}/school-periods`, { ...body, role: 'mentor', working_pattern: 'full_time' }), 422, 'working_pattern');
  assertError(await post(`/teachers/${t.id}/school-periods`, { ...body, working_pattern: 'weekends' }), 422, 'working_pattern');
  assertError(await post(`/teachers/${t.id}/school-periods`, { ...body, finished_on: '2025-08-31' }), 422, 'finished_on');
  assertErrors(await post(`/teachers/${t.id}/school-periods`, { ...body, email: 'nope', started_on: '2025-13-01', school_urn: 'abc' }), 422,
    ['email', 'school_urn', 'started_on']);
  assertErrors(await post(`/teachers/${t.id}/school-periods`, {}), 422, ['email', 'role', 'school_urn', 'started_on']);
});

test('PUT /school-periods/{id}: a new email moves updated_at; finished_on does not; 404; 422', async () => {
  const t = await newTeacher('2025-09-10T10:00:00Z');
  const sp = await newPeriod(t.id, {}, '2025-09-10T10:00:00Z');
  const fin = ok(await put(`/school-periods/${sp.id}`, { finished_on: '2026-03-31' }, '2025-09-11T10:00:00Z'), 200);
  assert.equal(fin.finished_on, '2026-03-31');
  assert.equal(fin.email, sp.email);
  assert.equal((await teacherNow(t.id)).updated_at, '2025-09-10T10:00:00Z');
  const email = `${uniq()}@example.org`;
  const e = ok(await put(`/school-periods/${sp.id}`, { email }, '2025-09-12T10:00:00Z'), 200);
  assert.equal(e.email, email);
  assert.equal(e.finished_on, '2026-03-31');
  assert.equal((await teacherNow(t.id)).updated_at, '2025-09-12T10:00:00Z');
  const reopened = ok(await put(`/school-periods/${sp.id}`, { finished_on: null }), 200);
  assert.equal(reopened.finished_on, null);
  assert404(await put(`/school-periods/${MISSING}`, { email }));
  assertError(await put(`/school-periods/${sp.id}`, { finished_on: '2025-08-01' }), 422, 'finished_on');
  assertError(await put(`/school-periods/${sp.id}`, { email: 'x' }), 422, 'email');
  assertError(await put(`/school-periods/${sp.id}`, { role: 'mentor' }), 422, 'role');
});

// ---------------------------------------------------------------- training periods
test('POST training-periods without a partnership: school-led, no schedule, moves updated_at', async () => {
  const t = await newTeacher('2025-09-10T10:00:00Z');
  const sp = await newPeriod(t.id, {}, '2025-09-10T10:00:00Z');
  const r = await newTraining(sp.id, { started_on: '2025-09-01' }, '2025-09-11T10:00:00Z');
  assert.deepEqual(Object.keys(r).sort(), ['cohort', 'created_at', 'finished_on', 'id', 'lead_provider_id', 'participant_id', 'partnership_id', 'schedule_identifier', 'school_period_id', 'started_on']);
  assert.equal(r.partnership_id, null);
  assert.equal(r.lead_provider_id, null);
  assert.equal(r.cohort, null);
  assert.equal(r.schedule_identifier, null);
  assert.equal(r.school_period_id, sp.id);
  assert.equal(r.participant_id, t.id);
  assert.equal((await teacherNow(t.id)).updated_at, '2025-09-11T10:00:00Z');
  if (hasDb()) {
    const rows = await sql(`SELECT COUNT(*) FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id WHERE t.api_id = ${bin(t.id)}`);
    assert.equal(rows[0][0], '0', 'school-led periods make no metadata row');
  }
});

test('default schedule (3.3 step 5): the month of the later of start date and today, in the partnership cohort', async () => {
  const cases = [
    ['2025-09-01', '2025-09-10T10:00:00Z', 'ecf-standard-september'],
    ['2025-06-15', '2025-06-20T10:00:00Z', 'ecf-standard-september'],
    ['2025-11-03', '2025-09-10T10:00:00Z', 'ecf-standard-january'],
    ['2026-02-28', '2026-02-01T10:00:00Z', 'ecf-standard-january'],
    ['2026-03-01', '2025-09-10T10:00:00Z', 'ecf-standard-april'],
    ['2025-09-01', '2026-04-10T10:00:00Z', 'ecf-standard-april'], // today is later than the start
  ];
  for (const [started, now, expected] of cases) {
    const t = await newTeacher(now);
    const sp = await newPeriod(t.id, { started_on: started }, now);
    const r = await newTraining(sp.id, { partnership_id: s.p2025.id, started_on: started }, now);
    assert.equal(r.schedule_identifier, expected, `${started} at ${now}`);
    assert.equal(r.cohort, 2025);
    assert.equal(r.partnership_id, s.p2025.id);
    assert.equal(r.lead_provider_id, s.lp1);
  }
});

test('default schedule for mentors is standard too (no replacement facts yet)', async () => {
  const t = await newTeacher();
  const sp = await newPeriod(t.id, { role: 'mentor' });
  const r = await newTraining(sp.id, { partnership_id: s.p2025.id, started_on: '2025-12-01' });
  assert.equal(r.schedule_identifier, 'ecf-standard-january');
});

test('default schedule (3.3 step 5): replacement for a mentor whose mentee was declared under an earlier mentor', async (t) => {
  if (!hasDb()) return t.skip('no database access (ECF_TEST_STACK_LIB) to place the declaration');
  const ect = await newTeacher();
  const first = await newTeacher();
  const second = await newTeacher();
  const esp = await newPeriod(ect.id);
  const m1 = await newPeriod(first.id, { role: 'mentor' });
  const m2 = await newPeriod(second.id, { role: 'mentor' });
  const etp = await newTraining(esp.id, { partnership_id: s.p2025.id, started_on: '2025-09-01' });
  ok(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: m1.id, started_on: '2025-09-01', finished_on: '2025-12-31' }), 201);
  ok(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: m2.id, started_on: '2026-01-05' }, '2026-01-05T09:00:00Z'), 201);
  // the ECT's started declaration, dated inside the first mentorship (the declarations API is not the admin API's)
  await sql(`INSERT INTO declarations (api_id, teacher_id, training_period_id, lead_provider_id, cohort, course_identifier,
      declaration_type, declaration_date, state, delivery_partner_id, created_at, updated_at)
    SELECT UNHEX(REPLACE(UUID(), '-', '')), sp.teacher_id, tp.id, tp.lead_provider_id, tp.cohort, 'ecf-induction', 'started',
      '2025-10-01 10:00:00', 'submitted', p.delivery_partner_id, '2025-10-01 10:00:00', '2025-10-01 10:00:00'
    FROM training_periods tp JOIN school_periods sp ON sp.id = tp.school_period_id JOIN partnerships p ON p.id = tp.partnership_id
    WHERE tp.api_id = ${bin(etp.id)}`);
  const r = await newTraining(m2.id, { partnership_id: s.p2025.id, started_on: '2026-01-05' }, '2026-01-05T10:00:00Z');
  assert.equal(r.schedule_identifier, 'ecf-replacement-january');
  // the first mentor has no earlier mentor to replace: standard
  const own = await newTraining(m1.id, { partnership_id: s.p2025.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  assert.equal(own.schedule_identifier, 'ecf-standard-september');
});

test('default schedule (3.3 steps 3 and 4): reuse the previous schedule in the same cohort, else its identifier', async () => {
  const t = await newTeacher();
  const sp = await newPeriod(t.id, { started_on: '2024-09-01' });
  const first = await newTraining(sp.id, { partnership_id: s.p2024.id, started_on: '2024-09-01', finished_on: '2025-03-31', schedule_identifier: 'ecf-extended-january' }, '2024-09-05T10:00:00Z');
  assert.equal(first.schedule_identifier, 'ecf-extended-january');
  assert.equal(first.cohort, 2024);
  // step 3: same cohort -> the same schedule, whatever the month
  const again = await newTraining(sp.id, { partnership_id: s.p2024.id, started_on: '2025-04-01', finished_on: '2025-05-01' }, '2025-04-02T10:00:00Z');
  assert.equal(again.schedule_identifier, 'ecf-extended-january');
  assert.equal(again.cohort, 2024);
  // step 4: another cohort -> the same identifier there
  const next = await newTraining(sp.id, { partnership_id: s.p2025.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  assert.equal(next.schedule_identifier, 'ecf-extended-january');
  assert.equal(next.cohort, 2025);
});

test('default schedule (3.3 step 2): an ECT after a frozen cohort goes to 2024 extended september', async () => {
  const t = await newTeacher('2022-09-05T10:00:00Z');
  const sp = await newPeriod(t.id, { started_on: '2022-09-01' }, '2022-09-05T10:00:00Z');
  const old = await newTraining(sp.id, { partnership_id: s.p2022.id, started_on: '2022-09-01', finished_on: '2023-07-31' }, '2022-09-05T10:00:00Z');
  assert.equal(old.schedule_identifier, 'ecf-standard-september');
  // 2022 payments froze on 2025-06-16: a 2025 partnership cannot take the default
  const r = await post(`/school-periods/${sp.id}/training-periods`, { partnership_id: s.p2025.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  assertError(r, 422, 'partnership_id', /ecf-extended-september in cohort 2024/);
  const moved = await newTraining(sp.id, { partnership_id: s.p2024.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  assert.equal(moved.schedule_identifier, 'ecf-extended-september');
  assert.equal(moved.cohort, 2024);
});

test('a named schedule is used; 422 when it is not a schedule of the cohort or does not suit the role', async () => {
  const t = await newTeacher();
  const sp = await newPeriod(t.id);
  const r = await newTraining(sp.id, { partnership_id: s.p2025.id, started_on: '2025-09-01', schedule_identifier: 'ecf-reduced-april' });
  assert.equal(r.schedule_identifier, 'ecf-reduced-april');
  const body = { partnership_id: s.p2025.id, started_on: '2025-09-01' };
  assertError(await post(`/school-periods/${sp.id}/training-periods`, { ...body, schedule_identifier: 'ecf-standard-may' }), 422, 'schedule_identifier');
  assertError(await post(`/school-periods/${sp.id}/training-periods`, { ...body, schedule_identifier: 'ecf-replacement-april' }), 422, 'schedule_identifier');
  const m = await newPeriod(t.id, { role: 'mentor' });
  assertError(await post(`/school-periods/${m.id}/training-periods`, { ...body, schedule_identifier: 'ecf-reduced-january' }), 422, 'schedule_identifier');
  assertError(await post(`/school-periods/${sp.id}/training-periods`, { started_on: '2025-09-01', schedule_identifier: 'ecf-standard-september' }), 422, 'schedule_identifier');
});

test('POST training-periods: 404 unknown school period or partnership; 422 per bad field', async () => {
  const t = await newTeacher();
  const sp = await newPeriod(t.id);
  assert404(await post(`/school-periods/${MISSING}/training-periods`, { started_on: '2025-09-01' }));
  assert404(await post(`/school-periods/${sp.id}/training-periods`, { partnership_id: MISSING, started_on: '2025-09-01' }));
  assertError(await post(`/school-periods/${sp.id}/training-periods`, { partnership_id: s.p2025school2.id, started_on: '2025-09-01' }), 422, 'partnership_id');
  assertErrors(await post(`/school-periods/${sp.id}/training-periods`, { partnership_id: 'x', started_on: '2025-9-1' }), 422, ['partnership_id', 'started_on']);
  assertError(await post(`/school-periods/${sp.id}/training-periods`, { started_on: '2025-09-01', finished_on: '2025-08-31' }), 422, 'finished_on');
  assertError(await post(`/school-periods/${sp.id}/training-periods`, {}), 422, 'started_on');
});

test('PUT /training-periods/{id}: finished_on moves updated_at; 404; 422', async () => {
  const t = await newTeacher('2025-09-10T10:00:00Z');
  const sp = await newPeriod(t.id, {}, '2025-09-10T10:00:00Z');
  const tp = await newTraining(sp.id, { partnership_id: s.p2025.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  const r = ok(await put(`/training-periods/${tp.id}`, { finished_on: '2026-01-31' }, '2025-10-01T10:00:00Z'), 200);
  assert.equal(r.finished_on, '2026-01-31');
  assert.equal(r.schedule_identifier, tp.schedule_identifier);
  assert.equal((await teacherNow(t.id)).updated_at, '2025-10-01T10:00:00Z');
  const same = ok(await put(`/training-periods/${tp.id}`, { finished_on: '2026-01-31' }, '2025-10-02T10:00:00Z'), 200);
  assert.equal(same.finished_on, '2026-01-31');
  assert.equal((await teacherNow(t.id)).updated_at, '2025-10-01T10:00:00Z', 'no change, no move');
  assert404(await put(`/training-periods/${MISSING}`, { finished_on: '2026-01-31' }));
  assertError(await put(`/training-periods/${tp.id}`, { finished_on: '2025-08-01' }), 422, 'finished_on');
  assertError(await put(`/training-periods/${tp.id}`, {}), 422, 'finished_on');
  assertError(await put(`/training-periods/${tp.id}`, { finished_on: '2026-01-31', started_on: '2025-01-01' }), 422, 'started_on');
});

// ---------------------------------------------------------------- mentorships
test('POST /mentorships: 201; the ECT moves only when their assigned mentor changes', async () => {
  const ect = await newTeacher('2025-09-10T10:00:00Z');
  const mentor = await newTeacher('2025-09-10T10:00:00Z');
  const mentor2 = await newTeacher('2025-09-10T10:00:00Z');
  const esp = await newPeriod(ect.id, {}, '2025-09-10T10:00:00Z');
  const msp = await newPeriod(mentor.id, { role: 'mentor' }, '2025-09-10T10:00:00Z');
  const msp2 = await newPeriod(mentor2.id, { role: 'mentor' }, '2025-09-10T10:00:00Z');
  await newTraining(esp.id, { partnership_id: s.p2025.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  const r = ok(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: msp.id, started_on: '2025-09-01' }, '2025-09-12T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(r).sort(), ['created_at', 'ect_school_period_id', 'finished_on', 'id', 'mentor_school_period_id', 'started_on']);
  assert.equal(r.ect_school_period_id, esp.id);
  assert.equal(r.mentor_school_period_id, msp.id);
  assert.equal((await teacherNow(ect.id)).updated_at, '2025-09-12T10:00:00Z');
  assert.equal((await teacherNow(mentor.id)).updated_at, '2025-09-10T10:00:00Z', 'the mentor does not move');
  // a later mentorship does not replace the earliest current one
  ok(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: msp2.id, started_on: '2026-01-01' }, '2025-09-13T10:00:00Z'), 201);
  assert.equal((await teacherNow(ect.id)).updated_at, '2025-09-12T10:00:00Z');
  if (hasDb()) {
    const rows = await sql(`SELECT HEX(sp.api_id) FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id
      JOIN school_periods sp ON sp.id = m.ect_assigned_mentor_school_period_id WHERE t.api_id = ${bin(ect.id)}`);
    assert.deepEqual(rows, [[msp.id.replace(/-/g, '').toUpperCase()]]);
  }
});

test('POST /mentorships: 404 unknown school period; 422 roles, same teacher, dates', async () => {
  const ect = await newTeacher();
  const esp = await newPeriod(ect.id);
  const own = await newPeriod(ect.id, { role: 'mentor' });
  const other = await newTeacher();
  const osp = await newPeriod(other.id, { role: 'mentor' });
  assert404(await post('/mentorships', { ect_school_period_id: MISSING, mentor_school_period_id: osp.id, started_on: '2025-09-01' }));
  assert404(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: MISSING, started_on: '2025-09-01' }));
  assertErrors(await post('/mentorships', { ect_school_period_id: osp.id, mentor_school_period_id: esp.id, started_on: '2025-09-01' }), 422,
    ['ect_school_period_id', 'mentor_school_period_id']);
  assertError(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: own.id, started_on: '2025-09-01' }), 422, 'mentor_school_period_id');
  assertError(await post('/mentorships', { ect_school_period_id: esp.id, mentor_school_period_id: osp.id, started_on: '2025-09-01', finished_on: '2025-01-01' }), 422, 'finished_on');
  assertErrors(await post('/mentorships', {}), 422, ['ect_school_period_id', 'mentor_school_period_id', 'started_on']);
});

// ---------------------------------------------------------------- induction periods
test('POST /teachers/{id}/induction-periods: 201, moves updated_at; 404; 422', async () => {
  const t = await newTeacher('2025-09-10T10:00:00Z');
  const r = ok(await post(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01', finished_on: '2026-07-20', outcome: 'pass' }, '2025-09-14T10:00:00Z'), 201);
  assert.deepEqual(Object.keys(r).sort(), ['created_at', 'finished_on', 'id', 'outcome', 'participant_id', 'started_on']);
  assert.equal(r.participant_id, t.id);
  assert.equal(r.outcome, 'pass');
  assert.equal(r.finished_on, '2026-07-20');
  assert.equal((await teacherNow(t.id)).updated_at, '2025-09-14T10:00:00Z');
  const open = ok(await post(`/teachers/${t.id}/induction-periods`, { started_on: '2026-09-01' }), 201);
  assert.equal(open.finished_on, null);
  assert.equal(open.outcome, null);
  assert404(await post(`/teachers/${MISSING}/induction-periods`, { started_on: '2025-09-01' }));
  assertError(await post(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01', outcome: 'pass' }), 422, 'outcome');
  assertError(await post(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01', finished_on: '2026-01-01', outcome: 'passed' }), 422, 'outcome');
  assertError(await post(`/teachers/${t.id}/induction-periods`, { started_on: '2025-09-01', finished_on: '2025-01-01' }), 422, 'finished_on');
  assertError(await post(`/teachers/${t.id}/induction-periods`, {}), 422, 'started_on');
});

// ---------------------------------------------------------------- metadata
test('metadata: one row per provider, latest period by started_on (future included), ties to the later id, cohorts, copies', async (t) => {
  if (!hasDb()) return t.skip('no database access (ECF_TEST_STACK_LIB)');
  const tc = await newTeacher('2025-09-10T10:00:00Z');
  const sp = await newPeriod(tc.id, { started_on: '2024-09-01' }, '2025-09-10T10:00:00Z');
  const a = await newTraining(sp.id, { partnership_id: s.p2024.id, started_on: '2024-09-01', finished_on: '2025-07-31' }, '2025-09-10T10:00:00Z');
  const future = await newTraining(sp.id, { partnership_id: s.p2025.id, started_on: '2026-01-05' }, '2025-09-11T10:00:00Z');
  const lp2a = await newTraining(sp.id, { partnership_id: s.p2025lp2.id, started_on: '2025-09-01', finished_on: '2025-12-31' }, '2025-09-12T10:00:00Z');
  const lp2b = await newTraining(sp.id, { partnership_id: s.p2025lp2.id, started_on: '2025-09-01' }, '2025-09-13T10:00:00Z');
  const mentorSp = await newPeriod(tc.id, { role: 'mentor', started_on: '2025-09-01' }, '2025-09-13T10:00:00Z');
  const m = await newTraining(mentorSp.id, { partnership_id: s.p2025.id, started_on: '2025-09-01' }, '2025-09-14T10:00:00Z');
  const rows = await sql(`SELECT LOWER(HEX(m.lead_provider_id)), e.api_id = ${bin(future.id)}, e.api_id = ${bin(lp2b.id)}, m.latest_ect_cohort,
      IFNULL(HEX(mt.api_id), 'none'), IFNULL(m.latest_mentor_cohort, 'none'), m.teacher_created_at, m.teacher_updated_at
    FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id
    JOIN training_periods e ON e.id = m.latest_ect_training_period_id
    LEFT JOIN training_periods mt ON mt.id = m.latest_mentor_training_period_id
    WHERE t.api_id = ${bin(tc.id)}`);
  const by = Object.fromEntries(rows.map((r) => [r[0], r.slice(1)]));
  const k1 = s.lp1.replace(/-/g, '');
  const k2 = s.lp2.replace(/-/g, '');
  assert.equal(rows.length, 2, JSON.stringify(rows));
  assert.deepEqual(by[k1], ['1', '0', '2025', m.id.replace(/-/g, '').toUpperCase(), '2025', '2025-09-10 10:00:00.000000', '2025-09-14 10:00:00.000000']);
  assert.deepEqual(by[k2], ['0', '1', '2025', 'none', 'none', '2025-09-10 10:00:00.000000', '2025-09-14 10:00:00.000000']);
  assert.ok(a && lp2a);
});

test('metadata: a school transfer between providers is flagged for both', async (t) => {
  if (!hasDb()) return t.skip('no database access (ECF_TEST_STACK_LIB)');
  const tc = await newTeacher();
  const first = await newPeriod(tc.id, { started_on: '2025-09-01', finished_on: '2025-12-31' });
  await newTraining(first.id, { partnership_id: s.p2025.id, started_on: '2025-09-01', finished_on: '2025-12-31' });
  const second = await newPeriod(tc.id, { school_urn: s.school2.urn, started_on: '2026-01-05' });
  await newTraining(second.id, { partnership_id: s.p2025school2.id, started_on: '2026-01-05' }, '2026-01-06T10:00:00Z');
  const rows = await sql(`SELECT LOWER(HEX(m.lead_provider_id)), m.involved_in_school_transfer FROM teacher_lead_providers m
    JOIN teachers t ON t.id = m.teacher_id WHERE t.api_id = ${bin(tc.id)} ORDER BY 1`);
  const by = Object.fromEntries(rows);
  assert.equal(by[s.lp1.replace(/-/g, '')], '1');
  assert.equal(by[s.lp2.replace(/-/g, '')], '1');
});

// ---------------------------------------------------------------- merge
test('POST /teachers/merge: 200 {from, to, changed_at}; periods move; the old id no longer resolves', async () => {
  const from = await newTeacher('2025-09-10T10:00:00Z');
  const to = await newTeacher('2025-09-10T10:00:00Z');
  const sp = await newPeriod(from.id, {}, '2025-09-10T10:00:00Z');
  const tp = await newTraining(sp.id, { partnership_id: s.p2025lp2.id, started_on: '2025-09-01' }, '2025-09-10T10:00:00Z');
  const r = ok(await post('/teachers/merge', { from_participant_id: from.id, to_participant_id: to.id }, '2025-10-01T09:30:00Z'), 200);
  assert.deepEqual(r, { from_participant_id: from.id, to_participant_id: to.id, changed_at: '2025-10-01T09:30:00Z' });
  assert404(await put(`/teachers/${from.id}`, {}));
  assert.equal((await teacherNow(to.id)).updated_at, '2025-10-01T09:30:00Z');
  const moved = ok(await put(`/training-periods/${tp.id}`, { finished_on: null }), 200);
  assert.equal(moved.participant_id, to.id);
  assertError(await post('/teachers/merge', { from_participant_id: to.id, to_participant_id: to.id }), 422, 'to_participant_id');
  assert404(await post('/teachers/merge', { from_participant_id: from.id, to_participant_id: to.id }));
  assert404(await post('/teachers/merge', { from_participant_id: MISSING, to_participant_id: to.id }));
  assertErrors(await post('/teachers/merge', { from_participant_id: 'a', to_participant_id: 7 }), 422, ['from_participant_id', 'to_participant_id']);
  if (!hasDb()) return;
  const changes = await sql(`SELECT HEX(c.from_participant_id), c.changed_at FROM participant_id_changes c JOIN teachers t ON t.id = c.teacher_id WHERE t.api_id = ${bin(to.id)}`);
  assert.deepEqual(changes, [[from.id.replace(/-/g, '').toUpperCase(), '2025-10-01 09:30:00.000000']]);
  const md = await sql(`SELECT t.api_id = ${bin(to.id)}, m.teacher_updated_at FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id
    WHERE t.api_id IN (${bin(to.id)}, ${bin(from.id)})`);
  assert.deepEqual(md, [['1', '2025-10-01 09:30:00.000000']]);
});

await run();
closeAgent();
