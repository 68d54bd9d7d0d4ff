import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { attackerRsaKey, signWith } from '../support/token.forge.js';

let issuer: HankoTestIssuer;
let attackerServer: Server;
let attackerHits = 0;
let attackerUrl: string;
const attacker = attackerRsaKey();
const attackerJwk = { ...attacker.publicKey.export({ format: 'jwk' }), kid: 'evil', alg: 'RS256', use: 'sig' };

beforeAll(async () => {
  issuer = await HankoTestIssuer.start();
  // The attacker's own key server: any request reaching it would mean we let a token choose its key URL.
  attackerServer = createServer((_req, res) => {
    attackerHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [attackerJwk] }));
  });
  await new Promise<void>((resolve) => attackerServer.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attackerServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  await issuer.close();
  await new Promise((resolve) => attackerServer.close(resolve));
});

describe.each(DOORS)('key injection over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(adapter, hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost', keys: { refetchCooldown: 0 } }), [
      ProtectedController,
    ]);
  });
  afterAll(() => app.app.close());
  const claims = () => issuer.sessionClaims();

  it('an embedded jwk header carrying the attacker’s key', async () => {
    await expectRefused(
      app.url,
      signWith({ alg: 'RS256', typ: 'JWT', jwk: attackerJwk }, claims(), attacker.privateKey),
      'unsupported token header',
    );
    // Even with a known kid beside it.
    await expectRefused(
      app.url,
      signWith({ alg: 'RS256', typ: 'JWT', kid: issuer.keys[0].kid, jwk: attackerJwk }, claims(), attacker.privateKey),
      'unsupported token header',
    );
  });

  it.each(['jku', 'x5u'])('a %s header pointing at the attacker’s server is never fetched', async (header) => {
    const before = attackerHits;
    await expectRefused(
      app.url,
      signWith({ alg: 'RS256', typ: 'JWT', kid: 'evil', [header]: attackerUrl }, claims(), attacker.privateKey),
      'unsupported token header',
    );
    expect(attackerHits).toBe(before);
  });

  it('an x5c certificate chain header', async () => {
    await expectRefused(
      app.url,
      signWith({ alg: 'RS256', typ: 'JWT', kid: 'evil', x5c: ['MIIB'] }, claims(), attacker.privateKey),
      'unsupported token header',
    );
  });

  it('the attacker’s key under an unknown kid: a refetch from apiUrl only, then 401', async () => {
    const before = attackerHits;
    await expectRefused(app.url, signWith({ alg: 'RS256', typ: 'JWT', kid: 'evil' }, claims(), attacker.privateKey), 'unknown signing key');
    expect(attackerHits).toBe(before);
  });

  it('a signature by another key under a known kid', async () => {
    await expectRefused(
      app.url,
      signWith({ alg: 'RS256', typ: 'JWT', kid: issuer.keys[0].kid }, claims(), attacker.privateKey),
      'invalid signature',
    );
  });
});
