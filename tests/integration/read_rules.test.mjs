// Lead Provider API v3 read side, rule by rule (spec sections 1.2-1.5, 5, 6, 8 and the
// decisions): one named case per rule that participants.test.mjs, admin_data.test.mjs and
// refresh.test.mjs do not already cover. Data comes through the admin data API (the
// production teacher_lead_providers rebuild) on the sandbox clock; every read names its
// server date (X-With-Server-Date), so the answers are exact whatever the calendar says.

import { randomUUID } from 'node:crypto';
import { test, run } from './lib/tap.mjs';
import { sql } from './lib/db.mjs';
import { closeAgent } from './lib/client.mjs';
import { assert, assert404, assertError, stack, uniq, ADMIN } from './lib/fixtures.mjs';
import {
  P,
  T,
  U,
  at,
  ids,
  bin,
  adminPut,
  leadProvider,
  deliveryPartner,
  school,
  partnership,
  teacher,
  schoolPeriod,
  trainingPeriod,
  finishTraining,
  updateSchoolPeriod,
  mentorship,
  inductionPeriod,
  merge,
  stopTraining,
  mentorFundingEnded,
  show,
  list,
  all,
  enrolment,
  transfersOf,
} from './lib/readreview_fixtures.mjs';

const s = {};

test('setup: three providers, three schools, partnerships in 2024 and 2025', async () => {
  s.A = await leadProvider('A');
  s.B = await leadProvider('B');
  s.C = await leadProvider('C');
  s.dp = await deliveryPartner();
  s.s1 = await school({ pp: true });
  s.s2 = await school({ sparsity: true });
  s.s3 = await school();
  s.pA1_24 = await partnership(s.s1, s.A, s.dp, 2024);
  s.pA1_25 = await partnership(s.s1, s.A, s.dp, 2025);
  s.pA2_24 = await partnership(s.s2, s.A, s.dp, 2024);
  s.pA3_24 = await partnership(s.s3, s.A, s.dp, 2024);
  s.pB1_24 = await partnership(s.s1, s.B, s.dp, 2024);
  s.pB2_24 = await partnership(s.s2, s.B, s.dp, 2024);
}, { bail: true });

/** An ECT trained by `pa` at `sch` from `start` (to `finish`): {t, sp, tp}. */
async function ect(sch, pa, start, finish, iso) {
  const t = await teacher(iso);
  const sp = await schoolPeriod(t, 'ect', sch, { start, finish }, iso);
  const tp = await trainingPeriod(sp, pa, { start, finish }, iso);
  return { t, sp, tp };
}

// ------------------------------------------------------------------ 1.2 visibility
test('1.2: after a switch to school-led the provider still sees the participant: its own finished period, participant_status left', async () => {
  const { t, sp, tp } = await ect(s.s1, s.pA1_24, '2024-09-01');
  await finishTraining(tp, '2025-01-31', '2025-01-20T10:00:00Z');
  await trainingPeriod(sp, null, { start: '2025-02-01' }, '2025-01-20T10:00:01Z');
  const p = await show(s.A, t, '2025-03-01T00:00:00Z');
  assert.equal(p.attributes.ecf_enrolments.length, 1);
  const e = enrolment(p, 'ect');
  assert.equal(e.school_urn, s.s1.urn);
  assert.equal(e.cohort, '2024');
  assert.equal(e.training_status, 'active');
  assert.equal(e.participant_status, 'left');
  assert.equal(p.attributes.updated_at, '2025-01-20T10:00:01Z', 'a school-led training period moves updated_at too');
  assert.ok(ids(await all(s.A, P, {}, '2025-03-01T00:00:00Z')).includes(t.id));
  assert404(await s.B.api.get(`${P}/${t.id}`));
  s.switched = t;
});

test('1.2: the latest period with the provider may start in the future: its cohort shows and the participant is joining', async () => {
  const t = await teacher();
  const sp = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01' });
  await trainingPeriod(sp, s.pA1_24, { start: '2024-09-01', finish: '2025-08-31' });
  await trainingPeriod(sp, s.pA1_25, { start: '2025-09-01' });
  const e = enrolment(await show(s.A, t, '2025-06-15T00:00:00Z'), 'ect');
  assert.equal(e.cohort, '2025');
  assert.equal(e.participant_status, 'joining');
  assert.ok(ids(await all(s.A, P, { 'filter[cohort]': '2025' })).includes(t.id));
  assert.ok(!ids(await all(s.A, P, { 'filter[cohort]': '2024' })).includes(t.id), 'only the latest period\'s cohort counts');
});

// ------------------------------------------------------------------ 1.3 training_status
test('1.3: training_status is the latest period\'s with the provider; an earlier withdrawn period does not show', async () => {
  const t = await teacher();
  const sp = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01' });
  const tp1 = await trainingPeriod(sp, s.pA1_24, { start: '2024-09-01', finish: '2024-12-31' });
  stopTraining(tp1, { withdrawnAt: '2024-12-31T10:00:00Z', withdrawal: 'other' });
  await trainingPeriod(sp, s.pA1_24, { start: '2025-01-01' });
  const e = enrolment(await show(s.A, t, '2025-03-01T00:00:00Z'), 'ect');
  assert.equal(e.training_status, 'active');
  assert.equal(e.withdrawal, null);
  assert.equal(e.participant_status, 'active');
  assert.ok(ids(await all(s.A, P, { 'filter[training_status]': 'active' })).includes(t.id));
  assert.ok(!ids(await all(s.A, P, { 'filter[training_status]': 'withdrawn' })).includes(t.id));
});

