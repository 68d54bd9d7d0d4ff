import { asObject } from './hanko-request.types.js';
/**
 * The HTTP request behind a query or mutation: `req`, or the request of Mercurius' reply. A
 * subscription over graphql-ws has no HTTP request there, so it carries no credentials we read
 * and is refused unless public.
 */
export function getHankoGraphqlRequest(context) {
    const graphql = asObject(context);
    return asObject(graphql?.req) ?? asObject(graphql?.reply?.request);
}
/**
 * Where the challenge headers go: the Express response (`ctx.res`, or Express' own `req.res`, since
 * Nest's default Apollo context keeps only `req`), or Mercurius' reply. Apollo on Fastify keeps no
 * reply by default: there the error alone tells the client.
 */
export function getHankoGraphqlResponse(context) {
    const graphql = asObject(context);
    return asObject(graphql?.res) ?? asObject(graphql?.reply) ?? asObject(asObject(graphql?.req)?.res);
}
//# sourceMappingURL=hanko-graphql.context.js.map