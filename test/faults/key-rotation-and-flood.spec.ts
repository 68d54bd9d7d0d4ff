import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { HankoKeyOptions } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { GUARDS, call, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let issuer: HankoTestIssuer;
let started: StartedApp | undefined;
beforeEach(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterEach(async () => {
  await started?.app.close();
  started = undefined;
  await issuer.close();
});
describe.each(GUARDS)('through %s', (guard) => {
  async function boot(keys: HankoKeyOptions = {}) {
    started = await startApp('express', hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', keys }), [ProtectedController]);
    return started;
  }

  describe('fetching keys rarely', () => {
    it('fetches once at bootstrap, before any request', async () => {
      await boot();
      await sleep(200);
      expect(issuer.jwksRequests).toBe(1);
    });

    it('100 concurrent requests on a cold cache share one fetch', async () => {
      const app = await boot({ prefetch: false });
      const results = await Promise.all(Array.from({ length: 100 }, () => call(app.url, '/protected', { token: issuer.sign() })));
      expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(issuer.jwksRequests).toBe(1);
    });

    it('a flood of random kids costs at most one refetch per cooldown and never blocks known kids', async () => {
      const app = await boot(); // default cooldown: 30 s
      await sleep(200);
      const before = issuer.jwksRequests;
      const flood = Array.from({ length: 300 }, () =>
        call(app.url, '/protected', { token: issuer.sign({}, { header: { kid: randomUUID() } }) }),
      );
      const known = Array.from({ length: 50 }, () => call(app.url, '/protected', { token: issuer.sign() }));
      const [floodResults, knownResults] = await Promise.all([Promise.all(flood), Promise.all(known)]);
      expect(knownResults.every((r) => r.status === 200)).toBe(true);
      // Inside the cooldown a token newer than our key set may come from a rotation we have not seen:
      // 503 + Retry-After (try again); older (iat is whole seconds) a 401; never a 200.
      expect(floodResults.every((r) => r.status === 401 || (r.status === 503 && Number(r.headers.get('retry-after')) >= 1))).toBe(true);
      const old = await call(app.url, '/protected', {
        token: issuer.sign({ iat: Math.floor(Date.now() / 1000) - 3600 }, { header: { kid: randomUUID() } }),
      });
      expect(old.status).toBe(401);
      expect(old.headers.get('www-authenticate')).toContain('error_description="unknown signing key"');
      expect(issuer.jwksRequests - before).toBeLessThanOrEqual(1);
      // A second wave inside the cooldown: no fetch at all.
      await Promise.all(
        Array.from({ length: 100 }, () => call(app.url, '/protected', { token: issuer.sign({}, { header: { kid: randomUUID() } }) })),
      );
      expect(issuer.jwksRequests - before).toBeLessThanOrEqual(1);
    });

    it('honours a shorter Cache-Control max-age from Hanko', async () => {
      issuer.cacheControl = 'public, max-age=1';
      const app = await boot({ cacheMaxAge: 600 });
      await sleep(100);
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
      const before = issuer.jwksRequests;
      await sleep(1200);
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
      await sleep(100);
      expect(issuer.jwksRequests).toBe(before + 1);
    });
  });

  describe('key rotation', () => {
    it('picks up a new signing key on the first request after the cooldown', async () => {
      const app = await boot({ refetchCooldown: 0.5 });
      await sleep(100);
      const next = await issuer.addKey({ modulusLength: 2048 });
      await sleep(600);
      const res = await call(app.url, '/protected', { token: issuer.sign({}, { kid: next.kid }) });
      expect(res.status).toBe(200);
      // The old key is still published, so its tokens keep working.
      expect((await call(app.url, '/protected', { token: issuer.sign({}, { kid: issuer.keys[0].kid }) })).status).toBe(200);
    });

    it('refuses tokens of a removed key once the cache period ends, and drops them from the token cache', async () => {
      const app = await boot({ cacheMaxAge: 1, refetchCooldown: 0.1 });
      const old = issuer.keys[0];
      const reused = issuer.sign({}, { kid: old.kid });
      expect((await call(app.url, '/protected', { token: reused })).status).toBe(200);
      await issuer.addKey({ modulusLength: 2048 });
      issuer.removeKey(old.kid);
      await sleep(1100);
      // The first request after expiry may still be served from the stale set while it refreshes.
      await call(app.url, '/protected', { token: issuer.sign() });
      await sleep(200);
      const refused = await call(app.url, '/protected', { token: reused });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error_description="unknown signing key"');
      // A token minted just now inside the kid-miss cooldown could be a rotation (503); once the
      // cooldown is over, a refetch shows the key is gone: 401.
      await sleep(200);
      expect((await call(app.url, '/protected', { token: issuer.sign({}, { kid: old.kid }) })).status).toBe(401);
    });
  });

  describe('weak or unsuitable keys in the JWKS', () => {
    it('ignores a 1024-bit key beside a good one: its tokens get 401', async () => {
      const weak = await issuer.addKey({ modulusLength: 1024 });
      await issuer.addKey({ modulusLength: 2048 });
      const app = await boot();
      const res = await call(app.url, '/protected', { token: issuer.sign({}, { kid: weak.kid }) });
      expect(res.status).toBe(401);
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    });

    it('treats a set with only a 1024-bit key as no usable key set: 503', async () => {
      const weak = await issuer.addKey({ modulusLength: 1024 });
      issuer.removeKey(issuer.keys[0].kid);
      const app = await boot({ prefetch: false });
      const res = await call(app.url, '/protected', { token: issuer.sign({}, { kid: weak.kid }) });
      expect(res.status).toBe(503);
    });

    it.each([
      ['use "enc"', { use: 'enc' }],
      ['alg "RS512"', { alg: 'RS512' }],
      ['alg "PS256"', { alg: 'PS256' }],
      ['key_ops without verify', { key_ops: ['encrypt'] }],
    ])('ignores an RSA key with %s', async (_name, patch) => {
      const odd = await issuer.addKey({ modulusLength: 2048 });
      Object.assign(odd.publicJwk, patch);
      const app = await boot();
      expect((await call(app.url, '/protected', { token: issuer.sign({}, { kid: odd.kid }) })).status).toBe(401);
      expect((await call(app.url, '/protected', { token: issuer.sign({}, { kid: issuer.keys[0].kid }) })).status).toBe(200);
    });

    it('ignores a non-RSA key (EC) published under a kid', async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwks = issuer.jwks.bind(issuer);
      issuer.jwks = () => ({
        keys: [...jwks().keys, { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-key', use: 'sig', alg: 'ES256' }],
      });
      const app = await boot();
      const res = await call(app.url, '/protected', { token: issuer.sign({}, { header: { kid: 'ec-key' } }) });
      expect(res.status).toBe(401);
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    });
  });
});