test('6: filter[training_status] matches the ECT or the mentor enrolment', async () => {
  const { t, tp } = await ect(s.s1, s.pA1_24, '2024-09-01');
  await finishTraining(tp, '2025-01-10');
  stopTraining(tp, { withdrawnAt: '2025-01-10T09:00:00Z', withdrawal: 'moved-school' });
  const msp = await schoolPeriod(t, 'mentor', s.s1, { start: '2025-01-15' });
  await trainingPeriod(msp, s.pA1_24, { start: '2025-01-15' });
  const p = await show(s.A, t, '2025-03-01T00:00:00Z');
  assert.equal(enrolment(p, 'ect').training_status, 'withdrawn');
  assert.deepEqual(enrolment(p, 'ect').withdrawal, { reason: 'moved-school', date: '2025-01-10T09:00:00Z' });
  assert.equal(enrolment(p, 'ect').participant_status, 'left');
  assert.equal(enrolment(p, 'mentor').training_status, 'active');
  assert.ok(ids(await all(s.A, P, { 'filter[training_status]': 'withdrawn' })).includes(t.id), 'the ECT enrolment is withdrawn');
  assert.ok(ids(await all(s.A, P, { 'filter[training_status]': 'active' })).includes(t.id), 'the mentor enrolment is active');
  assert.ok(!ids(await all(s.A, P, { 'filter[training_status]': 'deferred' })).includes(t.id));
});

// ------------------------------------------------------------------ 1.4 participant_status
test('1.4 rule 2: an ECT whose induction ended (pass) on or before the period\'s finish stays active after it', async () => {
  const { t } = await ect(s.s1, s.pA1_24, '2024-09-01', '2025-07-31');
  await inductionPeriod(t, { start: '2024-09-01', finish: '2025-07-20', outcome: 'pass' });
  const e = enrolment(await show(s.A, t, '2025-09-01T00:00:00Z'), 'ect');
  assert.equal(e.participant_status, 'active');
  assert.equal(e.induction_end_date, '2025-07-20');
  assert.equal(e.most_recent_induction_period_end_date, '2025-07-20');
  assert.equal(e.overall_induction_start_date, '2024-09-01');
});

test('1.4 rule 2: an ECT whose induction ended (fail) after the period\'s finish has left (rule 3)', async () => {
  const { t } = await ect(s.s1, s.pA1_24, '2024-09-01', '2025-07-31');
  await inductionPeriod(t, { start: '2024-09-01', finish: '2025-08-15', outcome: 'fail' });
  const e = enrolment(await show(s.A, t, '2025-09-01T00:00:00Z'), 'ect');
  assert.equal(e.participant_status, 'left');
  assert.equal(e.induction_end_date, '2025-08-15', 'a fail is a completion too');
});

test('1.4 rule 2 (mentor): funding ended on or before the period\'s finish: active; after it: left', async () => {
  const mk = async (ended) => {
    const t = await teacher();
    const sp = await schoolPeriod(t, 'mentor', s.s1, { start: '2024-09-01' });
    await trainingPeriod(sp, s.pA1_24, { start: '2024-09-01', finish: '2025-07-31' });
    mentorFundingEnded(t, ended);
    return enrolment(await show(s.A, t, '2025-09-01T00:00:00Z'), 'mentor');
  };
  let e = await mk('2025-07-31');
  assert.equal(e.participant_status, 'active');
  assert.equal(e.mentor_funding_end_date, '2025-07-31');
  e = await mk('2025-08-15');
  assert.equal(e.participant_status, 'left');
  assert.equal(e.mentor_funding_end_date, '2025-08-15');
  assert.equal(e.mentor_ineligible_for_funding_reason, 'completed_declaration_received');
});

// ------------------------------------------------------------------ 1.5 enrolment fields
test('1.5: most_recent_induction_period_end_date is null while the latest induction period is ongoing; no outcome, no induction_end_date', async () => {
  const { t } = await ect(s.s1, s.pA1_24, '2024-09-01');
  await inductionPeriod(t, { start: '2024-09-01', finish: '2025-03-31' });
  await inductionPeriod(t, { start: '2025-04-01' });
  const e = enrolment(await show(s.A, t, '2025-06-15T00:00:00Z'), 'ect');
  assert.equal(e.induction_end_date, null);
  assert.equal(e.most_recent_induction_period_end_date, null);
  assert.equal(e.overall_induction_start_date, '2024-09-01');
  assert.equal(e.participant_status, 'active');
});

test('1.5: eligible_for_funding: an ECT becomes eligible when an appropriate body records an induction period covering today', async () => {
  const t = await teacher('2025-09-01T08:00:00Z');
  const sp = await schoolPeriod(t, 'ect', s.s1, { start: '2025-09-01' }, '2025-09-01T08:00:01Z');
  await trainingPeriod(sp, s.pA1_25, { start: '2025-09-01' }, '2025-09-01T08:00:02Z');
  assert.equal(enrolment(await show(s.A, t, '2025-09-02T00:00:00Z'), 'ect').eligible_for_funding, null);
  await inductionPeriod(t, { start: '2025-09-01' }, '2025-09-05T10:00:00Z');
  const p = await show(s.A, t, '2025-09-06T00:00:00Z');
  assert.equal(enrolment(p, 'ect').eligible_for_funding, true);
  assert.equal(p.attributes.updated_at, '2025-09-05T10:00:00Z');
  const at1 = sql(`SELECT ect_first_became_eligible_at FROM teachers WHERE api_id = ${bin(t.id)}`);
  assert.deepEqual(at1, [['2025-09-05 10:00:00.000000']]);
  // It never changes again (first became eligible).
  await inductionPeriod(t, { start: '2025-09-01', finish: '2025-12-01' }, '2025-10-01T10:00:00Z');
  assert.deepEqual(sql(`SELECT ect_first_became_eligible_at FROM teachers WHERE api_id = ${bin(t.id)}`), at1);
});

