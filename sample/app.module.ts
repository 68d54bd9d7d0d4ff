import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HankoAuthModule } from 'nestjs-hanko-auth';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { AppController } from './app.controller.js';
import { DevSessionController } from './dev-session.controller.js';
import { PageController } from './page.controller.js';
import { hankoOptions } from './sample.settings.js';

@Module({})
export class AppModule {
  /**
   * `configModule`: ConfigModule.forRoot(), already loaded (the mode was decided from it).
   * `devIssuer`: only when opted in; sessions then come from that in-process stand-in for Hanko.
   */
  static forRoot({ configModule, devIssuer }: { configModule: DynamicModule; devIssuer?: HankoTestIssuer }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        configModule,
        HankoAuthModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            devIssuer ? { apiUrl: devIssuer.apiUrl, audience: devIssuer.audience } : hankoOptions(config),
        }),
      ],
      // The dev sign-in endpoint exists only with the in-process issuer, never against a real Hanko.
      controllers: [AppController, PageController, ...(devIssuer ? [DevSessionController] : [])],
      providers: devIssuer ? [{ provide: HankoTestIssuer, useValue: devIssuer }] : [],
    };
  }
}
