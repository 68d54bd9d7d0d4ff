import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { HankoAuthModule, OnHankoEvent, type HankoEvent } from '../../src/index.js';
import { deliverHankoWebhook, HankoTestIssuer, sessionOf, signHankoWebhook } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { expectNoLeak } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { attackerRsaKey, claimsOf, forge, signWith } from '../support/token.forge.js';

const now = () => Math.floor(Date.now() / 1000);
const received: string[] = [];

@Injectable()
class Recorder {
  @OnHankoEvent('session', 'user')
  record(event: HankoEvent) {
    received.push(event.event);
  }
}

@Module({ providers: [Recorder] })
class RecorderModule {}

let issuer: HankoTestIssuer;
let stranger: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  // Same shape, same audience, its own key: what a forger holding no Hanko key can produce.
  stranger = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(async () => {
  await issuer.close();
  await stranger.close();
});

/** A raw POST to the receiver: any content type, any body text. */
async function post(url: string, body: string, contentType = 'application/json') {
  const response = await fetch(`${url}/hanko/webhooks`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, text: await response.text() };
}

describe.each(ADAPTERS)('hostile webhook deliveries over %s', (adapter) => {
  let app: StartedApp;
  let victim: string;
  let logout: () => Record<string, unknown>;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', webhooks: { maxBodyBytes: 4096 } }), RecorderModule],
      [ProtectedController],
    );
  });
  afterAll(() => app.app.close());

  beforeAll(() => {
    victim = issuer.sign();
    logout = () => ({ ...sessionOf(victim) });
  });

  /** After every refusal: nothing changed (the session works, no handler ran) and nothing leaked. */
  async function expectNothingChanged(answer: { status: number; text?: string; body?: unknown }, status: number, token?: string) {
    expect(answer.status).toBe(status);
    const text = answer.text ?? JSON.stringify(answer.body);
    if (token !== undefined) expectNoLeak(text, token);
    expect((await call(app.url, '/protected', { token: victim })).status).toBe(200);
    expect(received).toEqual([]);
  }

  it('refuses a session token posted as a delivery (401)', async () => {
    const token = issuer.sign({ sub: claimsOf(victim).sub });
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'user.delete', {}, { token }), 401, token);
  });

  it('refuses a delivery signed with a key Hanko never published (401)', async () => {
    const token = signHankoWebhook(stranger, 'session.delete.explicit.logout', logout());
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'session.delete.explicit.logout', {}, { token }), 401, token);
  });

  it('refuses a delivery signed by an attacker under Hanko kid (401)', async () => {
    const payload = {
      sub: 'hanko webhooks',
      evt: 'user.delete',
      data: { id: claimsOf(victim).sub },
      aud: ['localhost'],
      iat: now(),
      exp: now() + 300,
    };
    const token = signWith({ alg: 'RS256', kid: issuer.keys[0].kid, typ: 'JWT' }, payload, attackerRsaKey().privateKey);
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'user.delete', {}, { token }), 401, token);
  });

  it('refuses an unsigned (alg none) delivery (401)', async () => {
    const payload = {
      sub: 'hanko webhooks',
      evt: 'user.delete',
      data: { id: claimsOf(victim).sub },
      aud: ['localhost'],
      iat: now(),
      exp: now() + 300,
    };
    const none = forge({ alg: 'none', typ: 'JWT' }, payload);
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'user.delete', {}, { token: none }), 401);
  });

  it('refuses an expired delivery (401) and one for another audience (401)', async () => {
    const expired = signHankoWebhook(issuer, 'session.delete.explicit.logout', logout(), {
      claims: { iat: now() - 1000, exp: now() - 600 },
    });
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'session.delete.explicit.logout', {}, { token: expired }), 401);
    const elsewhere = signHankoWebhook(issuer, 'session.delete.explicit.logout', logout(), { claims: { aud: ['other.example'] } });
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'session.delete.explicit.logout', {}, { token: elsewhere }), 401);
  });

  it('refuses a token whose evt differs from the body event (400), and a token without evt (401)', async () => {
    const answer = await deliverHankoWebhook(app.url, issuer, 'user.create', logout(), { bodyEvent: 'session.delete.explicit.logout' });
    await expectNothingChanged(answer, 400);
    const noEvt = signHankoWebhook(issuer, 'x', logout(), { claims: { evt: undefined } });
    await expectNothingChanged(await deliverHankoWebhook(app.url, issuer, 'session.delete.explicit.logout', {}, { token: noEvt }), 401);
  });

  it('refuses a wrong content type (415), malformed JSON (400), a body of the wrong shape (400)', async () => {
    const token = signHankoWebhook(issuer, 'session.delete.explicit.logout', logout());
    const body = JSON.stringify({ token, event: 'session.delete.explicit.logout' });
    await expectNothingChanged(await post(app.url, body, 'text/plain'), 415, token);
    await expectNothingChanged(
      await post(app.url, new URLSearchParams({ token, event: 'x' }).toString(), 'application/x-www-form-urlencoded'),
      415,
    );
    expect((await post(app.url, '{"token": ')).status).toBe(400);
    await expectNothingChanged(await post(app.url, '[1,2]'), 400);
    await expectNothingChanged(await post(app.url, JSON.stringify({ token: 42, event: 'user.delete' })), 400);
    await expectNothingChanged(await post(app.url, JSON.stringify({ token, event: 'Session Delete' })), 400);
  });

  it('refuses an oversized body (413) before looking at it', async () => {
    const token = signHankoWebhook(issuer, 'session.delete.explicit.logout', { ...logout(), padding: 'x'.repeat(5000) });
    await expectNothingChanged(await post(app.url, JSON.stringify({ token, event: 'session.delete.explicit.logout' })), 413);
  });

  it('answers a replay 200 without acting on it twice', async () => {
    const token = signHankoWebhook(issuer, 'user.create', { id: 'a5b9a0a4-1b9e-4c32-9b6b-0c6f4d8b1e21' });
    expect(await deliverHankoWebhook(app.url, issuer, 'user.create', {}, { token })).toEqual({ status: 200, body: { status: 'accepted' } });
    expect(await deliverHankoWebhook(app.url, issuer, 'user.create', {}, { token })).toEqual({
      status: 200,
      body: { status: 'duplicate' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual(['user.create']);
    received.length = 0;
  });

  it('logs refusals without the token', () => {
    for (const line of app.lines()) expect(line.message).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
