// HTTPS client for the integration suite.
//
//   const api = new Client({ token });                 // base URL and CA from the env
//   const r = await api.get('/api/v1/mentors', { query: { limit: 5 } });
//   r.status, r.headers (lower-case names), r.text, r.json (undefined unless JSON), r.body
//
// Every answer goes through assertContract (lib/contract.mjs) before it is returned: the
// path template is found in docs/openapi.yaml from the concrete path (or given with `op`).
// A response that breaks the contract throws a ContractError, which fails the test.
//
// Request options:
//   query     object -> query string (appended to any query already in the path)
//   json      any value -> JSON.stringify'd body with Content-Type application/json
//   body      string | Buffer sent verbatim (no Content-Type unless `contentType`)
//   contentType   Content-Type header for `body` (or to override `json`'s)
//   chunked   send the body with Transfer-Encoding: chunked (no Content-Length)
//   headers   extra headers (raw: anything, including a huge Authorization)
//   token     bearer token for this request; null = no Authorization header
//   op        path template to check the contract against (default: looked up)

import https from 'node:https';
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { assertContract, findTemplate } from './contract.mjs';

export const baseUrl = process.env.ECF_TEST_BASE_URL || 'https://localhost:8543';

let sharedAgent = null;
function agent() {
  if (!sharedAgent) {
    const opts = { keepAlive: true, maxSockets: 16, servername: 'localhost' };
    if (process.env.ECF_TEST_CA) opts.ca = readFileSync(process.env.ECF_TEST_CA);
    sharedAgent = new https.Agent(opts);
  }
  return sharedAgent;
}

/** Closes kept-alive sockets so the process can exit promptly. */
export function closeAgent() {
  if (sharedAgent) sharedAgent.destroy();
  sharedAgent = null;
}

function buildPath(p, query) {
  if (!query) return p;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
    else qs.append(k, String(v));
  }
  const s = qs.toString();
  if (!s) return p;
  return p + (p.includes('?') ? '&' : '?') + s;
}

/** Sends one request; resolves to {status, headers, text, json, body}. No contract check. */
export function rawRequest(method, urlPath, { headers = {}, body } = {}) {
  const url = new URL(urlPath, baseUrl);
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = https.request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port || 443,
        path: url.pathname + url.search,
        method,
        headers,
        agent: agent(),
        servername: 'localhost',
      },
      (res) => {
        responded = true;
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          let json;
          if (/^application\/(.+\+)?json\b/i.test(res.headers['content-type'] || '') && text.length) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined; // the contract check reports it
            }
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json, body: buf });
        });
      },
    );
    // A server may answer (413) before reading the whole body and close; once the
    // response has arrived, a write error (EPIPE, ECONNRESET) is not the test's concern.
    req.on('error', (err) => {
      if (!responded) reject(err);
    });
    if (body !== undefined && body !== null) {
      if (/chunked/i.test(String(headers['Transfer-Encoding'] || ''))) {
        // Several chunks, so the encoding really is chunked.
        const step = 64 * 1024;
        for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
        req.end();
      } else {
        req.end(body);
      }
    } else {
      req.end();
    }
  });
}

export class Client {
  /** @param {{token?: string|null, headers?: object}} opts */
  constructor({ token = null, headers = {} } = {}) {
    this.token = token;
    this.headers = headers;
  }

  withToken(token) {
    return new Client({ token, headers: this.headers });
  }

  async request(method, urlPath, opts = {}) {
    const headers = { Accept: 'application/json', ...this.headers };
    const token = 'token' in opts ? opts.token : this.token;
    if (token !== null && token !== undefined) headers.Authorization = `Bearer ${token}`;
    let body;
    if ('json' in opts) {
      body = Buffer.from(JSON.stringify(opts.json), 'utf8');
      headers['Content-Type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    }
    if (opts.contentType !== undefined) headers['Content-Type'] = opts.contentType;
    if (opts.chunked) headers['Transfer-Encoding'] = 'chunked';
    else if (body !== undefined) headers['Content-Length'] = String(body.length);
    Object.assign(headers, opts.headers || {});
    for (const [k, v] of Object.entries(headers)) if (v === null || v === undefined) delete headers[k];

    const full = buildPath(urlPath, opts.query);
    const res = await rawRequest(method, full, { headers, body });
    const template = 'op' in opts ? opts.op : findTemplate(full);
    res.template = template;
    res.request = { method, path: full };
    assertContract(method, template, res.status, res);
    return res;
  }

  get(p, o) {
    return this.request('GET', p, o);
  }
  post(p, json, o = {}) {
    return this.request('POST', p, json === undefined ? o : { json, ...o });
  }
  put(p, json, o = {}) {
    return this.request('PUT', p, json === undefined ? o : { json, ...o });
  }
  delete(p, o) {
    return this.request('DELETE', p, o);
  }
}

/**
 * One request over HTTP/2 (nginx offers h2 over TLS); same options and answer shape as
 * Client.request, and the same contract check. Opens and closes its own session.
 */
export async function http2Request(method, urlPath, opts = {}) {
  const session = http2.connect(baseUrl, {
    ca: process.env.ECF_TEST_CA ? readFileSync(process.env.ECF_TEST_CA) : undefined,
    servername: 'localhost',
  });
  try {
    const headers = { ':method': method, ':path': buildPath(urlPath, opts.query), accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body;
    if ('json' in opts) {
      body = Buffer.from(JSON.stringify(opts.json), 'utf8');
      headers['content-type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? Buffer.from(opts.body, 'utf8') : opts.body;
    }
    if (opts.contentType) headers['content-type'] = opts.contentType;
    for (const [k, v] of Object.entries(opts.headers || {})) headers[k.toLowerCase()] = v;
    const res = await new Promise((resolve, reject) => {
      session.on('error', reject);
      const req = session.request(headers);
      let head;
      const chunks = [];
      req.on('response', (h) => {
        head = h;
      });
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (!head) return reject(new Error('HTTP/2 stream ended without a response'));
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        const hs = {};
        for (const [k, v] of Object.entries(head)) if (!k.startsWith(':')) hs[k] = v;
        let json;
        if (/^application\/(.+\+)?json\b/i.test(hs['content-type'] || '') && text.length) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        resolve({ status: head[':status'], headers: hs, text, json, body: buf });
      });
      req.on('error', (err) => {
        if (!head) reject(err);
      });
      if (body !== undefined) req.end(body);
      else req.end();
    });
    const full = headers[':path'];
    const template = 'op' in opts ? opts.op : findTemplate(full);
    res.template = template;
    res.request = { method, path: full, http2: true };
    assertContract(method, template, res.status, res);
    return res;
  } finally {
    session.close();
  }
}
