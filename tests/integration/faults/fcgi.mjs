#!/usr/bin/env node
// A held FastCGI request straight to the pool's socket, for the graceful-stop test: sends
// the request head and the first byte of its body, touches --ready-file, waits until
// --go-file exists (or --max-wait-ms passes), sends the rest of the body and reads the answer.
// A worker that accepted it is blocked reading the body meanwhile: a request in flight.
// Prints one JSON line: {"complete":bool,"status":N,"appStatus":N,"bytes":N,"error":"..."}
// (complete = a CGI head and FCGI_END_REQUEST came back).
//
//   node fcgi.mjs --socket PATH --ready-file F --go-file G [--token-file T]
//        [--method POST] [--path /api/v1/mentors] [--body '{}'] [--max-wait-ms 20000]

import net from 'node:net';
import fs from 'node:fs';

const o = { socket: '', readyFile: '', goFile: '', tokenFile: '', method: 'POST',
  path: '/api/v1/mentors', body: '{}', maxWaitMs: 20000 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = () => argv[++i] ?? '';
  switch (a) {
    case '--socket': o.socket = v(); break;
    case '--ready-file': o.readyFile = v(); break;
    case '--go-file': o.goFile = v(); break;
    case '--token-file': o.tokenFile = v(); break;
    case '--method': o.method = v(); break;
    case '--path': o.path = v(); break;
    case '--body': o.body = v(); break;
    case '--max-wait-ms': o.maxWaitMs = Number(v()); break;
    default:
      process.stderr.write(`fcgi.mjs: unknown argument ${a}\n`);
      process.exit(2);
  }
}
if (!o.socket || !o.readyFile || !o.goFile || o.body.length < 2) {
  process.stderr.write('fcgi.mjs: --socket, --ready-file, --go-file and a body of 2+ bytes are needed\n');
  process.exit(2);
}

const FCGI_BEGIN_REQUEST = 1, FCGI_END_REQUEST = 3, FCGI_PARAMS = 4, FCGI_STDIN = 5,
  FCGI_STDOUT = 6;
const ID = 1;

function record(type, content = Buffer.alloc(0)) {
  const out = [];
  for (let off = 0; off === 0 || off < content.length; off += 65535) {
    const chunk = content.subarray(off, off + 65535);
    const pad = (8 - (chunk.length % 8)) % 8;
    const h = Buffer.alloc(8);
    h[0] = 1; h[1] = type; h.writeUInt16BE(ID, 2); h.writeUInt16BE(chunk.length, 4); h[6] = pad;
    out.push(h, chunk, Buffer.alloc(pad));
    if (content.length === 0) break;
  }
  return Buffer.concat(out);
}

function nvLen(n) {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function params(obj) {
  const parts = [];
  for (const [k, v] of Object.entries(obj)) {
    const kb = Buffer.from(k), vb = Buffer.from(String(v));
    parts.push(nvLen(kb.length), nvLen(vb.length), kb, vb);
  }
  return Buffer.concat(parts);
}

const body = Buffer.from(o.body);
const p = {
  GATEWAY_INTERFACE: 'CGI/1.1', SERVER_PROTOCOL: 'HTTP/1.1', SERVER_SOFTWARE: 'fault-test',
  REQUEST_METHOD: o.method, REQUEST_URI: o.path, DOCUMENT_URI: o.path.split('?')[0],
  SCRIPT_NAME: o.path.split('?')[0], QUERY_STRING: o.path.includes('?') ? o.path.split('?')[1] : '',
  CONTENT_TYPE: 'application/json', CONTENT_LENGTH: String(body.length), REQUEST_SCHEME: 'https',
  HTTPS: 'on', REMOTE_ADDR: '127.0.0.1', REMOTE_PORT: '40000', SERVER_ADDR: '127.0.0.1',
  SERVER_PORT: '443', SERVER_NAME: 'localhost', HTTP_HOST: 'localhost',
  HTTP_X_REQUEST_ID: `fault-held-${process.pid}`, HTTP_ACCEPT: 'application/json',
};
if (o.tokenFile) p.HTTP_AUTHORIZATION = `Bearer ${fs.readFileSync(o.tokenFile, 'utf8').trim()}`;

const result = { complete: false, status: 0, appStatus: null, bytes: 0, error: '' };
let stdout = Buffer.alloc(0);
let inbuf = Buffer.alloc(0);
let finished = false;

function finish(err) {
  if (finished) return;
  finished = true;
  if (err && !result.complete) result.error = err;
  const head = stdout.toString('latin1').split(/\r?\n\r?\n/)[0];
  const m = /^Status:\s*(\d{3})/im.exec(head);
  if (stdout.length) result.status = m ? Number(m[1]) : 200;
  result.bytes = stdout.length;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const sock = net.createConnection(o.socket);
const overall = setTimeout(() => { sock.destroy(); finish('timeout'); }, o.maxWaitMs + 20000);
overall.unref();
sock.on('error', (e) => finish(e.code || 'socket-error'));
sock.on('close', () => finish(result.complete ? '' : 'closed before FCGI_END_REQUEST'));
sock.on('data', (d) => {
  inbuf = Buffer.concat([inbuf, d]);
  while (inbuf.length >= 8) {
    const type = inbuf[1], len = inbuf.readUInt16BE(4), pad = inbuf[6];
    if (inbuf.length < 8 + len + pad) break;
    const c = inbuf.subarray(8, 8 + len);
    inbuf = inbuf.subarray(8 + len + pad);
    if (type === FCGI_STDOUT) stdout = Buffer.concat([stdout, c]);
    if (type === FCGI_END_REQUEST) {
      result.appStatus = c.readUInt32BE(0);
      result.complete = stdout.length > 0;
      sock.end();
      finish('');
    }
  }
});
sock.on('connect', () => {
  const begin = Buffer.alloc(8);
  begin.writeUInt16BE(1, 0); // FCGI_RESPONDER, flags 0 (close after the request)
  sock.write(Buffer.concat([
    record(FCGI_BEGIN_REQUEST, begin),
    record(FCGI_PARAMS, params(p)),
    record(FCGI_PARAMS),
    record(FCGI_STDIN, body.subarray(0, 1)),
  ]));
  fs.writeFileSync(o.readyFile, 'sent\n');
  const t0 = Date.now();
  const poll = setInterval(() => {
    if (fs.existsSync(o.goFile) || Date.now() - t0 > o.maxWaitMs) {
      clearInterval(poll);
      sock.write(Buffer.concat([record(FCGI_STDIN, body.subarray(1)), record(FCGI_STDIN)]));
    }
  }, 25);
});
