// Hostile and unusual input, and the conventions every answer follows (content type,
// X-Request-Id, JSON errors from nginx too, 404/405/414, the served OpenAPI document).

import { test, run } from './lib/tap.mjs';
import { closeAgent, http2Request } from './lib/client.mjs';
import { doc } from './lib/contract.mjs';
import YAML from 'yaml';
import {
  assert,
  stack,
  uniq,
  uniqueEmail,
  clientWithScopes,
  createChapter,
  createMentor,
  today,
  addDays,
  assertMalformed,
  assertErrors,
  assert404,
  assert401,
  JSON_CT,
  MENTORS,
  ADMIN,
} from './lib/fixtures.mjs';

const s = {};
const MiB = 1024 * 1024;
const UNSUPPORTED = { errors: [{ title: 'Unsupported media type', detail: 'Content-Type must be application/json' }] };
const TOO_LARGE = { errors: [{ title: 'Payload too large', detail: 'The request body is larger than 1048576 bytes' }] };

function validBody(extra = {}) {
  return {
    full_name: `Input ${uniq()}`,
    email: uniqueEmail('input'),
    chapter_id: s.chapter,
    certification_expiry: addDays(today(), 365),
    ...extra,
  };
}

/** POST /api/v1/mentors with raw bytes (contentType null: no Content-Type header). */
function postRaw(body, contentType = 'application/json', extra = {}) {
  return s.api.post(MENTORS, undefined, { body, contentType, ...extra });
}

// ================================================================ setup
test(
  'setup: a mentors:read+write token and a fresh chapter',
  async () => {
    s.api = await clientWithScopes(['mentors:read', 'mentors:write'], { description: 'integration input' });
    s.chapter = await createChapter();
    s.mentor = await createMentor(s.api, s.chapter);
  },
  { bail: true },
);

// ================================================================ malformed JSON -> 400
test('truncated JSON: 400 with the malformed-JSON detail', async () => {
  assertMalformed(await postRaw('{"full_name": "Ada", "email":'));
  assertMalformed(await postRaw('{'));
  assertMalformed(await postRaw('{"full_name": "unterminated}'));
});

test('trailing garbage after the object: 400', async () => {
  const ok = JSON.stringify(validBody());
  assertMalformed(await postRaw(`${ok} x`));
  assertMalformed(await postRaw(`${ok}}`));
  assertMalformed(await postRaw(`${ok}{}`));
  assertMalformed(await postRaw(`${ok}\u0000`));
});

test('duplicate keys: 400', async () => {
  const b = validBody();
  const text = `{"full_name":"A","full_name":"B","email":"${b.email}","chapter_id":"${b.chapter_id}"}`;
  assertMalformed(await postRaw(text));
  const text2 = `{"full_name":"A","email":"${b.email}","chapter_id":"${b.chapter_id}","email":"${uniqueEmail()}"}`;
  assertMalformed(await postRaw(text2));
});

test('NaN, Infinity, -Infinity: 400', async () => {
  const b = validBody();
  for (const v of ['NaN', 'Infinity', '-Infinity']) {
    assertMalformed(await postRaw(`{"full_name":"A","email":"${b.email}","chapter_id":"${b.chapter_id}","certification_expiry":${v}}`));
  }
  assertMalformed(await s.api.post(`${MENTORS}/${s.mentor.mentor_id}/pause`, undefined, { body: '{"reason":NaN,"initiated_by":"x"}', contentType: 'application/json' }));
});

test('invalid UTF-8 bytes inside a string: 400', async () => {
  const b = validBody();
  const seqs = [[0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xf4, 0x90, 0x80, 0x80]];
  for (const seq of seqs) {
    const body = Buffer.concat([
      Buffer.from('{"full_name":"A'),
      Buffer.from(seq),
      Buffer.from(`","email":"${b.email}","chapter_id":"${b.chapter_id}"}`),
    ]);
    const r = await postRaw(body);
    assert.equal(r.status, 400, `bytes ${Buffer.from(seq).toString('hex')}: ${r.status} ${r.text}`);
    assertMalformed(r);
  }
});

