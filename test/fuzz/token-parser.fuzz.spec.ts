import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { HankoAuthConfig } from '../../src/hanko-auth.config.js';
import { HankoTokenRefusal } from '../../src/errors/hanko-refusal.reason.js';
import { KID_PATTERN } from '../../src/keys/hanko-key.policy.js';
import { HankoSessionPolicy } from '../../src/session/hanko-session.policy.js';
import { HankoTokenExtractor } from '../../src/token/hanko-token.extractor.js';
import { precheckToken } from '../../src/token/hanko-token.precheck.js';
import { HankoTestIssuer } from '../../src/testing/index.js';
import { FUZZ_TIMEOUT_MS, FuzzTally, fuzzParameters, runs } from './fuzz.config.js';
import { anyToken, authorizationHeader, cookieHeader, garbageToken, mutatedToken } from './token.mutations.js';

/**
 * The parsing layers on their own, where inputs are cheap: the extractor, the pre-check and the
 * session policy each either answer or throw HankoTokenRefusal, never anything else, for any input.
 */
const tally = new FuzzTally('token-parser.fuzz.spec.ts');
const startedAt = Date.now();
const MAX_TOKEN_BYTES = 8192;
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'crit', 'b64', 'zip', 'enc'];

let issuer: HankoTestIssuer;
let valid: string[];
let attackerKey: KeyObject;

beforeAll(async () => {
  issuer = await HankoTestIssuer.start({ modulusLength: 2048 });
  valid = [issuer.sign(), issuer.sign({ amr: 'pwd', email: undefined }), issuer.sign({ aud: ['other', 'localhost'] })];
  attackerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
});
afterAll(async () => {
  await issuer.close();
  tally.print(startedAt);
});

/** Runs `body`, which must return normally or throw HankoTokenRefusal; anything else fails the property. */
function refusesCleanly<T>(body: () => T): T | HankoTokenRefusal {
  try {
    return body();
  } catch (error) {
    if (error instanceof HankoTokenRefusal) return error;
    throw new Error(`threw ${(error as Error)?.name ?? typeof error} instead of a refusal: ${String((error as Error)?.message)}`, {
      cause: error,
    });
  }
}

function decodedHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A property's assertion: jest's expect costs too much per input at these counts. */
function check(condition: boolean, problem: string, input: unknown): void {
  if (!condition) throw new Error(`${problem} for ${JSON.stringify(input)?.slice(0, 300)}`);
}

/** What passing the pre-check promises, checked independently of how the pre-check does it. */
function expectPrecheckPromises(raw: string) {
  const outcome = refusesCleanly(() => precheckToken(raw, MAX_TOKEN_BYTES));
  if (outcome instanceof HankoTokenRefusal) return;
  check(raw.length <= MAX_TOKEN_BYTES, 'oversized token passed', raw);
  const segs = raw.split('.');
  check(segs.length === 3 && segs.every((seg) => /^[A-Za-z0-9_-]+$/.test(seg)), 'not three base64url segments', raw);
  const header = decodedHeader(raw);
  check(header.alg === 'RS256', 'alg other than RS256 passed', raw);
  check(
    FORBIDDEN_HEADERS.every((name) => !Object.hasOwn(header, name)),
    'forbidden header passed',
    raw,
  );
  check(outcome.kid === header.kid && KID_PATTERN.test(outcome.kid), 'kid not the header kid or not a valid kid', raw);
  check(outcome.issuedAt === undefined || Number.isFinite(outcome.issuedAt), 'non-numeric iat passed', raw);
}

