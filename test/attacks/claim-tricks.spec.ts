import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { claimsOf } from '../support/token.forge.js';

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ issuer: 'https://auth.example.com' });
});
afterAll(() => issuer.close());
const now = () => Math.floor(Date.now() / 1000);

describe.each(DOORS)('claim tricks over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', issuer: 'https://auth.example.com', clockTolerance: 5 }),
      [ProtectedController],
    );
  });
  afterAll(() => app.app.close());

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['missing exp', { exp: undefined }, 'invalid time claims'],
    ['exp as a string', { exp: String(now() + 3600) }, 'invalid time claims'],
    ['exp as an object', { exp: { $gt: 0 } }, 'invalid time claims'],
    ['missing iat', { iat: undefined }, 'invalid time claims'],
    ['iat as a string', { iat: String(now()) }, 'invalid time claims'],
    ['nbf as a string', { nbf: 'yesterday' }, 'invalid time claims'],
    ['iat in the future', { iat: now() + 600 }, 'token issued in the future'],
    ['nbf in the future', { nbf: now() + 600 }, 'token not yet valid'],
    ['exp in the past beyond tolerance', { exp: now() - 60, iat: now() - 3600 }, 'token expired'],
    ['aud missing', { aud: undefined }, 'audience mismatch'],
    ['aud for another app', { aud: ['other.example.com'] }, 'audience mismatch'],
    ['aud that only contains ours as a substring', { aud: ['localhost.evil.example'] }, 'audience mismatch'],
    ['iss wrong', { iss: 'https://evil.example.com' }, 'issuer mismatch'],
    ['iss missing while configured', { iss: undefined }, 'issuer mismatch'],
    ['sub missing', { sub: undefined }, 'not a Hanko session token'],
    ['sub not a string', { sub: { id: 1 } }, 'not a Hanko session token'],
    ['session_id missing', { session_id: undefined }, 'not a Hanko session token'],
    ['session_id not a string', { session_id: 12345 }, 'not a Hanko session token'],
    ['session_id blank', { session_id: '   ' }, 'not a Hanko session token'],
  ];
  it.each(cases)('%s', async (_name, claims, description) => {
    await expectRefused(app.url, issuer.sign(claims), description);
  });

  it('a Hanko webhook token (same keys and aud, sub "hanko webhooks", evt, no session_id)', async () => {
    await expectRefused(app.url, issuer.signWebhook(), 'not a Hanko session token');
  });

  it('a webhook token given a session_id by an attacker is still a webhook token', async () => {
    const webhook = claimsOf(issuer.signWebhook());
    await expectRefused(
      app.url,
      issuer.signPayload({ ...webhook, session_id: 'x', iss: 'https://auth.example.com' }),
      'not a Hanko session token',
    );
  });
});