test('1.5: eligible_for_funding: an induction period starting after today, or no ECT school period yet, does not make an ECT eligible', async () => {
  const t = await teacher('2025-09-01T08:00:00Z');
  const sp = await schoolPeriod(t, 'ect', s.s1, { start: '2025-09-01' }, '2025-09-01T08:00:01Z');
  await trainingPeriod(sp, s.pA1_25, { start: '2025-09-01' }, '2025-09-01T08:00:02Z');
  await inductionPeriod(t, { start: '2025-10-01' }, '2025-09-05T10:00:00Z');
  assert.equal(enrolment(await show(s.A, t, '2025-10-02T00:00:00Z'), 'ect').eligible_for_funding, null);

  // Induction recorded first, the ECT school period registered later (while it runs).
  const u = await teacher('2025-09-01T08:00:00Z');
  await inductionPeriod(u, { start: '2025-09-01' }, '2025-09-05T10:00:00Z');
  assert.deepEqual(sql(`SELECT ect_first_became_eligible_at IS NULL FROM teachers WHERE api_id = ${bin(u.id)}`), [['1']]);
  const usp = await schoolPeriod(u, 'ect', s.s1, { start: '2025-09-01' }, '2025-09-06T10:00:00Z');
  await trainingPeriod(usp, s.pA1_25, { start: '2025-09-01' }, '2025-09-06T10:00:01Z');
  assert.equal(enrolment(await show(s.A, u, '2025-09-07T00:00:00Z'), 'ect').eligible_for_funding, true);
  assert.deepEqual(sql(`SELECT ect_first_became_eligible_at FROM teachers WHERE api_id = ${bin(u.id)}`), [['2025-09-06 10:00:00.000000']]);
  // A mentor school period does not make the ECT side eligible; the mentor enrolment has its
  // own facts: the mentor training period makes the mentor eligible (4.6, as RECT's
  // SetMentorFundingEligibility), stamped when that period is recorded.
  const m = await teacher('2025-09-01T08:00:00Z');
  await inductionPeriod(m, { start: '2025-09-01' }, '2025-09-05T10:00:00Z');
  const msp = await schoolPeriod(m, 'mentor', s.s1, { start: '2025-09-01' }, '2025-09-06T10:00:00Z');
  await trainingPeriod(msp, s.pA1_25, { start: '2025-09-01' }, '2025-09-06T10:00:01Z');
  assert.equal(enrolment(await show(s.A, m, '2025-09-07T00:00:00Z'), 'mentor').eligible_for_funding, true);
  assert.deepEqual(sql(`SELECT ect_first_became_eligible_at IS NULL, mentor_first_became_eligible_at FROM teachers WHERE api_id = ${bin(m.id)}`),
    [['1', '2025-09-06 10:00:01.000000']]);
});

test('1.5: eligible_for_funding is false for a mentor whose funding ended with no eligibility date (early roll-out)', async () => {
  const t = await teacher();
  const sp = await schoolPeriod(t, 'mentor', s.s1, { start: '2024-09-01' });
  await trainingPeriod(sp, s.pA1_24, { start: '2024-09-01' });
  // Early roll-out: ineligible with no eligibility instant on record.
  mentorFundingEnded(t, '2021-04-19', 'completed_during_early_roll_out', { eligibleAt: null });
  const e = enrolment(await show(s.A, t, '2025-06-15T00:00:00Z'), 'mentor');
  assert.equal(e.eligible_for_funding, false);
  assert.equal(e.mentor_ineligible_for_funding_reason, 'completed_during_early_roll_out');
  assert.equal(e.participant_status, 'active', 'rule 2: funding ended before the unfinished period');
});

test('1.5: each enrolment shows the email of its own school period; an email change shows and moves updated_at', async () => {
  const t = await teacher();
  const esp = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2025-07-31', email: `e.${uniq()}@example.org` });
  await trainingPeriod(esp, s.pA1_24, { start: '2024-09-01', finish: '2025-07-31' });
  const msp = await schoolPeriod(t, 'mentor', s.s1, { start: '2025-09-01', email: `m.${uniq()}@example.org` });
  await trainingPeriod(msp, s.pA1_25, { start: '2025-09-01' });
  let p = await show(s.A, t, '2025-09-02T00:00:00Z');
  assert.equal(enrolment(p, 'ect').email, esp.email);
  assert.equal(enrolment(p, 'mentor').email, msp.email);
  const email = `m2.${uniq()}@example.org`;
  await updateSchoolPeriod(msp, { email }, '2025-09-10T10:00:00Z');
  p = await show(s.A, t, '2025-09-11T00:00:00Z');
  assert.equal(enrolment(p, 'mentor').email, email);
  assert.equal(enrolment(p, 'ect').email, esp.email);
  assert.equal(p.attributes.updated_at, '2025-09-10T10:00:00Z');
});

