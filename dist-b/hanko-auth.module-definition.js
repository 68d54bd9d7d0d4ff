import { ConfigurableModuleBuilder } from '@nestjs/common';
export const { ConfigurableModuleClass: HankoAuthConfigurableModule, MODULE_OPTIONS_TOKEN: HANKO_AUTH_OPTIONS, OPTIONS_TYPE: HANKO_AUTH_OPTIONS_TYPE, ASYNC_OPTIONS_TYPE: HANKO_AUTH_ASYNC_OPTIONS_TYPE, } = new ConfigurableModuleBuilder({ moduleName: 'HankoAuth' })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createHankoAuthOptions')
    .setExtras({ globalGuard: true }, (definition) => definition)
    .build();
//# sourceMappingURL=hanko-auth.module-definition.js.map