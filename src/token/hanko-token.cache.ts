import type { HankoUser } from '../session/hanko-user.js';

/** A verified token: the user, the key that verified it, and when it expires (from `exp`, not a Date anyone can mutate). */
export interface VerifiedToken {
  readonly user: HankoUser;
  readonly kid: string;
  readonly expiresAtMs: number;
}

/**
 * The verified token itself plus its place in the eviction order: one object per entry, so a hit
 * reads one object (not an entry pointing to another), and the cache holds one object fewer per token.
 */
interface Entry extends VerifiedToken {
  /** Insertion number when last (re)inserted: how far back in the eviction order the entry sits. */
  position: number;
}

/**
 * Verified tokens, so a client that repeats its token (every browser does) costs a map lookup
 * instead of an RSA verification. Safe because an entry is the result of a full verification of
 * the exact same bytes; it never outlives the token's `exp` (re-checked on every hit, without
 * clock tolerance) nor the key it was verified with (the caller checks the kid is still in the
 * usable key set on every hit, and the cache is cleared on any key change). Failures are never
 * cached, so an attacker cannot fill it with garbage.
 *
 * Least recently used goes first, approximately: a hit moves its entry to the back only once it has
 * drifted into the older half, so a hot token costs one map lookup per request instead of three.
 * An entry hit at least once per `maxEntries / 2` cache writes (new tokens, and moves of other
 * entries) is never evicted; beyond that the order is close to, not exactly, least recently used.
 */
export class HankoTokenCache {
  private readonly entries = new Map<string, Entry>();
  private insertions = 0;
  private readonly refreshAfter: number;

  constructor(private readonly maxEntries: number) {
    this.refreshAfter = Math.max(1, Math.floor(maxEntries / 2));
  }

  get(token: string, nowMs: number): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    // Written so that a NaN expiry counts as expired.
    if (!(entry.expiresAtMs > nowMs)) {
      this.entries.delete(token);
      return undefined;
    }
    if (this.insertions - entry.position >= this.refreshAfter) {
      // Map keeps insertion order, so re-inserting moves the entry to the back of the eviction order.
      this.entries.delete(token);
      entry.position = ++this.insertions;
      this.entries.set(token, entry);
    }
    return entry;
  }

  set(token: string, verified: VerifiedToken): void {
    this.entries.delete(token);
    const { user, kid, expiresAtMs } = verified;
    this.entries.set(token, { user, kid, expiresAtMs, position: ++this.insertions });
    if (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
