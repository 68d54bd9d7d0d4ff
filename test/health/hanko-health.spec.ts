import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { HankoAuthModule, Public } from '../../src/index.js';
import { HankoHealthIndicator } from '../../src/health/index.js';
import { HankoKeySource } from '../../src/keys/hanko-key.source.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { call, startApp, type StartedApp } from '../support/app.factory.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly hanko: HankoHealthIndicator,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.hanko.isHealthy('hanko')]);
  }
}

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [HankoHealthIndicator] })
class HealthModule {}

let issuer: HankoTestIssuer;
let app: StartedApp;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  app = await startApp(
    'express',
    [
      HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', keys: { refetchCooldown: 0, fetchTimeout: 0.5 } }),
      HealthModule,
    ],
    [],
  );
});
afterAll(async () => {
  await app.app.close();
  await issuer.close();
});

/** The parts of terminus's answer these tests read: our indicator's details, under `info` when up, `error` when down. */
type HealthBody = { info: { hanko: Record<string, unknown> }; error: { hanko: Record<string, unknown> } };

describe('HankoHealthIndicator (@nestjs/terminus)', () => {
  it('is up when the key set was fetched and holds a usable key', async () => {
    await app.app.get(HankoKeySource).refresh();
    const res = await call<HealthBody>(app.url, '/health');
    expect(res.status).toBe(200);
    expect(res.body.info.hanko).toMatchObject({ status: 'up', keys: 1, servingStale: false });
    expect(res.body.info.hanko.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it('is down when Hanko is unreachable, and says the cached set is still serving', async () => {
    await issuer.close();
    try {
      await app.app.get(HankoKeySource).refresh();
      const res = await call<HealthBody>(app.url, '/health');
      expect(res.status).toBe(503);
      expect(res.body.error.hanko).toMatchObject({ status: 'down', keys: 1, servingStale: true });
      expect(res.body.error.hanko.lastError).toMatch(/unreachable/);
    } finally {
      await issuer.listen();
    }
    await app.app.get(HankoKeySource).refresh();
    expect((await call(app.url, '/health')).status).toBe(200);
  });

  it('is down with no keys at all when Hanko was never reachable', async () => {
    const down = await HankoTestIssuer.start({ modulusLength: 2048 });
    await down.close();
    // A second app next to the spec's own: Passport's one strategy table needs another name.
    const cold = await startApp(
      'express',
      [HankoAuthModule.forRoot({ apiUrl: down.apiUrl, audience: 'localhost', strategyName: 'hanko-cold' }), HealthModule],
      [],
    );
    await cold.app.get(HankoKeySource).refresh();
    const res = await call<HealthBody>(cold.url, '/health');
    expect(res.status).toBe(503);
    expect(res.body.error.hanko).toMatchObject({ status: 'down', keys: 0, fetchedAt: null, servingStale: false });
    await cold.app.close();
  });
});
