import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { HankoAuthModule, type HankoAuthOptions } from '../../src/index.js';
import { HankoStrategy } from '../../src/hanko.strategy.js';
import { HankoKeySource } from '../../src/keys/hanko-key.source.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { call, startApp, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';

/**
 * The verified-token cache seen from outside: how many full verifications (calls of the strategy's
 * validate, which runs after the signature check) a sequence of requests costs, and what it answers.
 */
let issuer: HankoTestIssuer;
let started: StartedApp | undefined;
let validate: jest.Spied<HankoStrategy['validate']> | undefined;

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'] });
});
afterAll(() => issuer.close());
afterEach(async () => {
  validate?.mockRestore();
  await started?.app.close();
  started = undefined;
});

async function boot(options: Partial<HankoAuthOptions>) {
  started = await startApp(
    'express',
    [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', ...options })],
    [ProtectedController],
  );
  // A verification that overlaps the first key fetch is not remembered (the key set changed under
  // it), so let the boot-time fetch finish before counting.
  await started.app.get(HankoKeySource).refresh();
  validate = jest.spyOn(started.app.get(HankoStrategy), 'validate');
}
const get = (token: string) => call(started!.url, '/protected', { token });
const now = () => Math.floor(Date.now() / 1000);

describe('verified-token cache', () => {
  it('verifies a repeated token once', async () => {
    await boot({});
    const token = issuer.sign({ sub: 'ffffffff-0000-4000-8000-000000000006' });
    for (let i = 0; i < 5; i++) expect((await get(token)).body).toEqual({ id: 'ffffffff-0000-4000-8000-000000000006' });
    expect(validate).toHaveBeenCalledTimes(1);
  });

  it('verifies every time when turned off', async () => {
    await boot({ tokenCache: false });
    const token = issuer.sign();
    for (let i = 0; i < 3; i++) expect((await get(token)).status).toBe(200);
    expect(validate).toHaveBeenCalledTimes(3);
  });

  it('never remembers a refusal', async () => {
    await boot({});
    const webhook = issuer.signWebhook();
    for (let i = 0; i < 3; i++) expect((await get(webhook)).status).toBe(401);
    expect(validate).toHaveBeenCalledTimes(3);
  });

  it('re-checks exp on every hit, without clock tolerance', async () => {
    await boot({ clockTolerance: 30 });
    const token = issuer.sign({ iat: now() - 60, exp: now() + 2 });
    expect((await get(token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // Expired by the clock, within the tolerance: the cache lets go and a full verification decides.
    expect((await get(token)).status).toBe(200);
    expect(validate).toHaveBeenCalledTimes(2);
  });

  it('is bounded, and evicts the least recently used token', async () => {
    await boot({ tokenCache: { maxEntries: 2 } });
    const [a, b, c] = [issuer.sign(), issuer.sign(), issuer.sign()];
    for (const token of [a, b, a, c]) expect((await get(token)).status).toBe(200);
    expect(validate).toHaveBeenCalledTimes(3);
    // a was used after b, so b went when c came in.
    expect((await get(a)).status).toBe(200);
    expect(validate).toHaveBeenCalledTimes(3);
    expect((await get(b)).status).toBe(200);
    expect(validate).toHaveBeenCalledTimes(4);
  });

  it('keeps a token in steady use however many new tokens pass through', async () => {
    await boot({ tokenCache: { maxEntries: 4 } });
    const hot = issuer.sign();
    expect((await get(hot)).status).toBe(200);
    for (let i = 0; i < 12; i++) {
      expect((await get(issuer.sign())).status).toBe(200);
      expect((await get(hot)).status).toBe(200);
    }
    expect(validate).toHaveBeenCalledTimes(13);
  });
});
