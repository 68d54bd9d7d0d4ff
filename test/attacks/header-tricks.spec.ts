import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { DOORS, hankoAuth, startApp, type StartedApp } from '../support/app.factory.js';
import { expectRefused } from '../support/refusal.expect.js';
import { ProtectedController } from '../support/test.controllers.js';

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start();
});
afterAll(() => issuer.close());

describe.each(DOORS)('header tricks over %s through %s', (adapter, guard) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(adapter, hankoAuth(guard, { apiUrl: issuer.apiUrl, audience: 'localhost' }), [ProtectedController]);
  });
  afterAll(() => app.app.close());

  it('an unknown crit header (every crit is refused)', async () => {
    await expectRefused(app.url, issuer.sign({}, { header: { crit: ['exp-ext'], 'exp-ext': true } }), 'unsupported token header');
    await expectRefused(app.url, issuer.sign({}, { header: { crit: [] } }), 'unsupported token header');
  });

  it('b64: false (unencoded payload)', async () => {
    await expectRefused(app.url, issuer.sign({}, { header: { b64: false, crit: ['b64'] } }), 'unsupported token header');
    await expectRefused(app.url, issuer.sign({}, { header: { b64: false } }), 'unsupported token header');
  });

  it.each(['at+jwt', 'JWE', 'jwt+evil', 42])('typ %p', async (typ) => {
    await expectRefused(app.url, issuer.sign({}, { header: { typ } }), 'unsupported token type');
  });

  it('zip / enc headers of a JWE', async () => {
    await expectRefused(app.url, issuer.sign({}, { header: { zip: 'DEF' } }), 'unsupported token header');
    await expectRefused(app.url, issuer.sign({}, { header: { enc: 'A256GCM' } }), 'unsupported token header');
  });
});
