import { sign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';

/**
 * Generators of hostile input for the fuzz suites: structured mutations of really signed tokens,
 * random bytes, and random Authorization / Cookie headers built from both.
 */

const B64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const enc = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const dec = (segment: string) => Buffer.from(segment, 'base64url');

/** Header parameters an attacker would inject, and values of every JSON type. */
const HEADER_NAMES = ['alg', 'kid', 'typ', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'crit', 'b64', 'zip', 'enc', 'cty', 'nonce', '__proto__'];
const HEADER_VALUES: unknown[] = [
  'none',
  'None',
  'HS256',
  'RS512',
  'PS256',
  'ES256',
  'rs256',
  'RS256 ',
  'JWT',
  'jwt',
  'JWS',
  'at+jwt',
  '../../etc/passwd',
  'http://127.0.0.1:9/jwks.json',
  '00000000-0000-4000-8000-000000000000',
  '',
  null,
  true,
  false,
  0,
  -1,
  1e308,
  ['b64'],
  { kty: 'RSA', n: 'AQAB', e: 'AQAB' },
];
const CLAIMS = ['exp', 'iat', 'nbf', 'sub', 'session_id', 'aud', 'iss', 'evt', 'email', 'amr', 'username', '__proto__', 'constructor'];
/** Characters a careless client or proxy adds: padding, whitespace, other base64 alphabets, separators. */
const NOISE = ['=', '==', ' ', '  ', '\t', '\n', '\r\n', '+', '/', '.', '..', '%3D', '"', ',', ';', '\u00a0', '\u200b', '\ufeff', '\u0000'];

/** A token split into its three segments and their decoded JSON (for tokens the issuer minted). */
interface TokenParts {
  h: string;
  p: string;
  s: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}
const partsCache = new Map<string, TokenParts>();
function parts(token: string): TokenParts {
  let known = partsCache.get(token);
  if (known === undefined) {
    const [h, p, s] = token.split('.');
    const header = JSON.parse(dec(h).toString()) as Record<string, unknown>;
    const payload = JSON.parse(dec(p).toString()) as Record<string, unknown>;
    known = { h, p, s, header, payload };
    partsCache.set(token, known);
  }
  return known;
}

/** A JSON text with one character of a key or value written as a \u escape: same JSON, other bytes. */
function escapeOneChar(text: string, at: number): string {
  const quoted = [...text.matchAll(/"([^"\\]+)"/g)];
  if (quoted.length === 0) return text;
  const match = quoted[at % quoted.length];
  const start = match.index + 1;
  const code = text.charCodeAt(start).toString(16).padStart(4, '0');
  return `${text.slice(0, start)}\\u${code}${text.slice(start + 1)}`;
}

/** The signature's last character swapped for another that decodes to the same bytes (unused trailing bits). */
export function sameBytesSignature(token: string, pick: number): string | undefined {
  const { h, p, s } = parts(token);
  const original = dec(s);
  const candidates = [...B64URL_CHARS].filter((c) => c !== s.at(-1) && dec(s.slice(0, -1) + c).equals(original));
  if (candidates.length === 0) return undefined;
  return `${h}.${p}.${s.slice(0, -1)}${candidates[pick % candidates.length]}`;
}

/**
 * One structured mutation of a valid token. Each keeps the signature of the original (so it no
 * longer matches), removes it, or signs with a key Hanko never published.
 */
export function mutatedToken(bases: readonly string[], attackerKey: KeyObject): fc.Arbitrary<string> {
  const base = fc.constantFrom(...bases);
  const segment = fc.integer({ min: 0, max: 2 });
  const position = fc.nat({ max: 4096 });

  const charFlip = fc
    .tuple(base, segment, position, fc.oneof(fc.constantFrom(...B64URL_CHARS), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })))
    .map(([t, i, at, c]) => {
      const segs = t.split('.');
      const seg = segs[i];
      const k = at % Math.max(1, seg.length);
      segs[i] = seg.slice(0, k) + c + seg.slice(k + 1);
      return segs.join('.');
    });
  const bitFlip = fc.tuple(base, segment, position, fc.integer({ min: 0, max: 7 })).map(([t, i, at, bit]) => {
    const segs = t.split('.');
    const bytes = dec(segs[i]);
    if (bytes.length > 0) bytes[at % bytes.length] ^= 1 << bit;
    segs[i] = enc(bytes);
    return segs.join('.');
  });
  const segmentShuffle = fc.tuple(base, fc.array(segment, { minLength: 0, maxLength: 5 })).map(([t, order]) => {
    const segs = t.split('.');
    return order.map((i) => segs[i]).join('.');
  });
  const truncation = fc.tuple(base, position, fc.boolean()).map(([t, at, fromStart]) => {
    const k = at % (t.length + 1);
    return fromStart ? t.slice(k) : t.slice(0, k);
  });
  const noise = fc
    .tuple(base, fc.array(fc.tuple(position, fc.constantFrom(...NOISE)), { minLength: 1, maxLength: 3 }))
    .map(([t, inserts]) => {
      let out = t;
      for (const [at, text] of inserts) {
        const k = at % (out.length + 1);
        out = out.slice(0, k) + text + out.slice(k);
      }
      return out;
    });
  const otherAlphabet = base.map((t) =>
    t
      .split('.')
      .map((s) => s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
      .join('.'),
  );
  const caseFlip = fc.tuple(base, position).map(([t, at]) => {
    const k = at % t.length;
    const c = t[k];
    const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
    return t.slice(0, k) + flipped + t.slice(k + 1);
  });
  const headerInjected = fc
    .tuple(base, fc.constantFrom(...HEADER_NAMES), fc.oneof(fc.constantFrom(...HEADER_VALUES), fc.jsonValue({ maxDepth: 2 })), fc.boolean())
    .map(([t, name, value, randomKid]) => {
      const { header, p, s } = parts(t);
      const next = { ...header, [name]: value };
      // A kid that passes the pre-check but names no published key: costs a key lookup, never more.
      if (randomKid) next.kid = `kid-${(JSON.stringify(value) ?? '').length}-${name}`;
      return `${enc(JSON.stringify(next))}.${p}.${s}`;
    });
  const claimRetyped = fc.tuple(base, fc.constantFrom(...CLAIMS), fc.jsonValue({ maxDepth: 2 })).map(([t, name, value]) => {
    const { h, payload, s } = parts(t);
    return `${h}.${enc(JSON.stringify({ ...payload, [name]: value }))}.${s}`;
  });
  const duplicateKey = fc
    .tuple(base, fc.boolean(), fc.constantFrom(...HEADER_NAMES, ...CLAIMS), fc.constantFrom(...HEADER_VALUES), fc.boolean())
    .map(([t, inHeader, name, value, first]) => {
      const segs = t.split('.');
      const i = inHeader ? 0 : 1;
      const text = dec(segs[i]).toString();
      const extra = `${JSON.stringify(name)}:${JSON.stringify(value)}`;
      segs[i] = enc(first ? `{${extra},${text.slice(1)}` : `${text.slice(0, -1)},${extra}}`);
      return segs.join('.');
    });
  const unicodeEscaped = fc
    .tuple(base, fc.boolean(), fc.nat(), fc.constantFrom('', '\ufeff', ' ', '\u00e9'))
    .map(([t, inHeader, at, prefix]) => {
      const segs = t.split('.');
      const i = inHeader ? 0 : 1;
      segs[i] = enc(prefix + escapeOneChar(dec(segs[i]).toString(), at));
      return segs.join('.');
    });
  const unsigned = fc
    .tuple(base, fc.constantFrom('none', 'None', 'NONE', 'RS256', undefined), fc.constantFrom('', '.', 'AA', 'e30'))
    .map(([t, alg, sig]) => {
      const { header, p } = parts(t);
      return `${enc(JSON.stringify({ ...header, alg }))}.${p}.${sig}`;
    });
  // A key Hanko never published, with the real kid: the signature is perfect, the key is wrong.
  const foreignSigned = fc.tuple(base, fc.constantFrom(...CLAIMS), fc.jsonValue({ maxDepth: 1 })).map(([t, name, value]) => {
    const { header, payload } = parts(t);
    const input = `${enc(JSON.stringify(header))}.${enc(JSON.stringify({ ...payload, [name]: value }))}`;
    return `${input}.${sign('sha256', Buffer.from(input), attackerKey).toString('base64url')}`;
  });

  return fc.oneof(
    charFlip,
    bitFlip,
    segmentShuffle,
    truncation,
    noise,
    otherAlphabet,
    caseFlip,
    headerInjected,
    claimRetyped,
    duplicateKey,
    unicodeEscaped,
    unsigned,
    foreignSigned,
  );
}

