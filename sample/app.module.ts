import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { HankoAuthModule } from 'nestjs-hanko-auth';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { AppController } from './app.controller.js';
import { DevSessionController } from './dev-session.controller.js';
import { PageController } from './page.controller.js';

@Module({})
export class AppModule {
  /** With `devIssuer` (no HANKO_API_URL), sessions come from that in-process stand-in for Hanko. */
  static forRoot({ devIssuer }: { devIssuer?: HankoTestIssuer } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true }),
        HankoAuthModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            devIssuer
              ? { apiUrl: devIssuer.apiUrl, audience: devIssuer.audience }
              : {
                  apiUrl: config.getOrThrow<string>('HANKO_API_URL'),
                  // Several audiences may be given comma-separated, e.g. "example.com,app.example.com".
                  audience: config
                    .getOrThrow<string>('HANKO_AUDIENCE')
                    .split(',')
                    .map((a) => a.trim()),
                },
        }),
      ],
      // The dev sign-in endpoint exists only with the in-process issuer, never against a real Hanko.
      controllers: [AppController, PageController, ...(devIssuer ? [DevSessionController] : [])],
      providers: devIssuer ? [{ provide: HankoTestIssuer, useValue: devIssuer }] : [],
    };
  }
}
