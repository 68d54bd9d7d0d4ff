import type { KeyObject } from 'node:crypto';
/**
 * Hanko kids are UUIDs (its tests use "key1"): nothing that could be a path, a query or markup.
 * The one definition both the token pre-check and the key set use.
 */
export declare const KID_PATTERN: RegExp;
/** NIST's floor for RSA signatures; Hanko's own keys are 4096 bits, Hanko Cloud's at least 2048. */
export declare const MIN_RSA_BITS = 2048;
/**
 * Which published JWKs may verify a Hanko session: RSA signing keys for RS256 with a usable kid.
 * Anything else in the set (encryption keys, EC keys, keys for other algorithms) is ignored, so it
 * can never be chosen by a token's header.
 */
export declare function isUsableJwk(jwk: unknown): boolean;
/** A weak key lets anyone who factors it mint sessions: refuse moduli under 2048 bits. */
export declare function isStrongRsaKey(key: KeyObject): boolean;
