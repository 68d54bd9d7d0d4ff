import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { GraphQLModule } from '@nestjs/graphql';
import { graphqlScenarios } from './graphql.scenarios.js';

// Mercurius on Fastify (@nestjs/mercurius): the context holds Nest's `req` (the Fastify request)
// and Mercurius' `reply`, where the challenge headers go; also around an app-defined context.
graphqlScenarios(
  'Mercurius (Fastify)',
  'fastify',
  () => GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true }),
  () =>
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      autoSchemaFile: true,
      context: () => ({ requestedAt: Date.now() }),
    }),
);
