// JWT forging for the auth tests, with node:crypto only.
//
// The stack's configuration file (ECF_TEST_CONFIG, `key = value` lines) names the HMAC
// secret (`jwt_key_file`, relative to the config file's folder), the issuer
// (`jwt_issuer`) and the audience (`jwt_audience`). Attack tokens are derived from a
// token the server really issued (so its `jti` is registered) by changing one thing.

import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function b64url(input) {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(typeof input === 'string' ? input : JSON.stringify(input), 'utf8');
  return buf.toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

export function b64urlDecode(s) {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Splits a compact JWT into {header, payload, signature, parts}. No verification. */
export function decode(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error('not a compact JWT');
  return {
    header: JSON.parse(b64urlDecode(parts[0]).toString('utf8')),
    payload: JSON.parse(b64urlDecode(parts[1]).toString('utf8')),
    signature: parts[2],
    parts,
  };
}

const HMAC = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** Signs header/payload objects. alg 'none' (any case) gives an empty signature. */
export function sign(header, payload, secret) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  if (String(header.alg).toLowerCase() === 'none') return `${input}.`;
  const h = HMAC[header.alg];
  if (!h) throw new Error(`cannot sign ${header.alg}`);
  return `${input}.${b64url(createHmac(h, secret).update(input).digest())}`;
}

/** Parses a `key = value` configuration file (comments with #, blank lines ignored). */
export function readConfig(file = process.env.ECF_TEST_CONFIG) {
  if (!file) return null;
  const cfg = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const s = line.trim();
    if (!s || s.startsWith('#') || s.startsWith(';')) continue;
    const eq = s.indexOf('=');
    if (eq < 0) continue;
    let v = s.slice(eq + 1).trim();
    if (/^".*"$/.test(v) || /^'.*'$/.test(v)) v = v.slice(1, -1);
    cfg[s.slice(0, eq).trim()] = v;
  }
  cfg.__dir = path.dirname(path.resolve(file));
  return cfg;
}

export function configPath(cfg, p) {
  return path.isAbsolute(p) ? p : path.resolve(cfg.__dir, p);
}

/**
 * The forging kit: {issuer, audience, algorithm, secret, forge(payload, opts)} or null
 * when ECF_TEST_CONFIG is not set or the key is not an HMAC secret.
 * `reference` is a token the server issued: the secret candidate (file bytes as they are,
 * or without the trailing newline) that reproduces its signature is chosen.
 */
export function forgingKit(reference) {
  const cfg = readConfig();
  if (!cfg || !cfg.jwt_key_file) return null;
  const algorithm = (cfg.jwt_algorithm || 'HS256').toUpperCase();
  if (!HMAC[algorithm]) return null;
  const raw = readFileSync(configPath(cfg, cfg.jwt_key_file));
  const candidates = [];
  const stripped = Buffer.from(raw.toString('latin1').replace(/[\r\n]+$/, ''), 'latin1');
  candidates.push(stripped, raw, Buffer.from(raw.toString('utf8').trim(), 'utf8'));
  let secret = stripped;
  let verified = false;
  if (reference) {
    const { parts, header } = decode(reference);
    for (const c of candidates) {
      const sig = b64url(createHmac(HMAC[header.alg] || 'sha256', c).update(`${parts[0]}.${parts[1]}`).digest());
      if (sig === parts[2]) {
        secret = c;
        verified = true;
        break;
      }
    }
  }
  return {
    issuer: cfg.jwt_issuer,
    audience: cfg.jwt_audience,
    algorithm,
    secret,
    verified, // true when the secret reproduced the reference token's signature
    config: cfg,
    /** Re-signs payload with the server's secret (header defaults to the configured alg). */
    forge(payload, { header = { alg: algorithm, typ: 'JWT' }, key = secret } = {}) {
      return sign(header, payload, key);
    },
  };
}

export function now() {
  return Math.floor(Date.now() / 1000);
}

export function randomJti() {
  return randomBytes(16).toString('hex');
}

/** Flips one character of the signature part (keeps it valid base64url). */
export function corruptSignature(token) {
  const parts = token.split('.');
  const s = parts[2];
  const i = Math.floor(s.length / 2);
  parts[2] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join('.');
}

/** Replaces the payload but keeps the original header and signature (tampering). */
export function tamper(token, mutate) {
  const { parts, payload } = decode(token);
  const p = mutate({ ...payload }) || payload;
  return `${parts[0]}.${b64url(p)}.${parts[2]}`;
}
