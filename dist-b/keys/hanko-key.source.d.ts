import { type KeyObject } from 'node:crypto';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HankoAuthConfig } from '../hanko-auth.config.js';
/** What the key source reports about itself (health checks, tests). */
export interface HankoKeySetStatus {
    readonly kids: readonly string[];
    /** When the current set was fetched, or undefined before the first success. */
    readonly fetchedAt: Date | undefined;
    /** Why the latest fetch failed, or undefined when it succeeded. */
    readonly lastError: string | undefined;
    readonly fetchCount: number;
    /** Whether the cached set can verify tokens now (held, and not older than the stale-if-error limit). */
    readonly usable: boolean;
}
/**
 * Hanko's public keys, held as one whole set of parsed KeyObjects.
 *
 * jwks-rsa stays the provider (it turns JWKs into keys); around it we fix what it gets wrong for
 * Hanko: it caches per kid and refetches per unknown kid, parses PEM again on every verification,
 * has no body cap or overall deadline, and forgets every key when a refresh fails.
 */
export declare class HankoKeySource implements OnApplicationBootstrap, OnModuleDestroy {
    protected readonly config: HankoAuthConfig;
    protected readonly logger: Logger;
    private readonly client;
    private readonly abort;
    private keys;
    private fetchedAt;
    private freshUntil;
    private lastAttemptAt;
    private lastError;
    private lastMaxAge;
    private inflight;
    private fetchCount;
    private readonly listeners;
    constructor(config: HankoAuthConfig);
    onApplicationBootstrap(): void;
    onModuleDestroy(): void;
    /**
     * The key for a kid. Throws HankoTokenRefusal (unknown kid after a refetch, Hanko reachable) or
     * HankoUpstreamUnavailable. `issuedAt` (the token's unverified `iat`, seconds) tells a token minted
     * after our last fetch (plausibly a rotated key we have not seen yet) from a stranger.
     */
    getKey(kid: string, issuedAt?: number): Promise<KeyObject>;
    /**
     * The key if the cached set holds it and may still be used, without waiting on Hanko: a stale set
     * is refreshed in the background (stale-while-revalidate), so known kids never wait.
     */
    currentKey(kid: string): KeyObject | undefined;
    /** Called whenever the key set changes (rotation, removal), e.g. to drop cached verifications. */
    onChange(listener: () => void): () => void;
    status(): HankoKeySetStatus;
    /** Fetch now (single-flight). Never rejects: failures are recorded and logged. */
    refresh(): Promise<void>;
    private usableKey;
    private withinStaleLimit;
    private mayFetch;
    private retryAfter;
    private maxAge;
    private fetchDocument;
    private load;
}
