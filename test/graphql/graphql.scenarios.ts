import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Module, type DynamicModule } from '@nestjs/common';
import { HankoAuthModule } from '../../src/index.js';
import { HankoStrategy } from '../../src/hanko.strategy.js';
import { startApp, type AdapterName, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { gql, type GraphqlBody } from '../support/graphql.call.js';
import { expectNoLeak } from '../support/refusal.expect.js';
import { ExplicitlyGuardedResolver, ProtectedResolver, PublicResolver } from '../support/test.resolvers.js';

@Module({ providers: [ProtectedResolver, PublicResolver, ExplicitlyGuardedResolver] })
export class ResolversModule {}

const now = () => Math.floor(Date.now() / 1000);

/** The one error of a refused field: our phrase, a code to switch on, the status, and nothing else of ours. */
export function expectGraphqlRefusal(body: GraphqlBody, field: string, message: string, code: string, statusCode: number) {
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors!;
  expect(error.message).toBe(message);
  expect(error.path).toEqual([field]);
  expect(error.extensions).toMatchObject({ code, statusCode });
}

/**
 * The guard, @Public() and @CurrentUser() in resolvers, over real HTTP against a real loopback
 * JWKS: the same scenarios for Apollo (Express) and Mercurius (Fastify).
 */
export function graphqlScenarios(
  driver: string,
  adapter: AdapterName,
  graphqlModule: () => DynamicModule,
  withAppContext: () => DynamicModule,
) {
  let hanko: FaultyIssuer;
  beforeAll(async () => {
    hanko = await FaultyIssuer.start({ modulusLength: 2048 });
  });
  afterAll(() => hanko.close());
  // Always the published key: the outage scenario adds an unpublished one.
  const issuer = {
    sign: (claims: Record<string, unknown> = {}) => hanko.sign(claims, { kid: hanko.keys[0].kid }),
    get apiUrl() {
      return hanko.apiUrl;
    },
  };

  describe(`GraphQL over ${driver}, global guard`, () => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        [
          HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', tokenCache: false, keys: { refetchCooldown: 0 } }),
          graphqlModule(),
          ResolversModule,
        ],
        [],
      );
    });
    afterAll(() => app.app.close());

    it('refuses a protected query without a token: UNAUTHENTICATED, 401, a bare Bearer challenge', async () => {
      const res = await gql(app.url, '{ me { id } }');
      // A GraphQL server answers 200 with errors[]; the challenge header is set all the same.
      expect(res.status).toBe(200);
      expect(res.body.data).toBeNull();
      expectGraphqlRefusal(res.body, 'me', 'Unauthorized', 'UNAUTHENTICATED', 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="hanko"');
    });

    it('gives @CurrentUser() the user of a Bearer token, and one property with @CurrentUser("email")', async () => {
      const token = issuer.sign({ sub: '9930ac89-1584-488c-bd63-1607f03ab1e8', amr: ['pwd', 'totp'] });
      const res = await gql(app.url, '{ me { id email amr } email }', { token });
      expect(res.body).toEqual({
        data: {
          me: { id: '9930ac89-1584-488c-bd63-1607f03ab1e8', email: 'user@example.com', amr: ['pwd', 'totp'] },
          email: 'user@example.com',
        },
      });
      expect(res.headers.get('www-authenticate')).toBeNull();
    });

    it('reads the hanko cookie too', async () => {
      const res = await gql(app.url, '{ me { id } }', {
        cookie: `theme=dark; hanko=${issuer.sign({ sub: 'c0c0c0c0-0000-4000-8000-000000000001' })}`,
      });
      expect(res.body.data?.me).toEqual({ id: 'c0c0c0c0-0000-4000-8000-000000000001' });
    });

    it('refuses an expired token with our phrase, the invalid_token challenge and nothing of the token', async () => {
      const token = issuer.sign({ iat: now() - 7200, exp: now() - 3600 });
      const res = await gql(app.url, '{ me { id } }', { token });
      expectGraphqlRefusal(res.body, 'me', 'token expired', 'UNAUTHENTICATED', 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="hanko", error="invalid_token", error_description="token expired"');
      expectNoLeak(res.text, token);
    });

    it('refuses a forged token without library wording', async () => {
      const token = `${issuer.sign().slice(0, -10)}AAAAAAAAAA`;
      const res = await gql(app.url, '{ me { id } }', { token });
      expectGraphqlRefusal(res.body, 'me', 'invalid signature', 'UNAUTHENTICATED', 401);
      expectNoLeak(res.text, token);
    });

    it('serves @Public() queries and @Public() resolvers, with the user when a valid token came along', async () => {
      expect((await gql(app.url, '{ hello open }')).body).toEqual({ data: { hello: null, open: null } });
      const token = issuer.sign({ sub: 'aaaaaaaa-0000-4000-8000-000000000001' });
      expect((await gql(app.url, '{ hello open }', { token })).body).toEqual({
        data: { hello: 'aaaaaaaa-0000-4000-8000-000000000001', open: 'aaaaaaaa-0000-4000-8000-000000000001' },
      });
      // An invalid token on a public field is ignored, as over HTTP.
      expect((await gql(app.url, '{ hello }', { token: issuer.sign({ exp: now() - 60, iat: now() - 120 }) })).body).toEqual({
        data: { hello: null },
      });
    });

    it('answers a mixed query field by field: public data, and an error for the protected field', async () => {
      const res = await gql(app.url, '{ hello email }');
      expect(res.body.data).toEqual({ hello: null, email: null });
      expectGraphqlRefusal(res.body, 'email', 'Unauthorized', 'UNAUTHENTICATED', 401);
    });

    it('verifies the token once per HTTP request, however many guarded fields the query has', async () => {
      const validate = jest.spyOn(app.app.get(HankoStrategy), 'validate');
      const res = await gql(app.url, '{ me { id } email guarded a: email b: email }', {
        token: issuer.sign({ sub: 'bbbbbbbb-0000-4000-8000-000000000002' }),
      });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.guarded).toBe('bbbbbbbb-0000-4000-8000-000000000002');
      expect(validate).toHaveBeenCalledTimes(1);
      validate.mockRestore();
    });

    it('answers an unmet requirement with FORBIDDEN, 403 and insufficient_scope', async () => {
      const res = await gql(app.url, '{ passkeyOnly }', { token: issuer.sign({ amr: ['pwd'] }) });
      expectGraphqlRefusal(res.body, 'passkeyOnly', 'requires login with passkey', 'FORBIDDEN', 403);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer realm="hanko", error="insufficient_scope", error_description="requires login with passkey"',
      );
      expect((await gql(app.url, '{ passkeyOnly }', { token: issuer.sign({ amr: ['passkey'] }) })).body.errors).toBeUndefined();
    });

    it('answers a Hanko outage with a retryable error and Retry-After, not UNAUTHENTICATED', async () => {
      const unknown = await hanko.addKey({ modulusLength: 2048, publish: false });
      hanko.fault = '503';
      try {
        const res = await gql(app.url, '{ me { id } }', { token: hanko.sign({}, { kid: unknown.kid }) });
        const [error] = res.body.errors!;
        expect(error.message).toBe('authentication temporarily unavailable');
        expect(error.extensions).toMatchObject({ statusCode: 503 });
        expect(error.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
        expect(error.extensions?.code).not.toBe('UNAUTHENTICATED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(res.text).not.toMatch(/127\.0\.0\.1|jwks|ECONNREFUSED/);
      } finally {
        hanko.fault = 'none';
      }
    });
  });

  describe(`GraphQL over ${driver}, an app-defined context`, () => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' }), withAppContext(), ResolversModule],
        [],
      );
    });
    afterAll(() => app.app.close());

    it('still finds the request and the response', async () => {
      const token = issuer.sign({ sub: 'eeeeeeee-0000-4000-8000-000000000005' });
      expect((await gql(app.url, '{ me { id } }', { token })).body).toEqual({
        data: { me: { id: 'eeeeeeee-0000-4000-8000-000000000005' } },
      });
      const refused = await gql(app.url, '{ me { id } }');
      expectGraphqlRefusal(refused.body, 'me', 'Unauthorized', 'UNAUTHENTICATED', 401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="hanko"');
    });
  });

  describe(`GraphQL over ${driver}, globalGuard: false`, () => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await startApp(
        adapter,
        [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', globalGuard: false }), graphqlModule(), ResolversModule],
        [],
      );
    });
    afterAll(() => app.app.close());

    it('protects only @UseGuards(HankoGuard) resolvers', async () => {
      expect((await gql(app.url, '{ open }')).body).toEqual({ data: { open: null } });
      expectGraphqlRefusal((await gql(app.url, '{ guarded }')).body, 'guarded', 'Unauthorized', 'UNAUTHENTICATED', 401);
      const token = issuer.sign({ sub: 'dddddddd-0000-4000-8000-000000000004' });
      expect((await gql(app.url, '{ guarded }', { token })).body).toEqual({ data: { guarded: 'dddddddd-0000-4000-8000-000000000004' } });
    });
  });
}
