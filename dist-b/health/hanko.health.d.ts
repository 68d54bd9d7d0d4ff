import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HankoKeySource } from '../keys/hanko-key.source.js';
/**
 * A @nestjs/terminus indicator for Hanko's key set: up when the latest fetch succeeded and holds a
 * usable RS256 signing key; down otherwise, saying whether requests are being served from a stale
 * set. It reports the key source's state and never fetches itself, so a probe every few seconds
 * adds no load on Hanko. Lives in its own entry point (`nestjs-hanko-auth/health`): apps without
 * terminus never load it.
 */
export declare class HankoHealthIndicator {
    private readonly keys;
    private readonly indicator;
    constructor(keys: HankoKeySource, indicator: HealthIndicatorService);
    isHealthy<const Key extends string = 'hanko'>(key?: Key): HealthIndicatorResult<Key>;
}
