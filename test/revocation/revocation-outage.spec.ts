import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HankoAuthModule, type HankoRevocationOptions } from '../../src/index.js';
import { ADAPTERS, call, startApp, type AdapterName, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { ProtectedController } from '../support/test.controllers.js';

/**
 * Hanko's /sessions/validate failing or hanging, seen from outside. Sessions without a cached answer
 * must not each make their own call and wait for the timeout: a hang is caught within a few times
 * Hanko's usual latency, then one probe per probeInterval, everyone else a 503 with Retry-After at
 * once, one warning per outage, and a bound on calls in flight. (The breaker's rules for opening:
 * revocation-breaker.spec.ts.)
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
  // Keys first, so every Hanko call we count below is a session check.
  expect((await call(started.url, '/public')).status).toBe(200);
  return started;
}

const warnings = (app: StartedApp) => app.lines().filter((l) => l.level === 'warn' && l.message.includes('sessions/validate'));

/** Healthy checks of fresh sessions, one at a time: the module learns how fast this Hanko answers, like a server that has been up a while. */
async function warmUp(app: StartedApp, sessions: number) {
  for (let i = 0; i < sessions; i++) expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(200);
}

/** Whether the app has seen a call to Hanko time out (logged before that request's answer is sent). */
const timedOut = (app: StartedApp) => app.lines().some((l) => l.message.includes('no complete answer within'));

/** Runs `count` requests, `concurrency` at a time, timing each and noting whether a call to Hanko had timed out by then. */
async function load(app: StartedApp, tokens: string[], count: number, concurrency: number) {
  const results: { status: number; retryAfter: number; ms: number; afterTimeout: boolean }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const token = tokens[next++ % tokens.length];
      const t0 = performance.now();
      const res = await call(app.url, '/protected', { token });
      results.push({
        status: res.status,
        retryAfter: Number(res.headers.get('retry-after')),
        ms: performance.now() - t0,
        afterTimeout: timedOut(app),
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

describe.each(ADAPTERS)('a hanging Hanko during revocation checks (%s)', (adapter) => {
  it('1000 requests over 100 sessions cost a handful of Hanko calls; all but those few answer 503 without waiting for the timeout', async () => {
    // A long timeout separates "answered at once" from "waited for Hanko" by an event, not a clock:
    // only the requests whose own call went to Hanko may still be open when that call times out.
    const app = await boot(adapter, { timeout: 30, probeInterval: 60, maxConcurrentCalls: 4 });
    await warmUp(app, 20);
    issuer.sessionFault = 'hang';
    const tokens = Array.from({ length: 100 }, () => issuer.sign());
    const before = issuer.validateRequests.GET;
    const results = await load(app, tokens, 1000, 25);
    const calls = issuer.validateRequests.GET - before;
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const quick = results
      .filter((r) => !r.afterTimeout)
      .map((r) => r.ms)
      .sort((a, b) => a - b);
    console.log(
      `revocation outage (${adapter}): ${results.length} requests, ${calls} Hanko calls, ${results.length - quick.length} answered ` +
        `after the timeout; latency ms of the rest p50 ${percentile(quick, 50).toFixed(1)} p99 ${percentile(quick, 99).toFixed(1)} ` +
        `max ${quick[quick.length - 1].toFixed(1)}, ${quick.filter((t) => t > 100).length} above 100 ms; overall max ${ms[ms.length - 1].toFixed(1)}`,
    );
    expect(issuer.validateRequests.GET - before).toBe(calls);
    expect(results.every((r) => r.status === 503 && r.retryAfter >= 1)).toBe(true);
    // At most maxConcurrentCalls calls before the hang was noticed, then none within probeInterval.
    expect(calls).toBeLessThanOrEqual(4);
    expect(results.length - quick.length).toBeLessThanOrEqual(calls);
    // One warning (the stall), however many requests; the timeouts that open the breaker add none.
    expect(warnings(app)).toHaveLength(1);
  }, 120_000);

  it('after probeInterval one probe goes to Hanko; when it succeeds, everyone is served again', async () => {
    const app = await boot(adapter, { timeout: 0.5, probeInterval: 1 });
    issuer.sessionFault = '500';
    const tokens = Array.from({ length: 20 }, () => issuer.sign());
    const before = issuer.validateRequests.GET;
    const failed = await load(app, tokens, 40, 10);
    expect(failed.every((r) => r.status === 503)).toBe(true);
    expect(issuer.validateRequests.GET - before).toBeLessThanOrEqual(failed.length / 4);
    issuer.sessionFault = 'none';
    // Before probeInterval: still 503 at once, no call.
    const calls = issuer.validateRequests.GET;
    expect((await call(app.url, '/protected', { token: tokens[0] })).status).toBe(503);
    expect(issuer.validateRequests.GET).toBe(calls);
    await sleep(1100);
    // The probe succeeds, and from then on everyone is served.
    expect((await call(app.url, '/protected', { token: tokens[0] })).status).toBe(200);
    const recovered = await load(app, tokens, 40, 10);
    expect(recovered.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(warnings(app)).toHaveLength(1);
    expect(app.logger.text()).toContain('Hanko sessions/validate works again');
  });

  it('sessions with a cached answer keep being served during the outage, without a Hanko call', async () => {
    const app = await boot(adapter, { cacheTtl: 30, timeout: 0.5, probeInterval: 30 });
    const known = issuer.sign();
    expect((await call(app.url, '/protected', { token: known })).status).toBe(200);
    issuer.sessionFault = 'hang';
    expect((await call(app.url, '/protected', { token: issuer.sign() })).status).toBe(503);
    const before = issuer.validateRequests.GET;
    for (let i = 0; i < 20; i++) expect((await call(app.url, '/protected', { token: known })).status).toBe(200);
    expect(issuer.validateRequests.GET).toBe(before);
  });
});

describe('bounded calls in flight while Hanko is slow to answer', () => {
  it('beyond maxConcurrentCalls a request waits briefly for a slot, then gets 503 without another call', async () => {
    const app = await boot('express', { timeout: 30, probeInterval: 30, maxConcurrentCalls: 2 });
    await warmUp(app, 5);
    issuer.sessionFault = 'hang';
    const before = issuer.validateRequests.GET;
    const hungBefore = issuer.hungCallsEnded;
    const waiting = [call(app.url, '/protected', { token: issuer.sign() }), call(app.url, '/protected', { token: issuer.sign() })];
    while (issuer.validateRequests.GET - before < 2) await sleep(10);
    const third = await call(app.url, '/protected', { token: issuer.sign() });
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(issuer.validateRequests.GET - before).toBe(2);
    // The two calls still hang: nothing has timed out, so the third was not waiting for the timeout.
    expect(issuer.hungCallsEnded).toBe(hungBefore);
    await app.app.close();
    started = undefined;
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([503, 503]);
  }, 60_000);

  it('while Hanko is healthy, a burst of new sessions beyond maxConcurrentCalls is queued, not refused', async () => {
    const app = await boot('fastify', { maxConcurrentCalls: 2 });
    const before = issuer.validateRequests.GET;
    const results = await load(
      app,
      Array.from({ length: 40 }, () => issuer.sign()),
      40,
      20,
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(issuer.validateRequests.GET - before).toBe(40);
  });
});
