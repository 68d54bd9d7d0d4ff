import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { HankoAuthModule, HankoTokenExtractor } from '../../src/index.js';
import { HankoAuthenticator, type HankoOutcome } from '../../src/hanko.authenticator.js';
import { HankoTokenRefusal } from '../../src/errors/hanko-refusal.reason.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { bootGuard } from '../support/app.factory.js';

/**
 * An app may hand either door the same request object many times: `AuthGuard('hanko')` with
 * `getRequest() { return client.handshake }` (socket.io keeps one handshake per connection), or a
 * GraphQL subscription context whose `req` lives as long as the socket. What the authenticator keeps
 * on such an object must stay true, whichever guard asks.
 */
let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = async (outcome: HankoOutcome | Promise<HankoOutcome>) => await outcome;

describe('an outcome kept on a long-lived request object', () => {
  let moduleRef: TestingModule;
  let authenticator: HankoAuthenticator;
  beforeAll(async () => {
    ({ moduleRef } = await bootGuard([
      HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', clockTolerance: 0, revocation: { cacheTtl: 1 } }),
    ]));
    authenticator = moduleRef.get(HankoAuthenticator);
  });
  afterAll(() => moduleRef.close());

  it('does not outlive the token: asked again after exp, the same object is refused as expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const handshake = { headers: { authorization: `Bearer ${issuer.sign({ iat: now, exp: now + 2 })}` } };
    expect((await settle(authenticator.authenticate(handshake))).user).toBeDefined();
    await sleep((now + 3) * 1000 - Date.now());
    const later = await settle(authenticator.authenticate(handshake));
    expect(later.user).toBeUndefined();
    expect(later.failure).toEqual(new HankoTokenRefusal('token expired'));
  });

  it('does not outlive the revocation answer: after cacheTtl a session Hanko ended is refused', async () => {
    const sessionId = '5e55a1d0-0000-4000-8000-00000000c0de';
    const handshake = { headers: { authorization: `Bearer ${issuer.sign({ session_id: sessionId })}` } };
    expect((await settle(authenticator.authenticate(handshake))).user).toBeDefined();
    issuer.revokeSession(sessionId);
    await sleep(1_200);
    const later = await settle(authenticator.authenticate(handshake));
    expect(later.failure).toEqual(new HankoTokenRefusal('session revoked'));
  });
});

describe('a WebSocket handshake built by the app (not by our handshake helper)', () => {
  let moduleRef: TestingModule;
  let extractor: HankoTokenExtractor;
  beforeAll(async () => {
    ({ moduleRef } = await bootGuard([HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })]));
    extractor = moduleRef.get(HankoTokenExtractor);
  });
  afterAll(() => moduleRef.close());

  const cookieHandshake = (origin: string, upgrade: Record<string, string>) => ({
    headers: { cookie: 'hanko=a.b.c', host: 'app.example.com', origin, ...upgrade },
  });

  it.each([
    ['Upgrade: websocket', { upgrade: 'websocket', connection: 'Upgrade' }],
    ['Sec-WebSocket-Key', { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }],
  ])('refuses its cookie from another origin (%s marks it as a handshake)', (_name, upgrade) => {
    expect(() => extractor.extract(cookieHandshake('https://evil.example', upgrade))).toThrow(new HankoTokenRefusal('origin not allowed'));
    expect(extractor.extract(cookieHandshake('https://app.example.com', upgrade))).toBe('a.b.c');
  });

  it('leaves ordinary cross-origin HTTP requests to the app (CORS and SameSite decide there)', () => {
    expect(extractor.extract(cookieHandshake('https://evil.example', {}))).toBe('a.b.c');
  });
});
