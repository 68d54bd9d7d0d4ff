import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passportJwt from 'passport-jwt';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HankoTokenRefusal } from './errors/hanko-refusal.reason.js';
import { HANKO_TOKEN } from './context/hanko-request.slots.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionPolicy } from './session/hanko-session.policy.js';
import type { HankoUser } from './session/hanko-user.js';
import type { PrecheckedToken } from './token/hanko-token.precheck.js';

export const HANKO_STRATEGY = 'hanko';

type TokenRequest = Record<symbol, PrecheckedToken | undefined>;

/**
 * passport-jwt, configured for Hanko: RS256 only, audience and issuer at the top level (passport-jwt
 * drops them inside jsonWebTokenOptions), keys from HankoKeySource as parsed KeyObjects.
 * The token comes from the request slot the authenticator filled after its pre-check, so only
 * tokens that passed it ever reach a key lookup.
 */
@Injectable()
export class HankoStrategy extends PassportStrategy(passportJwt.Strategy, HANKO_STRATEGY) {
  private readonly policy: HankoSessionPolicy;

  constructor(config: HankoAuthConfig, keys: HankoKeySource) {
    super({
      jwtFromRequest: (request: TokenRequest) => request[HANKO_TOKEN]?.raw ?? null,
      secretOrKeyProvider: (request: TokenRequest, raw: string, done: (error: unknown, key?: string) => void) => {
        const token = request[HANKO_TOKEN];
        if (token === undefined || token.raw !== raw) return done(new HankoTokenRefusal('malformed token'));
        keys.getKey(token.kid, token.issuedAt).then(
          // jsonwebtoken takes a KeyObject as is; @types/passport-jwt only knows PEM strings.
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
    this.policy = new HankoSessionPolicy(config.clockTolerance);
  }

  validate(payload: Record<string, unknown>): HankoUser {
    return this.policy.toUser(payload);
  }
}
