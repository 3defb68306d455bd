// Contract checks: every response the integration suite receives is validated against
// the project's own OpenAPI document (docs/openapi.yaml, or ECF_TEST_OPENAPI).
//
// The whole document is added to Ajv as one schema with $id "doc", so the schemas' own
// "#/components/..." references resolve inside it; each response schema is then fetched
// by JSON pointer ("doc#/paths/<path>/<method>/responses/<status>/content/<type>/schema"
// after following the response's own $ref). Ajv 8 understands OpenAPI's `nullable`.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';

const here = path.dirname(fileURLToPath(import.meta.url));
export const openapiPath =
  process.env.ECF_TEST_OPENAPI || path.resolve(here, '..', '..', '..', 'docs', 'openapi.yaml');

export const openapiText = readFileSync(openapiPath, 'utf8');
export const doc = YAML.parse(openapiText);

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export class ContractError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ContractError';
  }
}

// ---------------------------------------------------------------- formats
function isValidDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function isValidDateTime(s) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m || !isValidDate(m[1])) return false;
  return Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4]) <= 60;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
ajv.addFormat('date', { type: 'string', validate: isValidDate });
ajv.addFormat('date-time', { type: 'string', validate: isValidDateTime });
ajv.addFormat('uuid', {
  type: 'string',
  validate: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
});
// Deliberately loose: the contract states a shape, the server owns the exact rule.
ajv.addFormat('email', { type: 'string', validate: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ });
ajv.addSchema(doc, 'doc');

// ---------------------------------------------------------------- pointers
function escapeToken(t) {
  return String(t).replace(/~/g, '~0').replace(/\//g, '~1');
}

function pointer(...tokens) {
  return '/' + tokens.map((t) => encodeURIComponent(escapeToken(t))).join('/');
}

function getByPointer(obj, ptr) {
  let cur = obj;
  for (const raw of ptr.split('/').slice(1)) {
    const t = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur == null || typeof cur !== 'object' || !(t in cur)) return undefined;
    cur = cur[t];
  }
  return cur;
}

/** Follows local "#/..." $refs of non-schema objects (responses, headers). */
function deref(ptr) {
  let obj = getByPointer(doc, ptr);
  for (let hops = 0; obj && typeof obj.$ref === 'string' && hops < 10; hops++) {
    if (!obj.$ref.startsWith('#/')) throw new Error(`unsupported $ref ${obj.$ref}`);
    ptr = obj.$ref.slice(1);
    obj = getByPointer(doc, ptr);
  }
  return { ptr, obj };
}

const validators = new Map();
function validatorAt(ptr) {
  let v = validators.get(ptr);
  if (!v) {
    v = ajv.getSchema(`doc#${ptr}`);
    if (!v) throw new Error(`no schema at doc#${ptr}`);
    validators.set(ptr, v);
  }
  return v;
}

// ---------------------------------------------------------------- path templates
const templates = Object.keys(doc.paths || {}).map((tpl) => {
  const re = new RegExp(
    '^' +
      tpl
        .split(/(\{[^}]+\})/)
        .map((part) =>
          /^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('') +
      '$',
  );
  const literal = tpl.replace(/\{[^}]+\}/g, '').length;
  return { tpl, re, literal };
});
// Prefer the most literal template when several match (/a/{x} vs /a/b).
templates.sort((a, b) => b.literal - a.literal);

/** The documented path template a concrete path (query string ignored) belongs to, or null. */
export function findTemplate(urlPath) {
  const p = String(urlPath).split('?')[0];
  for (const { tpl, re } of templates) if (re.test(p)) return tpl;
  return null;
}

export function operationsOf(template) {
  const item = doc.paths[template] || {};
  return METHODS.filter((m) => item[m]);
}

