import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import { HankoAuthModule, HankoGuard, type HankoAuthOptions } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp } from '../support/app.factory.js';
import { ExplicitlyGuardedController, ProtectedController, PublicController } from '../support/test.controllers.js';

const controllers = [ProtectedController, PublicController, ExplicitlyGuardedController];
let issuer: HankoTestIssuer;
let tenant: HankoTestIssuer;

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['app.example.com'], issuer: 'https://auth.example.com', modulusLength: 2048 });
  tenant = await HankoTestIssuer.start({ pathPrefix: '/2f7c1a0e-tenant', modulusLength: 2048 });
});
afterAll(async () => {
  await issuer.close();
  await tenant.close();
});

describe.each(ADAPTERS)('module configuration over %s', (adapter) => {
  it('forRootAsync with @nestjs/config (useFactory + inject)', async () => {
    const { app, url } = await startApp(
      adapter,
      [
        await ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [() => ({ HANKO_API_URL: issuer.apiUrl, HANKO_AUDIENCE: 'app.example.com' })],
        }),
        HankoAuthModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            apiUrl: config.getOrThrow<string>('HANKO_API_URL'),
            audience: config.getOrThrow<string>('HANKO_AUDIENCE'),
          }),
        }),
      ],
      controllers,
    );
    expect((await call(url, '/protected', { token: issuer.sign() })).status).toBe(200);
    expect((await call(url, '/protected')).status).toBe(401);
    await app.close();
  });

  it('forRootAsync with useClass and with useExisting', async () => {
    @Injectable()
    class HankoOptionsFactory {
      createHankoAuthOptions(): HankoAuthOptions {
        return { apiUrl: `${issuer.apiUrl}/`, audience: ['other', 'app.example.com'] };
      }
    }
    @Module({ providers: [HankoOptionsFactory], exports: [HankoOptionsFactory] })
    class OptionsModule {}

    for (const variant of [
      HankoAuthModule.forRootAsync({ useClass: HankoOptionsFactory }),
      HankoAuthModule.forRootAsync({ imports: [OptionsModule], useExisting: HankoOptionsFactory }),
    ]) {
      const { app, url } = await startApp(adapter, [variant], controllers);
      expect((await call(url, '/protected', { token: issuer.sign() })).status).toBe(200);
      await app.close();
    }
  });

  it('checks iss when issuer is configured', async () => {
    const { app, url } = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', issuer: 'https://auth.example.com' })],
      controllers,
    );
    expect((await call(url, '/protected', { token: issuer.sign() })).status).toBe(200);
    const wrong = await call(url, '/protected', { token: issuer.sign({ iss: 'https://evil.example.com' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error_description="issuer mismatch"');
    expect((await call(url, '/protected', { token: issuer.sign({ iss: undefined }) })).status).toBe(401);
    await app.close();
  });

  it('keeps a tenant path prefix in the JWKS URL', async () => {
    const { app, url } = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: `${tenant.apiUrl}/`, audience: 'localhost' })],
      controllers,
    );
    expect((await call(url, '/protected', { token: tenant.sign() })).status).toBe(200);
    expect(tenant.jwksRequests).toBeGreaterThan(0);
    await app.close();
  });

  it('uses a custom cookie name, and no cookie at all with cookieName: false', async () => {
    const custom = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', cookieName: 'sid' })],
      controllers,
    );
    expect((await call(custom.url, '/protected', { cookie: `sid=${issuer.sign()}` })).status).toBe(200);
    expect((await call(custom.url, '/protected', { cookie: `hanko=${issuer.sign()}` })).status).toBe(401);
    await custom.app.close();
    const none = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', cookieName: false })],
      controllers,
    );
    expect((await call(none.url, '/protected', { cookie: `hanko=${issuer.sign()}` })).status).toBe(401);
    expect((await call(none.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    await none.app.close();
  });

  it('with globalGuard: false protects only @UseGuards(HankoGuard) routes', async () => {
    const { app, url } = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', globalGuard: false })],
      controllers,
    );
    expect((await call(url, '/public')).status).toBe(200);
    expect((await call(url, '/guarded')).status).toBe(401);
    expect((await call(url, '/guarded', { token: issuer.sign({ sub: 'dddddddd-0000-4000-8000-000000000004' }) })).body).toEqual({
      id: 'dddddddd-0000-4000-8000-000000000004',
    });
    await app.close();
  });
});

