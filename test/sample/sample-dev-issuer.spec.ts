import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoTestIssuer, HankoTestIssuerInProductionError } from '../../src/testing/index.js';
import { createSampleApp, type SampleApp } from '../../sample/sample.app.js';
import { SampleConfigurationError } from '../../sample/sample.settings.js';
import { call } from '../support/app.factory.js';

const VARIABLES = ['HANKO_API_URL', 'HANKO_AUDIENCE', 'HANKO_DEV_ISSUER', 'NODE_ENV'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let directory: string;
let hanko: HankoTestIssuer; // plays the real Hanko the sample is configured for
const started: SampleApp[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'sample-env-'));
  hanko = await HankoTestIssuer.start({ audience: ['localhost'], modulusLength: 2048 });
});
afterEach(async () => {
  for (const sample of started.splice(0)) await sample.close();
  // ConfigModule copies .env into process.env: start every test from the same environment.
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
afterAll(async () => {
  await hanko.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A `.env` file with these lines, and no such variable in the process environment. */
function envFile(name: string, lines: Record<string, string>): string {
  for (const variable of ['HANKO_API_URL', 'HANKO_AUDIENCE', 'HANKO_DEV_ISSUER']) delete process.env[variable];
  const path = join(directory, name);
  writeFileSync(
    path,
    Object.entries(lines)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return path;
}

async function start(envFilePath: string, devIssuer?: boolean): Promise<{ sample: SampleApp; url: string }> {
  const sample = await createSampleApp({ logger: false, abortOnError: false }, { envFilePath, devIssuer });
  started.push(sample);
  await sample.app.listen(0, '127.0.0.1');
  return { sample, url: (await sample.app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe('the sample decides on its dev issuer after loading its configuration', () => {
  it('configured the normal way (HANKO_API_URL in .env): no dev issuer, no session for anyone who asks', async () => {
    const { sample, url } = await start(envFile('hanko.env', { HANKO_API_URL: hanko.apiUrl, HANKO_AUDIENCE: 'localhost' }));
    expect(sample.settings).toEqual({ mode: 'hanko', apiUrl: hanko.apiUrl, audience: ['localhost'] });
    expect(sample.devIssuer).toBeUndefined();
    expect((await fetch(`${url}/dev/session`, { method: 'POST' })).status).toBe(404);
    expect((await call(url, '/me')).status).toBe(401);
    // Sessions of the configured Hanko work.
    const me = await call(url, '/me', { token: hanko.sign({ sub: 'f0f0f0f0-0000-4000-8000-000000000001' }) });
    expect(me.body).toMatchObject({ id: 'f0f0f0f0-0000-4000-8000-000000000001' });
  });

  it('opted in (HANKO_DEV_ISSUER=1 in .env, or --dev-issuer as npm start passes): the dev issuer and its sign-in', async () => {
    for (const [file, flag] of [
      [() => envFile('dev.env', { HANKO_DEV_ISSUER: '1' }), false],
      [() => envFile('empty.env', {}), true],
    ] as const) {
      const { sample, url } = await start(file(), flag);
      expect(sample.settings).toEqual({ mode: 'dev' });
      const minted = await fetch(`${url}/dev/session`, { method: 'POST' });
      expect(minted.status).toBe(201);
      const { token } = (await minted.json()) as { token: string };
      expect((await call(url, '/me', { token })).status).toBe(200);
      // One sample at a time: its module registers the 'hanko' Passport strategy for this process.
      for (const running of started.splice(0)) await running.close();
    }
  });

  it('refuses to start with both the opt-in and a Hanko configuration (a leftover opt-in must not open the app)', async () => {
    const file = envFile('both.env', { HANKO_API_URL: hanko.apiUrl, HANKO_AUDIENCE: 'localhost' });
    await expect(start(file, true)).rejects.toThrow(SampleConfigurationError);
    const inEnv = envFile('both-in-env.env', { HANKO_API_URL: hanko.apiUrl, HANKO_AUDIENCE: 'localhost', HANKO_DEV_ISSUER: '1' });
    await expect(start(inEnv)).rejects.toThrow(/HANKO_API_URL are both set/);
  });

  it('refuses to start with neither, saying what to set', async () => {
    await expect(start(envFile('none.env', {}))).rejects.toThrow(/set HANKO_API_URL and HANKO_AUDIENCE .* or HANKO_DEV_ISSUER=1/);
    await expect(start(envFile('typo.env', { HANKO_DEV_ISSUER: 'yes' }))).rejects.toThrow(/HANKO_DEV_ISSUER must be 1 or 0/);
  });

  it('opted in under NODE_ENV=production: the test issuer refuses to start', async () => {
    process.env.NODE_ENV = 'production';
    await expect(start(envFile('prod.env', { HANKO_DEV_ISSUER: '1' }))).rejects.toThrow(HankoTestIssuerInProductionError);
  });
});

describe('HankoTestIssuer under NODE_ENV=production', () => {
  it('refuses to start, with a typed error, however it is created', async () => {
    process.env.NODE_ENV = 'production';
    await expect(HankoTestIssuer.start({ modulusLength: 2048 })).rejects.toThrow(HankoTestIssuerInProductionError);
    expect(() => new HankoTestIssuer()).toThrow(
      'HankoTestIssuer refuses to start under NODE_ENV=production: it mints valid sessions for anyone; use it in tests and local development only',
    );
  });
});
