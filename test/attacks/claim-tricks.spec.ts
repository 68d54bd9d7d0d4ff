import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get } from '@nestjs/common';
import { CurrentUser, type HankoUser } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, call, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { claimsOf } from '../support/token.forge.js';

/** What app code commonly does with claims: copy them into fresh objects, then read what the copies inherit. */
@Controller('copy')
class ClaimsCopyController {
  @Get()
  copy(@CurrentUser() user: HankoUser<{ profile: { tags: Array<Record<string, unknown>> } }>) {
    const top = Object.assign({}, user.claims) as Record<string, unknown>;
    const profile = Object.assign({}, user.claims.profile) as Record<string, unknown>;
    const tag = Object.assign({}, user.claims.profile.tags[0]);
    return {
      isAdmin: top.isAdmin ?? null,
      profileIsAdmin: profile.isAdmin ?? null,
      tagIsAdmin: tag.isAdmin ?? null,
      prototypesIntact: [top, profile, tag].every((o) => Object.getPrototypeOf(o) === Object.prototype),
      ownKeys: [user.claims, user.claims.profile, user.claims.profile.tags[0]].flatMap((o) =>
        ['__proto__', 'constructor', 'prototype'].filter((k) => Object.hasOwn(o, k)),
      ),
      role: (user.claims as Record<string, unknown>).role,
    };
  }
}

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
      [ProtectedController, ClaimsCopyController],
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

  it('drops own __proto__ / constructor / prototype keys at every depth, so copying the claims poisons nothing', async () => {
    const claims = JSON.stringify(issuer.sessionClaims({ iss: 'https://auth.example.com', role: 'user' })).slice(0, -1);
    // JSON.parse makes each "__proto__" an own property; a JSON.stringify of an object cannot write one.
    const poisoned =
      `${claims},"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},` +
      `"profile":{"__proto__":{"isAdmin":true},"tags":[{"__proto__":{"isAdmin":true},"name":"a"}]}}`;
    const res = await call(app.url, '/copy', { token: issuer.signPayload(poisoned) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ isAdmin: null, profileIsAdmin: null, tagIsAdmin: null, prototypesIntact: true, ownKeys: [], role: 'user' });
  });
});
