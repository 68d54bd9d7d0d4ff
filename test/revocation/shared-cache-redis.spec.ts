import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
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
const prefix = () => `nestjs-hanko-auth:session:${createHash('sha256').update(issuer.apiUrl).digest('hex').slice(0, 12)}:`;
const keyOf = (token: string) => prefix() + sessionOf(token);
/** The signature an instance with `secret` puts on an answer (what the README documents). */
const macOf = (token: string, live: boolean, until: number, secret = SECRET) =>
  createHmac('sha256', secret)
    .update(`${keyOf(token)}\n${live ? 'live' : 'revoked'}\n${until}`)
    .digest('base64url');

const SECRET = 'fleet-secret-0123456789abcdef0123456789';
type Store = { get(key: string): Promise<unknown>; set(key: string, value: unknown, ttl: number): Promise<unknown> };

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
            revocation: { cacheTtl: 1, sharedCache: true, sharedSecret: SECRET },
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

  it('ignores a shared answer meant to outlive its own cacheTtl (a fleet member with other settings)', async () => {
    const token = issuer.sign();
    const store = instances[0].app.get<Store>(CACHE_MANAGER);
    const until = Date.now() + 3_600_000;
    await store.set(keyOf(token), { live: true, until, mac: macOf(token, true, until) }, 3_600_000);
    issuer.revokeSession(sessionOf(token));
    expect((await call(instances[0].url, '/protected', { token })).status).toBe(401);
  });
});

/**
 * Whoever can write the store (another app on the same Redis, someone with its password) must not
 * keep a revoked session alive or log anyone out: entries carry an HMAC keyed with
 * revocation.sharedSecret; one without a valid signature is ignored and Hanko is asked.
 */
describe('a tampered shared store', () => {
  const store = () => instances[1].app.get<Store>(CACHE_MANAGER);
  const soon = () => Date.now() + 800; // within cacheTtl (1 s): only the signature can tell it apart
  const forgeryWarnings = (i: number) =>
    instances[i].lines().filter((l) => l.level === 'warn' && l.message.includes('without a valid signature'));

  it.each<[string, (token: string) => Record<string, unknown>]>([
    ['unsigned', () => ({ live: true, until: soon() })],
    ['with a made-up signature', () => ({ live: true, until: soon(), mac: Buffer.alloc(32, 1).toString('base64url') })],
    [
      'signed with another secret',
      (token) => ({ live: true, until: soon(), mac: macOf(token, true, soon(), 'another-secret-0123456789abcdef0123') }),
    ],
    [
      'with a verdict flipped after signing',
      (token) => {
        const until = soon();
        return { live: true, until, mac: macOf(token, false, until) };
      },
    ],
    [
      'with its expiry pushed out after signing',
      (token) => {
        const until = soon();
        return { live: true, until: until + 150, mac: macOf(token, true, until) };
      },
    ],
  ])('cannot keep a revoked session alive with an entry %s', async (_name, entry) => {
    const token = issuer.sign();
    issuer.revokeSession(sessionOf(token));
    await store().set(keyOf(token), entry(token), 800);
    const before = issuer.validateRequests.GET;
    const res = await call(instances[1].url, '/protected', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="session revoked"');
    expect(issuer.validateRequests.GET - before).toBe(1);
  });

  it("cannot log a live session out, nor move another session's signed answer onto it", async () => {
    const victim = issuer.sign();
    const revoked = issuer.sign();
    issuer.revokeSession(sessionOf(revoked));
    // A genuine, signed "revoked" answer for one session, copied to the victim's key.
    expect((await call(instances[0].url, '/protected', { token: revoked })).status).toBe(401);
    const genuine = await store().get(keyOf(revoked));
    expect(genuine).toMatchObject({ live: false, mac: expect.any(String) });
    await store().set(keyOf(victim), genuine, 800);
    expect((await call(instances[1].url, '/protected', { token: victim })).status).toBe(200);
    const other = issuer.sign();
    await store().set(keyOf(other), { live: false, until: soon() }, 800);
    expect((await call(instances[1].url, '/protected', { token: other })).status).toBe(200);
  });

  it('logs the forgery once, without a token or a session id', () => {
    expect(forgeryWarnings(1)).toHaveLength(1);
    expect(forgeryWarnings(1)[0].message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('the fleet through Redis, continued', () => {
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
