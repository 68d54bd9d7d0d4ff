import { HankoTokenRefusal, type HankoUpstreamUnavailable } from './hanko-refusal.reason.js';
import { HankoUnauthorizedException } from './hanko-unauthorized.exception.js';
import { HankoUnavailableException } from './hanko-unavailable.exception.js';

/**
 * The one mapping from why a request was not authenticated to what it is answered, for HankoGuard
 * and AuthGuard('hanko') alike: no token or a refused one is a 401 with its RFC 6750 challenge;
 * Hanko out of reach is a 503 with Retry-After, never a 401 that would log the user out.
 */
export function exceptionForFailure(
  failure: 'missing' | HankoTokenRefusal | HankoUpstreamUnavailable,
  realm: string,
): HankoUnauthorizedException | HankoUnavailableException {
  if (failure === 'missing') return new HankoUnauthorizedException(undefined, realm);
  if (failure instanceof HankoTokenRefusal) return new HankoUnauthorizedException(failure.reason, realm);
  return new HankoUnavailableException(failure.retryAfter);
}
