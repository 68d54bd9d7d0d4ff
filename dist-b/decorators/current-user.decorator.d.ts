import type { HankoUser } from '../session/hanko-user.js';
/**
 * The authenticated HankoUser, one of its properties (`@CurrentUser('email')`), or undefined on a
 * public route without a valid token; in controllers, resolvers and gateways alike (undefined in
 * microservice handlers, which carry no session). The explicit type keeps Nest-12-only types out
 * of our .d.ts.
 */
export declare const CurrentUser: (property?: keyof HankoUser) => ParameterDecorator;
