import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { HankoAuthModule, type HankoUser } from '../../src/index.js';
import { HankoStrategy } from '../../src/hanko.strategy.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';

/** The strategy is a passport-jwt Strategy registered with Passport as 'hanko'; HankoGuard drives it. */
@UseGuards(AuthGuard('hanko'))
@Controller('passport')
class PassportGuardedController {
  @Get()
  me(@Req() request: { user?: HankoUser }) {
    return { id: request.user?.id };
  }
}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'] });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)("the 'hanko' Passport strategy over %s", (adapter) => {
  let started: StartedApp;

  beforeAll(async () => {
    started = await startApp(adapter, [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', globalGuard: false })], [PassportGuardedController]);
  });
  afterAll(() => started.app.close());

  it('registers the module’s strategy instance with Passport', () => {
    expect((passport as unknown as { _strategy(name: string): unknown })._strategy('hanko')).toBe(started.app.get(HankoStrategy));
  });

  it('fails closed when used without HankoGuard: even a valid token is refused', async () => {
    // The strategy takes only tokens HankoGuard pre-checked (on its carrier object, never the
    // request), so AuthGuard('hanko') cannot become a way around the pre-check or revocation.
    expect((await call(started.url, '/passport', { token: issuer.sign() })).status).toBe(401);
    expect((await call(started.url, '/passport')).status).toBe(401);
  });
});