/** Random bytes and strings, some shaped like a JWS (three base64url-ish segments). */
export function garbageToken(): fc.Arbitrary<string> {
  const b64ish = fc.string({ unit: fc.constantFrom(...B64URL_CHARS, '=', '+', '/', '.'), maxLength: 300 });
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.tuple(b64ish, b64ish, b64ish).map((s) => s.join('.')),
    fc
      .tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), b64ish)
      .map(([h, p, s]) => `${enc(JSON.stringify(h) ?? '')}.${enc(JSON.stringify(p) ?? '')}.${s}`),
    // Around the size limit (8 KiB by default): refused before any parsing.
    fc
      .tuple(fc.integer({ min: 8000, max: 9000 }), fc.constantFrom(...B64URL_CHARS))
      .map(([n, c]) => `eyJ${c.repeat(n)}.e30.${c.repeat(40)}`),
  );
}

/** Any token-ish value: a valid one (so acceptance is exercised too), a mutation, or garbage. */
export function anyToken(valid: readonly string[], attackerKey: KeyObject): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...valid) },
    { weight: 6, arbitrary: mutatedToken(valid, attackerKey) },
    { weight: 2, arbitrary: garbageToken() },
  );
}

/** An `Authorization` header value (or none). */
export function authorizationHeader(token: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Bearer:', 'Basic', 'Token', 'Bearer\t', 'Bearer,', '');
  const gap = fc.constantFrom(' ', '  ', '\t', '', ' \t ');
  return fc.oneof(
    fc.constant(undefined),
    token.map((t) => `Bearer ${t}`),
    fc
      .tuple(scheme, gap, token, fc.constantFrom('', ' ', '  ', ' x', ', Bearer abc', '\t'))
      .map(([s, g, t, tail]) => `${s}${g}${t}${tail}`),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

/** A `Cookie` header value (or none): the Hanko cookie among others, quoted, doubled, misnamed. */
export function cookieHeader(token: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  const name = fc.constantFrom('hanko', 'HANKO', ' hanko', 'hanko ', 'hank', 'hanko2', 'other');
  const pair = fc
    .tuple(name, fc.constantFrom('=', ' = ', '=='), token, fc.boolean())
    .map(([n, eq, t, quoted]) => `${n}${eq}${quoted ? `"${t}"` : t}`);
  return fc.oneof(
    fc.constant(undefined),
    token.map((t) => `hanko=${t}`),
    fc
      .tuple(fc.array(fc.oneof(pair, fc.string({ maxLength: 40 })), { minLength: 1, maxLength: 4 }), fc.constantFrom('; ', ';', ' ;'))
      .map(([pairs, separator]) => pairs.join(separator)),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}
