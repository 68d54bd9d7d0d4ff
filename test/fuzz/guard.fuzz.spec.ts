import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { TestingModule } from '@nestjs/testing';
import fc from 'fast-check';
import { HankoAuthModule, HankoGuard, RequireAmr, type HankoUser } from '../../src/index.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { bootGuard } from '../support/app.factory.js';
import { claimsOf } from '../support/token.forge.js';
import { AcceptanceOracle, KNOWN_SIGNATURE_CLASS, refusalProblem } from './acceptance.oracle.js';
import { FUZZ_TIMEOUT_MS, FuzzTally, fuzzParameters, runs } from './fuzz.config.js';
import { anyToken, authorizationHeader, cookieHeader } from './token.mutations.js';

/**
 * HankoGuard called the way Nest calls it, with request objects no HTTP server would build:
 * header values of every type, parsed cookies of every type. Nothing throws out of canActivate;
 * it answers true (only for an unaltered token) or rejects with a documented 401/403/503 whose
 * headers were written to the response. Verification is real: passport-jwt, jwks-rsa, RSA keys.
 */
class RouteController {
  open(this: void) {}
  @RequireAmr('passkey')
  passkey(this: void) {}
}
/** The handlers as Nest hands them to guards (the metadata lives on the functions). */
const handlers = { open: RouteController.prototype.open, passkey: RouteController.prototype.passkey };

const tally = new FuzzTally('guard.fuzz.spec.ts');
const startedAt = Date.now();
const REFETCH_COOLDOWN = 30;

let issuer: HankoTestIssuer;
let moduleRef: TestingModule;
let guard: HankoGuard;
let attackerKey: KeyObject;
let valid: string[];
const oracle = new AcceptanceOracle();

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  valid = [issuer.sign(), issuer.sign({ amr: ['pwd'] }), issuer.sign({ username: undefined, email: undefined })];
  for (const token of valid) oracle.add(token, claimsOf(token).sub as string);
  ({ moduleRef, guard } = await bootGuard([
    HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: 'localhost', keys: { refetchCooldown: REFETCH_COOLDOWN } }),
  ]));
});
afterAll(async () => {
  await moduleRef.close();
  await issuer.close();
  tally.print(startedAt);
});

describe('fuzz: HankoGuard.canActivate with hand-built requests', () => {
  it(
    'never throws, accepts nothing altered, rejects with documented exceptions and headers, fetches keys within budget',
    async () => {
      const token = anyToken(valid, attackerKey);
      const headerValue = (value: fc.Arbitrary<string | undefined>) =>
        fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }), fc.constant(null));
      const request = fc.record(
        {
          headers: fc.oneof(
            fc.record(
              { authorization: headerValue(authorizationHeader(token)), cookie: headerValue(cookieHeader(token)) },
              { requiredKeys: [] },
            ),
            fc.constantFrom(undefined, null, 'authorization', 42),
          ),
          cookies: fc.oneof(
            fc.dictionary(fc.constantFrom('hanko', 'other'), fc.oneof(token, fc.jsonValue({ maxDepth: 1 }))),
            fc.constant(undefined),
          ),
        },
        { requiredKeys: [] },
      );
      const fetchesBefore = issuer.jwksRequests;
      const began = Date.now();
      let accepted = 0;

      await fc.assert(
        fc.asyncProperty(request, fc.constantFrom<'open' | 'passkey'>('open', 'passkey'), async (input, handler) => {
          tally.count('guard: hand-built requests');
          const req = JSON.parse(JSON.stringify(input)) as Record<string, unknown> & { user?: HankoUser };
          const written: Record<string, string> = {};
          const response = { setHeader: (name: string, value: string) => (written[name.toLowerCase()] = value) };
          const context = new ExecutionContextHost([req, response], RouteController, handlers[handler]);
          context.setType('http');
          let answer: boolean | Promise<boolean>;
          try {
            answer = guard.canActivate(context);
          } catch (error) {
            throw new Error(`canActivate threw synchronously: ${String(error)}`, { cause: error });
          }
          let granted: boolean;
          try {
            granted = await answer;
          } catch (error) {
            if (!(error instanceof HttpException)) throw new Error(`rejected with a non-HTTP error: ${String(error)}`, { cause: error });
            tally.outcome(String(error.getStatus()));
            const problem = refusalProblem(error.getStatus(), (name) => written[name]);
            if (problem !== undefined) throw new Error(problem, { cause: error });
            return;
          }
          if (granted !== true) throw new Error(`answered ${String(granted)} instead of true or a rejection`);
          tally.outcome('200');
          const headers = (input as { headers?: Record<string, unknown> }).headers;
          const carried = typeof headers === 'object' && headers !== null ? [headers.authorization, headers.cookie] : [];
          const cookies = Object.values((input as { cookies?: Record<string, unknown> }).cookies ?? {});
          const verdict = oracle.judge(
            ...[...carried, ...cookies].map((v) => (typeof v === 'string' || Array.isArray(v) ? (v as string | string[]) : undefined)),
          );
          if (!verdict.allowed || req.user === undefined || !verdict.users.has(req.user.id)) {
            throw new Error(`accepted ${verdict.known ? KNOWN_SIGNATURE_CLASS : 'an altered or foreign token'} (user ${req.user?.id})`);
          }
          accepted++;
        }),
        fuzzParameters(runs(15_000)),
      );
      expect(accepted).toBeGreaterThan(0);
      expect(issuer.jwksRequests - fetchesBefore).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - began) / (REFETCH_COOLDOWN * 1000)));
    },
    FUZZ_TIMEOUT_MS,
  );
});
