var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { HankoHttpError, requestHankoJson } from '../http/hanko-http.request.js';
/** @nestjs/cache-manager's injection token, by value, so that package stays optional. */
const CACHE_MANAGER = 'CACHE_MANAGER';
/** Upper bound on waiting for the shared store: a store outage must degrade to asking Hanko, not hang. */
const STORE_DEADLINE_MS = 500;
/**
 * Asks Hanko whether a session is still alive: a JWT keeps verifying after logout, "sign out other
 * devices", admin deletion, the session limit or an idle timeout. Answers are kept per session_id
 * for `revocation.cacheTtl` (in memory, or in the app's cache-manager store for a fleet), and
 * concurrent requests for one session share one call.
 *
 * GET, not POST: GET /sessions/validate only reads. POST counts as user activity and would extend
 * idle timeouts whenever our cache happened to expire, i.e. at times unrelated to what the user does;
 * activity is the frontend SDK's to report.
 */
let HankoSessionValidator = class HankoSessionValidator {
    config;
    moduleRef;
    logger = new Logger('HankoAuth');
    local = new Map();
    inflight = new Map();
    abort = new AbortController();
    store;
    failing = false;
    options;
    /** Namespaced by Hanko instance, so apps of different Hanko projects can share one Redis. */
    keyPrefix;
    constructor(config, moduleRef) {
        this.config = config;
        this.moduleRef = moduleRef;
        this.options = config.revocation === false ? { cacheTtl: 0, timeout: 5, sharedCache: false, maxEntries: 1 } : config.revocation;
        this.keyPrefix = `nestjs-hanko-auth:session:${createHash('sha256').update(config.apiUrl).digest('hex').slice(0, 12)}:`;
    }
    get enabled() {
        return this.config.revocation !== false;
    }
    onModuleInit() {
        if (this.config.revocation === false || !this.config.revocation.sharedCache)
            return;
        let store;
        try {
            store = this.moduleRef.get(CACHE_MANAGER, { strict: false });
        }
        catch {
            store = undefined;
        }
        if (typeof store?.get !== 'function' || typeof store.set !== 'function') {
            throw new HankoConfigurationError('revocation.sharedCache', 'needs CacheModule from @nestjs/cache-manager in the application (e.g. CacheModule.register({ isGlobal: true, stores: [...] }))');
        }
        this.store = store;
    }
    onModuleDestroy() {
        this.abort.abort();
    }
    /** Throws HankoTokenRefusal('session revoked') or HankoUpstreamUnavailable (fail closed). */
    async assertLive(user, token) {
        if (!(await this.isLive(user, token)))
            throw new HankoTokenRefusal('session revoked');
    }
    isLive(user, token) {
        const known = this.local.get(user.sessionId);
        if (known !== undefined && known.until > Date.now())
            return Promise.resolve(known.live);
        let pending = this.inflight.get(user.sessionId);
        if (pending === undefined) {
            pending = this.lookup(user, token).finally(() => this.inflight.delete(user.sessionId));
            this.inflight.set(user.sessionId, pending);
        }
        return pending;
    }
    async lookup(user, token) {
        const key = this.keyPrefix + user.sessionId;
        const shared = await this.readShared(key);
        // Honour the absolute expiry written by whoever asked Hanko: revocation shows within cacheTtl
        // across the fleet, not cacheTtl per hop.
        if (shared !== undefined && shared.until > Date.now()) {
            this.remember(user.sessionId, shared);
            return shared.live;
        }
        const answer = { live: await this.askHanko(user, token), until: Date.now() + this.options.cacheTtl * 1000 };
        this.remember(user.sessionId, answer);
        if (this.store && this.options.cacheTtl > 0)
            await this.writeShared(key, answer);
        return answer.live;
    }
    /** A store outage or a slow store is a miss (then Hanko is asked), never a refusal or a hang. */
    async readShared(key) {
        if (!this.store)
            return undefined;
        try {
            const value = await withDeadline(this.store.get(key));
            const answer = value;
            return typeof answer?.live === 'boolean' && typeof answer.until === 'number' ? answer : undefined;
        }
        catch {
            this.logger.debug('Shared cache store did not answer; asking Hanko directly');
            return undefined;
        }
    }
    async writeShared(key, answer) {
        try {
            await withDeadline(this.store.set(key, answer, Math.max(1, answer.until - Date.now())));
        }
        catch {
            this.logger.debug('Could not write a session answer to the shared cache store');
        }
    }
    async askHanko(user, token) {
        let answer;
        try {
            const response = await requestHankoJson(`${this.config.apiUrl}/sessions/validate`, {
                method: 'GET',
                headers: { authorization: `Bearer ${token}` },
                timeoutMs: this.options.timeout * 1000,
                maxBytes: 64 * 1024,
                ca: this.config.keys.ca,
                agent: this.config.keys.agent,
                signal: this.abort.signal,
            });
            answer = response.json;
        }
        catch (error) {
            throw this.unavailable(error instanceof HankoHttpError ? error.detail : 'request failed');
        }
        const body = answer;
        if (typeof body?.is_valid !== 'boolean')
            throw this.unavailable('answer without is_valid');
        if (this.failing)
            this.logger.log('Hanko session validation works again');
        this.failing = false;
        if (!body.is_valid)
            return false;
        // Alive, but for another session or user? Never trust that answer for this one.
        const claims = body.claims;
        if (claims?.session_id !== undefined && claims.session_id !== user.sessionId)
            return false;
        if (claims?.subject !== undefined && claims.subject !== user.id)
            return false;
        return true;
    }
    unavailable(detail) {
        if (!this.failing)
            this.logger.warn(`Asking Hanko whether a session is alive failed: sessions/validate ${detail}`);
        this.failing = true;
        return new HankoUpstreamUnavailable(`sessions/validate ${detail}`, 5);
    }
    remember(sessionId, answer) {
        this.local.delete(sessionId);
        this.local.set(sessionId, { live: answer.live, until: answer.until });
        if (this.local.size > this.options.maxEntries)
            this.local.delete(this.local.keys().next().value);
    }
};
HankoSessionValidator = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [HankoAuthConfig,
        ModuleRef])
], HankoSessionValidator);
export { HankoSessionValidator };
function withDeadline(value) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('store deadline')), STORE_DEADLINE_MS);
    });
    return Promise.race([Promise.resolve(value), deadline]).finally(() => clearTimeout(timer));
}
//# sourceMappingURL=hanko-session.validator.js.map