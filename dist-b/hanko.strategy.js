var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import passport from 'passport';
import passportJwt from 'passport-jwt';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HankoTokenRefusal } from './errors/hanko-refusal.reason.js';
import { HANKO_TOKEN } from './context/hanko-request.slots.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionPolicy } from './session/hanko-session.policy.js';
export const HANKO_STRATEGY = 'hanko';
/**
 * passport-jwt, configured for Hanko: RS256 only, audience and issuer at the top level (passport-jwt
 * drops them inside jsonWebTokenOptions), keys from HankoKeySource as parsed KeyObjects.
 * The token comes from the carrier slot the authenticator filled after its pre-check, so only
 * tokens that passed it ever reach a key lookup.
 *
 * Registered with Passport as 'hanko' (so `AuthGuard('hanko')` works too) by hand rather than through
 * @nestjs/passport's PassportStrategy mixin: the mixin awaits `validate()` even when it is
 * synchronous, which would turn every verification into a promise. Here a token signed by a cached
 * key is verified start to finish in one synchronous call.
 */
let HankoStrategy = class HankoStrategy extends passportJwt.Strategy {
    policy;
    constructor(config, keys) {
        super({
            jwtFromRequest: (request) => request[HANKO_TOKEN]?.raw ?? null,
            secretOrKeyProvider: (request, raw, done) => {
                const token = request[HANKO_TOKEN];
                if (token === undefined || token.raw !== raw)
                    return done(new HankoTokenRefusal('malformed token'));
                // The common case answers at once; only an unknown or unusable kid waits on Hanko.
                const known = keys.currentKey(token.kid);
                if (known !== undefined)
                    return done(null, known);
                keys.getKey(token.kid, token.issuedAt).then((key) => done(null, key), (error) => done(error));
            },
            algorithms: ['RS256'],
            audience: [...config.audience],
            ...(config.issuer ? { issuer: [...config.issuer] } : {}),
            ignoreExpiration: false,
            jsonWebTokenOptions: { clockTolerance: config.clockTolerance },
        }, 
        // Looked up per call (not bound once) so that a subclass's or a test's validate() is the one used.
        (payload, done) => {
            let user;
            try {
                user = this.validate(payload);
            }
            catch (error) {
                return done(error);
            }
            done(null, user);
        });
        this.name = HANKO_STRATEGY;
        passport.use(HANKO_STRATEGY, this);
        this.policy = new HankoSessionPolicy(config.clockTolerance);
    }
    /** The verified payload as a Hanko user; throws HankoTokenRefusal for a JWT that is no Hanko session. */
    validate(payload) {
        return this.policy.toUser(payload);
    }
};
HankoStrategy = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [HankoAuthConfig, HankoKeySource])
], HankoStrategy);
export { HankoStrategy };
//# sourceMappingURL=hanko.strategy.js.map