import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const logger = new Logger('Sample');
  let devIssuer: HankoTestIssuer | undefined;
  if (!process.env.HANKO_API_URL) {
    // No Hanko configured: stand in for it with the package's test issuer, on loopback only.
    devIssuer = await HankoTestIssuer.start({ audience: ['localhost'] });
    process.env.HANKO_API_URL = devIssuer.apiUrl;
    process.env.HANKO_AUDIENCE = 'localhost';
  }
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  const url = `http://localhost:${port}`;
  if (devIssuer) {
    const token = devIssuer.sign();
    logger.log(`No HANKO_API_URL set: using an in-process test issuer at ${devIssuer.apiUrl} (never in production).`);
    console.log(
      [
        '',
        `A dev session token for a fake user (valid 12 h):`,
        token,
        '',
        'Try:',
        `  curl -i ${url}/`,
        `  curl -i ${url}/me                                   # 401, no token`,
        `  curl -i -H "Authorization: Bearer ${token}" ${url}/me`,
        `  curl -i --cookie "hanko=${token}" ${url}/protected`,
        '',
      ].join('\n'),
    );
  } else {
    logger.log(`Verifying Hanko sessions from ${process.env.HANKO_API_URL} for audience ${process.env.HANKO_AUDIENCE}`);
  }
  const close = async () => {
    await app.close();
    await devIssuer?.close();
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
}

void bootstrap();
