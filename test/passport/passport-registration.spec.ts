import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import passport from 'passport';
import { CurrentUser, HankoAuthModule, HankoConfigurationError } from '../../src/index.js';
import { HankoStrategy } from '../../src/hanko.strategy.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { call, startApp, type StartedApp } from '../support/app.factory.js';

/** Passport's strategy table, as the module reads it. */
const registered = (name: string) => (passport as unknown as { _strategy(name: string): unknown })._strategy(name);

/** An app's own Passport strategy (passport-strategy's protocol) that admits everyone as itself. */
class AppStrategy {
  constructor(readonly name: string) {}
  authenticate(this: { success(user: object): void }) {
    this.success({ id: 'from-the-app-strategy' });
  }
}

class TaggedStrategy {
  name = 'app';
  constructor(private readonly verify: (done: (error: unknown, user?: unknown) => void) => void) {}
  authenticate(this: TaggedStrategy & { success(user: unknown): void; error(error: unknown): void }) {
    this.verify((error, user) => (error ? this.error(error) : this.success(user)));
  }
}

/** What a Nest team writes: a @nestjs/passport strategy that registers itself as 'hanko' when constructed. */
@Injectable()
class AppHankoStrategy extends PassportStrategy(TaggedStrategy, 'hanko') {
  validate() {
    return { id: 'from-the-app-provider' };
  }
}
@Module({ providers: [AppHankoStrategy] })
class AppStrategyModule {}

@UseGuards(AuthGuard('hanko-session'))
@Controller('named')
class NamedController {
  @Get()
  me(@CurrentUser('id') id: string) {
    return { id };
  }
}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'] });
});
afterAll(() => issuer.close());

const options = (extra: object = {}) => ({ apiUrl: issuer.apiUrl, audience: 'localhost', keys: { prefetch: false }, ...extra });

/** Bootstraps the module alone; resolves to the error bootstrap stopped with, or closes and resolves undefined. */
async function bootstrapError(imports: Parameters<typeof Test.createTestingModule>[0]['imports']): Promise<unknown> {
  let moduleRef: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>> | undefined;
  try {
    moduleRef = await Test.createTestingModule({ imports }).compile();
    await moduleRef.init();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await moduleRef?.close().catch(() => undefined);
  }
}

describe('registration with Passport', () => {
  afterEach(() => {
    for (const name of ['hanko', 'jwt', 'hanko-session']) passport.unuse(name);
  });

  it("registers the module's one strategy instance as 'hanko' while the app runs, and only that entry", async () => {
    const jwt = new AppStrategy('jwt');
    passport.use('jwt', jwt as never);
    const app = await startApp('express', [HankoAuthModule.forRoot(options())], []);
    try {
      expect(registered('hanko')).toBe(app.app.get(HankoStrategy));
      // The mixin would have registered the instance as passport-jwt's 'jwt': the app's own stays.
      expect(registered('jwt')).toBe(jwt);
    } finally {
      await app.app.close();
    }
    expect(registered('hanko')).toBeUndefined();
    expect(registered('jwt')).toBe(jwt);
  });

  it('registers under strategyName, for AuthGuard(strategyName)', async () => {
    let app: StartedApp | undefined;
    try {
      app = await startApp(
        'fastify',
        [HankoAuthModule.forRoot(options({ strategyName: 'hanko-session', globalGuard: false }))],
        [NamedController],
      );
      expect(registered('hanko')).toBeUndefined();
      const token = issuer.sign({ sub: 'bbbbbbbb-0000-4000-8000-00000000000b' });
      expect((await call(app.url, '/named', { token })).body).toEqual({ id: 'bbbbbbbb-0000-4000-8000-00000000000b' });
      const refused = await call(app.url, '/named', { token: `${token.slice(0, -8)}AAAAAAAA` });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe(
        'Bearer realm="hanko", error="invalid_token", error_description="invalid signature"',
      );
    } finally {
      await app?.app.close();
    }
  });

  it('never replaces a strategy the app registered under the name: bootstrap stops, naming strategyName', async () => {
    const own = new AppStrategy('hanko');
    passport.use('hanko', own as never);
    const error = await bootstrapError([HankoAuthModule.forRoot(options())]);
    expect(error).toBeInstanceOf(HankoConfigurationError);
    expect((error as HankoConfigurationError).option).toBe('strategyName');
    expect(registered('hanko')).toBe(own);
  });

  it("sees an app provider that registers itself as 'hanko' from its constructor (as @nestjs/passport strategies do)", async () => {
    const error = await bootstrapError([HankoAuthModule.forRoot(options()), AppStrategyModule]);
    expect(error).toBeInstanceOf(HankoConfigurationError);
    expect((error as HankoConfigurationError).option).toBe('strategyName');
    expect(registered('hanko')).toBeInstanceOf(AppHankoStrategy);
  });

  it('two modules at once need two names: Passport has one strategy table per process', async () => {
    const first = await startApp('express', [HankoAuthModule.forRoot(options())], []);
    try {
      const error = await bootstrapError([HankoAuthModule.forRoot(options())]);
      expect((error as HankoConfigurationError).option).toBe('strategyName');
      expect(registered('hanko')).toBe(first.app.get(HankoStrategy));
      expect(await bootstrapError([HankoAuthModule.forRoot(options({ strategyName: 'hanko-session' }))])).toBeUndefined();
    } finally {
      await first.app.close();
    }
  });

  it.each(['', 'has space', 'a'.repeat(65), 42, null, ['hanko']])('refuses strategyName %p at bootstrap', async (strategyName) => {
    const error = await bootstrapError([HankoAuthModule.forRoot(options({ strategyName }))]);
    expect(error).toBeInstanceOf(HankoConfigurationError);
    expect((error as HankoConfigurationError).option).toBe('strategyName');
  });
});
