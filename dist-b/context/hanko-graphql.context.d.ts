import { type HankoRequest, type HankoResponse } from './hanko-request.types.js';
/**
 * The HTTP request behind a query or mutation: `req`, or the request of Mercurius' reply. A
 * subscription over graphql-ws has no HTTP request there, so it carries no credentials we read
 * and is refused unless public.
 */
export declare function getHankoGraphqlRequest(context: unknown): HankoRequest | undefined;
/**
 * Where the challenge headers go: the Express response (`ctx.res`, or Express' own `req.res`, since
 * Nest's default Apollo context keeps only `req`), or Mercurius' reply. Apollo on Fastify keeps no
 * reply by default: there the error alone tells the client.
 */
export declare function getHankoGraphqlResponse(context: unknown): HankoResponse | undefined;
