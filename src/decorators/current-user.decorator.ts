import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { getHankoRequest } from '../context/hanko-request.context.js';
import { authenticatedUser } from '../context/hanko-request.slots.js';
import type { HankoUser } from '../session/hanko-user.js';

/**
 * The authenticated HankoUser, one of its properties (`@CurrentUser('email')`), or undefined on a
 * public route without a valid token; in controllers, resolvers and gateways alike (undefined in
 * microservice handlers, which carry no session). Behind `AuthGuard([...])` it is what the
 * strategy that succeeded put on `request.user`. The explicit type keeps Nest-12-only types out
 * of our .d.ts.
 */
export const CurrentUser: (property?: keyof HankoUser) => ParameterDecorator = createParamDecorator(
  (property: keyof HankoUser | undefined, context: ExecutionContext) => {
    const request = getHankoRequest(context);
    // Whoever authenticated the request put its user there: HankoGuard, or the Passport strategy
    // that succeeded (AuthGuard(['hanko', 'api-key']) may admit an API-key client).
    const user = (request?.user as HankoUser | undefined) ?? authenticatedUser(request);
    return property === undefined ? user : user?.[property];
  },
);
