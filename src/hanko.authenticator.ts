import { Inject, Injectable, Logger } from '@nestjs/common';
import { HankoAuthConfig } from './hanko-auth.config.js';
import {
  FALLBACK_RETRY_AFTER,
  HankoTokenRefusal,
  HankoUpstreamUnavailable,
  type HankoRefusalReason,
} from './errors/hanko-refusal.reason.js';
import type { HankoRequest } from './context/hanko-request.context.js';
import { HANKO_OUTCOME } from './context/hanko-request.slots.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoStrategyAttempts, type PassportStrategyLike } from './passport/hanko-strategy.attempt.js';
import type { HankoUser } from './session/hanko-user.js';
import { HankoSessionValidator } from './session/hanko-session.validator.js';
import { HankoStrategy } from './hanko.strategy.js';
import { HankoTokenCache } from './token/hanko-token.cache.js';
import { HankoTokenExtractor } from './token/hanko-token.extractor.js';
import { precheckToken, type PrecheckedToken } from './token/hanko-token.precheck.js';
import { HankoRevocationMarks } from './webhooks/hanko-revocation.marks.js';

export type HankoFailure = 'missing' | HankoTokenRefusal | HankoUpstreamUnavailable;
/** A user comes with the kid of the key that verified it: a kept outcome stands only while that key is usable. */
export type HankoOutcome =
  { user: HankoUser; kid: string; keepUntilMs: number; failure?: undefined } | { user?: undefined; failure: HankoFailure };

/**
 * Request in, outcome out: extract, pre-check, cached verification or passport-jwt, session policy.
 * Never throws; the guard decides what an outcome means for the route at hand.
 */
@Injectable()
export class HankoAuthenticator {
  protected readonly logger = new Logger('HankoAuth');
  private readonly cache: HankoTokenCache | undefined;
  private readonly attempts: HankoStrategyAttempts;
  private keyGeneration = 0;

  constructor(
    protected readonly config: HankoAuthConfig,
    @Inject(HankoStrategy) strategy: PassportStrategyLike,
    private readonly keys: HankoKeySource,
    private readonly sessions: HankoSessionValidator,
    protected readonly extractor: HankoTokenExtractor,
    private readonly revoked: HankoRevocationMarks,
  ) {
    this.attempts = new HankoStrategyAttempts(strategy);
    this.cache = config.tokenCache === false ? undefined : new HankoTokenCache(config.tokenCache.maxEntries);
    keys.onChange(() => {
      this.keyGeneration++;
      this.cache?.clear();
    });
  }

  /**
   * Authenticates a request once, however many guards ask (global guard plus @UseGuards).
   * Synchronous unless it must wait (on Hanko's key set, or on a session answer not cached here), so
   * the common cases, a cached token or a new one signed by a cached key, cost no promise at all.
   */
  authenticate(request: HankoRequest): HankoOutcome | Promise<HankoOutcome> {
    const done = request[HANKO_OUTCOME] as HankoOutcome | Promise<HankoOutcome> | undefined;
    if (done !== undefined) {
      // A kept outcome may be asked for many times: a WebSocket connection's request, or whatever
      // an app hands either door (a socket.io handshake, a subscription's context `req`). A user
      // counts only while it holds (see stillHolds); a refusal stands for good (the credential cannot
      // change); a Hanko outage does not: the next call asks again instead of failing until reconnect.
      if (done instanceof Promise) return done;
      if (done.user === undefined ? !(done.failure instanceof HankoUpstreamUnavailable) : this.stillHolds(done)) return done;
      this.forget(request);
    }
    const outcome = this.run(request);
    request[HANKO_OUTCOME] = outcome;
    // Registered before anyone else can await it, so the settled value is in place for the handler.
    if (outcome instanceof Promise) {
      void outcome.then((settled) => {
        // Unless it was dropped meanwhile (a recheck): never resurrect an old outcome.
        if (request[HANKO_OUTCOME] === outcome) request[HANKO_OUTCOME] = settled;
      });
    }
    return outcome;
  }

  /**
   * Until exp (then the token is verified again, and refused once expired beyond the clock
   * tolerance), with revocation on for at most cacheTtl (a revoked session stops within that time,
   * as over HTTP), while its key is usable (rotation, staleIfError), and until a webhook revokes it.
   */
  private stillHolds(kept: { user: HankoUser; kid: string; keepUntilMs: number }): boolean {
    return kept.keepUntilMs > Date.now() && this.keys.currentKey(kept.kid) !== undefined && !this.revoked.isRevoked(kept.user);
  }

  private run(request: HankoRequest): HankoOutcome | Promise<HankoOutcome> {
    try {
      const raw = this.extractor.extract(request);
      if (raw === undefined) return { failure: 'missing' };
      // One clock read for the whole hit: the entry's exp and the key's staleness are judged at the same instant.
      const now = Date.now();
      // The exact bytes of a cached token already passed every check below: look it up first.
      const cached = raw.length <= this.config.maxTokenBytes ? this.cache?.get(raw, now) : undefined;
      // A hit counts only while its key is still in the usable set (removed or too stale: verify anew).
      if (cached !== undefined && this.keys.currentKey(cached.kid, now) !== undefined) {
        if (!this.sessions.enabled) return this.accept(request, cached.user, cached.kid, cached.expiresAtMs);
        return this.checkSession(request, cached.user, cached.kid, raw, cached.expiresAtMs);
      }
      const token = precheckToken(raw, this.config.maxTokenBytes);
      return this.verifyAndRemember(request, token);
    } catch (error) {
      return this.failed(error);
    }
  }

