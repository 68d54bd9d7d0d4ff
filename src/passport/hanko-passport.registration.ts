import { Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import passport from 'passport';
import { HankoAuthConfig } from '../hanko-auth.config.js';
import { HankoConfigurationError } from '../errors/hanko-configuration.error.js';
import { HankoAuthenticator } from '../hanko.authenticator.js';
import { HankoStrategy } from '../hanko.strategy.js';
import { HANKO_REPLY, hankoPassportDoor } from './hanko-passport.door.js';

/** The part of Passport's Authenticator we use; `_strategy()` is its only lookup by name. */
interface StrategyTable {
  _strategy(name: string): unknown;
  use(name: string, strategy: unknown): unknown;
  unuse(name: string): unknown;
}

interface FastifyLike {
  addHook(name: 'onRequest', hook: (request: Record<symbol, unknown>, reply: unknown, done: () => void) => void): unknown;
}

/**
 * Registers the module's one HankoStrategy with the app's Passport under `strategyName`, so
 * `AuthGuard('hanko')` works, and takes it away again when the module shuts down.
 * Only ever that one entry: never over a strategy the app (or another HankoAuthModule in this
 * process) registered under the same name (bootstrap stops with HankoConfigurationError instead, as
 * a replaced strategy would silently change what the app's guards accept), and never Passport's
 * other strategies or its session support.
 * At onModuleInit, after every provider was constructed: a strategy the app's own providers
 * register from their constructors (as @nestjs/passport's do) is already there to be seen.
 */
@Injectable()
export class HankoPassportRegistration implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('HankoAuth');
  private readonly passport = passport as unknown as StrategyTable;

  constructor(
    private readonly config: HankoAuthConfig,
    private readonly strategy: HankoStrategy,
    private readonly authenticator: HankoAuthenticator,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const name = this.config.strategyName;
    if (this.passport._strategy(name) !== undefined) {
      throw new HankoConfigurationError(
        'strategyName',
        `"${name}" is already a Passport strategy (the app's own, or another HankoAuthModule's in this process): choose another strategyName`,
      );
    }
    this.strategy.openDoor(hankoPassportDoor(this.authenticator, this.config.realm));
    this.linkFastifyReplies();
    this.passport.use(name, this.strategy);
  }

  onModuleDestroy(): void {
    const name = this.config.strategyName;
    if (this.passport._strategy(name) === this.strategy) this.passport.unuse(name);
  }

  /**
   * Passport gives a strategy the request only, and a Fastify request has no way to its reply, which
   * a refusal's WWW-Authenticate or Retry-After must go on. One onRequest hook keeps it at hand.
   */
  private linkFastifyReplies(): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    try {
      adapter.getInstance<FastifyLike>().addHook('onRequest', (request, reply, done) => {
        request[HANKO_REPLY] = reply;
        done();
      });
    } catch {
      // Too late (the server is already listening): the status and body stay right, only the headers go missing.
      this.logger.warn('Could not hook Fastify: refusals through AuthGuard() will lack WWW-Authenticate and Retry-After');
    }
  }
}
