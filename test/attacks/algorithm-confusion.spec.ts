import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, constants } from 'node:crypto';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { expectNoToken, expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { forge, hs256, signWith } from '../support/token.forge.js';

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start();
});
afterAll(() => issuer.close());

describe.each(DOORS)('algorithm attacks over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  const used: string[] = [];
  beforeAll(async () => {
    app = await startApp(adapter, hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost' }), [ProtectedController]);
  });
  afterAll(async () => {
    expectNoToken(app.logger.text(), ...used);
    await app.app.close();
  });
  const refused = (token: string, description: string) => {
    used.push(token);
    return expectRefused(app.url, token, description);
  };
  const kid = () => issuer.keys[0].kid;

  it.each(['none', 'None', 'NONE', 'nOnE'])('alg "%s" with the signature stripped or kept', async (alg) => {
    const payload = issuer.sessionClaims();
    await refused(forge({ alg, kid: kid(), typ: 'JWT' }, payload, ''), 'malformed token');
    await refused(forge({ alg, kid: kid(), typ: 'JWT' }, payload, 'AAAA'), 'unsupported algorithm');
  });

  it('HS256 signed with the RSA public key as PEM text (key confusion)', async () => {
    const pem = createPublicKey(issuer.keys[0].privateKey).export({ type: 'spki', format: 'pem' }) as string;
    await refused(hs256({ alg: 'HS256', kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), pem), 'unsupported algorithm');
    await refused(hs256({ alg: 'HS256', kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), pem.trim()), 'unsupported algorithm');
  });

  it('HS256 signed with the published JWK text as the secret', async () => {
    const jwkText = JSON.stringify(issuer.keys[0].publicJwk);
    await refused(hs256({ alg: 'HS256', kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), jwkText), 'unsupported algorithm');
  });

  it('PS256 with Hanko’s own RSA key (valid signature, wrong algorithm)', async () => {
    const token = signWith({ alg: 'PS256', kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), issuer.keys[0].privateKey, 'sha256', {
      padding: constants.RSA_PKCS1_PSS_PADDING,
    });
    await refused(token, 'unsupported algorithm');
  });

  it('RS512 with Hanko’s own RSA key', async () => {
    await refused(
      signWith({ alg: 'RS512', kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), issuer.keys[0].privateKey, 'sha512'),
      'unsupported algorithm',
    );
  });

  it('ES256 with an attacker’s EC key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await refused(
      signWith({ alg: 'ES256', kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), privateKey, 'sha256', { dsaEncoding: 'ieee-p1363' }),
      'unsupported algorithm',
    );
  });

  it('alg missing, or not a string', async () => {
    await refused(forge({ kid: kid(), typ: 'JWT' }, issuer.sessionClaims(), 'AAAA'), 'unsupported algorithm');
    await refused(forge({ alg: ['RS256'], kid: kid() }, issuer.sessionClaims(), 'AAAA'), 'unsupported algorithm');
  });
});
