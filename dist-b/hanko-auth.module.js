var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HankoAuthConfig } from './hanko-auth.config.js';
import { HANKO_AUTH_OPTIONS, HankoAuthConfigurableModule, } from './hanko-auth.module-definition.js';
import { HankoConfigurationError } from './errors/hanko-configuration.error.js';
import { HankoKeySource } from './keys/hanko-key.source.js';
import { HankoSessionValidator } from './session/hanko-session.validator.js';
import { HankoAuthenticator } from './hanko.authenticator.js';
import { HankoGuard } from './hanko.guard.js';
import { HankoStrategy } from './hanko.strategy.js';
const providers = [
    // Validation happens here, during bootstrap: a bad option stops the app with a named error.
    { provide: HankoAuthConfig, inject: [HANKO_AUTH_OPTIONS], useFactory: (options) => new HankoAuthConfig(options) },
    HankoKeySource,
    HankoSessionValidator,
    HankoStrategy,
    HankoAuthenticator,
    HankoGuard,
];
/**
 * Import once in AppModule. Global, so `@UseGuards(HankoGuard)` resolves in every module.
 */
let HankoAuthModule = class HankoAuthModule extends HankoAuthConfigurableModule {
    static forRoot(options) {
        return withGlobalGuard(super.forRoot(options), options.globalGuard);
    }
    static forRootAsync(options) {
        return withGlobalGuard(super.forRootAsync(options), options.globalGuard);
    }
};
HankoAuthModule = __decorate([
    Global(),
    Module({ providers, exports: [HankoAuthConfig, HankoKeySource, HankoAuthenticator, HankoGuard] })
], HankoAuthModule);
export { HankoAuthModule };
function withGlobalGuard(module, globalGuard) {
    if (globalGuard !== undefined && typeof globalGuard !== 'boolean') {
        throw new HankoConfigurationError('globalGuard', 'must be true or false');
    }
    if (globalGuard === false)
        return module;
    return { ...module, providers: [...(module.providers ?? []), { provide: APP_GUARD, useExisting: HankoGuard }] };
}
//# sourceMappingURL=hanko-auth.module.js.map