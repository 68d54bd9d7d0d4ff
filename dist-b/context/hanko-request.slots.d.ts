import type { HankoUser } from '../session/hanko-user.js';
/**
 * Where the guard leaves its work on a request; symbols, so nothing else can collide or forge them.
 * As few as possible: each new property on an Express request measured a few µs under load.
 */
/** The authenticator's outcome for this request: `{ user }` or `{ failure }`, or its promise while pending. */
export declare const HANKO_OUTCOME: unique symbol;
/** The pre-checked token, on the small carrier object the strategy runs on (never on the request). */
export declare const HANKO_TOKEN: unique symbol;
/** When a kept outcome must be checked again (ms): what lets a WebSocket connection reuse one safely. */
export declare const HANKO_RECHECK_AT: unique symbol;
/** The user this request was authenticated as, once the outcome is settled; undefined otherwise. */
export declare function authenticatedUser(request: Record<symbol, unknown> | undefined): HankoUser | undefined;
