// Micro-benchmark of the verification path alone (no HTTP, no Nest routing), RSA-4096 like Hanko.
//
//   npm run build && node bench/micro.mjs          ~1 min
//   BENCH_SMOKE=1 node bench/micro.mjs (--smoke)   a few seconds, only checks that every case works
//
// Prints ops/s per case: medians of interleaved rounds, one call at a time on one thread.
// Exits non-zero only when a case fails to verify the token.
import 'reflect-metadata';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { cpus, availableParallelism } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { jwtVerify } from 'jose';
import jwksRsa from 'jwks-rsa';
import jsonwebtoken from 'jsonwebtoken';
import passport from 'passport';
import passportJwt from 'passport-jwt';
import { HankoAuthModule, HankoGuard } from '../dist/index.js';
import { HankoAuthenticator } from '../dist/hanko.authenticator.js';
import { HankoSessionPolicy } from '../dist/session/hanko-session.policy.js';
import { precheckToken } from '../dist/token/hanko-token.precheck.js';
import { HankoTestIssuer } from '../dist/testing/index.js';
import { HankoRevocationMarks } from '../dist/webhooks/hanko-revocation.marks.js';
import { randomUUID } from 'node:crypto';
import { AUDIENCE, PORT_BASE, SMOKE, median } from './common.mjs';

const ROUNDS = SMOKE ? 1 : Number(process.env.BENCH_ROUNDS ?? 5);
const CASE_MS = SMOKE ? 150 : Number(process.env.BENCH_CASE_MS ?? 1500);
if (!(ROUNDS >= 1 && ROUNDS <= 50 && CASE_MS >= 10 && CASE_MS <= 60_000)) throw new Error('BENCH_ROUNDS 1..50, BENCH_CASE_MS 10..60000');
const PORT = PORT_BASE + 30;
const KEY_BITS = Number(process.env.BENCH_KEY_BITS ?? 4096);

class FixedPortIssuer extends HankoTestIssuer {
  constructor(options) {
    super(options);
    this.port = PORT;
  }
}

const issuer = new FixedPortIssuer({ audience: [AUDIENCE] });
const contexts = [];
let exitCode = 0;
try {
  await issuer.addKey({ modulusLength: KEY_BITS });
  await issuer.listen();
  await run();
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  exitCode = 1;
} finally {
  for (const context of contexts) await context.close();
  await issuer.close();
}
process.exit(exitCode);

