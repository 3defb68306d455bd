#!/usr/bin/env node
// A bounded load generator for the pool fault tests: exactly N requests, C at a time, over
// keep-alive connections (node:http / node:https, no npm dependencies). Prints one JSON
// summary line on stdout:
//   {"requests":N,"completed":N,"statuses":{"200":N,...},"errors":N,"errorKinds":{...},
//    "fail":N,"non200":N,"status5xx":N,"ms":N}
// where fail = network errors + 5xx answers, non200 = everything that was not a 200.
//
//   node load.mjs --url http://127.0.0.1:8180 --path /healthz -n 3000 -c 16
//        [--token-file FILE] [--ca FILE] [--timeout-ms 10000]
//        [--mark-after K --mark-file FILE]   (touch FILE once K requests have completed)

import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';

function parseArgs(argv) {
  const o = { url: '', path: '/healthz', n: 1000, c: 8, tokenFile: '', ca: '', timeoutMs: 10000,
    markAfter: 0, markFile: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--url': o.url = v(); break;
      case '--path': o.path = v(); break;
      case '-n': o.n = Number(v()); break;
      case '-c': o.c = Number(v()); break;
      case '--token-file': o.tokenFile = v(); break;
      case '--ca': o.ca = v(); break;
      case '--timeout-ms': o.timeoutMs = Number(v()); break;
      case '--mark-after': o.markAfter = Number(v()); break;
      case '--mark-file': o.markFile = v(); break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!o.url) throw new Error('--url is required');
  for (const k of ['n', 'c', 'timeoutMs']) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`bad value for ${k}`);
  }
  if (o.n > 1000000 || o.c > 1024) throw new Error('n or c out of bounds');
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`load.mjs: ${e.message}\n`);
  process.exit(2);
}

const base = new URL(opts.url);
const isHttps = base.protocol === 'https:';
const mod = isHttps ? https : http;
const agentOpts = { keepAlive: true, maxSockets: opts.c, maxFreeSockets: opts.c };
if (isHttps) {
  if (opts.ca) agentOpts.ca = fs.readFileSync(opts.ca);
  agentOpts.servername = base.hostname;
}
const agent = new mod.Agent(agentOpts);
const headers = { Accept: 'application/json', 'X-Request-Id': '' };
if (opts.tokenFile) headers.Authorization = `Bearer ${fs.readFileSync(opts.tokenFile, 'utf8').trim()}`;

const summary = { requests: opts.n, completed: 0, statuses: {}, errors: 0, errorKinds: {},
  fail: 0, non200: 0, status5xx: 0, ms: 0 };
let next = 0;
let marked = false;

function one(i) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (status, errKind) => {
      if (settled) return;
      settled = true;
      summary.completed++;
      if (errKind) {
        summary.errors++;
        summary.errorKinds[errKind] = (summary.errorKinds[errKind] || 0) + 1;
      } else {
        summary.statuses[status] = (summary.statuses[status] || 0) + 1;
        if (status >= 500) summary.status5xx++;
      }
      if (errKind || status !== 200) summary.non200++;
      if (errKind || status >= 500) summary.fail++;
      if (!marked && opts.markFile && summary.completed >= opts.markAfter) {
        marked = true;
        try { fs.writeFileSync(opts.markFile, `${summary.completed}\n`); } catch { /* ignore */ }
      }
      resolve();
    };
    const req = mod.request({
      protocol: base.protocol, hostname: base.hostname, port: base.port, method: 'GET',
      path: opts.path, agent, headers: { ...headers, 'X-Request-Id': `load-${process.pid}-${i}` },
    }, (res) => {
      res.on('data', () => {});
      res.on('end', () => done(res.statusCode));
      res.on('aborted', () => done(0, 'aborted'));
      res.on('error', (e) => done(0, e.code || 'response-error'));
    });
    req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e) => done(0, e.code || 'error'));
    req.end();
  });
}

async function lane() {
  while (next < opts.n) {
    const i = next++;
    await one(i);
  }
}

const t0 = Date.now();
await Promise.all(Array.from({ length: Math.min(opts.c, opts.n) }, lane));
summary.ms = Date.now() - t0;
agent.destroy();
if (opts.markFile && !marked) {
  try { fs.writeFileSync(opts.markFile, `${summary.completed}\n`); } catch { /* ignore */ }
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