test('a body that is JSON but not an object (array, string, number, null, true): 400', async () => {
  for (const text of [JSON.stringify([validBody()]), '[]', '"text"', '42', 'null', 'true']) {
    assertMalformed(await postRaw(text));
  }
});

test('non-standard JSON (single quotes, comments, trailing comma, bare keys, hex): 400', async () => {
  const b = validBody();
  const texts = [
    `{'full_name':'A','email':'${b.email}','chapter_id':'${b.chapter_id}'}`,
    `{"full_name":"A", /* c */ "email":"${b.email}","chapter_id":"${b.chapter_id}"}`,
    `{"full_name":"A","email":"${b.email}","chapter_id":"${b.chapter_id}",}`,
    `{full_name:"A","email":"${b.email}","chapter_id":"${b.chapter_id}"}`,
    `{"full_name":"A","email":"${b.email}","chapter_id":"${b.chapter_id}","n":0x10}`,
    `// comment\n{"full_name":"A","email":"${b.email}","chapter_id":"${b.chapter_id}"}`,
  ];
  for (const t of texts) assertMalformed(await postRaw(t));
});

test('a raw control character inside a string: 400', async () => {
  const b = validBody();
  assertMalformed(await postRaw(`{"full_name":"A\nB","email":"${b.email}","chapter_id":"${b.chapter_id}"}`));
  assertMalformed(await postRaw(`{"full_name":"A\tB","email":"${b.email}","chapter_id":"${b.chapter_id}"}`));
});

test('an empty body with Content-Type application/json: 400', async () => {
  assertMalformed(await postRaw(''));
  assertMalformed(await postRaw('   '));
});

test('malformed JSON on PUT and pause: 400', async () => {
  const id = s.mentor.mentor_id;
  assertMalformed(await s.api.put(`${MENTORS}/${id}`, undefined, { body: '{"full_name":', contentType: 'application/json' }));
  assertMalformed(await s.api.put(`${MENTORS}/${id}`, undefined, { body: '[]', contentType: 'application/json' }));
  assertMalformed(await s.api.post(`${MENTORS}/${id}/pause`, undefined, { body: '{"reason":"x",}', contentType: 'application/json' }));
  assert.equal((await s.api.get(`${MENTORS}/${id}`)).json.status, 'active', 'nothing changed');
});

test('deeply nested JSON is refused cleanly and the service keeps answering', async () => {
  const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
  assertMalformed(await postRaw(deep));
  const b = validBody();
  const r = await postRaw(`{"full_name":${'['.repeat(5000)}${']'.repeat(5000)},"email":"${b.email}","chapter_id":"${b.chapter_id}"}`);
  assert.ok([400, 422].includes(r.status), `${r.status} ${r.text.slice(0, 200)}`);
  assert.equal((await stack().anon.get('/healthz')).status, 200);
});

// ================================================================ content type -> 415
test('a body with a content type other than application/json: 415', async () => {
  const body = JSON.stringify(validBody());
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json-patch+json', 'text/json', 'application/xml']) {
    const r = await postRaw(body, ct);
    assert.equal(r.status, 415, `${ct}: ${r.status} ${r.text}`);
    assert.deepEqual(r.json, UNSUPPORTED);
  }
});

test('a body without Content-Type: 415', async () => {
  const r = await postRaw(JSON.stringify(validBody()), null);
  assert.equal(r.status, 415, r.text);
  assert.deepEqual(r.json, UNSUPPORTED);
});

test('415 on PUT, pause and the admin API too', async () => {
  const id = s.mentor.mentor_id;
  const pr = await s.api.put(`${MENTORS}/${id}`, undefined, { body: '{"full_name":"X"}', contentType: 'text/plain' });
  assert.deepEqual([pr.status, pr.json], [415, UNSUPPORTED]);
  const pa = await s.api.post(`${MENTORS}/${id}/pause`, undefined, { body: 'reason=x&initiated_by=y', contentType: 'application/x-www-form-urlencoded' });
  assert.deepEqual([pa.status, pa.json], [415, UNSUPPORTED]);
  const ch = await stack().admin.post(`${ADMIN}/chapters`, undefined, { body: '{"name":"x"}', contentType: 'text/plain' });
  assert.deepEqual([ch.status, ch.json], [415, UNSUPPORTED]);
});

