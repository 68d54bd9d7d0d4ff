import type { ExecutionContext } from '@nestjs/common';
import { type HankoRequest, type HankoResponse } from './hanko-request.types.js';
export type { HankoRequest, HankoResponse } from './hanko-request.types.js';
/**
 * The request behind an execution context, or undefined for a transport we cannot read (RPC).
 * Undefined never means "let it through": the guard refuses non-public handlers without a request.
 * No transport's package is imported to read it, so @nestjs/graphql and @nestjs/websockets stay optional.
 */
export declare function getHankoRequest(context: ExecutionContext): HankoRequest | undefined;
/** The response that carries challenge headers (WWW-Authenticate, Retry-After), if the transport has one. */
export declare function getHankoResponse(context: ExecutionContext): HankoResponse | undefined;
