// Heap per cached token and per cached session answer, at 10 000 and 100 000 entries (issue 11).
//
//   node --expose-gc bench/heap.mjs <poolFile> <port>      (run.mjs runs it; BENCH_SMOKE=1: small counts)
//
// Two ways of filling each cache, so each checks the other:
// - "requests": the real HankoAuthenticator, fed real RSA-4096 session tokens from the benchmark's
//   pool as Bearer headers (10 000 at most: the pool is what signing at ~200 tokens/s allows).
// - "entries": the cache's own entries, made as a verification makes them (the session policy's
//   user from a fresh JSON.parse of Hanko-shaped claims; a token string as long as an RSA-4096 one),
//   for counts beyond the pool. Session answers go in through the validator's own remember().
// Heap is measured after full GCs, before and after filling; prints `RESULT {json}`.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { HankoAuthModule } from '../dist/index.js';
import { HankoAuthenticator } from '../dist/hanko.authenticator.js';
import { HankoSessionPolicy } from '../dist/session/hanko-session.policy.js';
import { HankoSessionValidator } from '../dist/session/hanko-session.validator.js';
import { HankoTokenCache } from '../dist/token/hanko-token.cache.js';
import { HankoTestIssuer } from '../dist/testing/index.js';
import { AUDIENCE, SMOKE, exitWithParent } from './common.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const [poolFile, portArg] = process.argv.slice(2);
const pool = JSON.parse(readFileSync(poolFile, 'utf8'));
const COUNTS = SMOKE ? [100, 200] : [10_000, 100_000];
const REAL = Math.min(COUNTS[0], pool.tokens.length);

class PoolIssuer extends HankoTestIssuer {
  constructor(port) {
    super({ audience: [AUDIENCE] });
    this.port = port;
  }
}
const issuer = new PoolIssuer(Number(portArg));
await issuer.addKey({ privateKey: pool.privateJwk, kid: pool.kid });
await issuer.listen();
exitWithParent(() => void issuer.close());

function heapUsed() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const contexts = [];
async function authenticatorWith(options) {
  const context = await NestFactory.createApplicationContext(
    // Several modules in one process: Passport's one strategy table needs a name for each.
    HankoAuthModule.forRoot({
      apiUrl: issuer.apiUrl,
      audience: AUDIENCE,
      globalGuard: false,
      strategyName: `hanko-heap-${contexts.length}`,
      ...options,
    }),
    { logger: ['error', 'warn'] },
  );
  contexts.push(context);
  return {
    authenticator: context.get(HankoAuthenticator, { strict: false }),
    validator: context.get(HankoSessionValidator, { strict: false }),
  };
}

/** Real requests through the authenticator: heap added by what it keeps for `count` tokens. */
async function throughRequests(options, count) {
  const { authenticator } = await authenticatorWith(options);
  // One request first, so the key set and everything lazily built is in place before the baseline.
  await authenticator.authenticate({ headers: { authorization: `Bearer ${pool.tokens[count]}` } });
  const before = heapUsed();
  for (let i = 0; i < count; i++) {
    const outcome = await authenticator.authenticate({ headers: { authorization: `Bearer ${pool.tokens[i]}` } });
    if (outcome.user === undefined) throw new Error(`token ${i} refused: ${outcome.failure?.reason ?? outcome.failure}`);
  }
  return heapUsed() - before;
}

const [header, , signature] = pool.tokens[0].split('.');
const policy = new HankoSessionPolicy(30);
/** A cache entry as a verification makes it: user from freshly parsed claims, token string of real length. */
function verifiedEntry() {
  const json = JSON.stringify(issuer.sessionClaims());
  const token = [
    header,
    Buffer.from(json).toString('base64url'),
    randomBytes(Buffer.from(signature, 'base64url').length).toString('base64url'),
  ].join('.');
  const user = policy.toUser(JSON.parse(json));
  return { token, verified: { user, kid: pool.kid, expiresAtMs: user.claims.exp * 1000 } };
}

function tokenEntries(count) {
  const cache = new HankoTokenCache(count);
  const before = heapUsed();
  for (let i = 0; i < count; i++) {
    const { token, verified } = verifiedEntry();
    cache.set(token, verified);
  }
  const bytes = heapUsed() - before;
  if (cache.size !== count) throw new Error('cache lost entries');
  return bytes;
}

async function sessionEntries(count) {
  const { validator } = await authenticatorWith({ revocation: { cacheTtl: 3600, maxEntries: count } });
  if (typeof validator.remember !== 'function') return undefined;
  const until = Date.now() + 3_600_000;
  // Session ids as a verification leaves them: flat strings from JSON.parse (randomUUID's would be cons strings).
  const before = heapUsed();
  for (let i = 0; i < count; i++) validator.remember(JSON.parse(JSON.stringify(issuer.sessionClaims())).session_id, { live: true, until });
  return heapUsed() - before;
}

const rows = [];
try {
  rows.push({
    cache: 'verified tokens',
    entries: REAL,
    how: 'requests',
    bytes: await throughRequests({ tokenCache: { maxEntries: REAL } }, REAL),
  });
  for (const n of COUNTS) rows.push({ cache: 'verified tokens', entries: n, how: 'entries', bytes: tokenEntries(n) });
  rows.push({
    cache: 'session answers',
    entries: REAL,
    how: 'requests',
    // Token cache off, so only the revocation answers stay; the test issuer answers /sessions/validate.
    bytes: await throughRequests({ tokenCache: false, revocation: { cacheTtl: 3600, maxEntries: REAL } }, REAL),
  });
  for (const n of COUNTS) {
    const bytes = await sessionEntries(n);
    if (bytes !== undefined) rows.push({ cache: 'session answers', entries: n, how: 'entries', bytes });
  }
} finally {
  for (const context of contexts) await context.close();
}
process.stdout.write(`RESULT ${JSON.stringify({ node: process.version, rows })}\n`);
await issuer.close();
process.exit(0);
