import type { HankoUser } from '../session/hanko-user.js';

/**
 * Verified tokens, so a client that repeats its token (every browser does) costs a map lookup
 * instead of an RSA verification. Safe because an entry is the result of a full verification of
 * the exact same bytes; it never outlives the token's `exp` (re-checked on every hit, without
 * clock tolerance) nor the key set it was verified with (cleared on any key change). Failures are
 * never cached, so an attacker cannot fill it with garbage.
 */
export class HankoTokenCache {
  private readonly entries = new Map<string, HankoUser>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowMs: number): HankoUser | undefined {
    const user = this.entries.get(token);
    if (user === undefined) return undefined;
    this.entries.delete(token);
    if (user.expiresAt.getTime() <= nowMs) return undefined;
    // Re-insert: Map keeps insertion order, so the oldest key is the least recently used.
    this.entries.set(token, user);
    return user;
  }

  set(token: string, user: HankoUser): void {
    this.entries.delete(token);
    this.entries.set(token, user);
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
