// Direct access to the test stack's database (for checks the API cannot show, and for
// test data the API cannot create): the mariadb client with the stack's root config
// from ECF_TEST_ROOT/stack.env. Queries carry only values the tests generate.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The STACK_* variables of the running test stack. */
export function stackEnv() {
  const root = process.env.ECF_TEST_ROOT;
  if (!root) throw new Error('ECF_TEST_ROOT is not set');
  const env = {};
  for (const line of readFileSync(join(root, 'stack.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  return env;
}

/** Rows of the statements' last result set, each an array of tab-separated cells. */
export function sql(text) {
  const env = stackEnv();
  const out = execFileSync(
    'mariadb',
    [`--defaults-file=${env.STACK_DB_ROOT_CNF}`, '--batch', '--skip-column-names', '--raw', env.STACK_DB_NAME, '-e', text],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** A UUID as a SQL BINARY(16) literal. */
export const bin = (uuid) => `UNHEX('${uuid.replace(/-/g, '')}')`;

/**
 * Test shortcuts that write a teacher's facts with SQL bypass the server's rebuild of the
 * stored participant documents (migration 005). Call this after such a write: it drops the
 * teacher's documents, so reads render the new facts afresh (what a rebuild would store), and
 * tests/integration/zz_stored_documents.test.mjs keeps checking only what the server wrote.
 * Give the teacher's participant id, or a training period's id.
 */
export function forgetDocuments({ teacher, trainingPeriod }) {
  const who = teacher
    ? `(SELECT id FROM teachers WHERE api_id = ${bin(teacher)})`
    : `(SELECT sp.teacher_id FROM training_periods tp JOIN school_periods sp ON sp.id = tp.school_period_id WHERE tp.api_id = ${bin(trainingPeriod)})`;
  sql(`UPDATE teacher_lead_providers SET api_json = NULL, api_slots = NULL WHERE teacher_id = ${who}`);
}
