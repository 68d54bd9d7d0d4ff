import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GUARDS, call, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { expectNoLeak, expectNoToken } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { forge } from '../support/token.forge.js';

/** Grep-level guarantee: across every kind of outcome, no log line and no response body holds a token. */
describe.each(GUARDS)('through %s', (guard) => {
  let issuer: FaultyIssuer;
  let app: StartedApp;
  beforeAll(async () => {
    issuer = await FaultyIssuer.start({ modulusLength: 2048 });
    app = await startApp(
      'express',
      hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', keys: { refetchCooldown: 0, fetchTimeout: 0.3 } }),
      [ProtectedController],
    );
  });
  afterAll(async () => {
    await app.app.close();
    await issuer.close();
  });

  describe('no token in any log line or response body', () => {
    it('holds for accepted, refused and unavailable outcomes, at every log level', async () => {
      const now = Math.floor(Date.now() / 1000);
      const tokens = [
        issuer.sign(),
        issuer.sign({ exp: now - 100, iat: now - 200 }),
        issuer.sign({ aud: ['x'] }),
        issuer.signWebhook(),
        issuer.sign({}, { header: { kid: 'unknown-kid' } }),
        issuer.sign({}, { header: { kid: '../../x' } }),
        forge({ alg: 'none', kid: issuer.keys[0].kid }, issuer.sessionClaims(), 'c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw'),
        `${issuer.sign()}.extra`,
        issuer.sign({ padding: 'p'.repeat(10_000) }),
      ];
      const bodies: string[] = [];
      for (const token of tokens) {
        bodies.push((await call(app.url, '/protected', { token })).text);
        bodies.push((await call(app.url, '/protected', { cookie: `hanko=${token}` })).text);
      }
      issuer.fault = '503';
      const rotated = await issuer.addKey({ modulusLength: 2048 });
      const during = issuer.sign({}, { kid: rotated.kid });
      tokens.push(during);
      const unavailable = await call(app.url, '/protected', { token: during });
      expect(unavailable.status).toBe(503);
      bodies.push(unavailable.text);

      expect(app.lines().some((l) => l.level === 'debug')).toBe(true);
      expect(app.lines().some((l) => l.level === 'warn')).toBe(true);
      expectNoLeak(bodies.join('\n'), ...tokens);
      // Logs may name the key URL (it is configuration), never a token or part of one.
      expectNoToken(app.logger.text(), ...tokens);
      expect(app.logger.text()).not.toMatch(/SyntaxError|JsonWebTokenError|jwt malformed/);
    });
  });
});
