import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import type { HankoUser } from './hanko-user.js';
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
export declare class HankoSessionValidator implements OnModuleInit, OnModuleDestroy {
    private readonly config;
    private readonly moduleRef;
    protected readonly logger: Logger;
    private readonly local;
    private readonly inflight;
    private readonly abort;
    private store;
    private failing;
    private readonly options;
    /** Namespaced by Hanko instance, so apps of different Hanko projects can share one Redis. */
    private readonly keyPrefix;
    constructor(config: HankoAuthConfig, moduleRef: ModuleRef);
    get enabled(): boolean;
    onModuleInit(): void;
    onModuleDestroy(): void;
    /** Throws HankoTokenRefusal('session revoked') or HankoUpstreamUnavailable (fail closed). */
    assertLive(user: HankoUser, token: string): Promise<void>;
    private isLive;
    private lookup;
    /** A store outage or a slow store is a miss (then Hanko is asked), never a refusal or a hang. */
    private readShared;
    private writeShared;
    private askHanko;
    private unavailable;
    private remember;
}
