import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoAuthenticator } from '../../src/hanko.authenticator.js';
import { HankoTokenRefusal } from '../../src/errors/hanko-refusal.reason.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, call, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start();
});
afterAll(() => issuer.close());

describe.each(DOORS)('kid abuse over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  beforeAll(async () => {
    // No cooldown: any kid that reached a key lookup would show up as a fetch.
    app = await startApp(
      adapter,
      hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', keys: { refetchCooldown: 0 }, maxTokenBytes: 256 * 1024 }),
      [ProtectedController],
    );
    await expectRefused(app.url, issuer.sign({ aud: ['warm-up'] })); // keys are now cached
  });
  afterAll(() => app.app.close());

  const cases: Array<[string, unknown]> = [
    ['a number', 42],
    ['an object', { $ne: null }],
    ['an array', ['key1']],
    ['null', null],
    ['missing', undefined],
    ['empty', ''],
    ['a path', '../../etc/passwd'],
    ['a URL', 'https://evil.example/jwks.json'],
    ['SQL', "key1' OR '1'='1"],
    ['a NUL byte', 'key1\u0000'],
    ['spaces', 'key 1'],
  ];
  it.each(cases)('kid that is %s is refused before any key lookup or fetch', async (_name, kid) => {
    const before = issuer.jwksRequests;
    await expectRefused(app.url, issuer.sign({}, { header: { kid } }), 'invalid key id');
    expect(issuer.jwksRequests).toBe(before);
  });

  it('a 100 KB kid never reaches a key lookup: the HTTP server or the pre-check stops it', async () => {
    const before = issuer.jwksRequests;
    const token = issuer.sign({}, { header: { kid: 'k'.repeat(100 * 1024) } });
    // Node refuses headers over 16 KiB by default (431); an app that raised that limit gets our 401.
    expect([401, 431]).toContain((await call(app.url, '/protected', { token })).status);
    const outcome = await app.app.get(HankoAuthenticator).authenticate({ headers: { authorization: `Bearer ${token}` } });
    expect(outcome.failure).toBeInstanceOf(HankoTokenRefusal);
    expect((outcome.failure as HankoTokenRefusal).reason).toBe('invalid key id');
    expect(issuer.jwksRequests).toBe(before);
  });
});
