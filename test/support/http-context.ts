import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { HankoUser } from '../../src/index.js';

class RouteController {
  handle(this: void) {}
}

/** An HTTP execution context as Nest builds it for a guard, around a fresh request carrying `Bearer <token>`. */
export function bearerHttpContext(token: string) {
  const request: { headers: Record<string, string>; user?: HankoUser } = { headers: { authorization: `Bearer ${token}` } };
  const context = new ExecutionContextHost([request, { setHeader() {} }], RouteController, RouteController.prototype.handle);
  context.setType('http');
  return { request, context };
}
