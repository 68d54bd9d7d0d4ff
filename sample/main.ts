import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createSampleApp } from './sample.app.js';
import { SampleConfigurationError } from './sample.settings.js';

async function bootstrap() {
  const logger = new Logger('Sample');
  // `--dev-issuer` (npm start): the in-process test issuer, unless Hanko is configured (then it refuses to start).
  const { app, settings, devIssuer, close } = await createSampleApp({}, { devIssuer: process.argv.includes('--dev-issuer') });
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  const url = `http://localhost:${port}`;
  if (devIssuer) {
    const token = devIssuer.sign();
    logger.log(`Dev issuer opted in: sessions come from an in-process test issuer at ${devIssuer.apiUrl} (never in production).`);
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
  } else if (settings.mode === 'hanko') {
    logger.log(`Verifying Hanko sessions from ${settings.apiUrl} for audience ${settings.audience.join(', ')}`);
    logger.log(`Open ${url}/app to sign in with Hanko's <hanko-auth> and see /me`);
  }
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
}

bootstrap().catch((error: unknown) => {
  // A configuration mistake is said in one line; anything else keeps its stack.
  new Logger('Sample').error(error instanceof SampleConfigurationError ? error.message : error);
  process.exitCode = 1;
});
