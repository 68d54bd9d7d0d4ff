import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, call, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start();
});
afterAll(() => issuer.close());

describe.each(DOORS)('oversized tokens over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  let capped: StartedApp;
  beforeAll(async () => {
    app = await startApp(adapter, hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost' }), [ProtectedController]);
    capped = await startApp(
      adapter,
      // Both apps are up at once: Passport has one strategy table per process, so each needs its own name.
      hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', maxTokenBytes: 1024, strategyName: 'hanko-capped' }),
      [ProtectedController],
    );
  });
  afterAll(async () => {
    await app.app.close();
    await capped.app.close();
  });

  it('refuses a validly signed token over the default 8 KiB before parsing it', async () => {
    const token = issuer.sign({ padding: 'x'.repeat(9 * 1024) });
    await expectRefused(app.url, token, 'token too large');
  });

  it('accepts a Hanko token with sizeable custom claims under the cap', async () => {
    const token = issuer.sign({ role: 'admin', permissions: Array.from({ length: 50 }, (_, i) => `perm:${i}`) });
    expect(token.length).toBeLessThan(8 * 1024);
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
  });

  it('honours a configured cap (maxTokenBytes)', async () => {
    await expectRefused(capped.url, issuer.sign(), 'token too large');
  });

  it('refuses an oversized cookie the same way', async () => {
    const res = await call(app.url, '/protected', { cookie: `hanko=${'a'.repeat(10_000)}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="token too large"');
  });
});
