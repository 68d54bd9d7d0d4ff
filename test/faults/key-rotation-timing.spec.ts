import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { HankoAuthModule, type HankoAuthOptions, type HankoKeyOptions } from '../../src/index.js';
import { HankoKeySource } from '../../src/keys/hanko-key.source.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type AdapterName, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';

/**
 * Key rotation seen from outside, one timing per test: Hanko publishes a new key and signs with it
 * right away. A 401 makes a frontend log its user out, so a legitimate token must get a 200 on its
 * first request, or (only when a kid-miss refetch ran within the cooldown) a 503 with Retry-After.
 * No wall-clock thresholds: the tests wait for events (a fetch done) and compare counts and statuses.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowS = () => Math.floor(Date.now() / 1000);

let issuer: HankoTestIssuer;
let started: StartedApp | undefined;
beforeEach(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
});
afterEach(async () => {
  await started?.app.close();
  started = undefined;
  await issuer.close();
});

async function boot(keys: HankoKeyOptions = {}, extra: Partial<HankoAuthOptions> = {}, adapter: AdapterName = 'express') {
  started = await startApp(
    adapter,
    [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', keys, ...extra })],
    [ProtectedController],
  );
  return started;
}

/** Waits (without a time limit of its own) until the key source has completed `count` fetches. */
async function fetchesDone(app: StartedApp, count: number): Promise<void> {
  const keys = app.app.get(HankoKeySource);
  // A guard against waiting forever when the fetch never comes (the defect under test), not a timing claim.
  const giveUpAt = Date.now() + 15_000;
  while (keys.status().fetchCount < count || keys.status().fetching) {
    if (Date.now() > giveUpAt) throw new Error(`expected ${count} key fetches, saw ${keys.status().fetchCount}`);
    await sleep(20);
  }
}

/** A kid-miss refetch for a token Hanko never published: it starts the kid-miss cooldown. */
async function spendCooldown(app: StartedApp): Promise<void> {
  const before = issuer.jwksRequests;
  const stranger = await call(app.url, '/protected', { token: issuer.sign({}, { header: { kid: randomUUID() } }) });
  // Hanko was asked after this token arrived and does not publish its key: a stranger, 401.
  expect(stranger.status).toBe(401);
  expect(issuer.jwksRequests).toBe(before + 1);
}

function expectRetryLater(res: Awaited<ReturnType<typeof call>>, cooldown: number) {
  expect(res.status).toBe(503);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(Math.ceil(cooldown));
}

describe.each(ADAPTERS)('a rotated key is accepted on its first request (%s)', (adapter) => {
  it('right after the boot prefetch: the prefetch does not start the kid-miss cooldown', async () => {
    const app = await boot({}, {}, adapter); // default cooldown: 30 s
    await fetchesDone(app, 1);
    const next = await issuer.addKey({ modulusLength: 2048 });
    const res = await call(app.url, '/protected', { token: issuer.sign({}, { kid: next.kid }) });
    expect(res.status).toBe(200);
    expect(issuer.jwksRequests).toBe(2);
  });

  it('right after a scheduled refresh: the refresh does not start the kid-miss cooldown either', async () => {
    const app = await boot({ cacheMaxAge: 1 }, {}, adapter);
    await fetchesDone(app, 1);
    await sleep(1100);
    // A known kid after cacheMaxAge: served at once, refreshed in the background.
    expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    await fetchesDone(app, 2);
    const next = await issuer.addKey({ modulusLength: 2048 });
    expect((await call(app.url, '/protected', { token: issuer.sign({}, { kid: next.kid }) })).status).toBe(200);
  });
});

