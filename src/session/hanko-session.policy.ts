import { HankoTokenRefusal } from '../errors/hanko-refusal.reason.js';
import type { HankoEmailClaim, HankoSessionClaims, HankoUser } from './hanko-user.js';

/** Hanko's webhook JWTs use this subject: signed with the session keys and audience, yet no session. */
export const WEBHOOK_SUBJECT = 'hanko webhooks';

/**
 * What makes a verified JWT a live Hanko session rather than any token Hanko ever signed.
 * Signature, `aud`, `iss`, `nbf` and a present `exp` have been checked by the verifier before this runs.
 */
export class HankoSessionPolicy {
  constructor(private readonly clockTolerance: number) {}

  toUser(payload: Record<string, unknown>, nowSeconds = Date.now() / 1000): HankoUser {
    // exp is optional for generic JWT verifiers (which check it only when present, with the clock
    // tolerance); a Hanko session always has both.
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
      throw new HankoTokenRefusal('invalid time claims');
    }
    // A token "issued" in the future was minted with a wrong clock or forged lifetimes.
    if (payload.iat > nowSeconds + this.clockTolerance) throw new HankoTokenRefusal('token issued in the future');
    // Webhook tokens: same keys, same aud, but sub "hanko webhooks", an `evt`, and no session_id.
    if (payload.sub === WEBHOOK_SUBJECT || payload.evt !== undefined) {
      throw new HankoTokenRefusal('not a Hanko session token');
    }
    if (!isNonEmptyString(payload.sub) || !isNonEmptyString(payload.session_id)) {
      throw new HankoTokenRefusal('not a Hanko session token');
    }
    // The payload was parsed for this verification alone: clean and freeze it in place rather than copy it.
    const claims = freezeClaims(payload) as unknown as HankoSessionClaims & Record<string, unknown>;
    return Object.freeze({
      id: claims.sub,
      sessionId: claims.session_id,
      email: toEmail(claims.email),
      username: typeof claims.username === 'string' ? claims.username : undefined,
      amr: Object.freeze(toAmr(claims.amr)),
      issuedAt: new Date(claims.iat * 1000),
      expiresAt: new Date(claims.exp * 1000),
      claims,
    });
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function toEmail(email: HankoEmailClaim | undefined): HankoUser['email'] {
  if (email === null || typeof email !== 'object' || typeof email.address !== 'string') return undefined;
  return Object.freeze({
    address: email.address,
    isPrimary: email.is_primary === true,
    isVerified: email.is_verified === true,
  });
}

function toAmr(amr: unknown): string[] {
  if (typeof amr === 'string') return [amr];
  if (Array.isArray(amr)) return amr.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * Keys that would poison an app's objects: JSON.parse makes `"__proto__"` an own property, and an
 * app that copies the claims (`Object.assign({}, user.claims)`, a spread into a merge helper) would
 * then replace its copy's prototype with attacker-chosen data; `constructor`/`prototype` feed the
 * same gadgets in deep-merge code. No Hanko claim has these names, so they are dropped.
 */
const POISONED_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Drops the poisoned keys at every depth (objects inside arrays too), then freezes. Runs once per
 * verification of a new token: it descends only into objects, and walks arrays by index, so the
 * claims' many strings and numbers cost no call and no `Object.values` copy each.
 */
export function freezeClaims<T>(value: T): T {
  if (value !== null && typeof value === 'object') freezeObject(value);
  return value;
}

function freezeObject(value: object): void {
  for (const key of POISONED_KEYS) {
    if (Object.hasOwn(value, key)) delete (value as Record<string, unknown>)[key];
  }
  const inner: readonly unknown[] = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < inner.length; i++) {
    const item = inner[i];
    if (item !== null && typeof item === 'object') freezeObject(item);
  }
  Object.freeze(value);
}