test('1.5: uplifts apply to mentors too when the cohort has uplift fees (2024), never in 2025', async () => {
  const mentorAt = async (sch, pa) => {
    const t = await teacher();
    const sp = await schoolPeriod(t, 'mentor', sch, { start: '2024-09-01' });
    await trainingPeriod(sp, pa, { start: '2024-09-01' });
    const e = enrolment(await show(s.A, t, '2025-06-15T00:00:00Z'), 'mentor');
    return [e.pupil_premium_uplift, e.sparsity_uplift];
  };
  assert.deepEqual(await mentorAt(s.s1, s.pA1_24), [true, false]);
  assert.deepEqual(await mentorAt(s.s2, s.pA2_24), [false, true]);
  assert.deepEqual(await mentorAt(s.s1, s.pA1_25), [false, false]);
});

test('1.5: an enrolment\'s created_at is the created_at of the teacher\'s earliest school period of the role', async () => {
  const t = await teacher('2025-06-01T09:00:00Z');
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2024-12-31' }, '2025-06-02T10:00:00Z');
  await trainingPeriod(sp1, null, { start: '2024-09-01', finish: '2024-12-31' }, '2025-06-02T10:00:01Z');
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2025-01-06' }, '2025-06-03T10:00:00Z');
  await trainingPeriod(sp2, s.pA2_24, { start: '2025-01-06' }, '2025-06-03T10:00:01Z');
  const e = enrolment(await show(s.A, t, '2025-06-15T00:00:00Z'), 'ect');
  assert.equal(e.created_at, '2025-06-02T10:00:00Z');
  assert.equal(e.school_urn, s.s2.urn);
});

test('1.5: mentor_id comes from the school period of the provider\'s latest period; an earlier school period\'s mentorship is ignored', async () => {
  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2024-12-31' });
  await trainingPeriod(sp1, s.pA1_24, { start: '2024-09-01', finish: '2024-12-31' });
  const m1 = await teacher();
  const m1sp = await schoolPeriod(m1, 'mentor', s.s1, { start: '2020-09-01' });
  await mentorship(sp1, m1sp, { start: '2024-09-01' });
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2025-01-06' });
  await trainingPeriod(sp2, s.pA2_24, { start: '2025-01-06' });
  const m2 = await teacher();
  const m2sp = await schoolPeriod(m2, 'mentor', s.s2, { start: '2020-09-01' });
  await mentorship(sp2, m2sp, { start: '2025-09-01' });
  assert.equal(enrolment(await show(s.A, t, '2025-06-15T00:00:00Z'), 'ect').mentor_id, m2.id, 'a future mentorship counts');
  const unfunded = ids(await all(s.A, U));
  assert.ok(unfunded.includes(m2.id));
  assert.ok(!unfunded.includes(m1.id), 'the earlier school period\'s mentor is not the assigned mentor');
  assert404(await s.A.api.get(`${U}/${m1.id}`));
});

test('decision 10: a mentor enrolment has every attribute; the ECT-only ones are null even when the teacher has induction periods', async () => {
  const m = await teacher('2025-06-01T09:00:00Z');
  const msp = await schoolPeriod(m, 'mentor', s.s1, { start: '2024-09-01' }, '2025-06-01T09:00:01Z');
  await trainingPeriod(msp, s.pA1_24, { start: '2024-09-01' }, '2025-06-01T09:00:02Z');
  await inductionPeriod(m, { start: '2022-09-01', finish: '2023-07-31', outcome: 'pass' }, '2025-06-01T09:00:03Z');
  const p = await show(s.A, m, '2025-06-15T00:00:00Z');
  assert.deepEqual(p.attributes, {
    full_name: m.full_name,
    teacher_reference_number: null,
    updated_at: '2025-06-01T09:00:03Z',
    ecf_enrolments: [
      {
        training_record_id: m.mentor_training_record_id,
        email: msp.email,
        mentor_id: null,
        school_urn: s.s1.urn,
        participant_type: 'mentor',
        cohort: '2024',
        training_status: 'active',
        participant_status: 'active',
        eligible_for_funding: true, // the mentor training period made the mentor eligible (4.6)
        pupil_premium_uplift: true,
        sparsity_uplift: false,
        schedule_identifier: 'ecf-standard-september',
        delivery_partner_id: s.dp,
        withdrawal: null,
        deferral: null,
        created_at: '2025-06-01T09:00:01Z',
        induction_end_date: null,
        most_recent_induction_period_end_date: null,
        overall_induction_start_date: null,
        mentor_funding_end_date: null,
        cohort_changed_after_payments_frozen: false,
        mentor_ineligible_for_funding_reason: null,
        working_pattern: null,
      },
    ],
    participant_id_changes: [],
  });
});

test('decision 9: timestamps show whole seconds (microseconds are cut), and updated_since with the shown value finds the record', async () => {
  const iso = '2025-06-01T09:30:00.987654Z';
  const t = await teacher(iso);
  const sp = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01' }, iso);
  await trainingPeriod(sp, s.pA1_24, { start: '2024-09-01' }, iso);
  const p = await show(s.A, t, '2025-06-15T00:00:00Z');
  assert.equal(p.attributes.updated_at, '2025-06-01T09:30:00Z');
  assert.equal(enrolment(p, 'ect').created_at, '2025-06-01T09:30:00Z');
  assert.ok(ids(await all(s.A, P, { 'filter[updated_since]': p.attributes.updated_at })).includes(t.id));
  assert.ok(!ids(await all(s.A, P, { 'filter[updated_since]': '2025-06-01T09:30:01Z' })).includes(t.id));
});

