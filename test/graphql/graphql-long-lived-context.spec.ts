import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { TestingModule } from '@nestjs/testing';
import { HankoAuthModule, HankoGuard } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { bootGuard } from '../support/app.factory.js';

/**
 * An app-defined GraphQL context may hand the guard the same `req` for many operations, e.g.
 * `context: ({ req, connection }) => ({ req: connection ? connection.context : req })`. What the
 * guard keeps there must then stay true, as on a WebSocket: an expired token is refused later on.
 */
class Resolver {
  me(this: void) {}
}
const now = () => Math.floor(Date.now() / 1000);

let issuer: HankoTestIssuer;
let moduleRef: TestingModule;
let guard: HankoGuard;
beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ audience: ['localhost'], modulusLength: 2048 });
  ({ moduleRef, guard } = await bootGuard([HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', clockTolerance: 0 })]));
});
afterAll(async () => {
  await moduleRef.close();
  await issuer.close();
});

function operationOn(connectionRequest: object) {
  const context = new ExecutionContextHost([{}, {}, { req: connectionRequest }, {}], Resolver, Resolver.prototype.me);
  context.setType('graphql');
  return context;
}

describe('a GraphQL context whose req outlives one operation', () => {
  it('refuses the next operation once the token has expired', async () => {
    const exp = now() + 2;
    const connectionRequest = { headers: { authorization: `Bearer ${issuer.sign({ exp })}` } };
    expect(await guard.canActivate(operationOn(connectionRequest))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 100));
    await expect(guard.canActivate(operationOn(connectionRequest))).rejects.toMatchObject({ message: 'token expired' });
  });
});
