import { asObject, type HankoRequest, type HankoResponse } from './hanko-request.types.js';

/** The parts of a resolver context we read. */
interface GraphqlContext {
  /** Set by both of Nest's drivers (@nestjs/apollo, @nestjs/mercurius), also around an app-defined context. */
  req?: unknown;
  /** The Express response, when an app-defined Apollo context keeps it (`context: ({ req, res }) => ({ req, res })`). */
  res?: unknown;
  /** Mercurius adds its Fastify reply to every context. */
  reply?: { request?: unknown };
}

/**
 * The HTTP request behind a query or mutation: `req`, or the request of Mercurius' reply. A
 * subscription over graphql-ws has no HTTP request there, so it carries no credentials we read
 * and is refused unless public.
 */
export function getHankoGraphqlRequest(context: unknown): HankoRequest | undefined {
  const graphql = asObject<GraphqlContext>(context);
  return asObject(graphql?.req) ?? asObject(graphql?.reply?.request);
}

/**
 * Where the challenge headers go: the Express response (`ctx.res`, or Express' own `req.res`, since
 * Nest's default Apollo context keeps only `req`), or Mercurius' reply. Apollo on Fastify keeps no
 * reply by default: there the error alone tells the client.
 */
export function getHankoGraphqlResponse(context: unknown): HankoResponse | undefined {
  const graphql = asObject<GraphqlContext>(context);
  return (
    asObject<HankoResponse>(graphql?.res) ?? asObject<HankoResponse>(graphql?.reply) ?? asObject<HankoResponse>(asObject(graphql?.req)?.res)
  );
}
