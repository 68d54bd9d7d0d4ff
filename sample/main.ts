import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createSampleApp } from './sample.app.js';

async function bootstrap() {
  const logger = new Logger('Sample');
  const { app, devIssuer, close } = await createSampleApp();
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
        `Or open ${url}/app in a browser and click "Sign in (dev)".`,
        '',
      ].join('\n'),
    );
  } else {
    logger.log(`Verifying Hanko sessions from ${process.env.HANKO_API_URL} for audience ${process.env.HANKO_AUDIENCE}`);
    logger.log(`Open ${url}/app to sign in with Hanko's <hanko-auth> and see /me`);
  }
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
}

void bootstrap();
