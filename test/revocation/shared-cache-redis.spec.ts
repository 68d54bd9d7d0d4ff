import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@keyv/redis';
import { HankoAuthModule } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { call, startApp, type StartedApp } from '../support/app.factory.js';
import { RedisServer } from '../support/redis.server.js';
import { ProtectedController } from '../support/test.controllers.js';
import { claimsOf } from '../support/token.forge.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sessionOf = (token: string) => claimsOf(token).session_id as string;

/** Two app instances behind a load balancer, sharing one Redis through @nestjs/cache-manager + Keyv. */
let redis: RedisServer;
let issuer: HankoTestIssuer;
let instances: StartedApp[];
beforeAll(async () => {
  redis = await RedisServer.start();
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  instances = [];
  for (let i = 0; i < 2; i++) {
    instances.push(
      await startApp(
        'express',
        [
          CacheModule.register({ isGlobal: true, stores: [createKeyv(redis.url)] }),
          // Two instances in one process share Passport's strategy table: one name each.
          HankoAuthModule.forRoot({
            apiUrl: issuer.apiUrl,
            audience: 'localhost',
            revocation: { cacheTtl: 1, sharedCache: true },
            strategyName: `hanko-${i}`,
          }),
        ],
        [ProtectedController],
      ),
    );
  }
});
afterAll(async () => {
  for (const instance of instances ?? []) await instance.app.close();
  await issuer?.close();
  await redis?.stop();
});

describe('revocation answers shared by a fleet through Redis', () => {
  it('makes one Hanko call per session per period for the whole fleet', async () => {
    const token = issuer.sign();
    const before = issuer.validateRequests.GET;
    expect((await call(instances[0].url, '/protected', { token })).status).toBe(200);
    expect((await call(instances[1].url, '/protected', { token })).status).toBe(200);
    expect((await call(instances[1].url, '/protected', { token })).status).toBe(200);
    expect(issuer.validateRequests.GET - before).toBe(1);
  });

  it('spreads a revocation: one instance asks Hanko, the other reads the answer from Redis', async () => {
    const token = issuer.sign();
    expect((await call(instances[0].url, '/protected', { token })).status).toBe(200);
    issuer.revokeSession(sessionOf(token));
    await sleep(1200);
    const before = issuer.validateRequests.GET;
    expect((await call(instances[0].url, '/protected', { token })).status).toBe(401);
    expect((await call(instances[1].url, '/protected', { token })).status).toBe(401);
    expect(issuer.validateRequests.GET - before).toBe(1);
  });

  it('ignores a shared answer meant to outlive its own cacheTtl (a fleet member with other settings, a tampered store)', async () => {
    const token = issuer.sign();
    const store = instances[0].app.get<{ set(key: string, value: unknown, ttl: number): Promise<unknown> }>(CACHE_MANAGER);
    const prefix = `nestjs-hanko-auth:session:${createHash('sha256').update(issuer.apiUrl).digest('hex').slice(0, 12)}:`;
    await store.set(prefix + sessionOf(token), { live: true, until: Date.now() + 3_600_000 }, 3_600_000);
    issuer.revokeSession(sessionOf(token));
    expect((await call(instances[0].url, '/protected', { token })).status).toBe(401);
  });

  it('falls back to asking Hanko when Redis hangs, instead of hanging or refusing', async () => {
    redis.pause();
    try {
      const token = issuer.sign();
      const before = issuer.validateRequests.GET;
      const res = await call(instances[0].url, '/protected', { token });
      expect(res.status).toBe(200);
      expect(issuer.validateRequests.GET - before).toBe(1);
    } finally {
      redis.resume();
    }
  });
});
