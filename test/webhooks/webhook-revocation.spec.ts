import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoAuthModule } from '../../src/index.js';
import { deliverHankoWebhook, HankoTestIssuer, sessionOf } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';
import { claimsOf } from '../support/token.forge.js';

const now = () => Math.floor(Date.now() / 1000);

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)('instant revocation from webhooks over %s', (adapter) => {
  let app: StartedApp;
  let polling: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', webhooks: true })],
      [ProtectedController],
    );
    // Both sources at once: polling with a long cacheTtl, webhooks for the instant part.
    polling = await startApp(
      adapter,
      [
        HankoAuthModule.forRoot({
          apiUrl: issuer.apiUrl,
          audience: 'localhost',
          revocation: { cacheTtl: 300 },
          webhooks: { path: '/hooks/hanko' },
          // Two apps at once in one process: Passport's one strategy table needs a name for each.
          strategyName: 'hanko-polling',
        }),
      ],
      [ProtectedController],
    );
  });
  afterAll(async () => {
    await app.app.close();
    await polling.app.close();
  });

  it.each([
    'session.delete.explicit.logout',
    'session.delete.explicit.revoke',
    'session.delete.admin.revoke',
    'session.delete.passive.expire',
    'session.delete.passive.limit',
  ])('%s refuses that session at once, a cached token included, and no other session of the user', async (event) => {
    const token = issuer.sign();
    const sibling = issuer.sign({ sub: claimsOf(token).sub });
    expect((await call(app.url, '/protected', { token })).status).toBe(200); // now in the token cache
    const delivered = await deliverHankoWebhook(app.url, issuer, event, { ...sessionOf(token) });
    expect(delivered).toEqual({ status: 200, body: { status: 'accepted' } });
    const refused = await call(app.url, '/protected', { token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="hanko", error="invalid_token", error_description="session revoked"',
    );
    // Also through a new token of the same session (not in the cache).
    expect((await call(app.url, '/protected', { token: issuer.sign({ session_id: claimsOf(token).session_id }) })).status).toBe(401);
    expect((await call(app.url, '/protected', { token: sibling })).status).toBe(200);
  });

  it('user.delete refuses every session of that user issued up to the deletion, and nobody else', async () => {
    const userId = claimsOf(issuer.sign()).sub as string;
    const older = issuer.sign({ sub: userId, iat: now() - 600 });
    const atDeletion = issuer.sign({ sub: userId, iat: now() - 100 });
    const later = issuer.sign({ sub: userId, iat: now() });
    const stranger = issuer.sign();
    for (const token of [older, atDeletion, later, stranger]) expect((await call(app.url, '/protected', { token })).status).toBe(200);
    const delivered = await deliverHankoWebhook(app.url, issuer, 'user.delete', { id: userId }, { claims: { iat: now() - 100 } });
    expect(delivered.status).toBe(200);
    expect((await call(app.url, '/protected', { token: older })).status).toBe(401);
    expect((await call(app.url, '/protected', { token: atDeletion })).status).toBe(401);
    expect((await call(app.url, '/protected', { token: later })).status).toBe(200);
    expect((await call(app.url, '/protected', { token: stranger })).status).toBe(200);
  });

  it('events that end nothing (session.create, user.update, user.login) refuse nothing', async () => {
    const token = issuer.sign();
    const session = sessionOf(token);
    for (const event of ['session.create.flow', 'user.login', 'user.update.email.primary']) {
      const data = event.startsWith('session') ? { ...session } : { id: session.user_id };
      expect((await deliverHankoWebhook(app.url, issuer, event, data)).status).toBe(200);
    }
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
  });

  it('works alongside revocation polling: a session polling still holds as alive is refused at once', async () => {
    const token = issuer.sign();
    expect((await call(polling.url, '/protected', { token })).status).toBe(200); // alive for 300 s in the poll cache
    issuer.revokeSession(claimsOf(token).session_id as string);
    expect((await call(polling.url, '/protected', { token })).status).toBe(200);
    expect(
      (await deliverHankoWebhook(polling.url, issuer, 'session.delete.explicit.logout', { ...sessionOf(token) }, { path: '/hooks/hanko' }))
        .status,
    ).toBe(200);
    expect((await call(polling.url, '/protected', { token })).status).toBe(401);
  });

  it('the receiver needs no session and is not behind the global guard', async () => {
    const token = issuer.sign();
    const answer = await deliverHankoWebhook(app.url, issuer, 'user.login', { id: claimsOf(token).sub });
    expect(answer.status).toBe(200);
  });
});
