import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { HankoUser } from '../session/hanko-user.js';

/**
 * A session Hanko ended, or a user Hanko deleted, as one record. `until` (ms) is when the last token
 * it can refuse expires: afterwards the mark refuses nothing and is dropped.
 */
export type HankoRevocationMark =
  | { readonly kind: 'session'; readonly id: string; readonly until: number }
  /** Every session of user `id` issued at or before `before` (seconds, like `iat`). */
  | { readonly kind: 'user'; readonly id: string; readonly before: number; readonly until: number };

/** Expired marks are dropped this often (ms); a stale mark only costs memory, it refuses only expired tokens. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Revocation marks of this process: what the authenticator asks on every request, synchronously,
 * including token-cache hits. Two maps, looked up only when non-empty, so with nothing revoked a
 * request pays two size checks.
 */
@Injectable()
export class HankoRevocationMarks implements OnModuleDestroy {
  private readonly sessions = new Map<string, number>();
  private readonly users = new Map<string, { before: number; until: number }>();
  private sweeper: NodeJS.Timeout | undefined;

  /** True when this user's session must be refused. */
  isRevoked(user: HankoUser): boolean {
    if (this.sessions.size !== 0 && this.sessions.has(user.sessionId)) return true;
    if (this.users.size === 0) return false;
    const mark = this.users.get(user.id);
    return mark !== undefined && user.claims.iat <= mark.before;
  }

  /** Records a mark; false when it changes nothing (a replay, an expired mark), so callers need not share it again. */
  add(mark: HankoRevocationMark, now = Date.now()): boolean {
    if (!(mark.until > now)) return false;
    if (mark.kind === 'session') {
      const known = this.sessions.get(mark.id);
      if (known !== undefined && known >= mark.until) return false;
      this.sessions.set(mark.id, mark.until);
    } else {
      const known = this.users.get(mark.id);
      if (known !== undefined && known.before >= mark.before && known.until >= mark.until) return false;
      // Two deletions of one user id (a replay, or two instances' views): keep the wider of both.
      this.users.set(mark.id, {
        before: Math.max(mark.before, known?.before ?? -Infinity),
        until: Math.max(mark.until, known?.until ?? -Infinity),
      });
    }
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    return true;
  }

  /** The marks still in force, e.g. to hand to the fleet after a Redis outage. */
  live(now = Date.now()): HankoRevocationMark[] {
    const marks: HankoRevocationMark[] = [];
    for (const [id, until] of this.sessions) if (until > now) marks.push({ kind: 'session', id, until });
    for (const [id, { before, until }] of this.users) if (until > now) marks.push({ kind: 'user', id, before, until });
    return marks;
  }

  get size(): number {
    return this.sessions.size + this.users.size;
  }

  sweep(now = Date.now()): void {
    for (const [id, until] of this.sessions) if (!(until > now)) this.sessions.delete(id);
    for (const [id, mark] of this.users) if (!(mark.until > now)) this.users.delete(id);
    if (this.size === 0 && this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  onModuleDestroy(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