test('1.5 facts (migration 009): PUT /teachers/{id} records the TRS induction dates and the ECT became-ineligible day; changes move updated_at', async () => {
  const t = await teacher('2025-06-01T09:00:00Z');
  assert.deepEqual(
    [t.trs_induction_start_date, t.trs_induction_completed_date, t.ect_became_ineligible_on],
    [null, null, null],
  );
  let r = await adminPut(`/teachers/${t.id}`, { trs_induction_start_date: '2024-09-01', trs_induction_completed_date: '2025-07-20' }, '2025-07-21T10:00:00Z');
  assert.deepEqual(
    [r.trs_induction_start_date, r.trs_induction_completed_date, r.ect_became_ineligible_on, r.updated_at],
    ['2024-09-01', '2025-07-20', null, '2025-07-21T10:00:00Z'],
  );
  r = await adminPut(`/teachers/${t.id}`, { trs_induction_start_date: '2024-09-01' }, '2025-07-22T10:00:00Z');
  assert.equal(r.updated_at, '2025-07-21T10:00:00Z', 'the same value changes nothing');
  r = await adminPut(`/teachers/${t.id}`, { ect_became_ineligible_on: '2025-08-01', trs_induction_completed_date: null }, '2025-08-01T10:00:00Z');
  assert.deepEqual(
    [r.trs_induction_start_date, r.trs_induction_completed_date, r.ect_became_ineligible_on, r.updated_at],
    ['2024-09-01', null, '2025-08-01', '2025-08-01T10:00:00Z'],
  );
  assert.deepEqual(
    sql(`SELECT trs_induction_start_date, IFNULL(trs_induction_completed_date, 'null'), ect_became_ineligible_on, unfunded_mentor_updated_at
         FROM teachers WHERE api_id = ${bin(t.id)}`),
    [['2024-09-01', 'null', '2025-08-01', '2025-06-01 09:00:00.000000']],
    'not an unfunded-mentor fact',
  );
  assertError(await stack().admin.put(`${ADMIN}/teachers/${t.id}`, { trs_induction_start_date: '2024-02-30' }), 422, 'trs_induction_start_date');
  assertError(await stack().admin.post(`${ADMIN}/teachers`, { full_name: 'X', ect_became_ineligible_on: '2025-01-01' }), 422, 'ect_became_ineligible_on');
});

// ------------------------------------------------------------------ 5 unfunded mentors
test('5: an ECT of the provider who also mentors one of its ECTs is not an unfunded mentor', async () => {
  const { t: x } = await ect(s.s1, s.pA1_24, '2024-09-01');
  const xm = await schoolPeriod(x, 'mentor', s.s1, { start: '2024-09-01' });
  const { t: y, sp: ysp } = await ect(s.s1, s.pA1_24, '2024-09-01');
  await mentorship(ysp, xm, { start: '2024-09-01' });
  assert.equal(enrolment(await show(s.A, y, '2025-06-15T00:00:00Z'), 'ect').mentor_id, x.id);
  assert.ok(!ids(await all(s.A, U)).includes(x.id));
  assert404(await s.A.api.get(`${U}/${x.id}`));
});

