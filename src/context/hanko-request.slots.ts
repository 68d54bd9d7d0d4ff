/** Where the guard leaves its work on a request; symbols, so nothing else can collide or forge them. */
export const HANKO_USER = Symbol('nestjs-hanko-auth:user');
export const HANKO_OUTCOME = Symbol('nestjs-hanko-auth:outcome');
/** The pre-checked token, on the small carrier object the strategy runs on (never on the request). */
export const HANKO_TOKEN = Symbol('nestjs-hanko-auth:token');
/** When a kept outcome must be checked again (ms): what lets a WebSocket connection reuse one safely. */
export const HANKO_RECHECK_AT = Symbol('nestjs-hanko-auth:recheck-at');
