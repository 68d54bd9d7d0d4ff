import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { HankoAuthModule, HankoGuard } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { bootGuard } from '../support/app.factory.js';
import { bearerHttpContext as httpContext } from '../support/http-context.js';

/**
 * Nest skips its awaits when a guard returns a plain boolean. The guard keeps that promise-free
 * answer for every token a cached key can verify, cached or not; only a wait on Hanko is a promise.
 */
let issuer: HankoTestIssuer;
let moduleRef: TestingModule;
let guard: HankoGuard;

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['app.example.com'] });
  ({ moduleRef, guard } = await bootGuard([
    HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'app.example.com', keys: { refetchCooldown: 0 } }),
  ]));
});
afterAll(async () => {
  await moduleRef.close();
  await issuer.close();
});

describe('a synchronous answer from HankoGuard', () => {
  it('for a new token signed by a cached key: true at once, user on the request', () => {
    const { request, context } = httpContext(issuer.sign({ sub: 'dddddddd-0000-4000-8000-000000000004' }));
    expect(guard.canActivate(context)).toBe(true);
    expect(request.user?.id).toBe('dddddddd-0000-4000-8000-000000000004');
  });

  it('for the same token again (a verified-token cache hit)', () => {
    const token = issuer.sign();
    expect(guard.canActivate(httpContext(token).context)).toBe(true);
    const { request, context } = httpContext(token);
    expect(guard.canActivate(context)).toBe(true);
    expect(request.user?.sessionId).toBeDefined();
  });

  it('but a promise while the key set must be fetched first (a rotation we have not seen)', async () => {
    const key = await issuer.addKey();
    const { request, context } = httpContext(issuer.sign({}, { kid: key.kid }));
    const answer = guard.canActivate(context);
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toBe(true);
    expect(request.user?.id).toBeDefined();
  });

  it('and a refusal is still a rejected promise with the fixed reason', async () => {
    const [header, payload] = issuer.sign().split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(512, 7).toString('base64url')}`;
    const answer = guard.canActivate(httpContext(forged).context);
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).rejects.toMatchObject({ message: 'invalid signature' });
  });
});