describe('fuzz: the pre-check', () => {
  it(
    'random bytes and JWS-shaped garbage: a refusal or a token that keeps every promise',
    () => {
      fc.assert(
        fc.property(garbageToken(), (raw) => {
          tally.count('pre-check: random bytes / garbage');
          expectPrecheckPromises(raw);
        }),
        fuzzParameters(runs(35_000)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'structured mutations of signed tokens: a refusal or a token that keeps every promise',
    () => {
      fc.assert(
        fc.property(mutatedToken(valid, attackerKey), (raw) => {
          tally.count('pre-check: mutations of signed tokens');
          expectPrecheckPromises(raw);
        }),
        fuzzParameters(runs(35_000)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: the extractor', () => {
  const carrier = (token: fc.Arbitrary<string>) =>
    fc.record(
      {
        headers: fc.record(
          {
            authorization: fc.oneof(authorizationHeader(token), fc.array(fc.string(), { maxLength: 3 })),
            cookie: fc.oneof(cookieHeader(token), fc.array(fc.string(), { maxLength: 2 })),
          },
          { requiredKeys: [] },
        ),
        cookies: fc.dictionary(fc.constantFrom('hanko', 'other', '__proto__'), fc.oneof(token, fc.jsonValue({ maxDepth: 1 }))),
      },
      { requiredKeys: [] },
    );

  it(
    'random Authorization and Cookie headers: undefined, a trimmed token, or a refusal',
    () => {
      const extractor = new HankoTokenExtractor(new HankoAuthConfig({ apiUrl: 'https://hanko.example.com', audience: 'localhost' }));
      fc.assert(
        fc.property(
          carrier(anyToken(valid, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey)),
          (request: Parameters<HankoTokenExtractor['extract']>[0]) => {
            tally.count('extractor: random headers and cookies');
            const outcome = refusesCleanly(() => extractor.extract(request));
            if (outcome === undefined || outcome instanceof HankoTokenRefusal) return;
            check(typeof outcome === 'string' && outcome !== '', 'empty or non-string token', request);
            // Read from a header, it is the value without the spaces around it; what it may contain
            // (tabs, ';', any byte) is the pre-check's to refuse. A cookie parser's result is the app's.
            if (typeof request.cookies?.hanko !== 'string') check(!/^ | $/.test(outcome), 'token with surrounding spaces', request);
          },
        ),
        fuzzParameters(runs(12_000)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a valid token in a well-formed header or cookie is always found (the property above is not vacuous)',
    () => {
      const extractor = new HankoTokenExtractor(new HankoAuthConfig({ apiUrl: 'https://hanko.example.com', audience: 'localhost' }));
      fc.assert(
        fc.property(
          fc.constantFrom(...valid),
          fc.constantFrom('Bearer ', 'bearer ', 'BEARER   '),
          fc.boolean(),
          (token, scheme, inCookie) => {
            tally.count('extractor: well-formed carriers');
            const request = inCookie
              ? { headers: { cookie: `a=b; hanko=${token}; c=d` } }
              : { headers: { authorization: `${scheme}${token}` } };
            check(extractor.extract(request) === token, 'valid token not found', request);
          },
        ),
        fuzzParameters(runs(2_000)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: the session policy', () => {
  const policy = new HankoSessionPolicy(30);
  const now = Math.floor(Date.now() / 1000);
  const claimValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.integer(),
    fc.double(),
    fc.uuid(),
    fc.constantFrom('hanko webhooks', '', ' '),
  );
  const payload = fc.oneof(
    fc.dictionary(fc.constantFrom('sub', 'session_id', 'iat', 'exp', 'evt', 'email', 'amr', 'username', 'aud', 'x'), claimValue),
    fc
      .record({ name: fc.constantFrom('sub', 'session_id', 'iat', 'exp', 'evt', 'email', 'amr', 'username'), value: claimValue })
      .map(({ name, value }) => ({ ...issuer.sessionClaims(), [name]: value })),
    fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
  );

  it(
    'random and re-typed claims: a frozen user whose fields hold their types, or a refusal',
    () => {
      fc.assert(
        fc.property(payload, (claims) => {
          tally.count('session policy: random and re-typed claims');
          const input = JSON.parse(JSON.stringify(claims)) as Record<string, unknown>;
          const outcome = refusesCleanly(() => policy.toUser(input, now));
          if (outcome instanceof HankoTokenRefusal) return;
          check(Object.isFrozen(outcome) && Object.isFrozen(outcome.claims), 'user not frozen', claims);
          check(typeof outcome.id === 'string' && outcome.id.trim() !== '', 'user without id', claims);
          check(typeof outcome.sessionId === 'string' && outcome.sessionId.trim() !== '', 'user without session', claims);
          check(outcome.id !== 'hanko webhooks' && input.evt === undefined, 'webhook token accepted as a session', claims);
          check(
            typeof input.exp === 'number' && typeof input.iat === 'number' && input.iat <= now + 30,
            'bad time claims accepted',
            claims,
          );
          check(
            outcome.amr.every((m) => typeof m === 'string'),
            'non-string amr',
            claims,
          );
          check(outcome.email === undefined || typeof outcome.email.address === 'string', 'email without address', claims);
        }),
        fuzzParameters(runs(20_000)),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('fuzz: totals', () => {
  it('puts at least 100 000 inputs through the parsing layers at scale 1', () => {
    if (process.env.FUZZ_SCALE === undefined) expect(tally.total()).toBeGreaterThanOrEqual(100_000);
  });
});