  /** Synchronous whenever the strategy is (a cached key and no revocation check): no promise per request. */
  private verifyAndRemember(request: HankoRequest, token: PrecheckedToken): HankoOutcome | Promise<HankoOutcome> {
    const generation = this.keyGeneration;
    const verified = this.attempts.run(token);
    if (!(verified instanceof Promise)) return this.remember(request, token, verified, generation);
    return verified.then((user) => this.remember(request, token, user, generation)).catch((error: unknown) => this.failed(error));
  }

  private remember(
    request: HankoRequest,
    token: PrecheckedToken,
    user: HankoUser,
    generation: number,
  ): HankoOutcome | Promise<HankoOutcome> {
    const expiresAtMs = user.claims.exp * 1000;
    // A key change while we verified may have removed the key used: don't remember this one.
    if (generation === this.keyGeneration) this.cache?.set(token.raw, { user, kid: token.kid, expiresAtMs });
    if (!this.sessions.enabled) return this.accept(request, user, token.kid, expiresAtMs);
    return this.checkSession(request, user, token.kid, token.raw, expiresAtMs);
  }

  /**
   * Revocation is per session and cached on its own: a cached verification never skips it. A session
   * answer cached in this process (or a Hanko known to be failing) settles here without a promise.
   */
  private checkSession(
    request: HankoRequest,
    user: HankoUser,
    kid: string,
    raw: string,
    expiresAtMs: number,
  ): HankoOutcome | Promise<HankoOutcome> {
    let pending: Promise<void> | undefined;
    try {
      pending = this.sessions.check(user, raw);
    } catch (error) {
      return this.failed(error);
    }
    if (pending === undefined) return this.accept(request, user, kid, expiresAtMs);
    return pending.then(
      () => this.accept(request, user, kid, expiresAtMs),
      (error: unknown) => this.failed(error),
    );
  }

  private failed(error: unknown): HankoOutcome {
    const failure = this.classify(error);
    if (failure instanceof HankoTokenRefusal) this.logger.debug(`Refused a token: ${failure.reason}`);
    return { failure };
  }

  /** `expiresAtMs` is the token's exp as the cache keeps it, so a hit never reads the claims object. */
  private accept(request: HankoRequest, user: HankoUser, kid: string, expiresAtMs: number): HankoOutcome {
    // Every accepted token passes here, cached or not: a session Hanko's webhook reported ended
    // (logout, revoke, user deleted) is refused at once instead of until its exp. A local lookup.
    if (this.revoked.isRevoked(user)) return this.failed(new HankoTokenRefusal('session revoked'));
    request.user = user;
    // How long this outcome may be kept on a long-lived request object (see stillHolds).
    const revocation = this.config.revocation;
    const keepUntilMs = revocation === false ? expiresAtMs : Math.min(expiresAtMs, Date.now() + revocation.cacheTtl * 1000);
    return { user, kid, keepUntilMs };
  }

  /** Drops the outcome kept on a request (and the user it put there), so the next call authenticates anew. */
  forget(request: HankoRequest): void {
    const kept = request[HANKO_OUTCOME] as HankoOutcome | Promise<HankoOutcome> | undefined;
    if (kept !== undefined && !(kept instanceof Promise) && kept.user !== undefined && request.user === kept.user) delete request.user;
    delete request[HANKO_OUTCOME];
  }

  /**
   * Library errors become our fixed reasons here and nowhere else; their messages go no further.
   * Only jsonwebtoken's verdicts about the token are 401s: anything else (a store that threw, a bug)
   * says nothing about the user, so it fails closed as 503 instead of logging them out.
   */
  private classify(error: unknown): HankoFailure {
    if (error instanceof HankoTokenRefusal || error instanceof HankoUpstreamUnavailable) return error;
    const name = (error as Error | undefined)?.name;
    if (name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError') {
      return new HankoTokenRefusal(reasonFor(error));
    }
    this.logger.error(`Unexpected error while authenticating (${typeof name === 'string' ? name : typeof error})`);
    return new HankoUpstreamUnavailable('unexpected error', FALLBACK_RETRY_AFTER);
  }
}

function reasonFor(error: unknown): HankoRefusalReason {
  const name = (error as Error | undefined)?.name;
  const message = String((error as Error | undefined)?.message ?? '');
  if (name === 'TokenExpiredError') return 'token expired';
  if (name === 'NotBeforeError') return 'token not yet valid';
  if (name === 'JsonWebTokenError') {
    if (message === 'invalid signature') return 'invalid signature';
    if (message.startsWith('jwt audience invalid')) return 'audience mismatch';
    if (message.startsWith('jwt issuer invalid')) return 'issuer mismatch';
  }
  return 'invalid token';
}
