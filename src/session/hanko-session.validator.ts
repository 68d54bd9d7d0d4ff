import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HankoHttpError, requestHankoJson } from '../http/hanko-http.request.js';
import type { HankoUser } from './hanko-user.js';

/** @nestjs/cache-manager's injection token, by value, so that package stays optional. */
const CACHE_MANAGER = 'CACHE_MANAGER';
const KEY_PREFIX = 'nestjs-hanko-auth:session:';
/** What we use of cache-manager's Cache (v6/v7); any store with this shape works. */
interface SharedStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<unknown>;
}

/**
 * Asks Hanko whether a session is still alive: a JWT keeps verifying after logout, "sign out other
 * devices", admin deletion, the session limit or an idle timeout. Answers are kept per session_id
 * for `revocation.cacheTtl` (in memory, or in the app's cache-manager store for a fleet), and
 * concurrent requests for one session share one call.
 *
 * GET, not POST: GET /sessions/validate only reads. POST counts as user activity and would extend
 * idle timeouts whenever our cache happened to expire, i.e. at times unrelated to what the user does;
 * activity is the frontend SDK's to report.
 */
@Injectable()
export class HankoSessionValidator implements OnModuleInit, OnModuleDestroy {
  protected readonly logger = new Logger('HankoAuth');
  private readonly local = new Map<string, { live: boolean; until: number }>();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly abort = new AbortController();
  private store: SharedStore | undefined;
  private failing = false;

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  get enabled(): boolean {
    return this.config.revocation !== false;
  }

  onModuleInit(): void {
    if (this.config.revocation === false || !this.config.revocation.sharedCache) return;
    let store: Partial<SharedStore> | undefined;
    try {
      store = this.moduleRef.get<Partial<SharedStore>>(CACHE_MANAGER, { strict: false });
    } catch {
      store = undefined;
    }
    if (typeof store?.get !== 'function' || typeof store.set !== 'function') {
      throw new HankoConfigurationError(
        'revocation.sharedCache',
        'needs CacheModule from @nestjs/cache-manager in the application (e.g. CacheModule.register({ isGlobal: true, stores: [...] }))',
      );
    }
    this.store = store as SharedStore;
  }

  onModuleDestroy(): void {
    this.abort.abort();
  }

  /** Throws HankoTokenRefusal('session revoked') or HankoUpstreamUnavailable (fail closed). */
  async assertLive(user: HankoUser, token: string): Promise<void> {
    if (!(await this.isLive(user, token))) throw new HankoTokenRefusal('session revoked');
  }

  private isLive(user: HankoUser, token: string): Promise<boolean> {
    const known = this.local.get(user.sessionId);
    if (known !== undefined && known.until > Date.now()) return Promise.resolve(known.live);
    let pending = this.inflight.get(user.sessionId);
    if (pending === undefined) {
      pending = this.lookup(user, token).finally(() => this.inflight.delete(user.sessionId));
      this.inflight.set(user.sessionId, pending);
    }
    return pending;
  }

  private async lookup(user: HankoUser, token: string): Promise<boolean> {
    const key = KEY_PREFIX + user.sessionId;
    // A store outage is not a reason to refuse anyone: fall back to asking Hanko.
    const shared = this.store ? await this.store.get(key).catch(() => undefined) : undefined;
    if (shared === 'live' || shared === 'revoked') {
      this.remember(user.sessionId, shared === 'live');
      return shared === 'live';
    }
    const live = await this.askHanko(user, token);
    this.remember(user.sessionId, live);
    await this.store?.set(key, live ? 'live' : 'revoked', this.ttlSeconds() * 1000).catch(() => {
      this.logger.warn('Could not write a session answer to the shared cache store');
    });
    return live;
  }

  private async askHanko(user: HankoUser, token: string): Promise<boolean> {
    const revocation = this.config.revocation as Exclude<HankoAuthConfig['revocation'], false>;
    let answer: unknown;
    try {
      const response = await requestHankoJson(`${this.config.apiUrl}/sessions/validate`, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
        timeoutMs: revocation.timeout * 1000,
        maxBytes: 64 * 1024,
        ca: this.config.keys.ca,
        agent: this.config.keys.agent,
        signal: this.abort.signal,
      });
      answer = response.json;
    } catch (error) {
      throw this.unavailable(error instanceof HankoHttpError ? error.detail : 'request failed');
    }
    const body = answer as { is_valid?: unknown; claims?: { session_id?: unknown; subject?: unknown } } | null;
    if (typeof body?.is_valid !== 'boolean') throw this.unavailable('answer without is_valid');
    if (this.failing) this.logger.log('Hanko session validation works again');
    this.failing = false;
    if (!body.is_valid) return false;
    // Alive, but for another session or user? Never trust that answer for this one.
    const claims = body.claims;
    if (claims?.session_id !== undefined && claims.session_id !== user.sessionId) return false;
    if (claims?.subject !== undefined && claims.subject !== user.id) return false;
    return true;
  }

  private unavailable(detail: string): HankoUpstreamUnavailable {
    if (!this.failing) this.logger.warn(`Asking Hanko whether a session is alive failed: sessions/validate ${detail}`);
    this.failing = true;
    return new HankoUpstreamUnavailable(`sessions/validate ${detail}`, 5);
  }

  private remember(sessionId: string, live: boolean): void {
    const revocation = this.config.revocation as Exclude<HankoAuthConfig['revocation'], false>;
    this.local.delete(sessionId);
    this.local.set(sessionId, { live, until: Date.now() + this.ttlSeconds() * 1000 });
    if (this.local.size > revocation.maxEntries) this.local.delete(this.local.keys().next().value as string);
  }

  private ttlSeconds(): number {
    return (this.config.revocation as Exclude<HankoAuthConfig['revocation'], false>).cacheTtl;
  }
}
