import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HankoAuthModule } from '../../src/index.js';
import { HankoKeySource } from '../../src/keys/hanko-key.source.js';
import { call, startApp, type StartedApp } from '../support/app.factory.js';
import { FaultyIssuer } from '../support/faulty-issuer.js';
import { ProtectedController } from '../support/test.controllers.js';

/**
 * Not a timing test: ~30 s of concurrent valid requests while Hanko rotates a key, goes down, comes
 * back and hangs. Valid tokens whose key is cached must never see a non-2xx answer, memory must stay
 * flat, and key fetches must stay within the cooldown budget.
 */
const DURATION_MS = Number(process.env.LOAD_TEST_MS ?? 30_000);
const WORKERS = 16;
const COOLDOWN_S = 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

let issuer: FaultyIssuer;
let started: StartedApp;
beforeAll(async () => {
  issuer = await FaultyIssuer.start(); // RSA-4096, like Hanko
  started = await startApp(
    'express',
    [
      HankoAuthModule.forRoot({
        apiUrl: issuer.apiUrl,
        audience: 'localhost',
        keys: { cacheMaxAge: 2, refetchCooldown: COOLDOWN_S, fetchTimeout: 0.5 },
      }),
    ],
    [ProtectedController],
  );
});
afterAll(async () => {
  await started.app.close();
  await issuer.close();
});

describe('sustained load while Hanko rotates, fails and recovers', () => {
  it(
    'answers every valid request 2xx, keeps memory flat and fetches within budget',
    async () => {
      const keys = started.app.get(HankoKeySource);
      const poolA = Array.from({ length: 500 }, () => issuer.sign());
      let poolB: string[] = [];
      const statuses = new Map<number, number>();
      let total = 0;
      let running = true;
      const startedAt = Date.now();

      const worker = async (n: number) => {
        let i = n;
        while (running) {
          // Mostly repeated tokens (browsers), some fresh ones; B tokens only once B's key is cached.
          const pool = poolB.length > 0 && i % 2 === 0 ? poolB : poolA;
          const token = i % 10 === 0 ? pool[(i * 7) % pool.length] : pool[i % 20];
          const res = await call(started.url, '/protected', { token });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          total++;
          i++;
        }
      };

      const scenario = async () => {
        await sleep(DURATION_MS * 0.1);
        const heapStart = heapAfterGc();
        // Rotation: Hanko adds a key that signs from now on.
        const b = await issuer.addKey();
        const mintedB = Array.from({ length: 200 }, () => issuer.sign({}, { kid: b.kid }));
        // The first B token may trigger the refetch; wait until the set holds B before loading with it.
        while (!keys.status().kids.includes(b.kid)) {
          await call(started.url, '/protected', { token: mintedB[0] });
          await sleep(200);
        }
        poolB = mintedB;
        await sleep(DURATION_MS * 0.15);
        await issuer.close(); // Hanko down
        await sleep(DURATION_MS * 0.25);
        await issuer.listen(); // back
        await sleep(DURATION_MS * 0.15);
        issuer.fault = 'hang'; // up but hanging
        await sleep(DURATION_MS * 0.15);
        issuer.fault = 'none';
        await sleep(Math.max(0, DURATION_MS - (Date.now() - startedAt)));
        running = false;
        return heapStart;
      };

      const fetchesBefore = issuer.jwksRequests;
      const [heapStart] = await Promise.all([scenario(), ...Array.from({ length: WORKERS }, (_, n) => worker(n))]);
      const elapsedS = (Date.now() - startedAt) / 1000;
      const heapEnd = heapAfterGc();
      const fetches = issuer.jwksRequests - fetchesBefore;

      // Visible in the CI log: what the run measured.
      console.log(
        `load: ${total} requests in ${elapsedS.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
          `key fetches ${fetches} (budget ${Math.ceil(elapsedS / COOLDOWN_S) + 1}), heap ${((heapEnd - heapStart) / 1048576).toFixed(1)} MB change`,
      );
      expect([...statuses.keys()]).toEqual([200]);
      expect(total).toBeGreaterThan(1000);
      expect(fetches).toBeLessThanOrEqual(Math.ceil(elapsedS / COOLDOWN_S) + 1);
      expect(heapEnd - heapStart).toBeLessThan(16 * 1024 * 1024);
    },
    DURATION_MS + 60_000,
  );
});
