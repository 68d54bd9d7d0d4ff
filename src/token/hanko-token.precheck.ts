import { HankoTokenRefusal } from '../errors/hanko-refusal.reason.js';
import { KID_PATTERN } from '../keys/hanko-key.policy.js';

/** A token whose shape and header passed the pre-check; nothing about it is trusted yet. */
export interface PrecheckedToken {
  readonly raw: string;
  readonly kid: string;
  /** Unverified `iat`: only a hint for the key source (rotation vs. stranger), never trusted. */
  readonly issuedAt: number | undefined;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Headers that would make the token name its own key or change how it is verified. */
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'crit', 'b64', 'zip', 'enc'];

/**
 * Cheap structural checks that run before any key lookup, so a hostile token costs a few string
 * operations and can never choose the key, the algorithm, or trigger a fetch.
 */
export function precheckToken(raw: string, maxTokenBytes: number): PrecheckedToken {
  // Size first: everything after this is proportional to the input.
  if (raw.length > maxTokenBytes) throw new HankoTokenRefusal('token too large');
  const parts = raw.split('.');
  // Two parts: signature stripped; five: JWE; more: garbage or a nested token.
  if (parts.length !== 3) throw new HankoTokenRefusal('malformed token');
  // Strict, canonical base64url: padding, '+', '/' or spaces mean a token that was not produced by a
  // JWS encoder, and so do non-zero unused bits in the last character (see isCanonical).
  for (const part of parts) {
    if (!BASE64URL.test(part) || !isCanonical(part)) throw new HankoTokenRefusal('malformed token');
  }
  const header = decodeObject(parts[0]);
  const payload = decodeObject(parts[1]);
  // Only RS256: stops alg=none, HS256 keyed with the public key, and algorithm confusion in general.
  if (header.alg !== 'RS256') throw new HankoTokenRefusal('unsupported algorithm');
  // An embedded or remote key (jwk/jku/x5u/x5c) would let the attacker pick the key; crit/b64
  // change the verification rules in ways no Hanko token needs.
  for (const name of FORBIDDEN_HEADERS) {
    if (Object.hasOwn(header, name)) throw new HankoTokenRefusal('unsupported token header');
  }
  if (header.typ !== undefined && (typeof header.typ !== 'string' || header.typ.toUpperCase() !== 'JWT')) {
    throw new HankoTokenRefusal('unsupported token type');
  }
  if (typeof header.kid !== 'string' || !KID_PATTERN.test(header.kid)) throw new HankoTokenRefusal('invalid key id');
  // Time claims that are not numbers would be skipped by lenient verifiers; refuse them outright.
  for (const claim of ['exp', 'iat', 'nbf']) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new HankoTokenRefusal('invalid time claims');
    }
  }
  return { raw, kid: header.kid, issuedAt: payload.iat as number | undefined };
}

/**
 * Whether a base64url segment (alphabet already checked) is the one encoding of its bytes, i.e.
 * re-encodes to itself. Decoders ignore the unused low bits of the last character, so without this
 * one signature has up to 16 spellings that all verify: each a separate RSA verification and token
 * cache entry, and a way around anything an app keys by token string (rate limits, deny lists).
 * O(1): only the last character can carry unused bits (4 of them after 2 characters, 2 after 3).
 */
function isCanonical(segment: string): boolean {
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false; // 6 bits cannot end a byte: no encoder produces this length
  const last = BASE64URL_ALPHABET.indexOf(segment[segment.length - 1]);
  return (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

function decodeObject(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new HankoTokenRefusal('malformed token');
  }
  // A JSON array, string or number is valid JSON but no JOSE header or claims set.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HankoTokenRefusal('malformed token');
  }
  return value as Record<string, unknown>;
}
