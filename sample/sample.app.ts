import 'reflect-metadata';
import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { AppModule } from './app.module.js';

export interface SampleApp {
  app: INestApplication;
  /** The in-process stand-in for Hanko, when HANKO_API_URL is not set. */
  devIssuer: HankoTestIssuer | undefined;
  /** Closes the app, then the dev issuer. */
  close: () => Promise<void>;
}

/** Creates (does not start) the sample app: against HANKO_API_URL, or else an in-process test issuer. */
export async function createSampleApp(options: NestApplicationOptions = {}): Promise<SampleApp> {
  // No Hanko configured: stand in for it with the package's test issuer, on loopback only.
  const devIssuer = process.env.HANKO_API_URL ? undefined : await HankoTestIssuer.start({ audience: ['localhost'] });
  try {
    // forceCloseConnections: a browser's idle keep-alive and speculative sockets would otherwise hold
    // app.close() (Ctrl+C) for up to a minute.
    const app = await NestFactory.create(AppModule.forRoot({ devIssuer }), { forceCloseConnections: true, ...options });
    return {
      app,
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
