import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { HankoKeyOptions } from '../../src/index.js';
import { GUARDS, call, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer, type JwksFault } from '../support/faulty-issuer.js';
import { ProtectedController } from '../support/test.controllers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FAST: HankoKeyOptions = { fetchTimeout: 0.5, refetchCooldown: 0.2 };

let issuer: FaultyIssuer;
let started: StartedApp | undefined;
beforeAll(async () => {
  issuer = await FaultyIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());
afterEach(async () => {
  await started?.app.close();
  started = undefined;
  issuer.fault = 'none';
  if (!issuerListening()) await issuer.listen();
});
const issuerListening = () => (issuer as unknown as { server?: unknown }).server !== undefined;

describe.each(GUARDS)('through %s', (guard) => {
  async function boot(keys: HankoKeyOptions = FAST) {
    started = await startApp('express', hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', keys }), [ProtectedController]);
    return started;
  }

  function expect503(res: Awaited<ReturnType<typeof call>>) {
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.body).toEqual({ statusCode: 503, message: 'authentication temporarily unavailable', error: 'Service Unavailable' });
    expect(res.text).not.toMatch(/127\.0\.0\.1|jwks|ECONNREFUSED/);
  }

  const warnings = (app: StartedApp) => app.lines().filter((l) => l.level === 'warn' && l.message.includes('Fetching Hanko keys'));

  describe('Hanko’s key endpoint down at boot', () => {
    it('boots anyway (a warning, not a crash), answers 503 + Retry-After, recovers when Hanko is back', async () => {
      await issuer.close();
      const app = await boot();
      const token = issuer.sign();
      expect503(await call(app.url, '/protected', { token }));
      await sleep(300);
      expect503(await call(app.url, '/protected', { token }));
      // One warning for the failure period, not one per request or retry.
      expect(warnings(app)).toHaveLength(1);
      await issuer.listen();
      await sleep(300);
      expect((await call(app.url, '/protected', { token })).status).toBe(200);
      expect(app.logger.text()).toContain('fetched again after failures');
    });
  });

  describe('Hanko’s key endpoint down after the keys were cached', () => {
    it('keeps serving known keys past the cache period (stale-if-error); an unknown kid gets 503', async () => {
      const app = await boot({ ...FAST, cacheMaxAge: 1 });
      const token = issuer.sign();
      expect((await call(app.url, '/protected', { token })).status).toBe(200);
      await issuer.close();
      await sleep(1300); // past cacheMaxAge: every request now wants a refresh that fails
      for (let i = 0; i < 5; i++) {
        expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
        await sleep(100);
      }
      const rotated = await issuer.addKey({ modulusLength: 2048 });
      expect503(await call(app.url, '/protected', { token: issuer.sign({}, { kid: rotated.kid }) }));
      expect(warnings(app)).toHaveLength(1);
    });

    it('stops serving the stale set after staleIfError', async () => {
      const app = await boot({ ...FAST, cacheMaxAge: 1, staleIfError: 1 });
      const token = issuer.sign({}, { kid: issuer.keys[0].kid });
      expect((await call(app.url, '/protected', { token })).status).toBe(200);
      await issuer.close();
      await sleep(2300);
      expect503(await call(app.url, '/protected', { token }));
    });
  });

  describe.each<[JwksFault, string]>([
    ['hang', 'accepts the connection and never answers'],
    ['drip', 'drips the body one byte every 50 ms, past the deadline'],
    ['503', 'answers 503'],
    ['html', 'answers an HTML error page with status 200'],
    ['garbage', 'answers JSON without a keys array'],
    ['huge', 'streams a 50 MB body'],
    ['no-signing-keys', 'publishes only encryption keys'],
    ['redirect', 'redirects elsewhere (never followed)'],
  ])('a key endpoint that %s', (fault, _what) => {
    it('gives 503 on a cold cache, never 401', async () => {
      issuer.fault = fault;
      issuer.hugeBytesSent = 0;
      const app = await boot({ ...FAST, prefetch: false });
      expect503(await call(app.url, '/protected', { token: issuer.sign() }));
      expect(warnings(app)).toHaveLength(1);
      if (fault === 'huge') expect(issuer.hugeBytesSent).toBeLessThan(10 * 1024 * 1024);
    });

    it('does not disturb tokens whose key is cached', async () => {
      const app = await boot({ ...FAST, cacheMaxAge: 1 });
      const token = issuer.sign();
      expect((await call(app.url, '/protected', { token })).status).toBe(200);
      issuer.fault = fault;
      await sleep(1100);
      for (let i = 0; i < 3; i++) {
        expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
        await sleep(250);
      }
    });
  });

  describe('a slow key fetch never blocks tokens whose kid is known', () => {
    it('answers known kids while an unknown kid waits for the (hanging) refetch', async () => {
      const app = await boot({ fetchTimeout: 1.5, refetchCooldown: 0 });
      const known = issuer.sign();
      expect((await call(app.url, '/protected', { token: known })).status).toBe(200);
      issuer.fault = 'hang';
      const stranger = await issuer.addKey({ modulusLength: 2048 });
      let unknownDone = false;
      const unknown = call(app.url, '/protected', { token: issuer.sign({}, { kid: stranger.kid }) }).then((r) => {
        unknownDone = true;
        return r;
      });
      await sleep(100);
      const fast = await call(app.url, '/protected', { token: issuer.sign({}, { kid: issuer.keys[0].kid }) });
      expect(fast.status).toBe(200);
      expect(unknownDone).toBe(false);
      expect503(await unknown);
    });
  });
});
