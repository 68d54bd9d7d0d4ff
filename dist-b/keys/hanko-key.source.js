var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { createPublicKey } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import jwksRsa from 'jwks-rsa';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoTokenRefusal, HankoUpstreamUnavailable } from '../errors/hanko-refusal.reason.js';
import { fetchJwks, JwksFetchError } from './hanko-jwks.fetcher.js';
import { isStrongRsaKey, isUsableJwk, KID_PATTERN } from './hanko-key.policy.js';
/**
 * Hanko's public keys, held as one whole set of parsed KeyObjects.
 *
 * jwks-rsa stays the provider (it turns JWKs into keys); around it we fix what it gets wrong for
 * Hanko: it caches per kid and refetches per unknown kid, parses PEM again on every verification,
 * has no body cap or overall deadline, and forgets every key when a refresh fails.
 */
let HankoKeySource = class HankoKeySource {
    config;
    logger = new Logger('HankoAuth');
    client;
    abort = new AbortController();
    keys = new Map();
    fetchedAt;
    freshUntil = 0;
    lastAttemptAt = Number.NEGATIVE_INFINITY;
    lastError;
    lastMaxAge;
    inflight;
    fetchCount = 0;
    listeners = new Set();
    constructor(config) {
        this.config = config;
        this.client = new jwksRsa.JwksClient({
            jwksUri: config.jwksUrl,
            // We keep the whole set ourselves; jwks-rsa's per-kid cache and limiter would refetch per kid.
            cache: false,
            rateLimit: false,
            fetcher: (uri) => this.fetchDocument(uri),
        });
    }
    onApplicationBootstrap() {
        // Not awaited: boot must not wait on Hanko. Requests that arrive meanwhile share this fetch.
        if (this.config.keys.prefetch)
            void this.refresh();
    }
    onModuleDestroy() {
        this.abort.abort();
    }
    /**
     * The key for a kid. Throws HankoTokenRefusal (unknown kid after a refetch, Hanko reachable) or
     * HankoUpstreamUnavailable. `issuedAt` (the token's unverified `iat`, seconds) tells a token minted
     * after our last fetch (plausibly a rotated key we have not seen yet) from a stranger.
     */
    async getKey(kid, issuedAt) {
        if (!KID_PATTERN.test(kid))
            throw new HankoTokenRefusal('invalid key id');
        const known = this.currentKey(kid);
        if (known)
            return known;
        let refetched = false;
        if (this.inflight) {
            await this.inflight;
            refetched = true;
        }
        else if (this.mayFetch(Date.now())) {
            await this.refresh();
            refetched = true;
        }
        const found = this.usableKey(kid, Date.now());
        if (found)
            return found;
        if (this.lastError !== undefined || this.fetchedAt === undefined || !this.withinStaleLimit(Date.now())) {
            throw new HankoUpstreamUnavailable(this.lastError ?? 'key set not available', this.retryAfter());
        }
        // The cooldown kept us from refetching and the token is newer than our key set: Hanko may have
        // rotated. Ask the client to retry after the cooldown rather than log the user out with a 401.
        if (!refetched && issuedAt !== undefined && issuedAt * 1000 > this.fetchedAt) {
            throw new HankoUpstreamUnavailable('token newer than the cached key set; refetch in cooldown', this.retryAfter());
        }
        throw new HankoTokenRefusal('unknown signing key');
    }
    /**
     * The key if the cached set holds it and may still be used, without waiting on Hanko: a stale set
     * is refreshed in the background (stale-while-revalidate), so known kids never wait.
     */
    currentKey(kid) {
        const now = Date.now();
        const key = this.usableKey(kid, now);
        if (key && now >= this.freshUntil && this.mayFetch(now))
            void this.refresh();
        return key;
    }
    /** Called whenever the key set changes (rotation, removal), e.g. to drop cached verifications. */
    onChange(listener) {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    status() {
        return {
            kids: [...this.keys.keys()],
            fetchedAt: this.fetchedAt === undefined ? undefined : new Date(this.fetchedAt),
            lastError: this.lastError,
            fetchCount: this.fetchCount,
            usable: this.keys.size > 0 && this.withinStaleLimit(Date.now()),
        };
    }
    /** Fetch now (single-flight). Never rejects: failures are recorded and logged. */
    refresh() {
        if (this.inflight)
            return this.inflight;
        this.lastAttemptAt = Date.now();
        this.inflight = this.load().finally(() => {
            this.inflight = undefined;
        });
        return this.inflight;
    }
    usableKey(kid, now) {
        const key = this.keys.get(kid);
        return key && this.withinStaleLimit(now) ? key : undefined;
    }
    withinStaleLimit(now) {
        return this.fetchedAt !== undefined && now - this.fetchedAt <= (this.maxAge() + this.config.keys.staleIfError) * 1000;
    }
    mayFetch(now) {
        return !this.inflight && now - this.lastAttemptAt >= this.config.keys.refetchCooldown * 1000;
    }
    retryAfter() {
        const elapsed = (Date.now() - this.lastAttemptAt) / 1000;
        return Math.max(1, Math.ceil(this.config.keys.refetchCooldown - elapsed));
    }
    maxAge() {
        const advertised = this.lastMaxAge;
        return advertised !== undefined && advertised < this.config.keys.cacheMaxAge ? advertised : this.config.keys.cacheMaxAge;
    }
    async fetchDocument(uri) {
        this.fetchCount++;
        const document = await fetchJwks(uri, {
            timeoutMs: this.config.keys.fetchTimeout * 1000,
            maxBytes: this.config.keys.maxResponseBytes,
            ca: this.config.keys.ca,
            agent: this.config.keys.agent,
            signal: this.abort.signal,
        });
        this.lastMaxAge = document.maxAge;
        const keys = document.keys.filter(isUsableJwk);
        if (keys.length === 0)
            throw new JwksFetchError('key set holds no usable RS256 signing key');
        return { keys };
    }
    async load() {
        try {
            const signingKeys = await this.client.getSigningKeys();
            const next = new Map();
            for (const signingKey of signingKeys) {
                if (!signingKey.kid)
                    continue;
                // Parse once per fetch: verification then uses the KeyObject, never a PEM string.
                const key = createPublicKey(signingKey.getPublicKey());
                if (isStrongRsaKey(key))
                    next.set(signingKey.kid, key);
            }
            if (next.size === 0)
                throw new JwksFetchError('key set holds no usable RS256 signing key of 2048 bits or more');
            const changed = !sameKeys(this.keys, next);
            this.keys = next;
            this.fetchedAt = Date.now();
            this.freshUntil = this.fetchedAt + this.maxAge() * 1000;
            if (this.lastError !== undefined)
                this.logger.log(`Hanko key set fetched again after failures (${next.size} keys)`);
            this.lastError = undefined;
            if (changed)
                for (const listener of this.listeners)
                    listener();
        }
        catch (error) {
            const detail = error instanceof JwksFetchError ? error.detail : 'key set could not be used';
            // One warning per failure period, not one per request or per retry.
            if (this.lastError === undefined) {
                const serving = this.keys.size > 0 ? `; serving the last good key set (${this.keys.size} keys)` : '';
                this.logger.warn(`Fetching Hanko keys from ${this.config.jwksUrl} failed: ${detail}${serving}`);
            }
            else {
                this.logger.debug(`Fetching Hanko keys failed again: ${detail}`);
            }
            this.lastError = detail;
        }
    }
};
HankoKeySource = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [HankoAuthConfig])
], HankoKeySource);
export { HankoKeySource };
function sameKeys(a, b) {
    if (a.size !== b.size)
        return false;
    for (const [kid, key] of a) {
        const other = b.get(kid);
        if (!other || !other.equals(key))
            return false;
    }
    return true;
}
//# sourceMappingURL=hanko-key.source.js.map