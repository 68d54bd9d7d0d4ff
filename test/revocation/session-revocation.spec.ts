import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { HankoAuthModule } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, call, startApp, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';
import { claimsOf } from '../support/token.forge.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sessionOf = (token: string) => claimsOf(token).session_id as string;

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe.each(DOORS)('session revocation over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', revocation: { cacheTtl: 1, timeout: 1, probeInterval: 1 } }),
      [ProtectedController],
    );
  });
  afterAll(() => app.app.close());

  it('refuses a session Hanko revoked, within cacheTtl, even for a token the token cache remembers', async () => {
    const token = issuer.sign();
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
    issuer.revokeSession(sessionOf(token));
    // Still cached as alive: revocation shows within cacheTtl, not instantly.
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
    await sleep(1100);
    const res = await call(app.url, '/protected', { token });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="session revoked"');
  });

  it('asks Hanko once per session per period with GET (no idle-time extension), concurrent requests sharing one call', async () => {
    const first = issuer.sign();
    const sameSession = issuer.sign({ session_id: sessionOf(first) });
    const before = { ...issuer.validateRequests };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(app.url, '/protected', { token: i % 2 ? first : sameSession })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(issuer.validateRequests.GET - before.GET).toBe(1);
    expect(issuer.validateRequests.POST - before.POST).toBe(0);
  });

  it('fails closed with 503 when Hanko cannot answer', async () => {
    const token = issuer.sign();
    await issuer.close();
    try {
      const res = await call(app.url, '/protected', { token });
      expect(res.status).toBe(503);
      // The next probe is due after revocation.probeInterval.
      expect(res.headers.get('retry-after')).toBe('1');
    } finally {
      await issuer.listen();
    }
    await sleep(1100);
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
  });

  it('does not ask Hanko on public routes without a token', async () => {
    const before = issuer.validateRequests.GET;
    // AuthGuard knows no @Public(): there the route wants a session, and no token is a 401 all the same.
    expect((await call(app.url, '/public')).status).toBe(guard === 'HankoGuard' ? 200 : 401);
    expect(issuer.validateRequests.GET).toBe(before);
  });
});

describe('revocation configuration', () => {
  it('is off by default: no call to Hanko', async () => {
    const app = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })],
      [ProtectedController],
    );
    const before = issuer.validateRequests.GET;
    expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    expect(issuer.validateRequests.GET).toBe(before);
    await app.app.close();
  });

  it('sharedCache without CacheModule stops bootstrap, naming the option', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HankoAuthModule.forRoot({
          apiUrl: issuer.apiUrl,
          audience: 'localhost',
          revocation: { sharedCache: true, sharedSecret: 'a'.repeat(32) },
          keys: { prefetch: false },
        }),
      ],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow(/HankoAuthModule: revocation\.sharedCache needs CacheModule/);
    await moduleRef.close().catch(() => undefined);
  });
});
