import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoAuthModule } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { rawGet } from '../support/raw-http.js';
import { ProtectedController } from '../support/test.controllers.js';

const challenge = (description: string) => `Bearer realm="hanko", error="invalid_token", error_description="${description}"`;
const now = () => Math.floor(Date.now() / 1000);

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)('ambiguous credentials over %s', (adapter) => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(adapter, [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })], [ProtectedController]);
  });
  afterAll(() => app.app.close());

  describe('several Authorization headers (Node keeps only the first in req.headers)', () => {
    it('are refused, even when the first one is valid', async () => {
      const victim = issuer.sign({ sub: 'a0a0a0a0-0000-4000-8000-000000000001' });
      const res = await rawGet(app.url, '/protected', [
        ['Authorization', `Bearer ${victim}`],
        ['Authorization', `Bearer ${issuer.sign()}`],
      ]);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(challenge('several authorization headers'));
    });

    it('are refused when identical too (Authorization is no list header), in any spelling of the name', async () => {
      const token = issuer.sign();
      const res = await rawGet(app.url, '/protected', [
        ['Authorization', `Bearer ${token}`],
        ['authorization', `Bearer ${token}`],
      ]);
      expect(res.headers['www-authenticate']).toBe(challenge('several authorization headers'));
    });

    it('one header over the same raw path is fine', async () => {
      expect((await rawGet(app.url, '/protected', [['Authorization', `Bearer ${issuer.sign()}`]])).status).toBe(200);
    });
  });

  describe('several hanko cookies', () => {
    it('with distinct values are refused with their own reason (a planted cookie must not win silently)', async () => {
      const planted = issuer.sign({ sub: 'a77ac4e2-0000-4000-8000-000000000001' });
      const res = await call(app.url, '/protected', { cookie: `hanko=${planted}; theme=dark; hanko=${issuer.sign()}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(challenge('several session cookies'));
      expect(res.body).toEqual({ statusCode: 401, message: 'several session cookies', error: 'Unauthorized' });
    });

    it('in two Cookie headers are refused too', async () => {
      const res = await rawGet(app.url, '/protected', [
        ['Cookie', `hanko=${issuer.sign()}`],
        ['Cookie', `hanko=${issuer.sign()}`],
      ]);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(challenge('several session cookies'));
    });

    it('with identical values (or quoted and unquoted) pass', async () => {
      const token = issuer.sign();
      expect((await call(app.url, '/protected', { cookie: `hanko=${token}; hanko="${token}"` })).status).toBe(200);
    });

    it('are not looked at when the Authorization header carries the token', async () => {
      const res = await call(app.url, '/protected', { token: issuer.sign(), cookie: `hanko=${issuer.sign()}; hanko=${issuer.sign()}` });
      expect(res.status).toBe(200);
    });
  });

  describe('a Bearer header that carries no token, next to the cookie', () => {
    it.each(['Bearer null', 'Bearer undefined', 'Bearer ', 'Bearer [object Object]'])(
      '%p falls back to the cookie, as in Hanko',
      async (header) => {
        const token = issuer.sign({ sub: 'b0b0b0b0-0000-4000-8000-000000000002' });
        const res = await call(app.url, '/protected', { headers: { authorization: header }, cookie: `hanko=${token}` });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: 'b0b0b0b0-0000-4000-8000-000000000002' });
      },
    );

    it('without a cookie is still refused with the header’s reason', async () => {
      const nullToken = await call(app.url, '/protected', { headers: { authorization: 'Bearer null' } });
      expect(nullToken.headers.get('www-authenticate')).toBe(challenge('malformed token'));
      const empty = await call(app.url, '/protected', { headers: { authorization: 'Bearer ' } });
      expect(empty.headers.get('www-authenticate')).toBe(challenge('malformed authorization header'));
    });

    it('a JWT in the header is the credential: its verdict stands, the cookie is not a second chance', async () => {
      const expired = issuer.sign({ iat: now() - 7200, exp: now() - 3600 });
      const res = await call(app.url, '/protected', { token: expired, cookie: `hanko=${issuer.sign()}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(challenge('token expired'));
    });
  });
});
