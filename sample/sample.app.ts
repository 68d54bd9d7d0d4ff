import 'reflect-metadata';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { AppModule } from './app.module.js';
import { sampleSettings, type SampleSettings } from './sample.settings.js';

export interface SampleApp {
  app: INestApplication;
  settings: SampleSettings;
  /** The in-process stand-in for Hanko, only when asked for (HANKO_DEV_ISSUER=1 or `--dev-issuer`). */
  devIssuer: HankoTestIssuer | undefined;
  /** Closes the app, then the dev issuer. */
  close: () => Promise<void>;
}

export interface SampleStartOptions {
  /** `--dev-issuer` on the command line (what `npm start` passes): the same opt-in as HANKO_DEV_ISSUER=1. */
  devIssuer?: boolean;
  /** Where `.env` is read from (default: `.env` in the working directory). */
  envFilePath?: string;
}

/** Creates (does not start) the sample app, against a real Hanko or, when asked for, an in-process test issuer. */
export async function createSampleApp(options: NestApplicationOptions = {}, start: SampleStartOptions = {}): Promise<SampleApp> {
  // Configuration first, `.env` included; only then is the mode decided (see sampleSettings).
  const configModule = await ConfigModule.forRoot({ isGlobal: true, envFilePath: start.envFilePath });
  const settings = sampleSettings(new ConfigService(), start.devIssuer);
  // On loopback only; refuses to start under NODE_ENV=production.
  const devIssuer = settings.mode === 'dev' ? await HankoTestIssuer.start({ audience: ['localhost'] }) : undefined;
  try {
    // forceCloseConnections: a browser's idle keep-alive and speculative sockets would otherwise hold
    // app.close() (Ctrl+C) for up to a minute.
    const app = await NestFactory.create(AppModule.forRoot({ configModule, devIssuer }), {
      forceCloseConnections: true,
      ...options,
    });
    return {
      app,
      settings,
      devIssuer,
      close: async () => {
        await app.close();
        await devIssuer?.close();
      },
    };
  } catch (error) {
    await devIssuer?.close();
    throw error;
  }
}
