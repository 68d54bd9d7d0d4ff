import { createPublicKey, type KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import jwksRsa from 'jwks-rsa';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HANKO_KEY_REFRESH_FLOOR } from '../hanko-auth.defaults.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HankoHttpAgent } from '../http/hanko-http.agent.js';
import { fetchJwks, JwksFetchError } from './hanko-jwks.fetcher.js';
import { isStrongRsaKey, isUsableJwk, KID_PATTERN } from './hanko-key.policy.js';

/** What the key source reports about itself (health checks, tests). */
export interface HankoKeySetStatus {
  readonly kids: readonly string[];
  /** When the current set was fetched, or undefined before the first success. */
  readonly fetchedAt: Date | undefined;
  /** Why the latest fetch failed, or undefined when it succeeded. */
  readonly lastError: string | undefined;
  readonly fetchCount: number;
  /** Whether a fetch is under way. */
  readonly fetching: boolean;
  /** Whether the cached set can verify tokens now (held, and not older than the stale-if-error limit). */
  readonly usable: boolean;
}

/**
 * Hanko's public keys, held as one whole set of parsed KeyObjects.
 *
 * jwks-rsa stays the provider (it turns JWKs into keys); around it we fix what it gets wrong for
 * Hanko: it caches per kid and refetches per unknown kid, parses PEM again on every verification,
 * has no body cap or overall deadline, and forgets every key when a refresh fails.
 */