test('application/json with a charset parameter is accepted: 201', async () => {
  for (const ct of ['application/json; charset=utf-8', 'application/json;charset=UTF-8']) {
    const r = await postRaw(JSON.stringify(validBody()), ct);
    assert.equal(r.status, 201, `${ct}: ${r.status} ${r.text}`);
  }
});

// ================================================================ size -> 413
test('a body over 1 MiB: 413 JSON', async () => {
  const body = JSON.stringify(validBody({ full_name: 'x'.repeat(MiB) }));
  const r = await postRaw(body);
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(r.headers['content-type'], JSON_CT);
  assert.deepEqual(r.json, TOO_LARGE);
}, { timeout: 60000 });

test('a body of 1 MiB + 1 byte: 413; exactly 1 MiB: accepted (201)', async () => {
  const base = JSON.stringify(validBody());
  const exact = base.slice(0, -1) + ' '.repeat(MiB - base.length) + '}';
  assert.equal(Buffer.byteLength(exact), MiB);
  const ok = await postRaw(exact);
  assert.equal(ok.status, 201, `exactly 1 MiB: ${ok.status} ${ok.text.slice(0, 300)}`);
  const over = base.slice(0, -1) + ' '.repeat(MiB - base.length + 1) + '}';
  assert.equal(Buffer.byteLength(over), MiB + 1);
  const r = await postRaw(over.replace(/"input\./, '"input2.'));
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.deepEqual(r.json, TOO_LARGE);
}, { timeout: 60000 });

test('a chunked body over 1 MiB (no Content-Length): 413 JSON', async () => {
  const body = JSON.stringify(validBody({ full_name: 'y'.repeat(MiB + 10) }));
  const r = await postRaw(body, 'application/json', { chunked: true });
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.deepEqual(r.json, TOO_LARGE);
}, { timeout: 60000 });

test('413 on PUT too', async () => {
  const r = await s.api.put(`${MENTORS}/${s.mentor.mentor_id}`, undefined, { body: JSON.stringify({ full_name: 'z'.repeat(2 * MiB) }), contentType: 'application/json' });
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.deepEqual(r.json, TOO_LARGE);
}, { timeout: 60000 });

// ================================================================ stored verbatim
test("SQL-looking strings are stored and returned verbatim", async () => {
  const names = ["Robert'); DROP TABLE mentors;--", `x" OR "1"="1`, "' OR 1=1 --", '%_\\%', '<script>alert(1)</script>'];
  for (const full_name of names) {
    const r = await s.api.post(MENTORS, validBody({ full_name }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.full_name, full_name);
    const g = await s.api.get(`${MENTORS}/${r.json.mentor_id}`);
    assert.equal(g.json.full_name, full_name);
  }
  const m = await createMentor(s.api, s.chapter);
  const reason = "Leave'); UPDATE mentors SET status='active';--";
  const p = await s.api.post(`${MENTORS}/${m.mentor_id}/pause`, { reason, initiated_by: "admin'--" });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.pause_reason, reason);
  assert.equal((await s.api.get(`${MENTORS}/${m.mentor_id}`)).json.pause_reason, reason);
  const list = await s.api.get(MENTORS, { query: { chapter_id: s.chapter, limit: 1 } });
  assert.equal(list.status, 200, 'the table is still there');
});

test('unicode names round-trip exactly (GET and list)', async () => {
  const names = ['Zoë Ångström', 'Łukasz Żółć', '李小龙', 'Αλέξανδρος Παπαδόπουλος', 'محمد عبد الله', 'Smile 🙂 Face 👩🏽‍🏫', 'Zoe\u0308 (combining)', `O'Brien "Bob" \\ / slash`];
  const chapter = await createChapter();
  const ids = [];
  for (const full_name of names) {
    const r = await s.api.post(MENTORS, validBody({ full_name, chapter_id: chapter }));
    assert.equal(r.status, 201, `${full_name}: ${r.text}`);
    assert.equal(r.json.full_name, full_name);
    const g = await s.api.get(`${MENTORS}/${r.json.mentor_id}`);
    assert.equal(g.json.full_name, full_name);
    ids.push(r.json.mentor_id);
  }
  const l = await s.api.get(MENTORS, { query: { chapter_id: chapter, limit: 100 } });
  assert.deepEqual(l.json.data.map((m) => m.full_name).sort(), [...names].sort());
});

test('JSON \\u escapes in the request decode to the characters', async () => {
  const b = validBody();
  const r = await postRaw(`{"full_name":"Ren\\u00e9e \\ud83d\\ude42","email":"${b.email}","chapter_id":"${b.chapter_id}"}`);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.full_name, 'Renée 🙂');
});

// ================================================================ conventions
test('Content-Type is "application/json; charset=utf-8" on success and error answers', async () => {
  const api = s.api;
  const answers = [
    await api.get(MENTORS),
    await api.get(`${MENTORS}/${s.mentor.mentor_id}`),
    await api.post(MENTORS, validBody()),
    await api.post(MENTORS, {}),
    await postRaw('{'),
    await postRaw('{}', 'text/plain'),
    await api.get(`${MENTORS}/mntr_0000000000`),
    await stack().anon.get(MENTORS),
    await stack().demo.get(`${ADMIN}/tokens`),
    await api.request('PATCH', `${MENTORS}/${s.mentor.mentor_id}`, { json: {} }),
    await stack().anon.get('/healthz'),
  ];
  for (const r of answers) assert.equal(r.headers['content-type'], JSON_CT, `${r.request.method} ${r.request.path} -> ${r.status}`);
});

test('every answer carries X-Request-Id; distinct requests get distinct ids', async () => {
  const a = await s.api.get(MENTORS);
  const b = await s.api.get(MENTORS);
  const c = await stack().anon.get(MENTORS);
  for (const r of [a, b, c]) assert.ok(r.headers['x-request-id'], 'X-Request-Id present');
  assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
});

test('a client X-Request-Id is echoed (200, 401, 404, 413, 422)', async () => {
  const rid = () => `itest-${uniq()}`;
  const cases = [
    (h) => s.api.get(MENTORS, { headers: h }),
    (h) => stack().anon.get(MENTORS, { headers: h }),
    (h) => s.api.get(`${MENTORS}/mntr_0000000000`, { headers: h }),
    (h) => postRaw(JSON.stringify(validBody({ full_name: 'q'.repeat(MiB) })), 'application/json', { headers: h }),
    (h) => s.api.post(MENTORS, {}, { headers: h }),
  ];
  for (const call of cases) {
    const id = rid();
    const r = await call({ 'X-Request-Id': id });
    assert.equal(r.headers['x-request-id'], id, `${r.request.method} ${r.request.path} -> ${r.status}`);
  }
}, { timeout: 60000 });

test('unknown paths under /api/: 404 JSON', async () => {
  for (const p of ['/api/v1/nope', '/api/v1/mentorsx', '/api/v2/mentors', '/api/admin/v1/nope', '/api/', `${MENTORS}/${s.mentor.mentor_id}/nope`, `${MENTORS}/${s.mentor.mentor_id}/pause/extra`]) {
    const r = await s.api.get(p);
    assert404(r);
    assert.equal(r.headers['content-type'], JSON_CT);
  }
});

test('a known path with another method: 405 JSON', async () => {
  const id = s.mentor.mentor_id;
  const cases = [
    ['PATCH', `${MENTORS}/${id}`],
    ['DELETE', MENTORS],
    ['PUT', MENTORS],
    ['GET', `${MENTORS}/${id}/pause`],
    ['PUT', `${MENTORS}/${id}/reactivate`],
    ['POST', `${MENTORS}/${id}/eligibility`],
    ['POST', `${MENTORS}/${id}`],
  ];
  for (const [method, p] of cases) {
    const r = await s.api.request(method, p, method === 'GET' || method === 'DELETE' ? {} : { json: {} });
    assertErrors(r, 405);
    assert.equal(r.json.errors[0].title, 'Method not allowed');
  }
  const a = await stack().admin.request('PUT', `${ADMIN}/tokens`, { json: {} });
  assertErrors(a, 405);
  const b = await stack().admin.get(`${ADMIN}/lead-providers`);
  assertErrors(b, 405);
});

test('a 9 KiB query string: 414 JSON', async () => {
  const r = await s.api.get(`${MENTORS}?status=active&pad=${'a'.repeat(9 * 1024)}`);
  assert.equal(r.status, 414, r.text.slice(0, 300));
  assert.equal(r.headers['content-type'], JSON_CT);
  assert.ok(r.json.errors[0].title);
});

test('a 7 KiB query string is not refused as too long', async () => {
  const r = await s.api.get(`${MENTORS}?status=active&pad=${'a'.repeat(7 * 1024)}`);
  assert.ok([200, 400].includes(r.status), `${r.status} ${r.text.slice(0, 200)}`);
});

test('401 answers are JSON even for a garbage token', async () => {
  const r = await stack().anon.get(MENTORS, { headers: { Authorization: 'Bearer x' } });
  assert401(r);
  assert.equal(r.headers['content-type'], JSON_CT);
});

test('NUL in a string is refused or kept whole, never truncated', async () => {
  const b = validBody();
  const r = await postRaw(`{"full_name":"Nul\\u0000Byte","email":"${b.email}","chapter_id":"${b.chapter_id}"}`);
  if (r.status === 422) {
    assert.equal(r.json.errors[0].title, 'full_name');
  } else {
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.full_name, 'Nul\u0000Byte');
    assert.equal((await s.api.get(`${MENTORS}/${r.json.mentor_id}`)).json.full_name, 'Nul\u0000Byte');
  }
});

