import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoAuthModule, type HankoRevocationOptions } from '../../src/index.js';
import { ADAPTERS, call, startApp, type AdapterName, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { ProtectedController } from '../support/test.controllers.js';

/**
 * When the revocation breaker opens, and when it must not. One failed call is a blip, not an
 * outage: refusing every new session for probeInterval after it would turn a lost packet into a
 * wave of 503s. A 4xx is Hanko answering, not Hanko down. A hang is noticed by the absence of
 * answers within a few times Hanko's usual latency, not by the timeout, and a Hanko that is merely
 * slow, but steady, is learned rather than refused.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let issuer: FaultyIssuer;
let started: StartedApp | undefined;
beforeAll(async () => {
  issuer = await FaultyIssuer.start({ modulusLength: 2048 });
});
afterAll(() => issuer.close());
afterEach(async () => {
  issuer.sessionFault = 'none';
  await started?.app.close();
  started = undefined;
});

async function boot(adapter: AdapterName, revocation: HankoRevocationOptions) {
  started = await startApp(
    adapter,
    [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', revocation })],
    [ProtectedController],
  );
  expect((await call(started.url, '/public')).status).toBe(200);
  return started;
}

const warnings = (app: StartedApp) => app.lines().filter((l) => l.level === 'warn' && l.message.includes('sessions/validate'));
const newSession = (app: StartedApp) => call(app.url, '/protected', { token: issuer.sign() });

describe.each(ADAPTERS)('opening the revocation breaker (%s)', (adapter) => {
  it('one failed call does not refuse the next session: it makes its own call and is served', async () => {
    const app = await boot(adapter, { probeInterval: 60 });
    issuer.sessionFault = '500';
    const failed = await newSession(app);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('1');
    issuer.sessionFault = 'none';
    const before = issuer.validateRequests.GET;
    expect((await newSession(app)).status).toBe(200);
    expect(issuer.validateRequests.GET - before).toBe(1);
    expect(warnings(app)).toHaveLength(0);
  });

  it('failureThreshold failures in a row open it; an answer in between starts the count again', async () => {
    const app = await boot(adapter, { probeInterval: 60, failureThreshold: 3 });
    const before = issuer.validateRequests.GET;
    issuer.sessionFault = '500';
    expect((await newSession(app)).status).toBe(503);
    expect((await newSession(app)).status).toBe(503);
    issuer.sessionFault = 'none';
    expect((await newSession(app)).status).toBe(200);
    issuer.sessionFault = '500';
    expect((await newSession(app)).status).toBe(503);
    expect((await newSession(app)).status).toBe(503);
    expect(warnings(app)).toHaveLength(0);
    expect(issuer.validateRequests.GET - before).toBe(5);
    // The third failure in a row opens it: from then on 503 at once, no call, Retry-After until the probe.
    expect((await newSession(app)).status).toBe(503);
    expect(issuer.validateRequests.GET - before).toBe(6);
    const refused = await newSession(app);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(issuer.validateRequests.GET - before).toBe(6);
    expect(warnings(app)).toHaveLength(1);
    expect(warnings(app)[0].message).toContain('failed 3 times in a row (last: endpoint answered 500)');
  });

  it('Hanko answering 4xx never opens it: each such session gets 503, the next healthy answer is served at once, one warning', async () => {
    const app = await boot(adapter, { probeInterval: 60, failureThreshold: 2 });
    const before = issuer.validateRequests.GET;
    issuer.sessionFault = '404';
    for (let i = 0; i < 6; i++) expect((await newSession(app)).status).toBe(503);
    expect(issuer.validateRequests.GET - before).toBe(6);
    issuer.sessionFault = 'none';
    expect((await newSession(app)).status).toBe(200);
    expect(warnings(app)).toHaveLength(1);
    expect(warnings(app)[0].message).toContain("Hanko's sessions/validate refused a check: endpoint answered 404");
    expect(app.logger.text()).not.toContain('works again');
  });
});

describe('the breaker and the app', () => {
  it('a probe answered with a 4xx closes the breaker: Hanko is there, so everyone may ask again', async () => {
    const app = await boot('express', { probeInterval: 1, failureThreshold: 3 });
    issuer.sessionFault = '500';
    for (let i = 0; i < 3; i++) expect((await newSession(app)).status).toBe(503);
    expect(warnings(app).some((l) => l.message.includes('failed 3 times in a row'))).toBe(true);
    await sleep(1100);
    issuer.sessionFault = '404';
    expect((await newSession(app)).status).toBe(503);
    issuer.sessionFault = 'none';
    const before = issuer.validateRequests.GET;
    const results = await Promise.all(Array.from({ length: 5 }, () => newSession(app)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(issuer.validateRequests.GET - before).toBe(5);
  });

  it('closing the app while calls hang is not an outage of Hanko: no breaker opens, nothing is warned', async () => {
    const app = await boot('fastify', { timeout: 30, maxConcurrentCalls: 4, failureThreshold: 3 });
    issuer.sessionFault = 'hang';
    const before = issuer.validateRequests.GET;
    const pending = Array.from({ length: 4 }, () => newSession(app));
    while (issuer.validateRequests.GET - before < 4) await sleep(5);
    await app.app.close();
    started = undefined;
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(app.logger.text()).not.toContain('times in a row');
  });
});

describe.each(ADAPTERS)('a hang noticed before any call times out (%s)', (adapter) => {
  it('once no call has answered within the stall budget, sharers are released and new sessions get 503 without a call', async () => {
    const app = await boot(adapter, { timeout: 30, probeInterval: 60 });
    for (let i = 0; i < 10; i++) expect((await newSession(app)).status).toBe(200);
    issuer.sessionFault = 'hang';
    const before = issuer.validateRequests.GET;
    const hungBefore = issuer.hungCallsEnded;
    const token = issuer.sign();
    const owner = call(app.url, '/protected', { token });
    while (issuer.validateRequests.GET === before) await sleep(5);
    // The same session again: it shares the open call instead of making its own.
    const sharer = await call(app.url, '/protected', { token });
    expect(sharer.status).toBe(503);
    expect(sharer.headers.get('retry-after')).toBe('1');
    expect(issuer.hungCallsEnded).toBe(hungBefore);
    // Released by the stall itself (not by the 1 s cap on any wait), while the call is still open.
    expect(app.logger.text()).toMatch(/has not answered for \d+ ms \(1 call open\); 1 waiting request released/);
    // Seven call slots are free, yet nobody else is sent into the hang.
    const others = await Promise.all(Array.from({ length: 10 }, () => newSession(app)));
    expect(others.map((r) => r.status)).toEqual(Array(10).fill(503));
    expect(others.every((r) => r.headers.get('retry-after') === '1')).toBe(true);
    expect(issuer.validateRequests.GET - before).toBe(1);
    expect(issuer.hungCallsEnded).toBe(hungBefore);
    // A stall that lasts is an outage: one warning (a hiccup shorter than a second is only logged at debug).
    while (warnings(app).length === 0) await sleep(20);
    expect(warnings(app)).toHaveLength(1);
    expect(warnings(app)[0].message).toMatch(/has not answered for \d+ ms \(1 call open\); sessions without a cached answer get 503/);
    await app.app.close();
    started = undefined;
    expect((await owner).status).toBe(503);
  }, 60_000);

  it('a Hanko that is slow but steady is learned, not taken for a hanging one: a burst beyond the call slots is served', async () => {
    const app = await boot(adapter, { timeout: 5, maxConcurrentCalls: 4 });
    issuer.sessionFault = 'slow';
    issuer.sessionDelayMs = 150;
    // Long enough for the estimate to settle on a steady latency (its variation term shrinks).
    for (let i = 0; i < 10; i++) {
      const batch = await Promise.all(Array.from({ length: 4 }, () => newSession(app)));
      expect(batch.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    }
    // 8 sessions, each sent twice at once: 4 calls at a time, each 150 ms; the rest wait for a slot or share a call.
    const tokens = Array.from({ length: 8 }, () => issuer.sign());
    const results = await Promise.all([...tokens, ...tokens].map((token) => call(app.url, '/protected', { token })));
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
    expect(warnings(app)).toHaveLength(0);
  }, 60_000);
});
