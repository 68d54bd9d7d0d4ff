import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HankoAuthModuleExtras, HankoAuthOptions } from './hanko-auth.options.js';

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
