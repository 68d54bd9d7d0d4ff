// Per-step cost of HankoGuard against the reference guards of app.mjs, in one process, with the
// RSA-4096 pool tokens of key-server.mjs (run.mjs or callgrind.mjs makes the pool once):
// the guard's cache hit over a Zipf mix of 5 000 verified sessions, its miss path with a new token
// per call, and the parts (pre-check, session policy, jsonwebtoken, passport-jwt, crypto.verify).
//
//   taskset -c 1 node bench/steps.mjs [case-regex]       CPU time per call (process.cpuUsage) over
//                                                         interleaved batches, medians and quartiles
//   BENCH_AB_DIST=<dist>                                  adds a `[B] …` row per HankoGuard case and part
//   BENCH_CALLS=<n>                                       runs the selected cases n times, untimed: for
//                                                         valgrind --tool=callgrind, instructions per call
//                                                         = difference of two runs ÷ difference of n
import 'reflect-metadata';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import jsonwebtoken from 'jsonwebtoken';
import { HankoTestIssuer } from '../dist/testing/index.js';
import { AUDIENCE, PORT_BASE, median } from './common.mjs';

const filter = new RegExp(process.argv[2] ?? '.');
const BATCHES = Number(process.env.BENCH_BATCHES ?? 30);
const pool = JSON.parse(readFileSync(join(tmpdir(), 'nestjs-hanko-auth-bench', 'pool-rsa4096.json'), 'utf8'));
const tokens = pool.tokens;
const SESSIONS = 5000;

class FixedPortIssuer extends HankoTestIssuer {
  constructor(options) {
    super(options);
    this.port = PORT_BASE + 31;
  }
}
const issuer = new FixedPortIssuer({ audience: [AUDIENCE] });
await issuer.addKey({ privateKey: pool.privateJwk, kid: pool.kid });
await issuer.listen();
const publicKey = createPublicKey(issuer.keys[0].privateKey);

function handler() {}
class Controller {}
Controller.prototype.handler = handler;
const contexts = [];
async function guardFrom(dir, name, extra = {}) {
  const { HankoAuthModule, HankoGuard } = await import(pathToFileURL(join(resolvePath(dir), 'index.js')).href);
  const app = await NestFactory.createApplicationContext(
    HankoAuthModule.forRoot({ apiUrl: issuer.apiUrl, audience: AUDIENCE, strategyName: name, ...extra }),
    { logger: ['error'] },
  );
  contexts.push(app);
  return app.get(HankoGuard, { strict: false });
}
// Requests shaped like Node's: headers plus rawHeaders (as autocannon sends them).
const requestFor = (token) => ({
  headers: { host: '127.0.0.1:21401', authorization: `Bearer ${token}` },
  rawHeaders: ['Host', '127.0.0.1:21401', 'authorization', `Bearer ${token}`],
});
const contextFor = (token) => {
  const c = new ExecutionContextHost([requestFor(token), { setHeader() {} }, () => {}], Controller, handler);
  c.setType('http');
  return c;
};

// The reference guards of bench/app.mjs.
const keys = new Map([[pool.kid, publicKey]]);
const floorVerify = (token) => {
  const [header, payload, signature] = token.split('.');
  try {
    const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const key = keys.get(kid);
    const valid =
      alg === 'RS256' &&
      key !== undefined &&
      cryptoVerify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url')) &&
      claims.exp > Date.now() / 1000 &&
      (claims.aud === AUDIENCE || (Array.isArray(claims.aud) && claims.aud.includes(AUDIENCE)));
    return valid ? claims : undefined;
  } catch {
    return undefined;
  }
};
const referenceGuard = (cache) => (context) => {
  const req = context.switchToHttp().getRequest();
  const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  if (!match) throw new Error('401');
  const token = match[1];
  let claims = cache?.get(token);
  if (claims === undefined || !(claims.exp > Date.now() / 1000)) {
    claims = floorVerify(token);
    if (claims === undefined) throw new Error('401');
    cache?.set(token, claims);
  }
  req.user = claims;
  return true;
};

const zipf = zipfSampler(SESSIONS, 1, 3);
const zipfSequence = Array.from({ length: 20000 }, () => tokens[zipf()]);
let zi = 0;
const nextZipf = () => zipfSequence[(zi = zi + 1 === zipfSequence.length ? 0 : zi + 1)];
let di = 0;
const nextDistinct = () => tokens[(di = di + 1 === tokens.length ? 0 : di + 1)];