async function run() {
  const token = issuer.sign();
  const [encodedHeader, encodedPayload, encodedSignature] = token.split('.');
  const key = issuer.keys[0];
  const publicKey = createPublicKey(key.privateKey);
  const pem = publicKey.export({ format: 'pem', type: 'spki' });
  const signingInput = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  const signature = Buffer.from(encodedSignature, 'base64url');
  const jwtOptions = { algorithms: ['RS256'], audience: AUDIENCE };

  const hankoOptions = { apiUrl: issuer.apiUrl, audience: AUDIENCE, globalGuard: false };
  const authenticatorFor = async (extra, marks = 0) => {
    const context = await NestFactory.createApplicationContext(HankoAuthModule.forRoot({ ...hankoOptions, ...extra }), {
      logger: ['error'],
    });
    contexts.push(context);
    // Revocation marks of other sessions and users, as webhooks would leave them.
    const revoked = context.get(HankoRevocationMarks, { strict: false });
    for (let i = 0; i < marks; i++) {
      const until = Date.now() + 3_600_000;
      revoked.add(i % 2 ? { kind: 'session', id: randomUUID(), until } : { kind: 'user', id: randomUUID(), before: 1, until });
    }
    return context.get(HankoAuthenticator, { strict: false });
  };
  const cached = await authenticatorFor({});
  // Several modules in one process: Passport's one strategy table needs a name for each.
  const uncached = await authenticatorFor({ tokenCache: false, strategyName: 'hanko-uncached' });
  // Revocation on, the session's answer cached in this process for the whole run (the test issuer answers once).
  const revocationCached = await authenticatorFor({ revocation: { cacheTtl: 3600 }, strategyName: 'hanko-revocation' });
  const cachedWebhooks = await authenticatorFor({ webhooks: true, strategyName: 'hanko-webhooks' });
  const cachedMarked = await authenticatorFor({ webhooks: true, strategyName: 'hanko-marked' }, 100_000);
  // BENCH_AB_DIST=/path/to/other/dist: the authenticator cases again, from that build (its own Nest context).
  let uncachedB;
  let cachedB;
  if (process.env.BENCH_AB_DIST) {
    const dir = resolvePath(process.env.BENCH_AB_DIST);
    const { HankoAuthModule: ModuleB } = await import(pathToFileURL(join(dir, 'index.js')).href);
    const { HankoAuthenticator: AuthenticatorB } = await import(pathToFileURL(join(dir, 'hanko.authenticator.js')).href);
    const contextFor = async (extra) => {
      const context = await NestFactory.createApplicationContext(
        ModuleB.forRoot({ ...hankoOptions, ...extra, strategyName: `hanko-b-${contexts.length}` }),
        {
          logger: ['error', 'warn'],
        },
      );
      contexts.push(context);
      return context.get(AuthenticatorB, { strict: false });
    };
    cachedB = await contextFor({});
    uncachedB = await contextFor({ tokenCache: false });
  }
  const policy = new HankoSessionPolicy(30);
  const payload = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  const authenticate = async (authenticator) => {
    const outcome = await authenticator.authenticate({ headers: { authorization: `Bearer ${token}` } });
    if (outcome.user === undefined) throw new Error(`HankoAuthenticator refused: ${outcome.failure?.reason ?? outcome.failure}`);
  };

  // The usual recipe's verification: passport-jwt + jwks-rsa passportJwtSecret (PEM per request).
  const usual = new passportJwt.Strategy(
    {
      secretOrKeyProvider: jwksRsa.passportJwtSecret({ jwksUri: issuer.jwksUrl, cache: true, rateLimit: true, jwksRequestsPerMinute: 5 }),
      jwtFromRequest: passportJwt.ExtractJwt.fromAuthHeaderAsBearerToken(),
      ...jwtOptions,
    },
    (payload, done) => done(null, payload),
  );
  const passportUsual = () =>
    new Promise((resolve, reject) => {
      const middleware = passport.authenticate(Object.create(usual), { session: false }, (error, user, info) =>
        error ? reject(error) : user ? resolve(user) : reject(info ?? new Error('refused')),
      );
      middleware({ headers: { authorization: `Bearer ${token}` } }, {}, reject);
    });

  // The floor-distinct reference guard's verifier (bench/app.mjs): decode, one crypto.verify, aud, exp.
  const floorVerify = (jwt) => {
    const [h, p, sig] = jwt.split('.');
    const { alg, kid } = JSON.parse(Buffer.from(h, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const valid =
      alg === 'RS256' &&
      kid === key.kid &&
      cryptoVerify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(sig, 'base64url')) &&
      claims.exp > Date.now() / 1000 &&
      claims.aud.includes(AUDIENCE);
    if (!valid) throw new Error('floor refused');
    return claims;
  };
  // The minimal Map-cache reference guard's hit (bench/app.mjs): Bearer regex, Map lookup, exp.
  const referenceCache = new Map([[token, payload]]);
  const referenceHit = (header) => {
    const match = /^Bearer (\S+)$/.exec(header);
    const claims = referenceCache.get(match[1]);
    if (!(claims.exp > Date.now() / 1000)) throw new Error('expired');
    return claims;
  };
  // passport-jwt alone, KeyObject answered synchronously, payload passed through: its plumbing over jsonwebtoken.
  const plainStrategy = new passportJwt.Strategy(
    {
      secretOrKeyProvider: (_req, _raw, done) => done(null, publicKey),
      jwtFromRequest: passportJwt.ExtractJwt.fromAuthHeaderAsBearerToken(),
      ...jwtOptions,
    },
    (claims, done) => done(null, claims),
  );
  const plainPassport = () => {
    let user;
    const attempt = Object.create(plainStrategy);
    attempt.success = (u) => (user = u);
    attempt.fail = attempt.error = (e) => {
      throw e ?? new Error('refused');
    };
    attempt.authenticate({ headers: { authorization: `Bearer ${token}` } }, { session: false });
    if (user === undefined) throw new Error('passport-jwt did not settle synchronously');
  };
  const authorization = `Bearer ${token}`;

  // The guards as Nest calls them on a cache hit: an HTTP execution context around a fresh request
  // object each call (the guard writes its slot and `user` on it), synchronous answers.
  function handler() {}
  class Controller {}
  Controller.prototype.handler = handler;
  const guard = await (async () => {
    const context = await NestFactory.createApplicationContext(
      HankoAuthModule.forRoot({ ...hankoOptions, globalGuard: true, strategyName: 'hanko-guard' }),
      {
        logger: ['error', 'warn'],
      },
    );
    contexts.push(context);
    return context.get(HankoGuard, { strict: false });
  })();
  const contextFor = () => new ExecutionContextHost([{ headers: { authorization } }, {}, () => {}], Controller, handler);
  const referenceGuardHit = (context) => {
    const req = context.switchToHttp().getRequest();
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const claims = referenceCache.get(match[1]);
    if (!(claims.exp > Date.now() / 1000)) throw new Error('expired');
    req.user = claims;
    return true;
  };
  await guard.canActivate(contextFor()); // the first call fetches the keys and verifies; later ones hit the cache
  if (guard.canActivate(contextFor()) !== true) throw new Error('HankoGuard did not answer a cache hit synchronously');

  const cases = [
    {
      name: 'crypto.verify, signature only (floor)',
      sync: () => {
        if (!cryptoVerify('sha256', signingInput, publicKey, signature)) throw new Error('bad signature');
      },
    },
    {
      name: 'jsonwebtoken.verify, PEM string (what passportJwtSecret hands over)',
      sync: () => jsonwebtoken.verify(token, pem, jwtOptions),
    },
    { name: 'jsonwebtoken.verify, cached KeyObject', sync: () => jsonwebtoken.verify(token, publicKey, jwtOptions) },
    { name: 'floor verifier (decode, crypto.verify, aud, exp)', sync: () => floorVerify(token) },
    { name: 'passport-jwt Strategy, KeyObject, no Hanko parts', sync: plainPassport },
    { name: 'jose jwtVerify, cached KeyObject', async: () => jwtVerify(token, publicKey, jwtOptions) },
    { name: 'passport-jwt + passportJwtSecret (the usual guard, no Nest)', async: passportUsual },
    { name: 'HankoAuthenticator, token cache off (every token new)', async: () => authenticate(uncached) },
    { name: 'HankoAuthenticator, token cache hit (repeated token)', async: () => authenticate(cached) },
    { name: 'HankoAuthenticator, cache hit, revocation answer cached', async: () => authenticate(revocationCached) },
    { name: 'minimal Map-cache guard hit (regex, Map.get, exp)', sync: () => referenceHit(authorization) },
    { name: 'HankoGuard.canActivate, cache hit (sync, fresh request)', sync: () => guard.canActivate(contextFor()) },
    { name: 'minimal Map-cache guard canActivate (same context)', sync: () => referenceGuardHit(contextFor()) },
    { name: 'HankoAuthenticator, token cache hit, webhooks on, 0 marks', async: () => authenticate(cachedWebhooks) },
    { name: 'HankoAuthenticator, token cache hit, webhooks on, 100k marks of others', async: () => authenticate(cachedMarked) },
    { name: '  part: precheckToken (shape, header, claims types)', sync: () => precheckToken(token, 8192) },
    { name: '  part: HankoSessionPolicy.toUser (clone + freeze claims)', sync: () => policy.toUser(payload) },
    ...(uncachedB
      ? [
          { name: '[B] HankoAuthenticator, token cache off', async: () => authenticate(uncachedB) },
          { name: '[B] HankoAuthenticator, token cache hit', async: () => authenticate(cachedB) },
        ]
      : []),
  ];

  // Every case must accept the token before anything is timed.
  for (const c of cases) await (c.sync ? c.sync() : c.async());

  console.log(`nestjs-hanko-auth micro-benchmark${SMOKE ? ' (SMOKE: timings meaningless)' : ''}`);
  console.log(
    `${new Date().toISOString()} · Node ${process.version} · ${cpus().length} CPUs (${availableParallelism()} usable by this process) · ${cpus()[0]?.model ?? 'unknown CPU'}`,
  );
  console.log(
    `RSA-${KEY_BITS} RS256 token of ${token.length} bytes · ${ROUNDS} round(s) × ${CASE_MS} ms per case, interleaved, one call at a time\n`,
  );

  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + round) % cases.length];
      samples.get(c.name).push(c.sync ? timeSync(c.sync) : await timeAsync(c.async));
    }
  }

  const rows = cases.map((c) => ({ name: c.name, ops: median(samples.get(c.name)) }));
  const base = rows.find((r) => r.name.startsWith('jsonwebtoken.verify, PEM')).ops;
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'case'.padEnd(width)} | ops/s (median) | µs/op   | × PEM string`);
  console.log(`${'-'.repeat(width)}-|----------------|---------|-------------`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(width)} | ${r.ops.toFixed(0).padStart(14)} | ${(1e6 / r.ops).toFixed(1).padStart(7)} | ${(r.ops / base).toFixed(2).padStart(11)}`,
    );
  }
}

function timeSync(fn) {
  const start = performance.now();
  let ops = 0;
  let elapsed;
  do {
    for (let i = 0; i < 16; i++) fn();
    ops += 16;
    elapsed = performance.now() - start;
  } while (elapsed < CASE_MS);
  return (ops / elapsed) * 1000;
}

async function timeAsync(fn) {
  const start = performance.now();
  let ops = 0;
  let elapsed;
  do {
    for (let i = 0; i < 16; i++) await fn();
    ops += 16;
    elapsed = performance.now() - start;
  } while (elapsed < CASE_MS);
  return (ops / elapsed) * 1000;
}