@Injectable()
export class HankoKeySource implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger('HankoAuth');
  private readonly client: jwksRsa.JwksClient;
  private readonly abort = new AbortController();
  private keys = new Map<string, KeyObject>();
  private fetchedAt: number | undefined;
  /** When the fetch that produced the current set was sent: keys published after it may be missing. */
  private setRequestedAt: number | undefined;
  /** When the set is due for a scheduled refresh (cacheMaxAge / max-age), or a failed one for a retry. */
  private nextRefreshAt = 0;
  /** When the latest refetch caused by an unknown kid started: only these start the cooldown. */
  private lastKidMissAt = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private lastMaxAge: number | undefined;
  private inflight: Promise<void> | undefined;
  private fetchCount = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    protected readonly config: HankoAuthConfig,
    private readonly http: HankoHttpAgent,
  ) {
    this.client = new jwksRsa.JwksClient({
      jwksUri: config.jwksUrl,
      // We keep the whole set ourselves; jwks-rsa's per-kid cache and limiter would refetch per kid.
      cache: false,
      rateLimit: false,
      fetcher: (uri: string) => this.fetchDocument(uri),
    });
  }

  onApplicationBootstrap(): void {
    // Not awaited: boot must not wait on Hanko. Requests that arrive meanwhile share this fetch.
    if (this.config.keys.prefetch) void this.refresh();
  }

  onModuleDestroy(): void {
    this.abort.abort();
  }

  /**
   * The key for a kid. Throws HankoTokenRefusal (unknown kid, Hanko reachable) or
   * HankoUpstreamUnavailable. A kid we don't know is looked up in a key set fetched after the token
   * arrived, unless a kid-miss refetch ran within the cooldown; then `issuedAt` (the token's
   * unverified `iat`, seconds) tells a token that may come from a rotation we have not seen yet
   * (503, retry later: a 401 would log a legitimate user out) from a stranger (401).
   */
  async getKey(kid: string, issuedAt?: number): Promise<KeyObject> {
    if (!KID_PATTERN.test(kid)) throw new HankoTokenRefusal('invalid key id');
    const known = this.currentKey(kid);
    if (known) return known;
    const arrivedAt = Date.now();
    if (this.inflight) await this.inflight;
    if (this.usableKey(kid, Date.now()) === undefined && !this.fetchedSince(arrivedAt)) {
      // No set requested after this token arrived has answered for its kid yet: ask, within budget.
      if (this.inflight) await this.inflight;
      else await this.refetchForUnknownKid(Date.now());
    }
    const found = this.usableKey(kid, Date.now());
    if (found) return found;
    if (this.lastError !== undefined || this.fetchedAt === undefined || !this.withinStaleLimit(Date.now())) {
      throw new HankoUpstreamUnavailable(this.lastError ?? 'key set not available', this.retryAfter());
    }
    if (!this.fetchedSince(arrivedAt) && this.mayBeRotation(issuedAt)) {
      throw new HankoUpstreamUnavailable('token newer than the cached key set; refetch in cooldown', this.retryAfter());
    }
    throw new HankoTokenRefusal('unknown signing key');
  }

  /**
   * The key if the cached set holds it and may still be used, without waiting on Hanko: a set past
   * its refresh time is refreshed in the background (stale-while-revalidate), so known kids never wait.
   * `now` lets a caller that has just read the clock (the token cache's exp check) pass it on.
   */
  currentKey(kid: string, now = Date.now()): KeyObject | undefined {
    const key = this.usableKey(kid, now);
    if (key && now >= this.nextRefreshAt && !this.inflight) void this.refresh();
    return key;
  }

  /** Called whenever the key set changes (rotation, removal), e.g. to drop cached verifications. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): HankoKeySetStatus {
    return {
      kids: [...this.keys.keys()],
      fetchedAt: this.fetchedAt === undefined ? undefined : new Date(this.fetchedAt),
      lastError: this.lastError,
      fetchCount: this.fetchCount,
      fetching: this.inflight !== undefined,
      usable: this.keys.size > 0 && this.withinStaleLimit(Date.now()),
    };
  }

  /** Fetch now (single-flight), as a scheduled refresh: it does not start the kid-miss cooldown. Never rejects. */
  refresh(): Promise<void> {
    return this.fetch(false);
  }

  private fetch(kidMiss: boolean): Promise<void> {
    if (this.inflight) return this.inflight;
    const requestedAt = Date.now();
    if (kidMiss) this.lastKidMissAt = requestedAt;
    this.inflight = this.load(requestedAt).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * A refresh that is due anyway counts as scheduled; otherwise one refetch per cooldown, however
   * many unknown kids arrive (random-kid floods cost at most that).
   */
  private refetchForUnknownKid(now: number): Promise<void> | undefined {
    if (now >= this.nextRefreshAt) return this.fetch(false);
    if (now - this.lastKidMissAt >= this.config.keys.refetchCooldown * 1000) return this.fetch(true);
    return undefined;
  }

  /** Whether the current set was requested from Hanko at or after `time`. */
  private fetchedSince(time: number): boolean {
    return this.setRequestedAt !== undefined && this.setRequestedAt >= time;
  }

  /**
   * Could the token come from a key Hanko published after our last fetch? Its `iat` is unsigned, so
   * it is only a hint, and one rule decides: not older than our last fetch minus the clock tolerance
   * (compared in whole seconds, as `iat` is: a token of the same second counts), and not in the
   * future beyond the tolerance (such a token is refused anyway; it must not fake a Hanko outage).
   */
  private mayBeRotation(issuedAt: number | undefined): boolean {
    if (issuedAt === undefined || this.setRequestedAt === undefined) return false;
    const tolerance = this.config.clockTolerance;
    if (issuedAt > Date.now() / 1000 + tolerance) return false;
    return issuedAt + tolerance >= Math.floor(this.setRequestedAt / 1000);
  }

  private usableKey(kid: string, now: number): KeyObject | undefined {
    const key = this.keys.get(kid);
    return key && this.withinStaleLimit(now) ? key : undefined;
  }

  private withinStaleLimit(now: number): boolean {
    return this.fetchedAt !== undefined && now - this.fetchedAt <= (this.maxAge() + this.config.keys.staleIfError) * 1000;
  }

  /** Seconds until the next fetch can happen (a kid-miss refetch or a scheduled one), at least 1. */
  private retryAfter(): number {
    const next = Math.min(this.lastKidMissAt + this.config.keys.refetchCooldown * 1000, this.nextRefreshAt);
    return Math.max(1, Math.ceil((next - Date.now()) / 1000));
  }

  /** The refresh period: cacheMaxAge, or Hanko's shorter max-age, never below the floor. */
  private maxAge(): number {
    const advertised = this.lastMaxAge;
    const period = advertised !== undefined && advertised < this.config.keys.cacheMaxAge ? advertised : this.config.keys.cacheMaxAge;
    return Math.max(HANKO_KEY_REFRESH_FLOOR, period);
  }

  /** After a failed fetch: retry per refresh period, but during a long outage no more than once per cooldown. */
  private retryPeriod(): number {
    return Math.max(HANKO_KEY_REFRESH_FLOOR, Math.min(this.maxAge(), this.config.keys.refetchCooldown));
  }

  private async fetchDocument(uri: string): Promise<{ keys: unknown[] }> {
    this.fetchCount++;
    const document = await fetchJwks(uri, {
      timeoutMs: this.config.keys.fetchTimeout * 1000,
      maxBytes: this.config.keys.maxResponseBytes,
      ca: this.config.keys.ca,
      agent: this.http.agent,
      signal: this.abort.signal,
      latency: this.http.latency,
    });
    this.lastMaxAge = document.maxAge;
    const keys = document.keys.filter(isUsableJwk);
    if (keys.length === 0) throw new JwksFetchError('key set holds no usable RS256 signing key');
    return { keys };
  }

  private async load(requestedAt: number): Promise<void> {
    try {
      const signingKeys = await this.client.getSigningKeys();
      const next = new Map<string, KeyObject>();
      for (const signingKey of signingKeys) {
        if (!signingKey.kid) continue;
        // Parse once per fetch: verification then uses the KeyObject, never a PEM string.
        const key = createPublicKey(signingKey.getPublicKey());
        if (isStrongRsaKey(key)) next.set(signingKey.kid, key);
      }
      if (next.size === 0) throw new JwksFetchError('key set holds no usable RS256 signing key of 2048 bits or more');
      const changed = !sameKeys(this.keys, next);
      this.keys = next;
      this.fetchedAt = Date.now();
      this.setRequestedAt = requestedAt;
      this.nextRefreshAt = this.fetchedAt + this.maxAge() * 1000;
      if (this.lastError !== undefined) this.logger.log(`Hanko key set fetched again after failures (${next.size} keys)`);
      this.lastError = undefined;
      if (changed) for (const listener of this.listeners) listener();
    } catch (error) {
      this.nextRefreshAt = Date.now() + this.retryPeriod() * 1000;
      const detail = error instanceof JwksFetchError ? error.detail : 'key set could not be used';
      // One warning per failure period, not one per request or per retry.
      if (this.lastError === undefined) {
        const serving = this.keys.size > 0 ? `; serving the last good key set (${this.keys.size} keys)` : '';
        this.logger.warn(`Fetching Hanko keys from ${this.config.jwksUrl} failed: ${detail}${serving}`);
      } else {
        this.logger.debug(`Fetching Hanko keys failed again: ${detail}`);
      }
      this.lastError = detail;
    }
  }
}

function sameKeys(a: Map<string, KeyObject>, b: Map<string, KeyObject>): boolean {
  if (a.size !== b.size) return false;
  for (const [kid, key] of a) {
    const other = b.get(kid);
    if (!other || !other.equals(key)) return false;
  }
  return true;
}
