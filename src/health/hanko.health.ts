import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HankoKeySource } from '../keys/hanko-key.source.js';

/**
 * A @nestjs/terminus indicator for Hanko's key set: up when the latest fetch succeeded and holds a
 * usable RS256 signing key; down otherwise, saying whether requests are being served from a stale
 * set. It reports the key source's state and never fetches itself, so a probe every few seconds
 * adds no load on Hanko. Lives in its own entry point (`nestjs-hanko-auth/health`): apps without
 * terminus never load it.
 */
@Injectable()
export class HankoHealthIndicator {
  constructor(
    private readonly keys: HankoKeySource,
    private readonly indicator: HealthIndicatorService,
  ) {}

  isHealthy<const Key extends string = 'hanko'>(key: Key = 'hanko' as Key): HealthIndicatorResult<Key> {
    const session = this.indicator.check(key);
    const status = this.keys.status();
    const ageSeconds = status.fetchedAt === undefined ? null : Math.round((Date.now() - status.fetchedAt.getTime()) / 1000);
    const details = {
      keys: status.kids.length,
      fetchedAt: status.fetchedAt?.toISOString() ?? null,
      ageSeconds,
      servingStale: status.lastError !== undefined && status.usable,
      ...(status.lastError !== undefined ? { lastError: status.lastError } : {}),
    };
    return status.lastError === undefined && status.usable ? session.up(details) : session.down(details);
  }
}
