// Self-checks of docs/openapi.yaml, the contract every other test validates against:
// it must be complete and consistent, or the contract checks prove little.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

test('the document and the route table list the same operations', () => {
  // The service's routes are data (src/app/routes*.c); read them so the document cannot
  // drift from what the service answers. Path parameter names may differ ({id} vs
  // {mentor_id}); the docs file itself is served by nginx, not by a route.
  const norm = (method, path) => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'app');
  const routes = new Set();
  for (const f of readdirSync(dir).filter((n) => /^routes.*\.c$/.test(n))) {
    const text = readFileSync(join(dir, f), 'utf8');
    // String macros such as #define BASE "/api/admin/v1" used as BASE "/schools".
    const macros = Object.fromEntries([...text.matchAll(/^#define (\w+) "([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
    for (const m of text.matchAll(/\{\s*HTTP_(GET|POST|PUT|DELETE|PATCH),\s*((?:\w+\s+)?"[^"]*")/g)) {
      const path = m[2].replace(/^(\w+)\s+"([^"]*)"$/, (_, name, rest) => (macros[name] ?? `?${name}?`) + rest).replace(/^"|"$/g, '');
      routes.add(norm(m[1], path));
    }
  }
  const documented = new Set(
    operations()
      .filter(({ path }) => path !== '/api/docs/openapi.yaml')
      .map(({ path, method }) => norm(method, path)),
  );
  assert.ok(routes.size >= 16, `found ${routes.size} routes`);
  assert.deepEqual([...routes].filter((r) => !documented.has(r)).sort(), [], 'routes missing from the document');
  assert.deepEqual([...documented].filter((r) => !routes.has(r)).sort(), [], 'documented operations without a route');
  assert.ok(operations().some(({ path }) => path === '/api/docs/openapi.yaml'), 'the document describes itself');
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
