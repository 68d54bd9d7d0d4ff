import type { HankoRevocationMark } from './hanko-revocation.marks.js';
import type { HankoEvent } from './hanko-webhook.events.js';

/** The webhook settings the policy needs: seconds, like Hanko's own configuration. */
export interface RevocationTiming {
  readonly sessionLifespan: number;
  readonly clockTolerance: number;
}

/**
 * What an event revokes. `session.delete.*` (logout, "revoke", admin, idle expiry, session limit):
 * that session. `user.delete`: every session of the user issued up to the event, since Hanko deletes
 * them by database cascade without a session event. A mark lasts as long as a token it refuses could
 * still be accepted (its expiry plus the clock tolerance), no longer.
 */
export function revocationFor(event: HankoEvent, timing: RevocationTiming, now = Date.now()): HankoRevocationMark | undefined {
  const tolerance = timing.clockTolerance * 1000;
  const fallback = now + timing.sessionLifespan * 1000 + tolerance;
  if (event.event.startsWith('session.delete.')) {
    const session = event.data as { id?: unknown; expires_at?: unknown };
    if (typeof session.id !== 'string' || session.id === '') return undefined;
    const expiresAt = typeof session.expires_at === 'string' ? Date.parse(session.expires_at) : NaN;
    // The token's `exp` is whole seconds of about expires_at: one more second covers the rounding.
    // Without a readable expires_at, the longest a session token can live.
    return { kind: 'session', id: session.id, until: Number.isFinite(expiresAt) ? expiresAt + 1000 + tolerance : fallback };
  }
  if (event.event === 'user.delete') {
    const user = event.data as { id?: unknown };
    if (typeof user.id !== 'string' || user.id === '') return undefined;
    const deletedAt = event.issuedAt.getTime();
    // Session tokens and the webhook are stamped by the same clock, Hanko's: iat compares exactly.
    // Tokens issued up to the deletion expire at most one lifespan after it.
    return {
      kind: 'user',
      id: user.id,
      before: Math.floor(deletedAt / 1000),
      until: deletedAt + timing.sessionLifespan * 1000 + tolerance,
    };
  }
  return undefined;
}

/**
 * A mark as far as this instance will honour it, whoever made it: Redis is shared, not trusted to
 * stretch anything. No mark outlasts the longest a session token issued now could live, and a user
 * mark never reaches tokens issued after now (a forged one would lock that user out for good).
 */
export function boundedMark(mark: HankoRevocationMark, timing: RevocationTiming, now = Date.now()): HankoRevocationMark {
  const until = Math.min(mark.until, now + timing.sessionLifespan * 1000 + 1000 + timing.clockTolerance * 1000);
  return mark.kind === 'session'
    ? { ...mark, until }
    : { ...mark, until, before: Math.min(mark.before, Math.floor(now / 1000) + timing.clockTolerance) };
}
