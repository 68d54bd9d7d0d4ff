import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';
import { FALLBACK_RETRY_AFTER, HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HankoHttpError, requestHankoJson } from '../http/hanko-http.request.js';
import type { HankoUser } from './hanko-user.js';

/** @nestjs/cache-manager's injection token, by value, so that package stays optional. */
const CACHE_MANAGER = 'CACHE_MANAGER';
/** Upper bound on waiting for the shared store: a store outage must degrade to asking Hanko, not hang. */
const STORE_DEADLINE_MS = 500;
/** How far ahead of our own cacheTtl another instance's `until` may reach (clocks of a fleet drift a little). */
const CLOCK_SKEW_MS = 1_000;
/** What the shared store holds per session: the answer and until when it may be used (absolute ms). */
interface SharedAnswer {
  live: boolean;
  until: number;
}
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
  private readonly options: Exclude<HankoAuthConfig['revocation'], false>;
  /** Namespaced by Hanko instance, so apps of different Hanko projects can share one Redis. */
  private readonly keyPrefix: string;

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly moduleRef: ModuleRef,
  ) {
    this.options = config.revocation === false ? { cacheTtl: 0, timeout: 5, sharedCache: false, maxEntries: 1 } : config.revocation;
    this.keyPrefix = `nestjs-hanko-auth:session:${createHash('sha256').update(config.apiUrl).digest('hex').slice(0, 12)}:`;
  }

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
    const key = this.keyPrefix + user.sessionId;
    const shared = await this.readShared(key);
    // Honour the absolute expiry written by whoever asked Hanko: revocation shows within cacheTtl
    // across the fleet, not cacheTtl per hop.
    const now = Date.now();
    // An answer meant to last longer than our own cacheTtl (another instance's settings, a skewed
    // clock, a tampered store) is no answer: ask Hanko, so revocation still shows within cacheTtl.
    if (shared !== undefined && shared.until > now && shared.until <= now + this.options.cacheTtl * 1000 + CLOCK_SKEW_MS) {
      this.remember(user.sessionId, shared);
      return shared.live;
    }
    const answer: SharedAnswer = { live: await this.askHanko(user, token), until: Date.now() + this.options.cacheTtl * 1000 };
    this.remember(user.sessionId, answer);
    if (this.store && this.options.cacheTtl > 0) await this.writeShared(key, answer);
    return answer.live;
  }

  /** A store outage or a slow store is a miss (then Hanko is asked), never a refusal or a hang. */
  private async readShared(key: string): Promise<SharedAnswer | undefined> {
    if (!this.store) return undefined;
    try {
      const value = await withDeadline(this.store.get(key));
      const answer = value as Partial<SharedAnswer> | null | undefined;
      return typeof answer?.live === 'boolean' && typeof answer.until === 'number' ? (answer as SharedAnswer) : undefined;
    } catch {
      this.logger.debug('Shared cache store did not answer; asking Hanko directly');
      return undefined;
    }
  }

  private async writeShared(key: string, answer: SharedAnswer): Promise<void> {
    try {
      await withDeadline(this.store!.set(key, answer, Math.max(1, answer.until - Date.now())));
    } catch {
      this.logger.debug('Could not write a session answer to the shared cache store');
    }
  }

  private async askHanko(user: HankoUser, token: string): Promise<boolean> {
    let answer: unknown;
    try {
      const response = await requestHankoJson(`${this.config.apiUrl}/sessions/validate`, {
        headers: { authorization: `Bearer ${token}` },
        timeoutMs: this.options.timeout * 1000,
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
    return new HankoUpstreamUnavailable(`sessions/validate ${detail}`, FALLBACK_RETRY_AFTER);
  }

  private remember(sessionId: string, answer: SharedAnswer): void {
    this.local.delete(sessionId);
    this.local.set(sessionId, { live: answer.live, until: answer.until });
    if (this.local.size > this.options.maxEntries) this.local.delete(this.local.keys().next().value as string);
  }
}

function withDeadline<T>(value: Promise<T> | T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('store deadline')), STORE_DEADLINE_MS);
  });
  return Promise.race([Promise.resolve(value), deadline]).finally(() => clearTimeout(timer));
}
