import { createPublicKey, type KeyObject } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import jwksRsa from 'jwks-rsa';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
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
  private freshUntil = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastError: string | undefined;
  private lastMaxAge: number | undefined;
  private inflight: Promise<void> | undefined;
  private fetchCount = 0;
  private readonly listeners = new Set<() => void>();

  constructor(protected readonly config: HankoAuthConfig) {
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
   * The key for a kid. Throws HankoTokenRefusal (unknown kid after a refetch, Hanko reachable) or
   * HankoUpstreamUnavailable. `issuedAt` (the token's unverified `iat`, seconds) tells a token minted
   * after our last fetch (plausibly a rotated key we have not seen yet) from a stranger.
   */
  async getKey(kid: string, issuedAt?: number): Promise<KeyObject> {
    if (!KID_PATTERN.test(kid)) throw new HankoTokenRefusal('invalid key id');
    const known = this.currentKey(kid);
    if (known) return known;
    let refetched = false;
    if (this.inflight) {
      await this.inflight;
      refetched = true;
    } else if (this.mayFetch(Date.now())) {
      await this.refresh();
      refetched = true;
    }
    const found = this.usableKey(kid, Date.now());
    if (found) return found;
    if (this.lastError !== undefined || this.fetchedAt === undefined || !this.withinStaleLimit(Date.now())) {
      throw new HankoUpstreamUnavailable(this.lastError ?? 'key set not available', this.retryAfter());
    }
    // The cooldown kept us from refetching and the token is newer than our key set: Hanko may have
    // rotated. Ask the client to retry after the cooldown rather than log the user out with a 401.
    if (!refetched && issuedAt !== undefined && issuedAt * 1000 > this.fetchedAt) {
      throw new HankoUpstreamUnavailable('token newer than the cached key set; refetch in cooldown', this.retryAfter());
    }
    throw new HankoTokenRefusal('unknown signing key');
  }

  /**
   * The key if the cached set holds it and may still be used, without waiting on Hanko: a stale set
   * is refreshed in the background (stale-while-revalidate), so known kids never wait.
   */
  currentKey(kid: string): KeyObject | undefined {
    const now = Date.now();
    const key = this.usableKey(kid, now);
    if (key && now >= this.freshUntil && this.mayFetch(now)) void this.refresh();
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
      usable: this.keys.size > 0 && this.withinStaleLimit(Date.now()),
    };
  }

  /** Fetch now (single-flight). Never rejects: failures are recorded and logged. */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.lastAttemptAt = Date.now();
    this.inflight = this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private usableKey(kid: string, now: number): KeyObject | undefined {
    const key = this.keys.get(kid);
    return key && this.withinStaleLimit(now) ? key : undefined;
  }

  private withinStaleLimit(now: number): boolean {
    return this.fetchedAt !== undefined && now - this.fetchedAt <= (this.maxAge() + this.config.keys.staleIfError) * 1000;
  }

  private mayFetch(now: number): boolean {
    return !this.inflight && now - this.lastAttemptAt >= this.config.keys.refetchCooldown * 1000;
  }

  private retryAfter(): number {
    const elapsed = (Date.now() - this.lastAttemptAt) / 1000;
    return Math.max(1, Math.ceil(this.config.keys.refetchCooldown - elapsed));
  }

  private maxAge(): number {
    const advertised = this.lastMaxAge;
    return advertised !== undefined && advertised < this.config.keys.cacheMaxAge ? advertised : this.config.keys.cacheMaxAge;
  }

  private async fetchDocument(uri: string): Promise<{ keys: unknown[] }> {
    this.fetchCount++;
    const document = await fetchJwks(uri, {
      timeoutMs: this.config.keys.fetchTimeout * 1000,
      maxBytes: this.config.keys.maxResponseBytes,
      ca: this.config.keys.ca,
      agent: this.config.keys.agent,
      signal: this.abort.signal,
    });
    this.lastMaxAge = document.maxAge;
    const keys = document.keys.filter(isUsableJwk);
    if (keys.length === 0) throw new JwksFetchError('key set holds no usable RS256 signing key');
    return { keys };
  }

  private async load(): Promise<void> {
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
      this.freshUntil = this.fetchedAt + this.maxAge() * 1000;
      if (this.lastError !== undefined) this.logger.log(`Hanko key set fetched again after failures (${next.size} keys)`);
      this.lastError = undefined;
      if (changed) for (const listener of this.listeners) listener();
    } catch (error) {
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
