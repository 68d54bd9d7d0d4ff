import { randomUUID } from 'node:crypto';
import { Controller, Post } from '@nestjs/common';
import { Public } from 'nestjs-hanko-auth';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';

/**
 * Dev only: registered solely when the sample runs with its in-process test issuer (opted in with HANKO_DEV_ISSUER=1).
 * Plays Hanko's part in a login: hands the page a fresh session token for one fake user.
 */
@Public()
@Controller('dev')
export class DevSessionController {
  private readonly userId = randomUUID();

  constructor(private readonly issuer: HankoTestIssuer) {}

  @Post('session')
  create(): { token: string } {
    return { token: this.issuer.sign({ sub: this.userId }) };
  }
}
