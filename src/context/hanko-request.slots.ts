import type { HankoUser } from '../session/hanko-user.js';

/**
 * Where the guard leaves its work on a request; symbols, so nothing else can collide or forge them.
 * As few as possible: each new property on an Express request measured a few µs under load.
 *
 * HANKO_OUTCOME: the authenticator's outcome for this request, `{ user }` or `{ failure }`, or its
 * promise while pending.
 */
export const HANKO_OUTCOME = Symbol('nestjs-hanko-auth:outcome');
/** The pre-checked token, on the small carrier object the strategy runs on (never on the request). */
export const HANKO_TOKEN = Symbol('nestjs-hanko-auth:token');
/** Marks the request built from a WebSocket handshake: its cookie counts only from an allowed origin. */
export const HANKO_HANDSHAKE = Symbol('nestjs-hanko-auth:handshake');

/** The user this request was authenticated as, once the outcome is settled; undefined otherwise. */
export function authenticatedUser(request: Record<symbol, unknown> | undefined): HankoUser | undefined {
  const outcome = request?.[HANKO_OUTCOME] as { user?: HankoUser } | Promise<unknown> | undefined;
  return outcome instanceof Promise ? undefined : outcome?.user;
}