describe('bootstrap fails on bad options, naming the option', () => {
  const boot = async (options: unknown, extras: Record<string, unknown> = {}) => {
    const moduleRef = await Test.createTestingModule({
      imports: [HankoAuthModule.forRoot({ ...(options as HankoAuthOptions), ...extras })],
    }).compile();
    await moduleRef.close();
  };
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'missing apiUrl',
      { audience: 'x' },
      /HankoAuthModule: apiUrl is required \(the Hanko API URL, e\.g\. https:\/\/<project>\.hanko\.io\)/,
    ],
    ['apiUrl not a URL', { apiUrl: 'hanko.io', audience: 'x' }, /apiUrl is not a valid URL/],
    ['plain http to a remote host', { apiUrl: 'http://hanko.example.com', audience: 'x' }, /apiUrl must use https:/],
    ['another scheme', { apiUrl: 'ftp://hanko.example.com', audience: 'x' }, /apiUrl must use https:/],
    ['a query in apiUrl', { apiUrl: 'https://h.example.com/?a=1', audience: 'x' }, /apiUrl must not contain a query/],
    ['missing audience', { apiUrl: 'https://p.hanko.io' }, /audience is required/],
    ['empty audience list', { apiUrl: 'https://p.hanko.io', audience: [] }, /audience must be a non-empty string/],
    ['issuer of the wrong type', { apiUrl: 'https://p.hanko.io', audience: 'x', issuer: 5 }, /issuer must be/],
    ['bad cookie name', { apiUrl: 'https://p.hanko.io', audience: 'x', cookieName: 'a b' }, /cookieName must be/],
    ['negative clockTolerance', { apiUrl: 'https://p.hanko.io', audience: 'x', clockTolerance: -1 }, /clockTolerance must be/],
    [
      'keys.fetchTimeout as a string',
      { apiUrl: 'https://p.hanko.io', audience: 'x', keys: { fetchTimeout: '5' } },
      /keys\.fetchTimeout must be/,
    ],
    [
      'tokenCache.maxEntries zero',
      { apiUrl: 'https://p.hanko.io', audience: 'x', tokenCache: { maxEntries: 0 } },
      /tokenCache\.maxEntries must be/,
    ],
    ['a misspelt option', { apiUrl: 'https://p.hanko.io', audiences: 'x', audience: 'x' }, /HankoAuthModule: audiences is not an option/],
    [
      'a misspelt nested option',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { cacheTTL: 5 } },
      /revocation\.cacheTTL is not an option/,
    ],
    ['keys.ca that is not PEM text', { apiUrl: 'https://p.hanko.io', audience: 'x', keys: { ca: 123 } }, /keys\.ca must be PEM text/],
    [
      'an http.Agent for an https: apiUrl',
      { apiUrl: 'https://p.hanko.io', audience: 'x', keys: { agent: new http.Agent({ keepAlive: true }) } },
      /keys\.agent must be an https\.Agent/,
    ],
    [
      'keys.cacheMaxAge below the 1 s refresh floor',
      { apiUrl: 'https://p.hanko.io', audience: 'x', keys: { cacheMaxAge: 0.5 } },
      /keys\.cacheMaxAge must be a number of seconds between 1 and/,
    ],
    [
      'sharedCache without a sharedSecret',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { sharedCache: true } },
      /revocation\.sharedSecret is required with sharedCache/,
    ],
    [
      'a sharedSecret shorter than 32 bytes',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { sharedCache: true, sharedSecret: 'x'.repeat(31) } },
      /revocation\.sharedSecret must be a string or Buffer of at least 32 bytes/,
    ],
    [
      'a sharedSecret that is not a string or Buffer',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { sharedCache: true, sharedSecret: 12345 } },
      /revocation\.sharedSecret must be a string or Buffer/,
    ],
    [
      'a sharedSecret without sharedCache',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { sharedSecret: 'x'.repeat(32) } },
      /revocation\.sharedSecret is only used with sharedCache/,
    ],
    [
      'revocation.maxConcurrentCalls zero',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { maxConcurrentCalls: 0 } },
      /revocation\.maxConcurrentCalls must be an integer/,
    ],
    [
      'revocation.probeInterval zero',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { probeInterval: 0 } },
      /revocation\.probeInterval must be a number of seconds/,
    ],
    [
      'sharedCache with cacheTtl 0',
      { apiUrl: 'https://p.hanko.io', audience: 'x', revocation: { sharedCache: true, cacheTtl: 0, sharedSecret: 'x'.repeat(32) } },
      /revocation\.cacheTtl must be above 0 with sharedCache/,
    ],
  ];
  it.each(cases)('%s', async (_name, options, message) => {
    await expect(boot(options)).rejects.toThrow(message);
  });

  it('globalGuard that is not a boolean', () => {
    expect(() =>
      HankoAuthModule.forRoot({ apiUrl: 'https://p.hanko.io', audience: 'x', globalGuard: 'yes' as unknown as boolean }),
    ).toThrow(/globalGuard must be true or false/);
  });

  it('accepts http: only for loopback hosts', async () => {
    for (const apiUrl of ['http://localhost:8000', 'http://127.0.0.1:8000', 'http://127.5.0.1', 'http://[::1]:8000']) {
      await expect(boot({ apiUrl, audience: 'x', keys: { prefetch: false } })).resolves.toBeUndefined();
    }
  });
});

describe('contexts the guard cannot read yet', () => {
  it('refuses a non-public handler instead of failing open', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', keys: { prefetch: false } })],
    }).compile();
    const guard = moduleRef.get(HankoGuard);
    class RpcController {
      handle(this: void) {}
    }
    const context = new ExecutionContextHost([{ data: 1 }, {}], RpcController, RpcController.prototype.handle);
    context.setType('rpc');
    await expect(guard.canActivate(context)).rejects.toThrow('Unauthorized');
    await moduleRef.close();
  });

  it('refuses a GraphQL resolver whose context carries no request (e.g. a graphql-ws subscription)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', keys: { prefetch: false } })],
    }).compile();
    const guard = moduleRef.get(HankoGuard);
    class Resolver {
      field(this: void) {}
    }
    const context = new ExecutionContextHost(
      [{}, {}, { connectionParams: { authorization: 'Bearer x' } }, {}],
      Resolver,
      Resolver.prototype.field,
    );
    context.setType('graphql');
    await expect(guard.canActivate(context)).rejects.toThrow('Unauthorized');
    await moduleRef.close();
  });
});
