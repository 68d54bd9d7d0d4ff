import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { graphqlScenarios } from './graphql.scenarios.js';

// Apollo Server 5 on Express (@nestjs/apollo). Nest's default context is `{ req }`: the guard reads
// the request there and writes challenge headers to Express' `req.res`; an app-defined context
// that keeps `{ req, res }` works as well.
graphqlScenarios(
  'Apollo (Express)',
  'express',
  () => GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
  () =>
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      autoSchemaFile: true,
      context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res, requestedAt: Date.now() }),
    }),
);
