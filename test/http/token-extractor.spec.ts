import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { HankoAuthModule, HankoConfigurationError, HankoTokenExtractor, type HankoTokenCarrier } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';

/** What an app might need: the token in a header of its own (a gateway forwarding it), then the usual places. */
@Injectable()
class SessionHeaderExtractor extends HankoTokenExtractor {
  protected override fromAuthorization(request: HankoTokenCarrier): string | undefined {
    const header = request.headers?.['x-session-token'];
    return typeof header === 'string' ? header : super.fromAuthorization(request);
  }
}

@Module({})
class SettingsModule {}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

const variants = [
  ['forRoot', () => HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', tokenExtractor: SessionHeaderExtractor })],
  [
    'forRootAsync',
    () =>
      HankoAuthModule.forRootAsync({
        imports: [SettingsModule],
        useFactory: () => ({ apiUrl: issuer.apiUrl, audience: 'localhost' }),
        tokenExtractor: SessionHeaderExtractor,
      }),
  ],
] as const;

describe.each(ADAPTERS)('a custom token extractor over %s', (adapter) => {
  describe.each(variants)('given to %s', (_name, hankoModule) => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await startApp(adapter, [hankoModule()], [ProtectedController]);
    });
    afterAll(() => app.app.close());

    it('is the one the module uses: a token in X-Session-Token authenticates', async () => {
      expect(app.app.get(HankoTokenExtractor)).toBeInstanceOf(SessionHeaderExtractor);
      const res = await call(app.url, '/protected', {
        headers: { 'x-session-token': issuer.sign({ sub: 'e0e0e0e0-0000-4000-8000-000000000001' }) },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: 'e0e0e0e0-0000-4000-8000-000000000001' });
    });

    it('keeps every check behind it: a bad token there is refused, the usual places still work', async () => {
      const refused = await call(app.url, '/protected', { headers: { 'x-session-token': issuer.sign({ aud: ['elsewhere'] }) } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error_description="audience mismatch"');
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
      expect((await call(app.url, '/protected', { cookie: `hanko=${issuer.sign()}` })).status).toBe(200);
    });
  });
});

describe('tokenExtractor validation (when the module is declared)', () => {
  it.each([
    ['a class that does not extend HankoTokenExtractor', class NotAnExtractor {}],
    ['HankoTokenExtractor itself is fine', HankoTokenExtractor],
    ['a plain object', { extract: () => undefined }],
  ])('%s', (_name, value) => {
    const declare = () => HankoAuthModule.forRoot({ apiUrl: 'https://hanko.example.com', audience: 'x', tokenExtractor: value as never });
    if (value === HankoTokenExtractor) expect(declare).not.toThrow();
    else expect(declare).toThrow(new HankoConfigurationError('tokenExtractor', 'must be a class that extends HankoTokenExtractor'));
  });
});
