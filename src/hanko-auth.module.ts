import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { HankoAuthConfig } from './hanko-auth.config.js';
import {
  HANKO_AUTH_ASYNC_OPTIONS_TYPE,
  HANKO_AUTH_OPTIONS,
  HANKO_AUTH_OPTIONS_TYPE,
  HankoAuthConfigurableModule,
  type HankoAuthModuleExtras,
} from './hanko-auth.module-definition.js';
import type { HankoAuthOptions } from './hanko-auth.options.js';
import { HankoConfigurationError } from './errors/hanko-configuration.error.js';
import { HankoHttpAgent } from './http/hanko-http.agent.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionValidator } from './session/hanko-session.validator.js';
import { HankoAuthenticator } from './hanko.authenticator.js';
import { HankoGuard } from './hanko.guard.js';
import { HankoStrategy } from './hanko.strategy.js';
import { HankoPassportRegistration } from './passport/hanko-passport.registration.js';
import { HankoTokenExtractor } from './token/hanko-token.extractor.js';
import { HankoRevocationFleet } from './webhooks/hanko-revocation.fleet.js';
import { HankoRevocationMarks } from './webhooks/hanko-revocation.marks.js';
import { HankoWebhookDispatcher } from './webhooks/hanko-webhook.dispatcher.js';
import { HankoWebhookReceiver } from './webhooks/hanko-webhook.receiver.js';
import { HankoWebhookRoute } from './webhooks/hanko-webhook.route.js';
import { HankoWebhookVerifier } from './webhooks/hanko-webhook.verifier.js';

const providers: Provider[] = [
  // Validation happens here, during bootstrap: a bad option stops the app with a named error.
  { provide: HankoAuthConfig, inject: [HANKO_AUTH_OPTIONS], useFactory: (options: HankoAuthOptions) => new HankoAuthConfig(options) },
  HankoHttpAgent,
  HankoKeySource,
  HankoSessionValidator,
  HankoStrategy,
  HankoTokenExtractor,
  HankoAuthenticator,
  HankoGuard,
  HankoPassportRegistration,
  // Webhooks: inert unless the `webhooks` option is set (the marks then stay empty).
  HankoRevocationMarks,
  HankoRevocationFleet,
  HankoWebhookVerifier,
  HankoWebhookDispatcher,
  HankoWebhookReceiver,
  HankoWebhookRoute,
];

/**
 * Import once in AppModule. Global, so `@UseGuards(HankoGuard)` resolves in every module.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers,
  exports: [
    HankoAuthConfig,
    HankoKeySource,
    HankoTokenExtractor,
    HankoAuthenticator,
    HankoGuard,
    HankoWebhookDispatcher,
    HankoWebhookReceiver,
  ],
})
export class HankoAuthModule extends HankoAuthConfigurableModule {
  static override forRoot(options: typeof HANKO_AUTH_OPTIONS_TYPE): DynamicModule {
    return withExtras(super.forRoot(options), options);
  }

  static override forRootAsync(options: typeof HANKO_AUTH_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withExtras(super.forRootAsync(options), options);
  }
}

/** The options known when the module is declared: they decide which providers it has. */
function withExtras(module: DynamicModule, { globalGuard, tokenExtractor }: HankoAuthModuleExtras): DynamicModule {
  if (globalGuard !== undefined && typeof globalGuard !== 'boolean') {
    throw new HankoConfigurationError('globalGuard', 'must be true or false');
  }
  const extra: Provider[] = [];
  if (tokenExtractor !== undefined) {
    // Anything else would skip the checks every extractor inherits (several headers or cookies, origins).
    const isExtractor =
      typeof tokenExtractor === 'function' &&
      (tokenExtractor === HankoTokenExtractor || tokenExtractor.prototype instanceof HankoTokenExtractor);
    if (!isExtractor) {
      throw new HankoConfigurationError('tokenExtractor', 'must be a class that extends HankoTokenExtractor');
    }
    extra.push({ provide: HankoTokenExtractor, useClass: tokenExtractor });
  }
  if (globalGuard !== false) extra.push({ provide: APP_GUARD, useExisting: HankoGuard });
  return { ...module, providers: [...(module.providers ?? []), ...extra] };
}
