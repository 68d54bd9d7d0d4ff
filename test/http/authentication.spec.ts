import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { HankoAuthModule } from '../../src/index.js';
import { HankoStrategy } from '../../src/hanko.strategy.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { ExplicitlyGuardedController, ProtectedController, PublicController } from '../support/test.controllers.js';
import { hankoVectors } from '../support/vectors.js';
import { claimsOf } from '../support/token.forge.js';

const controllers = [ProtectedController, PublicController, ExplicitlyGuardedController];
let issuer: HankoTestIssuer;

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'] });
  // Hanko's own test key, so Hanko-minted vectors verify against our JWKS.
  await issuer.addKey({ kid: 'key1', privateKey: hankoVectors.key1PrivateJwk });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)('authentication over %s', (adapter) => {
  let started: StartedApp;
  let url: string;

  beforeAll(async () => {
    started = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', tokenCache: false })],
      controllers,
    );
    url = started.url;
  });
  afterAll(() => started.app.close());

  describe('without a token', () => {
    it('answers 401 with Nest’s JSON body and a bare Bearer challenge', async () => {
      const res = await call(url, '/protected');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="hanko"');
    });

    it('serves @Public() handlers and @Public() controllers with no user', async () => {
      expect((await call(url, '/public')).body).toEqual({ user: null });
      expect((await call(url, '/open')).body).toEqual({ user: null });
    });
  });

  describe('with a valid Hanko session token', () => {
    it('accepts it from the Authorization header, scheme in any case', async () => {
      const token = issuer.sign({ sub: 'b7a3c0de-1111-4222-8333-444455556666' });
      for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
        const res = await call(url, '/protected', { headers: { authorization: `${scheme} ${token}` } });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id: 'b7a3c0de-1111-4222-8333-444455556666' });
      }
    });

    it('accepts it from the hanko cookie among other cookies', async () => {
      const token = issuer.sign();
      const res = await call(url, '/protected', { cookie: `theme=dark; hanko=${token}; lang=en` });
      expect(res.status).toBe(200);
    });

    it('prefers the Authorization header over the cookie, like Hanko', async () => {
      const res = await call(url, '/protected', { token: issuer.sign(), cookie: 'hanko=garbage' });
      expect(res.status).toBe(200);
    });

    it('ignores another Authorization scheme and falls back to the cookie', async () => {
      const res = await call(url, '/protected', { headers: { authorization: 'Basic dXNlcjpwdw==' }, cookie: `hanko=${issuer.sign()}` });
      expect(res.status).toBe(200);
    });

    it('gives @CurrentUser() a typed HankoUser with every claim', async () => {
      const token = issuer.sign({
        sub: '9930ac89-1584-488c-bd63-1607f03ab1e8',
        session_id: '140f3967-ab87-4caa-80bd-603ac59c545f',
        amr: ['pwd', 'totp'],
        role: 'admin',
      });
      const res = await call<{ claims: Record<string, unknown> }>(url, '/me', { token });
      expect(res.status).toBe(200);
      const claims = claimsOf(token);
      expect(res.body).toEqual({
        id: '9930ac89-1584-488c-bd63-1607f03ab1e8',
        sessionId: '140f3967-ab87-4caa-80bd-603ac59c545f',
        email: { address: 'user@example.com', isPrimary: true, isVerified: true },
        username: 'johndoe',
        amr: ['pwd', 'totp'],
        issuedAt: new Date((claims.iat as number) * 1000).toISOString(),
        expiresAt: new Date((claims.exp as number) * 1000).toISOString(),
        claims,
      });
      expect(res.body.claims.role).toBe('admin');
    });

    it('gives one property with @CurrentUser("email"), undefined when Hanko sent no email', async () => {
      expect((await call<{ email: { address: string } }>(url, '/me/email', { token: issuer.sign() })).body.email.address).toBe(
        'user@example.com',
      );
      expect((await call(url, '/me/email', { token: issuer.sign({ email: undefined }) })).body).toEqual({ email: null });
    });

    it('normalises a single-string amr and a missing amr (admin-API tokens)', async () => {
      expect((await call<{ amr: string[] }>(url, '/me', { token: issuer.sign({ amr: 'security_key' }) })).body.amr).toEqual([
        'security_key',
      ]);
      expect((await call<{ amr: string[] }>(url, '/me', { token: issuer.sign({ amr: undefined }) })).body.amr).toEqual([]);
    });

    it('picks up the user on public routes (optional authentication)', async () => {
      const token = issuer.sign({ sub: 'aaaaaaaa-0000-4000-8000-000000000001' });
      expect((await call(url, '/public', { token })).body).toEqual({ user: 'aaaaaaaa-0000-4000-8000-000000000001' });
      expect((await call(url, '/open', { token })).body).toEqual({ user: 'aaaaaaaa-0000-4000-8000-000000000001' });
    });

    it('verifies once when @UseGuards(HankoGuard) stacks on the global guard', async () => {
      const validate = jest.spyOn(started.app.get(HankoStrategy), 'validate');
      const res = await call(url, '/guarded', { token: issuer.sign({ sub: 'cccccccc-0000-4000-8000-000000000003' }) });
      expect(res.body).toEqual({ id: 'cccccccc-0000-4000-8000-000000000003' });
      expect(validate).toHaveBeenCalledTimes(1);
      validate.mockRestore();
    });
  });

  describe('refusing tokens with 401 invalid_token and a fixed description', () => {
    const refused = async (token: string, description: string) => {
      const res = await call(url, '/protected', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="hanko", error="invalid_token", error_description="${description}"`);
      expect(res.body).toEqual({ statusCode: 401, message: description, error: 'Unauthorized' });
      expect(res.text).not.toContain(token);
    };
    const now = () => Math.floor(Date.now() / 1000);

    it('Hanko’s own expired session token (signed by Hanko’s key1)', () => refused(hankoVectors.expiredSessionToken, 'token expired'));
    it('Hanko’s own wrong-signature token', async () => {
      const res = await call(url, '/protected', { token: hankoVectors.wrongSignatureToken });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    });
    it('an expired token', () => refused(issuer.sign({ iat: now() - 7200, exp: now() - 3600 }), 'token expired'));
    it('a token without exp', () => refused(issuer.sign({ exp: undefined }), 'invalid time claims'));
    it('a token issued in the future', () => refused(issuer.sign({ iat: now() + 3600 }), 'token issued in the future'));
    it('a token for another audience', () => refused(issuer.sign({ aud: ['evil.example'] }), 'audience mismatch'));
    it('a token without aud', () => refused(issuer.sign({ aud: undefined }), 'audience mismatch'));
    it('a Hanko webhook token (same key, same aud, no session)', () => refused(issuer.signWebhook(), 'not a Hanko session token'));
    it('a token without session_id', () => refused(issuer.sign({ session_id: undefined }), 'not a Hanko session token'));
    it('a token with an empty sub', () => refused(issuer.sign({ sub: '' }), 'not a Hanko session token'));
    it('a token whose sub is not a string', () => refused(issuer.sign({ sub: 42 }), 'not a Hanko session token'));
    it('a Bearer header with two tokens', async () => {
      const res = await call(url, '/protected', { headers: { authorization: `Bearer ${issuer.sign()} ${issuer.sign()}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('error_description="malformed authorization header"');
    });
    it('an empty Bearer header', async () => {
      const res = await call(url, '/protected', { headers: { authorization: 'Bearer' } });
      expect(res.headers.get('www-authenticate')).toContain('error_description="malformed authorization header"');
    });

    it('ignores an invalid token on a public route', async () => {
      const res = await call(url, '/public', { token: issuer.sign({ exp: now() - 60, iat: now() - 120 }) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ user: null });
    });

    it('logs why at debug level, never the token', async () => {
      const token = issuer.sign({ aud: ['nope'] });
      await call(url, '/protected', { token });
      const log = started.logger.text();
      expect(log).toContain('Refused a token: audience mismatch');
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.split('.')[2]);
    });
  });
});
