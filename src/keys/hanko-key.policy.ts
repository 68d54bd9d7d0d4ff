import type { KeyObject } from 'node:crypto';

/**
 * Hanko kids are UUIDs (its tests use "key1"): nothing that could be a path, a query or markup.
 * The one definition both the token pre-check and the key set use.
 */
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** NIST's floor for RSA signatures; Hanko's own keys are 4096 bits, Hanko Cloud's at least 2048. */
export const MIN_RSA_BITS = 2048;

/**
 * Which published JWKs may verify a Hanko session: RSA signing keys for RS256 with a usable kid.
 * Anything else in the set (encryption keys, EC keys, keys for other algorithms) is ignored, so it
 * can never be chosen by a token's header.
 */
export function isUsableJwk(jwk: unknown): boolean {
  if (jwk === null || typeof jwk !== 'object') return false;
  const k = jwk as Record<string, unknown>;
  if (k.kty !== 'RSA') return false;
  if (k.use !== undefined && k.use !== 'sig') return false;
  if (k.alg !== undefined && k.alg !== 'RS256') return false;
  if (k.key_ops !== undefined && !(Array.isArray(k.key_ops) && k.key_ops.includes('verify'))) return false;
  // A published private key (`d`) is a misconfiguration; verifying with it would still work, but refuse loudly.
  if (k.d !== undefined) return false;
  return typeof k.kid === 'string' && KID_PATTERN.test(k.kid);
}

/** A weak key lets anyone who factors it mint sessions: refuse moduli under 2048 bits. */
export function isStrongRsaKey(key: KeyObject): boolean {
  return key.type === 'public' && key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS;
}