test('5: a mentor trained by another provider is unfunded for this one, not for the trainer', async () => {
  const m = await teacher();
  const msp = await schoolPeriod(m, 'mentor', s.s1, { start: '2024-09-01', email: `um.${uniq()}@example.org` });
  await trainingPeriod(msp, s.pB1_24, { start: '2024-09-01' }, '2025-06-01T09:30:00Z');
  const { sp } = await ect(s.s1, s.pA1_24, '2024-09-01');
  await mentorship(sp, msp, { start: '2024-09-01' });
  const r = await s.A.api.get(`${U}/${m.id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.data, {
    id: m.id,
    type: 'unfunded-mentor',
    attributes: {
      full_name: m.full_name,
      email: msp.email,
      teacher_reference_number: null,
      created_at: m.created_at,
      updated_at: m.created_at, // a training period is not an unfunded-mentor fact
    },
  });
  assert404(await s.B.api.get(`${U}/${m.id}`));
  assert.ok(!ids(await all(s.B, U)).includes(m.id));
  assert.ok(ids(await all(s.B, P)).includes(m.id), 'B sees the mentor as its participant');
  s.unfunded = m;
});

test('5: the email is the most recently started mentor school period\'s among those the provider\'s ECTs reference', async () => {
  const m = await teacher();
  const old = await schoolPeriod(m, 'mentor', s.s1, { start: '2020-09-01', email: `old.${uniq()}@example.org` });
  const recent = await schoolPeriod(m, 'mentor', s.s2, { start: '2024-09-01', email: `new.${uniq()}@example.org` });
  const e1 = await ect(s.s1, s.pA1_24, '2024-09-01');
  await mentorship(e1.sp, old, { start: '2024-09-01' });
  const e2 = await ect(s.s2, s.pA2_24, '2024-09-01');
  await mentorship(e2.sp, recent, { start: '2025-09-01' });
  const r = await s.A.api.get(`${U}/${m.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.data.attributes.email, recent.email);
  assert.equal((await all(s.A, U)).find((x) => x.id === m.id).attributes.email, recent.email);
});

test('5: the unfunded-mentor updated_at moves on a name change and a mentor-period email change, not on a new training period', async () => {
  const m = await teacher();
  const msp = await schoolPeriod(m, 'mentor', s.s3, { start: '2024-09-01' });
  const { sp } = await ect(s.s1, s.pA1_24, '2024-09-01');
  await mentorship(sp, msp, { start: '2024-09-01' });
  const get = async () => (await all(s.A, U)).find((x) => x.id === m.id).attributes;
  const name = `Renamed ${uniq()}`;
  await adminPut(`/teachers/${m.id}`, { full_name: name }, '2025-07-01T10:00:00Z');
  let a = await get();
  assert.equal(a.full_name, name);
  assert.equal(a.updated_at, '2025-07-01T10:00:00Z');
  const email = `changed.${uniq()}@example.org`;
  await updateSchoolPeriod(msp, { email }, '2025-07-02T10:00:00Z');
  a = await get();
  assert.equal(a.email, email);
  assert.equal(a.updated_at, '2025-07-02T10:00:00Z');
  const other = await schoolPeriod(m, 'mentor', s.s2, { start: '2025-09-01' }, '2025-07-03T10:00:00Z');
  await trainingPeriod(other, s.pB2_24, { start: '2025-09-01' }, '2025-07-03T10:00:01Z');
  a = await get();
  assert.equal(a.updated_at, '2025-07-02T10:00:00Z');
  assert.ok(ids(await all(s.A, U, { 'filter[updated_since]': '2025-07-02T10:00:00Z' })).includes(m.id), '>=');
  assert.ok(!ids(await all(s.A, U, { 'filter[updated_since]': '2025-07-02T10:00:01Z' })).includes(m.id));
  assert.ok(ids(await all(s.A, U, { 'filter[updated_since]': '2025-07-02' })).includes(m.id), 'a date is midnight UTC');
});

test('5, 8.2: unfunded mentors and transfers have no cohort or training_status filter (ignored)', async () => {
  const q = { 'filter[cohort]': '1999', 'filter[training_status]': 'nonsense' };
  assert.ok(ids(await all(s.A, U, q)).includes(s.unfunded.id));
  const { t } = await ect(s.s1, s.pA1_24, '2024-09-01', '2024-12-31');
  assert.ok(ids(await all(s.A, T, q, '2025-06-15T00:00:00Z')).includes(t.id));
});

// ------------------------------------------------------------------ 6 single resources
test('6: filters and page parameters are ignored on single-resource GETs (unfunded mentor, transfers)', async () => {
  const bad = { 'filter[updated_since]': 'nope', 'page[page]': '0', sort: 'bogus' };
  const um = await s.A.api.get(`${U}/${s.unfunded.id}`, { query: bad });
  assert.equal(um.status, 200, um.text);
  const { t, sp, tp } = await ect(s.s1, s.pA1_24, '2024-09-01', '2024-12-31');
  assert.ok(sp && tp);
  const tr = await s.A.api.get(`${P}/${t.id}/transfers`, { query: bad, headers: at('2025-06-15T00:00:00Z') });
  assert.equal(tr.status, 200, tr.text);
  const pt = await s.A.api.get(`${P}/${t.id}`, { query: bad });
  assert.equal(pt.status, 200, pt.text);
});

// ------------------------------------------------------------------ 8.1 ID changes
test('8.1: a second merge carries the earlier ID change to the new destination', async () => {
  const { t: a } = await ect(s.s1, s.pA1_24, '2024-09-01');
  const b = await teacher();
  const c = await teacher();
  await merge(a, b, '2025-07-01T10:00:00Z');
  await merge(b, c, '2025-07-02T10:00:00Z');
  const p = await show(s.A, c, '2025-07-03T00:00:00Z');
  assert.deepEqual(p.attributes.participant_id_changes, [
    { from_participant_id: a.id, to_participant_id: b.id, changed_at: '2025-07-01T10:00:00Z' },
    { from_participant_id: b.id, to_participant_id: c.id, changed_at: '2025-07-02T10:00:00Z' },
  ]);
  assert.equal(p.attributes.updated_at, '2025-07-02T10:00:00Z');
  assert.equal(enrolment(p, 'ect').training_record_id, c.ect_training_record_id, 'the destination keeps its own training record id');
  assert.deepEqual(ids(await list(s.A, P, { 'filter[from_participant_id]': a.id })), [c.id]);
  assert.deepEqual(ids(await list(s.A, P, { 'filter[from_participant_id]': b.id })), [c.id]);
  assert404(await s.A.api.get(`${P}/${a.id}`));
  assert404(await s.A.api.get(`${P}/${b.id}`));
  const every = ids(await all(s.A, P));
  assert.ok(every.includes(c.id) && !every.includes(a.id) && !every.includes(b.id));
});

// ------------------------------------------------------------------ 8.2 transfers
test('8.2: overlapping dates: the leaving date is corrected to the joining date, and the status follows the corrected dates', async () => {
  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2025-12-31' });
  await trainingPeriod(sp1, s.pA1_24, { start: '2024-09-01', finish: '2025-12-31' });
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2025-12-01' });
  await trainingPeriod(sp2, s.pB2_24, { start: '2025-12-01' });
  const expected = (status) => ({
    id: t.id,
    type: 'participant-transfer',
    attributes: {
      transfers: [
        {
          training_record_id: t.ect_training_record_id,
          transfer_type: 'new_provider',
          status,
          created_at: '2025-06-01',
          leaving: { school_urn: s.s1.urn, provider: s.A.name, date: '2025-12-01' },
          joining: { school_urn: s.s2.urn, provider: s.B.name, date: '2025-12-01' },
        },
      ],
      updated_at: '2025-06-01T09:00:00Z',
    },
  });
  s.overlap = t;
  for (const lp of [s.A, s.B]) {
    assert.deepEqual(await transfersOf(lp, t, '2025-12-15T00:00:00Z'), expected('complete'));
    assert.deepEqual(await transfersOf(lp, t, '2025-11-15T00:00:00Z'), expected('incomplete'));
  }
});

test('8.2: a next school period without training: joining is that school, dates overlapping it are corrected too (unknown)', async () => {
  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2025-12-31' });
  await trainingPeriod(sp1, s.pA1_24, { start: '2024-09-01', finish: '2025-12-31' });
  await schoolPeriod(t, 'ect', s.s2, { start: '2025-12-01' });
  const [tr] = (await transfersOf(s.A, t, '2025-12-15T00:00:00Z')).attributes.transfers;
  assert.equal(tr.transfer_type, 'unknown');
  assert.deepEqual(tr.leaving, { school_urn: s.s1.urn, provider: s.A.name, date: '2025-12-01' });
  assert.deepEqual(tr.joining, { school_urn: s.s2.urn, date: '2025-12-01' });
  assert.equal(tr.status, 'complete');
});

test('8.2 (decision 11): the leaving date is the school period\'s finished_on, not the training period\'s', async () => {
  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2025-12-31' });
  await trainingPeriod(sp1, s.pA1_24, { start: '2024-09-01', finish: '2025-11-30' });
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2026-01-05' });
  await trainingPeriod(sp2, s.pA2_24, { start: '2026-01-05' });
  let [tr] = (await transfersOf(s.A, t, '2025-12-15T00:00:00Z')).attributes.transfers;
  assert.equal(tr.transfer_type, 'new_school');
  assert.equal(tr.status, 'incomplete');
  assert.deepEqual(tr.leaving, { school_urn: s.s1.urn, provider: s.A.name, date: '2025-12-31' });
  assert.deepEqual(tr.joining, { school_urn: s.s2.urn, provider: s.A.name, date: '2026-01-05' });
  [tr] = (await transfersOf(s.A, t, '2026-01-05T00:00:00Z')).attributes.transfers;
  assert.equal(tr.status, 'complete');
  assert404(await s.B.api.get(`${P}/${t.id}/transfers`));
});

test('8.2: no transfer out of the last school once the ECT has completed induction; without completion it is unknown', async () => {
  const done = await ect(s.s3, s.pA3_24, '2024-09-01', '2025-07-31');
  await inductionPeriod(done.t, { start: '2024-09-01', finish: '2025-07-20', outcome: 'pass' });
  assert404(await s.A.api.get(`${P}/${done.t.id}/transfers`, { headers: at('2025-09-01T00:00:00Z') }));
  assert.ok(!ids(await all(s.A, T, {}, '2025-09-01T00:00:00Z')).includes(done.t.id));
  const open = await ect(s.s1, s.pA1_24, '2024-09-01', '2025-07-31');
  const [tr] = (await transfersOf(s.A, open.t, '2025-09-01T00:00:00Z')).attributes.transfers;
  assert.equal(tr.transfer_type, 'unknown');
  assert.equal(tr.status, 'complete');
  assert.equal(tr.joining, null);
  assert.deepEqual(tr.leaving, { school_urn: s.s1.urn, provider: s.A.name, date: '2025-07-31' });
});

test('8.2: a mentor\'s move is a transfer with the mentor training record id; transfers of both roles sort by the leaving period\'s start', async () => {
  const t = await teacher();
  const msp = await schoolPeriod(t, 'mentor', s.s1, { start: '2022-09-01', finish: '2024-07-31' });
  await trainingPeriod(msp, s.pA1_24, { start: '2022-09-01', finish: '2024-07-31' });
  const esp = await schoolPeriod(t, 'ect', s.s1, { start: '2023-09-01', finish: '2024-07-31' });
  await trainingPeriod(esp, s.pA1_24, { start: '2023-09-01', finish: '2024-07-31' });
  const esp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2024-09-01' });
  await trainingPeriod(esp2, s.pB2_24, { start: '2024-09-01' });
  const a = (await transfersOf(s.A, t, '2025-06-15T00:00:00Z')).attributes.transfers;
  assert.deepEqual(
    a.map((x) => [x.training_record_id, x.transfer_type, x.leaving.date]),
    [
      [t.mentor_training_record_id, 'unknown', '2024-07-31'],
      [t.ect_training_record_id, 'new_provider', '2024-07-31'],
    ],
  );
  const b = (await transfersOf(s.B, t, '2025-06-15T00:00:00Z')).attributes.transfers;
  assert.deepEqual(b.map((x) => x.training_record_id), [t.ect_training_record_id], 'the mentor transfer is not relevant to B');
});

test('8.2: transfers sort by the leaving training period\'s start, not its school period\'s', async () => {
  const t = await teacher();
  const esp = await schoolPeriod(t, 'ect', s.s1, { start: '2022-09-01', finish: '2024-07-31' });
  await trainingPeriod(esp, null, { start: '2022-09-01', finish: '2023-08-31' });
  await trainingPeriod(esp, s.pA1_24, { start: '2023-09-01', finish: '2024-07-31' });
  const esp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2024-09-01' });
  await trainingPeriod(esp2, s.pB2_24, { start: '2024-09-01' });
  const msp = await schoolPeriod(t, 'mentor', s.s3, { start: '2023-01-01', finish: '2024-07-31' });
  await trainingPeriod(msp, s.pA3_24, { start: '2023-01-01', finish: '2024-07-31' });
  const a = (await transfersOf(s.A, t, '2025-06-15T00:00:00Z')).attributes.transfers;
  assert.deepEqual(
    a.map((x) => [x.training_record_id, x.leaving.school_urn]),
    [
      [t.mentor_training_record_id, s.s3.urn],
      [t.ect_training_record_id, s.s1.urn],
    ],
    'mentor (training from 2023-01-01) before ECT (training from 2023-09-01, school period from 2022-09-01)',
  );
});

test('8.2: from a school-led period: relevant only to the joining provider; leaving has no provider', async () => {
  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s3, { start: '2024-09-01', finish: '2024-12-31' });
  await trainingPeriod(sp1, null, { start: '2024-09-01', finish: '2024-12-31' });
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2025-01-06' });
  await trainingPeriod(sp2, s.pB2_24, { start: '2025-01-06' });
  const [tr] = (await transfersOf(s.B, t, '2025-06-15T00:00:00Z')).attributes.transfers;
  assert.equal(tr.transfer_type, 'new_provider');
  assert.deepEqual(tr.leaving, { school_urn: s.s3.urn, date: '2024-12-31' });
  assert.deepEqual(tr.joining, { school_urn: s.s2.urn, provider: s.B.name, date: '2025-01-06' });
  assert404(await s.A.api.get(`${P}/${t.id}/transfers`));
});

