import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { HankoAuthModule } from '../../src/index.js';
import { deliverHankoWebhook, HankoTestIssuer, sessionOf } from '../../src/testing/index.js';
import { startApp, type StartedApp } from '../support/app.factory.js';
import { gql } from '../support/graphql.call.js';
import { ProtectedResolver } from '../support/test.resolvers.js';
import { claimsOf } from '../support/token.forge.js';

@Module({ providers: [ProtectedResolver] })
class ResolversModule {}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());

describe('GraphQL (Apollo) with webhooks', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp(
      'express',
      [
        HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', webhooks: true }),
        GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
        ResolversModule,
      ],
      [],
    );
  });
  afterAll(() => app.app.close());

  it('a session ended by a webhook is refused as UNAUTHENTICATED with "session revoked"', async () => {
    const token = issuer.sign();
    expect((await gql(app.url, '{ me { id } }', { token })).body.data).toEqual({ me: { id: claimsOf(token).sub } });
    expect((await deliverHankoWebhook(app.url, issuer, 'session.delete.explicit.revoke', { ...sessionOf(token) })).status).toBe(200);
    const refused = await gql(app.url, '{ me { id } }', { token });
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors![0].message).toBe('session revoked');
    expect(refused.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', statusCode: 401 });
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token", error_description="session revoked"');
  });
});
