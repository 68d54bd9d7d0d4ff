import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import type { HankoAuthOptions } from './hanko-auth.options.js';
import type { HankoTokenExtractor } from './token/hanko-token.extractor.js';

/** Options of the module class itself, known when the module is declared (also with forRootAsync). */
export interface HankoAuthModuleExtras {
  /** Register HankoGuard for every route (default true). With false, only `@UseGuards(HankoGuard)` protects. */
  globalGuard?: boolean;
  /** Your subclass of HankoTokenExtractor, to read the token from elsewhere (e.g. a custom header). */
  tokenExtractor?: Type<HankoTokenExtractor>;
}

export const {
  ConfigurableModuleClass: HankoAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: HANKO_AUTH_OPTIONS,
  OPTIONS_TYPE: HANKO_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HANKO_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<HankoAuthOptions>({ moduleName: 'HankoAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHankoAuthOptions')
  .setExtras<HankoAuthModuleExtras>({ globalGuard: true }, (definition) => definition)
  .build();
