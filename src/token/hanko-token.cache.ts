import type { HankoUser } from '../session/hanko-user.js';

/** A verified token: the user, the key that verified it, and when it expires (from `exp`, not a Date anyone can mutate). */
export interface VerifiedToken {
  readonly user: HankoUser;
  readonly kid: string;
  readonly expiresAtMs: number;
}

/**
 * Verified tokens, so a client that repeats its token (every browser does) costs a map lookup
 * instead of an RSA verification. Safe because an entry is the result of a full verification of
 * the exact same bytes; it never outlives the token's `exp` (re-checked on every hit, without
 * clock tolerance) nor the key it was verified with (the caller checks the kid is still in the
 * usable key set on every hit, and the cache is cleared on any key change). Failures are never
 * cached, so an attacker cannot fill it with garbage.
 */
export class HankoTokenCache {
  private readonly entries = new Map<string, VerifiedToken>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (entry.expiresAtMs <= nowMs) return undefined;
    // Re-insert: Map keeps insertion order, so the oldest key is the least recently used.
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: VerifiedToken): void {
    this.entries.delete(token);
    this.entries.set(token, entry);
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