describe('when a kid-miss refetch already ran within the cooldown', () => {
  it('a just-minted token of a new key gets 503 + Retry-After (never 401), then 200 once the cooldown ends', async () => {
    const cooldown = 2;
    const app = await boot({ refetchCooldown: cooldown });
    await fetchesDone(app, 1);
    await spendCooldown(app);
    const next = await issuer.addKey({ modulusLength: 2048 });
    const token = issuer.sign({}, { kid: next.kid });
    const early = await call(app.url, '/protected', { token });
    expectRetryLater(early, cooldown);
    await sleep(Number(early.headers.get('retry-after')) * 1000 + 100);
    expect((await call(app.url, '/protected', { token })).status).toBe(200);
  });

  it('a token minted in the same second as our last fetch is a possible rotation (iat is whole seconds)', async () => {
    const app = await boot({}, { clockTolerance: 0 });
    await fetchesDone(app, 1);
    await spendCooldown(app);
    const fetchedAt = app.app.get(HankoKeySource).status().fetchedAt!.getTime();
    const next = await issuer.addKey({ modulusLength: 2048 });
    // iat truncated to the second our last fetch happened in: not "older than our key set".
    const res = await call(app.url, '/protected', { token: issuer.sign({ iat: Math.floor(fetchedAt / 1000) }, { kid: next.kid }) });
    expectRetryLater(res, 30);
  });

  it('a token from a Hanko whose clock runs behind ours (within clockTolerance) is a possible rotation', async () => {
    const app = await boot(); // clockTolerance 30
    await fetchesDone(app, 1);
    await spendCooldown(app);
    const next = await issuer.addKey({ modulusLength: 2048 });
    expectRetryLater(await call(app.url, '/protected', { token: issuer.sign({ iat: nowS() - 20 }, { kid: next.kid }) }), 30);
  });

  it('a token issued before our last fetch (beyond clockTolerance) is a stranger: 401', async () => {
    const app = await boot();
    await fetchesDone(app, 1);
    await spendCooldown(app);
    const res = await call(app.url, '/protected', { token: issuer.sign({ iat: nowS() - 120 }, { header: { kid: randomUUID() } }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error_description="unknown signing key"');
  });

  it('an unsigned iat in the future beyond clockTolerance is no hint: 401, not a fake outage', async () => {
    const app = await boot();
    await fetchesDone(app, 1);
    await spendCooldown(app);
    const far = await call(app.url, '/protected', { token: issuer.sign({ iat: nowS() + 3600 }, { header: { kid: randomUUID() } }) });
    expect(far.status).toBe(401);
    expect(far.headers.get('www-authenticate')).toContain('error_description="unknown signing key"');
    // Within the tolerance it still is one (a Hanko clock a little ahead of ours).
    const near = await call(app.url, '/protected', { token: issuer.sign({ iat: nowS() + 20 }, { header: { kid: randomUUID() } }) });
    expectRetryLater(near, 30);
    expect(issuer.jwksRequests).toBe(2);
  });
});

describe('scheduled refreshes follow cacheMaxAge and max-age, not the kid-miss cooldown', () => {
  it('keys.cacheMaxAge 1 with the default 30 s cooldown refreshes after about 1 s', async () => {
    const app = await boot({ cacheMaxAge: 1 });
    await fetchesDone(app, 1);
    for (const expected of [2, 3]) {
      await sleep(1100);
      expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
      await fetchesDone(app, expected);
      expect(issuer.jwksRequests).toBe(expected);
    }
  });

  it('a shorter Cache-Control max-age from Hanko wins over cacheMaxAge, whatever the cooldown', async () => {
    issuer.cacheControl = 'public, max-age=1';
    const app = await boot({ cacheMaxAge: 600 });
    await fetchesDone(app, 1);
    await sleep(1100);
    expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    await fetchesDone(app, 2);
    expect(issuer.jwksRequests).toBe(2);
  });

  it('max-age=0 is bounded below by the 1 s floor: a burst of requests costs no fetch', async () => {
    issuer.cacheControl = 'no-cache, max-age=0';
    const app = await boot({ refetchCooldown: 0 });
    await fetchesDone(app, 1);
    const since = Date.now();
    for (let i = 0; i < 10; i++) expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    // One refresh per started second at most, however slow this machine is today.
    expect(issuer.jwksRequests - 1).toBeLessThanOrEqual(Math.ceil((Date.now() - since) / 1000));
  });

  it('a failing refresh is retried per refresh period, not per request', async () => {
    const app = await boot({ cacheMaxAge: 1 });
    await fetchesDone(app, 1);
    await issuer.close();
    await sleep(1100);
    // Hanko is down: the stale set keeps serving; the refresh fails and is not retried per request.
    const since = Date.now();
    for (let i = 0; i < 20; i++) expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
    const attempts = app.app.get(HankoKeySource).status().fetchCount - 1;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - since) / 1000));
  });
});
