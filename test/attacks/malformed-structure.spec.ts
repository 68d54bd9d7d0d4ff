import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';
import { b64 } from '../support/token.forge.js';

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start();
});
afterAll(() => issuer.close());

describe.each(DOORS)('malformed tokens over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(adapter, hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost' }), [ProtectedController]);
  });
  afterAll(() => app.app.close());

  const good = () => issuer.sign();
  const parts = () => good().split('.');
  const header = () => parts()[0];

  const cases: Array<[string, () => string]> = [
    ['signature stripped (trailing dot kept)', () => `${parts()[0]}.${parts()[1]}.`],
    ['two segments', () => `${parts()[0]}.${parts()[1]}`],
    ['four segments', () => `${good()}.AAAA`],
    [
      'a JWE (five parts)',
      () => `${b64(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: issuer.keys[0].kid }))}.AAAA.AAAA.AAAA.AAAA`,
    ],
    ['a nested JWT as payload', () => `${header()}.${b64(good())}.${parts()[2]}`],
    ['a non-JSON header', () => `${b64('not json')}.${parts()[1]}.${parts()[2]}`],
    ['a non-JSON payload', () => `${header()}.${b64('{"sub":')}.${parts()[2]}`],
    ['a payload that is a JSON array', () => issuer.signPayload('["sub","x"]')],
    ['a payload that is a JSON string', () => issuer.signPayload('"hello"')],
    ['a payload that is null', () => issuer.signPayload('null')],
    ['a header that is a JSON array', () => `${b64('["RS256"]')}.${parts()[1]}.${parts()[2]}`],
    [
      'base64 padding',
      () =>
        parts()
          .map((x) => `${x}==`)
          .join('.'),
    ],
    [
      'standard base64 "+" and "/"',
      () => {
        const [a, b, c] = parts();
        return `${a}.${b}.${c.replace(/-/g, '+').replace(/_/g, '/')}+/`;
      },
    ],
    [
      'a space inside the token',
      () => {
        const t = good();
        return `${t.slice(0, 20)} ${t.slice(20)}`;
      },
    ],
    [
      'a base64url segment of impossible length',
      () => {
        const [a, b, c] = parts();
        let d = c;
        while (d.length % 4 !== 1) d += 'A';
        return `${a}.${b}.${d}`;
      },
    ],
    ['empty segments', () => '..'],
    ['just dots and garbage', () => '....'],
  ];
  it.each(cases)('%s', async (_name, make) => {
    await expectRefused(app.url, make());
  });

  it('a token whose payload was changed after signing', async () => {
    const [a, , c] = parts();
    await expectRefused(app.url, `${a}.${b64(JSON.stringify(issuer.sessionClaims({ sub: 'admin' })))}.${c}`, 'invalid signature');
  });

  it('a truncated signature', async () => {
    const [a, b, c] = parts();
    await expectRefused(app.url, `${a}.${b}.${c.slice(0, 40)}`, 'invalid signature');
  });
});
