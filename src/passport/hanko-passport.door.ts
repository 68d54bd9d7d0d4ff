import type { HankoRequest } from '../context/hanko-request.context.js';
import { asObject, setHankoHeaders, type HankoResponse } from '../context/hanko-request.types.js';
import { exceptionForFailure } from '../errors/hanko-failure.exception.js';
import type { HankoAuthenticator, HankoOutcome } from '../hanko.authenticator.js';
import type { HankoPassportDoor, HankoStrategyActions } from '../hanko.strategy.js';

/** Where a Fastify request keeps its reply for us (Express has `request.res`): see hanko-passport.registration.ts. */
export const HANKO_REPLY = Symbol('nestjs-hanko-auth:reply');

/**
 * Passport's door into HankoGuard's pipeline: a request that reached the strategy through Passport
 * (AuthGuard('hanko'), alone or among other strategies) is authenticated by the same
 * HankoAuthenticator, so it meets the same pre-check, token cache, verification, session policy and
 * revocation check, and its outcome is told to Passport:
 * - a user: `success`, and AuthGuard puts it on the request;
 * - no Hanko token: `fail`, so Passport tries the app's next strategy (an API key, say), or
 *   AuthGuard answers 401 with HankoGuard's challenge;
 * - a refused token, or Hanko out of reach: `error` with HankoGuard's exception. Passport ends there
 *   and AuthGuard rethrows it, so the client gets the same 401 (reason and challenge) or 503 with
 *   Retry-After as from HankoGuard. Through `fail`, AuthGuard would answer a bare 401 for both: an
 *   outage would log users out, and a hostile token's refusal would lose its reason.
 */
export function hankoPassportDoor(authenticator: HankoAuthenticator, realm: string): HankoPassportDoor {
  return (attempt, request) => {
    const outcome = authenticator.authenticate(request as HankoRequest);
    if (outcome instanceof Promise) {
      outcome.then(
        (settled) => answer(attempt, request as HankoRequest, settled, realm),
        (error: unknown) => attempt.error(error),
      );
    } else {
      answer(attempt, request as HankoRequest, outcome, realm);
    }
  };
}

function answer(attempt: HankoStrategyActions, request: HankoRequest, outcome: HankoOutcome, realm: string): void {
  if (outcome.user !== undefined) return attempt.success(outcome.user);
  const exception = exceptionForFailure(outcome.failure, realm);
  // Written now: AuthGuard's exception reaches Nest's exception filter, which sets no headers.
  setHankoHeaders(responseOf(request), exception.getHeaders());
  if (outcome.failure === 'missing') return attempt.fail(exception.getHeaders()['WWW-Authenticate'], 401);
  attempt.error(exception);
}

/** Passport hands a strategy the request only: Express links its response, Fastify our hook its reply. */
function responseOf(request: HankoRequest): HankoResponse | undefined {
  return asObject<HankoResponse>(request[HANKO_REPLY] ?? request.res);
}
