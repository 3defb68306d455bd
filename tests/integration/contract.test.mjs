// Self-checks of docs/openapi.yaml, the contract every other test validates against:
// it must be complete and consistent, or the contract checks prove little.

import { test, run } from './lib/tap.mjs';
import { doc, unresolvedRefs, compileAll } from './lib/contract.mjs';
import Ajv from 'ajv';
import { assert } from './lib/fixtures.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) ops.push({ path, method: m, op: item[m] });
  }
  return ops;
}

function resolve(obj) {
  let o = obj;
  for (let i = 0; o && o.$ref && i < 10; i++) {
    o = o.$ref
      .slice(2)
      .split('/')
      .reduce((acc, t) => acc?.[t.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return o;
}

function walkSchemas(node, visit, where = '#') {
  if (Array.isArray(node)) return node.forEach((n, i) => walkSchemas(n, visit, `${where}/${i}`));
  if (!node || typeof node !== 'object') return;
  visit(node, where);
  for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'enum') walkSchemas(v, visit, `${where}/${k}`);
}

test('the document is OpenAPI 3.0.3 with the expected tags', () => {
  assert.equal(doc.openapi, '3.0.3');
  const tags = doc.tags.map((t) => t.name);
  for (const t of ['Mentor Status v1', 'Admin v1', 'Health', 'Docs']) assert.ok(tags.includes(t), t);
});

test('every $ref resolves and every response schema compiles', () => {
  assert.deepEqual(unresolvedRefs(), []);
  assert.deepEqual(compileAll(), []);
});

test('every documented operation is there (8 mentor, 6 admin, healthz, docs)', () => {
  const have = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
  assert.deepEqual(have, [
    'DELETE /api/admin/v1/tokens/{jti}',
    'DELETE /api/v1/mentors/{mentor_id}',
    'GET /api/admin/v1/chapters',
    'GET /api/admin/v1/tokens',
    'GET /api/docs/openapi.yaml',
    'GET /api/v1/mentors',
    'GET /api/v1/mentors/{mentor_id}',
    'GET /api/v1/mentors/{mentor_id}/eligibility',
    'GET /healthz',
    'POST /api/admin/v1/chapters',
    'POST /api/admin/v1/lead-providers',
    'POST /api/admin/v1/tokens',
    'POST /api/v1/mentors',
    'POST /api/v1/mentors/{mentor_id}/pause',
    'POST /api/v1/mentors/{mentor_id}/reactivate',
    'PUT /api/v1/mentors/{mentor_id}',
  ]);
});

test('operationIds are unique; each operation has one declared tag', () => {
  const ids = operations().map(({ op }) => op.operationId);
  assert.equal(new Set(ids).size, ids.length);
  const tags = new Set(doc.tags.map((t) => t.name));
  for (const { path, method, op } of operations()) {
    assert.ok(op.operationId, `${method} ${path} operationId`);
    assert.equal(op.tags?.length, 1, `${method} ${path} tags`);
    assert.ok(tags.has(op.tags[0]), `${method} ${path} tag ${op.tags[0]}`);
  }
});

test('secured operations name their scopes and document 401, 403, 429', () => {
  for (const { path, method, op } of operations()) {
    const isPublic = Array.isArray(op.security) && op.security.length === 0;
    if (isPublic) {
      assert.equal(op['x-required-scopes'], undefined, `${method} ${path}`);
      continue;
    }
    assert.ok(Array.isArray(op['x-required-scopes']) && op['x-required-scopes'].length, `${method} ${path} x-required-scopes`);
    for (const s of ['401', '403', '429']) assert.ok(op.responses[s], `${method} ${path} lacks ${s}`);
  }
});

test('operations with a body document 400, 413, 415, 422; with an id, 404', () => {
  for (const { path, method, op } of operations()) {
    if (op.requestBody) {
      for (const s of ['400', '413', '415', '422']) assert.ok(op.responses[s], `${method} ${path} lacks ${s}`);
      assert.ok(op.requestBody.content['application/json'], `${method} ${path} body is JSON`);
    }
    if (/\{[^}]+\}/.test(path)) assert.ok(op.responses['404'], `${method} ${path} lacks 404`);
  }
});

test('every response declares X-Request-Id and JSON (or YAML for the document)', () => {
  const responses = [];
  for (const { path, method, op } of operations()) {
    for (const [status, r] of Object.entries(op.responses)) responses.push([`${method} ${path} ${status}`, resolve(r)]);
  }
  for (const [name, r] of Object.entries(doc.components.responses)) responses.push([name, r]);
  for (const [name, r] of responses) {
    assert.ok(r.headers && r.headers['X-Request-Id'], `${name}: X-Request-Id`);
    if (r.content) {
      const types = Object.keys(r.content);
      assert.ok(types.every((t) => t === 'application/json' || t === 'application/yaml'), `${name}: ${types}`);
    }
  }
});

test('object schemas: additionalProperties false, required names listed properties', () => {
  walkSchemas(doc.components.schemas, (node, where) => {
    if (node.type !== 'object') return;
    assert.equal(node.additionalProperties, false, `${where}: additionalProperties`);
    for (const r of node.required || []) assert.ok(node.properties && r in node.properties, `${where}: required ${r} not in properties`);
  });
});

test('nullable is only used beside a type', () => {
  walkSchemas(doc, (node, where) => {
    if (node.nullable === true) assert.ok(node.type, `${where}: nullable without type`);
  });
});

test('schema examples validate against their schemas', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc, 'doc');
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    if (schema.example === undefined) continue;
    const v = ajv.getSchema(`doc#/components/schemas/${name}`);
    assert.ok(v(schema.example), `${name}: ${JSON.stringify(v.errors)}`);
  }
});

await run();