test('8.2: no transfer when the next school period is at the same school, or the leaving training period is unfinished', async () => {
  const same = await ect(s.s1, s.pA1_24, '2024-09-01', '2024-12-31');
  const again = await schoolPeriod(same.t, 'ect', s.s1, { start: '2025-01-06' });
  await trainingPeriod(again, s.pA1_24, { start: '2025-01-06' });
  assert404(await s.A.api.get(`${P}/${same.t.id}/transfers`, { headers: at('2025-06-15T00:00:00Z') }));

  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01', finish: '2024-12-31' });
  await trainingPeriod(sp1, s.pA1_24, { start: '2024-09-01' });
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2025-01-06' });
  await trainingPeriod(sp2, s.pB2_24, { start: '2025-01-06' });
  for (const lp of [s.A, s.B]) assert404(await lp.api.get(`${P}/${t.id}/transfers`, { headers: at('2025-06-15T00:00:00Z') }));
});

test('8.2: a transfer\'s updated_at is the latest change of its leaving or joining period; filter[updated_since] uses it', async () => {
  const t = await teacher();
  const sp1 = await schoolPeriod(t, 'ect', s.s1, { start: '2024-09-01' });
  const tp1 = await trainingPeriod(sp1, s.pA1_24, { start: '2024-09-01' });
  await updateSchoolPeriod(sp1, { finished_on: '2025-12-31' }, '2025-06-02T10:00:00Z');
  await finishTraining(tp1, '2025-12-31', '2025-06-03T10:00:00Z');
  const read = async () => (await transfersOf(s.A, t, '2025-06-15T00:00:00Z')).attributes;
  assert.equal((await read()).updated_at, '2025-06-03T10:00:00Z');
  const since = async (v) => ids(await all(s.A, T, { 'filter[updated_since]': v }, '2025-06-15T00:00:00Z'));
  assert.ok((await since('2025-06-03T10:00:00Z')).includes(t.id), '>=');
  assert.ok(!(await since('2025-06-03T10:00:01Z')).includes(t.id));
  const sp2 = await schoolPeriod(t, 'ect', s.s2, { start: '2026-01-05' }, '2025-06-04T10:00:00Z');
  await trainingPeriod(sp2, s.pB2_24, { start: '2026-01-05' }, '2025-06-04T10:00:01Z');
  const a = await read();
  assert.equal(a.updated_at, '2025-06-04T10:00:01Z');
  assert.equal(a.transfers[0].transfer_type, 'new_provider');
  assert.ok((await since('2025-06-04T10:00:01Z')).includes(t.id));
});

// ------------------------------------------------------------------ cross-tenant
test('cross-tenant: an uninvolved provider gets 404 for another provider\'s participant, transfer and unfunded mentor, and lists none', async () => {
  assert404(await s.C.api.get(`${P}/${s.switched.id}`));
  assert404(await s.C.api.get(`${P}/${s.overlap.id}/transfers`));
  assert404(await s.C.api.get(`${U}/${s.unfunded.id}`));
  assert404(await s.C.api.get(`${P}/${randomUUID()}/transfers`));
  for (const path of [P, T, U]) assert.deepEqual(await all(s.C, path, {}, '2025-12-15T00:00:00Z'), [], path);
  // The providers that are involved see them.
  assert.equal((await s.A.api.get(`${P}/${s.overlap.id}/transfers`)).status, 200);
  assert.ok(ids(await all(s.A, T, {}, '2025-12-15T00:00:00Z')).includes(s.overlap.id));
  assert.ok(ids(await all(s.B, T, {}, '2025-12-15T00:00:00Z')).includes(s.overlap.id));
});

await run();
closeAgent();
