// Lead Provider API v3 participant actions (spec section 2): PUT /participants/{id}/defer,
// /withdraw, /resume, /change-schedule. One named point per rule and error text, in the
// spec's order, plus the effects on training periods read back from the database, the audit
// trail, updated_at, concurrency and tenancy. Every request runs on the sandbox clock
// (X-With-Server-Date); test data comes from the admin data API (lib/actions_fixtures.mjs).

import { test, run } from './lib/tap.mjs';
import { closeAgent, rawRequest } from './lib/client.mjs';
import { sql, forgetDocuments } from './lib/db.mjs';
import {
  assert,
  stack,
  uniq,
  assert401,
  assert403,
  assert404,
  assertMalformed,
  clientWithScopes,
  ADMIN,
  JSON_CT,
} from './lib/fixtures.mjs';
import {
  P,
  TODAY,
  NOW,
  SETUP,
  at,
  bin,
  day,
  leadProvider,
  deliveryPartner,
  school,
  partnership,
  teacher,
  schoolPeriod,
  trainingPeriod,
  participant,
  body,
  act,
  view,
  enrolment,
  periods,
  auditEvents,
  teacherRow,
  declaration,
  declarationCohort,
} from './lib/actions_fixtures.mjs';

const YESTERDAY = day(TODAY, -1);
const TOMORROW = day(TODAY, 1);
const ECT = 'ecf-induction';
const MENTOR = 'ecf-mentor';
const s = {};

const E = {
  course: ['course_identifier', "Enter a '#/course_identifier'."],
  courseNotRecognised: [
    'course_identifier',
    "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.",
  ],
  reasonMissing: ['reason', "Enter a '#/reason'."],
  reasonInvalid: ['reason', "The entered '#/reason' is not recognised for the given participant. Check details and try again."],
  alreadyDeferred: ['participant_id', "The '#/participant_id' is already deferred."],
  alreadyWithdrawn: ['participant_id', "The '#/participant_id' is already withdrawn."],
  deferNotStarted: [
    'participant_id',
    'You cannot defer #/participant_id. This is because they have not been training with you for at least one day.',
  ],
  withdrawNotStarted: [
    'participant_id',
    'You cannot withdraw #/participant_id. This is because they have not been training with you for at least one day.',
  ],
  changedToday: [
    'participant_id',
    'You cannot defer or withdraw this participant today. You need to try again tomorrow as the training was recently changed for this participant.',
  ],
  ectNotMentor: ['reason', 'You cannot withdraw an ECT for this reason. The ECT is not a mentor.'],
  alreadyActive: ['participant_id', "The '#/participant_id' is already active."],
  activeWithOther: ['participant_id', 'This participant cannot be resumed because they are already active with another provider.'],
  resumeSameDay: [
    'participant_id',
    'You cannot resume a participant on the same day they were withdrawn or deferred. Resume them tomorrow or later.',
  ],
  leftSchool: ['participant_id', 'The participant is no longer at the school. Please contact the induction tutor to resolve.'],
  scheduleInvalid: [
    'schedule_identifier',
    "The property '#/schedule_identifier' must be present and correspond to a valid schedule.",
  ],
  scheduleUnknown: ['schedule_identifier', 'Enter a valid schedule identifier.'],
  scheduleSame: ['schedule_identifier', 'Selected schedule is already on the profile'],
  ectReplacement: ['schedule_identifier', 'Selected schedule is not valid for the course_identifier'],
  mentorReduced: ['schedule_identifier', 'Mentors cannot be placed on a reduced schedule. Assign them to a different schedule.'],
  invalidates: [
    'schedule_identifier',
    'The change of schedule cannot be applied because a previous change of schedule and a declaration were made on the same day. Applying another change of schedule would invalidate existing declarations. Please contact DfE for assistance.',
  ],
  noPartnership: [
    'cohort',
    'You cannot change a participant to this contract_period as you do not have a partnership with the school for the contract_period. Contact the DfE for assistance.',
  ],
  frozen: ['cohort', 'You cannot move a participant to a payments frozen cohort unless they previously belonged to that cohort.'],
  completed: ['participant_id', "You cannot change this participant's schedule as they have completed their training or induction."],
  notTraining: [
    'participant_id',
    "You cannot change this participant's schedule. This is because the participant has a 'left' participant_status, so they are not training with you currently.",
  ],
  withdrawn: ['participant_id', 'Cannot perform actions on a withdrawn participant'],
  futureProvider: [
    'participant_id',
    "You cannot change this participant's schedule as they are due to start with another lead provider in the future.",
  ],
};

/** Asserts a 422 with exactly these [title, detail] entries, in order. */
function assert422(r, ...errors) {
  assert.equal(r.status, 422, `expected 422, got ${r.status}: ${r.text.slice(0, 600)}`);
  assert.equal(r.headers['content-type'], JSON_CT);
  assert.deepEqual(
    r.json,
    { errors: errors.map(([title, detail]) => ({ title, detail })) },
  );
}

