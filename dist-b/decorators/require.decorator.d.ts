import 'reflect-metadata';
import type { HankoSessionClaims, HankoUser } from '../session/hanko-user.js';
export declare const HANKO_REQUIREMENTS_KEY = "HANKO:REQUIREMENTS";
/** One authorization rule: a predicate on the authenticated user and the phrase a 403 names. */
export interface HankoRequirement {
    readonly description: string;
    readonly test: (user: HankoUser) => boolean;
}
/**
 * Adds a requirement to a handler or a class. Requirements accumulate (class and handler, several
 * decorators): all must hold. They imply authentication, also on a `@Public()` route.
 */
export declare function RequireHanko<TCustomClaims extends object = Record<string, unknown>>(description: string, test: (user: HankoUser<TCustomClaims>) => boolean): MethodDecorator & ClassDecorator;
/**
 * The user must have logged in with one of these methods (Hanko's `amr`), e.g.
 * `@RequireAmr('passkey')`, or "passkey or a second factor": `@RequireAmr('passkey', 'totp', 'security_key')`.
 */
export declare const RequireAmr: (...anyOf: [string, ...string[]]) => MethodDecorator & ClassDecorator;
/** The user's primary email must be verified by Hanko. */
export declare const RequireVerifiedEmail: () => MethodDecorator & ClassDecorator;
/**
 * Any predicate on the verified claims, custom claims from Hanko's JWT template included, e.g.
 * `@RequireClaims<{ role: string }>((c) => c.role === 'admin', 'requires role admin')`.
 */
export declare const RequireClaims: <TCustomClaims extends object = Record<string, unknown>>(predicate: (claims: Readonly<HankoSessionClaims & TCustomClaims>) => boolean, description?: string) => MethodDecorator & ClassDecorator;
