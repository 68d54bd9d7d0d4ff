import { ForbiddenException } from '@nestjs/common';
import { bearerChallenge } from './hanko-bearer.challenge.js';

/** 403: authenticated, but a `@Require…()` rule does not hold (RFC 6750 insufficient_scope). */
export class HankoForbiddenException extends ForbiddenException {
  readonly wwwAuthenticate: string;

  constructor(
    readonly requirement: string,
    realm: string,
  ) {
    super(requirement);
    this.wwwAuthenticate = bearerChallenge(realm, 'insufficient_scope', requirement);
  }

  getHeaders(): Record<string, string> {
    return { 'WWW-Authenticate': this.wwwAuthenticate };
  }
}
