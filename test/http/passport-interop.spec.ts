import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import passport from 'passport';
import { HankoAuthModule, Public } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';

/**
 * The module runs its passport-jwt strategy itself and never registers it on Passport's global
 * instance: an app's own Passport strategies, even one named 'hanko', keep working next to it.
 */
class AppHankoStrategy {
  name = 'hanko';
  authenticate(this: { success(user: object): void }) {
    this.success({ id: 'from-the-app-strategy' });
  }
}

@Public()
@UseGuards(AuthGuard('hanko'))
@Controller('passport')
class PassportGuardedController {
  @Get()
  me(@Req() request: { user?: { id: string } }) {
    return { id: request.user?.id };
  }
}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'] });
  passport.use('hanko', new AppHankoStrategy() as unknown as passport.Strategy);
});
afterAll(async () => {
  passport.unuse('hanko');
  await issuer.close();
});

describe.each(ADAPTERS)('next to the app’s own Passport strategies over %s', (adapter) => {
  let started: StartedApp;

  beforeAll(async () => {
    started = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost' })],
      [PassportGuardedController],
    );
  });
  afterAll(() => started.app.close());

  it('leaves a Passport strategy the app named "hanko" in place', async () => {
    const res = await call(started.url, '/passport', { token: issuer.sign() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'from-the-app-strategy' });
  });
});
