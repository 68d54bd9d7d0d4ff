import { type DynamicModule } from '@nestjs/common';
import { HANKO_AUTH_ASYNC_OPTIONS_TYPE, HANKO_AUTH_OPTIONS_TYPE, HankoAuthConfigurableModule } from './hanko-auth.module-definition.js';
/**
 * Import once in AppModule. Global, so `@UseGuards(HankoGuard)` resolves in every module.
 */
export declare class HankoAuthModule extends HankoAuthConfigurableModule {
    static forRoot(options: typeof HANKO_AUTH_OPTIONS_TYPE): DynamicModule;
    static forRootAsync(options: typeof HANKO_AUTH_ASYNC_OPTIONS_TYPE): DynamicModule;
}
