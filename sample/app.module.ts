import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { HankoAuthModule } from 'nestjs-hanko-auth';
import { AppController } from './app.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    HankoAuthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        apiUrl: config.getOrThrow<string>('HANKO_API_URL'),
        // Several audiences may be given comma-separated, e.g. "example.com,app.example.com".
        audience: config.getOrThrow<string>('HANKO_AUDIENCE').split(',').map((a) => a.trim()),
      }),
    }),
  ],
  controllers: [AppController],
})
export class AppModule {}
