import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passportJwt from 'passport-jwt';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HANKO_TOKEN } from './context/hanko-request.slots.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionPolicy } from './session/hanko-session.policy.js';
import type { HankoUser } from './session/hanko-user.js';
import type { PrecheckedToken } from './token/hanko-token.precheck.js';

type TokenRequest = Record<symbol, PrecheckedToken | undefined>;
/** passport-jwt's verify callback: payload in, `done(error, user)` out (a throw becomes `error`). */
type VerifyCallback = (payload: Record<string, unknown>, done: (error: unknown, user?: unknown) => void) => void;
/** jsonwebtoken takes a KeyObject as is; @types/passport-jwt only knows PEM strings and Buffers. */
type KeyDone = (error: unknown, key?: string) => void;

/** The actions Passport gives each attempt (passport-strategy): exactly one of them ends it. */
export interface HankoStrategyActions {
  success(user: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(error: unknown): void;
}
/** Answers a request that reached the strategy through Passport (AuthGuard); see hanko-passport.door.ts. */
export type HankoPassportDoor = (attempt: HankoStrategyActions, request: object) => void;

/** Nothing is registered from the mixin's constructor: see getPassportInstance(). */
const NOT_YET = { use: () => NOT_YET };

/**
 * passport-jwt, configured for Hanko, as a @nestjs/passport strategy: RS256 only, audience and
 * issuer at the top level (passport-jwt drops them inside jsonWebTokenOptions), keys from
 * HankoKeySource as parsed KeyObjects.
 *
 * One instance, two doors, one truth:
 * - HankoGuard's door: HankoAuthenticator runs passport-jwt on a carrier object holding a token that
 *   passed its pre-check (size, algorithm, header, kid format), so only such tokens reach a key lookup.
 * - Passport's door (`AuthGuard('hanko')`): Passport hands us the request itself. passport-jwt never
 *   reads it: the request goes through the very same pipeline as HankoGuard's (pre-check, token
 *   cache, this verification, session policy, revocation), and its outcome becomes Passport's
 *   success, fail or error. Without that, AuthGuard('hanko') would be a way around those checks.
 */
@Injectable()
export class HankoStrategy extends PassportStrategy(passportJwt.Strategy) {
  private readonly policy: HankoSessionPolicy;
  /** Set by HankoPassportRegistration when it registers this instance with Passport. */
  private door: HankoPassportDoor | undefined;

  /** passport-jwt's verify callback for HankoGuard's door: validate() at once, awaited only if it returns a promise. */
  private readonly verifyAtOnce: VerifyCallback = (payload, done) => {
    const user = this.validate(payload) as unknown;
    if (typeof (user as PromiseLike<unknown> | undefined)?.then !== 'function') return done(null, user);
    (user as PromiseLike<unknown>).then(
      (settled) => done(null, settled),
      (error: unknown) => done(error),
    );
  };

  constructor(config: HankoAuthConfig, keys: HankoKeySource) {
    super({
      jwtFromRequest: (request: TokenRequest) => request[HANKO_TOKEN]?.raw ?? null,
      secretOrKeyProvider: (request: TokenRequest, _raw: string, done: KeyDone) => {
        // jwtFromRequest read this same slot, so the token is there and is `raw`.
        const token = request[HANKO_TOKEN]!;
        // The common case answers at once; only an unknown or unusable kid waits on Hanko.
        const known = keys.currentKey(token.kid);
        if (known !== undefined) return done(null, known as unknown as string);
        keys.getKey(token.kid, token.issuedAt).then(
          (key) => done(null, key as unknown as string),
          (error: unknown) => done(error),
        );
      },
      algorithms: ['RS256'],
      audience: [...config.audience] as [string, ...string[]],
      ...(config.issuer ? { issuer: [...config.issuer] } : {}),
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: config.clockTolerance },
    });
    this.name = config.strategyName;
    this.policy = new HankoSessionPolicy(config.clockTolerance);
  }

  /** The verified payload as a Hanko user; throws HankoTokenRefusal for a JWT that is no Hanko session. */
  validate(payload: Record<string, unknown>): HankoUser {
    return this.policy.toUser(payload);
  }

  override authenticate(request: object, options?: object): void {
    // Our own attempt on a carrier (symbols never arrive over the wire): passport-jwt verifies it.
    if (HANKO_TOKEN in request) {
      // With validate() called at once rather than awaited as the mixin's callback does: a new token
      // signed by a cached key is then verified in one synchronous call, and HankoGuard answers it
      // without a promise. Same-process A/B on this miss path (RSA-2048): the awaited callback cost
      // 2-5 % more CPU per request. passport-jwt 4.0.1 reads `_verify` per attempt. Every verification
      // comes here, through either door: Passport's door runs the same authenticator, which runs this
      // strategy on a carrier.
      (this as unknown as { _verify: VerifyCallback })._verify = this.verifyAtOnce;
      return super.authenticate(request as never, options);
    }
    // A request straight from Passport. Unregistered, there is no pipeline to run: fail closed.
    if (this.door === undefined) return this.error(new Error('HankoStrategy is not registered by HankoAuthModule'));
    this.door(this, request);
  }

  /** @internal Called by HankoPassportRegistration, before the instance is registered with Passport. */
  openDoor(door: HankoPassportDoor): void {
    this.door = door;
  }

  /**
   * The mixin registers the instance with Passport from its constructor, under `this.name`, which
   * is passport-jwt's 'jwt' at that point: it would overwrite an app's own 'jwt' strategy, and
   * `strategyName` is not known yet. HankoPassportRegistration registers it instead, under
   * `strategyName`, once the door is open, and never over another strategy.
   */
  getPassportInstance(): unknown {
    return NOT_YET;
  }
}
