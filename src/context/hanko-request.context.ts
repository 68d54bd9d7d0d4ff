import type { ExecutionContext } from '@nestjs/common';
import { getHankoGraphqlRequest, getHankoGraphqlResponse } from './hanko-graphql.context.js';
import { asObject, type HankoRequest, type HankoResponse } from './hanko-request.types.js';
import { getHankoWsRequest } from './hanko-ws.context.js';

export type { HankoRequest } from './hanko-request.types.js';

/**
 * The request behind an execution context, or undefined for a transport we cannot read (RPC).
 * Undefined never means "let it through": the guard refuses non-public handlers without a request.
 * No transport's package is imported to read it, so @nestjs/graphql and @nestjs/websockets stay optional.
 */
export function getHankoRequest(context: ExecutionContext): HankoRequest | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return asObject(context.switchToHttp().getRequest<unknown>());
    case 'graphql':
      // What GqlExecutionContext.create(context).getContext() returns: the third resolver argument.
      return getHankoGraphqlRequest(context.getArgByIndex(2));
    case 'ws':
      return getHankoWsRequest(context.switchToWs().getClient<unknown>());
    default:
      return undefined;
  }
}

/** The response that carries challenge headers (WWW-Authenticate, Retry-After), if the transport has one. */
export function getHankoResponse(context: ExecutionContext): HankoResponse | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return asObject<HankoResponse>(context.switchToHttp().getResponse<unknown>());
    case 'graphql':
      return getHankoGraphqlResponse(context.getArgByIndex(2));
    default:
      return undefined;
  }
}
