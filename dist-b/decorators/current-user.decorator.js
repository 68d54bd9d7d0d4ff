import { createParamDecorator } from '@nestjs/common';
import { getHankoRequest } from '../context/hanko-request.context.js';
import { authenticatedUser } from '../context/hanko-request.slots.js';
/**
 * The authenticated HankoUser, one of its properties (`@CurrentUser('email')`), or undefined on a
 * public route without a valid token; in controllers, resolvers and gateways alike (undefined in
 * microservice handlers, which carry no session). The explicit type keeps Nest-12-only types out
 * of our .d.ts.
 */
export const CurrentUser = createParamDecorator((property, context) => {
    const user = authenticatedUser(getHankoRequest(context));
    return property === undefined ? user : user?.[property];
});
//# sourceMappingURL=current-user.decorator.js.map