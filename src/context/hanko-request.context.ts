import type { ExecutionContext } from '@nestjs/common';
import type { HankoTokenCarrier } from '../token/hanko-token.extractor.js';

/** The request object the guard authenticates: whatever the transport hands us, plus our slots. */
export type HankoRequest = HankoTokenCarrier & Record<string | symbol, unknown>;

/**
 * The request behind an execution context, or undefined for a transport we cannot read yet.
 * Undefined never means "let it through": the guard refuses non-public handlers without a request.
 */
export function getHankoRequest(context: ExecutionContext): HankoRequest | undefined {
  if (context.getType() !== 'http') return undefined;
  const request = context.switchToHttp().getRequest<HankoRequest | undefined>();
  return request !== null && typeof request === 'object' ? request : undefined;
}