function ok200(r) {
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.text.slice(0, 600)}`);
  assert.equal(r.headers['content-type'], JSON_CT);
  return r.json.data;
}

/** A fresh ECT of provider A at the main school (2025, standard september) by default. */
const ect = (opts = {}) => participant(opts.pa || s.pA2025, opts.school || s.school, { role: 'ect', ...opts });
const mentor = (opts = {}) => participant(opts.pa || s.pA2025, opts.school || s.school, { role: 'mentor', ...opts });

// ---------------------------------------------------------------- setup
test('setup: two providers, delivery partners, a school and partnerships', async () => {
  s.A = await leadProvider('A');
  s.B = await leadProvider('B');
  s.dp1 = await deliveryPartner();
  s.dp2 = await deliveryPartner();
  s.school = await school();
  s.school2 = await school();
  s.pA2025 = await partnership(s.school, s.A, s.dp1, 2025);
  s.pA2024 = await partnership(s.school, s.A, s.dp1, 2024);
  s.pA2022 = await partnership(s.school, s.A, s.dp1, 2022);
  s.pB2025 = await partnership(s.school, s.B, s.dp1, 2025);
  // 2023 at the main school: one with the same delivery partner (created first) and a later
  // one with another; the same delivery partner wins.
  s.pA2023dp1 = await partnership(s.school, s.A, s.dp1, 2023, '2025-08-01T09:00:00Z');
  s.pA2023dp2 = await partnership(s.school, s.A, s.dp2, 2023, '2025-08-02T09:00:00Z');
  // school2: A in 2025 with dp2; in 2024 two partnerships of other delivery partners: the
  // most recently created wins.
  s.pA2025s2 = await partnership(s.school2, s.A, s.dp2, 2025);
  s.dp3 = await deliveryPartner();
  s.pA2024s2old = await partnership(s.school2, s.A, s.dp1, 2024, '2025-08-01T09:00:00Z');
  s.pA2024s2new = await partnership(s.school2, s.A, s.dp3, 2024, '2025-08-03T09:00:00Z');
}, { bail: true, timeout: 60000 });

// ---------------------------------------------------------------- auth, shape, 404
test('actions need a token (401) and the lead_provider scope (403)', async () => {
  const p = await ect();
  for (const a of ['defer', 'withdraw', 'resume', 'change-schedule']) {
    assert401(await stack().anon.put(`${P}/${p.id}/${a}`, body(a, { course_identifier: ECT })));
    const mentorsOnly = await clientWithScopes(['mentors:read']);
    assert403(await mentorsOnly.put(`${P}/${p.id}/${a}`, body(a, { course_identifier: ECT })));
  }
});

test('400 for a body without data, with empty data, without attributes, or with none of the action\'s attributes', async () => {
  const p = await ect();
  const put = (a, json) => s.A.api.put(`${P}/${p.id}/${a}`, json, at(NOW));
  for (const a of ['defer', 'withdraw', 'resume', 'change-schedule']) {
    assertMalformed(await put(a, {}));
    assertMalformed(await put(a, { data: {} }));
    assertMalformed(await put(a, { data: null }));
    assertMalformed(await put(a, { data: [] }));
    assertMalformed(await put(a, { data: { type: `participant-${a}` } }));
    assertMalformed(await put(a, { data: { attributes: 'x' } }));
    assertMalformed(await put(a, { data: { attributes: {} } }));
    assertMalformed(await put(a, { data: { attributes: { colour: 'red' } } }));
    assertMalformed(await put(a, { data: { attributes: { course_identifier: { x: 1 } } } }));
    assertMalformed(await s.A.api.put(`${P}/${p.id}/${a}`, undefined, { body: '{"data":', contentType: 'application/json', ...at(NOW) }));
  }
  // Attributes of another action do not count: resume takes only course_identifier.
  assertMalformed(await put('resume', { data: { attributes: { reason: 'other' } } }));
  assertMalformed(await put('defer', { data: { attributes: { schedule_identifier: 'ecf-standard-january' } } }));
  // Shape is checked before the participant is looked up.
  assertMalformed(await s.A.api.put(`${P}/00000000-0000-4000-8000-000000000000/defer`, {}, at(NOW)));
  assert.equal(periods(p.id)[0].deferred_at, null);
});

test('extra attributes and data.type are ignored; null counts as an attribute (then missing)', async () => {
  const p = await ect();
  assert422(
    await s.A.api.put(`${P}/${p.id}/defer`, { data: { type: 'whatever', attributes: { reason: null, colour: 'red' } } }, at(NOW)),
    E.course,
    E.reasonMissing,
  );
  const d = ok200(await s.A.api.put(`${P}/${p.id}/defer`, { data: { attributes: { reason: 'other', course_identifier: ECT, x: 1 } } }, at(NOW)));
  assert.equal(enrolment(d).training_status, 'deferred');
});

test('404 for an unknown id, a malformed id and another provider\'s participant (exactly like missing)', async () => {
  const p = await ect();
  const other = await ect({ pa: s.pB2025 });
  for (const a of ['defer', 'withdraw', 'resume', 'change-schedule']) {
    const attrs = { course_identifier: ECT, reason: 'other', schedule_identifier: 'ecf-standard-january' };
    assert404(await act(s.A, '00000000-0000-4000-8000-000000000000', a, attrs));
    assert404(await act(s.A, 'not-a-uuid', a, attrs));
    assert404(await act(s.A, other.id, a, attrs));
  }
  // B's participant is untouched; A's own still answers.
  assert.equal(periods(other.id)[0].deferred_at, null);
  assert.equal(auditEvents(other.id).length, 0);
  ok200(await act(s.B, other.id, 'defer', { course_identifier: ECT, reason: 'other' }));
  assert.equal(auditEvents(p.id).length, 0);
});

// ---------------------------------------------------------------- shared (2.2)
test('shared: course_identifier missing or unknown -> "Enter a \'#/course_identifier\'."', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'defer', { reason: 'other' }), E.course);
  assert422(await act(s.A, p.id, 'defer', { reason: 'other', course_identifier: 'ecf-foo' }), E.course);
  assert422(await act(s.A, p.id, 'resume', { course_identifier: '' }), E.course);
  assert422(await act(s.A, p.id, 'resume', { course_identifier: 5 }), E.course);
});

test('shared: a valid course_identifier without a period of that type with this provider -> not recognised', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: MENTOR, reason: 'other' }), E.courseNotRecognised);
  assert422(await act(s.A, p.id, 'resume', { course_identifier: MENTOR }), E.courseNotRecognised);
  // Without a period and without a cohort there is no target cohort, so no schedule either.
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-standard-january' }),
    E.courseNotRecognised,
    E.scheduleInvalid,
  );
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-standard-january', cohort: '2025' }),
    E.courseNotRecognised,
  );
});

// ---------------------------------------------------------------- defer (2.3)
test('defer: 200 with the participant as GET shows it: deferred, left, deferral {reason, date}', async () => {
  const p = await ect();
  const d = ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'long-term-sickness' }));
  const e = enrolment(d);
  assert.equal(e.training_status, 'deferred');
  assert.equal(e.participant_status, 'left');
  assert.deepEqual(e.deferral, { reason: 'long-term-sickness', date: NOW });
  assert.equal(e.withdrawal, null);
  assert.equal(d.attributes.updated_at, NOW);
  assert.deepEqual(d, (await view(s.A, p.id)).data);
  const [tp] = periods(p.id);
  assert.equal(tp.deferred_at, '2025-11-10 12:00:00.000000');
  assert.equal(tp.deferral_reason, 'long-term-sickness');
  assert.equal(tp.finished_on, TODAY);
  assert.equal(tp.updated_at, '2025-11-10 12:00:00.000000');
  assert.equal(tp.transfer_updated_at, '2025-11-10 12:00:00.000000');
});

test('defer: every reason of the list is accepted', async () => {
  for (const reason of ['bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other']) {
    const p = await ect();
    assert.deepEqual(enrolment(ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason }))).deferral.reason, reason);
  }
});

test('defer: a finished_on before today is kept; a later one becomes today', async () => {
  const a = await ect({ finish: day(TODAY, -3) });
  ok200(await act(s.A, a.id, 'defer', { course_identifier: ECT, reason: 'other' }));
  const [ta] = periods(a.id);
  assert.equal(ta.finished_on, day(TODAY, -3));
  assert.equal(ta.transfer_updated_at.slice(0, 10), SETUP.slice(0, 10), 'transfer_updated_at unchanged with the dates');
  const b = await ect({ finish: '2026-07-31' });
  ok200(await act(s.A, b.id, 'defer', { course_identifier: ECT, reason: 'other' }));
  assert.equal(periods(b.id)[0].finished_on, TODAY);
});

test('defer: reason missing -> "Enter a \'#/reason\'."', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT }), E.reasonMissing);
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: '' }), E.reasonMissing);
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: '   ' }), E.reasonMissing);
});

test('defer: reason not in the list (underscored too) -> not recognised', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'long_term_sickness' }), E.reasonInvalid);
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'moved-school' }), E.reasonInvalid);
});

test('defer: already deferred -> "The \'#/participant_id\' is already deferred."', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-11-03T10:00:00Z'));
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }), E.alreadyDeferred);
});

test('defer: already withdrawn -> "The \'#/participant_id\' is already withdrawn."', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }, '2025-11-03T10:00:00Z'));
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }), E.alreadyWithdrawn);
});

test('defer: a period starting in the future -> "You cannot defer #/participant_id..."', async () => {
  const p = await ect({ start: TOMORROW, spStart: '2025-09-01' });
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }), E.deferNotStarted);
});

test('defer: a period started today -> "You cannot defer or withdraw this participant today..."', async () => {
  const p = await ect({ start: TODAY, spStart: '2025-09-01' });
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }), E.changedToday);
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, `${TOMORROW}T09:00:00Z`));
});

test('defer: reason and participant_id errors come together, course first when it fails', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-11-03T10:00:00Z'));
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT }), E.reasonMissing, E.alreadyDeferred);
  assert422(await act(s.A, p.id, 'defer', { course_identifier: 'ecf-foo', reason: 'nope' }), E.course, E.reasonInvalid);
});

test('defer: a mentor enrolment is deferred on its own; the ECT enrolment stays active', async () => {
  const t = await teacher();
  const spE = await schoolPeriod(t, s.school, { role: 'ect' });
  await trainingPeriod(spE, s.pA2025);
  const spM = await schoolPeriod(t, s.school, { role: 'mentor' });
  await trainingPeriod(spM, s.pA2025);
  const d = ok200(await act(s.A, t.id, 'defer', { course_identifier: MENTOR, reason: 'career-break' }));
  assert.equal(enrolment(d, 'mentor').training_status, 'deferred');
  assert.equal(enrolment(d, 'ect').training_status, 'active');
});

// ---------------------------------------------------------------- withdraw (2.4)
test('withdraw: 200 withdrawn, left, withdrawal {reason, date}; finished_on today', async () => {
  const p = await ect();
  const d = ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'changed-lead-provider' }));
  const e = enrolment(d);
  assert.equal(e.training_status, 'withdrawn');
  assert.equal(e.participant_status, 'left');
  assert.deepEqual(e.withdrawal, { reason: 'changed-lead-provider', date: NOW });
  assert.equal(e.deferral, null);
  assert.deepEqual(d, (await view(s.A, p.id)).data);
  const [tp] = periods(p.id);
  assert.equal(tp.withdrawal_reason, 'changed-lead-provider');
  assert.equal(tp.withdrawn_at, '2025-11-10 12:00:00.000000');
  assert.equal(tp.finished_on, TODAY);
});

test('withdraw: every reason of the list is accepted (mentor-no-longer-being-mentor for a mentor)', async () => {
  for (const reason of ['left-teaching-profession', 'moved-school', 'switched-to-school-led', 'changed-lead-provider', 'other']) {
    const p = await ect();
    assert.equal(enrolment(ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason }))).withdrawal.reason, reason);
  }
  const m = await mentor();
  const d = ok200(await act(s.A, m.id, 'withdraw', { course_identifier: MENTOR, reason: 'mentor-no-longer-being-mentor' }));
  assert.equal(enrolment(d, 'mentor').withdrawal.reason, 'mentor-no-longer-being-mentor');
});

test('withdraw: reason missing or not in the list', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT }), E.reasonMissing);
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'school-left-fip' }), E.reasonInvalid);
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'bereavement' }), E.reasonInvalid);
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'moved_school' }), E.reasonInvalid);
});

test('withdraw: already withdrawn', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }, '2025-11-03T10:00:00Z'));
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }), E.alreadyWithdrawn);
});

test('withdraw: a deferred participant can be withdrawn (then withdrawn, the newer timestamp)', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-11-03T10:00:00Z'));
  const e = enrolment(ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'moved-school' })));
  assert.equal(e.training_status, 'withdrawn');
  assert.equal(e.deferral, null);
  assert.deepEqual(e.withdrawal, { reason: 'moved-school', date: NOW });
  assert.equal(periods(p.id)[0].finished_on, '2025-11-03', 'the earlier finished_on is kept');
});

test('withdraw: a period starting in the future -> "You cannot withdraw #/participant_id..."', async () => {
  const p = await ect({ start: day(TODAY, 10), spStart: '2025-09-01' });
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }), E.withdrawNotStarted);
});

test('withdraw: a period started today -> "You cannot defer or withdraw this participant today..."', async () => {
  const p = await ect({ start: TODAY, spStart: '2025-09-01' });
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }), E.changedToday);
});

test('withdraw: an ECT with mentor-no-longer-being-mentor -> reason error, only when nothing else failed', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'mentor-no-longer-being-mentor' }), E.ectNotMentor);
  const q = await ect({ start: TODAY, spStart: '2025-09-01' });
  assert422(await act(s.A, q.id, 'withdraw', { course_identifier: ECT, reason: 'mentor-no-longer-being-mentor' }), E.changedToday);
});

test('withdraw: missing reason and already withdrawn together', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }, '2025-11-03T10:00:00Z'));
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT }), E.reasonMissing, E.alreadyWithdrawn);
});

// ---------------------------------------------------------------- resume (2.5)
test('resume: a new period from today with the same partnership and schedule; the old one kept', async () => {
  const p = await ect({ schedule: 'ecf-extended-september', spFinish: '2026-07-31' });
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'parental-leave' }, '2025-10-01T10:00:00Z'));
  const d = ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }));
  const e = enrolment(d);
  assert.equal(e.training_status, 'active');
  assert.equal(e.participant_status, 'leaving', 'the new period finishes with the school period');
  assert.equal(e.deferral, null);
  assert.equal(e.withdrawal, null);
  assert.equal(e.schedule_identifier, 'ecf-extended-september');
  assert.equal(e.cohort, '2025');
  assert.deepEqual(d, (await view(s.A, p.id)).data);
  const [old, fresh] = periods(p.id);
  assert.equal(old.id, p.tp.id);
  assert.equal(old.deferral_reason, 'parental-leave');
  assert.equal(old.finished_on, '2025-10-01');
  assert.equal(fresh.started_on, TODAY);
  assert.equal(fresh.finished_on, '2026-07-31');
  assert.equal(fresh.partnership, s.pA2025.id);
  assert.equal(fresh.schedule, 'ecf-extended-september');
  assert.equal(fresh.deferred_at, null);
  assert.equal(fresh.school_period, p.sp.id);
});

test('resume: an open school period gives an open-ended period; participant_status active', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  const e = enrolment(ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT })));
  assert.equal(e.participant_status, 'active');
  assert.equal(periods(p.id)[1].finished_on, null);
});

test('resume: withdrawn participants can be resumed', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  assert.equal(enrolment(ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }))).training_status, 'active');
});

test('resume: already active -> "The \'#/participant_id\' is already active."', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'resume', { course_identifier: ECT }), E.alreadyActive);
  assert.equal(periods(p.id).length, 1);
});

test('resume: another period in the same school period covers today -> already active with another provider', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  await trainingPeriod(p.sp, s.pB2025, { start: '2025-10-02' });
  assert422(await act(s.A, p.id, 'resume', { course_identifier: ECT }), E.activeWithOther);
});

test('resume: deferred or withdrawn today -> "You cannot resume a participant on the same day..."', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, `${TODAY}T08:00:00Z`));
  assert422(await act(s.A, p.id, 'resume', { course_identifier: ECT }), E.resumeSameDay);
  ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }, `${TOMORROW}T08:00:00Z`));
});

test('resume: the school period finished today or earlier -> "The participant is no longer at the school..."', async () => {
  const p = await ect({ spFinish: TODAY });
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  assert422(await act(s.A, p.id, 'resume', { course_identifier: ECT }), E.leftSchool);
  const q = await ect({ spFinish: TOMORROW });
  ok200(await act(s.A, q.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  ok200(await act(s.A, q.id, 'resume', { course_identifier: ECT }));
  assert.equal(periods(q.id)[1].finished_on, TOMORROW, 'a school period due to finish tomorrow still allows a resume');
});

// ---------------------------------------------------------------- change-schedule (2.6)
test('change-schedule: started before today -> old period finishes yesterday, a new one starts today', async () => {
  const p = await ect({ spFinish: '2026-08-31', finish: '2026-07-31' });
  const decl = declaration(p.tp.id, { date: '2025-09-15T10:00:00Z' });
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-january' }));
  const e = enrolment(d);
  assert.equal(e.schedule_identifier, 'ecf-extended-january');
  assert.equal(e.cohort, '2025');
  assert.equal(e.training_status, 'active');
  assert.deepEqual(d, (await view(s.A, p.id)).data);
  const [old, fresh] = periods(p.id);
  assert.equal(old.finished_on, YESTERDAY);
  assert.equal(old.schedule, 'ecf-standard-september');
  assert.equal(fresh.started_on, TODAY);
  assert.equal(fresh.finished_on, '2026-07-31', 'the earliest not-yet-past of the two finishes');
  assert.equal(fresh.schedule, 'ecf-extended-january');
  assert.equal(fresh.partnership, s.pA2025.id);
  const [declTp] = sql(`SELECT HEX(tp.api_id) FROM declarations d JOIN training_periods tp ON tp.id = d.training_period_id WHERE d.api_id = ${bin(decl)}`)[0];
  assert.equal(declTp.toLowerCase(), p.tp.id.replace(/-/g, ''), 'declarations stay on the old period');
  // After this, defer or withdraw on the same day is refused.
  assert422(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }), E.changedToday);
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }), E.changedToday);
});

test('change-schedule: a period starting today or later is changed in place', async () => {
  const p = await ect({ start: day(TODAY, 20), spStart: '2025-09-01' });
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-january' }));
  assert.equal(enrolment(d).schedule_identifier, 'ecf-standard-january');
  assert.equal(enrolment(d).participant_status, 'joining', 'joining participants can change schedule');
  const all = periods(p.id);
  assert.equal(all.length, 1);
  assert.equal(all[0].id, p.tp.id);
  assert.equal(all[0].schedule, 'ecf-standard-january');
  assert.equal(all[0].started_on, day(TODAY, 20));
});

test('change-schedule: cohort change in place moves the period, its partnership and its declarations\' cohort', async () => {
  const p = await ect({ start: TODAY, spStart: '2025-09-01' });
  const decl = declaration(p.tp.id, { date: '2025-11-10T09:00:00Z' });
  // 2024 standard september's started window closed on 2024-12-31: that would invalidate it.
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }),
    E.invalidates,
  );
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september', cohort: '2024' }));
  assert.equal(enrolment(d).cohort, '2024');
  assert.equal(enrolment(d).schedule_identifier, 'ecf-extended-september');
  const [tp] = periods(p.id);
  assert.equal(tp.cohort, 2024);
  assert.equal(tp.partnership, s.pA2024.id);
  assert.equal(declarationCohort(decl), 2024);
});

test('change-schedule: a cohort change picks the partnership with the same delivery partner', async () => {
  const p = await ect();
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2023' }));
  assert.equal(enrolment(d).delivery_partner_id, s.dp1.id);
  assert.equal(periods(p.id)[1].partnership, s.pA2023dp1.id);
});

test('change-schedule: without the same delivery partner, the most recently created partnership', async () => {
  const p = await participant(s.pA2025s2, s.school2, { role: 'ect' });
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: 2024 }));
  assert.equal(enrolment(d).delivery_partner_id, s.dp3.id);
  assert.equal(periods(p.id)[1].partnership, s.pA2024s2new.id);
});

test('change-schedule: leaving participants can change schedule', async () => {
  const p = await ect({ finish: day(TODAY, 30) });
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }));
  assert.equal(enrolment(d).participant_status, 'leaving');
  assert.equal(periods(p.id)[1].finished_on, day(TODAY, 30));
});

test('change-schedule: schedule_identifier blank -> must be present and correspond to a valid schedule', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT }), E.scheduleInvalid);
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: '' }), E.scheduleInvalid);
});

test('change-schedule: not one of the 12 identifiers -> "Enter a valid schedule identifier."', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-june' }), E.scheduleUnknown);
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: 'ecf-foo', schedule_identifier: 'x' }),
    E.course,
    E.scheduleUnknown,
  );
});

test('change-schedule: identifier valid but not in the target cohort -> must correspond to a valid schedule', async () => {
  const p = await ect();
  // A cohort with no schedules, only for this test.
  sql("INSERT INTO cohorts (year, started_on, finished_on, payments_frozen_at, mentor_funding_enabled, detailed_evidence_types_enabled, uplift_fees_enabled) VALUES (2099, '2099-06-01', '2100-05-31', NULL, 1, 1, 0)");
  try {
    assert422(
      await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-january', cohort: '2099' }),
      E.scheduleInvalid,
      E.noPartnership, // the cohort checks run whatever the schedule check found
    );
  } finally {
    sql('DELETE FROM cohorts WHERE year = 2099');
  }
});

test('change-schedule: the same schedule -> "Selected schedule is already on the profile"', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september' }), E.scheduleSame);
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2025' }),
    E.scheduleSame,
  );
  // A cohort that names no contract period falls back to the current one silently.
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '1999' }),
    E.scheduleSame,
  );
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: 'abc' }),
    E.scheduleSame,
  );
  assert.equal(periods(p.id).length, 1);
});

test('change-schedule: the same identifier in another cohort is a cohort change (decision 12)', async () => {
  const p = await ect();
  const d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }));
  assert.equal(enrolment(d).cohort, '2024');
});

test('change-schedule: ECT to a replacement schedule -> not valid for the course_identifier', async () => {
  const p = await ect();
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-replacement-january' }), E.ectReplacement);
  const m = await mentor();
  ok200(await act(s.A, m.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-replacement-january' }));
});

test('change-schedule: mentor to a reduced schedule -> "Mentors cannot be placed on a reduced schedule..."', async () => {
  const m = await mentor();
  assert422(await act(s.A, m.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-reduced-april' }), E.mentorReduced);
  const p = await ect();
  ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-reduced-april' }));
});

test('change-schedule: started today and a declaration would fall outside the new schedule -> invalidates', async () => {
  // 2024 standard september: started window 2024-06-01..2024-12-31; january starts 2025-01-01.
  const p = await ect({ pa: s.pA2024, start: TODAY, spStart: '2025-09-01', schedule: 'ecf-standard-september' });
  declaration(p.tp.id, { date: '2024-10-01T10:00:00Z' });
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-january' }), E.invalidates);
  // A declaration that stays valid does not block (extended september: open from 2024-09-01).
  ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }));
  // Started before today: declarations are not re-validated (they stay on the old period).
  const q = await ect({ pa: s.pA2024, schedule: 'ecf-standard-september', start: '2024-09-01', spStart: '2024-09-01' });
  declaration(q.tp.id, { date: '2024-10-01T10:00:00Z' });
  ok200(await act(s.A, q.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-january' }));
});

test('change-schedule: a cohort change without a partnership at the school -> contract_period error', async () => {
  const p = await ect();
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2021' }),
    E.noPartnership,
  );
  // B has no 2024 partnership at the school.
  const b = await ect({ pa: s.pB2025 });
  assert422(
    await act(s.B, b.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }),
    E.noPartnership,
  );
});

test('change-schedule: into a payments-frozen cohort never belonged to -> frozen error', async () => {
  const p = await ect();
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2022' }),
    E.frozen,
  );
  assert.equal(teacherRow(p.id).ectFrozen, null);
});

test('change-schedule: leaving a frozen cohort records it; moving back clears it', async () => {
  const p = await ect({ pa: s.pA2022, start: '2022-09-01', spStart: '2022-09-01' });
  let d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }));
  assert.equal(enrolment(d).cohort, '2024');
  assert.equal(enrolment(d).cohort_changed_after_payments_frozen, true);
  assert.equal(teacherRow(p.id).ectFrozen, 2022);
  d = ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2022' }, `${TOMORROW}T09:00:00Z`));
  assert.equal(enrolment(d).cohort, '2022');
  assert.equal(enrolment(d).cohort_changed_after_payments_frozen, false);
  assert.equal(teacherRow(p.id).ectFrozen, null);
  const all = periods(p.id);
  assert.deepEqual(all.map((x) => x.cohort), [2022, 2024, 2022]);
  assert.deepEqual(all.map((x) => x.finished_on), [YESTERDAY, TODAY, null]);
  // A mentor's move records the mentor year, not the ECT one.
  const m = await mentor({ pa: s.pA2022, start: '2022-09-01', spStart: '2022-09-01' });
  const dm = ok200(await act(s.A, m.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-standard-september', cohort: '2024' }));
  assert.equal(enrolment(dm, 'mentor').cohort_changed_after_payments_frozen, true);
  assert.deepEqual([teacherRow(m.id).ectFrozen, teacherRow(m.id).mentorFrozen], [null, 2022]);
});

test('change-schedule: an ECT who completed induction -> completed error; to a reduced schedule in place', async () => {
  const p = await ect();
  const r = await stack().admin.post(`${ADMIN}/teachers/${p.id}/induction-periods`, { started_on: '2025-09-01', finished_on: '2025-10-31', outcome: 'pass' }, at(SETUP));
  assert.equal(r.status, 201, r.text);
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }), E.completed);
  ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-reduced-september' }));
  const all = periods(p.id);
  assert.equal(all.length, 1, 'a completed ECT moving to reduced is updated in place');
  assert.equal(all[0].schedule, 'ecf-reduced-september');
});

test('change-schedule: a mentor who completed -> completed; to reduced -> both errors', async () => {
  const m = await mentor();
  sql(`UPDATE teachers SET mentor_became_ineligible_on = '2025-10-01', mentor_ineligible_reason = 'completed_declaration_received' WHERE api_id = ${bin(m.id)}`);
  forgetDocuments({ teacher: m.id });
  assert422(await act(s.A, m.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-extended-september' }), E.completed);
  assert422(
    await act(s.A, m.id, 'change-schedule', { course_identifier: MENTOR, schedule_identifier: 'ecf-reduced-september' }),
    E.mentorReduced,
    E.completed,
  );
});

test('change-schedule: a left participant (finished, deferred) -> \'left\' participant_status error', async () => {
  const p = await ect({ finish: YESTERDAY });
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }), E.notTraining);
  const q = await ect();
  ok200(await act(s.A, q.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  assert422(await act(s.A, q.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }), E.notTraining);
});

test('change-schedule: withdrawn with a finished_on still in the future -> "Cannot perform actions on a withdrawn participant"', async () => {
  const p = await ect({ finish: day(TODAY, 30) });
  sql(`UPDATE training_periods SET withdrawn_at = '2025-11-01 10:00:00', withdrawal_reason = 'other' WHERE api_id = ${bin(p.tp.id)}`);
  forgetDocuments({ trainingPeriod: p.tp.id });
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }), E.withdrawn);
});

test('change-schedule: due to start with another provider -> future provider error', async () => {
  const p = await ect({ finish: day(TODAY, 30) });
  await trainingPeriod(p.sp, s.pB2025, { start: day(TODAY, 31) });
  assert422(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-extended-september' }), E.futureProvider);
});

test('change-schedule: one error per group, in group order', async () => {
  const p = await ect({ finish: day(TODAY, 30) });
  await trainingPeriod(p.sp, s.pB2025, { start: day(TODAY, 31) });
  assert422(
    await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-replacement-september', cohort: '2021' }),
    E.ectReplacement,
    E.noPartnership,
    E.futureProvider,
  );
});

// ---------------------------------------------------------------- integrity
test('two concurrent defers of one participant: one 200, one 422 already deferred', async () => {
  for (let round = 0; round < 3; round++) {
    const p = await ect();
    const rs = await Promise.all([
      act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }),
      act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'bereavement' }),
    ]);
    const statuses = rs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 422], rs.map((r) => r.text).join('\n'));
    assert422(rs.find((r) => r.status === 422), E.alreadyDeferred);
    assert.equal(auditEvents(p.id).length, 1);
    assert.equal(periods(p.id).length, 1);
  }
});

test('concurrent resumes create one new period', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  const rs = await Promise.all([0, 1, 2].map(() => act(s.A, p.id, 'resume', { course_identifier: ECT })));
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 422, 422]);
  assert.equal(periods(p.id).length, 2);
});

test('a refused action changes nothing and writes no audit event', async () => {
  const p = await ect();
  const before = periods(p.id);
  const tBefore = teacherRow(p.id);
  assert422(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'mentor-no-longer-being-mentor' }), E.ectNotMentor);
  assert.deepEqual(periods(p.id), before);
  assert.deepEqual(teacherRow(p.id), tBefore);
  assert.equal(auditEvents(p.id).length, 0);
});

/**
 * Runs fn while the audit insert for this teacher fails (a trigger that signals an error):
 * the action's last write fails after its other writes, so the transaction must leave
 * nothing behind.
 */
async function withFailingAudit(teacherId, fn) {
  const [[pk]] = sql(`SELECT id FROM teachers WHERE api_id = ${bin(teacherId)}`);
  const name = `actions_fail_${pk}`;
  sql(`DELIMITER //
       CREATE TRIGGER ${name} BEFORE INSERT ON audit_events FOR EACH ROW
       BEGIN IF NEW.teacher_id = ${pk} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'actions test'; END IF; END//
       DELIMITER ;`);
  try {
    return await fn();
  } finally {
    sql(`DROP TRIGGER IF EXISTS ${name}`);
  }
}

/** The action without the contract check (a 500 is not part of the contract). */
function rawAct(lp, id, action, attributes, instant = NOW) {
  return rawRequest('PUT', `${P}/${id}/${action}`, {
    headers: { Authorization: `Bearer ${lp.token}`, 'Content-Type': 'application/json', 'X-With-Server-Date': instant },
    body: JSON.stringify(body(action, attributes)),
  });
}

function metadataRow(teacherId) {
  return sql(`SELECT m.lead_provider_id, IFNULL(m.latest_ect_training_period_id, 'NULL'), m.teacher_updated_at
                FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id
               WHERE t.api_id = ${bin(teacherId)} ORDER BY m.lead_provider_id`);
}

test('a failure part way (the audit insert) leaves nothing behind: 500, no change', async () => {
  const p = await ect({ finish: '2026-07-31' });
  const before = { periods: periods(p.id), teacher: teacherRow(p.id), metadata: metadataRow(p.id) };
  const r = await withFailingAudit(p.id, () => rawAct(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }));
  assert.equal(r.status, 500, r.text);
  assert.deepEqual({ periods: periods(p.id), teacher: teacherRow(p.id), metadata: metadataRow(p.id) }, before);
  // Resume inserts a period and change-schedule finishes one and inserts another: both undone.
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-10-01T10:00:00Z'));
  const deferred = { periods: periods(p.id), teacher: teacherRow(p.id), metadata: metadataRow(p.id) };
  const r2 = await withFailingAudit(p.id, () => rawAct(s.A, p.id, 'resume', { course_identifier: ECT }));
  assert.equal(r2.status, 500, r2.text);
  assert.deepEqual({ periods: periods(p.id), teacher: teacherRow(p.id), metadata: metadataRow(p.id) }, deferred);
  ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }, '2025-10-02T10:00:00Z'));
  const resumed = { periods: periods(p.id), teacher: teacherRow(p.id), metadata: metadataRow(p.id) };
  const r3 = await withFailingAudit(p.id, () =>
    rawAct(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }),
  );
  assert.equal(r3.status, 500, r3.text);
  assert.deepEqual({ periods: periods(p.id), teacher: teacherRow(p.id), metadata: metadataRow(p.id) }, resumed);
  // And the same request succeeds once the fault is gone.
  ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }));
});

test('audit: each action records event, token jti, request id, status before/after and details', async () => {
  const p = await ect();
  const rid = `actions-${uniq()}-${'x'.repeat(90)}`; // longer than 64 characters
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'career-break' }, '2025-10-01T10:00:00Z', { 'X-Request-Id': rid }));
  ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }, '2025-10-02T10:00:00Z'));
  ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'moved-school' }, '2025-10-05T10:00:00Z'));
  ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }, '2025-10-06T10:00:00Z'));
  ok200(await act(s.A, p.id, 'change-schedule', { course_identifier: ECT, schedule_identifier: 'ecf-standard-september', cohort: '2024' }));
  const ev = auditEvents(p.id);
  const tps = periods(p.id);
  assert.deepEqual(ev.map((e) => e.event), [
    'participant.deferred',
    'participant.resumed',
    'participant.withdrawn',
    'participant.resumed',
    'participant.schedule_changed',
  ]);
  assert.ok(ev.every((e) => e.jti === s.A.jti));
  assert.equal(ev[0].request_id, rid);
  assert.deepEqual(ev.map((e) => [e.before, e.after]), [
    ['active', 'deferred'],
    ['deferred', 'active'],
    ['active', 'withdrawn'],
    ['withdrawn', 'active'],
    ['active', 'active'],
  ]);
  assert.deepEqual(ev[0].details, { course_identifier: ECT, reason: 'career-break', finished_on: { from: null, to: '2025-10-01' } });
  assert.equal(ev[0].training_period, tps[0].id);
  assert.equal(ev[1].training_period, tps[1].id, 'resume records the new period');
  assert.equal(ev[4].details.schedule.from, 'ecf-standard-september');
  assert.equal(ev[4].details.schedule.to, 'ecf-standard-september');
  assert.deepEqual(ev[4].details.cohort, { from: 2025, to: 2024 });
  assert.equal(ev[4].details.in_place, false);
  assert.equal(ev[4].training_period, tps[3].id);
  assert.equal(ev[4].occurred_at, '2025-11-10 12:00:00.000000');
});

test('updated_at moves to the action\'s instant and filter[updated_since] finds the participant', async () => {
  const p = await ect();
  const before = (await view(s.A, p.id)).data.attributes.updated_at;
  assert.equal(before, SETUP);
  ok200(await act(s.A, p.id, 'defer', { course_identifier: ECT, reason: 'other' }, '2025-11-09T08:30:00Z'));
  assert.equal((await view(s.A, p.id)).data.attributes.updated_at, '2025-11-09T08:30:00Z');
  const r = await s.A.api.get(P, { query: { 'filter[updated_since]': '2025-11-09T08:00:00Z', 'page[per_page]': 3000 }, ...at(NOW) });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.data.some((x) => x.id === p.id));
  // Another provider's view of a shared teacher moves too (one updated_at per teacher).
  assert.equal(teacherRow(p.id).updated_at, '2025-11-09 08:30:00.000000');
});

test('filter[training_status] sees the action at once (metadata rebuilt in the same transaction)', async () => {
  const p = await ect();
  ok200(await act(s.A, p.id, 'withdraw', { course_identifier: ECT, reason: 'other' }));
  const r = await s.A.api.get(P, { query: { 'filter[training_status]': 'withdrawn', 'filter[updated_since]': '2025-11-10T11:59:00Z' }, ...at(NOW) });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.data.some((x) => x.id === p.id));
  ok200(await act(s.A, p.id, 'resume', { course_identifier: ECT }, `${TOMORROW}T09:00:00Z`));
  const [row] = sql(`SELECT HEX(tp.api_id) FROM teacher_lead_providers m JOIN teachers t ON t.id = m.teacher_id
                      JOIN training_periods tp ON tp.id = m.latest_ect_training_period_id WHERE t.api_id = ${bin(p.id)}`);
  assert.equal(row[0].toLowerCase(), periods(p.id)[1].id.replace(/-/g, ''), 'the new period is the latest');
});

await run();
closeAgent();
