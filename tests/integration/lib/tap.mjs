// A minimal TAP producer: no framework, no dependencies.
//
//   import { test, run } from './lib/tap.mjs';
//   test('name', async (t) => { ... });          // registered, run in order
//   test('setup', async (t) => { ... }, { bail: true });  // if it fails, the rest fail
//   await run();                                  // prints TAP, sets the exit code
//
// Inside a test, `t.diag(msg)` adds a `# msg` line under the point and `t.skip(reason)`
// ends the test as `ok N - name # SKIP reason`. A test fails when its function throws
// (or its promise rejects) or when it runs longer than its timeout (default 30 s,
// `{ timeout: ms }` per test, ECF_TEST_TIMEOUT_MS for all).
//
// ECF_TEST_GREP=regex runs only the tests whose name matches (the others are reported
// as skipped); set-up points (`{ bail: true }`) always run.

import { inspect } from 'node:util';

const tests = [];
let started = false;

class SkipSignal extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'SkipSignal';
  }
}

export function test(name, fn, opts = {}) {
  if (started) throw new Error(`test "${name}" registered after run() started`);
  if (typeof fn !== 'function') throw new TypeError(`test "${name}" needs a function`);
  tests.push({ name: String(name), fn, opts });
}

/** Registers a point that is always reported as skipped. */
test.skip = (name, reason = 'skipped') => {
  test(name, (t) => t.skip(reason));
};

function clean(name) {
  // '#' starts a directive in TAP; newlines would break the stream.
  return name.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');
}

function diagLines(text) {
  return String(text)
    .split(/\r?\n/)
    .map((l) => `# ${l}`)
    .join('\n');
}

function describeError(err) {
  if (err instanceof Error) {
    const parts = [];
    if (err.stack) {
      // Message plus the first frames inside the tests, enough to find the line.
      const lines = err.stack.split('\n');
      const head = [];
      let frames = 0;
      for (const line of lines) {
        if (/^\s+at /.test(line)) {
          if (line.includes('node:internal') || line.includes('/node_modules/')) continue;
          if (frames++ >= 4) break;
        }
        head.push(line);
      }
      parts.push(head.join('\n'));
    } else {
      parts.push(`${err.name}: ${err.message}`);
    }
    if ('expected' in err || 'actual' in err) {
      if (err.code === 'ERR_ASSERTION' && !String(err.message).includes('expected')) {
        parts.push(`expected: ${inspect(err.expected, { depth: 6, breakLength: 100 })}`);
        parts.push(`actual:   ${inspect(err.actual, { depth: 6, breakLength: 100 })}`);
      }
    }
    if (err.cause) parts.push(`cause: ${describeError(err.cause)}`);
    return parts.join('\n');
  }
  return inspect(err, { depth: 6 });
}

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${name}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every registered test in order, prints TAP to stdout and sets
 * process.exitCode (1 if any test failed). Returns { passed, failed, skipped }.
 */
export async function run() {
  started = true;
  const defaultTimeout = Number(process.env.ECF_TEST_TIMEOUT_MS) || 30000;
  const grep = process.env.ECF_TEST_GREP ? new RegExp(process.env.ECF_TEST_GREP, 'i') : null;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let bailed = null;
  const out = (s) => process.stdout.write(`${s}\n`);

  out('TAP version 13');
  for (let i = 0; i < tests.length; i++) {
    const { name, fn, opts } = tests[i];
    const n = i + 1;
    const notes = [];
    if (bailed) {
      failed++;
      out(`not ok ${n} - ${clean(name)}`);
      out(`# not run: setup point "${bailed}" failed`);
      continue;
    }
    if (grep && !opts.bail && !grep.test(name)) {
      skipped++;
      out(`ok ${n} - ${clean(name)} # SKIP not selected by ECF_TEST_GREP`);
      continue;
    }
    const t = {
      name,
      diag: (msg) => notes.push(String(msg)),
      skip: (reason = 'skipped') => {
        throw new SkipSignal(reason);
      },
    };
    try {
      await withTimeout(Promise.resolve().then(() => fn(t)), opts.timeout || defaultTimeout, name);
      passed++;
      out(`ok ${n} - ${clean(name)}`);
      if (notes.length) out(diagLines(notes.join('\n')));
    } catch (err) {
      if (err instanceof SkipSignal) {
        skipped++;
        out(`ok ${n} - ${clean(name)} # SKIP ${String(err.message).replace(/[\r\n]+/g, ' ')}`);
        continue;
      }
      failed++;
      out(`not ok ${n} - ${clean(name)}`);
      if (notes.length) out(diagLines(notes.join('\n')));
      out(diagLines(describeError(err)));
      if (opts.bail) bailed = name;
    }
  }
  out(`1..${tests.length}`);
  out(`# ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0) process.exitCode = 1;
  return { passed, failed, skipped };
}
