import { UnauthorizedException } from '@nestjs/common';
import { bearerChallenge } from './hanko-bearer.challenge.js';
import type { HankoRefusalReason } from './hanko-refusal.reason.js';

/**
 * 401 with an RFC 6750 challenge. Without a reason (no token at all) the challenge carries only the
 * realm, as §3 asks; with one it names `invalid_token` and our fixed description.
 */
export class HankoUnauthorizedException extends UnauthorizedException {
  readonly wwwAuthenticate: string;

  constructor(
    readonly reason: HankoRefusalReason | undefined,
    realm: string,
  ) {
    // No reason gives exactly Nest's own 401 body; a reason becomes the message.
    super(reason);
    this.wwwAuthenticate = reason === undefined ? bearerChallenge(realm) : bearerChallenge(realm, 'invalid_token', reason);
  }

  getHeaders(): Record<string, string> {
    return { 'WWW-Authenticate': this.wwwAuthenticate };
  }
}
