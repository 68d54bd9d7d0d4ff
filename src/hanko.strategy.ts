import { Injectable } from '@nestjs/common';
import passportJwt from 'passport-jwt';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HANKO_TOKEN } from './context/hanko-request.slots.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionPolicy } from './session/hanko-session.policy.js';
import type { HankoUser } from './session/hanko-user.js';
import type { PrecheckedToken } from './token/hanko-token.precheck.js';

export const HANKO_STRATEGY = 'hanko';

type TokenRequest = Record<symbol, PrecheckedToken | undefined>;
type Done = (error: unknown, value?: unknown) => void;
/** jsonwebtoken takes a KeyObject as is; @types/passport-jwt only knows PEM strings and Buffers. */
type KeyDone = (error: unknown, key?: string) => void;

/**
 * passport-jwt, configured for Hanko: RS256 only, audience and issuer at the top level (passport-jwt
 * drops them inside jsonWebTokenOptions), keys from HankoKeySource as parsed KeyObjects.
 * The token comes from the carrier slot the authenticator filled after its pre-check, so only
 * tokens that passed it ever reach a key lookup.
 *
 * A plain passport-jwt Strategy rather than @nestjs/passport's PassportStrategy mixin: the mixin
 * awaits `validate()` even when it is synchronous, which would turn every verification into a
 * promise; here a token signed by a cached key is verified start to finish in one synchronous call.
 * The authenticator runs it per token on its own carrier object, so it is deliberately not
 * registered on Passport's global instance: the app's Passport setup stays untouched, and
 * `AuthGuard('hanko')` can't become a way around the pre-check, the token cache or revocation.
 */
@Injectable()
export class HankoStrategy extends passportJwt.Strategy {
  private readonly policy: HankoSessionPolicy;

  constructor(config: HankoAuthConfig, keys: HankoKeySource) {
    super(
      {
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
      },
      // Looked up per call (not bound once) so that a subclass's or a test's validate() is the one used.
      (payload: Record<string, unknown>, done: Done) => {
        let user: unknown;
        try {
          user = this.validate(payload);
        } catch (error) {
          return done(error);
        }
        // A promise (an async override) would land on request.user as is: refuse it loudly instead.
        if (user === null || typeof user !== 'object' || typeof (user as { then?: unknown }).then === 'function') {
          return done(new TypeError('HankoStrategy.validate() must return the user synchronously'));
        }
        done(null, user);
      },
    );
    this.name = HANKO_STRATEGY;
    this.policy = new HankoSessionPolicy(config.clockTolerance);
  }

  /** The verified payload as a Hanko user; throws HankoTokenRefusal for a JWT that is no Hanko session. */
  validate(payload: Record<string, unknown>): HankoUser {
    return this.policy.toUser(payload);
  }
}
