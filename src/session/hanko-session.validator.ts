import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HankoCircuitBreaker } from '../http/hanko-circuit.breaker.js';
import { HankoHttpAgent } from '../http/hanko-http.agent.js';
import { askHankoIsLive } from './hanko-session.client.js';
import { HankoSessionStore, type SessionAnswer, type SharedStore } from './hanko-session.store.js';
import type { HankoUser } from './hanko-user.js';

/** @nestjs/cache-manager's injection token, by value, so that package stays optional. */
const CACHE_MANAGER = 'CACHE_MANAGER';
/** Retry-After (s) for a request that stopped waiting: Hanko is slow, not known to be down. */
const WAIT_RETRY_AFTER = 1;
type RevocationOptions = Exclude<HankoAuthConfig['revocation'], false>;

/**
 * Asks Hanko whether a session is still alive: a JWT keeps verifying after logout, "sign out other
 * devices", admin deletion, the session limit or an idle timeout. Answers are kept per session_id
 * for `revocation.cacheTtl` (in memory, and in the app's cache-manager store for a fleet);
 * concurrent requests for one session share one call; a circuit breaker keeps a Hanko outage from
 * piling up (one probe per `probeInterval`, the rest 503 at once, `maxConcurrentCalls` in flight).
 */
@Injectable()
export class HankoSessionValidator implements OnModuleInit, OnModuleDestroy {
  protected readonly logger = new Logger('HankoAuth');
  private readonly local = new Map<string, SessionAnswer>();
  private readonly inflight = new Map<string, { readonly answer: Promise<boolean>; readonly startedAt: number }>();
  private readonly abort = new AbortController();
  private readonly breaker: HankoCircuitBreaker;
  private readonly options: RevocationOptions;
  private store: HankoSessionStore | undefined;

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly moduleRef: ModuleRef,
    private readonly http: HankoHttpAgent,
  ) {
    this.options =
      config.revocation === false
        ? {
            cacheTtl: 0,
            timeout: 5,
            sharedCache: false,
            sharedSecret: undefined,
            maxEntries: 1,
            probeInterval: 5,
            maxConcurrentCalls: 1,
            failureThreshold: 1,
          }
        : config.revocation;
    this.breaker = new HankoCircuitBreaker(
      {
        name: 'sessions/validate',
        probeInterval: this.options.probeInterval,
        maxConcurrent: this.options.maxConcurrentCalls,
        failureThreshold: this.options.failureThreshold,
        timeoutMs: this.options.timeout * 1000,
        latency: http.latency,
      },
      this.logger,
    );
  }

  get enabled(): boolean {
    return this.config.revocation !== false;
  }

  onModuleInit(): void {
    if (!this.options.sharedCache) return;
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
    // The config made sharedSecret required with sharedCache.
    const secret = this.options.sharedSecret!;
    this.store = new HankoSessionStore(store as SharedStore, secret, this.config.storeNamespace, this.options.cacheTtl * 1000, this.logger);
  }

  onModuleDestroy(): void {
    this.abort.abort();
  }

  /**
   * Undefined when the session is known to be alive: an answer cached in this process costs no
   * promise, like a token-cache hit. Throws HankoTokenRefusal('session revoked') for a session known
   * to be revoked, and HankoUpstreamUnavailable when Hanko is known to be failing (fail closed, at once).
   * Otherwise a promise that settles the same way once Hanko (or the shared store) has answered.
   */
  check(user: HankoUser, token: string): Promise<void> | undefined {
    const known = this.local.get(user.sessionId);
    if (known !== undefined && known.until > Date.now()) {
      if (known.live) return undefined;
      throw new HankoTokenRefusal('session revoked');
    }
    const running = this.inflight.get(user.sessionId);
    if (running !== undefined) return this.join(running);
    // Without a shared store the breaker decides now: a refused call throws before any promise exists.
    const answer = (this.store ? this.lookupShared(user, token) : this.askHanko(user, token)).finally(() =>
      this.inflight.delete(user.sessionId),
    );
    this.inflight.set(user.sessionId, { answer, startedAt: Date.now() });
    return answer.then(liveOrRevoked);
  }

  /**
   * Concurrent requests of one session share its check. A sharer waits until the call answers, the
   * endpoint stalls (no call answered within a few times Hanko's usual latency) or at most
   * max(that budget, 1 s): only the request that made the call waits for revocation.timeout, the
   * rest get 503 instead of piling up behind a hanging Hanko.
   */
  private join(running: { answer: Promise<boolean>; startedAt: number }): Promise<void> {
    const left = running.startedAt + this.breaker.longestWaitMs() - Date.now();
    if (left <= 0 || this.breaker.isStalled()) throw new HankoUpstreamUnavailable('sessions/validate slow to answer', WAIT_RETRY_AFTER);
    let timer: NodeJS.Timeout | undefined;
    let leave: (() => void) | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HankoUpstreamUnavailable('sessions/validate slow to answer', WAIT_RETRY_AFTER)), left);
      leave = this.breaker.onStall(() => reject(new HankoUpstreamUnavailable('sessions/validate not answering', WAIT_RETRY_AFTER)));
    });
    return Promise.race([running.answer, giveUp])
      .finally(() => {
        clearTimeout(timer);
        leave?.();
      })
      .then(liveOrRevoked);
  }

  private async lookupShared(user: HankoUser, token: string): Promise<boolean> {
    // Honour the absolute expiry written by whoever asked Hanko: revocation shows within cacheTtl
    // across the fleet, not cacheTtl per hop.
    const shared = await this.store!.read(user.sessionId);
    if (shared !== undefined) {
      this.remember(user.sessionId, shared);
      return shared.live;
    }
    return this.askHanko(user, token);
  }

  private askHanko(user: HankoUser, token: string): Promise<boolean> {
    return this.breaker
      .run(() =>
        askHankoIsLive(this.config.apiUrl, user, token, {
          timeoutMs: this.options.timeout * 1000,
          maxBytes: 64 * 1024,
          ca: this.config.keys.ca,
          agent: this.http.agent,
          signal: this.abort.signal,
          latency: this.http.latency,
        }),
      )
      .then(async (live) => {
        const answer: SessionAnswer = { live, until: Date.now() + this.options.cacheTtl * 1000 };
        this.remember(user.sessionId, answer);
        if (this.store && this.options.cacheTtl > 0) await this.store.write(user.sessionId, answer);
        return live;
      });
  }

  private remember(sessionId: string, answer: SessionAnswer): void {
    this.local.delete(sessionId);
    this.local.set(sessionId, answer);
    if (this.local.size > this.options.maxEntries) this.local.delete(this.local.keys().next().value as string);
  }
}

function liveOrRevoked(live: boolean): void {
  if (!live) throw new HankoTokenRefusal('session revoked');
}
