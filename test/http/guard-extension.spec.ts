import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HankoAuthModule, HankoGuard } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, call, startApp, type StartedApp } from '../support/app.factory.js';
import { ProtectedController } from '../support/test.controllers.js';

/**
 * Extending HankoGuard through its protected hooks. Route metadata is read once per handler, but
 * an overridden hook may look at the request, so its answer must never be reused for the next one.
 */
@Injectable()
class MaintenanceWindowGuard extends HankoGuard {
  protected override isPublic(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return request.headers['x-health-probe'] === 'yes' || super.isPublic(context);
  }
}

@Module({ providers: [MaintenanceWindowGuard, { provide: APP_GUARD, useExisting: MaintenanceWindowGuard }] })
class GuardModule {}

let issuer: HankoTestIssuer;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'] });
});
afterAll(() => issuer.close());

describe.each(ADAPTERS)('a HankoGuard subclass with a request-dependent isPublic() over %s', (adapter) => {
  let started: StartedApp;

  beforeAll(async () => {
    started = await startApp(
      adapter,
      [HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', globalGuard: false }), GuardModule],
      [ProtectedController],
    );
  });
  afterAll(() => started.app.close());

  it('is asked on every request: one public answer does not open the route for the next', async () => {
    const probe = await call(started.url, '/me/email', { headers: { 'x-health-probe': 'yes' } });
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ email: null });
    // The same handler, without the header: refused.
    expect((await call(started.url, '/me/email')).status).toBe(401);
    expect((await call(started.url, '/protected', { token: issuer.sign({ sub: 'abababab-0000-4000-8000-000000000001' }) })).body).toEqual({
      id: 'abababab-0000-4000-8000-000000000001',
    });
  });
});
