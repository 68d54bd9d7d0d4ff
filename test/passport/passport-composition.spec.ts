import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, UseGuards, type DynamicModule, type Type } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { CurrentUser, HankoAuthModule, Public } from '../../src/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { expectRefused } from '../support/refusal.expect.js';

const API_KEY = 'test-machine-key-0123456789';
const MACHINE = { id: 'machine-1', kind: 'api-key' };

interface PassportActions {
  success(user: unknown): void;
  fail(status: number): void;
  error(error: unknown): void;
}

/** A tiny Passport strategy (passport-strategy's protocol): a machine key in the X-Api-Key header. */
class HeaderApiKeyStrategy {
  name = 'api-key';
  constructor(private readonly verify: (key: string, done: (error: unknown, user?: unknown) => void) => void) {}

  authenticate(this: HeaderApiKeyStrategy & PassportActions, request: { headers: Record<string, string | string[] | undefined> }) {
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string') return this.fail(401);
    this.verify(key, (error, user) => (error ? this.error(error) : user ? this.success(user) : this.fail(401)));
  }
}

@Injectable()
class ApiKeyStrategy extends PassportStrategy(HeaderApiKeyStrategy, 'api-key') {
  validate(key: string) {
    return key === API_KEY ? MACHINE : false;
  }
}

@Module({ providers: [ApiKeyStrategy] })
class ApiKeyModule {}

/** The app's own composition: a Hanko session or a machine key, whichever the request carries. */
@UseGuards(AuthGuard(['hanko', 'api-key']))
@Controller('either')
class EitherController {
  @Get()
  who(@CurrentUser() user: { id: string }) {
    return { id: user.id };
  }
}

/** The same, under the module's global HankoGuard: @Public() lets AuthGuard decide. */
@Public()
@UseGuards(AuthGuard(['hanko', 'api-key']))
@Controller('either')
class PublicEitherController extends EitherController {}

let issuer: FaultyIssuer;
beforeAll(async () => {
  issuer = await FaultyIssuer.start({ modulusLength: 2048 });
});
afterAll(async () => {
  passport.unuse('api-key');
  await issuer.close();
});

const SETUPS: [string, boolean, Type][] = [
  ['AuthGuard on the route, no global guard', false, EitherController],
  ['global HankoGuard, @Public() route with AuthGuard', true, PublicEitherController],
];

describe.each(ADAPTERS)("AuthGuard(['hanko', 'api-key']) over %s", (adapter) => {
  describe.each(SETUPS)('%s', (_name, globalGuard, controller) => {
    let app: StartedApp;
    beforeAll(async () => {
      const hanko: DynamicModule = HankoAuthModule.forRoot({
        apiUrl: issuer.apiUrl,
        audience: 'localhost',
        globalGuard,
        keys: { refetchCooldown: 0, fetchTimeout: 0.5 },
      });
      app = await startApp(adapter, [hanko, ApiKeyModule], [controller]);
    });
    afterAll(async () => {
      issuer.fault = 'none';
      await app.app.close();
    });

    it('admits a valid Hanko session; @CurrentUser() is the Hanko user', async () => {
      const token = issuer.sign({ sub: 'aaaaaaaa-0000-4000-8000-00000000000a' });
      const res = await call(app.url, '/either', { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: 'aaaaaaaa-0000-4000-8000-00000000000a' });
    });

    it('admits a valid API key without a Hanko token; @CurrentUser() is what the API-key strategy returned', async () => {
      const res = await call(app.url, '/either', { headers: { 'x-api-key': API_KEY } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: MACHINE.id });
    });

    it('refuses a wrong API key without a Hanko token (401)', async () => {
      const res = await call(app.url, '/either', { headers: { 'x-api-key': 'guessed' } });
      expect(res.status).toBe(401);
    });

    it('refuses a hostile Hanko token without an API key: 401 with the reason and challenge HankoGuard gives', async () => {
      const [header, payload] = issuer.sign().split('.');
      await expectRefused(app.url, `${header}.${payload}.${Buffer.alloc(256, 7).toString('base64url')}`, 'invalid signature', '/either');
      await expectRefused(app.url, issuer.signWebhook(), 'not a Hanko session token', '/either');
    });

    it('answers 503 + Retry-After, not 401, while Hanko’s keys are unreachable and no API key was sent', async () => {
      issuer.fault = '503';
      const rotated = await issuer.addKey({ modulusLength: 2048 });
      const res = await call(app.url, '/either', { token: issuer.sign({}, { kid: rotated.kid }) });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.body).toEqual({ statusCode: 503, message: 'authentication temporarily unavailable', error: 'Service Unavailable' });
      // A machine client, which sends no Hanko token, is not held up by Hanko's outage.
      expect((await call(app.url, '/either', { headers: { 'x-api-key': API_KEY } })).status).toBe(200);
      issuer.fault = 'none';
    });
  });
});