// ---------------------------------------------------------------- assertions
function mediaType(contentType) {
  return String(contentType || '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

function excerpt(text, n = 600) {
  const s = String(text ?? '');
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

function header(headers, name) {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Fails (throws ContractError) unless `response` ({status, headers, text, json}) is what
 * docs/openapi.yaml documents for `method` on `template` (a key of `paths`, or null for a
 * path that is not documented). Rules:
 *  - a null template: only a 404 with the NotFound response is documented;
 *  - a documented path without this method: only a 405 with MethodNotAllowed;
 *  - otherwise the status must be listed for the operation;
 *  - the content type must be one of the documented media types, and a JSON body must
 *    parse and validate against the schema; a response without content must be empty;
 *  - every header the response marks `required` must be present (and match its schema).
 * Returns the pointer of the response object that matched.
 */
export function assertContract(method, template, status, response) {
  const m = String(method).toLowerCase();
  const where = `${method.toUpperCase()} ${template ?? '(undocumented path)'} -> ${status}`;
  let respPtr;
  if (template === null || template === undefined) {
    if (status !== 404)
      throw new ContractError(`${where}: a path that is not documented must answer 404`);
    respPtr = '/components/responses/NotFound';
  } else {
    const item = doc.paths[template];
    if (!item) throw new ContractError(`${where}: no such path template in the document`);
    if (!item[m]) {
      if (status !== 405)
        throw new ContractError(
          `${where}: method not documented for this path (documented: ${operationsOf(template)
            .map((x) => x.toUpperCase())
            .join(', ')}), so only 405 is allowed`,
        );
      respPtr = '/components/responses/MethodNotAllowed';
    } else {
      const responses = item[m].responses || {};
      if (!responses[String(status)])
        throw new ContractError(
          `${where}: status not documented (documented: ${Object.keys(responses).join(', ')})\n` +
            `content-type: ${header(response.headers, 'content-type')}\nbody: ${excerpt(response.text)}`,
        );
      respPtr = pointer('paths', template, m, 'responses', String(status));
    }
  }
  const { ptr, obj: resp } = deref(respPtr);
  if (!resp) throw new ContractError(`${where}: response object missing at ${respPtr}`);

  // Headers marked required.
  for (const [name, h0] of Object.entries(resp.headers || {})) {
    const { obj: h } = deref(`${ptr}/headers/${encodeURIComponent(escapeToken(name))}`);
    const value = header(response.headers, name);
    if (h && h.required && (value === undefined || value === ''))
      throw new ContractError(`${where}: required header ${name} is missing`);
    if (value !== undefined && h && h.schema) {
      const hs = h.schema.$ref ? getByPointer(doc, h.schema.$ref.slice(1)) : h.schema;
      if (hs.type === 'integer' && !/^\d+$/.test(value))
        throw new ContractError(`${where}: header ${name} must be an integer, got ${value}`);
      if (hs.pattern && !new RegExp(hs.pattern).test(value))
        throw new ContractError(`${where}: header ${name} ${value} does not match ${hs.pattern}`);
    }
    void h0;
  }

  const content = resp.content;
  if (!content) {
    if (response.text && response.text.length > 0)
      throw new ContractError(`${where}: documented without a body, got: ${excerpt(response.text)}`);
    return ptr;
  }
  const ct = header(response.headers, 'content-type');
  const mt = mediaType(ct);
  if (!content[mt])
    throw new ContractError(
      `${where}: content type ${ct ?? '(none)'} not documented (documented: ${Object.keys(content).join(', ')})\n` +
        `body: ${excerpt(response.text)}`,
    );
  const schemaPtr = `${ptr}/content/${encodeURIComponent(escapeToken(mt))}/schema`;
  if (mt === 'application/json' || mt.endsWith('+json')) {
    let body = response.json;
    if (body === undefined) {
      try {
        body = JSON.parse(response.text);
      } catch (e) {
        throw new ContractError(`${where}: body is not valid JSON (${e.message}): ${excerpt(response.text)}`);
      }
    }
    const validate = validatorAt(schemaPtr);
    if (!validate(body)) {
      const errs = validate.errors
        .map((e) => `  ${e.instancePath || '(root)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`)
        .join('\n');
      throw new ContractError(
        `${where}: body does not match ${schemaPtr.replace(/%7B/g, '{').replace(/%7D/g, '}')}\n${errs}\nbody: ${excerpt(response.text)}`,
      );
    }
  } else if (/yaml/.test(mt)) {
    try {
      YAML.parse(response.text);
    } catch (e) {
      throw new ContractError(`${where}: body is not valid YAML: ${e.message}`);
    }
  }
  return ptr;
}

/** Sanity check used by the suite: every $ref in the document resolves. */
export function unresolvedRefs() {
  const missing = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      if (!node.$ref.startsWith('#/') || getByPointer(doc, node.$ref.slice(1)) === undefined)
        missing.push(node.$ref);
    }
    Object.values(node).forEach(walk);
  };
  walk(doc);
  return missing;
}

/** Compiles every response schema of the document; returns a list of failures. */
export function compileAll() {
  const failures = [];
  for (const [tpl, item] of Object.entries(doc.paths || {})) {
    for (const m of METHODS) {
      if (!item[m]) continue;
      for (const status of Object.keys(item[m].responses || {})) {
        try {
          const { ptr, obj } = deref(pointer('paths', tpl, m, 'responses', status));
          for (const mt of Object.keys(obj.content || {})) {
            validatorAt(`${ptr}/content/${encodeURIComponent(escapeToken(mt))}/schema`);
          }
        } catch (e) {
          failures.push(`${m.toUpperCase()} ${tpl} ${status}: ${e.message}`);
        }
      }
    }
  }
  return failures;
}
