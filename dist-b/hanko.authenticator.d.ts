import { Logger } from '@nestjs/common';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from './errors/hanko-refusal.reason.js';
import type { HankoRequest } from './context/hanko-request.context.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import type { HankoUser } from './session/hanko-user.js';
import { HankoSessionValidator } from './session/hanko-session.validator.js';
import { HankoTokenExtractor } from './token/hanko-token.extractor.js';
/**
 * The Passport strategy protocol (passport-strategy): `authenticate(req)` ends in exactly one of
 * success/fail/error/pass/redirect. Typed locally so our public .d.ts never names passport-jwt's
 * types, which users would otherwise need (@types/passport-jwt) to compile strictly.
 */
interface PassportStrategyLike {
    authenticate(request: object, options?: object): void;
}
export type HankoFailure = 'missing' | HankoTokenRefusal | HankoUpstreamUnavailable;
export type HankoOutcome = {
    user: HankoUser;
    failure?: undefined;
} | {
    user?: undefined;
    failure: HankoFailure;
};
/**
 * Request in, outcome out: extract, pre-check, cached verification or passport-jwt, session policy.
 * Never throws; the guard decides what an outcome means for the route at hand.
 */
export declare class HankoAuthenticator {
    protected readonly config: HankoAuthConfig;
    private readonly strategy;
    private readonly keys;
    private readonly sessions;
    protected readonly logger: Logger;
    protected readonly extractor: HankoTokenExtractor;
    private readonly cache;
    private keyGeneration;
    constructor(config: HankoAuthConfig, strategy: PassportStrategyLike, keys: HankoKeySource, sessions: HankoSessionValidator);
    /**
     * Authenticates a request once, however many guards ask (global guard plus @UseGuards).
     * Synchronous when the answer is already known (a cached token, no revocation check), so the
     * common case costs no promise at all.
     */
    authenticate(request: HankoRequest): HankoOutcome | Promise<HankoOutcome>;
    private run;
    /** Synchronous whenever the strategy is (a cached key and no revocation check): no promise per request. */
    private verifyAndRemember;
    private remember;
    /** Revocation is per session and cached on its own: a cached verification never skips it. */
    private checkSession;
    private failed;
    private accept;
    /**
     * Runs the passport-jwt strategy for one token. The strategy sees a small carrier object, never
     * the real request, so passport-style bookkeeping never lands on (and slows down) the request;
     * and a fresh object per call, because the strategy's success/fail/error actions are per attempt.
     * With a cached key the strategy settles before `authenticate` returns: then the user comes back
     * as is (or the refusal is thrown), and only a wait on Hanko's key set costs a promise.
     */
    private verify;
    /**
     * Library errors become our fixed reasons here and nowhere else; their messages go no further.
     * Only jsonwebtoken's verdicts about the token are 401s: anything else (a store that threw, a bug)
     * says nothing about the user, so it fails closed as 503 instead of logging them out.
     */
    private classify;
}
export {};
