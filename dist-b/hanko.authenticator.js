var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from './errors/hanko-refusal.reason.js';
import { HANKO_OUTCOME, HANKO_TOKEN } from './context/hanko-request.slots.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionValidator } from './session/hanko-session.validator.js';
import { HankoStrategy } from './hanko.strategy.js';
import { HankoTokenCache } from './token/hanko-token.cache.js';
import { HankoTokenExtractor } from './token/hanko-token.extractor.js';
import { precheckToken } from './token/hanko-token.precheck.js';
/**
 * Request in, outcome out: extract, pre-check, cached verification or passport-jwt, session policy.
 * Never throws; the guard decides what an outcome means for the route at hand.
 */
let HankoAuthenticator = class HankoAuthenticator {
    config;
    strategy;
    keys;
    sessions;
    logger = new Logger('HankoAuth');
    extractor;
    cache;
    keyGeneration = 0;
    constructor(config, strategy, keys, sessions) {
        this.config = config;
        this.strategy = strategy;
        this.keys = keys;
        this.sessions = sessions;
        this.extractor = new HankoTokenExtractor(config.cookieName);
        this.cache = config.tokenCache === false ? undefined : new HankoTokenCache(config.tokenCache.maxEntries);
        keys.onChange(() => {
            this.keyGeneration++;
            this.cache?.clear();
        });
    }
    /**
     * Authenticates a request once, however many guards ask (global guard plus @UseGuards).
     * Synchronous when the answer is already known (a cached token, no revocation check), so the
     * common case costs no promise at all.
     */
    authenticate(request) {
        const done = request[HANKO_OUTCOME];
        if (done !== undefined)
            return done;
        const outcome = this.run(request);
        request[HANKO_OUTCOME] = outcome;
        // Registered before anyone else can await it, so the settled value is in place for the handler.
        if (outcome instanceof Promise) {
            void outcome.then((settled) => {
                // Unless the guard dropped it meanwhile (a WebSocket recheck): never resurrect an old outcome.
                if (request[HANKO_OUTCOME] === outcome)
                    request[HANKO_OUTCOME] = settled;
            });
        }
        return outcome;
    }
    run(request) {
        try {
            const raw = this.extractor.extract(request);
            if (raw === undefined)
                return { failure: 'missing' };
            // The exact bytes of a cached token already passed every check below: look it up first.
            const cached = raw.length <= this.config.maxTokenBytes ? this.cache?.get(raw, Date.now()) : undefined;
            // A hit counts only while its key is still in the usable set (removed or too stale: verify anew).
            if (cached !== undefined && this.keys.currentKey(cached.kid) !== undefined) {
                if (!this.sessions.enabled)
                    return this.accept(request, cached.user);
                return this.checkSession(request, cached.user, raw);
            }
            const token = precheckToken(raw, this.config.maxTokenBytes);
            return this.verifyAndRemember(request, token);
        }
        catch (error) {
            return this.failed(error);
        }
    }
    /** Synchronous whenever the strategy is (a cached key and no revocation check): no promise per request. */
    verifyAndRemember(request, token) {
        const generation = this.keyGeneration;
        const verified = this.verify(token);
        if (!(verified instanceof Promise))
            return this.remember(request, token, verified, generation);
        return verified.then((user) => this.remember(request, token, user, generation)).catch((error) => this.failed(error));
    }
    remember(request, token, user, generation) {
        // A key change while we verified may have removed the key used: don't remember this one.
        if (generation === this.keyGeneration)
            this.cache?.set(token.raw, { user, kid: token.kid, expiresAtMs: user.claims.exp * 1000 });
        if (!this.sessions.enabled)
            return this.accept(request, user);
        return this.checkSession(request, user, token.raw);
    }
    /** Revocation is per session and cached on its own: a cached verification never skips it. */
    async checkSession(request, user, raw) {
        try {
            await this.sessions.assertLive(user, raw);
            return this.accept(request, user);
        }
        catch (error) {
            return this.failed(error);
        }
    }
    failed(error) {
        const failure = this.classify(error);
        if (failure instanceof HankoTokenRefusal)
            this.logger.debug(`Refused a token: ${failure.reason}`);
        return { failure };
    }
    accept(request, user) {
        request.user = user;
        return { user };
    }
    /**
     * Runs the passport-jwt strategy for one token. The strategy sees a small carrier object, never
     * the real request, so passport-style bookkeeping never lands on (and slows down) the request;
     * and a fresh object per call, because the strategy's success/fail/error actions are per attempt.
     * With a cached key the strategy settles before `authenticate` returns: then the user comes back
     * as is (or the refusal is thrown), and only a wait on Hanko's key set costs a promise.
     */
    verify(token) {
        let settled;
        let notify;
        const settle = (result) => {
            // The protocol allows one action per attempt; ignore any after the first.
            if (settled !== undefined)
                return;
            settled = result;
            notify?.(result);
        };
        const attempt = Object.create(this.strategy);
        attempt.success = (user) => settle({ user: user });
        attempt.fail = (challenge) => settle({ error: challenge ?? new HankoTokenRefusal('invalid token') });
        attempt.error = (error) => settle({ error });
        attempt.pass = attempt.redirect = () => settle({ error: new HankoTokenRefusal('invalid token') });
        attempt.authenticate({ [HANKO_TOKEN]: token }, { session: false });
        const now = settled;
        if (now !== undefined) {
            if (now.user !== undefined)
                return now.user;
            throw now.error;
        }
        return new Promise((resolve, reject) => {
            notify = (result) => (result.user !== undefined ? resolve(result.user) : reject(result.error));
        });
    }
    /**
     * Library errors become our fixed reasons here and nowhere else; their messages go no further.
     * Only jsonwebtoken's verdicts about the token are 401s: anything else (a store that threw, a bug)
     * says nothing about the user, so it fails closed as 503 instead of logging them out.
     */
    classify(error) {
        if (error instanceof HankoTokenRefusal || error instanceof HankoUpstreamUnavailable)
            return error;
        const name = error?.name;
        if (name === 'JsonWebTokenError' || name === 'TokenExpiredError' || name === 'NotBeforeError') {
            return new HankoTokenRefusal(reasonFor(error));
        }
        this.logger.error(`Unexpected error while authenticating (${typeof name === 'string' ? name : typeof error})`);
        return new HankoUpstreamUnavailable('unexpected error', 5);
    }
};
HankoAuthenticator = __decorate([
    Injectable(),
    __param(1, Inject(HankoStrategy)),
    __metadata("design:paramtypes", [HankoAuthConfig, Object, HankoKeySource,
        HankoSessionValidator])
], HankoAuthenticator);
export { HankoAuthenticator };
function reasonFor(error) {
    const name = error?.name;
    const message = String(error?.message ?? '');
    if (name === 'TokenExpiredError')
        return 'token expired';
    if (name === 'NotBeforeError')
        return 'token not yet valid';
    if (name === 'JsonWebTokenError') {
        if (message === 'invalid signature')
            return 'invalid signature';
        if (message.startsWith('jwt audience invalid'))
            return 'audience mismatch';
        if (message.startsWith('jwt issuer invalid'))
            return 'issuer mismatch';
    }
    return 'invalid token';
}
//# sourceMappingURL=hanko.authenticator.js.map