import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { HankoAuthModule, HankoGuard } from '../../src/index.js';
import { HankoAuthenticator } from '../../src/hanko.authenticator.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { bootGuard } from '../support/app.factory.js';
import { bearerHttpContext as httpContext } from '../support/http-context.js';
import { claimsOf } from '../support/token.forge.js';

const sessionOf = (token: string) => claimsOf(token).session_id as string;

/**
 * With revocation on, a session whose answer is cached in this process costs no promise, like a
 * token-cache hit: "revocation on, all answers cached" must run at the speed of revocation off.
 */
let issuer: HankoTestIssuer;
let moduleRef: TestingModule;
let guard: HankoGuard;

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  ({ moduleRef, guard } = await bootGuard([
    HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', revocation: { cacheTtl: 60 } }),
  ]));
});
afterAll(async () => {
  await moduleRef.close();
  await issuer.close();
});

describe('revocation answers cached in this process', () => {
  it('the first request of a session waits on Hanko (a promise); the next ones get a plain true', async () => {
    const token = issuer.sign();
    const first = guard.canActivate(httpContext(token).context);
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toBe(true);
    const { request, context } = httpContext(token);
    expect(guard.canActivate(context)).toBe(true);
    expect(request.user?.sessionId).toBe(sessionOf(token));
  });

  it('another token of the same session (a token-cache miss) is answered synchronously too', async () => {
    const token = issuer.sign();
    await guard.canActivate(httpContext(token).context);
    const sibling = issuer.sign({ session_id: claimsOf(token).session_id, sub: claimsOf(token).sub });
    expect(guard.canActivate(httpContext(sibling).context)).toBe(true);
  });

  it('the authenticator returns a plain outcome, and a cached "revoked" answer is a plain refusal', async () => {
    const authenticator = moduleRef.get(HankoAuthenticator);
    const token = issuer.sign();
    issuer.revokeSession(sessionOf(token));
    const first = authenticator.authenticate(httpContext(token).request);
    expect(first).toBeInstanceOf(Promise);
    expect((await first).failure).toMatchObject({ reason: 'session revoked' });
    const again = authenticator.authenticate(httpContext(token).request);
    expect(again).not.toBeInstanceOf(Promise);
    expect((again as Awaited<typeof first>).failure).toMatchObject({ reason: 'session revoked' });
  });
});