test('HTTP/2: success, 401, 404, 415 and 413 answers are the same JSON', async () => {
  const token = s.api.token;
  const ok = await http2Request('GET', MENTORS, { token, query: { limit: 1 } });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['content-type'], JSON_CT);
  const created = await http2Request('POST', MENTORS, { token, json: validBody() });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.location, `/api/v1/mentors/${created.json.mentor_id}`);
  assert401(await http2Request('GET', MENTORS, {}));
  assert404(await http2Request('GET', `${MENTORS}/mntr_0000000000`, { token }));
  const u = await http2Request('POST', MENTORS, { token, body: '{}', contentType: 'text/plain' });
  assert.deepEqual([u.status, u.json], [415, UNSUPPORTED]);
  const big = await http2Request('POST', MENTORS, { token, json: validBody({ full_name: 'h'.repeat(MiB) }), headers: { 'x-request-id': 'h2-big-body' } });
  assert.equal(big.status, 413, big.text.slice(0, 200));
  assert.deepEqual(big.json, TOO_LARGE);
  assert.equal(big.headers['x-request-id'], 'h2-big-body');
}, { timeout: 60000 });

test('an X-Request-Id that does not look like an id is replaced, not echoed', async () => {
  const r = await s.api.get(MENTORS, { headers: { 'X-Request-Id': 'bad id; <script>' } });
  assert.equal(r.status, 200);
  assert.notEqual(r.headers['x-request-id'], 'bad id; <script>');
  assert.match(r.headers['x-request-id'], /^[A-Za-z0-9._:-]{1,128}$/);
});

test('the OpenAPI document is served at /api/docs/openapi.yaml without a token', async () => {
  const r = await stack().anon.get('/api/docs/openapi.yaml');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /yaml/);
  const served = YAML.parse(r.text);
  assert.equal(served.openapi, '3.0.3');
  assert.deepEqual(served, doc, 'the served document is docs/openapi.yaml');
});

await run();
closeAgent();
