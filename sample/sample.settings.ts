import type { ConfigService } from '@nestjs/config';

/** What the sample runs against: a real Hanko, or the in-process test issuer (opt-in, development only). */
export type SampleSettings = { mode: 'dev' } | { mode: 'hanko'; apiUrl: string; audience: string[] };

/** The sample's configuration cannot be used as given; the message says which variable and why. */
export class SampleConfigurationError extends Error {
  constructor(message: string) {
    super(`Sample: ${message}`);
    this.name = 'SampleConfigurationError';
  }
}

/**
 * Decides the mode from the loaded configuration (environment and `.env` alike), never from
 * `process.env` before `.env` is read: the dev issuer hands a valid session to anyone who asks, so it
 * runs only when asked for by name (HANKO_DEV_ISSUER=1, or `--dev-issuer`, which `npm start` passes),
 * and never next to a Hanko configuration, where a leftover opt-in would open the app to everyone.
 */
export function sampleSettings(config: ConfigService, devIssuerFlag = false): SampleSettings {
  const optIn = config.get<string>('HANKO_DEV_ISSUER')?.trim() ?? '';
  if (!['', '0', '1'].includes(optIn)) throw new SampleConfigurationError(`HANKO_DEV_ISSUER must be 1 or 0 (got "${optIn}")`);
  const apiUrl = config.get<string>('HANKO_API_URL')?.trim() || undefined;
  if (optIn === '1' || devIssuerFlag) {
    if (apiUrl !== undefined) {
      throw new SampleConfigurationError(
        'the dev issuer (HANKO_DEV_ISSUER=1 or --dev-issuer, as in `npm start`) and HANKO_API_URL are both set: ' +
          'refusing to run a session-minting stand-in next to a Hanko configuration. Use `npm run start:hanko` for Hanko.',
      );
    }
    return { mode: 'dev' };
  }
  if (apiUrl === undefined) {
    throw new SampleConfigurationError(
      'set HANKO_API_URL and HANKO_AUDIENCE (environment or .env), or HANKO_DEV_ISSUER=1 for the in-process test issuer',
    );
  }
  return { mode: 'hanko', ...hankoOptions(config) };
}

/** HankoAuthModule's options from HANKO_API_URL and HANKO_AUDIENCE (several audiences comma-separated). */
export function hankoOptions(config: ConfigService): { apiUrl: string; audience: string[] } {
  const audience = (config.get<string>('HANKO_AUDIENCE') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (audience.length === 0) throw new SampleConfigurationError('HANKO_AUDIENCE is required with HANKO_API_URL');
  return { apiUrl: config.getOrThrow<string>('HANKO_API_URL').trim(), audience };
}