const builds = [['', 'dist']];
if (process.env.BENCH_AB_DIST) builds.push(['[B] ', process.env.BENCH_AB_DIST]);
const cases = [];
const mincache = new Map();
const mincacheGuard = referenceGuard(mincache);
const wants = (name) => filter.test(name);
if (wants('mincache guard, zipf 5000')) for (const t of tokens.slice(0, SESSIONS)) mincacheGuard(contextFor(t));
cases.push({ name: 'mincache guard, zipf 5000', n: 2000, fn: () => mincacheGuard(contextFor(nextZipf())) });
cases.push({ name: 'floor guard, distinct', n: 40, fn: () => referenceGuard(undefined)(contextFor(nextDistinct())) });
for (const [label, dir] of builds) {
  const hit = await guardFrom(dir, `steps-hit-${label.length}`);
  await hit.canActivate(contextFor(tokens[0]));
  if (wants(`${label}HankoGuard hit, zipf 5000`)) {
    for (const t of tokens.slice(0, SESSIONS)) if (hit.canActivate(contextFor(t)) !== true) throw new Error('refused');
  }
  cases.push({ name: `${label}HankoGuard hit, zipf 5000`, n: 2000, fn: () => hit.canActivate(contextFor(nextZipf())) });
  const miss = await guardFrom(dir, `steps-miss-${label.length}`, { tokenCache: { maxEntries: 1000 } });
  await miss.canActivate(contextFor(tokens[1]));
  cases.push({ name: `${label}HankoGuard distinct (cache misses)`, n: 40, fn: () => miss.canActivate(contextFor(nextDistinct())) });
  const nocache = await guardFrom(dir, `steps-nocache-${label.length}`, { tokenCache: false });
  await nocache.canActivate(contextFor(tokens[1]));
  cases.push({ name: `${label}HankoGuard distinct, tokenCache false`, n: 40, fn: () => nocache.canActivate(contextFor(nextDistinct())) });
}
const verifyOptions = { algorithms: ['RS256'], audience: [AUDIENCE] };
cases.push({
  name: 'part: jsonwebtoken.verify, KeyObject',
  n: 40,
  fn: () => jsonwebtoken.verify(nextDistinct(), publicKey, verifyOptions),
});
cases.push({
  name: 'part: crypto.verify alone (decoded input)',
  n: 40,
  fn: (() => {
    const [h, p, s] = tokens[0].split('.');
    const input = Buffer.from(`${h}.${p}`);
    const sig = Buffer.from(s, 'base64url');
    return () => cryptoVerify('sha256', input, publicKey, sig);
  })(),
});
const passportJwt = (await import('passport-jwt')).default;
const plainStrategy = new passportJwt.Strategy(
  {
    secretOrKeyProvider: (_req, _raw, done) => done(null, publicKey),
    jwtFromRequest: passportJwt.ExtractJwt.fromAuthHeaderAsBearerToken(),
    ...verifyOptions,
  },
  (claims, done) => done(null, claims),
);
cases.push({
  name: 'part: passport-jwt Strategy, KeyObject, pass-through',
  n: 40,
  fn: () => {
    let user;
    const attempt = Object.create(plainStrategy);
    attempt.success = (u) => (user = u);
    attempt.fail = attempt.error = (e) => {
      throw e ?? new Error('refused');
    };
    attempt.authenticate(requestFor(nextDistinct()), { session: false });
    if (user === undefined) throw new Error('not sync');
  },
});
cases.push({
  name: 'part: JSON.parse(base64url payload)',
  n: 1000,
  fn: () => JSON.parse(Buffer.from(nextDistinct().split('.')[1], 'base64url').toString()),
});
for (const [label, dir] of builds) {
  const { precheckToken } = await import(pathToFileURL(join(resolvePath(dir), 'token/hanko-token.precheck.js')).href);
  const { HankoSessionPolicy } = await import(pathToFileURL(join(resolvePath(dir), 'session/hanko-session.policy.js')).href);
  const policy = new HankoSessionPolicy(30);
  cases.push({ name: `${label}part: precheckToken`, n: 1000, fn: () => precheckToken(nextDistinct(), 8192) });
  cases.push({
    name: `${label}part: session policy toUser (fresh payload)`,
    n: 1000,
    fn: () => policy.toUser(JSON.parse(Buffer.from(nextDistinct().split('.')[1], 'base64url').toString())),
  });
}

const selected = cases.filter((c) => filter.test(c.name));
if (process.env.BENCH_CALLS) {
  // For `valgrind --tool=callgrind`: run the selected cases this many times, untimed; instructions per
  // call are the difference between two such runs divided by the difference in calls.
  // With --expose-gc, full collections before and after, so that a major GC falling into one run and
  // not the other does not swamp the difference (it moves a run by ~60 M instructions).
  globalThis.gc?.();
  for (const c of selected) for (let i = 0; i < Number(process.env.BENCH_CALLS); i++) c.fn();
  globalThis.gc?.();
  for (const c of contexts) await c.close();
  await issuer.close();
  process.exit(0);
}
for (const c of selected) for (let i = 0; i < c.n; i++) c.fn(); // warm
const samples = new Map(selected.map((c) => [c.name, []]));
for (let b = 0; b < BATCHES; b++) {
  for (let i = 0; i < selected.length; i++) {
    const c = selected[(i + b) % selected.length];
    const start = process.cpuUsage();
    for (let k = 0; k < c.n; k++) c.fn();
    const used = process.cpuUsage(start);
    samples.get(c.name).push((used.user + used.system) / c.n);
  }
}
const width = Math.max(...selected.map((c) => c.name.length));
for (const c of selected) {
  const s = samples.get(c.name).sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  console.log(
    `${c.name.padEnd(width)}  ${median(s).toFixed(2).padStart(8)} µs CPU/call  (q1 ${q(0.25).toFixed(2)}, q3 ${q(0.75).toFixed(2)})`,
  );
}
for (const c of contexts) await c.close();
await issuer.close();
process.exit(0);

function zipfSampler(n, s, seed) {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
