/**
 * The fixed phrases a refused token is described with (RFC 6750 error_description). They are ours,
 * never a library's message, so a response can't leak parser internals, key URLs or kids.
 */
export type HankoRefusalReason =
  | 'malformed authorization header'
  | 'several authorization headers'
  | 'several session cookies'
  | 'origin not allowed'
  | 'token too large'
  | 'malformed token'
  | 'unsupported algorithm'
  | 'unsupported token header'
  | 'unsupported token type'
  | 'invalid key id'
  | 'unknown signing key'
  | 'invalid signature'
  | 'token expired'
  | 'token not yet valid'
  | 'token issued in the future'
  | 'invalid time claims'
  | 'audience mismatch'
  | 'issuer mismatch'
  | 'not a Hanko session token'
  | 'session revoked'
  | 'invalid token';

/** Internal: a token was refused for a known reason. Turned into HankoUnauthorizedException by the guard. */
export class HankoTokenRefusal extends Error {
  constructor(readonly reason: HankoRefusalReason) {
    super(reason);
    this.name = 'HankoTokenRefusal';
  }
}

/** Retry-After (s) when nothing better is known: a failed session check, an unexpected error. */
export const FALLBACK_RETRY_AFTER = 5;

/** Internal: Hanko could not be asked (key set or session endpoint). Turned into HankoUnavailableException. */
export class HankoUpstreamUnavailable extends Error {
  constructor(
    /** Short, token-free description for logs, e.g. "key endpoint answered 503". */
    readonly detail: string,
    /** Seconds after which a retry can succeed. */
    readonly retryAfter: number,
  ) {
    super(detail);
    this.name = 'HankoUpstreamUnavailable';
  }
}
