import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@nestjs/common';

/** Upper bound on waiting for the shared store: a store outage must degrade to asking Hanko, not hang. */
const STORE_DEADLINE_MS = 500;
/** How far ahead of our own cacheTtl another instance's `until` may reach (clocks of a fleet drift a little). */
const CLOCK_SKEW_MS = 1_000;

/** One answer about a session: alive or not, and until when it may be used (absolute ms). */
export interface SessionAnswer {
  readonly live: boolean;
  readonly until: number;
}

/** What we use of cache-manager's Cache (v6/v7); any store with this shape works. */
export interface SharedStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<unknown>;
}

/** What the store holds per session: the answer and its HMAC (base64url). Never a token. */
interface StoredAnswer {
  live: boolean;
  until: number;
  mac: string;
}

/**
 * Session answers shared by a fleet through the app's cache store (e.g. Redis). The store is not
 * trusted: whoever can write it could otherwise keep a revoked session alive (`live: true`) or log
 * anyone out (`live: false`). Each entry carries an HMAC-SHA256, keyed with
 * `revocation.sharedSecret`, over the key prefix, the session id, the verdict and the expiry, so an
 * entry that was forged, edited, moved to another session or replayed with a later expiry fails
 * verification; it is then ignored (Hanko is asked) and logged once. An entry may also not reach
 * further than our own cacheTtl, so no fleet member can stretch how long a revocation takes to show.
 */
export class HankoSessionStore {
  /** Namespaced by Hanko instance, so apps of different Hanko projects can share one Redis. */
  private readonly keyPrefix: string;
  private warnedForgery = false;

  constructor(
    private readonly store: SharedStore,
    private readonly secret: string | Buffer,
    /** HankoAuthConfig.storeNamespace: which Hanko instance the answers are about. */
    namespace: string,
    private readonly cacheTtlMs: number,
    private readonly logger: Logger,
  ) {
    this.keyPrefix = `nestjs-hanko-auth:session:${namespace}:`;
  }

  /** A verified, current answer; undefined for a miss, a store outage or a slow store (then Hanko is asked), never a refusal or a hang. */
  async read(sessionId: string): Promise<SessionAnswer | undefined> {
    let value: unknown;
    try {
      value = await withDeadline(this.store.get(this.keyPrefix + sessionId));
    } catch {
      this.logger.debug('Shared cache store did not answer; asking Hanko directly');
      return undefined;
    }
    if (value === undefined || value === null) return undefined;
    const entry = value as Partial<StoredAnswer>;
    if (typeof entry.live !== 'boolean' || typeof entry.until !== 'number' || typeof entry.mac !== 'string') {
      return this.forged();
    }
    const expected = Buffer.from(this.mac(sessionId, entry.live, entry.until), 'base64url');
    const given = Buffer.from(entry.mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return this.forged();
    const now = Date.now();
    // An answer meant to last longer than our own cacheTtl (another instance's settings, a skewed
    // clock) is no answer: ask Hanko, so revocation still shows within cacheTtl.
    if (entry.until <= now || entry.until > now + this.cacheTtlMs + CLOCK_SKEW_MS) return undefined;
    return { live: entry.live, until: entry.until };
  }

  async write(sessionId: string, answer: SessionAnswer): Promise<void> {
    const entry: StoredAnswer = { live: answer.live, until: answer.until, mac: this.mac(sessionId, answer.live, answer.until) };
    try {
      await withDeadline(this.store.set(this.keyPrefix + sessionId, entry, Math.max(1, answer.until - Date.now())));
    } catch {
      this.logger.debug('Could not write a session answer to the shared cache store');
    }
  }

  /** The prefix binds an entry to this Hanko instance, the session id to its key: no entry can be moved. */
  private mac(sessionId: string, live: boolean, until: number): string {
    return createHmac('sha256', this.secret)
      .update(`${this.keyPrefix}${sessionId}\n${live ? 'live' : 'revoked'}\n${until}`)
      .digest('base64url');
  }

  private forged(): undefined {
    if (!this.warnedForgery) {
      this.warnedForgery = true;
      this.logger.warn(
        'Ignored a shared revocation answer without a valid signature (a tampered store, an older version, or a fleet member ' +
          'with another revocation.sharedSecret); asking Hanko instead. Logged once.',
      );
    }
    return undefined;
  }
}

function withDeadline<T>(value: Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store deadline')), STORE_DEADLINE_MS);
  });
  return Promise.race([Promise.resolve(value), deadline]).finally(() => clearTimeout(timer));
}
