import passportJwt from 'passport-jwt';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import type { HankoUser } from './session/hanko-user.js';
export declare const HANKO_STRATEGY = "hanko";
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
export declare class HankoStrategy extends passportJwt.Strategy {
    private readonly policy;
    constructor(config: HankoAuthConfig, keys: HankoKeySource);
    /** The verified payload as a Hanko user; throws HankoTokenRefusal for a JWT that is no Hanko session. */
    validate(payload: Record<string, unknown>): HankoUser;
}
